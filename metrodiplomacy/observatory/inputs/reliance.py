"""Reliance codings and the evidence for the derivation rule, read through the visibility gate."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from metrodiplomacy.actors.models import Organisation, OrganisationKind
from metrodiplomacy.analysis.derivation import Evidence
from metrodiplomacy.analysis.reliance import Area, Coding
from metrodiplomacy.cooperation.models import CooperationProject
from metrodiplomacy.diplomacy.models import Agreement, Engagement, Initiative, NetworkMembership
from metrodiplomacy.evidence.models import Framework, FrameworkArea, RelianceCoding
from metrodiplomacy.places.models import GlobalGroup, Place
from metrodiplomacy.places.queries import find_place
from metrodiplomacy.records import visible_to

DEFAULT_FRAMEWORK = "thesis-seven-areas"

# Actors based in a city that do not act for it: a network's secretariat in Paris is not Paris' foreign action.
NOT_THE_PLACES_OWN = (
    OrganisationKind.CITY_NETWORK,
    OrganisationKind.INTERNATIONAL_ORGANISATION,
    OrganisationKind.DIPLOMATIC_MISSION,
)


class UnknownName(LookupError):
    pass


def framework_areas(framework_key: str = DEFAULT_FRAMEWORK) -> list[Area]:
    """The framework's policy areas in their framework order."""
    if not Framework.objects.filter(key=framework_key).exists():
        known = ", ".join(Framework.objects.order_by("key").values_list("key", flat=True))
        raise UnknownName(f"No policy-area framework called {framework_key!r} (known: {known}).")
    rows = FrameworkArea.objects.filter(framework__key=framework_key).order_by("position").select_related("area")
    return [Area(row.area.code, row.area.name) for row in rows]


def resolve_places(names: Sequence[str]) -> list[Place]:
    places = []
    for name in names:
        place = find_place(name)
        if place is None:
            raise UnknownName(f"No place called {name!r} in the database.")
        places.append(place)
    return places


def coded_places(user, areas: Sequence[Area]) -> list[Place]:
    """Places with at least one visible reliance coding in these areas, by name."""
    codings = visible_to(RelianceCoding.objects.all(), user).filter(policy_area__code__in=[a.code for a in areas])
    return list(Place.objects.filter(pk__in=codings.values("place")).order_by("name"))


def labels(places: Sequence[Place]) -> dict[int, str]:
    """Column labels: the place's name, with its key where two selected places share a name."""
    names = [place.name for place in places]
    return {place.pk: place.name if names.count(place.name) == 1 else f"{place.name} ({place.key})" for place in places}


def reliance_codings(user, places: Sequence[Place], areas: Sequence[Area]) -> list[Coding]:
    label = labels(places)
    rows = (
        visible_to(RelianceCoding.objects.all(), user)
        .filter(place__in=places, policy_area__code__in=[a.code for a in areas])
        .values_list("place_id", "policy_area__code", "level", "coder", "key")
    )
    return [Coding(label[place], area, level, coder, key) for place, area, level, coder, key in rows]


def north_south_groups(places: Sequence[Place]) -> dict[str, str]:
    """Each place's Global North / South group, from the place or else its country."""
    label = labels(places)
    names = dict(GlobalGroup.choices)
    countries = {
        c.pk: c.global_group for c in Place.objects.filter(pk__in=[p.country_id for p in places if p.country_id])
    }
    groups = {}
    for place in places:
        group = place.global_group or countries.get(place.country_id, "")
        if group:
            groups[label[place.pk]] = str(names[group])
    return groups


def own_organisations(user, places: Sequence[Place]) -> dict[int, str]:
    """Organisation id → place label for the actors based in each place or in a place inside it."""
    label = labels(places)
    ids = {place.pk for place in places}
    organisations = (
        visible_to(Organisation.objects.all(), user)
        .filter(Q(home_place__in=ids) | Q(home_place__parent__in=ids))
        .exclude(kind__in=NOT_THE_PLACES_OWN)
        .values_list("pk", "home_place_id", "home_place__parent_id")
    )
    return {pk: label[home if home in ids else parent] for pk, home, parent in organisations}


def reliance_evidence(user, places: Sequence[Place], areas: Sequence[Area]) -> list[Evidence]:
    """Every visible record of the places' own actions tagged with one of the areas, once per place."""
    label = labels(places)
    place_ids = set(label)
    actors = own_organisations(user, places)
    codes = [area.code for area in areas]
    evidence: list[Evidence] = []

    def add(kind: str, obj, title: str, places_of_record: set[str], tagged) -> None:
        tags = tuple(sorted({a.code for a in tagged if a.code in codes}))
        if tags:
            evidence.extend(Evidence(kind, obj.key, title, place, tags) for place in sorted(places_of_record))

    def of(org_ids, place_ids_of_record=()) -> set[str]:
        found = {actors[pk] for pk in org_ids if pk in actors}
        return found | {label[pk] for pk in place_ids_of_record if pk in place_ids}

    agreements = visible_to(Agreement.objects.all(), user).prefetch_related("parties", "policy_areas")
    # Each query is narrowed in SQL to records touching the selected places or their actors.
    involved_in_agreement = Q(parties__place__in=place_ids) | Q(parties__organisation__in=list(actors))
    for agreement in agreements.filter(involved_in_agreement, policy_areas__code__in=codes).distinct():
        parties = agreement.parties.all()
        add(
            "agreement",
            agreement,
            agreement.title,
            of([p.organisation_id for p in parties], [p.place_id for p in parties]),
            agreement.policy_areas.all(),
        )

    initiatives = visible_to(Initiative.objects.all(), user).prefetch_related("partners", "places", "policy_areas")
    involved_in_initiative = Q(lead__in=list(actors)) | Q(partners__in=list(actors)) | Q(places__in=place_ids)
    for initiative in initiatives.filter(involved_in_initiative, policy_areas__code__in=codes).distinct():
        involved = [initiative.lead_id, *(o.pk for o in initiative.partners.all())]
        add(
            "initiative",
            initiative,
            initiative.name,
            of(involved, [p.pk for p in initiative.places.all()]),
            initiative.policy_areas.all(),
        )

    engagements = visible_to(Engagement.objects.all(), user).prefetch_related("partners", "policy_areas")
    involved_in_engagement = Q(organisation__in=list(actors)) | Q(partners__in=list(actors))
    for engagement in engagements.filter(involved_in_engagement, policy_areas__code__in=codes).distinct():
        involved = [engagement.organisation_id, *(o.pk for o in engagement.partners.all())]
        add("engagement", engagement, engagement.title, of(involved), engagement.policy_areas.all())

    projects = visible_to(CooperationProject.objects.all(), user).prefetch_related(
        "funders", "implementers", "partner_places", "policy_areas"
    )
    involved_in_project = (
        Q(funders__in=list(actors)) | Q(implementers__in=list(actors)) | Q(partner_places__in=place_ids)
    )
    for project in projects.filter(involved_in_project, policy_areas__code__in=codes).distinct():
        involved = [o.pk for o in (*project.funders.all(), *project.implementers.all())]
        add(
            "cooperation_project",
            project,
            project.title,
            of(involved, [p.pk for p in project.partner_places.all()]),
            project.policy_areas.all(),
        )

    memberships = (
        visible_to(NetworkMembership.objects.all(), user)
        .filter(member__in=list(actors), network__policy_areas__code__in=codes)
        .distinct()
        .select_related("network")
        .prefetch_related("roles", "network__policy_areas")
    )
    for membership in memberships:
        tags = tuple(sorted({a.code for a in membership.network.policy_areas.all() if a.code in codes}))
        roles = tuple(sorted({role.role for role in membership.roles.all()})) or ("member",)
        evidence.append(
            Evidence("membership", membership.key, membership.network.name, actors[membership.member_id], tags, roles)
        )
    return evidence
