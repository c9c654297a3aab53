"""Organisations and their units under /api/v1/."""

from typing import Annotated

from ninja import Field, FilterSchema, Router
from ninja.filter_schema import FilterLookup

from metrodiplomacy.api.common import CitedOut, RecordOut, add_record_endpoints, key_of, keys_of

from .queries import get_organisation_for_user, get_unit_for_user, visible_organisations, visible_units

router = Router(tags=["actors"])


class OrganisationOut(RecordOut):
    name: str
    acronym: str
    kind: str
    home_place: str | None = Field(None, description="Key of the home place.")
    parent: str | None = Field(None, description="Key of the parent organisation.")
    website: str
    policy_areas: list[str] = Field(..., description="Codes of its focus areas (city networks).")

    resolve_home_place = key_of("home_place")
    resolve_parent = key_of("parent")
    resolve_policy_areas = keys_of("policy_areas", "code")


class OrganisationDetailOut(OrganisationOut, CitedOut):
    pass


class OrganisationFilters(FilterSchema):
    kind: Annotated[str | None, FilterLookup("kind")] = None
    home_place: Annotated[str | None, FilterLookup("home_place__key")] = None
    parent: Annotated[str | None, FilterLookup("parent__key")] = None
    policy_area: Annotated[str | None, FilterLookup("policy_areas__code")] = None
    name: Annotated[str | None, FilterLookup("name__icontains")] = Field(None, description="Part of the name.")


add_record_endpoints(
    router,
    path="organisations",
    name="organisations",
    out=OrganisationOut,
    detail=OrganisationDetailOut,
    filters=OrganisationFilters,
    visible=visible_organisations,
    get_for_user=get_organisation_for_user,
    related=("home_place", "parent"),
    prefetch=("policy_areas",),
)


class UnitOut(RecordOut):
    organisation: str
    name: str
    specialty: str
    staff: int | None
    staff_qualifier: str
    budget: float | None
    budget_scale: str
    budget_qualifier: str
    budget_currency: str
    budget_year: int | None
    location: str | None

    resolve_organisation = key_of("organisation")
    resolve_location = key_of("location")


class UnitDetailOut(UnitOut, CitedOut):
    pass


class UnitFilters(FilterSchema):
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    specialty: Annotated[str | None, FilterLookup("specialty")] = None
    location: Annotated[str | None, FilterLookup("location__key")] = None


add_record_endpoints(
    router,
    path="units",
    name="units",
    out=UnitOut,
    detail=UnitDetailOut,
    filters=UnitFilters,
    visible=visible_units,
    get_for_user=get_unit_for_user,
    related=("organisation", "location"),
)
