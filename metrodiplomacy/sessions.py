"""Session lifetimes and caching of private answers.

A signed-in session ends after `SESSION_IDLE_SECONDS` without a request and, whatever the activity,
`SESSION_ABSOLUTE_SECONDS` after sign-in (the cookie's own age): a stolen cookie stops working. The last-seen time
is written at most once a minute, so reading pages does not mean writing the session on every request.
Anything answered to a signed-in user, or to a bearer token, may hold private records, so no cache keeps it.

Rights are read from the database on every request (memberships, roles, `is_active`), never kept in the session,
so a change of role, a removal or a disabled account counts from the next request. The one thing a session does
keep is whether it gave a second factor: when the user's current rights need one (editor, admin, staff) and this
session never gave it, a page sends the session back to the code step (signed out until the code is given), and an
API call is answered as an anonymous one (a write gets 401), so nothing is done with the new rights before a code.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django_htmx.http import HttpResponseClientRedirect

SIGNED_IN_AT = "metrodip_signed_in_at"
LAST_SEEN_AT = "metrodip_last_seen_at"
# How stale the recorded last-seen time may get before it is written again.
LAST_SEEN_RESOLUTION = 60
# API calls made with a session are not sent to a page: they go on signed out and answer as the API does.
API_PREFIX = "/api/"


@receiver(user_logged_in)
def start_the_clocks(sender, request, user, **kwargs):
    """Stamp the new session at sign-in, so reading pages afterwards does not write it."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class SessionLifetimeMiddleware:
    """Ends a session past its lifetime, or at the code step when its rights outgrew it; marks private answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN_AT, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS or now - last_seen > settings.SESSION_IDLE_SECONDS:
                # Django's logout flushes the session and rotates its key; the request goes on anonymously.
                logout(request)
            else:
                if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN_AT not in session:
                    session[LAST_SEEN_AT] = now
                step = _second_factor_step(request, user)
                if step is not None:
                    step["Cache-Control"] = "private, no-store"
                    return step
        response = self.get_response(request)
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "private, no-store"
        return response


def _second_factor_step(request, user) -> HttpResponse | None:
    """Send a session whose user now needs a second factor it never gave back to the code step.

    The question costs a query only for sessions without a second factor (viewers); editors' sessions have one.
    Returns the redirect for a page, or None when the request goes on (as an anonymous one for an API call).
    """
    from metrodiplomacy.accounts import queries, steps

    if steps.second_factor_given(request) or not queries.needs_second_factor(user):
        return None
    if request.path.startswith(API_PREFIX):
        # Answered as an anonymous call (a write gets 401); the session is left for the next page to restart.
        request.user = AnonymousUser()
        return None
    htmx = request.headers.get("HX-Request") == "true"
    back = request.get_full_path() if request.method == "GET" and not htmx else ""
    step = steps.restart_at_second_factor(request, user, back)
    if htmx:
        # The browser would follow a redirect inside htmx's request and swap the page into a fragment.
        return HttpResponseClientRedirect(step)
    return HttpResponseRedirect(step)
