"""Create, change and delete endpoints for records members may write, and the citations of those records.

Every write goes through the app's service; this module only turns the caller into an `Author`,
finds the record through the app's gate (404 when the caller cannot read it) and shapes the answer.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import create_model

from metrodiplomacy.api.auth import WRITE_AUTH
from metrodiplomacy.api.common import CitationRef, ErrorOut, load_detail
from metrodiplomacy.evidence.services import cite, withdraw_citation
from metrodiplomacy.records import KEY_PATTERN
from metrodiplomacy.writes import BASE_FIELDS, Author

WRITABLE: set[str] = set()
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
    WRITABLE.add(path)
    related, prefetch = ("owner", *related), tuple(prefetch)
    slug = path.replace("-", "_")
    tags = router.tags

    def find(request: HttpRequest, key: str) -> Model:
        # Through the gate and the token's scope: what the caller cannot read is missing (404).
        return load_detail(get_for_user(request.auth.user, key), request.auth, (), (), True, citations=False)

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
        return Status(201, load_detail(obj, request.auth, related, prefetch, True, citations=False))

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


# Input schemas follow from the model: the same fields the workspace form edits, references given by key.
_PLAIN_TYPES: tuple[tuple[type[models.Field], Any], ...] = (
    (models.BooleanField, bool),
    (models.DecimalField, Decimal),
    (models.FloatField, float),
    (models.IntegerField, int),
    (models.DateTimeField, dt.datetime),
    (models.DateField, dt.date),
)


def _described(model_field) -> str:
    parts = [str(model_field.verbose_name)]
    if model_field.choices:
        parts.append("one of: " + ", ".join(str(value) for value, _label in model_field.flatchoices))
    if model_field.is_relation:
        lookup = "code" if model_field.related_model._meta.label == "evidence.PolicyArea" else "key"
        target = model_field.related_model._meta.verbose_name
        parts.append(f"{lookup}{'s' if model_field.many_to_many else ''} of {target} records you can read")
    return "; ".join(parts)


def _input_field(model_field, for_patch: bool) -> tuple[Any, Any]:
    description = _described(model_field)
    if model_field.many_to_many:
        return (
            (list[str] | None, Field(None, description=description))
            if for_patch
            else (
                list[str],
                Field(default_factory=list, description=description),
            )
        )
    if model_field.many_to_one:
        return str | None, Field(None, description=description)
    python_type = next((kind for base, kind in _PLAIN_TYPES if isinstance(model_field, base)), str)
    if python_type is str:
        limits = {"max_length": model_field.max_length} if model_field.max_length else {}
        if for_patch:
            return str | None, Field(None, description=description, **limits)
        default = model_field.default if isinstance(model_field.default, str) else ""
        return str, Field(default, description=description, **limits)
    if for_patch or model_field.null or model_field.has_default():
        default = None if for_patch or not model_field.has_default() else model_field.default
        return python_type | None, Field(default, description=description)
    return python_type, Field(..., description=description)


def input_schemas(model: type[Model], extra: dict[str, tuple[Any, Any]] | None = None) -> tuple[type, type]:
    """The create and patch schemas of a model written through the generic record service."""
    own = [
        model_field
        for model_field in model._meta.get_fields()
        if not model_field.auto_created
        and getattr(model_field, "editable", False)
        and model_field.name not in BASE_FIELDS
        and (model_field.concrete or model_field.many_to_many)
    ]
    common: dict[str, Any] = {
        "owner": (str | None, Field(None, description="Key of the owning organisation; yours when you edit for one.")),
        "visibility": (str, Field("private", description="private, workspace or public.")),
        "publication": (str, Field("draft", description="draft or published.")),
        "flag": (str, Field("", description="A caution shown with the record (contradiction, estimate).")),
    }
    create_fields = {
        # Documented, not enforced by the schema: the model refuses a malformed key with a 400, the same answer
        # as for a key held by a record the caller cannot read (writes.save_validated).
        "key": (
            str,
            Field(
                ..., max_length=120, json_schema_extra={"pattern": KEY_PATTERN}, description="Stable key of the record."
            ),
        ),
        **common,
        **{model_field.name: _input_field(model_field, False) for model_field in own},
        **(extra or {}),
    }
    patch_fields = {
        **{
            name: (annotation | None, Field(None, description=info.description))
            for name, (annotation, info) in common.items()
        },
        **{model_field.name: _input_field(model_field, True) for model_field in own},
        **{
            name: (annotation | None, Field(None, description=info.description))
            for name, (annotation, info) in (extra or {}).items()
        },
    }
    name = model.__name__
    return (
        create_model(f"{name}Create", __base__=Schema, **create_fields),
        create_model(f"{name}Change", __base__=Schema, **patch_fields),
    )


class RoleIn(Schema):
    role: str = Field(..., description="member, executive_bureau, presidency, … (see the data model).")
    year: int | None = None


# The rows a kind edits together with its record (RecordKind.group), as the API takes them.
GROUP_INPUTS: dict[str, tuple[Any, Any]] = {
    "roles": (list[RoleIn], Field(default_factory=list, description="Roles held; replace the old ones.")),
}


def add_remaining_write_endpoints() -> None:
    """Writes for every record kind the API reads and no app wrote by hand, through the workspace's services.

    The workspace registry (`workspaces/kinds.py`) names each kind's services, so the API and the forms write
    through the same code and refuse the same things.
    """
    from metrodiplomacy.api.common import READABLE
    from metrodiplomacy.workspaces.kinds import KINDS

    for slug, kind in KINDS.items():
        endpoint = READABLE.get(slug)
        if endpoint is None or slug in WRITABLE:
            continue
        extra = {kind.group: GROUP_INPUTS[kind.group]} if kind.group else None
        create_in, patch_in = input_schemas(kind.model, extra)
        add_write_endpoints(
            endpoint.router,
            path=slug,
            name=endpoint.name,
            create_in=create_in,
            patch_in=patch_in,
            detail=endpoint.detail,
            get_for_user=endpoint.get_for_user,
            create=kind.create,
            change=kind.change,
            remove=kind.remove,
            related=endpoint.related,
            prefetch=endpoint.prefetch,
        )
