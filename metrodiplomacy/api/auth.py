"""Who is calling the API: a script with a token, a signed-in browser, or an anonymous reader.

Every operation gets a `Caller` in `request.auth`. A token never widens what its user may do: it can
only narrow it (read-only, or acting for one organisation).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from metrodiplomacy.workspaces.services import hash_token
from metrodiplomacy.writes import Author, narrow_to_organisation

# Writing last_used on every request would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    user: Any
    token: Any = None  # the ApiToken used, if any

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    @property
    def read_only(self) -> bool:
        return bool(self.token is not None and self.token.read_only)

    @property
    def scope_id(self) -> int | None:
        return None if self.token is None else self.token.organisation_id

    @property
    def author(self) -> Author:
        """Who writes: the user, narrowed by the token's scope; a read-only token writes for nobody."""
        return Author.for_user(self.user, self.scope_id, self.read_only)

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """Apply an organisation-scoped token on top of the user's own visibility gate."""
        from metrodiplomacy.related import read_by

        return read_by(narrow_to_organisation(queryset, self.scope_id), self.user, self.scope_id)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; a wrong, revoked or inactive user's token answers 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        from metrodiplomacy.workspaces.models import ApiToken

        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            raise AuthenticationError(401, "Invalid or revoked token.")
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # simple-history reads the author of each change from request.user.
        request.user = found.user
        return Caller(found.user, found)


class SessionAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods need the CSRF token, as on every form."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # An anonymous request falls through to the next method (401 on writes) instead of failing CSRF.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie.")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        return Caller(request.user) if request.user.is_authenticated else None


def anonymous(request: HttpRequest) -> Caller:
    """Anyone may read published public records."""
    return Caller(AnonymousUser())


READ_AUTH = [TokenAuth(), SessionAuth(), anonymous]
WRITE_AUTH = [TokenAuth(), SessionAuth()]
