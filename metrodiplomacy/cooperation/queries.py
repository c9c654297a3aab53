"""Reads of the cooperation app: the one permission gate views, API and exports go through."""

from django.db.models import QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import CooperationProject


def visible_cooperation_projects(user) -> QuerySet[CooperationProject]:
    return visible_to(CooperationProject.objects.all(), user)


def editable_cooperation_projects(user) -> QuerySet[CooperationProject]:
    return editable_to(CooperationProject.objects.all(), user)


def get_cooperation_project_for_user(user, key: str) -> CooperationProject:
    return get_visible_or_404(CooperationProject.objects.all(), user, key=key)
