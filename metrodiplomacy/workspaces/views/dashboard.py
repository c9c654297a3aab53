"""My workspace: my organisations and roles, their records by kind and state, drafts, recent changes."""

from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Q, Value
from django.shortcuts import render
from django.views.decorators.http import require_GET

from metrodiplomacy.records import Publication, Visibility
from metrodiplomacy.related import read_by

from ..kinds import KINDS
from ..models import Membership, Role
from .common import members_only, with_kind

PAGE_SIZE = 25


def _state_counts(kind, organisation_ids: list[int]) -> dict:
    return kind.model.objects.filter(owner__in=organisation_ids).aggregate(
        total=Count("id"),
        private=Count("id", filter=Q(visibility=Visibility.PRIVATE)),
        workspace=Count("id", filter=Q(visibility=Visibility.WORKSPACE)),
        published=Count("id", filter=Q(visibility=Visibility.PUBLIC, publication=Publication.PUBLISHED)),
        drafts=Count("id", filter=Q(visibility=Visibility.PUBLIC, publication=Publication.DRAFT)),
    )


def recent_changes(organisation_ids: list[int]):
    """Every version written to a record of these organisations, newest first, in one query."""
    versions = [
        kind.model.history.filter(owner_id__in=organisation_ids)
        .order_by()
        .annotate(record_kind=Value(kind.slug, output_field=CharField()), who=F("history_user__username"))
        .values("history_date", "history_type", "key", "record_kind", "who", "history_id")
        for kind in KINDS.values()
    ]
    return versions[0].union(*versions[1:], all=True).order_by("-history_date", "-history_id")


@members_only
@require_GET
def show_dashboard(request):
    memberships = list(Membership.objects.filter(user=request.user).select_related("organisation"))
    organisation_ids = [membership.organisation_id for membership in memberships]
    kinds = [(kind, _state_counts(kind, organisation_ids)) for kind in KINDS.values()]
    changes = Paginator(recent_changes(organisation_ids), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspaces/dashboard.html",
        {
            "memberships": memberships,
            "kinds": kinds,
            "drafts": [(kind, counts["drafts"]) for kind, counts in kinds if counts["drafts"]],
            "changes": changes,
            "editable": any(membership.can_edit for membership in memberships),
            "administers": any(membership.role == Role.ADMIN for membership in memberships),
        },
    )


STATES = {
    "private": Q(visibility=Visibility.PRIVATE),
    "workspace": Q(visibility=Visibility.WORKSPACE),
    "published": Q(visibility=Visibility.PUBLIC, publication=Publication.PUBLISHED),
    "drafts": Q(visibility=Visibility.PUBLIC, publication=Publication.DRAFT),
}


@members_only
@require_GET
@with_kind
def list_records(request, kind):
    """The records of one kind that my organisations own, optionally in one state (drafts, published…)."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("organisation"))
    owned = kind.model.objects.filter(owner__in=[m.organisation_id for m in memberships]).select_related("owner")
    # Read by the user: a record's name can carry another's (a unit names its organisation), read by the same rule.
    records = read_by(owned, request.user)
    state = request.GET.get("state", "")
    if state in STATES:
        records = records.filter(STATES[state])
    page = Paginator(records.order_by("-updated_at", "key"), PAGE_SIZE).get_page(request.GET.get("page"))
    editing = {m.organisation_id for m in memberships if m.can_edit}
    return render(
        request,
        "workspaces/records.html",
        {
            "kind": kind,
            "page": page,
            "rows": [(record, request.user.is_staff or record.owner_id in editing) for record in page],
            "state": state,
            "states": list(STATES),
            "may_create": bool(editing) or request.user.is_staff,
        },
    )
