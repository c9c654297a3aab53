"""What every portal page shares: its JSON and CSV twins, charts drawn once per data, places on the map."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from django.http import HttpResponse, JsonResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from metrodiplomacy.analysis.maps import MapPoint
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.places.models import Place

FORMATS = ("json", "csv")


class FormatConverter:
    """The `.json` / `.csv` suffix of a data page's twin address."""

    regex = "json|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def data_response(request, title: str, tables: Sequence[Table], fmt: str, name: str) -> HttpResponse:
    """A page's tables as JSON (all of them) or CSV (one: `?table=N`, the first by default)."""
    if fmt == "json":
        body = {"title": str(title), "tables": [table.to_dict() for table in tables]}
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    try:
        index = int(request.GET.get("table", "0"))
        table = tables[index]
    except (ValueError, IndexError):
        listing = "; ".join(f"{number}: {table.title}" for number, table in enumerate(tables))
        message = _("No such table. Tables of this page: %(tables)s") % {"tables": listing}
        return HttpResponse(f"{message}\n", status=404, content_type="text/plain")
    response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slugify(name) or "data"}-{index}.csv"'
    return response


def error_response(fmt: str, message: str, status: int = 400) -> HttpResponse:
    if fmt == "json":
        return JsonResponse({"error": str(message)}, status=status)
    return HttpResponse(f"{message}\n", status=status, content_type="text/plain")


_NAMESPACES = re.compile(r"\s+xmlns(:xlink)?=\"[^\"]*\"")


def inline_svg(svg: str) -> SafeString:
    """An SVG we drew ourselves, ready to sit inside HTML (namespaces are implied there)."""
    return mark_safe(_NAMESPACES.sub("", svg.replace("xmlns='http://www.w3.org/2000/svg'", "")))  # noqa: S308


@functools.lru_cache(maxsize=256)
def chart_svg(kind: str, table: Table) -> SafeString:
    """The chart of `kind` drawn from `table`, cached by the table's content.

    Drawing through Vega costs hundreds of milliseconds; the same data always gives the same drawing, so a
    page pays it once per distinct table and a changed record (a new table) draws afresh.
    """
    from metrodiplomacy.analysis import charts

    draw = {"heatmap": charts.reliance_heatmap, "growth": charts.growth_bars, "capacity": charts.capacity_bars}[kind]
    return inline_svg(charts.render(draw(table), "svg").decode())


def coordinates(places: Sequence[Place]) -> dict[int, tuple[float, float]]:
    """Each place's longitude and latitude; a place without its own (a metropolitan area) takes those of
    its most populous place inside it. One query at most."""
    found = {p.pk: (p.longitude, p.latitude) for p in places if p.latitude is not None and p.longitude is not None}
    missing = [p.pk for p in places if p.pk not in found]
    if missing:
        children = (
            Place.objects.filter(parent__in=missing, latitude__isnull=False, longitude__isnull=False)
            .order_by("parent_id", "-population", "name")
            .values_list("parent_id", "longitude", "latitude")
        )
        for parent, longitude, latitude in children:
            found.setdefault(parent, (longitude, latitude))
    return found


def map_points(places: Sequence[Place], counts: dict[int, int], href, highlight: int | None = None) -> list[MapPoint]:
    located = coordinates(places)
    return [
        MapPoint(place.name, *located[place.pk], counts.get(place.pk, 0), href(place), place.pk == highlight)
        for place in places
        if place.pk in located
    ]
