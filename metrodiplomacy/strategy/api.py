"""Strategies, indicators, observations and accountability reports under /api/v1/."""

from typing import Annotated

from ninja import FilterSchema, Router
from ninja.filter_schema import FilterLookup

from metrodiplomacy.api.common import CitedOut, RecordOut, add_record_endpoints, key_of

from .queries import (
    get_accountability_report_for_user,
    get_indicator_for_user,
    get_observation_for_user,
    get_strategy_for_user,
    visible_accountability_reports,
    visible_indicators,
    visible_observations,
    visible_strategies,
)

router = Router(tags=["strategy"])


class StrategyOut(RecordOut):
    organisation: str
    name: str
    kind: str
    sector: str
    year_start: int | None
    year_end: int | None
    is_participatory: bool | None
    description: str

    resolve_organisation = key_of("organisation")


class StrategyDetailOut(StrategyOut, CitedOut):
    pass


class StrategyFilters(FilterSchema):
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    kind: Annotated[str | None, FilterLookup("kind")] = None
    sector: Annotated[str | None, FilterLookup("sector")] = None


add_record_endpoints(
    router,
    path="strategies",
    name="strategies",
    out=StrategyOut,
    detail=StrategyDetailOut,
    filters=StrategyFilters,
    visible=visible_strategies,
    get_for_user=get_strategy_for_user,
    related=("organisation",),
)


class IndicatorOut(RecordOut):
    organisation: str | None
    name: str
    category: str
    kind: str
    unit: str
    direction: str

    resolve_organisation = key_of("organisation")


class IndicatorDetailOut(IndicatorOut, CitedOut):
    pass


class IndicatorFilters(FilterSchema):
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    category: Annotated[str | None, FilterLookup("category")] = None
    kind: Annotated[str | None, FilterLookup("kind")] = None


add_record_endpoints(
    router,
    path="indicators",
    name="indicators",
    out=IndicatorOut,
    detail=IndicatorDetailOut,
    filters=IndicatorFilters,
    visible=visible_indicators,
    get_for_user=get_indicator_for_user,
    related=("organisation",),
)


class ObservationOut(RecordOut):
    indicator: str
    year: int | None
    role: str
    value_state: str
    value: float | None  # None when value_state is "unknown"
    scale: str
    unit: str
    qualifier: str
    dimension: str
    dimension_value: str
    approval: str

    resolve_indicator = key_of("indicator")


class ObservationDetailOut(ObservationOut, CitedOut):
    pass


class ObservationFilters(FilterSchema):
    indicator: Annotated[str | None, FilterLookup("indicator__key")] = None
    year: Annotated[int | None, FilterLookup("year")] = None
    role: Annotated[str | None, FilterLookup("role")] = None
    approval: Annotated[str | None, FilterLookup("approval")] = None


add_record_endpoints(
    router,
    path="observations",
    name="observations",
    out=ObservationOut,
    detail=ObservationDetailOut,
    filters=ObservationFilters,
    visible=visible_observations,
    get_for_user=get_observation_for_user,
    related=("indicator",),
)


class AccountabilityReportOut(RecordOut):
    organisation: str
    title: str
    kind: str
    coverage: str
    sector: str
    strategy: str | None
    reports_results: bool | None
    year: int | None
    url: str
    description: str

    resolve_organisation = key_of("organisation")
    resolve_strategy = key_of("strategy")


class AccountabilityReportDetailOut(AccountabilityReportOut, CitedOut):
    pass


class AccountabilityReportFilters(FilterSchema):
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    kind: Annotated[str | None, FilterLookup("kind")] = None
    coverage: Annotated[str | None, FilterLookup("coverage")] = None
    year: Annotated[int | None, FilterLookup("year")] = None


add_record_endpoints(
    router,
    path="accountability-reports",
    name="accountability reports",
    out=AccountabilityReportOut,
    detail=AccountabilityReportDetailOut,
    filters=AccountabilityReportFilters,
    visible=visible_accountability_reports,
    get_for_user=get_accountability_report_for_user,
    related=("organisation", "strategy"),
)
