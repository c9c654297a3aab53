"""Pages of the account area: the code step of signing in, re-authentication and the security settings."""

from .security import (
    change_email,
    change_password,
    confirm_enrolment,
    create_token,
    disable_second_factor,
    renew_recovery_codes,
    revoke_token,
    show_security,
    start_enrolment,
)
from .signin import enrol_at_sign_in, reauthenticate, verify_sign_in

__all__ = [
    "change_email",
    "change_password",
    "confirm_enrolment",
    "create_token",
    "disable_second_factor",
    "enrol_at_sign_in",
    "reauthenticate",
    "renew_recovery_codes",
    "revoke_token",
    "show_security",
    "start_enrolment",
    "verify_sign_in",
]
