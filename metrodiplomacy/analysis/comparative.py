"""The comparative framework of the CIDOB study (seed 003, annex): each place on the study's four themes.

Governance scenario, planning group and whether negative externalities are measured are derived from
the records by the rules below and may be overridden by a `ClassificationCoding` of the place; the
result keeps the derived value with its reason and records, the coded value with its coder, and says
which one is used. docs/methodology.md (section "Comparative framework") states each rule with the
passage of the study it comes from.

Governance scenario (derived from who acts abroad): a government acts abroad when it, or an agency or
company hanging from it, has an international unit or a strategy recorded.
  1. a metropolitan government acts abroad and no city government does;
  2. exactly one city government acts abroad (the main city) and no metropolitan government does;
  3. a metropolitan government and at least one city government both act abroad, or several city
     governments do with no metropolitan government (each promotes its own).
Planning group (derived from the strategies of the governments based in the place itself and of the
bodies hanging from them): 1 when one is an integral international plan; else 2 when one is a
development plan with an internationalisation programme or a strategic plan; else 3 when there are
sectoral plans; else 4 (no written plan, at most an unwritten strategy).
Negative externalities measured: 1 when an indicator of kind "externality" of the territory's
organisations has an observed value, else 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from metrodiplomacy.analysis.capacity import (
    MILLION,
    Capacity,
    ExchangeRate,
    check_rates,
    measure_capacity,
)
from metrodiplomacy.analysis.comparative_profiles import (
    CooperationShare,
    CoordinationProfile,
    NetworkProfile,
    accountability_reports,
    cooperation_shares,
    profile_coordination,
    profile_networks,
)
from metrodiplomacy.analysis.comparative_records import (
    CITY_GOVERNMENT,
    LOCAL_GOVERNMENT_KINDS,
    METROPOLITAN_GOVERNMENT,
    CodingRecord,
    IndicatorRecord,
    PlaceRecords,
    Ref,
    ReportRecord,
    acting_governments,
    indicator_ref,
    names,
    strategy_ref,
)
from metrodiplomacy.analysis.tables import Table

GOVERNANCE_SCENARIO = "governance_scenario"
PLANNING_GROUP = "planning_group"
EXTERNALITIES_MEASURED = "externalities_measured"
SCENARIOS = {
    1: "metropolitan government manages",
    2: "main city manages",
    3: "metropolitan government and municipalities each act",
}
PLANNING_GROUPS = {
    1: "specific international plan",
    2: "inside a strategic or development plan",
    3: "sectoral plans only",
    4: "no prior planning",
}
EXTERNALITY_LEVELS = {0: "not measured", 1: "measured"}
LABELS = {GOVERNANCE_SCENARIO: SCENARIOS, PLANNING_GROUP: PLANNING_GROUPS, EXTERNALITIES_MEASURED: EXTERNALITY_LEVELS}

CATEGORY_LABELS = {
    "investment_attracted": "investment attracted",
    "headquarters_established": "headquarters established",
    "projects_and_financing": "projects and financing",
    "talent_attracted": "talent attracted",
    "jobs": "jobs",
    "fair_and_congress_visitors": "fair and congress visitors",
    "tourists": "tourists",
    "ranking_position": "ranking position",
    "funds_obtained": "funds obtained",
    "custom": "other measures",
}


@dataclass(frozen=True)
class Derivation:
    value: int | None
    reason: str
    records: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Classification:
    """A derived value, the codings of the place, and the one used (a coding beats the derivation)."""

    scheme: str
    derived: Derivation
    codings: tuple[CodingRecord, ...] = ()
    coded: int | None = None
    used: int | None = None
    source: str = "none"
    note: str = ""

    def describe(self, value: int | None) -> str:
        return "" if value is None else f"{value} ({LABELS[self.scheme].get(value, '?')})"


def classify(
    scheme: str, derived: Derivation, codings: Sequence[CodingRecord], coder: str | None = None
) -> Classification:
    """Combine a derivation with the codings of a scheme: one agreed coded value overrides the derived one."""
    relevant = tuple(c for c in codings if c.scheme == scheme and (coder is None or c.coder == coder))
    values = sorted({c.value for c in relevant})
    if len(values) == 1:
        return Classification(scheme, derived, relevant, values[0], values[0], "coded")
    note = ""
    if len(values) > 1:
        listed = "; ".join(f"{c.value} by {c.coder}" for c in relevant)
        note = f"coders disagree ({listed}), so the derived value is used; choose one coder with --coder"
    source = "derived" if derived.value is not None else "none"
    return Classification(scheme, derived, relevant, None, derived.value, source, note)


def derive_governance_scenario(records: PlaceRecords) -> Derivation:
    """Scenario 1, 2 or 3 from which metropolitan and city governments act abroad (module docstring)."""
    acting = acting_governments(records, LOCAL_GOVERNMENT_KINDS)
    kind = {key: records.organisation(key).kind for key in acting}  # type: ignore[union-attr]
    metro = [records.name_of(k) for k in acting if kind[k] == METROPOLITAN_GOVERNMENT]
    cities = [records.name_of(k) for k in acting if kind[k] == CITY_GOVERNMENT]
    evidence = tuple(ref for refs in acting.values() for ref in refs)
    idle_metro = [g.name for g in records.governments([METROPOLITAN_GOVERNMENT]) if g.key not in acting]
    if metro and not cities:
        return Derivation(
            1,
            f"{names(metro)} (metropolitan government) acts abroad with its own units or plans; "
            f"no city government of {records.name} does.",
            evidence,
        )
    if len(cities) == 1 and not metro:
        metro_part = (
            f"the metropolitan government ({names(idle_metro)}) has no international unit or plan recorded"
            if idle_metro
            else f"no metropolitan government of {records.name} acts abroad"
        )
        return Derivation(
            2, f"{cities[0]} (city government) acts abroad with its own units or plans; {metro_part}.", evidence
        )
    if cities and not metro:
        return Derivation(
            3,
            f"{len(cities)} city governments act abroad each on its own ({names(cities)}) "
            "and no metropolitan government does.",
            evidence,
        )
    if metro and cities:
        return Derivation(
            3,
            f"Both the metropolitan government ({names(metro)}) and {len(cities)} city government(s) "
            f"({names(cities)}) act abroad with their own units or plans.",
            evidence,
        )
    return Derivation(
        None, f"No metropolitan or city government of {records.name} has an international unit or plan recorded."
    )


def derive_planning_group(records: PlaceRecords) -> Derivation:
    """Planning group 1-4 from the strategies of the place's own governments (module docstring)."""
    own = [g for g in records.own_governments()]
    if not own:
        return Derivation(None, f"No government based in {records.name} itself is recorded.")
    own_keys = {g.key for g in own}
    plans = [s for s in records.strategies if records.acts_for(s.organisation, own_keys)]

    def listed(kinds: tuple[str, ...]) -> list:
        return [s for s in plans if s.kind in kinds]

    integral = listed(("integral_international_plan",))
    embedded = listed(("development_plan_internationalisation", "strategic_plan"))
    sectoral = listed(("sectoral_plan",))
    unwritten = listed(("informal_strategy",))

    def refs(strategies: list) -> tuple[Ref, ...]:
        return tuple(strategy_ref(records, s) for s in strategies)

    if integral:
        return Derivation(
            1, f"{names([s.name for s in integral])}: a specific plan for international action.", refs(integral)
        )
    if embedded:
        return Derivation(
            2,
            f"No specific international plan; international action is part of {names([s.name for s in embedded])}.",
            refs(embedded + sectoral),
        )
    if sectoral:
        titled = [f"{s.name} ({(s.sector or 'sector not stated').replace('_', ' ')})" for s in sectoral]
        return Derivation(
            3,
            f"No specific international plan nor strategic or development plan with international content; "
            f"only sectoral plans: {names(titled)}.",
            refs(sectoral),
        )
    unwritten_part = f"; only an unwritten strategy: {names([s.name for s in unwritten])}" if unwritten else ""
    return Derivation(
        4, f"No written plan of {names([g.name for g in own])} is recorded{unwritten_part}.", refs(unwritten)
    )


def externality_indicators(records: PlaceRecords) -> tuple[list[IndicatorRecord], list[IndicatorRecord]]:
    """The territory's externality indicators: those with observed values, and those only named."""
    externality = [i for i in records.indicators if i.kind == "externality"]
    return [i for i in externality if i.observations], [i for i in externality if not i.observations]


def derive_externalities_measured(records: PlaceRecords) -> Derivation:
    measured, named = externality_indicators(records)
    if measured:
        return Derivation(
            1,
            f"{len(measured)} externality indicator(s) have observed values: {names([i.name for i in measured])}.",
            tuple(indicator_ref(records, i) for i in measured),
        )
    if named:
        return Derivation(
            0,
            f"{len(named)} externality indicator(s) are named ({names([i.name for i in named])}) "
            "but none has an observed value.",
            tuple(indicator_ref(records, i) for i in named),
        )
    return Derivation(0, f"No indicator of a negative externality is recorded for the organisations of {records.name}.")


@dataclass(frozen=True)
class PlaceFramework:
    """One place on the study's four themes, with the classification rules applied."""

    records: PlaceRecords
    governance: Classification
    planning: Classification
    externalities: Classification
    acting: dict[str, list[Ref]]
    capacity: Capacity
    cooperation_capacity: Capacity
    networks: NetworkProfile
    coordination: CoordinationProfile
    follow_up: tuple[str, ...]
    reports: tuple[tuple[ReportRecord, ...], tuple[ReportRecord, ...]]
    shares: tuple[CooperationShare, ...]
    rates: tuple[ExchangeRate, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.records.name


def build_framework(
    records: PlaceRecords, rates: Sequence[ExchangeRate] = (), coder: str | None = None
) -> PlaceFramework:
    """Apply every rule of the framework to one place's records."""
    check_rates(rates)
    complete, partial = accountability_reports(records)
    measured = {i.category for i in records.indicators if i.kind != "externality"}
    variables = tuple(label for category, label in CATEGORY_LABELS.items() if category in measured)
    return PlaceFramework(
        records=records,
        governance=classify(GOVERNANCE_SCENARIO, derive_governance_scenario(records), records.codings, coder),
        planning=classify(PLANNING_GROUP, derive_planning_group(records), records.codings, coder),
        externalities=classify(EXTERNALITIES_MEASURED, derive_externalities_measured(records), records.codings, coder),
        acting=acting_governments(records),
        capacity=measure_capacity(records, rates),
        cooperation_capacity=measure_capacity(records, rates, specialties=("cooperation",)),
        networks=profile_networks(records),
        coordination=profile_coordination(records),
        follow_up=variables,
        reports=(tuple(complete), tuple(partial)),
        shares=tuple(cooperation_shares(records)),
        rates=tuple(rates),
    )


def compare(
    places: Sequence[PlaceRecords], rates: Sequence[ExchangeRate] = (), coder: str | None = None
) -> list[PlaceFramework]:
    """The framework for each place, in the order given."""
    return [build_framework(records, rates, coder) for records in places]


CHART_COLUMNS = ("place", "measure", "value", "unit")


def capacity_chart_table(frameworks: Sequence[PlaceFramework]) -> Table:
    """Staff and budgets long: one row per place, measure and unit (budgets in millions of their currency).

    Budgets in different currencies stay in separate rows; converted totals appear only when the user
    gave rates, as the measure "budget, converted".
    """
    rows: list[tuple] = []
    notes: list[str] = []
    for framework in frameworks:
        capacity = framework.capacity
        rows.append((framework.name, "staff", capacity.staff, "persons"))
        for currency, amount in capacity.budgets.items():
            rows.append((framework.name, "budget", amount / MILLION, f"{currency} million"))
        if capacity.conversion is not None:
            conversion = capacity.conversion
            # A conversion is an estimate: hundredths of a million are as precise as the stated rate allows.
            converted = (conversion.amount / MILLION).quantize(Decimal("0.01"))
            rows.append((framework.name, "budget, converted", converted, f"{conversion.currency} million"))
            if conversion.not_converted:
                notes.append(
                    f"{framework.name}: no rate given for {', '.join(conversion.not_converted)}, "
                    "so that much is left out of the conversion."
                )
        if capacity.staff_unknown:
            notes.append(f"{framework.name}: {capacity.staff_unknown} counted unit(s) have no staff figure.")
    if frameworks and frameworks[0].rates:
        notes.append("Converted at rates stated by the user: " + "; ".join(str(r) for r in frameworks[0].rates) + ".")
    notes.append("Budgets are summed per currency as recorded; no figure is converted without a stated rate.")
    return Table.build("International staff and budgets", CHART_COLUMNS, rows, notes)
