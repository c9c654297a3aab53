"""Session lifetimes and caching of private answers.

A signed-in session ends after `SESSION_IDLE_SECONDS` without a request and, whatever the activity,
`SESSION_ABSOLUTE_SECONDS` after sign-in (the cookie's own age): a stolen cookie stops working. The last-seen time
is written at most once a minute, so reading pages does not mean writing the session on every request.
Anything answered to a signed-in user, or to a bearer token, may hold private records, so no cache keeps it.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "metrodip_signed_in_at"
LAST_SEEN_AT = "metrodip_last_seen_at"
# How stale the recorded last-seen time may get before it is written again.
LAST_SEEN_RESOLUTION = 60


@receiver(user_logged_in)
def start_the_clocks(sender, request, user, **kwargs):
    """Stamp the new session at sign-in, so reading pages afterwards does not write it."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class SessionLifetimeMiddleware:
    """Ends a session past its absolute lifetime; marks private answers `no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN_AT, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS or now - last_seen > settings.SESSION_IDLE_SECONDS:
                # Django's logout flushes the session and rotates its key; the request goes on anonymously.
                logout(request)
            elif now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
        response = self.get_response(request)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "private, no-store"
        return response
