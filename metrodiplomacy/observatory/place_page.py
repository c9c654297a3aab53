"""Everything the city page shows, as result tables: the profile's sections, growth, the comparative
framework's classification of the place, its row of the reliance matrix, agreements on the map, sources.

The same tables feed the HTML page and its JSON and CSV twins. A fixed number of queries whatever the
place: the profile's, the comparative feeder's, one for statistics, a few for the reliance row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from metrodiplomacy.analysis.comparative import build_framework
from metrodiplomacy.analysis.comparative_tables import evidence_table, governance_table
from metrodiplomacy.analysis.maps import MapArc, MapPoint
from metrodiplomacy.analysis.profiles import compute_profiles, growth_table
from metrodiplomacy.analysis.reliance import LEVEL_NAMES, build_matrix
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.places.models import Place

from .inputs.comparative import comparative_records
from .inputs.profiles import profile_statistics
from .inputs.reliance import DEFAULT_FRAMEWORK, UnknownName, framework_areas, reliance_codings
from .profiles import Profile, build_profile, format_amount
from .templatetags.money import format_budget
from .text import describe, display


@dataclass
class PlacePage:
    place: Place
    profile: Profile
    tables: dict[str, Table] = field(default_factory=dict)
    points: list[MapPoint] = field(default_factory=list)
    arcs: list[MapArc] = field(default_factory=list)
    descriptions: dict[tuple[str, int], str] = field(default_factory=dict)
    # The international units' budgets summed per currency, as the comparative framework counts them.
    budgets: dict[str, Decimal] = field(default_factory=dict)

    def describe(self, obj) -> str:
        """The record's one-line description, worked out once per page (a record appears in several tables)."""
        key = (type(obj).__name__, obj.pk)
        if key not in self.descriptions:
            self.descriptions[key] = describe(obj)
        return self.descriptions[key]

    def ordered(self) -> list[Table]:
        return list(self.tables.values())


def _sources(profile: Profile, obj) -> str:
    return "; ".join(f"{c.source.title}, {c.locator}" for c in profile.cited(obj))


def _records_table(page: PlacePage, section: str, title: str) -> Table:
    """A section as key, plain-text description and the passages that support it."""
    profile = page.profile
    rows = [(obj.key, page.describe(obj), _sources(profile, obj)) for obj in profile.sections[section]]
    return Table.build(title, ("key", _("record"), _("sources")), rows)


def _overview(place: Place, profile: Profile) -> Table:
    inside = [p.name for p in profile.places[1:]]
    rows = [
        (_("kind"), display(place, "kind")),
        (_("country"), place.country.name if place.country_id else ""),
        (_("within"), place.parent.name if place.parent_id and place.parent_id != place.country_id else ""),
        (_("places inside it"), ", ".join(inside)),
        (_("gazetteer population"), place.population),
        (_("latitude"), place.latitude),
        (_("longitude"), place.longitude),
        (_("studied as a case by"), "; ".join(s.source.title for s in profile.sections["case studies"])),
    ]
    return Table.build(_("About the place"), (_("field"), _("value")), [r for r in rows if r[1] not in (None, "")])


def _units(profile: Profile) -> Table:
    rows = []
    for unit in profile.sections["units"]:
        staff = format_amount(unit.staff, "units", unit.staff_qualifier) if unit.staff is not None else None
        budget = (
            format_budget(unit.budget, unit.budget_scale, unit.budget_qualifier, unit.budget_currency)
            if unit.budget is not None
            else None
        )
        rows.append(
            (
                unit.key,
                unit.name,
                unit.organisation.name,
                display(unit, "specialty"),
                staff,
                budget,
                unit.budget_currency,
                unit.budget_year,
                _sources(profile, unit),
            )
        )
    columns = (
        "key",
        _("unit"),
        _("organisation"),
        _("specialty"),
        _("staff"),
        _("budget"),
        _("currency"),
        _("budget year"),
        _("sources"),
    )
    return Table.build(_("International units, staff and budgets"), columns, rows)


def _strategies(profile: Profile) -> Table:
    rows = [
        (s.key, s.name, s.organisation.name, display(s, "kind"), s.year_start, s.year_end, _sources(profile, s))
        for s in profile.sections["strategies"]
    ]
    columns = ("key", _("strategy"), _("organisation"), _("kind"), _("from"), _("to"), _("sources"))
    return Table.build(_("Strategies and plans"), columns, rows)


def _agreements(profile: Profile) -> Table:
    rows = [
        (
            a.key,
            a.title,
            display(a, "kind"),
            a.year,
            "; ".join(sorted(str(p.party) for p in a.parties.all())),
            _sources(profile, a),
        )
        for a in profile.sections["agreements"]
    ]
    columns = ("key", _("agreement"), _("kind"), _("year"), _("parties"), _("sources"))
    return Table.build(_("Agreements"), columns, rows)


def _networks(profile: Profile) -> Table:
    rows = [
        (
            m.network.key,
            m.network.name,
            m.member.name,
            ", ".join(display(r, "role") + (f" {r.year}" if r.year else "") for r in m.roles.all()) or _("member"),
            m.is_prioritised,
            m.since,
            _sources(profile, m),
        )
        for m in profile.sections["networks"]
    ]
    columns = ("network key", _("network"), _("member"), _("roles"), _("prioritised"), _("since"), _("sources"))
    return Table.build(_("Network memberships and roles"), columns, rows)


def _hosted(profile: Profile) -> Table:
    rows = [
        (h.organisation.key, h.organisation.name, display(h, "kind"), h.place.name, h.since, _sources(profile, h))
        for h in profile.sections["hosted"]
    ]
    columns = ("organisation key", _("organisation"), _("hosting"), _("in"), _("since"), _("sources"))
    return Table.build(_("Organisations hosted"), columns, rows)


def _classifications(profile: Profile) -> Table:
    rows = [
        (display(c, "scheme"), c.value, c.coder, c.rationale, _sources(profile, c))
        for c in profile.sections["classifications"]
    ]
    columns = (_("scheme"), _("value"), _("coder"), _("rationale"), _("sources"))
    return Table.build(_("Classifications coded for the place"), columns, rows)


def _reliance(place: Place, profile: Profile, user) -> Table:
    """The place's row of the reliance matrix in the default framework, with each coder's rationale."""
    try:
        areas = framework_areas(DEFAULT_FRAMEWORK)
    except UnknownName:
        areas = []
    matrix = build_matrix(reliance_codings(user, [place], areas), [place.name], areas) if areas else None
    rationale: dict[str, list[str]] = defaultdict(list)
    for coding in profile.sections["reliance"]:
        if coding.place_id == place.pk:
            rationale[coding.policy_area.code].append(f"{coding.coder}: {coding.rationale}")
    rows = []
    for area in matrix.areas if matrix else []:
        cell = matrix.cells.get((place.name, area.code))
        if cell is None:
            continue
        rows.append((area.name, cell.level, LEVEL_NAMES[cell.level], " | ".join(rationale[area.code])))
    return Table.build(
        _("Reliance on international action by policy area"),
        (_("policy area"), _("level"), _("meaning"), _("rationale")),
        rows,
    )


def _citations(page: PlacePage) -> Table:
    profile = page.profile
    rows = []
    for items in profile.sections.values():
        for obj in items:
            for citation in profile.cited(obj):
                rows.append(
                    (citation.source.key, citation.source.title, citation.locator, page.describe(obj), citation.note)
                )
    rows.sort(key=lambda row: (row[1], row[2]))
    return Table.build(
        _("Sources and what they support"), ("source key", _("source"), _("passage"), _("record"), _("note")), rows
    )


def _map(place: Place, profile: Profile, located: dict[int, tuple[float, float]], href) -> tuple[list, list]:
    own = set(p.pk for p in profile.places)
    here = located.get(place.pk)
    points = {place.pk: MapPoint(place.name, *here, 0, "", True)} if here else {}
    arcs = []
    for agreement in profile.sections["agreements"]:
        for party in agreement.parties.all():
            where = party.place_id or (party.organisation.home_place_id if party.organisation_id else None)
            if where is None or where in own or where not in located or here is None:
                continue
            name = party.place.name if party.place_id else party.organisation.name
            points.setdefault(where, MapPoint(name, *located[where], 0, href(where)))
            points[where] = MapPoint(name, *located[where], points[where].count + 1, href(where))
            arcs.append(MapArc(f"{agreement.title} ({name})", here, located[where]))
    return list(points.values()), arcs


def build_place_page(place: Place, user, coordinates, href) -> PlacePage:
    """Every table of the city page for what `user` may see; `coordinates` and `href` come from the view."""
    profile = build_profile(place, user)
    page = PlacePage(place=place, profile=profile)
    tables = page.tables
    tables["overview"] = _overview(place, profile)
    growth = compute_profiles(profile_statistics(user, [place]), places=[place.name])
    tables["growth"] = growth_table(growth, _("Population and GDP growth"))
    (records,) = comparative_records([place], user)
    framework = build_framework(records)
    page.budgets = framework.capacity.budgets
    tables["governance"] = governance_table([framework])
    tables["classifications"] = _classifications(profile)
    tables["framework evidence"] = evidence_table([framework])
    tables["units"] = _units(profile)
    tables["strategies"] = _strategies(profile)
    tables["agreements"] = _agreements(profile)
    tables["networks"] = _networks(profile)
    tables["hosted"] = _hosted(profile)
    tables["initiatives"] = _records_table(page, "initiatives", _("Initiatives"))
    tables["engagements"] = _records_table(page, "engagements", _("Engagements"))
    tables["reliance"] = _reliance(place, profile, user)
    tables["actors"] = _records_table(page, "actors", _("Actors based here"))
    tables["statistics"] = _records_table(page, "statistics", _("Statistics"))
    tables["cooperation projects"] = _records_table(page, "cooperation projects", _("Cooperation projects"))
    tables["coordination mechanisms"] = _records_table(page, "coordination mechanisms", _("Coordination mechanisms"))
    tables["indicators"] = _records_table(page, "indicators", _("Indicators"))
    tables["rankings"] = _records_table(page, "rankings", _("Rankings"))
    tables["sources"] = _citations(page)
    party_places = {place.pk}
    for agreement in profile.sections["agreements"]:
        for party in agreement.parties.all():
            party_places.add(party.place_id or (party.organisation.home_place_id if party.organisation_id else None))
    party_places.discard(None)
    located_places = [place] + [p for p in Place.objects.filter(pk__in=party_places - {place.pk})]
    located = coordinates(located_places)
    names = {p.pk: p for p in located_places}
    page.points, page.arcs = _map(place, profile, located, lambda pk: href(names[pk]) if pk in names else "")
    return page
