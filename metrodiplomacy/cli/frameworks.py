"""`metrodip matrix`, `metrodip derive` and `metrodip agreement`: the thesis' reliance matrix and its checks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from metrodiplomacy.cli import _fail, app
from metrodiplomacy.cli.output import FORMAT_OPTION_HELP, OUTPUT_OPTION_HELP, Format, emit

PLACES_HELP = "Places (names or keys); default: every place with reliance codings, by name."
FRAMEWORK_HELP = "Policy-area framework: thesis-seven-areas or extended."


class View(StrEnum):
    combined = "combined"
    cities = "cities"
    findings = "findings"
    counts = "counts"
    groups = "groups"
    disagreements = "disagreements"
    long = "long"


def _selection(places: list[str], framework: str):
    """The places and areas a command works on, through the operator's view of the data."""
    from metrodiplomacy.observatory.inputs.reliance import UnknownName, coded_places, framework_areas, resolve_places
    from metrodiplomacy.records import OPERATOR

    try:
        areas = framework_areas(framework)
        selected = resolve_places(places) if places else coded_places(OPERATOR, areas)
    except UnknownName as error:
        _fail(str(error))
    if not selected:
        _fail("No place has reliance codings in this framework; name the places to use.")
    return selected, areas


def _groups(selected, group: list[str]) -> dict[str, str]:
    """Global North / South by default; `--group LABEL=place,place` names any other grouping."""
    from metrodiplomacy.observatory.inputs.reliance import UnknownName, labels, north_south_groups, resolve_places

    if not group:
        return north_south_groups(selected)
    label = labels(selected)
    groups: dict[str, str] = {}
    for spec in group:
        name, _, members = spec.partition("=")
        if not name or not members:
            _fail(f"--group {spec!r}: write LABEL=place,place")
        try:
            for place in resolve_places([m.strip() for m in members.split(",") if m.strip()]):
                if place.pk not in label:
                    _fail(f"--group {name}: {place.name} is not among the selected places")
                groups[label[place.pk]] = name
        except UnknownName as error:
            _fail(f"--group {name}: {error}")
    return groups


def _heatmap(long_table):
    def draw(fmt: str) -> bytes:
        from metrodiplomacy.analysis.charts import reliance_heatmap, render

        return render(reliance_heatmap(long_table), fmt)

    return draw


@app.command()
def matrix(
    places: list[str] = typer.Argument(None, help=PLACES_HELP),
    framework: str = typer.Option("thesis-seven-areas", help=FRAMEWORK_HELP),
    view: View = typer.Option(
        View.combined,
        help="combined matrix (Figure 11), cities (one table each, Figures 3, 6, 8, 10), findings, counts, "
        "groups, disagreements between coders, or long (one row per cell).",
    ),
    group: list[str] = typer.Option(
        None, help="A group of places, LABEL=place,place (repeat); default: Global North / Global South."
    ),
    more_than: int = typer.Option(3, help="Findings: list cities relying on international action in more areas."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path = typer.Option(None, help=OUTPUT_OPTION_HELP),
) -> None:
    """Print the reliance matrix of places × policy areas, its per-city tables and its computed findings."""
    from metrodiplomacy.analysis import findings as found
    from metrodiplomacy.analysis import reliance
    from metrodiplomacy.observatory.inputs.reliance import labels, reliance_codings
    from metrodiplomacy.records import OPERATOR

    selected, areas = _selection(places or [], framework)
    names = list(labels(selected).values())
    built = reliance.build_matrix(reliance_codings(OPERATOR, selected, areas), names, areas)
    groups = _groups(selected, group or [])
    results = found.compute_findings(built, groups, more_than)
    tables = {
        View.combined: [reliance.matrix_table(built)],
        View.cities: reliance.place_tables(built),
        View.findings: [found.findings_table(results)],
        View.counts: [found.counts_table(built)],
        View.groups: [found.group_table(built, groups)],
        View.disagreements: [reliance.disagreement_table(built)],
        View.long: [reliance.long_table(built)],
    }[view]
    if view is View.combined and fmt is Format.table and output is None:
        # On screen the matrix is read with what it shows.
        tables = tables + [found.findings_table(results)]
    emit(tables, fmt, output, chart=_heatmap(reliance.long_table(built)))


def _rule(relies_at: float, neutral_at: float, weight: list[str]):
    from metrodiplomacy.analysis.derivation import DEFAULT_WEIGHTS, DerivationRule

    weights = dict(DEFAULT_WEIGHTS)
    for spec in weight:
        kind, _, value = spec.partition("=")
        try:
            weights[kind] = float(value)
        except ValueError:
            _fail(f"--weight {spec!r}: write KIND=NUMBER, e.g. engagement=0.5")
    try:
        return DerivationRule(weights=weights, relies_at=relies_at, neutral_at=neutral_at)
    except ValueError as error:
        _fail(f"Derivation rule: {error}")


RELIES_AT_HELP = "Score from which a cell is proposed as + (relies)."
NEUTRAL_AT_HELP = "Score from which a cell is proposed as 0 (neutral); below it, -."
WEIGHT_HELP = "Override a weight, KIND=NUMBER (agreement, initiative, cooperation_project, engagement, membership)."


def _derive(selected, areas, rule):
    from metrodiplomacy.analysis.derivation import derive
    from metrodiplomacy.observatory.inputs.reliance import labels, reliance_evidence
    from metrodiplomacy.records import OPERATOR

    names = list(labels(selected).values())
    return names, derive(reliance_evidence(OPERATOR, selected, areas), names, areas, rule)


@app.command()
def derive(
    places: list[str] = typer.Argument(None, help=PLACES_HELP),
    framework: str = typer.Option("thesis-seven-areas", help=FRAMEWORK_HELP),
    relies_at: float = typer.Option(1.0, help=RELIES_AT_HELP),
    neutral_at: float = typer.Option(0.2, help=NEUTRAL_AT_HELP),
    weight: list[str] = typer.Option(None, help=WEIGHT_HELP),
    records: bool = typer.Option(True, help="Also list each cell's score and the records that drove it."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path = typer.Option(None, help=OUTPUT_OPTION_HELP),
) -> None:
    """Propose reliance levels from recorded agreements, memberships, initiatives, projects and engagements."""
    from metrodiplomacy.analysis import reliance
    from metrodiplomacy.analysis.derivation import derived_matrix, drivers_table, rule_note

    selected, areas = _selection(places or [], framework)
    rule = _rule(relies_at, neutral_at, weight or [])
    names, proposals = _derive(selected, areas, rule)
    built = derived_matrix(proposals, names, areas)
    combined = reliance.matrix_table(built, "Reliance levels derived from the records")
    combined = type(combined)(combined.title, combined.columns, combined.rows, (*combined.notes, rule_note(rule)))
    tables = [combined, drivers_table(proposals, areas, rule)] if records else [combined]
    emit(tables, fmt, output, chart=_heatmap(reliance.long_table(built, "Reliance levels derived from the records")))


@app.command()
def agreement(
    places: list[str] = typer.Argument(None, help=PLACES_HELP),
    framework: str = typer.Option("thesis-seven-areas", help=FRAMEWORK_HELP),
    coder: list[str] = typer.Option(
        None, help="Compare two coders (give --coder twice) instead of the consensus against the derived levels."
    ),
    relies_at: float = typer.Option(1.0, help=RELIES_AT_HELP),
    neutral_at: float = typer.Option(0.2, help=NEUTRAL_AT_HELP),
    weight: list[str] = typer.Option(None, help=WEIGHT_HELP),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path = typer.Option(None, help=OUTPUT_OPTION_HELP),
) -> None:
    """Report agreement between coded and derived levels (or two coders): per cell, percent, Cohen's kappa."""
    from metrodiplomacy.analysis import agreement as agree
    from metrodiplomacy.analysis import reliance
    from metrodiplomacy.observatory.inputs.reliance import labels, reliance_codings
    from metrodiplomacy.records import OPERATOR

    selected, areas = _selection(places or [], framework)
    names = list(labels(selected).values())
    codings = reliance_codings(OPERATOR, selected, areas)
    if coder:
        if len(coder) != 2:
            _fail("Give --coder exactly twice.")
        by_coder = [{(c.place, c.area): c.level for c in codings if c.coder == name} for name in coder]
        for name, found in zip(coder, by_coder, strict=True):
            if not found:
                _fail(f"No reliance coding by {name!r} for these places.")
        report = agree.compare_codings(by_coder[0], by_coder[1], coder[0], coder[1])
    else:
        coded = reliance.build_matrix(codings, names, areas).levels()
        _names, proposals = _derive(selected, areas, _rule(relies_at, neutral_at, weight or []))
        derived = {cell: proposal.level for cell, proposal in proposals.items()}
        report = agree.compare_codings(coded, derived, "coded", "derived")
    area_names = {area.code: area.name for area in areas}
    per_place = [
        agree.summary_table(
            agree.compare_codings(
                {k: a for k, a, _b in report.cells if k[0] == name},
                {k: b for k, _a, b in report.cells if k[0] == name},
                report.first_label,
                report.second_label,
            ),
            f"{name}: {report.first_label} against {report.second_label}",
        )
        for name in names
        if any(k[0] == name for k, _a, _b in report.cells)
    ]
    emit(
        [
            agree.summary_table(report),
            agree.cell_table(report, lambda cell: (cell[0], area_names[cell[1]])),
            agree.confusion_table(report),
            *per_place,
        ],
        fmt,
        output,
    )
