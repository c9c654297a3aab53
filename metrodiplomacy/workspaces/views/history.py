"""The history of a record: every version with its author and what changed, and restoring one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metrodiplomacy.writes import Author

from ..services import restore_version
from .common import editable_record, members_only, readable_record, with_kind

PAGE_SIZE = 20


def _changes(version, previous) -> list[tuple[str, object, object]]:
    if previous is None:
        return []
    delta = version.diff_against(previous)
    model = version.instance_type
    return [
        (str(model._meta.get_field(change.field).verbose_name), change.old, change.new)
        for change in delta.changes
        if change.field != "updated_at"
    ]


@members_only
@require_GET
@with_kind
def show_history(request, kind, key):
    record = readable_record(kind, request.user, key)
    page = Paginator(record.history.select_related("history_user").order_by("-history_date", "-history_id"), PAGE_SIZE)
    versions = page.get_page(request.GET.get("page"))
    listed = list(versions)
    # The version before the last one on a page lies on the next page: fetch it to diff against.
    following = (
        record.history.filter(history_date__lte=listed[-1].history_date)
        .exclude(history_id__in=[v.history_id for v in listed])
        .order_by("-history_date", "-history_id")
        .first()
        if listed
        else None
    )
    rows = [
        (version, _changes(version, listed[number + 1] if number + 1 < len(listed) else following))
        for number, version in enumerate(listed)
    ]
    return render(
        request,
        "workspaces/history.html",
        {
            "kind": kind,
            "record": record,
            "versions": versions,
            "rows": rows,
            "may_edit": Author.for_user(request.user).may_edit_for(record.owner_id),
        },
    )


@members_only
@require_POST
@with_kind
def restore(request, kind, key, history_id):
    record, author = editable_record(kind, request.user, key)
    try:
        restore_version(author, record, history_id, change=kind.change)
    except ValidationError as error:
        messages.error(request, _("This version cannot be restored: %(reason)s") % {"reason": " ".join(error.messages)})
        return render(request, "workspaces/refused.html", {"kind": kind, "record": record}, status=400)
    messages.success(request, _("Restored as a new version; the one it replaces stays in the history."))
    return redirect("workspaces:show_history", kind.slug, record.key)
