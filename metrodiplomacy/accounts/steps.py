"""Session state of the account area: a sign-in halfway through, and how recently the person proved who they are.

A sign-in with a second factor happens in two steps. After the password the session holds only the pending
user's id (no `login()` yet, so nothing is reachable); `login()` runs once the code is accepted, which rotates the
session key. Changing email, password, second factor or tokens needs an authentication within
`REAUTHENTICATION_SECONDS`; the time is stamped in the session at sign-in and at each re-authentication.

Whether a session has given a second factor is recorded where django-otp records it (`otp_device_id`), at the code
step and at a re-authentication with a code. Rights are read again on every request, and when they come to need a
second factor this session never gave (a viewer promoted to editor while signed in), the session goes back to the
code step (`restart_at_second_factor`): it is not signed in until a code is given in it.
"""

import time
from functools import wraps

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, login, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

PENDING_USER = "metrodip_pending_user"
PENDING_BACKEND = "metrodip_pending_backend"
PENDING_NEXT = "metrodip_pending_next"
PENDING_SINCE = "metrodip_pending_since"
ENROLMENT_DEVICE = "metrodip_enrolment_device"
AUTHENTICATED_AT = "metrodip_authenticated_at"
# A password step left unfinished this long must be done again.
PENDING_SECONDS = 5 * 60
REAUTHENTICATION_SECONDS = 10 * 60


def begin_pending_sign_in(request, user, next_url: str) -> None:
    """Remember who passed the password step; they are not signed in yet."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = user.backend
    request.session[PENDING_NEXT] = next_url
    request.session[PENDING_SINCE] = int(time.time())


def pending_user(request):
    """The user between the password and the code step, or None when there is none or it went stale."""
    since = request.session.get(PENDING_SINCE)
    if since is None or time.time() - since > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()
    if user is not None:
        user.backend = request.session.get(PENDING_BACKEND)
    return user


def safe_next(request, candidate: str | None, default: str) -> str:
    """`candidate` when it points into this site; other hosts, `//x`, `\\x` and `javascript:` are refused."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def finish_sign_in(request, user, device=None) -> str:
    """Sign the pending user in (Django rotates the session key) and return where they were going."""
    next_url = request.session.get(PENDING_NEXT) or reverse("workspaces:show_dashboard")
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT, PENDING_SINCE, ENROLMENT_DEVICE):
        request.session.pop(key, None)
    login(request, user, backend=getattr(user, "backend", None) or request.session.get(BACKEND_SESSION_KEY))
    if device is not None:
        otp_login(request, device)
    stamp_authentication(request)
    return next_url


def second_factor_given(request) -> bool:
    """Whether this session passed a second factor: the code step of its sign-in, or a re-authentication with a code."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def restart_at_second_factor(request, user, next_url: str) -> str:
    """Sign the session out because its user's rights now need a second factor it never gave; returns the next step.

    With an authenticator, the session goes back to between the password and the code (the password was given
    in it), so the code step signs it in again and then goes to `next_url`. Without one, the password is asked
    again before enrolment: enrolling from a session alone would let whoever holds a stolen cookie set it up.
    """
    from metrodiplomacy.accounts.queries import has_second_factor

    user.backend = request.session.get(BACKEND_SESSION_KEY)
    next_url = safe_next(request, next_url, reverse("workspaces:show_dashboard"))
    logout(request)
    if has_second_factor(user):
        begin_pending_sign_in(request, user, next_url)
        return reverse("accounts:verify_sign_in")
    return f"{reverse('workspaces:sign_in')}?{urlencode({'next': next_url})}"


def stamp_authentication(request) -> None:
    request.session[AUTHENTICATED_AT] = int(time.time())


def recently_authenticated(request) -> bool:
    stamped = request.session.get(AUTHENTICATED_AT)
    return stamped is not None and time.time() - stamped <= REAUTHENTICATION_SECONDS


def recent_authentication_required(view):
    """The one gate before changing email, password, second factor or tokens: sign-in within ten minutes.

    Otherwise the person is sent to confirm their password (and code) and comes back to the security page;
    a POST is not replayed, so nothing changes without a fresh, deliberate submit.
    """

    @wraps(view)
    def gated(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not recently_authenticated(request):
            back = request.get_full_path() if request.method == "GET" else reverse("accounts:show_security")
            return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return gated
