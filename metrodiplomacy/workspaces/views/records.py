"""Create, edit, delete and publish records, and cite sources for them; every write goes through a service."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from metrodiplomacy.evidence.queries import readable_citations
from metrodiplomacy.evidence.services import cite, withdraw_citation
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import Visibility
from metrodiplomacy.writes import Author

from ..forms import (
    CitationForm,
    group_formset,
    group_values,
    initial_values,
    record_form_class,
    service_values,
)
from ..services import publish_record, unpublish_record
from .common import add_service_errors, editable_record, members_only, with_kind


def _edit_url(kind, record) -> str:
    from django.urls import reverse

    return reverse("workspaces:edit_record", args=[kind.slug, record.key])


def _form_page(request, kind, form, formset, record=None, citation_form=None, status=200):
    citations = []
    if record is not None:
        citations = readable_citations(
            request.user, Q(content_type=ContentType.objects.get_for_model(kind.model), object_id=record.pk)
        )
    return render(
        request,
        "workspaces/record_form.html",
        {
            "kind": kind,
            "form": form,
            "formset": formset,
            "record": record,
            "citations": citations,
            "citation_form": citation_form or (CitationForm(user=request.user) if record else None),
            "place_names": Place.objects.order_by("name").values_list("key", "name"),
            "is_public": record is not None and record.visibility == Visibility.PUBLIC,
        },
        status=status,
    )


def _save(request, kind, form, formset, write):
    """Validate the form (and its rows), then write through the service; False with the errors shown."""
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return None
    values = service_values(form)
    if formset is not None:
        values[kind.group] = group_values(kind, formset)
    try:
        with transaction.atomic():
            return write(values)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@members_only
@require_http_methods(["GET", "POST"])
@with_kind
def create_record(request, kind):
    author = Author.for_user(request.user)
    if author.organisation_ids is not None and not author.organisation_ids:
        raise PermissionDenied("You edit for no organisation, so you cannot create records.")
    form_class = record_form_class(kind, request.user, creating=True)
    if request.method == "GET":
        return _form_page(request, kind, form_class(), group_formset(kind, request.user))
    form, formset = form_class(request.POST), group_formset(kind, request.user, request.POST)
    record = _save(request, kind, form, formset, lambda values: kind.create(author, values))
    if record is None:
        return _form_page(request, kind, form, formset, status=400)
    messages.success(request, _("Saved. You can now cite its sources."))
    return redirect(_edit_url(kind, record))


@members_only
@require_http_methods(["GET", "POST"])
@with_kind
def edit_record(request, kind, key):
    record, author = editable_record(kind, request.user, key)
    form_class = record_form_class(kind, request.user, creating=False)
    if request.method == "GET":
        form = form_class(initial=initial_values(kind, record))
        return _form_page(request, kind, form, group_formset(kind, request.user, record=record), record)
    form, formset = form_class(request.POST), group_formset(kind, request.user, request.POST, record)
    saved = _save(request, kind, form, formset, lambda values: kind.change(author, record, values))
    if saved is None:
        record.refresh_from_db()
        return _form_page(request, kind, form, formset, record, status=400)
    messages.success(request, _("Saved."))
    return redirect(_edit_url(kind, record))


@members_only
@require_http_methods(["GET", "POST"])
@with_kind
def delete_record(request, kind, key):
    record, author = editable_record(kind, request.user, key)
    if request.method == "GET":
        return render(request, "workspaces/record_delete.html", {"kind": kind, "record": record})
    kind.remove(author, record)
    messages.success(request, _("Deleted. Its history is kept."))
    return redirect("workspaces:list_records", kind.slug)


@members_only
@require_POST
@with_kind
def publish(request, kind, key):
    record, author = editable_record(kind, request.user, key)
    try:
        publish_record(author, record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "workspaces/refused.html", {"kind": kind, "record": record}, status=400)
    messages.success(request, _("Published: it now appears on the public pages and in the API."))
    return redirect(_edit_url(kind, record))


@members_only
@require_POST
@with_kind
def unpublish(request, kind, key):
    record, author = editable_record(kind, request.user, key)
    unpublish_record(author, record)
    messages.success(request, _("Back to draft: it no longer appears publicly."))
    return redirect(_edit_url(kind, record))


@members_only
@require_POST
@with_kind
def add_citation(request, kind, key):
    record, author = editable_record(kind, request.user, key)
    citation_form = CitationForm(request.POST, user=request.user)
    if citation_form.is_valid():
        values = {**citation_form.cleaned_data, "source": citation_form.cleaned_data["source"].key}
        try:
            cite(author, record, values)
        except ValidationError as error:
            add_service_errors(citation_form, error)
        else:
            messages.success(request, _("Citation added."))
            return redirect(_edit_url(kind, record))
    form = record_form_class(kind, request.user, creating=False)(initial=initial_values(kind, record))
    formset = group_formset(kind, request.user, record=record)
    return _form_page(request, kind, form, formset, record, citation_form, status=400)


@members_only
@require_POST
@with_kind
def remove_citation(request, kind, key, citation_id):
    record, author = editable_record(kind, request.user, key)
    withdraw_citation(author, record, citation_id)
    messages.success(request, _("Citation withdrawn."))
    return redirect(_edit_url(kind, record))
