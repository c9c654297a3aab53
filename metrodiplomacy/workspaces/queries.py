"""The workspaces app's permission gate: who administers which organisation, and whose memberships they see."""

from django.http import Http404

from metrodiplomacy.actors.models import Organisation

from .models import Membership, Role


def administered_organisations(user):
    """The organisations in which the user is an admin: only they manage those organisations' members."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN).order_by("name")


def get_organisation_for_admin(user, key: str) -> Organisation:
    """An organisation the user administers; any other answers 404, as a missing one does."""
    organisation = administered_organisations(user).filter(key=key).first()
    if organisation is None:
        raise Http404("No such organisation.")
    return organisation


def get_membership_for_admin(user, membership_id: int) -> Membership:
    """A membership of an organisation the user administers; any other answers 404."""
    membership = (
        Membership.objects.filter(pk=membership_id, organisation__in=administered_organisations(user))
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such membership.")
    return membership
