"""Coordination mechanisms under /api/v1/."""

from typing import Annotated

from ninja import FilterSchema, Router
from ninja.filter_schema import FilterLookup

from metrodiplomacy.api.common import CitedOut, RecordOut, add_record_endpoints, key_of, keys_of

from .queries import get_coordination_mechanism_for_user, visible_coordination_mechanisms

router = Router(tags=["coordination"])


class CoordinationMechanismOut(RecordOut):
    name: str
    kind: str
    convenor: str | None
    members: list[str]
    logic: str
    scope: str
    year: int | None
    description: str

    resolve_convenor = key_of("convenor")
    resolve_members = keys_of("members")


class CoordinationMechanismDetailOut(CoordinationMechanismOut, CitedOut):
    pass


class CoordinationMechanismFilters(FilterSchema):
    kind: Annotated[str | None, FilterLookup("kind")] = None
    logic: Annotated[str | None, FilterLookup("logic")] = None
    scope: Annotated[str | None, FilterLookup("scope")] = None
    convenor: Annotated[str | None, FilterLookup("convenor__key")] = None
    member: Annotated[str | None, FilterLookup("members__key")] = None


add_record_endpoints(
    router,
    path="coordination-mechanisms",
    name="coordination mechanisms",
    out=CoordinationMechanismOut,
    detail=CoordinationMechanismDetailOut,
    filters=CoordinationMechanismFilters,
    visible=visible_coordination_mechanisms,
    get_for_user=get_coordination_mechanism_for_user,
    related=("convenor",),
    prefetch=("members",),
)
