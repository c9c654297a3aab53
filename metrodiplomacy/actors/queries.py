"""Reads of the actors app: the one permission gate views, API and exports go through."""

from django.db.models import QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import Organisation, Unit


def visible_organisations(user) -> QuerySet[Organisation]:
    return visible_to(Organisation.objects.all(), user)


def editable_organisations(user) -> QuerySet[Organisation]:
    return editable_to(Organisation.objects.all(), user)


def get_organisation_for_user(user, key: str) -> Organisation:
    return get_visible_or_404(Organisation.objects.all(), user, key=key)


def visible_units(user) -> QuerySet[Unit]:
    return visible_to(Unit.objects.all(), user)


def editable_units(user) -> QuerySet[Unit]:
    return editable_to(Unit.objects.all(), user)


def get_unit_for_user(user, key: str) -> Unit:
    return get_visible_or_404(Unit.objects.all(), user, key=key)
