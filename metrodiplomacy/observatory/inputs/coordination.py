"""Feeder of the coordination rules: one workspace's records, read through each app's gate, as plain values.

Every queryset passes `visible_to` for the reader (and, for a token acting for one organisation, that
token's narrower gate), so a private mission of one organisation never reaches another's findings, calendar,
feed or digest. Records belong to the workspace by who acts in them (the engagement's organisation and
partners, an agreement's parties, a seat's member), not by who typed them in: the bundled case studies are
owned by the platform and still describe the metropolis' organisations.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch, Q, QuerySet

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.analysis.coordination import (
    Activity,
    Collaboration,
    CoordinationInputs,
    Effort,
    RecordRef,
    Seat,
    Stakeholder,
    Tie,
)
from metrodiplomacy.cooperation.models import CooperationProject
from metrodiplomacy.coordination.models import CoordinationMechanism, StakeholderAgenda
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty, Engagement, Initiative, NetworkMembership
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import visible_to
from metrodiplomacy.strategy.models import Strategy

Narrow = Callable[[QuerySet], QuerySet]
CITY_KINDS = {"city", "municipality", "metropolitan_area"}


def _gate(queryset: QuerySet, user, narrow: Narrow | None) -> QuerySet:
    gated = visible_to(queryset, user)
    return narrow(gated) if narrow is not None else gated


def organisation_name(organisation: Organisation) -> str:
    return organisation.acronym or organisation.name


def home_territory(organisations: list[Organisation]) -> set[int]:
    """The places the metropolis is at home in: its organisations' home places, their parents and children."""
    homes = {o.home_place_id for o in organisations if o.home_place_id}
    parents = set(Place.objects.filter(pk__in=homes, parent__isnull=False).values_list("parent_id", flat=True))
    # A country is a parent of cities too, but the whole country is not home: only metropolitan parents count.
    parents = set(Place.objects.filter(pk__in=parents).exclude(kind="country").values_list("pk", flat=True))
    children = set(Place.objects.filter(parent__in=homes | parents).values_list("pk", flat=True))
    return homes | parents | children


def _place_values(place: Place | None) -> dict:
    if place is None:
        return {}
    country = place if place.kind == "country" else place.country
    return {
        "place": place.key,
        "place_name": place.name,
        "city": place.key if place.kind in CITY_KINDS else "",
        "country": country.key if country else "",
        "country_name": country.name if country else "",
        "region": place.region or (country.region if country else ""),
    }


def _ancestry(place: Place) -> list[Place]:
    """The place and the places above it, short of the country (a whole country is no shared territory)."""
    chain, current = [], place
    while current is not None and current.kind != "country" and current not in chain:
        chain.append(current)
        current = current.parent
    return chain


def engagement_activity(engagement: Engagement, members: set[int]) -> Activity:
    acting = []
    if engagement.organisation_id in members:
        acting.append(engagement.organisation.key)
    elif engagement.organisation_id is None and engagement.owner_id in members:
        acting.append(engagement.owner.key)
    acting += [p.key for p in engagement.partners.all() if p.pk in members and p.key not in acting]
    return Activity(
        ref=RecordRef("engagements", engagement.key, engagement.title),
        kind=engagement.kind,
        organisations=tuple(acting),
        start=engagement.date,
        end=engagement.end_date,
        year=engagement.year or (engagement.date.year if engagement.date else None),
        policy_areas=tuple(area.name for area in engagement.policy_areas.all()),
        **_place_values(engagement.place),
    )


def workspace_engagements(user, organisations: list[Organisation], narrow: Narrow | None = None) -> QuerySet:
    """The engagements the reader may see in which an organisation of the workspace acts."""
    ids = [o.pk for o in organisations]
    queryset = Engagement.objects.filter(
        Q(organisation__in=ids) | Q(partners__in=ids) | Q(organisation__isnull=True, owner__in=ids)
    ).distinct()
    return (
        _gate(queryset, user, narrow)
        .select_related("organisation", "owner", "place__country", "place__parent")
        .prefetch_related("policy_areas", "partners")
        .order_by("date", "year", "key")
    )


def activities(user, organisations: list[Organisation], narrow: Narrow | None = None) -> list[Activity]:
    members = {o.pk for o in organisations}
    return [engagement_activity(e, members) for e in workspace_engagements(user, organisations, narrow)]


def _ties(user, organisations: list[Organisation], home: set[int], narrow: Narrow | None) -> tuple[list, list]:
    members = {o.pk for o in organisations}
    ties: list[Tie] = []
    collaborations: list[Collaboration] = []
    parties = AgreementParty.objects.select_related("place__country", "organisation__home_place__country")
    agreements = (
        _gate(Agreement.objects.filter(parties__organisation__in=members).distinct(), user, narrow)
        .prefetch_related(Prefetch("parties", queryset=parties), "policy_areas")
        .order_by("key")
    )
    for agreement in agreements:
        ref = RecordRef("agreements", agreement.key, agreement.title)
        ours = [p.organisation for p in agreement.parties.all() if p.organisation_id in members]
        partner_places = [p.place for p in agreement.parties.all() if p.place_id]
        partner_places += [
            p.organisation.home_place
            for p in agreement.parties.all()
            if p.organisation_id and p.organisation_id not in members and p.organisation.home_place_id
        ]
        areas = tuple(a.name for a in agreement.policy_areas.all())
        for organisation in ours:
            for place in partner_places:
                if place.pk not in home:
                    ties.append(
                        Tie(ref, organisation.key, place.key, place.name, _place_values(place)["region"], areas)
                    )
        if len(ours) > 1:
            collaborations.append(Collaboration(ref, frozenset(o.key for o in ours)))
    projects = (
        _gate(
            CooperationProject.objects.filter(Q(funders__in=members) | Q(implementers__in=members)).distinct(),
            user,
            narrow,
        )
        .prefetch_related("funders", "implementers", "policy_areas", "partner_places__country")
        .order_by("key")
    )
    for project in projects:
        ref = RecordRef("cooperation-projects", project.key, project.title)
        ours = list(
            dict.fromkeys(o.key for o in [*project.funders.all(), *project.implementers.all()] if o.pk in members)
        )
        areas = tuple(a.name for a in project.policy_areas.all())
        for key in ours:
            for place in project.partner_places.all():
                if place.pk not in home:
                    ties.append(Tie(ref, key, place.key, place.name, _place_values(place)["region"], areas))
        if len(ours) > 1:
            collaborations.append(Collaboration(ref, frozenset(ours)))
    return ties, collaborations


def seats(user, organisations: list[Organisation], narrow: Narrow | None = None) -> list[Seat]:
    """The network seats of the workspace's organisations the reader may see."""
    memberships = (
        _gate(NetworkMembership.objects.filter(member__in=[o.pk for o in organisations]), user, narrow)
        .select_related("member", "network")
        .prefetch_related("roles")
        .order_by("network__name", "member__name")
    )
    return [
        Seat(
            ref=RecordRef("network-memberships", m.key, f"{m.member} — {m.network}"),
            organisation=m.member.key,
            network=m.network.key,
            roles=tuple(sorted({role.role for role in m.roles.all()})),
            annual_fee=m.annual_fee,
            fee_currency=m.fee_currency,
            is_prioritised=m.is_prioritised,
        )
        for m in memberships
    ]


def _efforts(user, organisations: list[Organisation], narrow: Narrow | None) -> tuple[list, list]:
    members = {o.pk for o in organisations}
    efforts: list[Effort] = []
    collaborations: list[Collaboration] = []
    places = Place.objects.select_related("parent__parent")
    initiatives = (
        _gate(Initiative.objects.filter(Q(lead__in=members) | Q(partners__in=members)).distinct(), user, narrow)
        .select_related("lead")
        .prefetch_related("partners", "policy_areas", Prefetch("places", queryset=places))
        .order_by("key")
    )
    for initiative in initiatives:
        ref = RecordRef("initiatives", initiative.key, initiative.name)
        acting = [initiative.lead] if initiative.lead_id in members else []
        acting += [p for p in initiative.partners.all() if p.pk in members and p not in acting]
        keys = tuple(o.key for o in acting)
        chain = [p for place in initiative.places.all() for p in _ancestry(place)]
        efforts.append(
            Effort(
                ref,
                keys,
                tuple(p.key for p in chain),
                tuple(p.name for p in chain),
                tuple(a.name for a in initiative.policy_areas.all()),
            )
        )
        if len(keys) > 1:
            collaborations.append(Collaboration(ref, frozenset(keys)))
    strategies = (
        _gate(Strategy.objects.filter(organisation__in=members).exclude(sector=""), user, narrow)
        .select_related("organisation__home_place__parent__parent")
        .order_by("key")
    )
    for strategy in strategies:
        home = strategy.organisation.home_place
        chain = _ancestry(home) if home is not None else []
        efforts.append(
            Effort(
                RecordRef("strategies", strategy.key, strategy.name),
                (strategy.organisation.key,),
                tuple(p.key for p in chain),
                tuple(p.name for p in chain),
                (str(strategy.get_sector_display()),),
            )
        )
    return efforts, collaborations


def _mechanism_collaborations(user, organisations: list[Organisation], narrow: Narrow | None) -> list:
    members = {o.pk for o in organisations}
    mechanisms = (
        _gate(
            CoordinationMechanism.objects.filter(Q(convenor__in=members) | Q(members__in=members)).distinct(),
            user,
            narrow,
        )
        .select_related("convenor")
        .prefetch_related("members")
        .order_by("key")
    )
    found = []
    for mechanism in mechanisms:
        keys = {o.key for o in mechanism.members.all() if o.pk in members}
        if mechanism.convenor_id in members:
            keys.add(mechanism.convenor.key)
        if len(keys) > 1:
            found.append(
                Collaboration(RecordRef("coordination-mechanisms", mechanism.key, mechanism.name), frozenset(keys))
            )
    return found


def agendas(user, organisations: list[Organisation], narrow: Narrow | None = None) -> dict[int, StakeholderAgenda]:
    """The visible agenda of each organisation that has one."""
    found = (
        _gate(StakeholderAgenda.objects.filter(organisation__in=[o.pk for o in organisations]), user, narrow)
        .select_related("unit")
        .prefetch_related("policy_areas", "priority_countries", "priority_cities", "networks")
    )
    return {agenda.organisation_id: agenda for agenda in found}


def stakeholders(user, organisations: list[Organisation], narrow: Narrow | None = None) -> list[Stakeholder]:
    """Each organisation of the workspace with its agenda, where the reader may see one."""
    by_organisation = agendas(user, organisations, narrow)
    result = []
    for organisation in organisations:
        agenda = by_organisation.get(organisation.pk)
        if agenda is None:
            result.append(Stakeholder(organisation.key, organisation.name, str(organisation.get_kind_display())))
            continue
        result.append(
            Stakeholder(
                key=organisation.key,
                name=organisation.name,
                kind=str(organisation.get_kind_display()),
                sector=str(agenda.get_sector_display()) if agenda.sector else "",
                policy_areas=tuple(a.name for a in agenda.policy_areas.all()),
                priority_regions=tuple(agenda.priority_regions or ()),
                priority_countries=tuple(p.name for p in agenda.priority_countries.all()),
                priority_cities=tuple(p.name for p in agenda.priority_cities.all()),
                networks=tuple(organisation_name(n) for n in agenda.networks.all()),
                unit=agenda.unit.name if agenda.unit_id else "",
                contact=", ".join(x for x in (agenda.contact_name, agenda.contact_email) if x),
                commitments=agenda.commitments,
                agenda=RecordRef("stakeholder-agendas", agenda.key, str(organisation)),
            )
        )
    return result


def workspace_organisations(workspace) -> list[Organisation]:
    return list(workspace.organisations.select_related("home_place").order_by("name"))


def coordination_inputs(user, workspace, narrow: Narrow | None = None) -> CoordinationInputs:
    """Everything the rules need about one workspace, as the reader may see it."""
    organisations = workspace_organisations(workspace)
    home = home_territory(organisations)
    found_seats = seats(user, organisations, narrow)
    ties, agreement_collaborations = _ties(user, organisations, home, narrow)
    efforts, initiative_collaborations = _efforts(user, organisations, narrow)
    found_activities = activities(user, organisations, narrow)
    engagement_collaborations = [
        Collaboration(a.ref, frozenset(a.organisations)) for a in found_activities if len(a.organisations) > 1
    ]
    names = {o.key: organisation_name(o) for o in organisations}
    networks = Organisation.objects.filter(key__in={s.network for s in found_seats})
    names |= {n.key: organisation_name(n) for n in networks}
    found_stakeholders = stakeholders(user, organisations, narrow)
    return CoordinationInputs(
        stakeholders=tuple(found_stakeholders),
        activities=tuple(found_activities),
        ties=tuple(ties),
        seats=tuple(found_seats),
        efforts=tuple(efforts),
        collaborations=tuple(
            [
                *agreement_collaborations,
                *initiative_collaborations,
                *engagement_collaborations,
                *_mechanism_collaborations(user, organisations, narrow),
            ]
        ),
        names=names,
    )
