"""`metrodip compare` and `metrodip diagnose`: the study's comparative framework and its recommendations."""

from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from metrodiplomacy.cli import app
from metrodiplomacy.cli.output import FORMAT_OPTION_HELP, OUTPUT_OPTION_HELP, Format, console, emit

RATE_HELP = (
    "A rate you state, SOURCE=RATE:TARGET:YEAR (EUR=1.12:USD:2019: 1 EUR is 1.12 USD at the 2019 rate). "
    "Repeat for more currencies, all into one target. Without it budgets stay in their own currencies."
)
CODER_HELP = "Use only this coder's codings (when several coders classify a place differently)."


def _places(names: list[str]):
    from metrodiplomacy.observatory.inputs.comparative import resolve_place
    from metrodiplomacy.records import OPERATOR

    found = []
    for name in names:
        place = resolve_place(name, OPERATOR)
        if place is None:
            console.print(f"[red]No place called {name!r} in the database. Try `metrodip places search {name}`.[/red]")
            raise typer.Exit(code=1)
        found.append(place)
    return found


def _rates(texts: list[str]):
    from metrodiplomacy.analysis.capacity import ExchangeRate, check_rates

    try:
        rates = [ExchangeRate.parse(text) for text in texts]
        check_rates(rates)
    except ValueError as error:
        console.print(f"[red]--rate: {error}[/red]")
        raise typer.Exit(code=2) from error
    return rates


@app.command()
def compare(
    cities: list[str] = typer.Argument(..., help="Two to six places, by name or key (Barcelona: the study's case)."),
    rate: list[str] = typer.Option([], "--rate", help=RATE_HELP),
    coder: str | None = typer.Option(None, "--coder", help=CODER_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Compare places on the study's four themes: governance, city diplomacy, outreach, cooperation.

    Governance scenario, planning group and externalities are derived by stated rules and overridden by
    a coding of the place; every value comes with the records behind it (svg/png: staff and budgets).
    """
    from metrodiplomacy.analysis.charts import capacity_bars, render
    from metrodiplomacy.analysis.comparative import capacity_chart_table
    from metrodiplomacy.analysis.comparative import compare as compare_places
    from metrodiplomacy.analysis.comparative_tables import comparison_tables
    from metrodiplomacy.observatory.inputs.comparative import comparative_records
    from metrodiplomacy.records import OPERATOR

    if not 2 <= len(cities) <= 6:
        console.print(f"[red]Give two to six places to compare, not {len(cities)}.[/red]")
        raise typer.Exit(code=2)
    places = _places(cities)
    if len({place.pk for place in places}) != len(places):
        console.print("[red]A place is named twice.[/red]")
        raise typer.Exit(code=2)
    rates = _rates(rate)
    frameworks = compare_places(comparative_records(places, OPERATOR), rates, coder)
    chart_table = capacity_chart_table(frameworks)
    emit(comparison_tables(frameworks), fmt, output, chart=lambda kind: render(capacity_bars(chart_table), kind))


def _share(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise typer.BadParameter(f"{text!r} is not a number") from error
    if value < 0:
        raise typer.BadParameter("must not be negative")
    return value


@app.command()
def diagnose(
    city: str = typer.Argument(..., help="A place by name or key (Barcelona: the study's metropolitan case)."),
    many_networks: int = typer.Option(10, "--many-networks", min=1, help="Networks from which a place has many."),
    prioritised_share: str = typer.Option(
        "0.5", "--prioritised-share", help="Share of networks (0-1) under which few are prioritised."
    ),
    cooperation_target: str = typer.Option(
        "0.7", "--cooperation-target", help="Percent of a government's budget expected for cooperation."
    ),
    fragmented_governments: int = typer.Option(
        2, "--fragmented-governments", min=2, help="Governments acting abroad from which a territory is fragmented."
    ),
    coder: str | None = typer.Option(None, "--coder", help=CODER_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Recommendations for a place from the comparative framework, each with its reason and records.

    Checks: an integral plan; fragmented governance without an overall coordination mechanism; indicators
    of negative externalities; cooperation budget against the 0.7 % reference; many networks with few
    prioritised; a public accountability report with results.
    """
    from metrodiplomacy.analysis.comparative import build_framework
    from metrodiplomacy.analysis.diagnostics import Thresholds, diagnostics_table
    from metrodiplomacy.analysis.diagnostics import diagnose as diagnose_place
    from metrodiplomacy.observatory.inputs.comparative import comparative_records
    from metrodiplomacy.records import OPERATOR

    share = _share(prioritised_share)
    if share > 1:
        console.print("[red]--prioritised-share is a share between 0 and 1.[/red]")
        raise typer.Exit(code=2)
    thresholds = Thresholds(many_networks, share, _share(cooperation_target), fragmented_governments)
    (records,) = comparative_records(_places([city]), OPERATOR)
    framework = build_framework(records, coder=coder)
    findings = diagnose_place(framework, thresholds)
    emit(diagnostics_table(framework, findings, thresholds), fmt, output)
