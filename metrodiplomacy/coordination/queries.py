"""Reads of the coordination app: the one permission gate views, API, feeds, digest and exports go through."""

from django.db.models import Q, QuerySet
from django.http import Http404

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to
from metrodiplomacy.workspaces.models import FeedSecret, Workspace
from metrodiplomacy.workspaces.services import hash_token

from .models import CoordinationMechanism, Decision, Meeting, StakeholderAgenda


def visible_coordination_mechanisms(user) -> QuerySet[CoordinationMechanism]:
    return visible_to(CoordinationMechanism.objects.all(), user)


def editable_coordination_mechanisms(user) -> QuerySet[CoordinationMechanism]:
    return editable_to(CoordinationMechanism.objects.all(), user)


def get_coordination_mechanism_for_user(user, key: str) -> CoordinationMechanism:
    return get_visible_or_404(CoordinationMechanism.objects.all(), user, key=key)


def workspaces_for(user) -> QuerySet[Workspace]:
    """The workspaces whose coordination space the user may enter: those of their organisations (staff: all)."""
    if user is None or not user.is_authenticated:
        return Workspace.objects.none()
    if user.is_staff:
        return Workspace.objects.all()
    return Workspace.objects.filter(organisations__memberships__user=user).distinct()


def get_workspace_for_user(user, key: str) -> Workspace:
    """The workspace if the user belongs to one of its organisations; any other answers like a missing one."""
    found = workspaces_for(user).filter(key=key).first()
    if found is None:
        raise Http404("No such workspace.")
    return found


def live_feed_secret(secret: str, workspace_key: str) -> FeedSecret | None:
    """The live feed secret opening this workspace's feeds, if the secret is one; its user must still be active."""
    return (
        FeedSecret.objects.select_related("user")
        .filter(
            secret_hash=hash_token(secret),
            workspace__key=workspace_key,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )


def live_feed_secrets(user, workspace: Workspace) -> QuerySet[FeedSecret]:
    """The user's own live feed secrets of the workspace, newest first; never anyone else's."""
    return FeedSecret.objects.filter(user=user, workspace=workspace, revoked_at__isnull=True).order_by("-created_at")


def workspace_mechanisms(user, workspace: Workspace) -> QuerySet[CoordinationMechanism]:
    """The visible mechanisms convened by, joined by or owned by an organisation of the workspace."""
    ids = list(workspace.organisations.values_list("pk", flat=True))
    return (
        visible_coordination_mechanisms(user)
        .filter(Q(convenor__in=ids) | Q(members__in=ids) | Q(owner__in=ids))
        .distinct()
        .select_related("convenor", "owner")
        .prefetch_related("members")
        .order_by("name")
    )


def visible_agendas(user) -> QuerySet[StakeholderAgenda]:
    return visible_to(StakeholderAgenda.objects.all(), user)


def editable_agendas(user) -> QuerySet[StakeholderAgenda]:
    return editable_to(StakeholderAgenda.objects.all(), user)


def get_agenda_for_user(user, key: str) -> StakeholderAgenda:
    return get_visible_or_404(StakeholderAgenda.objects.select_related("organisation"), user, key=key)


def visible_meetings(user) -> QuerySet[Meeting]:
    """Meetings are read by whoever may read their mechanism."""
    return Meeting.objects.filter(mechanism__in=visible_coordination_mechanisms(user))


def get_meeting_for_user(user, mechanism_key: str, meeting_id: int) -> Meeting:
    found = visible_meetings(user).filter(mechanism__key=mechanism_key, pk=meeting_id).first()
    if found is None:
        raise Http404("No such meeting.")
    return found


def visible_decisions(user) -> QuerySet[Decision]:
    return Decision.objects.filter(mechanism__in=visible_coordination_mechanisms(user))


def get_decision_for_user(user, mechanism_key: str, decision_id: int) -> Decision:
    found = visible_decisions(user).filter(mechanism__key=mechanism_key, pk=decision_id).first()
    if found is None:
        raise Http404("No such decision.")
    return found
