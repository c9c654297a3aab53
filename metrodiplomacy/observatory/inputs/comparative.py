"""The records behind the comparative framework and the diagnostics, as plain values.

One call reads every place asked for in a fixed number of queries (about twenty, however many places
and records), each through `visible_to`: a record the user may not read never reaches the analysis.
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.analysis.comparative_records import (
    AgreementRecord,
    CodingRecord,
    HostingRecord,
    IndicatorRecord,
    MechanismRecord,
    MembershipRecord,
    OrganisationRecord,
    PlaceRecords,
    ProjectRecord,
    RankingRecord,
    ReportRecord,
    StatisticRecord,
    StrategyRecord,
    UnitRecord,
)
from metrodiplomacy.cooperation.models import CooperationProject
from metrodiplomacy.coordination.models import CoordinationMechanism
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty, Hosting, NetworkMembership, NetworkRole
from metrodiplomacy.evidence.models import CaseStudy, ClassificationCoding
from metrodiplomacy.evidence.queries import readable_citations
from metrodiplomacy.observatory.profiles import NOT_LOCAL_ACTORS
from metrodiplomacy.places.models import Place, RankingPosition, Statistic
from metrodiplomacy.places.queries import find_place, visible_places
from metrodiplomacy.records import visible_to
from metrodiplomacy.strategy.models import AccountabilityReport, Indicator, Observation, Strategy


def resolve_place(text: str, user=None) -> Place | None:
    """The place a user means: an exact key as given; a name prefers the case study that contains the place.

    "Barcelona" names the municipality, but the study's case is the metropolitan area around it: a
    place that is not itself a case study resolves to the nearest enclosing place that is one.
    """
    exact = visible_places().filter(key=text).first()
    if exact is not None:
        return exact
    place = find_place(text)
    if place is None:
        return None
    studied = set(visible_to(CaseStudy.objects.all(), user).values_list("place_id", flat=True))
    node = place
    while node is not None and node.kind != "country":
        if node.pk in studied:
            return node
        node = node.parent
    return place


def _territories(places: Sequence[Place]) -> dict[int, list[int]]:
    """Each place with the places inside it (two levels: metropolitan area, municipality, district)."""
    ids = [place.pk for place in places]
    children: dict[int, list[int]] = defaultdict(list)
    level = ids
    for _depth in range(2):
        rows = list(Place.objects.filter(parent__in=level).exclude(kind="country").values_list("pk", "parent_id"))
        for pk, parent in rows:
            children[parent].append(pk)
        level = [pk for pk, _parent in rows]

    def below(pk: int) -> list[int]:
        return [pk] + [grandchild for child in children[pk] for grandchild in below(child)]

    return {pk: list(dict.fromkeys(below(pk))) for pk in ids}


def comparative_records(places: Sequence[Place], user=None) -> list[PlaceRecords]:
    """The visible records of each place and the places inside it, in the order the places are given."""
    territories = _territories(places)
    all_place_ids = {pk for ids in territories.values() for pk in ids}
    place_keys = dict(Place.objects.filter(pk__in=all_place_ids).values_list("pk", "key"))
    organisations = list(
        visible_to(Organisation.objects.filter(home_place__in=all_place_ids), user)
        .exclude(kind__in=NOT_LOCAL_ACTORS)
        .values("pk", "key", "name", "kind", "parent__key", "home_place_id")
        .order_by("name", "key")
    )
    org_ids = [row["pk"] for row in organisations]
    visible_organisations = visible_to(Organisation.objects.all(), user)

    units = _units(user, org_ids)
    strategies = _strategies(user, org_ids)
    memberships = _memberships(user, org_ids, visible_organisations)
    mechanisms = _mechanisms(user, org_ids, visible_organisations)
    indicators = _indicators(user, org_ids)
    statistics = _statistics(user, org_ids, all_place_ids)
    projects = _projects(user, org_ids, visible_organisations)
    reports = _reports(user, org_ids)
    hostings = list(
        visible_to(Hosting.objects.filter(place__in=all_place_ids), user)
        .filter(organisation__in=visible_organisations)
        .values(
            "key",
            "place_id",
            "organisation__key",
            "organisation__name",
            "organisation__acronym",
            "organisation__kind",
            "kind",
        )
        .order_by("organisation__name", "key")
    )
    rankings = list(
        visible_to(RankingPosition.objects.filter(place__in=all_place_ids), user)
        .values("key", "place_id", "ranking", "position", "year")
        .order_by("ranking", "year", "key")
    )
    agreements = _agreements(user, org_ids, all_place_ids)
    codings = _codings(user, [place.pk for place in places])

    result = []
    for place in places:
        territory = set(territories[place.pk])
        own = [row for row in organisations if row["home_place_id"] in territory]
        own_ids = {row["pk"] for row in own}
        own_keys = {row["key"] for row in own}
        result.append(
            PlaceRecords(
                key=place.key,
                name=place.name,
                kind=place.kind,
                place_keys=tuple(place_keys[pk] for pk in territories[place.pk]),
                organisations=tuple(
                    OrganisationRecord(
                        row["key"], row["name"], row["kind"], row["parent__key"], place_keys[row["home_place_id"]]
                    )
                    for row in own
                ),
                units=tuple(u for owner, u in units if owner in own_ids),
                strategies=tuple(s for owner, s in strategies if owner in own_ids),
                memberships=tuple(m for owner, m in memberships if owner in own_ids),
                mechanisms=tuple(m for m in mechanisms if own_keys & {m.convenor, *m.members}),
                indicators=tuple(i for owner, i in indicators if owner in own_ids),
                hostings=tuple(
                    HostingRecord(
                        h["key"],
                        place_keys[h["place_id"]],
                        h["organisation__key"],
                        h["organisation__name"],
                        h["organisation__kind"],
                        h["kind"],
                        h["organisation__acronym"],
                    )
                    for h in hostings
                    if h["place_id"] in territory
                ),
                statistics=tuple(
                    s
                    for owner, where, s in statistics
                    if owner in own_ids or (where is not None and where in territory)
                ),
                projects=tuple(p for p in projects if own_keys & {*p.funders, *p.implementers}),
                reports=tuple(r for owner, r in reports if owner in own_ids),
                rankings=tuple(
                    RankingRecord(r["key"], place_keys[r["place_id"]], r["ranking"], r["position"], r["year"])
                    for r in rankings
                    if r["place_id"] in territory
                ),
                agreements=tuple(a for owners, places_, a in agreements if owners & own_ids or places_ & territory),
                codings=tuple(c for where, c in codings if where == place.pk),
            )
        )
    return result


def _units(user, org_ids) -> list[tuple[int, UnitRecord]]:
    rows = visible_to(Unit.objects.filter(organisation__in=org_ids), user).values(
        "organisation_id",
        "organisation__key",
        "key",
        "name",
        "specialty",
        "staff",
        "staff_qualifier",
        "budget",
        "budget_scale",
        "budget_qualifier",
        "budget_currency",
        "budget_year",
        "flag",
    )
    return [
        (
            row["organisation_id"],
            UnitRecord(
                key=row["key"],
                organisation=row["organisation__key"],
                name=row["name"],
                specialty=row["specialty"],
                staff=row["staff"],
                staff_qualifier=row["staff_qualifier"] or "exact",
                budget=Decimal(row["budget"]) if row["budget"] is not None else None,
                budget_scale=row["budget_scale"] or "units",
                budget_qualifier=row["budget_qualifier"] or "exact",
                budget_currency=row["budget_currency"],
                budget_year=row["budget_year"],
                flag=row["flag"],
            ),
        )
        for row in rows.order_by("key")
    ]


def _strategies(user, org_ids) -> list[tuple[int, StrategyRecord]]:
    rows = visible_to(Strategy.objects.filter(organisation__in=org_ids), user).values(
        "organisation_id",
        "organisation__key",
        "key",
        "name",
        "kind",
        "sector",
        "year_start",
        "year_end",
        "is_participatory",
    )
    return [
        (
            row["organisation_id"],
            StrategyRecord(
                row["key"],
                row["organisation__key"],
                row["name"],
                row["kind"],
                row["sector"],
                row["year_start"],
                row["year_end"],
                row["is_participatory"],
            ),
        )
        for row in rows.order_by("key")
    ]


def _memberships(user, org_ids, visible_organisations) -> list[tuple[int, MembershipRecord]]:
    rows = list(
        visible_to(NetworkMembership.objects.filter(member__in=org_ids), user)
        .filter(network__in=visible_organisations)
        .values(
            "pk",
            "key",
            "network__key",
            "network__name",
            "network__acronym",
            "member_id",
            "member__key",
            "is_prioritised",
        )
        .order_by("key")
    )
    roles: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for membership, role, year in (
        NetworkRole.objects.filter(membership__in=[row["pk"] for row in rows])
        .order_by("membership", "role", "year")
        .values_list("membership_id", "role", "year")
    ):
        roles[membership].append((role, year))
    return [
        (
            row["member_id"],
            MembershipRecord(
                row["key"],
                row["network__key"],
                row["network__acronym"] or row["network__name"],
                row["member__key"],
                row["is_prioritised"],
                tuple(roles[row["pk"]]),
            ),
        )
        for row in rows
    ]


def _mechanisms(user, org_ids, visible_organisations) -> list[MechanismRecord]:
    rows = list(
        visible_to(
            CoordinationMechanism.objects.filter(Q(convenor__in=org_ids) | Q(members__in=org_ids)).distinct(), user
        )
        .values("pk", "key", "name", "kind", "logic", "scope", "convenor__key", "convenor_id")
        .order_by("name", "key")
    )
    visible_ids = set(
        visible_organisations.filter(pk__in=[row["convenor_id"] for row in rows]).values_list("pk", flat=True)
    )
    members: dict[int, list[str]] = defaultdict(list)
    through = CoordinationMechanism.members.through
    for mechanism, key in (
        through.objects.filter(coordinationmechanism_id__in=[row["pk"] for row in rows])
        .filter(organisation__in=visible_organisations)
        .order_by("organisation__key")
        .values_list("coordinationmechanism_id", "organisation__key")
    ):
        members[mechanism].append(key)
    return [
        MechanismRecord(
            row["key"],
            row["name"],
            row["kind"],
            row["logic"],
            row["scope"],
            row["convenor__key"] if row["convenor_id"] in visible_ids else None,
            tuple(members[row["pk"]]),
        )
        for row in rows
    ]


def _indicators(user, org_ids) -> list[tuple[int, IndicatorRecord]]:
    observed = visible_to(Observation.objects.all(), user)
    rows = (
        visible_to(Indicator.objects.filter(organisation__in=org_ids), user)
        .annotate(observed=Count("observations", filter=Q(observations__in=observed)))
        .values("organisation_id", "organisation__key", "key", "name", "category", "kind", "observed")
        .order_by("key")
    )
    return [
        (
            row["organisation_id"],
            IndicatorRecord(
                row["key"], row["organisation__key"], row["name"], row["category"], row["kind"], row["observed"]
            ),
        )
        for row in rows
    ]


def _statistics(user, org_ids, place_ids) -> list[tuple[int | None, int | None, StatisticRecord]]:
    rows = visible_to(Statistic.objects.filter(Q(organisation__in=org_ids) | Q(place__in=place_ids)), user).values(
        "organisation_id",
        "place_id",
        "organisation__key",
        "place__key",
        "key",
        "metric",
        "value",
        "unit",
        "year",
        "scale",
        "qualifier",
    )
    return [
        (
            row["organisation_id"],
            row["place_id"],
            StatisticRecord(
                row["key"],
                row["metric"],
                Decimal(row["value"]),
                row["unit"],
                row["organisation__key"],
                row["place__key"],
                row["year"],
                row["scale"] or "units",
                row["qualifier"] or "exact",
            ),
        )
        for row in rows.order_by("metric", "year", "key")
    ]


def _projects(user, org_ids, visible_organisations) -> list[ProjectRecord]:
    rows = list(
        visible_to(
            CooperationProject.objects.filter(Q(funders__in=org_ids) | Q(implementers__in=org_ids)).distinct(), user
        )
        .values("pk", "key", "title", "modality", "budget", "budget_scale", "budget_currency")
        .order_by("title", "key")
    )
    ids = [row["pk"] for row in rows]
    parties: dict[str, dict[int, list[str]]] = {"funders": defaultdict(list), "implementers": defaultdict(list)}
    for relation in parties:
        through = getattr(CooperationProject, relation).through
        for project, key in (
            through.objects.filter(cooperationproject_id__in=ids, organisation__in=visible_organisations)
            .order_by("organisation__key")
            .values_list("cooperationproject_id", "organisation__key")
        ):
            parties[relation][project].append(key)
    return [
        ProjectRecord(
            row["key"],
            row["title"],
            row["modality"],
            tuple(parties["funders"][row["pk"]]),
            tuple(parties["implementers"][row["pk"]]),
            Decimal(row["budget"]) if row["budget"] is not None else None,
            row["budget_scale"] or "units",
            row["budget_currency"],
        )
        for row in rows
    ]


def _reports(user, org_ids) -> list[tuple[int, ReportRecord]]:
    rows = visible_to(AccountabilityReport.objects.filter(organisation__in=org_ids), user).values(
        "organisation_id", "organisation__key", "key", "title", "kind", "coverage", "sector", "reports_results", "year"
    )
    return [
        (
            row["organisation_id"],
            ReportRecord(
                row["key"],
                row["organisation__key"],
                row["title"],
                row["kind"],
                row["coverage"],
                row["sector"],
                row["reports_results"],
                row["year"],
            ),
        )
        for row in rows.order_by("key")
    ]


def _agreements(user, org_ids, place_ids) -> list[tuple[set[int], set[int], AgreementRecord]]:
    agreements = visible_to(
        Agreement.objects.filter(Q(parties__organisation__in=org_ids) | Q(parties__place__in=place_ids)).distinct(),
        user,
    )
    rows = list(agreements.values("pk", "key", "title", "kind").order_by("key"))
    organisations: dict[int, set[int]] = defaultdict(set)
    places: dict[int, set[int]] = defaultdict(set)
    for agreement, organisation, place in AgreementParty.objects.filter(
        agreement__in=[row["pk"] for row in rows]
    ).values_list("agreement_id", "organisation_id", "place_id"):
        if organisation is not None:
            organisations[agreement].add(organisation)
        if place is not None:
            places[agreement].add(place)
    return [
        (organisations[row["pk"]], places[row["pk"]], AgreementRecord(row["key"], row["title"], row["kind"]))
        for row in rows
    ]


def _codings(user, place_ids) -> list[tuple[int, CodingRecord]]:
    rows = list(
        visible_to(ClassificationCoding.objects.filter(place__in=place_ids), user)
        .values("pk", "place_id", "key", "scheme", "value", "coder", "rationale")
        .order_by("scheme", "coder", "key")
    )
    content_type = ContentType.objects.get_for_model(ClassificationCoding)
    cited: dict[int, list[str]] = defaultdict(list)
    for citation in readable_citations(
        user, Q(content_type=content_type, object_id__in=[row["pk"] for row in rows])
    ).order_by("line_start", "pk"):
        cited[citation.object_id].append(f"{citation.source.title}, {citation.locator}")
    return [
        (
            row["place_id"],
            CodingRecord(
                row["key"], row["scheme"], row["value"], row["coder"], row["rationale"], tuple(cited[row["pk"]])
            ),
        )
        for row in rows
    ]
