"""Reads about a person's own account: who must use a second factor, and which devices and tokens they hold."""

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrodiplomacy.workspaces.models import ApiToken, Membership, Role


def needs_second_factor(user) -> bool:
    """Editors and admins of any organisation, and site staff, can change data: a password alone is not enough."""
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=[Role.EDITOR, Role.ADMIN]).exists()


def confirmed_totp_device(user) -> TOTPDevice | None:
    """The authenticator app the user has enrolled (one per person), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user) -> bool:
    return confirmed_totp_device(user) is not None


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def live_tokens(user) -> QuerySet[ApiToken]:
    """The user's own tokens that still work, newest first; only ever the caller's own."""
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("organisation")
        .order_by("-created_at")
    )


def token_organisations(user):
    """The organisations a token may be limited to: those the user belongs to."""
    from metrodiplomacy.actors.models import Organisation

    return Organisation.objects.filter(memberships__user=user).order_by("name")
