"""The demo coordination space of the Barcelona metropolitan area, built from the bundled case studies.

It gathers the organisations the bundled data places in the metropolis (the AMB, the City Council, the
Provincial Council, the municipalities, the port, agencies, universities, business associations...) into
one workspace, and gives each organisation with recorded activity an agenda derived from that activity:
the policy areas of its records, the regions of its partners abroad, the networks it sits in and its
international unit. Such an agenda is a starting point, not the organisation's own statement, and says so
in its flag. Running it again changes nothing that exists (agendas edited since are left alone).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.cooperation.models import CooperationProject
from metrodiplomacy.diplomacy.models import Agreement, Engagement, Initiative, NetworkMembership
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import Visibility
from metrodiplomacy.workspaces.models import Workspace

from .models import M49_REGIONS, StakeholderAgenda, StakeholderSector

WORKSPACE_KEY = "barcelona-metropolis"
WORKSPACE_NAME = "Barcelona metropolitan area"
METROPOLITAN_AREA = "barcelona-metropolitan-area"
# The region around the metropolis whose government the study names among the stakeholders (section 6).
REGION = "catalonia"
# City networks and international bodies seated in Barcelona are partners of the metropolis, not its stakeholders.
NOT_STAKEHOLDERS = {"city_network", "international_organisation", "diplomatic_mission"}
DERIVED_FLAG = (
    "Derived by the demo from this organisation's recorded activity (policy areas of its records, regions of "
    "its partners abroad, its network seats); not a statement by the organisation."
)
SECTORS = {
    "metropolitan_government": StakeholderSector.PUBLIC,
    "city_government": StakeholderSector.PUBLIC,
    "regional_government": StakeholderSector.PUBLIC,
    "national_government": StakeholderSector.PUBLIC,
    "agency": StakeholderSector.PUBLIC,
    "public_company": StakeholderSector.PUBLIC,
    "business_association": StakeholderSector.PRIVATE,
    "university": StakeholderSector.ACADEMIA,
    "research_centre": StakeholderSector.ACADEMIA,
    "ngo": StakeholderSector.CIVIL_SOCIETY,
}


@dataclass(frozen=True)
class DemoSummary:
    workspace: Workspace
    organisations: int
    agendas_created: int


class DemoDataMissing(LookupError):
    """The bundled case studies are not loaded: the demo has nothing to gather."""


def metropolitan_places() -> list[Place]:
    """The metropolitan area, the places inside it (two levels) and the surrounding region."""
    area = Place.objects.filter(key=METROPOLITAN_AREA).first()
    if area is None:
        raise DemoDataMissing(
            "The Barcelona metropolitan area is not in the database: run `metrodip load casestudies`."
        )
    return list(Place.objects.filter(Q(pk=area.pk) | Q(parent=area) | Q(parent__parent=area) | Q(key=REGION)))


def stakeholders_of_the_metropolis() -> list[Organisation]:
    places = metropolitan_places()
    return list(Organisation.objects.filter(home_place__in=places).exclude(kind__in=NOT_STAKEHOLDERS).order_by("name"))


def _derived_agenda(organisation: Organisation, home: set[int]) -> dict:
    """Policy areas, regions abroad, networks and unit as the organisation's records show them."""
    areas: set[int] = set()
    partner_places: list[Place] = []
    engagements = Engagement.objects.filter(Q(organisation=organisation) | Q(partners=organisation)).distinct()
    for engagement in engagements.select_related("place__country").prefetch_related("policy_areas"):
        areas |= {a.pk for a in engagement.policy_areas.all()}
        if engagement.place_id and engagement.place_id not in home:
            partner_places.append(engagement.place)
    for initiative in (
        Initiative.objects.filter(Q(lead=organisation) | Q(partners=organisation))
        .distinct()
        .prefetch_related("policy_areas")
    ):
        areas |= {a.pk for a in initiative.policy_areas.all()}
    agreements = Agreement.objects.filter(parties__organisation=organisation).distinct()
    for agreement in agreements.prefetch_related("policy_areas", "parties__place__country"):
        areas |= {a.pk for a in agreement.policy_areas.all()}
        partner_places += [p.place for p in agreement.parties.all() if p.place_id and p.place_id not in home]
    projects = CooperationProject.objects.filter(Q(funders=organisation) | Q(implementers=organisation)).distinct()
    for project in projects.prefetch_related("policy_areas", "partner_places__country"):
        areas |= {a.pk for a in project.policy_areas.all()}
        partner_places += [p for p in project.partner_places.all() if p.pk not in home]
    regions = []
    for place in partner_places:
        region = place.region or (place.country.region if place.country_id else "")
        if region in M49_REGIONS and region not in regions:
            regions.append(region)
    networks = list(
        NetworkMembership.objects.filter(member=organisation).values_list("network_id", flat=True).distinct()
    )
    # The international relations unit answers for the agenda where there is one.
    units = Unit.objects.filter(organisation=organisation).order_by("name")
    unit = units.filter(specialty="international_relations").first() or units.first()
    return {"areas": sorted(areas), "regions": regions, "networks": networks, "unit": unit}


@transaction.atomic
def build_barcelona_demo() -> DemoSummary:
    """Create (or complete) the Barcelona coordination workspace and the derived agendas; idempotent."""
    organisations = stakeholders_of_the_metropolis()
    workspace, _ = Workspace.objects.get_or_create(
        key=WORKSPACE_KEY,
        defaults={
            "name": WORKSPACE_NAME,
            "description": (
                "Demo coordination space: the organisations the bundled case studies place in the Barcelona "
                "metropolitan area, following the study's call for a mechanism that follows the whole "
                "external action of the metropolis with all its stakeholders."
            ),
        },
    )
    workspace.organisations.add(*organisations)
    home = {p.pk for p in metropolitan_places()}
    created = 0
    for organisation in organisations:
        if StakeholderAgenda.objects.filter(organisation=organisation).exists():
            continue
        derived = _derived_agenda(organisation, home)
        if not (derived["areas"] or derived["regions"] or derived["networks"] or derived["unit"]):
            continue  # nothing recorded to derive from: the directory lists it without an agenda
        agenda = StakeholderAgenda(
            key=f"agenda-{organisation.key}"[:120],
            owner=organisation,
            organisation=organisation,
            visibility=Visibility.WORKSPACE,
            sector=SECTORS.get(organisation.kind, ""),
            priority_regions=derived["regions"],
            unit=derived["unit"],
            flag=DERIVED_FLAG,
        )
        agenda.full_clean()
        agenda.save()
        agenda.policy_areas.set(derived["areas"])
        agenda.networks.set(derived["networks"])
        created += 1
    return DemoSummary(workspace, len(organisations), created)
