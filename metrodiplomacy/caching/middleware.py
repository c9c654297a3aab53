"""Serve GETs from memory while the data version they were rendered at is still current: anonymous reads, and
API reads made with a token, each kept under that token."""

import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse

from metrodiplomacy.caching.version import current_version

# Bounded: a few hundred pages and lists; the biggest answers are not worth keeping.
MAX_ENTRIES = 512
MAX_BYTES = 1_000_000
# Headers whose value changes the answer; a request carrying a cookie, or a credential other than an API
# token, is never kept.
KEY_HEADERS = ("HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT")
PRIVATE_HEADERS = ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_HX_REQUEST", "HTTP_X_API_KEY")


class ResponseStore:
    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key, entry) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


store = ResponseStore()


def credential(request) -> str | None:
    """What the answer depends on besides the path and the data: "" for an anonymous reader, a digest of the
    token for an API call with one, None when it cannot be told (a cookie, an htmx fragment): never kept."""
    if request.method != "GET" or not getattr(settings, "METRODIP_RESPONSE_CACHE", True):
        return None
    if any(request.META.get(header) for header in PRIVATE_HEADERS if header != "HTTP_AUTHORIZATION"):
        return None
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if not authorization:
        return ""
    # A token's answer depends only on the token and the data: revoking it, or changing its user's
    # memberships, is a write that changes the data version, so an answer kept for it is never replayed after.
    if not request.path.startswith("/api/") or not authorization.startswith("Bearer "):
        return None
    return hashlib.sha256(authorization.encode()).hexdigest()


def cacheable_response(response, credential: str) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_BYTES:
        return False
    control = response.get("Cache-Control", "")
    # An answer marked private is kept here only under the token it was made for (this store is the server's
    # own memory, not a shared HTTP cache); the mark itself is replayed with it.
    return bool(credential) or ("private" not in control and "no-store" not in control)


class PublicResponseCacheMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        caller = credential(request)
        if caller is None:
            return self.get_response(request)
        # Read before rendering: should a write commit meanwhile, the answer is kept under the older version,
        # which no request made after that commit asks for.
        version = current_version()
        if version is None:
            return self.get_response(request)
        key = (version, request.get_full_path(), *(request.META.get(header, "") for header in KEY_HEADERS), caller)
        entry = store.get(key)
        if entry is not None:
            status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if cacheable_response(response, caller):
            store.put(key, (response.status_code, list(response.items()), response.content))
        return response
