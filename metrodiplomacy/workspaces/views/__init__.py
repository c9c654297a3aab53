"""The organisation workspace: sign-in, dashboard, record forms with citations, publication, history."""

from .account import sign_in, sign_out
from .dashboard import list_records, show_dashboard
from .history import restore, show_history
from .members import add_membership, change_membership, remove_membership, show_members
from .records import add_citation, create_record, delete_record, edit_record, publish, remove_citation, unpublish

__all__ = [
    "add_citation",
    "add_membership",
    "change_membership",
    "create_record",
    "delete_record",
    "edit_record",
    "list_records",
    "publish",
    "remove_citation",
    "remove_membership",
    "restore",
    "show_dashboard",
    "show_history",
    "show_members",
    "sign_in",
    "sign_out",
    "unpublish",
]
