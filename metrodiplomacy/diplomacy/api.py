"""Agreements, network memberships, hostings, initiatives and engagements under /api/v1/."""

from django.db.models import Prefetch
from ninja import Router

from metrodiplomacy.api.common import add_record_endpoints
from metrodiplomacy.api.writing import add_write_endpoints

from . import services
from .models import AgreementParty
from .queries import (
    get_agreement_for_user,
    get_engagement_for_user,
    get_hosting_for_user,
    get_initiative_for_user,
    get_network_membership_for_user,
    visible_agreements,
    visible_engagements,
    visible_hostings,
    visible_initiatives,
    visible_network_memberships,
)
from .schemas import (
    AgreementDetailOut,
    AgreementFilters,
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    EngagementDetailOut,
    EngagementFilters,
    EngagementIn,
    EngagementOut,
    EngagementPatch,
    HostingDetailOut,
    HostingFilters,
    HostingOut,
    InitiativeDetailOut,
    InitiativeFilters,
    InitiativeIn,
    InitiativeOut,
    InitiativePatch,
    NetworkMembershipDetailOut,
    NetworkMembershipFilters,
    NetworkMembershipOut,
)

router = Router(tags=["diplomacy"])

# One query for the parties with their place and organisation, not one per kind of party.
AGREEMENT_PREFETCH = (
    "policy_areas",
    Prefetch("parties", queryset=AgreementParty.objects.select_related("place", "organisation")),
)
INITIATIVE_PREFETCH = ("partners", "places", "policy_areas")
ENGAGEMENT_PREFETCH = ("policy_areas", "partners")

add_record_endpoints(
    router,
    path="agreements",
    name="agreements",
    out=AgreementOut,
    detail=AgreementDetailOut,
    filters=AgreementFilters,
    visible=visible_agreements,
    get_for_user=get_agreement_for_user,
    prefetch=AGREEMENT_PREFETCH,
)
add_write_endpoints(
    router,
    path="agreements",
    name="agreements",
    create_in=AgreementIn,
    patch_in=AgreementPatch,
    detail=AgreementDetailOut,
    get_for_user=get_agreement_for_user,
    create=services.record_agreement,
    change=services.change_agreement,
    remove=services.remove_agreement,
    prefetch=AGREEMENT_PREFETCH,
)
add_record_endpoints(
    router,
    path="network-memberships",
    name="network memberships",
    out=NetworkMembershipOut,
    detail=NetworkMembershipDetailOut,
    filters=NetworkMembershipFilters,
    visible=visible_network_memberships,
    get_for_user=get_network_membership_for_user,
    related=("network", "member"),
    prefetch=("roles",),
)
add_record_endpoints(
    router,
    path="hostings",
    name="hostings",
    out=HostingOut,
    detail=HostingDetailOut,
    filters=HostingFilters,
    visible=visible_hostings,
    get_for_user=get_hosting_for_user,
    related=("place", "organisation"),
)
add_record_endpoints(
    router,
    path="initiatives",
    name="initiatives",
    out=InitiativeOut,
    detail=InitiativeDetailOut,
    filters=InitiativeFilters,
    visible=visible_initiatives,
    get_for_user=get_initiative_for_user,
    related=("lead",),
    prefetch=INITIATIVE_PREFETCH,
)
add_write_endpoints(
    router,
    path="initiatives",
    name="initiatives",
    create_in=InitiativeIn,
    patch_in=InitiativePatch,
    detail=InitiativeDetailOut,
    get_for_user=get_initiative_for_user,
    create=services.record_initiative,
    change=services.change_initiative,
    remove=services.remove_initiative,
    related=("lead",),
    prefetch=INITIATIVE_PREFETCH,
)
add_record_endpoints(
    router,
    path="engagements",
    name="engagements",
    out=EngagementOut,
    detail=EngagementDetailOut,
    filters=EngagementFilters,
    visible=visible_engagements,
    get_for_user=get_engagement_for_user,
    related=("organisation", "place"),
    prefetch=ENGAGEMENT_PREFETCH,
)
add_write_endpoints(
    router,
    path="engagements",
    name="engagements",
    create_in=EngagementIn,
    patch_in=EngagementPatch,
    detail=EngagementDetailOut,
    get_for_user=get_engagement_for_user,
    create=services.record_engagement,
    change=services.change_engagement,
    remove=services.remove_engagement,
    related=("organisation", "place"),
    prefetch=ENGAGEMENT_PREFETCH,
)
