"""The shared calendar of engagements (month and list views, filters) and its iCalendar feeds."""

from __future__ import annotations

import calendar as calendar_module
from datetime import date, datetime, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metrodiplomacy.analysis import coordination as rules
from metrodiplomacy.api.auth import LAST_USED_PRECISION, Caller
from metrodiplomacy.observatory.inputs.coordination import activities, workspace_organisations
from metrodiplomacy.workspaces.services import touch_feed_secret

from ..queries import get_workspace_for_user, live_feed_secret
from .common import members_only, parse_month, workspace_or_404

PRODUCT_ID = "-//Metrodiplomacy//Coordination calendar//EN"


def _filtered(found: list[rules.Activity], request) -> tuple[list[rules.Activity], dict]:
    chosen = {name: request.GET.get(name, "") for name in ("organisation", "place", "area")}
    if chosen["organisation"]:
        found = [a for a in found if chosen["organisation"] in a.organisations]
    if chosen["place"]:
        found = [a for a in found if chosen["place"] in (a.place, a.city, a.country)]
    if chosen["area"]:
        found = [a for a in found if chosen["area"] in a.policy_areas]
    return found, chosen


@members_only
@require_GET
def show_calendar(request, workspace):
    """Every engagement of the workspace's organisations the reader may see, by month or as a list."""
    workspace = workspace_or_404(request, workspace)
    organisations = workspace_organisations(workspace)
    everything = activities(request.user, organisations)
    found, chosen = _filtered(everything, request)
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month", ""), today)
    first = date(year, month, 1)
    previous = (first - timedelta(days=1)).strftime("%Y-%m")
    following = (first + timedelta(days=32)).strftime("%Y-%m")
    view = "list" if request.GET.get("view") == "list" else "month"
    names = {o.key: o.acronym or o.name for o in organisations}
    overlapping = {ref.key for finding in rules.mission_overlaps(everything, names) for ref in finding.records}
    return render(
        request,
        "coordination/calendar.html",
        {
            "workspace": workspace,
            "view": view,
            "weeks": rules.month_grid(year, month, found),
            "month": first,
            "previous": previous,
            "following": following,
            "weekdays": [calendar_module.day_abbr[day] for day in range(7)],
            "listed": sorted(found, key=lambda a: (a.span() or (date.max, date.max), a.ref.key)),
            "undated": [a for a in found if a.span() is None],
            "chosen": chosen,
            "organisations": organisations,
            "places": sorted({(a.place, a.place_name) for a in everything if a.place}, key=lambda p: p[1]),
            "areas": sorted({area for a in everything for area in a.policy_areas}),
            "names": names,
            "overlapping": overlapping,
            "feed": reverse("coordination:workspace_feed", args=[workspace.key]),
            "section": "calendar",
        },
    )


def _caller(request, workspace_key: str) -> Caller | None:
    """The session's user, or the owner of a live feed secret of this workspace given as `?token=`.

    Calendar applications send no cookie, so the secret rides in the address. Only a feed secret opens a feed:
    an API token there (a read-write credential, now in some log) is refused like an unknown secret.
    """
    secret = request.GET.get("token", "")
    if secret:
        found = live_feed_secret(secret, workspace_key)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            touch_feed_secret(found, now)
        return Caller(found.user)
    if request.user.is_authenticated:
        return Caller(request.user)
    return None


def _feed(request, workspace_key: str, organisation_key: str | None) -> HttpResponse:
    from icalendar import Calendar, Event

    caller = _caller(request, workspace_key)
    if caller is None:
        response = HttpResponse(
            _("Sign in, or add ?token= with a feed address's secret.") + "\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrodiplomacy"'
        return response
    workspace = get_workspace_for_user(caller.user, workspace_key)
    organisations = workspace_organisations(workspace)
    title = workspace.name
    if organisation_key is not None:
        organisations = [o for o in organisations if o.key == organisation_key]
        if not organisations:
            raise Http404("No such organisation in this workspace.")
        title = f"{organisations[0].name} — {workspace.name}"
    names = {o.key: o.name for o in workspace_organisations(workspace)}
    feed = Calendar()
    feed.add("prodid", PRODUCT_ID)
    feed.add("version", "2.0")
    feed.add("x-wr-calname", title)
    stamp = datetime.now(tz=timezone.get_current_timezone())
    host = request.get_host().split(":")[0] or "metrodiplomacy"
    for activity in activities(caller.user, organisations, caller.narrow):
        if activity.start is None:
            continue  # a calendar needs a day; engagements dated only by year stay on the list view
        event = Event()
        event.add("uid", f"{activity.ref.key}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", activity.ref.label)
        event.add("dtstart", activity.start)
        # DTEND of an all-day event is exclusive: the day after the last one.
        event.add("dtend", (activity.end or activity.start) + timedelta(days=1))
        if activity.place_name:
            event.add("location", activity.place_name)
        event.add("categories", [activity.kind.replace("_", " "), *activity.policy_areas])
        event.add("description", ", ".join(names.get(key, key) for key in activity.organisations))
        feed.add_component(event)
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="{workspace.key}{"-" + organisation_key if organisation_key else ""}.ics"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def workspace_feed(request, workspace):
    """The iCalendar feed of every dated engagement of the workspace the caller may see."""
    return _feed(request, workspace, None)


@require_GET
def organisation_feed(request, workspace, organisation):
    """The iCalendar feed of one organisation of the workspace."""
    return _feed(request, workspace, organisation)
