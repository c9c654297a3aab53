"""The twinning pages: the whole graph of twinning agreements, and one city's partners and ego network.

The graph of the full twinning file has some 15,000 cities; building it and its centralities takes seconds,
so each process keeps the last few graphs, keyed by what the reader can see of the twinning agreements.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.analysis.twinning import (
    City,
    TwinningGraph,
    centralities,
    countries_table,
    degree_distribution,
    ego_network,
    summary,
)
from metrodiplomacy.analysis.twinning_svg import ego_svg, world_map_svg
from metrodiplomacy.diplomacy.models import Agreement, AgreementKind, AgreementParty
from metrodiplomacy.observatory.inputs.twinning import twinning_graph
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import visible_to

from .common import data_response, inline_svg

# A graph of the full file holds tens of megabytes; a handful covers the public view and a few members.
GRAPHS_KEPT = 4
TOP_CITIES = 20
TOP_COUNTRIES = 30


@dataclass
class CachedGraph:
    """A built graph and what the pages derived from it (tables and drawings), computed once each."""

    graph: TwinningGraph
    derived: dict[object, object] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, name: object, compute):
        with self.lock:
            if name not in self.derived:
                self.derived[name] = compute()
            return self.derived[name]


_graphs: OrderedDict[tuple, CachedGraph] = OrderedDict()
_graphs_lock = threading.Lock()


def visible_twinning(user):
    return visible_to(Agreement.objects.filter(kind=AgreementKind.TWINNING), user)


def cached_graph(user) -> CachedGraph:
    """The twinning graph of the agreements the user may read, rebuilt only when those agreements change.

    The key is one aggregate over the visible agreements: a new, changed, deleted or newly visible agreement
    changes their count, latest update or sum of ids, so two readers who see the same agreements share a graph.
    """
    found = visible_twinning(user).aggregate(count=Count("pk"), latest=Max("updated_at"), ids=Sum("pk"))
    key = (found["count"], found["latest"], found["ids"])
    with _graphs_lock:
        if key in _graphs:
            _graphs.move_to_end(key)
            return _graphs[key]
    built = CachedGraph(twinning_graph(user))
    with _graphs_lock:
        _graphs[key] = built
        while len(_graphs) > GRAPHS_KEPT:
            _graphs.popitem(last=False)
    return built


def city_position(twinning: TwinningGraph, vertex: int) -> dict[str, float | int | None]:
    """Where a city stands in the twinning graph: twins, reach, clustering, rank and centralities."""
    graph, degrees = twinning.graph, twinning.degrees
    betweenness, sampled = twinning.betweenness()
    twins = graph.neighbors(vertex)
    return {
        "twins": degrees[vertex],
        "twin_countries": len({twinning.cities[v].country for v in twins}),
        "reach_two_steps": len(set(graph.neighborhood(vertex, order=2))) - 1,
        "local_clustering": round(graph.transitivity_local_undirected([vertex], mode="zero")[0], 4),
        "rank_by_twins": 1 + sum(1 for degree in degrees if degree > degrees[vertex]),
        "cities_in_graph": graph.vcount(),
        "betweenness": round(betweenness[vertex], 6),
        "betweenness_sources": sampled,
        "eigenvector": round(twinning.eigenvector()[vertex], 4),
        "pagerank": round(graph.pagerank(directed=False)[vertex], 6),
    }


def city_metrics(twinning: TwinningGraph, vertex: int) -> Table:
    """The city's position as a table with the reader's words."""
    position = city_position(twinning, vertex)
    labels = {
        "twins": _("twins"),
        "twin_countries": _("countries of its twins"),
        "reach_two_steps": _("cities within two steps"),
        "local_clustering": _("local clustering"),
        "rank_by_twins": _("rank by number of twins"),
        "cities_in_graph": _("cities in the graph"),
        "betweenness": _("betweenness"),
        "eigenvector": _("eigenvector centrality"),
        "pagerank": _("PageRank"),
    }
    sampled = position["betweenness_sources"]
    how = _("exact") if sampled is None else _("estimated from %(n)s random sources") % {"n": sampled}
    notes = [
        _("Rank 1 is the most twinned city; cities with as many twins share a rank."),
        _("Betweenness is normalised, %(how)s; eigenvector centrality is 0 outside the largest component.")
        % {"how": how},
    ]
    title = _("%(city)s in the twinning graph") % {"city": twinning.cities[vertex].label}
    return Table.build(title, ("metric", "value"), [(labels[k], position[k]) for k in labels], notes)


def partner_agreements(place: Place, user) -> Table:
    """The twinning agreements of a place that the user may read, one row per partner and agreement."""
    agreements = visible_twinning(user).filter(parties__place=place).values("pk")
    parties = (
        AgreementParty.objects.filter(agreement__in=agreements, place__isnull=False)
        .exclude(place=place)
        .order_by("place__name", "agreement__key")
        .values_list("place__name", "place__key", "place__country__iso2", "agreement__key", "agreement__year")
    )
    return Table.build(
        _("Twinning agreements of %(place)s") % {"place": place.name},
        (_("partner"), "partner key", _("country"), "agreement key", _("year")),
        list(parties),
        [_("Only the agreements you may read are listed and counted.")],
    )


def _star(twinning: TwinningGraph, vertex: int) -> TwinningGraph:
    """The city and its twins, with only the pairs that include the city: its partners on the map."""
    twins = twinning.graph.neighbors(vertex)
    cities = [twinning.cities[vertex]] + [twinning.cities[v] for v in twins]
    centre = twinning.cities[vertex].id
    return TwinningGraph(
        (City(c.id, c.name, c.country, c.latitude, c.longitude) for c in cities),
        [(centre, twinning.cities[v].id) for v in twins],
    )


def twinning_overview(request, fmt: str | None = None):
    """The graph of twinning agreements: its size and shape, degree distribution, top cities and countries."""
    cached = cached_graph(request.user)
    twinning = cached.graph
    empty = twinning.graph.ecount() == 0
    tables = cached.get(
        "overview",
        lambda: (
            [
                summary(twinning),
                degree_distribution(twinning),
                centralities(twinning, TOP_CITIES),
                countries_table(twinning, TOP_COUNTRIES),
            ]
            if not empty
            # An empty graph still answers with its (zero) size, so the data twins never 404.
            else [summary(twinning)]
        ),
    )
    if fmt:
        return data_response(request, _("Twinning graph"), tables, fmt, "twinning")
    world = "" if empty else cached.get("world", lambda: inline_svg(world_map_svg(twinning, labels=12)))
    top = cached.get("top keys", lambda: _top_links(twinning)) if not empty else []
    return render(request, "observatory/twinning.html", {"tables": tables, "map": world, "top": top})


def _top_links(twinning: TwinningGraph) -> list[tuple[str, str, int]]:
    ranked = sorted(range(len(twinning.cities)), key=lambda v: (-twinning.degrees[v], twinning.cities[v].name))
    chosen = ranked[:TOP_CITIES]
    keys = dict(Place.objects.filter(pk__in=[twinning.cities[v].id for v in chosen]).values_list("pk", "key"))
    return [(keys[twinning.cities[v].id], twinning.cities[v].label, twinning.degrees[v]) for v in chosen]


def twinning_city(request, key: str, fmt: str | None = None):
    """A city's twins: its place in the graph, partners on the map, ego network and agreements."""
    place = Place.objects.select_related("country").filter(key=key).first()
    cached = cached_graph(request.user)
    twinning = cached.graph
    vertex = twinning.vertex.get(place.pk) if place is not None else None
    if vertex is None or not twinning.degrees[vertex]:
        raise Http404(_("No twinning agreement of this place is recorded."))
    tables = [city_metrics(twinning, vertex), ego_network(twinning, vertex), partner_agreements(place, request.user)]
    if fmt:
        return data_response(request, place.name, tables, fmt, f"twinning-{place.key}")
    context = {
        "place": place,
        "tables": tables,
        # Drawn per request (tens of milliseconds): keeping every city's drawings would grow without bound.
        # On the map only the city is labelled: in the star every partner has one pair, its own twins are
        # in the ego drawing and the tables.
        "map": inline_svg(world_map_svg(_star(twinning, vertex), labels=1)),
        "ego": inline_svg(ego_svg(twinning, vertex)),
    }
    return render(request, "observatory/twinning_city.html", context)
