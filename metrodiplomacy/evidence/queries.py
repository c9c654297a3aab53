"""Reads of the evidence app: the one permission gate views, API and exports go through."""

from django.db.models import QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import CaseStudy, Citation, ClassificationCoding, RelianceCoding, Source, Survey, SurveyResult


def visible_sources(user) -> QuerySet[Source]:
    return visible_to(Source.objects.all(), user)


def editable_sources(user) -> QuerySet[Source]:
    return editable_to(Source.objects.all(), user)


def get_source_for_user(user, key: str) -> Source:
    return get_visible_or_404(Source.objects.all(), user, key=key)


def visible_case_studies(user) -> QuerySet[CaseStudy]:
    return visible_to(CaseStudy.objects.all(), user)


def editable_case_studies(user) -> QuerySet[CaseStudy]:
    return editable_to(CaseStudy.objects.all(), user)


def get_case_study_for_user(user, key: str) -> CaseStudy:
    return get_visible_or_404(CaseStudy.objects.all(), user, key=key)


def visible_reliance_codings(user) -> QuerySet[RelianceCoding]:
    return visible_to(RelianceCoding.objects.all(), user)


def editable_reliance_codings(user) -> QuerySet[RelianceCoding]:
    return editable_to(RelianceCoding.objects.all(), user)


def get_reliance_coding_for_user(user, key: str) -> RelianceCoding:
    return get_visible_or_404(RelianceCoding.objects.all(), user, key=key)


def visible_classification_codings(user) -> QuerySet[ClassificationCoding]:
    return visible_to(ClassificationCoding.objects.all(), user)


def editable_classification_codings(user) -> QuerySet[ClassificationCoding]:
    return editable_to(ClassificationCoding.objects.all(), user)


def get_classification_coding_for_user(user, key: str) -> ClassificationCoding:
    return get_visible_or_404(ClassificationCoding.objects.all(), user, key=key)


def visible_surveys(user) -> QuerySet[Survey]:
    return visible_to(Survey.objects.all(), user)


def editable_surveys(user) -> QuerySet[Survey]:
    return editable_to(Survey.objects.all(), user)


def get_survey_for_user(user, key: str) -> Survey:
    return get_visible_or_404(Survey.objects.all(), user, key=key)


def visible_survey_results(user) -> QuerySet[SurveyResult]:
    return visible_to(SurveyResult.objects.all(), user)


def editable_survey_results(user) -> QuerySet[SurveyResult]:
    return editable_to(SurveyResult.objects.all(), user)


def get_survey_result_for_user(user, key: str) -> SurveyResult:
    return get_visible_or_404(SurveyResult.objects.all(), user, key=key)


def visible_citations(user) -> QuerySet[Citation]:
    """Citations of records the user may read (a citation is as visible as the record it supports)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from metrodiplomacy.records import Record

    citations = Citation.objects.select_related("source", "content_type")
    if user is not None and user.is_authenticated and user.is_staff:
        return citations
    readable = Q(pk__in=[])
    for content_type_id in citations.order_by().values_list("content_type", flat=True).distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        if issubclass(model, Record):
            ids = visible_to(model.objects.all(), user).values("pk")
            readable |= Q(content_type_id=content_type_id, object_id__in=ids)
        else:
            # Shared reference data (places) is readable by everyone.
            readable |= Q(content_type_id=content_type_id)
    return citations.filter(readable).filter(source__in=visible_to(Source.objects.all(), user))


def readable_citations(user, condition) -> QuerySet[Citation]:
    """The citations matching `condition` (records the caller has already read) whose source the user may read.

    Every page, twin, report and API answer that lists the citations of records goes through here: a
    citation to a source the reader may not see is left out whole, its locator and note with it.
    """
    from metrodiplomacy.related import read_by

    citations = Citation.objects.filter(condition).filter(source__in=visible_sources(user).values("pk"))
    return read_by(citations.select_related("source"), user)
