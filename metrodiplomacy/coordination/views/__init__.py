"""The metropolitan coordination space, under /workspace/coordination/: one workspace's stakeholders together."""

from .agendas import edit_agenda
from .calendar import organisation_feed, show_calendar, workspace_feed
from .mechanisms import add_decision, add_meeting, download_minutes, set_decision_status, show_mechanism
from .overview import (
    list_findings,
    list_mechanisms,
    list_workspaces,
    show_networks,
    show_overview,
    show_stakeholders,
    show_who_does_what,
)
from .records import list_records

__all__ = [
    "add_decision",
    "add_meeting",
    "download_minutes",
    "edit_agenda",
    "list_findings",
    "list_mechanisms",
    "list_records",
    "list_workspaces",
    "organisation_feed",
    "set_decision_status",
    "show_calendar",
    "show_mechanism",
    "show_networks",
    "show_overview",
    "show_stakeholders",
    "show_who_does_what",
    "workspace_feed",
]
