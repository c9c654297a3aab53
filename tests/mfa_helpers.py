"""Authenticator codes for tests, computed from a device's key as the person's phone would."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrodiplomacy.accounts import services


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now, or `steps_ahead` 30-second steps later (a code is accepted only once)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Enrol the user through the services, as the enrolment page does; returns the device and recovery codes."""
    device = services.start_totp_enrolment(user)
    codes = services.confirm_totp_enrolment(user, device.pk, code_for(device))
    device.refresh_from_db()
    return device, codes
