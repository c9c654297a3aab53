"""`metrodip import twinning`, `metrodip twinning …` and `metrodip places review`: twinning lists in, the
twinning graph out, and the review queue of place names the matcher was unsure of."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from metrodiplomacy.cli import app, import_app, places_app
from metrodiplomacy.cli.output import FORMAT_OPTION_HELP, OUTPUT_OPTION_HELP, Format, console, emit

twinning_app = typer.Typer(help="The twinning graph: statistics, ego networks, top lists, countries.")
app.add_typer(twinning_app, name="twinning", no_args_is_help=True)


@import_app.command("twinning")
def import_twinning_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV with city1,country1,city2,country2."),
    owner: str = typer.Option("", help="Key of the organisation owning the agreements (created if new)."),
    visibility: str = typer.Option("public", help="private, workspace or public."),
    publish: bool = typer.Option(True, help="Publish public agreements (--no-publish keeps them draft)."),
    report: Path | None = typer.Option(None, "--report", help="Write every row not imported, with its reason."),
) -> None:
    """Import a twinning list as agreements of kind twinning between places, with a match report.

    Names are matched to GeoNames; uncertain ones wait in `metrodip places review`. A re-import writes nothing.
    """
    from metrodiplomacy.actors.services import ensure_owner_organisation
    from metrodiplomacy.cli import _print_problems
    from metrodiplomacy.importers.twinning import TwinningFileInvalid, import_twinning

    if visibility not in {"private", "workspace", "public"}:
        console.print("[red]--visibility must be private, workspace or public[/red]")
        raise typer.Exit(code=2)
    organisation = ensure_owner_organisation(owner, owner.replace("-", " ").capitalize()) if owner else None
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        tasks: dict[str, int] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            result = import_twinning(
                file,
                owner=organisation,
                visibility=visibility,
                # Only public records are published (records.Record.clean): private or workspace ones stay drafts.
                publication="published" if publish and visibility == "public" else "draft",
                progress=advance,
            )
        except TwinningFileInvalid as error:
            progress.stop()
            _print_problems(error.problems)
            raise typer.Exit(code=1) from error
    emit([result.table(), result.reasons_table()], Format.table)
    if report is not None:
        count = result.write_csv(report)
        console.print(f"Wrote {count} rows not imported, with their reasons, to {report}")


def _graph():
    from metrodiplomacy.observatory.inputs.twinning import twinning_graph
    from metrodiplomacy.records import OPERATOR

    graph = twinning_graph(OPERATOR)
    if graph.graph.ecount() == 0:
        console.print("[red]No twinning agreements in the database. Run `metrodip import twinning FILE` first.[/red]")
        raise typer.Exit(code=1)
    return graph


def _svg_chart(svg: str):
    def chart(fmt: str) -> bytes:
        if fmt == "png":
            import vl_convert

            return vl_convert.svg_to_png(svg)
        return svg.encode()

    return chart


@twinning_app.command("stats")
def twinning_stats(
    top: int = typer.Option(20, min=1, help="How many cities in the top lists."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP + " (svg/png: the world map)"),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Size, degree distribution, components, centralities and communities of the twinning graph."""
    from metrodiplomacy.analysis.twinning import all_metrics
    from metrodiplomacy.analysis.twinning_svg import world_map_svg

    graph = _graph()
    emit(all_metrics(graph, top), fmt, output, chart=lambda f: _svg_chart(world_map_svg(graph))(f))


@twinning_app.command("ego")
def twinning_ego(
    city: str = typer.Argument(..., help="City name (the best-connected of that name), 'Name (CC)' or place id."),
    labels: int = typer.Option(40, min=0, help="How many twins to label in the drawing."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP + " (svg/png: the ego network)"),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """A city's twins, their own degree and the partners they share with it (svg/png: the drawing)."""
    from metrodiplomacy.analysis.twinning import ego_network
    from metrodiplomacy.analysis.twinning_svg import ego_svg

    graph = _graph()
    vertex = graph.find(city)
    if vertex is None:
        console.print(f"[red]No twinned city called {city!r}.[/red]")
        raise typer.Exit(code=1)
    emit(ego_network(graph, vertex), fmt, output, chart=lambda f: _svg_chart(ego_svg(graph, vertex, labels=labels))(f))


@twinning_app.command("top")
def twinning_top(
    top: int = typer.Option(20, min=1, help="How many cities and countries."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """The most twinned cities (with centralities) and countries."""
    from metrodiplomacy.analysis.twinning import centralities, countries_table

    graph = _graph()
    emit([centralities(graph, top), countries_table(graph, top)], fmt, output)


@twinning_app.command("countries")
def twinning_countries(
    top: int = typer.Option(0, min=0, help="How many country pairs (0: all)."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Country-level aggregation: pairs per pair of countries (country × country) and per country."""
    from metrodiplomacy.analysis.twinning import countries_table, country_pairs

    graph = _graph()
    emit([country_pairs(graph, top or None), countries_table(graph, top or None)], fmt, output)


@places_app.command("review")
def places_review(
    accept: list[int] = typer.Option([], "--accept", help="Accept the proposal of this queue id (repeatable)."),
    reject: list[int] = typer.Option([], "--reject", help="Reject this queue id: its rows stay out (repeatable)."),
    correct: list[str] = typer.Option(
        [], "--correct", help="ID=TARGET: point the name at a GeoNames id or a place key (repeatable)."
    ),
    show_all: bool = typer.Option(False, "--all", help="List decided names too, not only pending ones."),
    limit: int = typer.Option(50, min=1, help="How many names to list."),
    by: str = typer.Option("", help="Reviewer's name recorded with the decision (default: the login name)."),
) -> None:
    """The review queue of uncertain place-name matches; accept, correct or reject them by id.

    Decisions are remembered and applied by the next import of any list naming the same place.
    """
    from metrodiplomacy.places import services
    from metrodiplomacy.places.models import MatchDecision

    reviewer = by or getpass.getuser()
    wanted = [(number, "accept", None) for number in accept] + [(number, "reject", None) for number in reject]
    for item in correct:
        number, _sep, target = item.partition("=")
        if not number.isdigit() or not target:
            console.print(f"[red]--correct takes ID=TARGET, not {item!r}[/red]")
            raise typer.Exit(code=2)
        wanted.append((int(number), "correct", target))
    for number, action, target in wanted:
        decision = MatchDecision.objects.filter(pk=number).first()
        if decision is None:
            console.print(f"[red]No name with id {number} in the review queue.[/red]")
            raise typer.Exit(code=1)
        try:
            if action == "accept":
                services.accept_match(decision, reviewer)
            elif action == "reject":
                services.reject_match(decision, reviewer)
            else:
                services.correct_match(decision, target, reviewer)
        except ValueError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(code=1) from error
        console.print(f"{decision.raw_name} ({decision.raw_country or 'no country'}): {decision.decision}")
    if wanted:
        return
    rows = MatchDecision.objects.select_related("place")
    if not show_all:
        rows = rows.filter(decision="pending")
    table = RichTable(title=f"Place names to review ({rows.count()})", title_justify="left")
    for heading in ("id", "name", "country", "rows", "proposal", "confidence", "reason", "decision"):
        table.add_column(heading)
    for row in rows[:limit]:
        proposal = str(row.place) if row.place_id else row.proposed_label
        table.add_row(
            str(row.pk),
            row.raw_name,
            row.raw_country,
            str(row.occurrences),
            proposal,
            f"{row.confidence:.2f}",
            row.reason,
            row.decision,
        )
    console.print(table)
