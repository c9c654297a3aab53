"""Sources (each with what cites it) and the search across every public record."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from metrodiplomacy.actors.queries import visible_organisations
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.diplomacy.models import Agreement, Engagement, Initiative
from metrodiplomacy.evidence.models import CaseStudy
from metrodiplomacy.evidence.queries import get_source_for_user, visible_citations, visible_sources
from metrodiplomacy.observatory.text import describe
from metrodiplomacy.places.queries import search_places
from metrodiplomacy.records import visible_to
from metrodiplomacy.related import read_by
from metrodiplomacy.strategy.models import Strategy

from .common import data_response

SEARCH_LIMIT = 20
# What `describe` reads of each kind of record, fetched in bulk so a long list costs no query per row.
DESCRIBED_WITH = {
    "Statistic": ("place", "organisation"),
    "CaseStudy": ("source",),
    "RelianceCoding": ("policy_area",),
    "Unit": ("organisation", "location"),
    "Strategy": ("organisation",),
    "Agreement": ("parties__place", "parties__organisation"),
    "NetworkMembership": ("network", "member", "roles"),
    "Hosting": ("place", "organisation"),
    "Initiative": ("lead",),
    "Indicator": ("observations",),
    "RankingPosition": ("place",),
    "CoordinationMechanism": ("convenor",),
    "Survey": ("organisation",),
    "SurveyResult": ("survey__organisation",),
}
SHORTEST_QUERY = 2


def list_sources(request, fmt: str | None = None):
    """Every source the reader may see, with how many of their records it supports."""
    user = request.user
    cited = dict(visible_citations(user).order_by().values("source").annotate(n=Count("pk")).values_list("source", "n"))
    sources = list(visible_sources(user).order_by("title"))
    table = Table.build(
        _("Sources"),
        ("key", _("title"), _("author"), _("year"), _("kind"), _("citations"), _("address")),
        [(s.key, s.title, s.author, s.year, s.get_kind_display(), cited.get(s.pk, 0), s.url) for s in sources],
    )
    if fmt:
        return data_response(request, _("Sources"), [table], fmt, "sources")
    rows = [(s, cited.get(s.pk, 0)) for s in sources]
    return render(request, "observatory/sources.html", {"rows": rows, "table": table})


def _link(obj) -> str:
    name = type(obj).__name__
    if name == "Organisation":
        return reverse("observatory:show_organisation", args=[obj.key])
    if name == "Place":
        return reverse("observatory:show_place", args=[obj.key])
    return ""


def show_source(request, key: str, fmt: str | None = None):
    """One source and every visible record that cites it, with the passage."""
    user = request.user
    source = get_source_for_user(user, key)
    citations = list(visible_citations(user).filter(source=source).order_by("line_start", "section", "pk"))
    ids: dict[int, set[int]] = defaultdict(set)
    for citation in citations:
        ids[citation.content_type_id].add(citation.object_id)
    records: dict[tuple[int, int], object] = {}
    for content_type_id, object_ids in ids.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        # Read by the user, so what each record names (a unit's organisation…) is shown only if readable too.
        found = read_by(model.objects.all(), user).in_bulk(list(object_ids))
        prefetch_related_objects(list(found.values()), *DESCRIBED_WITH.get(model.__name__, ()))
        for pk, obj in found.items():
            records[(content_type_id, pk)] = obj
    rows = []
    for citation in citations:
        obj = records.get((citation.content_type_id, citation.object_id))
        if obj is None:
            continue
        rows.append((citation, obj, citation.content_type.model_class()._meta.verbose_name, describe(obj), _link(obj)))
    studies = list(visible_to(CaseStudy.objects.filter(source=source), user).select_related("place"))
    about = Table.build(
        _("About the source"),
        (_("field"), _("value")),
        [
            ("key", source.key),
            (_("title"), source.title),
            (_("author"), source.author),
            (_("year"), source.year),
            (_("kind"), source.get_kind_display()),
            (_("file"), source.file),
            (_("address"), source.url),
            (_("case studies"), "; ".join(s.place.name for s in studies)),
        ],
    )
    cites = Table.build(
        _("What the source supports"),
        (_("passage"), _("record kind"), _("record"), _("note")),
        [(c.locator, str(kind), text, c.note) for c, _obj, kind, text, _href in rows],
    )
    if fmt:
        return data_response(request, source.title, [about, cites], fmt, source.key)
    context = {"source": source, "about": about, "rows": rows, "studies": studies, "cites": cites}
    return render(request, "observatory/source.html", context)


def _search(user, text: str) -> list[tuple[str, str, str, str]]:
    """(kind, name, detail, link) for each visible record matching `text`, at most SEARCH_LIMIT per kind."""
    results = []
    for place in search_places(text, SEARCH_LIMIT):
        detail = ", ".join(filter(None, [place.get_kind_display(), place.country.name if place.country_id else ""]))
        results.append((_("place"), place.name, detail, reverse("observatory:show_place", args=[place.key])))
    organisations = visible_organisations(user).filter(
        Q(name__icontains=text) | Q(acronym__icontains=text) | Q(key__icontains=text)
    )
    for organisation in organisations.order_by("name")[:SEARCH_LIMIT]:
        link = reverse("observatory:show_organisation", args=[organisation.key])
        results.append((_("organisation"), organisation.name, organisation.get_kind_display(), link))
    for source in visible_sources(user).filter(Q(title__icontains=text) | Q(author__icontains=text))[:SEARCH_LIMIT]:
        results.append(
            (_("source"), source.title, source.author, reverse("observatory:show_source", args=[source.key]))
        )
    for label, model, field in (
        (_("agreement"), Agreement, "title"),
        (_("initiative"), Initiative, "name"),
        (_("strategy"), Strategy, "name"),
        (_("engagement"), Engagement, "title"),
    ):
        found = visible_to(model.objects.filter(**{f"{field}__icontains": text}), user).order_by(field)
        for obj in found[:SEARCH_LIMIT]:
            results.append((label, getattr(obj, field), "", ""))
    return results


def search_records(request, fmt: str | None = None):
    """Search places, organisations, sources, agreements, initiatives, strategies and engagements by name."""
    text = request.GET.get("q", "").strip()
    results = _search(request.user, text) if len(text) >= SHORTEST_QUERY else []
    table = Table.build(
        _("Search results"), (_("kind"), _("name"), _("detail"), _("address")), [(k, n, d, h) for k, n, d, h in results]
    )
    if fmt:
        return data_response(request, _("Search"), [table], fmt, "search")
    context = {"q": text, "results": results, "too_short": 0 < len(text) < SHORTEST_QUERY}
    template = "observatory/_search_results.html" if request.htmx else "observatory/search.html"
    return render(request, template, context)
