from django.contrib import admin

from metrodiplomacy.admin_helpers import register

from .models import (
    AccountabilityReport,
    Externality,
    Indicator,
    LockedPeriod,
    MitigationMeasure,
    Objective,
    Observation,
    ObservationReview,
    Strategy,
    StrategyAxis,
)

register(Strategy, list_display=("name", "organisation", "kind", "year_start"))
register(StrategyAxis, Objective, Indicator, Externality, MitigationMeasure)
register(
    Observation, list_display=("key", "indicator", "year", "role", "value", "approval"), readonly_fields=("approval",)
)
register(AccountabilityReport, list_display=("title", "organisation", "kind", "coverage", "year"))


# The approval trail and the locks are written by the services only: the admin shows them.
@admin.register(ObservationReview)
class ObservationReviewAdmin(admin.ModelAdmin):
    list_display = ("observation", "action", "user", "at")
    readonly_fields = ("observation", "action", "user", "at", "comment")


@admin.register(LockedPeriod)
class LockedPeriodAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "locked_by", "locked_at")
    readonly_fields = ("organisation", "year", "locked_by", "locked_at", "comment")
