"""What every workspace page shares: members only, the kind in the address, the record through the gate."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse_lazy

from metrodiplomacy.records import Record, get_visible_or_404
from metrodiplomacy.writes import Author

from ..kinds import KINDS, RecordKind

SIGN_IN_URL = reverse_lazy("workspaces:sign_in")


def members_only(view):
    """Anonymous visitors are sent to the sign-in page, and come back after signing in."""
    return login_required(view, login_url=SIGN_IN_URL)


def kind_or_404(slug: str) -> RecordKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("No such kind of record.")
    return kind


def readable_record(kind: RecordKind, user, key: str) -> Record:
    """The record if the user may read it; another organisation's private record is missing (404)."""
    return get_visible_or_404(kind.model.objects.select_related("owner"), user, key=key)


def editable_record(kind: RecordKind, user, key: str) -> tuple[Record, Author]:
    """The record and its author if the user edits for its owner; 403 when they may only read it."""
    record = readable_record(kind, user, key)
    author = Author.for_user(user)
    if not author.may_edit_for(record.owner_id):
        raise PermissionDenied("You may read this record but not change it.")
    return record, author


def with_kind(view):
    """Resolve the `kind` of the address into its registry entry."""

    @wraps(view)
    def wrapped(request, kind: str, *args, **kwargs):
        return view(request, kind_or_404(kind), *args, **kwargs)

    return wrapped


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
