"""Reads of the diplomacy app: the one permission gate views, API and exports go through."""

from django.db.models import QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import Agreement, Engagement, Hosting, Initiative, NetworkMembership


def visible_agreements(user) -> QuerySet[Agreement]:
    return visible_to(Agreement.objects.all(), user)


def editable_agreements(user) -> QuerySet[Agreement]:
    return editable_to(Agreement.objects.all(), user)


def get_agreement_for_user(user, key: str) -> Agreement:
    return get_visible_or_404(Agreement.objects.all(), user, key=key)


def visible_network_memberships(user) -> QuerySet[NetworkMembership]:
    return visible_to(NetworkMembership.objects.all(), user)


def editable_network_memberships(user) -> QuerySet[NetworkMembership]:
    return editable_to(NetworkMembership.objects.all(), user)


def get_network_membership_for_user(user, key: str) -> NetworkMembership:
    return get_visible_or_404(NetworkMembership.objects.all(), user, key=key)


def visible_hostings(user) -> QuerySet[Hosting]:
    return visible_to(Hosting.objects.all(), user)


def editable_hostings(user) -> QuerySet[Hosting]:
    return editable_to(Hosting.objects.all(), user)


def get_hosting_for_user(user, key: str) -> Hosting:
    return get_visible_or_404(Hosting.objects.all(), user, key=key)


def visible_initiatives(user) -> QuerySet[Initiative]:
    return visible_to(Initiative.objects.all(), user)


def editable_initiatives(user) -> QuerySet[Initiative]:
    return editable_to(Initiative.objects.all(), user)


def get_initiative_for_user(user, key: str) -> Initiative:
    return get_visible_or_404(Initiative.objects.all(), user, key=key)


def visible_engagements(user) -> QuerySet[Engagement]:
    return visible_to(Engagement.objects.all(), user)


def editable_engagements(user) -> QuerySet[Engagement]:
    return editable_to(Engagement.objects.all(), user)


def get_engagement_for_user(user, key: str) -> Engagement:
    return get_visible_or_404(Engagement.objects.all(), user, key=key)
