"""Decentralised cooperation projects under /api/v1/."""

from typing import Annotated

from ninja import FilterSchema, Router
from ninja.filter_schema import FilterLookup

from metrodiplomacy.api.common import CitedOut, RecordOut, add_record_endpoints, keys_of

from .queries import get_cooperation_project_for_user, visible_cooperation_projects

router = Router(tags=["cooperation"])


class CooperationProjectOut(RecordOut):
    title: str
    funders: list[str]
    implementers: list[str]
    partner_places: list[str]
    modality: str
    year_start: int | None
    year_end: int | None
    budget: float | None
    budget_scale: str
    budget_currency: str
    description: str
    policy_areas: list[str]

    resolve_funders = keys_of("funders")
    resolve_implementers = keys_of("implementers")
    resolve_partner_places = keys_of("partner_places")
    resolve_policy_areas = keys_of("policy_areas", "code")


class CooperationProjectDetailOut(CooperationProjectOut, CitedOut):
    pass


class CooperationProjectFilters(FilterSchema):
    modality: Annotated[str | None, FilterLookup("modality")] = None
    funder: Annotated[str | None, FilterLookup("funders__key")] = None
    implementer: Annotated[str | None, FilterLookup("implementers__key")] = None
    partner_place: Annotated[str | None, FilterLookup("partner_places__key")] = None
    policy_area: Annotated[str | None, FilterLookup("policy_areas__code")] = None
    year_start: Annotated[int | None, FilterLookup("year_start")] = None


add_record_endpoints(
    router,
    path="cooperation-projects",
    name="cooperation projects",
    out=CooperationProjectOut,
    detail=CooperationProjectDetailOut,
    filters=CooperationProjectFilters,
    visible=visible_cooperation_projects,
    get_for_user=get_cooperation_project_for_user,
    prefetch=("funders", "implementers", "partner_places", "policy_areas"),
)
