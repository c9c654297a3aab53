"""What every record endpoint shares: output fields, citations, pagination, filters and the list/detail pair.

Each app's `api.py` declares its schemas and filter classes and calls `add_record_endpoints`; the
permission gate is always the app's `queries.py` (`visible_<things>` / `get_<thing>_for_user`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from metrodiplomacy.api.auth import READ_AUTH
from metrodiplomacy.related import read_by

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Far past any table; an offset beyond the database's 64-bit integers would otherwise fail the query (500).
MAX_OFFSET = 1_000_000_000


class RecordPagination(LimitOffsetPagination):
    """`limit` (1 to 500, default 50) and `offset`; the answer carries `count`, the total before paging."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} items a page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def key_of(field: str) -> staticmethod:
    """A resolver that exposes a foreign key as the key of the record it points to."""

    def resolve(obj: Model) -> str | None:
        # A record the reader may not read is a stand-in whose key reads "withheld" (metrodiplomacy.related).
        related = getattr(obj, field) if getattr(obj, f"{field}_id") is not None else None
        return None if related is None else related.key

    return staticmethod(resolve)


def keys_of(field: str, attribute: str = "key") -> staticmethod:
    """A resolver for a many-to-many field, read from the prefetch cache."""

    def resolve(obj: Model) -> list[str]:
        return [getattr(related, attribute) for related in getattr(obj, field).all()]

    return staticmethod(resolve)


class RecordOut(Schema):
    """The fields every owned record carries."""

    key: str
    owner: str | None = Field(None, description="Key of the owning organisation.")
    visibility: str
    publication: str
    flag: str = Field("", description="Why this fact is ambiguous or contradicted, when it is.")
    updated_at: datetime

    resolve_owner = key_of("owner")


class CitationRef(Schema):
    source: str = Field(..., description="Key of the source.")
    locator: str = Field(..., description="Section and lines, or page, of the passage.")
    note: str
    page: str
    quotation: str
    id: int = Field(..., description="Number of the citation, used to remove it.")

    resolve_source = key_of("source")


class CitedOut(Schema):
    citations: list[CitationRef] = Field(default_factory=list)

    @staticmethod
    def resolve_citations(obj: Model) -> list:
        return getattr(obj, "api_citations", [])


def attach_citations(obj: Model, user: Any) -> Model:
    """Load the citations of one record whose sources the user may read (the record itself is already visible)."""
    from metrodiplomacy.evidence.queries import readable_citations

    content_type = ContentType.objects.get_for_model(type(obj))
    obj.api_citations = list(
        readable_citations(user, Q(content_type=content_type, object_id=obj.pk)).order_by(
            "source__key", "line_start", "pk"
        )
    )
    return obj


class ErrorOut(Schema):
    detail: str | list | dict


def reject_unknown_parameters(request: HttpRequest, filters: type[FilterSchema]) -> None:
    """A misspelt filter would otherwise silently return everything: refuse it with 400 naming the field."""
    allowed = set(filters.model_fields) | {"limit", "offset"}
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise HttpError(
            400,
            f"Unknown filter field(s): {', '.join(unknown)}. Documented filters: {', '.join(sorted(allowed))}.",
        )


def stable_order(queryset: QuerySet) -> QuerySet:
    """Paging needs a total order: the model's own ordering, then the primary key to break ties."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or ["key"])
    return queryset.order_by(*ordering, "pk")


@dataclass(frozen=True)
class ReadEndpoint:
    router: Router
    name: str
    detail: type[Schema]
    get_for_user: Callable[[Any, str], Model]
    related: tuple[str, ...]
    prefetch: tuple[str, ...]


READABLE: dict[str, ReadEndpoint] = {}


def add_record_endpoints(
    router: Router,
    *,
    path: str,
    name: str,
    out: type[Schema],
    detail: type[Schema],
    filters: type[FilterSchema],
    visible: Callable[[Any], QuerySet],
    get_for_user: Callable[[Any, str], Model],
    related: Iterable[str] = (),
    prefetch: Iterable[str] = (),
    is_record: bool = True,
) -> None:
    """Register `GET /<path>` (paged, filtered) and `GET /<path>/{key}` on the router."""
    related, prefetch = tuple(related), tuple(prefetch)
    if is_record:
        # Remembered so that a record kind without hand-written writes gets the generic ones (api/writing.py).
        READABLE[path] = ReadEndpoint(router, name, detail, get_for_user, related, prefetch)
        related = ("owner", *related)
    tag = router.tags[0] if router.tags else None

    @router.get(
        f"/{path}",
        response=list[out],
        auth=READ_AUTH,
        operation_id=f"list_{path.replace('-', '_')}",
        summary=f"List {name}",
        tags=[tag] if tag else None,
    )
    @paginate(RecordPagination)
    def list_records(request: HttpRequest, chosen: Query[filters]) -> QuerySet:  # type: ignore[valid-type]
        reject_unknown_parameters(request, filters)
        caller = request.auth
        queryset = visible(caller.user)
        if is_record:
            queryset = caller.narrow(queryset)
        queryset = chosen.filter(queryset).select_related(*related).prefetch_related(*prefetch)
        return stable_order(queryset)

    @router.get(
        f"/{path}/{{key}}",
        response={200: detail, 404: ErrorOut},
        auth=READ_AUTH,
        operation_id=f"get_{path.replace('-', '_')}",
        summary=f"One of the {name}, by key",
        tags=[tag] if tag else None,
    )
    def get_record(request: HttpRequest, key: str) -> Model:
        caller = request.auth
        obj = get_for_user(caller.user, key)
        return load_detail(obj, caller, related, prefetch, is_record)


def load_detail(
    obj: Model, caller: Any, related: Iterable[str], prefetch: Iterable[str], is_record: bool, citations: bool = True
) -> Model:
    """The record again with what its detail shows, after the scope of a token is applied.

    `citations=False` skips reading them: for a record created in this very request (none can exist yet) and
    for a lookup that only finds the record to change or delete.
    """
    queryset = read_by(type(obj).objects.filter(pk=obj.pk), caller.user)
    if is_record:
        queryset = caller.narrow(queryset)
    found = queryset.select_related(*related).prefetch_related(*prefetch).first()
    if found is None:
        # A scoped token that cannot see it answers exactly like a missing record.
        raise Http404("No such record.")
    if not citations:
        found.api_citations = []
        return found
    return attach_citations(found, caller.user)
