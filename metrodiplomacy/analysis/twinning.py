"""The twinning graph: cities as vertices, twinning agreements as undirected edges (igraph).

Django-free: a feeder passes plain `City` values and pairs of city ids. Every function returns a `Table`
whose notes say how the figures were computed.
"""

from __future__ import annotations

import random
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import igraph

from metrodiplomacy.analysis.tables import Table

# Exact betweenness is O(V·E): 30 s on 15,000 cities. Past this many vertices it is estimated from the
# shortest paths out of a seeded random sample of sources, scaled by n/k (Brandes and Pich's estimator).
BETWEENNESS_EXACT_UP_TO = 3000
BETWEENNESS_SOURCES = 400
COMMUNITY_SEED = 7


@dataclass(frozen=True)
class City:
    """A vertex: a place that is party to a twinning agreement."""

    id: int
    name: str
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name


class TwinningGraph:
    """An undirected simple graph of cities; repeated pairs and self-pairs are dropped."""

    def __init__(self, cities: Iterable[City], pairs: Iterable[tuple[int, int]]):
        self.cities = list(cities)
        self.vertex = {city.id: index for index, city in enumerate(self.cities)}
        edges = {
            (min(self.vertex[a], self.vertex[b]), max(self.vertex[a], self.vertex[b]))
            for a, b in pairs
            if a != b and a in self.vertex and b in self.vertex
        }
        self.graph = igraph.Graph(n=len(self.cities), edges=sorted(edges))
        self._cache: dict[str, object] = {}

    @property
    def degrees(self) -> list[int]:
        return self._cached("degree", self.graph.degree)

    def components(self) -> igraph.VertexClustering:
        return self._cached("components", self.graph.connected_components)

    def communities(self) -> igraph.VertexClustering:
        def detect():
            # Louvain visits vertices in a random order: a fixed seed gives the same partition every run.
            state = random.getstate()
            random.seed(COMMUNITY_SEED)
            try:
                return self.graph.community_multilevel()
            finally:
                random.setstate(state)

        return self._cached("communities", detect)

    def betweenness(self) -> tuple[list[float], int | None]:
        """Normalised betweenness of every vertex, and the number of sampled sources (None when exact)."""

        def compute():
            n = self.graph.vcount()
            if n <= BETWEENNESS_EXACT_UP_TO:
                raw, sampled = self.graph.betweenness(directed=False), None
            else:
                sources = random.Random(COMMUNITY_SEED).sample(range(n), BETWEENNESS_SOURCES)
                estimate = self.graph.betweenness(directed=False, sources=sources)
                raw, sampled = [value * n / len(sources) for value in estimate], len(sources)
            scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0
            return [value * scale for value in raw], sampled

        return self._cached("betweenness", compute)

    def eigenvector(self) -> list[float]:
        """Eigenvector centrality within the largest component (0 elsewhere: it is undefined across components)."""

        def compute():
            values = [0.0] * self.graph.vcount()
            if not self.graph.ecount():
                return values
            components = self.components()
            largest = max(range(len(components)), key=lambda c: components.sizes()[c])
            members = components[largest]
            with warnings.catch_warnings():
                # igraph warns when scores are near zero: a localised eigenvector, which the table shows as is.
                warnings.simplefilter("ignore", RuntimeWarning)
                scores = self.graph.subgraph(members).eigenvector_centrality()
            for vertex, score in zip(members, scores, strict=True):
                values[vertex] = score
            return values

        return self._cached("eigenvector", compute)

    def find(self, text: str) -> int | None:
        """The vertex of a city by id, exact name, or name with country; the best-connected on ties."""
        if text.isdigit() and int(text) in self.vertex:
            return self.vertex[int(text)]
        wanted = text.strip().casefold()
        found = [i for i, city in enumerate(self.cities) if wanted in (city.name.casefold(), city.label.casefold())]
        return max(found, key=lambda i: self.degrees[i]) if found else None

    def _cached(self, name: str, compute):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]


def summary(twinning: TwinningGraph) -> Table:
    """Size, density, components, clustering, assortativity and modularity of the twinning graph."""
    graph, degrees = twinning.graph, twinning.degrees
    n, m = graph.vcount(), graph.ecount()
    components = twinning.components()
    largest = max(components.sizes()) if n else 0
    communities = twinning.communities() if m else None
    rows = [
        ("cities", n),
        ("twinning pairs", m),
        ("density", round(graph.density(), 6) if n > 1 else None),
        ("mean degree", round(2 * m / n, 3) if n else None),
        ("highest degree", max(degrees) if n else None),
        ("connected components", len(components)),
        ("cities in the largest component", largest),
        ("share of cities in the largest component", round(largest / n, 4) if n else None),
        ("global clustering (transitivity)", _rounded(graph.transitivity_undirected())),
        ("degree assortativity", _rounded(graph.assortativity_degree(directed=False)) if m else None),
        ("communities (Louvain)", len(communities) if communities else 0),
        ("modularity of the communities", _rounded(communities.modularity) if communities else None),
    ]
    notes = [
        "Cities are vertices and each twinning agreement an undirected edge; a pair listed twice counts once.",
        "Assortativity is Newman's degree correlation across edges: above 0, well-twinned cities twin each other.",
    ]
    return Table.build("Twinning graph", ("metric", "value"), rows, notes)


def degree_distribution(twinning: TwinningGraph) -> Table:
    """How many cities have each number of twins, and the share with at least that many."""
    counts = Counter(twinning.degrees)
    n = len(twinning.cities)
    rows, at_least = [], n
    for degree in sorted(counts):
        rows.append((degree, counts[degree], round(counts[degree] / n, 4), round(at_least / n, 4)))
        at_least -= counts[degree]
    return Table.build(
        "Degree distribution of the twinning graph",
        ("twins", "cities", "share of cities", "share with at least this many"),
        rows,
        ["A city's degree is its number of distinct twinning partners."],
    )


def components_table(twinning: TwinningGraph, top: int = 10) -> Table:
    """The largest connected components: size, pairs and best-connected city."""
    components = twinning.components()
    n = len(twinning.cities)
    sizes = components.sizes()
    ordered = sorted(range(len(sizes)), key=lambda c: -sizes[c])
    rows = []
    for rank, index in enumerate(ordered[:top], start=1):
        members = components[index]
        hub = max(members, key=lambda v: twinning.degrees[v])
        pairs = sum(twinning.degrees[v] for v in members) // 2
        rows.append((rank, len(members), pairs, round(len(members) / n, 4), twinning.cities[hub].label))
    notes = [f"{len(sizes)} components in all; {sum(1 for size in sizes if size == 2)} are single pairs."]
    return Table.build(
        "Connected components", ("rank", "cities", "pairs", "share of cities", "best-connected city"), rows, notes
    )


def centralities(twinning: TwinningGraph, top: int = 20) -> Table:
    """The best-connected cities with degree, betweenness, eigenvector centrality and PageRank."""
    graph, degrees = twinning.graph, twinning.degrees
    betweenness, sampled = twinning.betweenness()
    eigenvector = twinning.eigenvector()
    pagerank = graph.pagerank(directed=False) if graph.vcount() else []
    ordered = sorted(range(len(degrees)), key=lambda v: (-degrees[v], -betweenness[v], twinning.cities[v].name))
    rows = [
        (
            rank,
            twinning.cities[v].name,
            twinning.cities[v].country,
            degrees[v],
            round(betweenness[v], 6),
            round(eigenvector[v], 4),
            round(pagerank[v], 6),
        )
        for rank, v in enumerate(ordered[:top], start=1)
    ]
    how = "exact" if sampled is None else f"estimated from the shortest paths of {sampled} random sources"
    notes = [
        f"Betweenness is normalised by (n-1)(n-2)/2, {how}.",
        "Eigenvector centrality is computed within the largest component and scaled to 1 for its top city.",
        "PageRank uses damping 0.85 on the undirected graph.",
    ]
    columns = ("rank", "city", "country", "twins", "betweenness", "eigenvector", "pagerank")
    return Table.build("Most connected cities", columns, rows, notes)


def communities_table(twinning: TwinningGraph, top: int = 10) -> Table:
    """The largest Louvain communities: size, inner pairs, main countries and hub."""
    communities = twinning.communities()
    graph = twinning.graph
    membership = communities.membership
    inner = Counter(membership[e.source] for e in graph.es if membership[e.source] == membership[e.target])
    sizes = communities.sizes()
    ordered = sorted(range(len(sizes)), key=lambda c: -sizes[c])
    rows = []
    for rank, index in enumerate(ordered[:top], start=1):
        members = communities[index]
        countries = Counter(twinning.cities[v].country for v in members).most_common(3)
        hub = max(members, key=lambda v: twinning.degrees[v])
        main = ", ".join(f"{code} {count}" for code, count in countries)
        rows.append((rank, len(members), inner[index], main, twinning.cities[hub].label))
    notes = [
        f"Louvain (multilevel) modularity optimisation, seed {COMMUNITY_SEED}; modularity "
        f"{communities.modularity:.3f} over {len(communities)} communities."
    ]
    return Table.build(
        "Communities of the twinning graph",
        ("rank", "cities", "pairs inside", "main countries", "hub"),
        rows,
        notes,
    )


def ego_network(twinning: TwinningGraph, vertex: int) -> Table:
    """A city's twins, with each twin's own degree and the partners they share with the city."""
    graph = twinning.graph
    neighbours = set(graph.neighbors(vertex))
    rows = []
    for other in neighbours:
        shared = len(neighbours & set(graph.neighbors(other)))
        city = twinning.cities[other]
        rows.append((city.name, city.country, twinning.degrees[other], shared))
    rows.sort(key=lambda row: (-row[2], row[0]))
    city = twinning.cities[vertex]
    reach = len(set(graph.neighborhood(vertex, order=2))) - 1
    clustering = graph.transitivity_local_undirected([vertex], mode="zero")[0]
    countries = len({row[1] for row in rows})
    notes = [
        f"{city.label}: {len(rows)} twins in {countries} countries; {reach} cities within two steps; "
        f"local clustering {clustering:.3f} (share of pairs of its twins that are twinned with each other)."
    ]
    return Table.build(
        f"Twins of {city.label}", ("twin", "country", "twin's own twins", "twins shared with the city"), rows, notes
    )


def country_pairs(twinning: TwinningGraph, top: int | None = None) -> Table:
    """Country × country counts of twinning pairs (each unordered pair of countries once)."""
    counted: Counter = Counter()
    for edge in twinning.graph.es:
        a, b = twinning.cities[edge.source].country, twinning.cities[edge.target].country
        counted[(min(a, b), max(a, b))] += 1
    total = twinning.graph.ecount()
    rows = [(a, b, count, round(count / total, 4)) for (a, b), count in counted.most_common(top)]
    domestic = sum(count for (a, b), count in counted.items() if a == b)
    notes = [f"{domestic} of {total} pairs join two cities of the same country."]
    return Table.build("Twinning pairs by pair of countries", ("country", "country", "pairs", "share"), rows, notes)


def countries_table(twinning: TwinningGraph, top: int | None = None) -> Table:
    """Per country: cities, pairs they take part in, domestic pairs and partner countries."""
    cities: Counter = Counter(city.country for city in twinning.cities)
    pairs: Counter = Counter()
    domestic: Counter = Counter()
    partners: dict[str, set[str]] = {}
    for edge in twinning.graph.es:
        a, b = twinning.cities[edge.source].country, twinning.cities[edge.target].country
        pairs[a] += 1
        if a == b:
            domestic[a] += 1
        else:
            pairs[b] += 1
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    ordered = sorted(pairs, key=lambda code: (-pairs[code], code))[:top]
    rows = [(code, cities[code], pairs[code], domestic[code], len(partners.get(code, ()))) for code in ordered]
    return Table.build(
        "Twinning by country",
        ("country", "cities", "pairs", "domestic pairs", "partner countries"),
        rows,
        ["A pair between two countries counts once for each; a domestic pair once."],
    )


def all_metrics(twinning: TwinningGraph, top: int = 20) -> list[Table]:
    """Every table of the twinning analysis (what `metrodip twinning stats` prints)."""
    return [
        summary(twinning),
        degree_distribution(twinning),
        components_table(twinning, min(top, 10)),
        centralities(twinning, top),
        communities_table(twinning, min(top, 10)),
    ]


def _rounded(value: float) -> float | None:
    return None if value != value else round(value, 4)  # NaN (no variation) reads as unknown
