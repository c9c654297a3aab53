"""Serve anonymous public GETs from memory while the data version they were rendered at is still current."""

import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse

from metrodiplomacy.caching.version import current_version

# Bounded: a few hundred pages and lists; the biggest answers are not worth keeping.
MAX_ENTRIES = 512
MAX_BYTES = 1_000_000
# Headers whose value changes the answer; a request carrying any cookie or credential is never cached.
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


def cacheable_request(request) -> bool:
    if request.method != "GET" or not getattr(settings, "METRODIP_RESPONSE_CACHE", True):
        return False
    return not any(request.META.get(header) for header in PRIVATE_HEADERS)


def cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_BYTES:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


class PublicResponseCacheMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        # Read before rendering: should a write commit meanwhile, the answer is kept under the older version,
        # which no request made after that commit asks for.
        version = current_version()
        if version is None:
            return self.get_response(request)
        key = (version, request.get_full_path(), *(request.META.get(header, "") for header in KEY_HEADERS))
        entry = store.get(key)
        if entry is not None:
            status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if cacheable_response(response):
            store.put(key, (response.status_code, list(response.items()), response.content))
        return response
