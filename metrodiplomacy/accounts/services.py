"""Writes to a person's own account: enrolling an authenticator, recovery codes, checking codes, email.

Codes are single use: django-otp refuses a TOTP code whose time step is not after the last one accepted
(`last_t`), and deletes a recovery code when it is used. Wrong codes are counted on the devices themselves
(so the count survives a new session); after `CODE_FAILURE_LIMIT` of them within the cool-off the code step
refuses every code until the cool-off has passed, then opens again by itself — never a permanent lockout.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

CODE_FAILURE_LIMIT = 5
RECOVERY_CODE_COUNT = 10


class SecondFactorLocked(Exception):
    """Too many wrong codes lately; carries when the code step opens again."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def code_cooloff() -> timedelta:
    # The same cool-off as the password step (axes), so one rule covers both halves of signing in.
    return settings.AXES_COOLOFF_TIME


def _devices(user) -> list[Device]:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def _recent_failures(devices: list[Device], now: datetime) -> tuple[int, datetime | None]:
    recent = [
        device
        for device in devices
        if device.throttling_failure_count
        and device.throttling_failure_timestamp
        and now - device.throttling_failure_timestamp < code_cooloff()
    ]
    count = sum(device.throttling_failure_count for device in recent)
    last = max((device.throttling_failure_timestamp for device in recent), default=None)
    return count, last


def normalise_code(code: str) -> str:
    """Codes are read aloud and copied from paper: spaces and dashes do not count, nor does case."""
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def verify_second_factor(user, code: str) -> Device | None:
    """The device that accepts this code (which is then used up), or None; raises SecondFactorLocked."""
    now = timezone.now()
    devices = _devices(user)
    failures, last = _recent_failures(devices, now)
    if failures >= CODE_FAILURE_LIMIT and last is not None:
        raise SecondFactorLocked(last + code_cooloff())
    for device in devices:
        if device.throttling_failure_count and failures == 0:
            # Failures older than the cool-off are forgiven, as the password step forgives them.
            device.throttle_reset()
    code = normalise_code(code)
    if not code:
        return None
    # Six digits are an authenticator code; anything else can only be a recovery code. Trying only the
    # matching kind counts one failure per wrong code, not one per device.
    kind = TOTPDevice if code.isdigit() else StaticDevice
    for device in devices:
        if isinstance(device, kind) and device.verify_token(code):
            for other in devices:
                if other is not device and other.throttling_failure_count:
                    other.throttle_reset()
            return device
    return None


@transaction.atomic
def start_totp_enrolment(user) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user; it counts only once a code from it is confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(user, device_id: int, code: str) -> list[str]:
    """Confirm the pending authenticator with one of its codes; returns fresh recovery codes.

    The confirmed device replaces any earlier authenticator, and the earlier recovery codes stop working.
    """
    device = TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()
    if device is None:
        raise ValidationError({"code": _("This enrolment has expired; start again.")})
    if not device.verify_token(normalise_code(code)):
        raise ValidationError({"code": _("That code does not match. Check the time on your phone and try again.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return replace_recovery_codes(user)


@transaction.atomic
def replace_recovery_codes(user) -> list[str]:
    """Ten new single-use recovery codes; every earlier one stops working. Only their holder sees them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def disable_second_factor(user) -> None:
    """Remove the authenticator and the recovery codes; an editor is asked to enrol again at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def change_email(user, email: str) -> None:
    """Give the user a new email address (already validated by the form)."""
    user.email = email
    user.save(update_fields=["email"])
