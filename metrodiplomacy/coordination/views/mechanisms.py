"""A coordination mechanism's follow-up: members, meetings with minutes, decisions with owner, due date, status."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from metrodiplomacy.workspaces.views.common import add_service_errors
from metrodiplomacy.writes import Author

from .. import services
from ..forms import DecisionForm, MeetingForm, StatusForm
from ..queries import get_decision_for_user, get_meeting_for_user, workspace_mechanisms
from .common import members_only, workspace_or_404


def _mechanism(request, workspace_key: str, key: str):
    workspace = workspace_or_404(request, workspace_key)
    mechanism = workspace_mechanisms(request.user, workspace).filter(key=key).first()
    if mechanism is None:
        raise Http404("No such mechanism.")
    return workspace, mechanism


def _editable(request, workspace_key: str, key: str):
    workspace, mechanism = _mechanism(request, workspace_key, key)
    author = Author.for_user(request.user)
    if not author.may_edit_for(mechanism.owner_id):
        raise PermissionDenied("You may read this mechanism but not change it.")
    return workspace, mechanism, author


def _page(request, workspace, mechanism, meeting_form=None, decision_form=None, status=200):
    organisations = list(workspace.organisations.order_by("name"))
    meetings = list(mechanism.meetings.select_related("place"))
    decisions = list(mechanism.decisions.select_related("responsible", "meeting"))
    today = timezone.localdate()
    may_edit = Author.for_user(request.user).may_edit_for(mechanism.owner_id)
    return render(
        request,
        "coordination/mechanism.html",
        {
            "workspace": workspace,
            "mechanism": mechanism,
            "meetings": meetings,
            "decisions": decisions,
            "overdue": {d.pk for d in decisions if d.status == "open" and d.due_date and d.due_date < today},
            "counts": {s: sum(1 for d in decisions if d.status == s) for s in ("open", "done", "dropped")},
            "may_edit": may_edit,
            "meeting_form": meeting_form or (MeetingForm() if may_edit else None),
            "decision_form": decision_form
            or (DecisionForm(organisations=organisations, meetings=meetings) if may_edit else None),
            "status_form": StatusForm(),
            "section": "mechanisms",
        },
        status=status,
    )


@members_only
@require_GET
def show_mechanism(request, workspace, mechanism):
    workspace, mechanism = _mechanism(request, workspace, mechanism)
    return _page(request, workspace, mechanism)


@members_only
@require_POST
def add_meeting(request, workspace, mechanism):
    workspace, mechanism, author = _editable(request, workspace, mechanism)
    form = MeetingForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["minutes"]
        place = form.cleaned_data["place"]
        values = {**form.cleaned_data, "place": place.key if place else None}
        try:
            services.add_meeting(author, mechanism, values, upload, upload.name if upload else "")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("coordination:show_mechanism", workspace.key, mechanism.key)
    return _page(request, workspace, mechanism, meeting_form=form, status=400)


@members_only
@require_POST
def add_decision(request, workspace, mechanism):
    workspace, mechanism, author = _editable(request, workspace, mechanism)
    organisations = list(workspace.organisations.order_by("name"))
    form = DecisionForm(request.POST, organisations=organisations, meetings=list(mechanism.meetings.all()))
    if form.is_valid():
        responsible = next((o for o in organisations if o.key == form.cleaned_data["responsible"]), None)
        values = {
            **form.cleaned_data,
            "responsible": responsible,
            "meeting": int(form.cleaned_data["meeting"] or 0) or None,
        }
        try:
            services.add_decision(author, mechanism, values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("coordination:show_mechanism", workspace.key, mechanism.key)
    return _page(request, workspace, mechanism, decision_form=form, status=400)


@members_only
@require_POST
def set_decision_status(request, workspace, mechanism, decision):
    workspace, mechanism, author = _editable(request, workspace, mechanism)
    found = get_decision_for_user(request.user, mechanism.key, decision)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose open, done or dropped."))
        return _page(request, workspace, mechanism, status=400)
    services.set_decision_status(author, found, form.cleaned_data["status"])
    messages.success(request, _("Status changed."))
    return redirect("coordination:show_mechanism", workspace.key, mechanism.key)


@members_only
@require_http_methods(["GET"])
def download_minutes(request, workspace, mechanism, meeting):
    """The minutes, to readers of the mechanism only; never from a public address."""
    workspace, found = _mechanism(request, workspace, mechanism)
    meeting = get_meeting_for_user(request.user, found.key, meeting)
    if not meeting.minutes:
        raise Http404("This meeting has no minutes.")
    response = FileResponse(
        meeting.minutes.open("rb"),
        content_type=meeting.minutes_type or "application/octet-stream",
        as_attachment=True,
        filename=meeting.minutes_name or meeting.minutes.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
