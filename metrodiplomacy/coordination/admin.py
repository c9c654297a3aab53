from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from metrodiplomacy.admin_helpers import register

from .models import CoordinationMechanism, Decision, Meeting, StakeholderAgenda

register(CoordinationMechanism, list_display=("name", "kind", "logic", "convenor"))
register(StakeholderAgenda, list_display=("organisation", "sector", "contact_name"), search_fields=["key"])


# Meetings and decisions belong to a mechanism and carry no visibility of their own, so they are not records:
# their history comes straight from simple-history.
@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("mechanism", "date", "title", "minutes_name")
    list_filter = ("mechanism",)
    autocomplete_fields = ("mechanism", "place")
    search_fields = ["title"]
    # The stored minutes are served only through the coordination view, which checks the mechanism's gate.
    readonly_fields = ("minutes", "minutes_name", "minutes_type")


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ("text", "mechanism", "responsible", "due_date", "status")
    list_filter = ("status", "mechanism")
    autocomplete_fields = ("mechanism", "meeting", "responsible")
    search_fields = ["text"]
