"""Results pages of the workspace: the approval queue of reported values, locked periods, and the annual report.

Members only. Every read goes through the strategy gate (`queries.py`) and every write through
`services.py`, which refuses what the author may not do (403) or what the rules forbid (400 with the reason).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.workspaces.models import Membership, Role
from metrodiplomacy.workspaces.views.common import members_only
from metrodiplomacy.writes import Author

from . import services
from .queries import get_observation_for_user, locked_periods, observations_under_review

PAGE_SIZE = 30


def _memberships(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name"))


@members_only
@require_GET
def show_results(request):
    """My organisations' reported values, those awaiting a decision first, with the locked periods."""
    memberships = _memberships(request.user)
    ids = [m.organisation_id for m in memberships]
    state = request.GET.get("approval", "")
    values = observations_under_review(request.user, ids)
    if state in {"draft", "submitted", "approved", "returned"}:
        values = values.filter(approval=state)
    page = Paginator(values, PAGE_SIZE).get_page(request.GET.get("page"))
    author = Author.for_user(request.user)
    admin_of = {m.organisation_id for m in memberships if m.role == Role.ADMIN}
    return render(
        request,
        "strategy/results.html",
        {
            "page": page,
            "rows": [
                (value, author.may_edit_for(value.owner_id), request.user.is_staff or value.owner_id in admin_of)
                for value in page
            ],
            "state": state,
            "locks": locked_periods(ids),
            "admin_organisations": [m.organisation for m in memberships if m.role == Role.ADMIN],
            "organisations": [m.organisation for m in memberships],
            "report_year": observations_under_review(request.user, ids).aggregate(latest=Max("year"))["latest"]
            or timezone.now().year - 1,
        },
    )


@members_only
@require_GET
def show_value(request, key):
    """One value with its approval trail."""
    value = get_observation_for_user(request.user, key)
    return render(
        request,
        "strategy/value.html",
        {
            "value": value,
            "reviews": value.reviews.select_related("user"),
            "is_locked": services.is_locked(value.owner_id, value.year),
        },
    )


def _review_step(request, key, step):
    value = get_observation_for_user(request.user, key)
    comment = request.POST.get("comment", "")[:2000]
    try:
        step(Author.for_user(request.user), value, comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        context = {
            "value": value,
            "reviews": value.reviews.select_related("user"),
            "is_locked": services.is_locked(value.owner_id, value.year),
        }
        return render(request, "strategy/value.html", context, status=400)
    return redirect("strategy:show_value", key=value.key)


@members_only
@require_POST
def submit_value(request, key):
    response = _review_step(request, key, services.submit_observation)
    if response.status_code == 302:
        messages.success(request, _("Submitted for approval."))
    return response


@members_only
@require_POST
def approve_value(request, key):
    response = _review_step(request, key, services.approve_observation)
    if response.status_code == 302:
        messages.success(request, _("Approved."))
    return response


@members_only
@require_POST
def return_value(request, key):
    response = _review_step(request, key, services.return_observation)
    if response.status_code == 302:
        messages.success(request, _("Returned to its editors."))
    return response


@members_only
@require_POST
def lock_period(request):
    """Lock a year of one of my organisations (admins)."""
    organisation = _member_organisation(request.user, request.POST.get("organisation", ""))
    try:
        year = int(request.POST.get("year", ""))
        services.lock_period(Author.for_user(request.user), organisation, year, request.POST.get("comment", "")[:2000])
    except ValueError:
        messages.error(request, _("Give the year to lock as a number, e.g. 2019."))
        return redirect("strategy:show_results")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("strategy:show_results")
    messages.success(request, _("Locked: the values of %(year)s can no longer change.") % {"year": year})
    return redirect("strategy:show_results")


def _member_organisation(user, key: str) -> Organisation:
    """An organisation the user belongs to (staff: any); anything else is missing."""
    if user.is_staff:
        return get_object_or_404(Organisation, key=key)
    membership = Membership.objects.filter(user=user, organisation__key=key).select_related("organisation").first()
    if membership is None:
        raise Http404("No such organisation.")
    return membership.organisation


@members_only
@require_GET
def show_report(request, organisation, year):
    """The workspace report of one of my organisations: what its workspace may read, values under review included."""
    from metrodiplomacy.reports.gather import build_report

    subject = _member_organisation(request.user, organisation)
    if not 1000 <= year <= 2200:
        raise Http404("No such year.")
    report = build_report(subject, year, request.user, audience="workspace")
    return report_response(request, report)


def report_response(request, report):
    """The report as a page, or as a PDF or standalone HTML download (`?format=pdf|html`)."""
    from metrodiplomacy.reports.render import render_html, render_pdf

    fmt = request.GET.get("format", "")
    name = f"{slugify(report.subject_key)}-{report.year}-{report.audience}"
    if fmt == "pdf":
        response = HttpResponse(render_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "html":
        response = HttpResponse(render_html(report), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.html"'
        return response
    if fmt:
        raise Http404("No such format: use pdf or html.")
    from metrodiplomacy.reports.render import context

    return render(request, "reports/annual_page.html", context(report))
