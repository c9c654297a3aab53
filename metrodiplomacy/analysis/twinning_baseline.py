"""Pure-Python twinning metrics: the baseline igraph is measured against in `bench/bench_twinning.py`.

Same definitions as `twinning.py` (degree, connected components, PageRank with damping 0.85, Brandes'
betweenness over all or sampled sources), written with dictionaries and lists only.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence


def adjacency(n: int, pairs: Iterable[tuple[int, int]]) -> list[set[int]]:
    """Neighbour sets of vertices 0..n-1; repeated pairs and self-pairs are dropped."""
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in pairs:
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    return neighbours


def degrees(neighbours: list[set[int]]) -> list[int]:
    """Number of distinct partners of each vertex."""
    return [len(adjacent) for adjacent in neighbours]


def components(neighbours: list[set[int]]) -> list[list[int]]:
    """Connected components by breadth-first search, each as a sorted list of vertices."""
    seen = [False] * len(neighbours)
    found = []
    for start in range(len(neighbours)):
        if seen[start]:
            continue
        seen[start] = True
        queue, members = deque([start]), [start]
        while queue:
            for other in neighbours[queue.popleft()]:
                if not seen[other]:
                    seen[other] = True
                    queue.append(other)
                    members.append(other)
        found.append(sorted(members))
    return found


def pagerank(neighbours: list[set[int]], damping: float = 0.85, tolerance: float = 1e-10) -> list[float]:
    """PageRank by power iteration; an isolated vertex spreads its rank over every vertex."""
    n = len(neighbours)
    if n == 0:
        return []
    rank = [1 / n] * n
    for _ in range(1000):
        dangling = sum(rank[v] for v in range(n) if not neighbours[v])
        new = [(1 - damping) / n + damping * dangling / n] * n
        for v, adjacent in enumerate(neighbours):
            if adjacent:
                share = damping * rank[v] / len(adjacent)
                for other in adjacent:
                    new[other] += share
        if sum(abs(a - b) for a, b in zip(new, rank, strict=True)) < tolerance:
            return new
        rank = new
    return rank


def betweenness(neighbours: list[set[int]], sources: Sequence[int] | None = None) -> list[float]:
    """Brandes' betweenness (unnormalised, each unordered pair once); from `sources` only, scaled by n/k."""
    n = len(neighbours)
    chosen = range(n) if sources is None else sources
    centrality = [0.0] * n
    for source in chosen:
        order: list[int] = []
        predecessors: list[list[int]] = [[] for _ in range(n)]
        paths, distance = [0] * n, [-1] * n
        paths[source], distance[source] = 1, 0
        queue = deque([source])
        while queue:
            v = queue.popleft()
            order.append(v)
            for w in neighbours[v]:
                if distance[w] < 0:
                    distance[w] = distance[v] + 1
                    queue.append(w)
                if distance[w] == distance[v] + 1:
                    paths[w] += paths[v]
                    predecessors[w].append(v)
        dependency = [0.0] * n
        for w in reversed(order):
            for v in predecessors[w]:
                dependency[v] += paths[v] / paths[w] * (1 + dependency[w])
            if w != source:
                centrality[w] += dependency[w]
    scale = 0.5 * (n / len(chosen) if sources is not None and len(chosen) else 1)
    return [value * scale for value in centrality]
