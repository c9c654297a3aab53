from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from metrodiplomacy.admin_helpers import register

from .models import (
    CaseStudy,
    Citation,
    ClassificationCoding,
    Framework,
    FrameworkArea,
    PolicyArea,
    RelianceCoding,
    Source,
    Survey,
    SurveyResult,
)


class FrameworkAreaInline(admin.TabularInline):
    model = FrameworkArea
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    inlines = [FrameworkAreaInline]
    search_fields = ("key", "name")


@admin.register(PolicyArea)
class PolicyAreaAdmin(SimpleHistoryAdmin):
    search_fields = ("code", "name")
    list_display = ("code", "name", "sdgs")


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ("source", "content_type", "object_id", "section", "line_start", "line_end")
    list_filter = ("source", "content_type")
    search_fields = ("note", "section")


register(Source)
register(RelianceCoding, list_display=("place", "policy_area", "level", "coder"))
register(ClassificationCoding, list_display=("place", "scheme", "value", "coder"))
register(CaseStudy, Survey, SurveyResult)
