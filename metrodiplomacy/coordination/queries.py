"""Reads of the coordination app: the one permission gate views, API and exports go through."""

from django.db.models import QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import CoordinationMechanism


def visible_coordination_mechanisms(user) -> QuerySet[CoordinationMechanism]:
    return visible_to(CoordinationMechanism.objects.all(), user)


def editable_coordination_mechanisms(user) -> QuerySet[CoordinationMechanism]:
    return editable_to(CoordinationMechanism.objects.all(), user)


def get_coordination_mechanism_for_user(user, key: str) -> CoordinationMechanism:
    return get_visible_or_404(CoordinationMechanism.objects.all(), user, key=key)
