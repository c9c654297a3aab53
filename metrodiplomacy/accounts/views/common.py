"""What the sign-in and security pages share: the QR code of a new authenticator."""

from base64 import b32encode

import segno
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrolment_context(device: TOTPDevice) -> dict:
    """The QR code as inline SVG (no script, no external image) and the key for typing in by hand."""
    # segno escapes nothing it does not produce itself; the URL is built by django-otp from our own data.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title="QR code")
    key = b32encode(device.bin_key).decode()
    return {"qr_svg": mark_safe(svg), "manual_key": " ".join(key[i : i + 4] for i in range(0, len(key), 4))}


def locked_message(until) -> str:
    from django.utils import formats, timezone
    from django.utils.translation import gettext as _

    return _("Too many wrong codes. Try again after %(time)s.") % {
        "time": formats.time_format(timezone.localtime(until), "H:i")
    }
