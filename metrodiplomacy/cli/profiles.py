"""`metrodip profiles`: population and GDP growth between two years (the thesis' Figures 1, 4, 7, 9)."""

from pathlib import Path

import typer

from metrodiplomacy.cli import app
from metrodiplomacy.cli.output import FORMAT_OPTION_HELP, OUTPUT_OPTION_HELP, Format, console, emit


@app.command("profiles")
def profiles_command(
    places: list[str] = typer.Argument(
        None, help="Places by name or key; every place with population or GDP statistics when none is given."
    ),
    year_from: int | None = typer.Option(
        None, "--from", help="Earlier year (default: each place's earliest year with the statistic)."
    ),
    year_to: int | None = typer.Option(
        None, "--to", help="Later year (default: each place's latest year with the statistic)."
    ),
    figures: bool = typer.Option(
        False, "--figures", help="One table per place in the thesis' layout instead of the long table."
    ),
    percent_places: int = typer.Option(
        0, "--percent-places", min=0, max=6, help="Decimal places of growth % (the thesis uses whole percent)."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Population and GDP of places in two years, with total and percentage growth (svg/png: growth bars).

    Two figures for one year: one is chosen by a stated rule and the conflict is listed in the notes.
    """
    from metrodiplomacy.analysis.charts import growth_bars, render
    from metrodiplomacy.analysis.profiles import compute_profiles, figure_tables, growth_table
    from metrodiplomacy.observatory.inputs.profiles import profile_statistics
    from metrodiplomacy.places.queries import find_place
    from metrodiplomacy.records import OPERATOR

    if year_from is not None and year_to is not None and year_from >= year_to:
        console.print(f"[red]--from ({year_from}) must be earlier than --to ({year_to}).[/red]")
        raise typer.Exit(code=2)
    found = []
    for name in places or []:
        place = find_place(name)
        if place is None:
            console.print(f"[red]No place called {name!r} in the database. Try `metrodip places search {name}`.[/red]")
            raise typer.Exit(code=1)
        found.append(place)
    statistics = profile_statistics(OPERATOR, found or None)
    result = compute_profiles(
        statistics,
        year_from=year_from,
        year_to=year_to,
        places=[place.name for place in found],
        percent_places=percent_places,
    )
    table = growth_table(result)
    tables = figure_tables(result) if figures else [table]
    if fmt in (Format.csv, Format.svg, Format.png):
        # These formats carry no notes: standard error says what was chosen or left out, never silently.
        for note in result.notes:
            typer.echo(f"note: {note}", err=True)
    if not table.rows and fmt in (Format.svg, Format.png):
        console.print("[red]Nothing to draw: no place has values for two years.[/red]")
        raise typer.Exit(code=1)
    emit(tables or [table], fmt, output, chart=lambda kind: render(growth_bars(table), kind))
