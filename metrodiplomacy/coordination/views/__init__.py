"""The metropolitan coordination space, under /workspace/coordination/: one workspace's stakeholders together."""

from .agendas import edit_agenda
from .calendar import organisation_feed, show_calendar, workspace_feed
from .feed_secrets import create_feed_secret, list_feed_secrets, revoke_feed_secret
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
    "create_feed_secret",
    "download_minutes",
    "edit_agenda",
    "list_feed_secrets",
    "list_findings",
    "list_mechanisms",
    "list_records",
    "list_workspaces",
    "organisation_feed",
    "revoke_feed_secret",
    "set_decision_status",
    "show_calendar",
    "show_mechanism",
    "show_networks",
    "show_overview",
    "show_stakeholders",
    "show_who_does_what",
    "workspace_feed",
]
