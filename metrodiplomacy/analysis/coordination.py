"""Coordination of a metropolis' stakeholders: overlaps and synergies found by stated rules, and the tables behind.

Django-free: a feeder passes plain values (stakeholders, dated activities, ties to partner places, network
seats, efforts on the home territory, records joining organisations). Each rule returns `Finding`s that say
why, in a sentence, and name the records behind them, so a reader can check every claim.

The explanations are templates with named parameters, marked with `gettext_noop` so the translation tools
collect them; the web pages translate the template and fill it in, the CLI prints the English.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

from metrodiplomacy.analysis import networks
from metrodiplomacy.analysis.tables import Table


def gettext_noop(message: str) -> str:
    """Mark a message for the catalogues without translating it here (this layer knows no language)."""
    return message


# Engagements that take people abroad (or to a host city): two organisations doing these in the same
# place at the same time could travel together. Hosted events and incoming delegations stay at home.
TRAVEL_KINDS = frozenset({"outgoing_mission", "congress", "fair", "knowledge_exchange", "training"})
DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class RecordRef:
    """A record behind a finding: the workspace kind of record (its address) and key, with a label to show."""

    kind: str
    key: str
    label: str


@dataclass(frozen=True)
class Stakeholder:
    """An organisation of the workspace with its agenda (empty fields when it has recorded none)."""

    key: str
    name: str
    kind: str = ""
    sector: str = ""
    policy_areas: tuple[str, ...] = ()
    priority_regions: tuple[str, ...] = ()
    priority_countries: tuple[str, ...] = ()
    priority_cities: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    unit: str = ""
    contact: str = ""
    commitments: str = ""
    agenda: RecordRef | None = None


@dataclass(frozen=True)
class Activity:
    """A dated engagement: who acts (organisation and partners of the workspace), where, when and on what."""

    ref: RecordRef
    kind: str
    organisations: tuple[str, ...]
    place: str = ""
    place_name: str = ""
    city: str = ""  # key of the city (or municipality) it happens in; empty when only a country is known
    country: str = ""
    country_name: str = ""
    region: str = ""
    start: date | None = None
    end: date | None = None
    year: int | None = None
    policy_areas: tuple[str, ...] = ()

    def span(self) -> tuple[date, date] | None:
        """First and last day; an engagement dated only by its year may fall anywhere in it."""
        if self.start is not None:
            return self.start, self.end or self.start
        if self.year is not None:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        return None

    @property
    def is_dated_by_year_only(self) -> bool:
        return self.start is None and self.year is not None


@dataclass(frozen=True)
class Tie:
    """An organisation tied to a partner place by an agreement or a cooperation project."""

    ref: RecordRef
    organisation: str
    place: str
    place_name: str
    region: str = ""
    policy_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Seat:
    """An organisation's seat in a network, with its roles and the yearly fee where recorded."""

    ref: RecordRef
    organisation: str
    network: str
    roles: tuple[str, ...] = ()
    annual_fee: Decimal | None = None
    fee_currency: str = ""
    is_prioritised: bool | None = None


@dataclass(frozen=True)
class Effort:
    """An initiative or a plan of some organisations on a policy area for a territory.

    `places` runs from the most specific place to the broadest one the feeder counts (a city, then its
    metropolitan area), so efforts for Barcelona and for its metropolitan area meet on the latter.
    """

    ref: RecordRef
    organisations: tuple[str, ...]
    places: tuple[str, ...]
    place_names: tuple[str, ...]
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Collaboration:
    """Any record that joins several organisations: evidence that they have acted together."""

    ref: RecordRef
    organisations: frozenset[str]


@dataclass(frozen=True)
class Finding:
    """One overlap or synergy: which rule, a sentence saying why, the organisations and the records behind it."""

    rule: str
    kind: str  # "overlap" or "synergy"
    template: str
    params: dict[str, str | int] = field(hash=False, compare=False)
    organisations: tuple[str, ...] = ()
    records: tuple[RecordRef, ...] = ()
    place: str = ""

    @property
    def reason(self) -> str:
        return self.template % self.params


RULES = {
    "missions": gettext_noop("Missions to the same place at the same time"),
    "partners": gettext_noop("One partner city, several organisations"),
    "networks": gettext_noop("Several seats in one network"),
    "efforts": gettext_noop("Parallel efforts on the home territory"),
    "synergies": gettext_noop("Shared priorities, never acted together"),
}


def _names(keys: Iterable[str], names: dict[str, str]) -> str:
    listed = [names.get(key, key) for key in keys]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _when(activity: Activity) -> str:
    span = activity.span()
    if span is None:
        return "undated"
    if activity.is_dated_by_year_only:
        return f"in {activity.year}, day not recorded"
    first, last = span
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def days_apart(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two spans; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def mission_overlaps(
    activities: Iterable[Activity], names: dict[str, str], window_days: int = DEFAULT_WINDOW_DAYS
) -> list[Finding]:
    """Pairs of engagements abroad by different organisations in the same city (or country) within the window.

    Only travel (missions, congresses, fairs, exchanges, trainings) counts. Two engagements qualify when each
    has an organisation the other lacks (a joint mission is coordination already), both are dated, and the
    days between them are at most `window_days`; the same city is reported, else the same country.
    """
    travel = [a for a in activities if a.kind in TRAVEL_KINDS and a.span() is not None and (a.city or a.country)]
    travel.sort(key=lambda a: (a.span() or (date.min, date.min), a.ref.key))
    findings = []
    for first, second in combinations(travel, 2):
        only_first = [o for o in first.organisations if o not in second.organisations]
        only_second = [o for o in second.organisations if o not in first.organisations]
        if not only_first or not only_second:
            continue
        if first.city and first.city == second.city:
            where, place = first.place_name if first.city == first.place else second.place_name, first.city
            template = gettext_noop(
                "%(first_orgs)s (%(first)s, %(first_when)s) and %(second_orgs)s (%(second)s, %(second_when)s) "
                "both go to %(place)s, %(days)s days apart (window: %(window)s days): they could travel "
                "together, share contacts or split the agenda."
            )
        elif first.country and first.country == second.country:
            where, place = first.country_name, first.country
            template = gettext_noop(
                "%(first_orgs)s (%(first)s, %(first_when)s) and %(second_orgs)s (%(second)s, %(second_when)s) "
                "both go to %(place)s, %(days)s days apart (window: %(window)s days): the same country, "
                "different cities; worth telling each other."
            )
        else:
            continue
        gap = days_apart(first.span() or (date.min, date.min), second.span() or (date.min, date.min))
        if gap > window_days:
            continue
        params: dict[str, str | int] = {
            "first_orgs": _names(first.organisations, names),
            "first": first.ref.label,
            "first_when": _when(first),
            "second_orgs": _names(second.organisations, names),
            "second": second.ref.label,
            "second_when": _when(second),
            "place": where,
            "days": gap,
            "window": window_days,
        }
        organisations = tuple(dict.fromkeys([*first.organisations, *second.organisations]))
        findings.append(Finding("missions", "overlap", template, params, organisations, (first.ref, second.ref), place))
    return findings


def shared_partners(ties: Iterable[Tie], names: dict[str, str]) -> list[Finding]:
    """Partner places tied to several organisations of the metropolis by agreements or cooperation projects."""
    by_place: dict[str, list[Tie]] = defaultdict(list)
    for tie in ties:
        by_place[tie.place].append(tie)
    findings = []
    for place, found in sorted(by_place.items(), key=lambda item: item[1][0].place_name):
        organisations = tuple(dict.fromkeys(tie.organisation for tie in found))
        if len(organisations) < 2:
            continue
        counts = [f"{names.get(o, o)} ({sum(1 for t in found if t.organisation == o)})" for o in organisations]
        params: dict[str, str | int] = {
            "place": found[0].place_name,
            "count": len(organisations),
            "who": _names(counts, {}),
            "records": len({tie.ref for tie in found}),
        }
        template = gettext_noop(
            "%(place)s is tied to %(count)s organisations of the metropolis by %(records)s agreements or "
            "cooperation projects: %(who)s. One shared relation would speak with one voice and avoid "
            "duplicated visits."
        )
        refs = tuple(dict.fromkeys(tie.ref for tie in found))
        findings.append(Finding("partners", "overlap", template, params, organisations, refs, place))
    return findings


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def fees_by_currency(seats: Iterable[Seat]) -> dict[str, Decimal]:
    """The recorded yearly fees summed per currency (fees in different currencies are never added up)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for seat in seats:
        if seat.annual_fee is not None:
            totals[seat.fee_currency or "?"] += seat.annual_fee
    return dict(totals)


def shared_networks(seats: Iterable[Seat], names: dict[str, str]) -> list[Finding]:
    """Networks in which several organisations of the metropolis hold (and may each pay for) a seat."""
    by_network: dict[str, list[Seat]] = defaultdict(list)
    for seat in seats:
        by_network[seat.network].append(seat)
    findings = []
    for network, found in sorted(by_network.items(), key=lambda item: names.get(item[0], item[0])):
        organisations = tuple(dict.fromkeys(seat.organisation for seat in found))
        if len(organisations) < 2:
            continue
        described = []
        for seat in found:
            roles = ", ".join(role.replace("_", " ") for role in seat.roles) or "member"
            fee = (
                f"{seat.fee_currency} {_money(seat.annual_fee)} a year"
                if seat.annual_fee is not None
                else "fee not recorded"
            )
            described.append(f"{names.get(seat.organisation, seat.organisation)}: {roles}, {fee}")
        totals = fees_by_currency(found)
        params: dict[str, str | int] = {
            "network": names.get(network, network),
            "count": len(organisations),
            "seats": "; ".join(described),
            "fees": ", ".join(f"{currency} {_money(total)}" for currency, total in sorted(totals.items()))
            or "none recorded",
        }
        template = gettext_noop(
            "%(count)s organisations of the metropolis hold seats in %(network)s (%(seats)s). Recorded fees "
            "together: %(fees)s a year. Agree who speaks for the metropolis there, and whether every seat is needed."
        )
        refs = tuple(seat.ref for seat in found)
        findings.append(Finding("networks", "overlap", template, params, organisations, refs, network))
    return findings


def parallel_efforts(efforts: Iterable[Effort], names: dict[str, str]) -> list[Finding]:
    """Two organisations each running initiatives or plans on one policy area for the same territory, apart.

    One finding per pair of organisations and policy area, listing every effort of either; efforts that
    name both organisations are joint and never counted.
    """
    efforts = list(efforts)
    grouped: dict[tuple[str, str, str], dict[str, list[Effort]]] = defaultdict(lambda: defaultdict(list))
    territory: dict[tuple[str, str, str], str] = {}
    for first, second in combinations(efforts, 2):
        if set(first.organisations) & set(second.organisations):
            continue
        shared_places = [p for p in first.places if p in second.places]
        shared_areas = [a for a in first.areas if a in second.areas]
        if not shared_places or not shared_areas:
            continue
        place_name = first.place_names[first.places.index(shared_places[0])]
        for area in shared_areas:
            for a in first.organisations:
                for b in second.organisations:
                    pair = tuple(sorted((a, b)))
                    key = (pair[0], pair[1], area)
                    for effort, organisation in ((first, a), (second, b)):
                        if effort not in grouped[key][organisation]:
                            grouped[key][organisation].append(effort)
                    # Name the broadest territory any of the pairs meet on, so one sentence covers them all.
                    territory[key] = place_name if key not in territory else territory[key]
    findings = []
    for (a, b, area), by_org in sorted(grouped.items()):
        lists = {
            organisation: "; ".join(effort.ref.label for effort in by_org[organisation]) for organisation in (a, b)
        }
        params: dict[str, str | int] = {
            "first": names.get(a, a),
            "second": names.get(b, b),
            "area": area,
            "place": territory[(a, b, area)],
            "first_efforts": lists[a],
            "second_efforts": lists[b],
        }
        template = gettext_noop(
            "%(first)s and %(second)s each work on %(area)s for %(place)s without the other as partner: "
            "%(first)s — %(first_efforts)s; %(second)s — %(second_efforts)s. A joint effort would avoid "
            "duplicated spending and mixed messages."
        )
        refs = tuple(dict.fromkeys(effort.ref for organisation in (a, b) for effort in by_org[organisation]))
        findings.append(Finding("efforts", "overlap", template, params, (a, b), refs, territory[(a, b, area)]))
    return findings


def missed_synergies(
    stakeholders: Iterable[Stakeholder], collaborations: Iterable[Collaboration], names: dict[str, str]
) -> list[Finding]:
    """Pairs of organisations whose agendas share a policy area and a priority region, never joined in a record."""
    stakeholders = [s for s in stakeholders if s.policy_areas and s.priority_regions]
    together: dict[frozenset[str], list[RecordRef]] = defaultdict(list)
    for collaboration in collaborations:
        for pair in combinations(sorted(collaboration.organisations), 2):
            together[frozenset(pair)].append(collaboration.ref)
    findings = []
    for first, second in combinations(sorted(stakeholders, key=lambda s: s.name), 2):
        areas = [a for a in first.policy_areas if a in second.policy_areas]
        regions = [r for r in first.priority_regions if r in second.priority_regions]
        if not areas or not regions or together.get(frozenset((first.key, second.key))):
            continue
        cities = [c for c in first.priority_cities if c in second.priority_cities]
        params: dict[str, str | int] = {
            "first": first.name,
            "second": second.name,
            "areas": ", ".join(areas),
            "regions": ", ".join(regions),
            "cities": ", ".join(cities),
        }
        template = (
            gettext_noop(
                "%(first)s and %(second)s both give priority to %(areas)s in %(regions)s, and both name "
                "%(cities)s as partner cities, yet no recorded engagement, agreement, initiative, project or "
                "mechanism joins them: a joint mission or project could pool their effort."
            )
            if cities
            else gettext_noop(
                "%(first)s and %(second)s both give priority to %(areas)s in %(regions)s, yet no recorded "
                "engagement, agreement, initiative, project or mechanism joins them: a joint mission or "
                "project could pool their effort."
            )
        )
        refs = tuple(s.agenda for s in (first, second) if s.agenda is not None)
        findings.append(Finding("synergies", "synergy", template, params, (first.key, second.key), refs))
    return findings


@dataclass(frozen=True)
class CoordinationInputs:
    """Everything the rules read, as one feeder call gathers it for one reader of one workspace."""

    stakeholders: tuple[Stakeholder, ...]
    activities: tuple[Activity, ...] = ()
    ties: tuple[Tie, ...] = ()
    seats: tuple[Seat, ...] = ()
    efforts: tuple[Effort, ...] = ()
    collaborations: tuple[Collaboration, ...] = ()
    # Names of organisations and networks by key, for the sentences.
    names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def find_all(inputs: CoordinationInputs, window_days: int = DEFAULT_WINDOW_DAYS) -> list[Finding]:
    """Every rule's findings: overlaps first (missions, partners, networks, efforts), then synergies."""
    names = inputs.names
    return [
        *mission_overlaps(inputs.activities, names, window_days),
        *shared_partners(inputs.ties, names),
        *shared_networks(inputs.seats, names),
        *parallel_efforts(inputs.efforts, names),
        *missed_synergies(inputs.stakeholders, inputs.collaborations, names),
    ]


def findings_table(findings: Sequence[Finding]) -> Table:
    """The findings as a table: rule, kind, organisations, reason and record keys."""
    rows = [
        (RULES[f.rule], f.kind, ", ".join(f.organisations), f.reason, " ".join(f"{r.kind}/{r.key}" for r in f.records))
        for f in findings
    ]
    return Table.build(
        "Overlaps and synergies", ("rule", "kind", "organisations", "reason", "records"), rows, _rule_notes()
    )


def _rule_notes() -> list[str]:
    return [
        "Missions: travel engagements of different organisations to the same city or country within the window.",
        "Partners: a partner place tied by agreements or cooperation projects to two or more organisations.",
        "Networks: two or more organisations with seats in the same network; recorded fees summed per currency.",
        "Efforts: initiatives or plans of two organisations on one policy area for the same territory, "
        "neither a partner of the other.",
        "Synergies: agendas sharing a policy area and a priority region with no record joining the two.",
    ]


# The registry's tables.
def stakeholder_table(stakeholders: Sequence[Stakeholder], names: dict[str, str]) -> Table:
    """The directory: one row per organisation with its agenda."""
    rows = [
        (
            s.name,
            s.kind.replace("_", " "),
            s.sector.replace("_", " "),
            ", ".join(s.policy_areas),
            ", ".join(s.priority_regions),
            ", ".join(names.get(n, n) for n in s.networks),
            s.unit,
            s.contact,
        )
        for s in stakeholders
    ]
    columns = ("organisation", "kind", "sector", "policy areas", "priority regions", "networks", "unit", "contact")
    return Table.build("Stakeholders of the metropolis", columns, rows)


def counts_by_kind_and_sector(stakeholders: Sequence[Stakeholder]) -> Table:
    """How many organisations of each kind and sector (sector "not stated" without an agenda)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for s in stakeholders:
        counts[(s.kind.replace("_", " "), s.sector.replace("_", " ") or "not stated")] += 1
    rows = sorted(((kind, sector, n) for (kind, sector), n in counts.items()), key=lambda r: (-r[2], r[0], r[1]))
    return Table.build("Stakeholders by kind and sector", ("kind", "sector", "organisations"), rows)


def counts_by_policy_area(stakeholders: Sequence[Stakeholder]) -> Table:
    """How many organisations name each policy area in their agenda, and which."""
    members: dict[str, list[str]] = defaultdict(list)
    for s in stakeholders:
        for area in s.policy_areas:
            members[area].append(s.name)
    rows = sorted(((area, len(who), ", ".join(who)) for area, who in members.items()), key=lambda r: (-r[1], r[0]))
    return Table.build("Stakeholders by policy area", ("policy area", "organisations", "which"), rows)


# Who does what where.
@dataclass(frozen=True)
class Cell:
    """One organisation's records in one place on one policy area."""

    organisation: str
    place: str
    place_name: str
    region: str
    area: str
    records: tuple[RecordRef, ...]


def who_does_what(
    activities: Iterable[Activity], ties: Iterable[Tie], efforts: Iterable[Effort], names: dict[str, str]
) -> list[Cell]:
    """Organisations × places × policy areas, each cell with the records behind it ("unspecified" area if none)."""
    cells: dict[tuple[str, str, str], list[RecordRef]] = defaultdict(list)
    place_info: dict[str, tuple[str, str]] = {}
    for activity in activities:
        if not activity.place:
            continue
        place_info[activity.place] = (activity.place_name, activity.region)
        for organisation in activity.organisations:
            for area in activity.policy_areas or ("unspecified",):
                cells[(organisation, activity.place, area)].append(activity.ref)
    for tie in ties:
        place_info[tie.place] = (tie.place_name, tie.region)
        for area in tie.policy_areas or ("unspecified",):
            cells[(tie.organisation, tie.place, area)].append(tie.ref)
    for effort in efforts:
        if not effort.places:
            continue
        place_info[effort.places[0]] = (effort.place_names[0], place_info.get(effort.places[0], ("", ""))[1])
        for organisation in effort.organisations:
            for area in effort.areas or ("unspecified",):
                cells[(organisation, effort.places[0], area)].append(effort.ref)
    result = [
        Cell(organisation, place, place_info[place][0], place_info[place][1], area, tuple(dict.fromkeys(refs)))
        for (organisation, place, area), refs in cells.items()
    ]
    result.sort(key=lambda c: (names.get(c.organisation, c.organisation), c.region, c.place_name, c.area))
    return result


def who_does_what_table(cells: Sequence[Cell], names: dict[str, str]) -> Table:
    rows = [(names.get(c.organisation, c.organisation), c.place_name, c.region, c.area, len(c.records)) for c in cells]
    return Table.build(
        "Who does what where",
        ("organisation", "place", "region", "policy area", "records"),
        rows,
        [
            "Engagements count at their place; agreements and cooperation projects at each partner place; "
            "initiatives and plans at their territory."
        ],
    )


def places_with_several_organisations(cells: Sequence[Cell]) -> dict[str, set[str]]:
    """Place key -> the organisations acting there, for the places where two or more act."""
    by_place: dict[str, set[str]] = defaultdict(set)
    for c in cells:
        by_place[c.place].add(c.organisation)
    return {place: who for place, who in by_place.items() if len(who) > 1}


# The network portfolio.
def portfolio_table(seats: Sequence[Seat], names: dict[str, str]) -> Table:
    """Every seat: network, organisation, roles, prioritised, yearly fee."""
    rows = [
        (
            names.get(s.network, s.network),
            names.get(s.organisation, s.organisation),
            ", ".join(r.replace("_", " ") for r in s.roles) or "member",
            "yes" if s.is_prioritised else ("no" if s.is_prioritised is False else ""),
            s.annual_fee,
            s.fee_currency,
        )
        for s in sorted(
            seats, key=lambda s: (names.get(s.network, s.network), names.get(s.organisation, s.organisation))
        )
    ]
    columns = ("network", "organisation", "roles", "prioritised", "annual fee", "currency")
    return Table.build("Network portfolio of the metropolis", columns, rows)


def per_network_table(seats: Sequence[Seat], names: dict[str, str]) -> Table:
    """Per network: how many organisations of the metropolis sit in it, their heaviest role and the fees."""
    by_network: dict[str, list[Seat]] = defaultdict(list)
    for seat in seats:
        by_network[seat.network].append(seat)
    rows = []
    for network, found in by_network.items():
        totals = fees_by_currency(found)
        rows.append(
            (
                names.get(network, network),
                len({s.organisation for s in found}),
                max(networks.service_value(s.roles) for s in found),
                "; ".join(f"{currency} {_money(total)}" for currency, total in sorted(totals.items())),
            )
        )
    rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
    return Table.build(
        "Load per network",
        ("network", "organisations", "heaviest role (0–5)", "recorded fees a year"),
        rows,
        ["Roles weighed on the 0–5 scale of the network analytics."],
    )


def per_organisation_table(seats: Sequence[Seat], names: dict[str, str]) -> Table:
    """Per organisation: networks, leading roles, prioritised networks and weighted load (the network analytics)."""
    as_seats = [
        networks.Seat(
            city=names.get(s.organisation, s.organisation),
            network=names.get(s.network, s.network),
            roles=s.roles,
            is_prioritised=s.is_prioritised,
        )
        for s in seats
    ]
    table = networks.load(as_seats)
    fees: dict[str, dict[str, Decimal]] = {}
    for organisation in {s.organisation for s in seats}:
        fees[names.get(organisation, organisation)] = fees_by_currency(
            s for s in seats if s.organisation == organisation
        )
    rows = [
        (*row, "; ".join(f"{c} {_money(t)}" for c, t in sorted(fees.get(str(row[0]), {}).items())))
        for row in table.rows
    ]
    return Table.build(
        "Network load per organisation",
        ("organisation", *table.columns[1:], "recorded fees a year"),
        rows,
        table.notes,
    )


# The calendar.
@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    activities: tuple[Activity, ...]


def month_grid(year: int, month: int, activities: Iterable[Activity]) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the dated engagements running on it."""
    dated = [a for a in activities if a.start is not None]
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                Day(
                    day,
                    day.month == month,
                    tuple(a for a in dated if a.start is not None and a.start <= day <= (a.end or a.start)),
                )
                for day in week
            ]
        )
    return weeks


def upcoming(activities: Iterable[Activity], today: date, days: int) -> list[Activity]:
    """Engagements starting or running between today and `days` days from now, by date."""
    last = today + timedelta(days=days)
    found = [a for a in activities if a.start is not None and a.start <= last and (a.end or a.start) >= today]
    return sorted(found, key=lambda a: (a.start or today, a.ref.key))


def digest_text(workspace: str, findings: Sequence[Finding], coming: Sequence[Activity], names: dict[str, str]) -> str:
    """The weekly digest as plain text: the coming engagements, then every overlap and synergy with its reason."""
    lines = [f"Coordination digest — {workspace}", ""]
    lines.append(f"Engagements in the coming days ({len(coming)}):")
    for activity in coming:
        lines.append(
            f"  - {_when(activity)}: {activity.ref.label} — {_names(activity.organisations, names)}"
            + (f", {activity.place_name}" if activity.place_name else "")
        )
    if not coming:
        lines.append("  none recorded")
    overlaps = [f for f in findings if f.kind == "overlap"]
    synergies = [f for f in findings if f.kind == "synergy"]
    for heading, found in (("Overlaps", overlaps), ("Synergies", synergies)):
        lines += ["", f"{heading} ({len(found)}):"]
        for finding in found:
            lines.append(f"  - [{RULES[finding.rule]}] {finding.reason}")
            lines.append("    records: " + ", ".join(f"{r.kind}/{r.key}" for r in finding.records))
        if not found:
            lines.append("  none found")
    return "\n".join(lines) + "\n"


def count_bars(table: Table, label: str, value: str, colour_by: str = "") -> str:
    """A horizontal bar chart of one count column as SVG (drawn offline), the table being its text alternative."""
    import altair as alt

    from metrodiplomacy.analysis import charts

    records = table.records()
    values = [
        {
            "label": " · ".join(str(r[c]) for c in (label, colour_by) if c),
            "value": r[value],
            "group": r.get(colour_by, ""),
        }
        for r in records
    ]
    order = [str(v["label"]) for v in values]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=charts.LABEL_LIMIT)),
        x=alt.X("value:Q", title=value, axis=alt.Axis(tickMinStep=1, format="d")),
    )
    bars = base.mark_bar(color=charts.BAR_COLOUR)
    labels = base.mark_text(align="left", dx=4, fontSize=charts.TEXT_SIZE).encode(text="value:Q")
    chart = (
        alt.layer(bars, labels)
        .properties(
            title=table.title, width=360, height=alt.Step(24), description=f"{table.title}: {len(values)} bars."
        )
        .configure(font=charts.FONT, padding=12)
        .configure_title(fontSize=15, anchor="start")
        .configure_axis(labelFontSize=charts.TEXT_SIZE, titleFontSize=charts.TEXT_SIZE)
        .configure_view(stroke=None)
    )
    return charts.render(chart, "svg").decode()
