"""Spreadsheet import for editors: upload, preview (checked and written, then rolled back), commit.

The file passes the upload gate, is kept under MEDIA_ROOT/imports/<token>/ for its owner only, and the
commit reads that copy again, never a re-upload. Records are owned by the organisation chosen on the form,
one the user edits for. Why the commit runs inside its request and how the page follows its progress:
see importers/spreadsheet/stored.py.
"""

from __future__ import annotations

import time

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.exports import csv_text
from metrodiplomacy.importers.datapackage.spec import tables
from metrodiplomacy.importers.spreadsheet import (
    PROBLEM_COLUMNS,
    ImportOptions,
    SpreadsheetInvalid,
    import_spreadsheet,
)
from metrodiplomacy.importers.spreadsheet import stored as storage
from metrodiplomacy.importers.spreadsheet.sources import ENCODINGS, MAX_ROWS
from metrodiplomacy.importers.spreadsheet.templates import XLSX_NAME, csv_template, xlsx_template
from metrodiplomacy.records import Visibility
from metrodiplomacy.uploads import CSV, DEFAULT_MAX_BYTES, MEDIA_TYPES, XLSX, UploadRefused, check_upload
from metrodiplomacy.writes import Author

from .common import members_only

# Problems shown on the page; the CSV report holds them all.
PROBLEMS_ON_PAGE = 500


def _organisations(author: Author):
    if author.organisation_ids is None:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=author.organisation_ids).order_by("name")


def _importer(request) -> Author:
    """The author the user writes as; 403 for a user who edits for no organisation (a viewer)."""
    author = Author.for_user(request.user)
    if author.organisation_ids is not None and not author.organisation_ids:
        raise PermissionDenied(_("You edit for no organisation, so you cannot import records."))
    return author


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("A CSV file for one entity, or an XLSX workbook with one sheet per entity."),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Owning organisation"),
        help_text=gettext_lazy("Owns every imported row that names no owner."),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        label=gettext_lazy("Visibility"),
        help_text=gettext_lazy("For rows that do not say; public records still wait as drafts until published."),
    )
    entity = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Entity"),
        help_text=gettext_lazy("For a CSV file: which entity it holds (otherwise taken from its name or header)."),
    )
    encoding = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Encoding of a CSV file"),
        help_text=gettext_lazy("Automatic reads UTF-8 and UTF-16; name another encoding only if you know it."),
    )

    def __init__(self, *args, author: Author, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(author)
        self.fields["entity"].choices = [("", _("from the file"))] + [(t.name, t.name) for t in tables()]
        self.fields["encoding"].choices = [("", _("automatic"))] + [
            (code, label) for code, label in ENCODINGS.items() if code in {"cp1252", "latin-1"}
        ]


def _options(stored: storage.StoredImport, user) -> ImportOptions:
    """What the user chose at upload, checked again: they must still edit for the owning organisation."""
    author = Author.for_user(user)
    owner = Organisation.objects.filter(pk=stored.state["owner_id"]).first()
    if owner is None or not author.may_edit_for(owner.pk):
        raise PermissionDenied(_("You no longer edit for the organisation chosen for this import."))
    return ImportOptions(
        owner=owner,
        visibility=stored.state["visibility"],
        author=author,
        entity=stored.state.get("entity") or None,
        encoding=stored.state.get("encoding") or None,
    )


def _summary_rows(summary) -> list[list]:
    names = sorted(set(summary.created) | set(summary.updated) | set(summary.unchanged))
    return [
        [name, summary.created.get(name, 0), summary.updated.get(name, 0), summary.unchanged.get(name, 0)]
        for name in names
    ]


def _run(stored: storage.StoredImport, user, dry_run: bool, progress=None) -> None:
    """Check (and write, or pretend to) the stored file; what was found goes into its state."""
    options = _options(stored, user)
    try:
        with open(stored.file, "rb") as stream:
            summary = import_spreadsheet(stream, stored.state["name"], options, dry_run=dry_run, progress=progress)
    except SpreadsheetInvalid as error:
        stored.save(status=storage.PREVIEWED, problems=[p.as_row() for p in error.problems], summary=[])
        return
    stored.save(
        status=storage.PREVIEWED if dry_run else storage.COMMITTED,
        problems=[],
        summary=_summary_rows(summary),
        **({} if dry_run else {"committed_at": time.time()}),
    )


@members_only
@require_http_methods(["GET", "POST"])
def start_import(request):
    """Upload a spreadsheet: it is checked and previewed at once, nothing is written yet."""
    author = _importer(request)
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, author=author)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                checked = check_upload(upload, upload.name, {CSV, XLSX})
            except UploadRefused as error:
                form.add_error("file", str(error))
            else:
                stored = storage.store_upload(
                    upload,
                    request.user.pk,
                    name=checked.name,
                    kind=checked.kind,
                    owner_id=form.cleaned_data["organisation"].pk,
                    visibility=form.cleaned_data["visibility"],
                    entity=form.cleaned_data["entity"],
                    encoding=form.cleaned_data["encoding"],
                )
                _run(stored, request.user, dry_run=True)
                return redirect("workspaces:show_import", stored.token)
        status = 400
    else:
        form = ImportForm(author=author)
    return render(
        request,
        "workspaces/import.html",
        {
            "form": form,
            "entities": [t.name for t in tables()],
            "xlsx_name": XLSX_NAME,
            "max_rows": f"{MAX_ROWS:,}",
            "max_megabytes": DEFAULT_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


def _stored_or_404(request, token: str) -> storage.StoredImport:
    stored = storage.load_for_user(token, request.user)
    if stored is None:
        raise Http404("No such import.")
    return stored


@members_only
@require_GET
def show_import(request, token: str):
    """The preview (what would be created, changed or left as it is, or every problem), then the result."""
    stored = _stored_or_404(request, token)
    problems = stored.state.get("problems", [])
    status = stored.status
    may_commit = not problems and (status == storage.PREVIEWED or stored.is_stale)
    return render(
        request,
        "workspaces/import_preview.html",
        {
            "stored": stored,
            "status": status,
            "problems": problems[:PROBLEMS_ON_PAGE],
            "problem_count": len(problems),
            "problem_columns": PROBLEM_COLUMNS,
            "summary": stored.state.get("summary", []),
            "may_commit": may_commit,
            "interrupted": stored.is_stale,
            "polls": may_commit or status == storage.COMMITTING,
            "progress": stored.progress(),
            "organisation": Organisation.objects.filter(pk=stored.state["owner_id"]).first(),
        },
    )


@members_only
@require_POST
def commit_import(request, token: str):
    """Write the kept file in one transaction, checked again; a second commit of the same file does nothing."""
    stored = _stored_or_404(request, token)
    if stored.status == storage.COMMITTED or stored.state.get("problems"):
        return redirect("workspaces:show_import", stored.token)
    if not stored.claim_commit():
        return redirect("workspaces:show_import", stored.token)
    try:
        stored.save(status=storage.COMMITTING, commit_started=time.time())
        stored.report_progress(0, 0, force=True)
        _run(stored, request.user, dry_run=False, progress=stored.report_progress)
    except BaseException:
        # Anything unforeseen: the transaction rolled back, so the file may be committed again.
        stored.save(status=storage.PREVIEWED)
        raise
    finally:
        stored.release_commit()
    return redirect("workspaces:show_import", stored.token)


@members_only
@require_GET
def show_import_progress(request, token: str):
    """The commit's progress, polled by the preview page while the commit request runs."""
    stored = _stored_or_404(request, token)
    progress = stored.progress()
    response = render(
        request,
        "workspaces/import_progress.html",
        {"stored": stored, "status": stored.status, "progress": progress, "interrupted": stored.is_stale},
    )
    if stored.status in {storage.COMMITTED} or stored.is_stale:
        # htmx stops polling on 286.
        response.status_code = 286
    return response


@members_only
@require_GET
def download_import_problems(request, token: str):
    """Every problem of the import as CSV: file, sheet, row, column, cell, reason."""
    stored = _stored_or_404(request, token)
    response = HttpResponse(
        csv_text(PROBLEM_COLUMNS, stored.state.get("problems", [])), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-problems-{stored.token[:8]}.csv"'
    return response


@members_only
@require_GET
def download_template(request, entity: str, extension: str):
    """The template of one entity as CSV, or the workbook of every entity."""
    if extension == "xlsx":
        if entity != XLSX_NAME.removesuffix(".xlsx"):
            raise Http404("No such template.")
        response = HttpResponse(xlsx_template(), content_type=MEDIA_TYPES[XLSX])
        response["Content-Disposition"] = f'attachment; filename="{XLSX_NAME}"'
        return response
    table = next((t for t in tables() if t.name == entity), None)
    if table is None:
        raise Http404("No such entity.")
    response = HttpResponse(csv_template(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
    return response
