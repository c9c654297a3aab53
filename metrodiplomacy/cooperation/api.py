"""Decentralised cooperation projects under /api/v1/, their IATI 2.03 file and the organisation's budget ratio."""

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import FilterSchema, Router, Schema
from ninja.errors import HttpError
from ninja.filter_schema import FilterLookup

from metrodiplomacy.actors.queries import get_organisation_for_user
from metrodiplomacy.api.auth import READ_AUTH
from metrodiplomacy.api.common import CitedOut, ErrorOut, RecordOut, add_record_endpoints, keys_of

from .codelists import sector_name
from .queries import PROJECT_DETAILS, get_cooperation_project_for_user, visible_cooperation_projects

router = Router(tags=["cooperation"])


class SectorOut(Schema):
    vocabulary: str
    code: str
    percentage: float | None
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return sector_name(obj.vocabulary, obj.code)


class GoalOut(Schema):
    goal: int
    target: str


class BudgetOut(Schema):
    period_start: date
    period_end: date
    amount: float
    currency: str
    kind: str
    status: str


class ResultOut(Schema):
    kind: str
    title: str
    description: str
    indicator: str | None

    @staticmethod
    def resolve_indicator(obj: Any) -> str | None:
        return obj.indicator.key if obj.indicator_id else None


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
    iati_identifier: str
    activity_status: str
    planned_start: date | None
    actual_start: date | None
    planned_end: date | None
    actual_end: date | None
    sectors: list[SectorOut]
    goals: list[GoalOut]
    budgets: list[BudgetOut]
    results: list[ResultOut]

    resolve_funders = keys_of("funders")
    resolve_implementers = keys_of("implementers")
    resolve_partner_places = keys_of("partner_places")
    resolve_policy_areas = keys_of("policy_areas", "code")

    @staticmethod
    def resolve_sectors(obj: Any) -> list:
        return list(obj.sectors.all())

    @staticmethod
    def resolve_goals(obj: Any) -> list:
        return list(obj.goals.all())

    @staticmethod
    def resolve_budgets(obj: Any) -> list:
        return list(obj.budgets.all())

    @staticmethod
    def resolve_results(obj: Any) -> list:
        return list(obj.results.all())


class CooperationProjectDetailOut(CooperationProjectOut, CitedOut):
    pass


class CooperationProjectFilters(FilterSchema):
    modality: Annotated[str | None, FilterLookup("modality")] = None
    funder: Annotated[str | None, FilterLookup("funders__key")] = None
    implementer: Annotated[str | None, FilterLookup("implementers__key")] = None
    partner_place: Annotated[str | None, FilterLookup("partner_places__key")] = None
    policy_area: Annotated[str | None, FilterLookup("policy_areas__code")] = None
    year_start: Annotated[int | None, FilterLookup("year_start")] = None
    activity_status: Annotated[str | None, FilterLookup("activity_status")] = None
    sector: Annotated[str | None, FilterLookup("sectors__code")] = None
    goal: Annotated[int | None, FilterLookup("goals__goal")] = None


add_record_endpoints(
    router,
    path="cooperation-projects",
    name="cooperation projects",
    out=CooperationProjectOut,
    detail=CooperationProjectDetailOut,
    filters=CooperationProjectFilters,
    visible=visible_cooperation_projects,
    get_for_user=get_cooperation_project_for_user,
    prefetch=PROJECT_DETAILS,
)


@router.get(
    "/cooperation/iati/{org_key}.xml",
    auth=READ_AUTH,
    response={200: None, 404: ErrorOut},
    summary="An organisation's public cooperation projects as an IATI 2.03 activity file",
    openapi_extra={"responses": {200: {"description": "IATI 2.03 XML", "content": {"application/xml": {}}}}},
)
def iati_activities(request: HttpRequest, org_key: str) -> HttpResponse:
    """Published public projects the organisation owns, funds or implements; 404 when there is none."""
    from metrodiplomacy.importers.iati.exporter import export_iati

    from .queries import iati_projects_of

    organisation = get_organisation_for_user(request.auth.user, org_key)
    result = export_iati(organisation, iati_projects_of(organisation), timezone.now())
    if not result.exported:
        raise HttpError(404, "This organisation has no published public cooperation project IATI can describe.")
    response = HttpResponse(result.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{organisation.key}-iati-activities.xml"'
    return response


@router.get(
    "/cooperation/budget/{org_key}",
    auth=READ_AUTH,
    response={200: dict[str, Any], 404: ErrorOut},
    summary="An organisation's cooperation budget per year and its share against the 0.7 % commitment",
)
def cooperation_budget(request: HttpRequest, org_key: str) -> dict[str, Any]:
    """The budget table (years, total and cooperation budgets, share, basis, commitment, sources) and its notes."""
    from metrodiplomacy.analysis.cooperation import cooperation_budget_table

    from .inputs import budget_records

    user = request.auth.user
    organisation = get_organisation_for_user(user, org_key)
    figures, lines = budget_records(organisation, user)
    return cooperation_budget_table(organisation.name, figures, lines).to_dict()
