"""Sources, citations (read-only), case studies, codings and surveys under /api/v1/."""

from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, FilterSchema, Router, Schema
from ninja.filter_schema import FilterLookup

from metrodiplomacy.api.common import CitedOut, RecordOut, add_record_endpoints, key_of

from .models import Citation
from .queries import (
    get_case_study_for_user,
    get_classification_coding_for_user,
    get_reliance_coding_for_user,
    get_source_for_user,
    get_survey_for_user,
    get_survey_result_for_user,
    visible_case_studies,
    visible_citations,
    visible_classification_codings,
    visible_reliance_codings,
    visible_sources,
    visible_survey_results,
    visible_surveys,
)

router = Router(tags=["evidence"])


class SourceOut(RecordOut):
    title: str
    author: str
    year: int | None
    kind: str
    file: str
    url: str
    licence: str


class SourceDetailOut(SourceOut, CitedOut):
    pass


class SourceFilters(FilterSchema):
    kind: Annotated[str | None, FilterLookup("kind")] = None
    year: Annotated[int | None, FilterLookup("year")] = None


add_record_endpoints(
    router,
    path="sources",
    name="sources",
    out=SourceOut,
    detail=SourceDetailOut,
    filters=SourceFilters,
    visible=visible_sources,
    get_for_user=get_source_for_user,
)


class CitationOut(Schema):
    id: int
    source: str = Field(..., description="Key of the source.")
    record_type: str = Field(..., description="Model of the cited record, e.g. agreement, place.")
    record: str | None = Field(None, description="Key of the cited record.")
    section: str
    line_start: int | None
    line_end: int | None
    page: str
    locator: str
    note: str
    quotation: str

    resolve_source = key_of("source")

    @staticmethod
    def resolve_record_type(obj: Citation) -> str:
        return obj.content_type.model

    @staticmethod
    def resolve_record(obj: Citation) -> str | None:
        return getattr(obj.record, "key", None)


class CitationFilters(FilterSchema):
    source: Annotated[str | None, FilterLookup("source__key")] = Field(None, description="Source key.")
    record_type: Annotated[str | None, FilterLookup("content_type__model")] = Field(
        None, description="Model of the cited record: agreement, organisation, place, …"
    )


def get_citation_for_user(user, key: str) -> Citation:
    """Citations have no key of their own: the detail path takes the citation's number."""
    if not key.isdigit():
        raise Http404("No such record.")
    found = visible_citations(user).filter(pk=int(key)).first()
    if found is None:
        raise Http404("No such record.")
    return found


add_record_endpoints(
    router,
    path="citations",
    name="citations",
    out=CitationOut,
    detail=CitationOut,
    filters=CitationFilters,
    visible=visible_citations,
    get_for_user=get_citation_for_user,
    related=("source", "content_type"),
    prefetch=("record",),
    is_record=False,
)


class CaseStudyOut(RecordOut):
    source: str
    place: str
    organisation: str | None
    note: str

    resolve_source = key_of("source")
    resolve_place = key_of("place")
    resolve_organisation = key_of("organisation")


class CaseStudyDetailOut(CaseStudyOut, CitedOut):
    pass


class CaseStudyFilters(FilterSchema):
    source: Annotated[str | None, FilterLookup("source__key")] = None
    place: Annotated[str | None, FilterLookup("place__key")] = None
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None


add_record_endpoints(
    router,
    path="case-studies",
    name="case studies",
    out=CaseStudyOut,
    detail=CaseStudyDetailOut,
    filters=CaseStudyFilters,
    visible=visible_case_studies,
    get_for_user=get_case_study_for_user,
    related=("source", "place", "organisation"),
)


class RelianceCodingOut(RecordOut):
    place: str
    policy_area: str = Field(..., description="Policy area code.")
    level: str = Field(..., description="+ relies, 0 neutral, - no reliance, ? not clear.")
    coder: str
    coded_on: date | None
    rationale: str

    resolve_place = key_of("place")

    @staticmethod
    def resolve_policy_area(obj) -> str:
        return obj.policy_area.code


class RelianceCodingDetailOut(RelianceCodingOut, CitedOut):
    pass


class RelianceCodingFilters(FilterSchema):
    place: Annotated[str | None, FilterLookup("place__key")] = None
    policy_area: Annotated[str | None, FilterLookup("policy_area__code")] = None
    level: Annotated[str | None, FilterLookup("level")] = None
    coder: Annotated[str | None, FilterLookup("coder")] = None


add_record_endpoints(
    router,
    path="reliance-codings",
    name="reliance codings",
    out=RelianceCodingOut,
    detail=RelianceCodingDetailOut,
    filters=RelianceCodingFilters,
    visible=visible_reliance_codings,
    get_for_user=get_reliance_coding_for_user,
    related=("place", "policy_area"),
)


class ClassificationCodingOut(RecordOut):
    place: str
    scheme: str
    value: int
    coder: str
    rationale: str

    resolve_place = key_of("place")


class ClassificationCodingDetailOut(ClassificationCodingOut, CitedOut):
    pass


class ClassificationCodingFilters(FilterSchema):
    place: Annotated[str | None, FilterLookup("place__key")] = None
    scheme: Annotated[str | None, FilterLookup("scheme")] = None
    coder: Annotated[str | None, FilterLookup("coder")] = None


add_record_endpoints(
    router,
    path="classification-codings",
    name="classification codings",
    out=ClassificationCodingOut,
    detail=ClassificationCodingDetailOut,
    filters=ClassificationCodingFilters,
    visible=visible_classification_codings,
    get_for_user=get_classification_coding_for_user,
    related=("place",),
)


class SurveyOut(RecordOut):
    name: str
    organisation: str | None
    year: int | None
    respondents: int | None

    resolve_organisation = key_of("organisation")


class SurveyDetailOut(SurveyOut, CitedOut):
    pass


class SurveyFilters(FilterSchema):
    organisation: Annotated[str | None, FilterLookup("organisation__key")] = None
    year: Annotated[int | None, FilterLookup("year")] = None


add_record_endpoints(
    router,
    path="surveys",
    name="surveys",
    out=SurveyOut,
    detail=SurveyDetailOut,
    filters=SurveyFilters,
    visible=visible_surveys,
    get_for_user=get_survey_for_user,
    related=("organisation",),
)


class SurveyResultOut(RecordOut):
    survey: str
    measure: str
    value: float
    unit: str

    resolve_survey = key_of("survey")


class SurveyResultDetailOut(SurveyResultOut, CitedOut):
    pass


class SurveyResultFilters(FilterSchema):
    survey: Annotated[str | None, FilterLookup("survey__key")] = None
    unit: Annotated[str | None, FilterLookup("unit")] = None


add_record_endpoints(
    router,
    path="survey-results",
    name="survey results",
    out=SurveyResultOut,
    detail=SurveyResultDetailOut,
    filters=SurveyResultFilters,
    visible=visible_survey_results,
    get_for_user=get_survey_result_for_user,
    related=("survey",),
)
