"""The plain records the comparative framework reads, and who in a territory acts for whom.

The query layer (`metrodiplomacy.observatory.inputs.comparative`) fills these from the visible records
of one place and the places inside it; nothing here touches the database, so the rules of
`metrodiplomacy.analysis.comparative` can be tested on hand-made values.

A territory's actors are the organisations based in the place or in a place inside it, city networks,
international organisations and diplomatic missions left out (they are hosted, not the territory's
own). Agencies and public companies act for the government they hang from: `governing_body` walks
the parent chain up to the first government of the territory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

METROPOLITAN_GOVERNMENT = "metropolitan_government"
CITY_GOVERNMENT = "city_government"
# The governance scenarios are about these two tiers (seed 003, lines 758-772).
LOCAL_GOVERNMENT_KINDS = (METROPOLITAN_GOVERNMENT, CITY_GOVERNMENT)
GOVERNMENT_KINDS = (METROPOLITAN_GOVERNMENT, CITY_GOVERNMENT, "regional_government", "national_government")
# Units whose specialty is one of these are international management units; "other" units (an airport
# monitoring office) are not counted as international capacity.
INTERNATIONAL_SPECIALTIES = (
    "international_relations",
    "economic_promotion",
    "european_affairs",
    "cooperation",
    "knowledge_management",
    "communications",
    "representation_office",
)


@dataclass(frozen=True)
class Ref:
    """A record behind a value: its data-package table, key and a title a reader recognises."""

    table: str
    key: str
    title: str

    def __str__(self) -> str:
        return f"{self.key} ({self.title})"


@dataclass(frozen=True)
class OrganisationRecord:
    key: str
    name: str
    kind: str
    parent: str | None = None
    home_place: str | None = None


@dataclass(frozen=True)
class UnitRecord:
    key: str
    organisation: str
    name: str
    specialty: str
    staff: int | None = None
    staff_qualifier: str = "exact"
    budget: Decimal | None = None
    budget_scale: str = "units"
    budget_qualifier: str = "exact"
    budget_currency: str = ""
    budget_year: int | None = None
    flag: str = ""


@dataclass(frozen=True)
class StrategyRecord:
    key: str
    organisation: str
    name: str
    kind: str
    sector: str = ""
    year_start: int | None = None
    year_end: int | None = None
    is_participatory: bool | None = None


@dataclass(frozen=True)
class MembershipRecord:
    key: str
    network: str
    network_name: str
    member: str
    is_prioritised: bool | None = None
    roles: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class MechanismRecord:
    key: str
    name: str
    kind: str
    logic: str
    scope: str = ""
    convenor: str | None = None
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorRecord:
    key: str
    organisation: str
    name: str
    category: str
    kind: str
    observations: int = 0


@dataclass(frozen=True)
class HostingRecord:
    key: str
    place: str
    organisation: str
    organisation_name: str
    organisation_kind: str
    kind: str
    organisation_acronym: str = ""


@dataclass(frozen=True)
class StatisticRecord:
    key: str
    metric: str
    value: Decimal
    unit: str
    organisation: str | None = None
    place: str | None = None
    year: int | None = None
    scale: str = "units"
    qualifier: str = "exact"


@dataclass(frozen=True)
class ProjectRecord:
    key: str
    title: str
    modality: str = ""
    funders: tuple[str, ...] = ()
    implementers: tuple[str, ...] = ()
    budget: Decimal | None = None
    budget_scale: str = "units"
    budget_currency: str = ""


@dataclass(frozen=True)
class ReportRecord:
    key: str
    organisation: str
    title: str
    kind: str
    coverage: str
    sector: str = ""
    reports_results: bool | None = None
    year: int | None = None


@dataclass(frozen=True)
class RankingRecord:
    key: str
    place: str
    ranking: str
    position: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class AgreementRecord:
    key: str
    title: str
    kind: str


@dataclass(frozen=True)
class CodingRecord:
    key: str
    scheme: str
    value: int
    coder: str
    rationale: str = ""
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceRecords:
    """Everything the framework reads about one place: the place, the places inside it, and their records."""

    key: str
    name: str
    kind: str = "city"
    place_keys: tuple[str, ...] = ()
    organisations: tuple[OrganisationRecord, ...] = ()
    units: tuple[UnitRecord, ...] = ()
    strategies: tuple[StrategyRecord, ...] = ()
    memberships: tuple[MembershipRecord, ...] = ()
    mechanisms: tuple[MechanismRecord, ...] = ()
    indicators: tuple[IndicatorRecord, ...] = ()
    hostings: tuple[HostingRecord, ...] = ()
    statistics: tuple[StatisticRecord, ...] = ()
    projects: tuple[ProjectRecord, ...] = ()
    reports: tuple[ReportRecord, ...] = ()
    rankings: tuple[RankingRecord, ...] = ()
    agreements: tuple[AgreementRecord, ...] = ()
    codings: tuple[CodingRecord, ...] = ()
    _by_key: dict[str, OrganisationRecord] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_key.update({organisation.key: organisation for organisation in self.organisations})
        if not self.place_keys:
            object.__setattr__(self, "place_keys", (self.key,))

    def organisation(self, key: str | None) -> OrganisationRecord | None:
        return self._by_key.get(key or "")

    def name_of(self, key: str | None) -> str:
        organisation = self.organisation(key)
        return organisation.name if organisation else (key or "")

    def governing_body(self, key: str | None) -> OrganisationRecord | None:
        """The government of the territory an organisation acts for: itself, or its nearest parent that is one."""
        seen: set[str] = set()
        organisation = self.organisation(key)
        while organisation is not None and organisation.key not in seen:
            if organisation.kind in GOVERNMENT_KINDS:
                return organisation
            seen.add(organisation.key)
            organisation = self.organisation(organisation.parent)
        return None

    def governments(self, kinds: Iterable[str] = GOVERNMENT_KINDS) -> list[OrganisationRecord]:
        wanted = set(kinds)
        return [organisation for organisation in self.organisations if organisation.kind in wanted]

    def own_governments(self) -> list[OrganisationRecord]:
        """The governments based in the place itself, not in a place inside it (the AMB, not Gavà City Council)."""
        return [organisation for organisation in self.governments() if organisation.home_place == self.key]

    def acts_for(self, organisation_key: str | None, government_keys: Iterable[str]) -> bool:
        body = self.governing_body(organisation_key)
        return body is not None and body.key in set(government_keys)

    def international_units(self) -> list[UnitRecord]:
        return [unit for unit in self.units if unit.specialty in INTERNATIONAL_SPECIALTIES]


def unit_ref(records: PlaceRecords, unit: UnitRecord) -> Ref:
    return Ref("units", unit.key, f"{unit.name}, {records.name_of(unit.organisation)}")


def strategy_ref(records: PlaceRecords, strategy: StrategyRecord) -> Ref:
    return Ref("strategies", strategy.key, f"{strategy.name}, {records.name_of(strategy.organisation)}")


def organisation_ref(organisation: OrganisationRecord) -> Ref:
    return Ref("organisations", organisation.key, organisation.name)


def mechanism_ref(mechanism: MechanismRecord) -> Ref:
    return Ref("coordination_mechanisms", mechanism.key, mechanism.name)


def indicator_ref(records: PlaceRecords, indicator: IndicatorRecord) -> Ref:
    return Ref("indicators", indicator.key, f"{indicator.name}, {records.name_of(indicator.organisation)}")


def coding_ref(coding: CodingRecord) -> Ref:
    return Ref("classification_codings", coding.key, f"{coding.scheme} {coding.value} by {coding.coder}")


def statistic_ref(records: PlaceRecords, statistic: StatisticRecord) -> Ref:
    subject = records.name_of(statistic.organisation) if statistic.organisation else statistic.place or ""
    return Ref("statistics", statistic.key, f"{statistic.metric}, {subject}")


def report_ref(records: PlaceRecords, report: ReportRecord) -> Ref:
    return Ref("accountability_reports", report.key, f"{report.title}, {records.name_of(report.organisation)}")


def membership_ref(records: PlaceRecords, membership: MembershipRecord) -> Ref:
    return Ref(
        "network_memberships", membership.key, f"{records.name_of(membership.member)} in {membership.network_name}"
    )


def refs_text(refs: Iterable[Ref]) -> str:
    """Records as one cell: 'key (title); key (title)'."""
    return "; ".join(str(ref) for ref in dict.fromkeys(refs))


def names(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def acting_governments(records: PlaceRecords, kinds: Sequence[str] = GOVERNMENT_KINDS) -> dict[str, list[Ref]]:
    """Governments of the territory acting abroad, each with the units and strategies (its bodies' too) showing it."""
    wanted = {g.key for g in records.governments(kinds)}
    evidence: dict[str, list[Ref]] = {}
    for unit in records.international_units():
        body = records.governing_body(unit.organisation)
        if body is not None and body.key in wanted:
            evidence.setdefault(body.key, []).append(unit_ref(records, unit))
    for strategy in records.strategies:
        body = records.governing_body(strategy.organisation)
        if body is not None and body.key in wanted:
            evidence.setdefault(body.key, []).append(strategy_ref(records, strategy))
    return dict(sorted(evidence.items(), key=lambda item: records.name_of(item[0])))
