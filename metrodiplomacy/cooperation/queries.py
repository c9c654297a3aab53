"""Reads of the cooperation app: the one permission gate views, API and exports go through."""

from django.db.models import Prefetch, Q, QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to
from metrodiplomacy.related import read_by

from .models import CooperationProject, ProjectResult

PROJECT_DETAILS = (
    "funders",
    "implementers",
    "partner_places",
    "policy_areas",
    "sectors",
    "goals",
    "budgets",
    Prefetch("results", ProjectResult.objects.order_by("position")),
)


def visible_cooperation_projects(user) -> QuerySet[CooperationProject]:
    return visible_to(CooperationProject.objects.all(), user)


def editable_cooperation_projects(user) -> QuerySet[CooperationProject]:
    return editable_to(CooperationProject.objects.all(), user)


def get_cooperation_project_for_user(user, key: str) -> CooperationProject:
    return get_visible_or_404(CooperationProject.objects.all(), user, key=key)


def projects_of(organisation, user) -> QuerySet[CooperationProject]:
    """Projects the user may read that the organisation owns, funds or implements."""
    involved = visible_cooperation_projects(user).filter(
        Q(owner=organisation) | Q(funders=organisation) | Q(implementers=organisation)
    )
    # Read by the user: the funders, implementers, participants and result indicators each project names are
    # shown only where the reader may read them (the IATI file is read anonymously).
    return read_by(CooperationProject.objects.filter(pk__in=involved.values("pk")), user)


def iati_projects_of(organisation) -> QuerySet[CooperationProject]:
    """The organisation's published public projects, with everything an IATI activity shows."""
    return (
        projects_of(organisation, None)
        .select_related("owner")
        .prefetch_related(
            "funders__iati_identifier",
            "implementers__iati_identifier",
            "participants__organisation__iati_identifier",
            "partner_places__country",
            "sectors",
            "goals",
            "budgets",
            Prefetch("results", ProjectResult.objects.select_related("indicator").order_by("position")),
        )
        .order_by("key")
    )
