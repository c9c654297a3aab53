"""The comparative framework as tables: the study's four themes side by side, then the details behind them.

Theme tables have one row per measure and one column per place. Detail tables are long (one row per
unit, network seat or coordination mechanism), and the last table names, for every derived or coded
value, the rule's reason and the records that drove it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from metrodiplomacy.analysis.capacity import format_budgets, format_money, format_staff, format_unit_budget
from metrodiplomacy.analysis.comparative import Classification, PlaceFramework
from metrodiplomacy.analysis.comparative_profiles import (
    LOGICS,
    cooperation_shares_text,
    role_label,
    statistic_amount,
)
from metrodiplomacy.analysis.comparative_records import (
    Ref,
    coding_ref,
    mechanism_ref,
    membership_ref,
    names,
    refs_text,
    report_ref,
    unit_ref,
)
from metrodiplomacy.analysis.tables import Cell, Table

OUTREACH_SECTORS = ("economic_internationalisation", "investment_promotion", "tourism", "culture", "science_diplomacy")
OUTREACH_CATEGORIES = (
    "investment_attracted",
    "headquarters_established",
    "talent_attracted",
    "fair_and_congress_visitors",
    "tourists",
    "ranking_position",
)
Row = Callable[[PlaceFramework], Cell]


def _side_by_side(title: str, frameworks: Sequence[PlaceFramework], rows: Sequence[tuple[str, Row]], notes=()) -> Table:
    columns = ("measure", *(framework.name for framework in frameworks))
    return Table.build(title, columns, [(label, *(row(f) for f in frameworks)) for label, row in rows], notes)


def _used(classification: Classification) -> str:
    if classification.used is None:
        return "not derivable"
    return f"{classification.describe(classification.used)}, {classification.source}"


def _coded(classification: Classification) -> str:
    if not classification.codings:
        return ""
    return "; ".join(f"{c.value} by {c.coder}" for c in classification.codings)


def _derived(classification: Classification) -> str:
    return classification.describe(classification.derived.value) or "not derivable"


def _listed(items: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(items))


def governance_table(frameworks: Sequence[PlaceFramework]) -> Table:
    """Theme 1: how each place governs its external action."""

    def budget(f: PlaceFramework) -> str:
        return format_budgets(f.capacity.budgets)

    def logics(f: PlaceFramework) -> str:
        return _listed(f"{LOGICS[logic]} ({len(found)})" for logic, found in f.coordination.by_logic().items())

    def overall(f: PlaceFramework) -> str:
        whole = f.coordination.whole_territory
        return f"yes: {names([m.name for m in whole])}" if whole else "none recorded"

    def report(f: PlaceFramework) -> str:
        complete, partial = f.reports
        if complete:
            return f"yes: {names([r.title for r in complete])}"
        return f"no; partial: {names([r.title for r in partial])}" if partial else "none recorded"

    rows: list[tuple[str, Row]] = [
        ("governance scenario (used)", lambda f: _used(f.governance)),
        ("governance scenario, derived", lambda f: _derived(f.governance)),
        ("governance scenario, coded", lambda f: _coded(f.governance)),
        ("planning group (used)", lambda f: _used(f.planning)),
        ("planning group, derived", lambda f: _derived(f.planning)),
        ("planning group, coded", lambda f: _coded(f.planning)),
        ("governments acting abroad", lambda f: len(f.acting)),
        ("international units", lambda f: len(f.capacity.units)),
        ("international staff", lambda f: f.capacity.staff),
        ("budget of the units, per currency", budget),
    ]
    if frameworks and frameworks[0].rates:
        rows.append(
            (
                "budget, converted at the stated rates",
                lambda f: (
                    format_money(f.capacity.conversion.amount, f.capacity.conversion.currency)
                    if f.capacity.conversion
                    else ""
                ),
            )
        )
    rows += [
        ("stakeholder-coordination logics", logics),
        ("overall coordination mechanism for the whole territory", overall),
        ("follow-up variables measured", lambda f: _listed(f.follow_up) or "none recorded"),
        ("negative externalities measured (used)", lambda f: _used(f.externalities)),
        ("negative externalities, derived", lambda f: _derived(f.externalities)),
        ("public accountability report with results", report),
    ]
    notes = [
        "Used: a coding of the place when its coders agree, else the value derived by the stated rule.",
        "Staff and budgets count the international units of metropolitan and city governments and of the "
        "bodies hanging from them; two records of one unit are counted once.",
        "Budgets are summed per currency only; a conversion appears only with rates the user states.",
    ]
    notes += [
        f"{f.name}: {c.scheme.replace('_', ' ')}: {c.note}."
        for f in frameworks
        for c in (f.governance, f.planning, f.externalities)
        if c.note
    ]
    if frameworks and frameworks[0].rates:
        notes.append("Rates stated by the user: " + "; ".join(str(rate) for rate in frameworks[0].rates) + ".")
    notes.append(_totals(frameworks))
    return _side_by_side("Governance", frameworks, rows, notes)


def _totals(frameworks: Sequence[PlaceFramework]) -> str:
    """The places compared taken together: units, staff and budgets per currency."""
    budgets: dict[str, Decimal] = {}
    for f in frameworks:
        for currency, amount in f.capacity.budgets.items():
            budgets[currency] = budgets.get(currency, Decimal(0)) + amount
    units = sum(len(f.capacity.units) for f in frameworks)
    staff = sum(f.capacity.staff for f in frameworks)
    money = format_budgets(dict(sorted(budgets.items()))) or "no budget recorded"
    return f"The {len(frameworks)} places together: {units} international units, {staff} staff, {money}."


def diplomacy_table(frameworks: Sequence[PlaceFramework]) -> Table:
    """Theme 2: city diplomacy through networks, agreements and hosted bodies."""
    rows: list[tuple[str, Row]] = [
        ("network seats", lambda f: len(f.networks.seats)),
        ("networks", lambda f: len(f.networks.networks)),
        ("prioritised networks", lambda f: len(f.networks.prioritised)),
        ("prioritised networks, named", lambda f: _listed(f.networks.prioritised)),
        ("networks of unknown priority", lambda f: len(f.networks.unknown_priority)),
        ("leading roles in networks", lambda f: _listed(f.networks.leadership)),
        ("network bodies hosted", lambda f: _listed(f.networks.hosted)),
        ("network congresses hosted", lambda f: _listed(f.networks.congresses)),
        ("agreements recorded", lambda f: len(f.records.agreements)),
        (
            "international organisations hosted",
            lambda f: _listed(
                h.organisation_name for h in f.records.hostings if h.organisation_kind == "international_organisation"
            ),
        ),
    ]
    return _side_by_side(
        "City diplomacy",
        frameworks,
        rows,
        ["A network counts as prioritised when a seat of the territory in it is marked prioritised."],
    )


def outreach_table(frameworks: Sequence[PlaceFramework]) -> Table:
    """Theme 3: international outreach for the city's socioeconomic development."""

    def promotion(f: PlaceFramework) -> list:
        return [c for c in f.capacity.units if c.unit.specialty == "economic_promotion"]

    def agencies(f: PlaceFramework) -> str:
        found = []
        for organisation in f.records.organisations:
            if organisation.kind == "agency":
                body = f.records.governing_body(organisation.key)
                found.append(f"{organisation.name} ({f'of {body.name}' if body else 'independent'})")
        return _listed(found)

    rows: list[tuple[str, Row]] = [
        ("promotion and cooperation agencies", agencies),
        ("economic promotion units", lambda f: len(promotion(f))),
        ("economic promotion staff", lambda f: sum(c.unit.staff or 0 for c in promotion(f))),
        (
            "outreach plans",
            lambda f: _listed(
                s.name for s in f.records.strategies if s.kind == "sectoral_plan" and s.sector in OUTREACH_SECTORS
            ),
        ),
        (
            "headquarters and offices hosted",
            lambda f: _listed(
                f"{h.organisation_name} ({h.kind.replace('_', ' ')})"
                for h in f.records.hostings
                if h.organisation_kind != "city_network"
            ),
        ),
        (
            "ranking positions",
            lambda f: _listed(f"{r.ranking}{f' {r.year}' if r.year else ''}: {r.position}" for r in f.records.rankings),
        ),
        (
            "outreach indicators",
            lambda f: _listed(
                i.name for i in f.records.indicators if i.category in OUTREACH_CATEGORIES and i.kind != "externality"
            ),
        ),
    ]
    return _side_by_side("International outreach", frameworks, rows)


def cooperation_table(frameworks: Sequence[PlaceFramework]) -> Table:
    """Theme 4: decentralised cooperation."""

    def stated(f: PlaceFramework) -> str:
        budgets = [s for s in f.records.statistics if s.metric == "cooperation_budget" and s.organisation is not None]
        return _listed(
            f"{f.records.name_of(s.organisation)}: {format_money(statistic_amount(s), s.unit)}" for s in budgets
        )

    rows: list[tuple[str, Row]] = [
        ("cooperation units", lambda f: len(f.cooperation_capacity.units)),
        ("cooperation staff", lambda f: f.cooperation_capacity.staff),
        ("cooperation units' budgets", lambda f: format_budgets(f.cooperation_capacity.budgets)),
        ("cooperation budgets stated", stated),
        (
            "cooperation plans",
            lambda f: _listed(
                s.name for s in f.records.strategies if s.kind == "sectoral_plan" and s.sector == "cooperation"
            ),
        ),
        ("cooperation projects", lambda f: len(f.records.projects)),
        (
            "modalities",
            lambda f: _listed(p.modality.replace("_", "–") for p in f.records.projects if p.modality),
        ),
        ("share of the budget for cooperation", lambda f: cooperation_shares_text(f.shares)),
    ]
    return _side_by_side(
        "Decentralised cooperation",
        frameworks,
        rows,
        [
            "Share: cooperation budget over the government's total budget when both are recorded, else a share the "
            "source states; otherwise the missing record is named."
        ],
    )


def _figures(unit) -> str:
    return ", ".join(text for text in (format_staff(unit), format_unit_budget(unit)) if text) or "no figures"


def units_table(frameworks: Sequence[PlaceFramework]) -> Table:
    """Every unit counted in the capacity figures, with any other reading of it."""
    rows = []
    notes = []
    for f in frameworks:
        for counted in f.capacity.units:
            unit = counted.unit
            rows.append(
                (
                    f.name,
                    f.records.name_of(unit.organisation),
                    unit.name,
                    unit.specialty.replace("_", " "),
                    format_staff(unit),
                    format_unit_budget(unit),
                    unit.key,
                    "; ".join(f"{alt.key}: {_figures(alt)}" for alt in counted.alternatives),
                )
            )
        if f.capacity.left_out:
            notes.append(
                f"{f.name}: not counted (not a metropolitan or city government's unit): "
                + "; ".join(str(unit_ref(f.records, unit)) for unit in f.capacity.left_out)
                + "."
            )
    columns = ("place", "organisation", "unit", "specialty", "staff", "budget", "record", "other readings")
    return Table.build("International units counted", columns, rows, notes)


def networks_table(frameworks: Sequence[PlaceFramework]) -> Table:
    rows = [
        (
            f.name,
            f.records.name_of(seat.member),
            seat.network_name,
            seat.is_prioritised,
            "; ".join(role_label(role, year) for role, year in seat.roles),
            seat.key,
        )
        for f in frameworks
        for seat in f.networks.seats
    ]
    return Table.build(
        "Network seats and roles", ("place", "member", "network", "prioritised", "roles", "record"), rows
    )


def mechanisms_table(frameworks: Sequence[PlaceFramework]) -> Table:
    rows = [
        (
            f.name,
            mechanism.name,
            LOGICS.get(mechanism.logic, mechanism.logic),
            mechanism.scope or "not stated",
            f.records.name_of(mechanism.convenor) if mechanism.convenor else "",
            mechanism in f.coordination.whole_territory,
            mechanism.key,
        )
        for f in frameworks
        for mechanism in f.coordination.mechanisms
    ]
    columns = ("place", "mechanism", "logic", "scope", "convenor", "covers the whole territory", "record")
    return Table.build("Coordination mechanisms", columns, rows)


def _classification_rows(f: PlaceFramework, label: str, c: Classification) -> list[tuple]:
    rows = [
        (f.name, f"{label}, derived", _derived(c), c.derived.reason, refs_text(c.derived.records)),
    ]
    for coding in c.codings:
        cited = f" Cited: {' | '.join(coding.citations)}." if coding.citations else ""
        rows.append(
            (f.name, f"{label}, coded", str(coding.value), f"{coding.rationale}{cited}", str(coding_ref(coding)))
        )
    rows.append((f.name, f"{label}, used", _used(c), c.note or f"the {c.source} value", ""))
    return rows


def evidence_table(frameworks: Sequence[PlaceFramework]) -> Table:
    """For each place: every classification's reason and records, and the records behind the other measures."""
    rows: list[tuple] = []
    for f in frameworks:
        rows += _classification_rows(f, "governance scenario", f.governance)
        rows += _classification_rows(f, "planning group", f.planning)
        rows += _classification_rows(f, "negative externalities measured", f.externalities)
        acting: list[Ref] = [ref for refs in f.acting.values() for ref in refs]
        rows.append(
            (
                f.name,
                "governments acting abroad",
                len(f.acting),
                names([f.records.name_of(k) for k in f.acting]),
                refs_text(acting),
            )
        )
        rows.append(
            (
                f.name,
                "international units",
                len(f.capacity.units),
                "units counted",
                refs_text(unit_ref(f.records, c.unit) for c in f.capacity.units),
            )
        )
        rows.append(
            (
                f.name,
                "network seats",
                len(f.networks.seats),
                "",
                refs_text(membership_ref(f.records, m) for m in f.networks.seats),
            )
        )
        rows.append(
            (
                f.name,
                "coordination mechanisms",
                len(f.coordination.mechanisms),
                "",
                refs_text(mechanism_ref(m) for m in f.coordination.mechanisms),
            )
        )
        complete, partial = f.reports
        rows.append(
            (
                f.name,
                "accountability reports",
                len(complete) + len(partial),
                f"{len(complete)} with results for a whole organisation or territory",
                refs_text(report_ref(f.records, r) for r in (*complete, *partial)),
            )
        )
        for share in f.shares:
            rows.append(
                (
                    f.name,
                    f"cooperation share, {share.organisation_name}",
                    "" if share.share is None else float(share.share),
                    share.basis or "missing: " + ", ".join(share.missing),
                    refs_text(share.records),
                )
            )
    return Table.build("Records behind each value", ("place", "measure", "value", "reason", "records"), rows)


def comparison_tables(frameworks: Sequence[PlaceFramework]) -> list[Table]:
    """The four themes side by side, then units, network seats, mechanisms and the records behind each value."""
    return [
        governance_table(frameworks),
        diplomacy_table(frameworks),
        outreach_table(frameworks),
        cooperation_table(frameworks),
        units_table(frameworks),
        networks_table(frameworks),
        mechanisms_table(frameworks),
        evidence_table(frameworks),
    ]
