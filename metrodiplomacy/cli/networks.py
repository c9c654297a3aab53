"""`metrodip networks …`: the city-network ecosystem (roles weighted 0–5, overlap, load, GaWC connectivity)."""

from __future__ import annotations

from pathlib import Path

import typer

from metrodiplomacy.cli import app
from metrodiplomacy.cli.output import FORMAT_OPTION_HELP, OUTPUT_OPTION_HELP, Format, console, emit

networks_app = typer.Typer(help="City networks: connectivity, overlap and load of the member cities.")
app.add_typer(networks_app, name="networks", no_args_is_help=True)


def _seats():
    from metrodiplomacy.observatory.inputs.networks import network_seats
    from metrodiplomacy.records import OPERATOR

    seats = network_seats(OPERATOR)
    if not seats:
        console.print("[red]No network memberships in the database. Try `metrodip load casestudies`.[/red]")
        raise typer.Exit(code=1)
    return seats


@networks_app.command("connectivity")
def networks_connectivity(
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Interlocking connectivity of cities through shared networks (GaWC model, roles weighted 0–5)."""
    from metrodiplomacy.analysis.networks import connectivity

    emit(connectivity(_seats()), fmt, output)


@networks_app.command("overlap")
def networks_overlap(
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Pairs of networks with the member cities they share and their Jaccard index."""
    from metrodiplomacy.analysis.networks import overlap

    emit(overlap(_seats()), fmt, output)


@networks_app.command("load")
def networks_load(
    matrix: bool = typer.Option(False, "--matrix", help="Also print the city × network matrix of service values."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Per city: networks, leading roles, prioritised networks and weighted load."""
    from metrodiplomacy.analysis.networks import bipartite, load

    seats = _seats()
    emit([load(seats), bipartite(seats)] if matrix else load(seats), fmt, output)
