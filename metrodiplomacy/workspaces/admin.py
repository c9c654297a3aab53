from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Workspace


@admin.register(Workspace)
class WorkspaceAdmin(SimpleHistoryAdmin):
    search_fields = ("key", "name")
    filter_horizontal = ("organisations",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    autocomplete_fields = ("user", "organisation")
