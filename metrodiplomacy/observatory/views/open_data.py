"""Open data: every public, published record, as a Frictionless data package and as CSV and XLSX per entity.

Whoever asks, signed in or not, gets the same public data: these files are for republishing.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.importers.spreadsheet.open_data import (
    ZIP_NAME,
    OpenTable,
    open_data_tables,
    open_data_zip,
    table_csv,
    table_xlsx,
)
from metrodiplomacy.uploads import MEDIA_TYPES, XLSX

from .common import data_response


def _label(open_table: OpenTable) -> str:
    return str(open_table.table.get_model()._meta.verbose_name_plural)


@require_GET
def show_open_data(request, fmt: str | None = None):
    """The entities with their number of public rows, each downloadable as CSV or XLSX, and the whole package."""
    open_tables = open_data_tables()
    table = Table.build(
        _("Open data"),
        ("entity", _("what"), _("rows"), "csv", "xlsx"),
        [
            (
                t.name,
                _label(t),
                len(t.rows),
                request.build_absolute_uri(reverse("observatory:download_open_csv", args=[t.name])),
                request.build_absolute_uri(reverse("observatory:download_open_xlsx", args=[t.name])),
            )
            for t in open_tables
        ],
    )
    if fmt:
        return data_response(request, _("Open data"), [table], fmt, "open-data")
    rows = [(t.name, _label(t), len(t.rows)) for t in open_tables]
    return render(
        request,
        "observatory/open_data.html",
        {"rows": rows, "total": sum(len(t.rows) for t in open_tables), "zip_name": ZIP_NAME},
    )


def _one(entity: str) -> OpenTable:
    found = next((t for t in open_data_tables() if t.name == entity), None)
    if found is None:
        raise Http404("No public data for this entity.")
    return found


@require_GET
def download_open_data(request, entity: str, extension: str):
    """One entity's public rows as CSV or XLSX."""
    open_table = _one(entity)
    if extension == "csv":
        response = HttpResponse(table_csv(open_table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(open_table), content_type=MEDIA_TYPES[XLSX])
    response["Content-Disposition"] = f'attachment; filename="{open_table.name}.{extension}"'
    return response


@require_GET
def download_open_data_package(request):
    """The whole open data as a Frictionless data package in one zip archive."""
    response = HttpResponse(open_data_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{ZIP_NAME}"'
    return response
