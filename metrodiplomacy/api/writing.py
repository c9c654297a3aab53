"""Create, change and delete endpoints for records members may write, and the citations of those records.

Every write goes through the app's service; this module only turns the caller into an `Author`,
finds the record through the app's gate (404 when the caller cannot read it) and shapes the answer.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from metrodiplomacy.api.auth import WRITE_AUTH
from metrodiplomacy.api.common import CitationRef, ErrorOut, load_detail
from metrodiplomacy.evidence.services import cite, withdraw_citation
from metrodiplomacy.writes import Author

REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CitationIn(Schema):
    source: str = Field(..., description="Key of a source you can read.")
    section: str = Field("", max_length=300)
    line_start: int | None = Field(None, ge=1)
    line_end: int | None = Field(None, ge=1)
    page: str = Field("", max_length=40)
    note: str = Field(..., min_length=1, description="What the passage says, in your words.")
    quotation: str = Field("", description="Your own sources only.")


def author_of(request: HttpRequest) -> Author:
    caller = request.auth
    if caller.read_only:
        raise PermissionDenied("This token is read-only.")
    return caller.author


def add_write_endpoints(
    router: Router,
    *,
    path: str,
    name: str,
    create_in: type[Schema],
    patch_in: type[Schema],
    detail: type[Schema],
    get_for_user: Callable[[Any, str], Model],
    create: Callable[[Author, dict], Model],
    change: Callable[[Author, Model, dict], Model],
    remove: Callable[[Author, Model], None],
    related: Iterable[str] = (),
    prefetch: Iterable[str] = (),
) -> None:
    """Register POST /<path>, PATCH and DELETE /<path>/{key}, and POST/DELETE of its citations."""
    related, prefetch = ("owner", *related), tuple(prefetch)
    slug = path.replace("-", "_")
    tags = router.tags

    def find(request: HttpRequest, key: str) -> Model:
        # Through the gate and the token's scope: what the caller cannot read is missing (404).
        return load_detail(get_for_user(request.auth.user, key), request.auth, (), (), True)

    @router.post(
        f"/{path}",
        response={201: detail, **REFUSALS},
        auth=WRITE_AUTH,
        operation_id=f"create_{slug}",
        summary=f"Create one of the {name}",
        tags=tags,
    )
    def create_record(request: HttpRequest, payload: create_in):  # type: ignore[valid-type]
        obj = create(author_of(request), payload.dict())
        return Status(201, load_detail(obj, request.auth, related, prefetch, True))

    @router.patch(
        f"/{path}/{{key}}",
        response={200: detail, **REFUSALS},
        auth=WRITE_AUTH,
        operation_id=f"change_{slug}",
        summary=f"Change one of the {name} (only the fields sent)",
        tags=tags,
    )
    def change_record(request: HttpRequest, key: str, payload: patch_in):  # type: ignore[valid-type]
        obj = find(request, key)
        change(author_of(request), obj, payload.dict(exclude_unset=True))
        return Status(200, load_detail(obj, request.auth, related, prefetch, True))

    @router.delete(
        f"/{path}/{{key}}",
        response={204: None, **REFUSALS},
        auth=WRITE_AUTH,
        operation_id=f"delete_{slug}",
        summary=f"Delete one of the {name}",
        tags=tags,
    )
    def delete_record(request: HttpRequest, key: str):
        remove(author_of(request), find(request, key))
        return Status(204, None)

    @router.post(
        f"/{path}/{{key}}/citations",
        response={201: CitationRef, **REFUSALS},
        auth=WRITE_AUTH,
        operation_id=f"cite_{slug}",
        summary=f"Cite a source for one of the {name}",
        tags=tags,
    )
    def add_citation(request: HttpRequest, key: str, payload: CitationIn):
        return Status(201, cite(author_of(request), find(request, key), payload.dict()))

    @router.delete(
        f"/{path}/{{key}}/citations/{{citation_id}}",
        response={204: None, **REFUSALS},
        auth=WRITE_AUTH,
        operation_id=f"withdraw_{slug}_citation",
        summary=f"Remove a citation of one of the {name}",
        tags=tags,
    )
    def remove_citation(request: HttpRequest, key: str, citation_id: int):
        withdraw_citation(author_of(request), find(request, key), citation_id)
        return Status(204, None)
