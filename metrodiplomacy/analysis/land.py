"""The world's land outline (Natural Earth 1:110m, public domain, shipped in `data/`) for the SVG maps.

Rings that cross the antimeridian are continued past ±180° and drawn once more a full turn away, so a map
clipped to the world shows the land on both sides instead of a band drawn along a parallel.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

WORLD_LAND = Path(__file__).resolve().parent / "data" / "world_land_110m.json"
Ring = tuple[tuple[float, float], ...]


@functools.cache
def land_rings() -> tuple[Ring, ...]:
    data = json.loads(WORLD_LAND.read_text())
    return tuple(tuple((lon, lat) for lon, lat in ring) for ring in data["rings"])


def unwrapped(ring: Ring) -> list[tuple[float, float]]:
    """The ring with longitudes continued past ±180° where it crosses the antimeridian."""
    points: list[tuple[float, float]] = []
    shift, previous = 0.0, None
    for lon, lat in ring:
        if previous is not None and abs(lon - previous) > 180:
            shift += 360 if previous > lon else -360
        previous = lon
        points.append((lon + shift, lat))
    return points


def copies(ring: Ring) -> list[list[tuple[float, float]]]:
    """The unwrapped ring, plus a copy a full turn away where it runs past ±180° (the view clips both)."""
    ring_points = unwrapped(ring)
    lons = [lon for lon, _lat in ring_points]
    found = [ring_points]
    if min(lons) < -180:
        found.append([(lon + 360, lat) for lon, lat in ring_points])
    if max(lons) > 180:
        found.append([(lon - 360, lat) for lon, lat in ring_points])
    return found


def land_polygons(project: Callable[[float, float], tuple[float, float]], south: float = -90.0) -> Iterator[str]:
    """SVG `<polygon>` elements of the land, projected; rings wholly south of `south` are left out."""
    for ring in land_rings():
        if max(lat for _lon, lat in ring) <= south:
            continue
        for copy in copies(ring):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (project(lon, lat) for lon, lat in copy))
            yield f"<polygon points='{points}'/>"
