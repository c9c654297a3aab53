"""A generic world map as plain SVG: places as circles sized by a count, links between places as arcs.

Drawn on an equirectangular projection with the Natural Earth land outline of `land.py`. With
`fit=True` the view is cropped to the points and arcs (plus a margin), so a map of European partners
does not shrink to a corner of the world. Every point may carry a link, which makes the map keyboard
navigable in a browser (an SVG `<a>` is focusable). No script, no style attribute: presentation
attributes only, so a strict Content Security Policy accepts it inline.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from metrodiplomacy.analysis.land import land_polygons
from metrodiplomacy.analysis.tables import Table

WIDTH = 1000
HEIGHT = WIDTH / 2
# The inhabited band: Antarctica and the high Arctic would take a third of the map and hold no city.
NORTH, SOUTH = 84.0, -58.0
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
POINT = "#0b5cad"
HIGHLIGHT = "#b03a2e"
ARC = "#b03a2e"


@dataclass(frozen=True)
class MapPoint:
    """A place on the map: its label, coordinates, a count that sizes the circle, and an optional link."""

    label: str
    longitude: float
    latitude: float
    count: int = 0
    href: str = ""
    highlight: bool = False


@dataclass(frozen=True)
class MapArc:
    """A link between two places (an agreement, a twinning), labelled for screen readers."""

    label: str
    start: tuple[float, float]
    end: tuple[float, float]


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equirectangular: longitude and latitude map linearly to x and y on a WIDTH × HEIGHT canvas."""
    return (longitude + 180) / 360 * WIDTH, (90 - latitude) / 180 * HEIGHT


def _radius(count: int, largest: int) -> float:
    # Area, not radius, grows with the count, so a place with four times the records looks four times as big.
    return 4 + 14 * math.sqrt(max(count, 0) / largest) if largest else 5


def _view_box(points: Sequence[MapPoint], arcs: Sequence[MapArc], fit: bool) -> tuple[float, float, float, float]:
    coordinates = [(p.longitude, p.latitude) for p in points]
    coordinates += [end for arc in arcs for end in (arc.start, arc.end)]
    if not fit or not coordinates:
        top, bottom = project(0, NORTH)[1], project(0, SOUTH)[1]
        return 0, top, WIDTH, bottom - top
    xs, ys = zip(*(project(lon, lat) for lon, lat in coordinates), strict=True)
    # At least a 60° × 30° window, so a single city shows its surroundings; keep the map's 2:1 shape.
    width = max(max(xs) - min(xs) + 80, WIDTH / 6)
    height = max(max(ys) - min(ys) + 60, HEIGHT / 6, width / 2)
    width = max(width, height * 2)
    x = min(max((min(xs) + max(xs)) / 2 - width / 2, 0), WIDTH - width) if width < WIDTH else 0
    y = min(max((min(ys) + max(ys)) / 2 - height / 2, 0), HEIGHT - height) if height < HEIGHT else 0
    return x, y, min(width, WIDTH), min(height, HEIGHT)


@functools.cache
def _land() -> str:
    # The same outline on every map: projected once per process.
    return "\n".join(land_polygons(project, south=SOUTH))


def _arc_path(start: tuple[float, float], end: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = project(*start), project(*end)
    mx, my, dx, dy = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
    # Bow every arc upwards (north), so arcs from one city fan out instead of lying on each other.
    cx, cy = (mx - dy * 0.25, my + dx * 0.25) if dx < 0 else (mx + dy * 0.25, my - dx * 0.25)
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"


LABEL_SIZE = 14
GLYPH = 0.58  # average glyph width of a sans-serif face, as a share of the font size


def _place_labels(points: Sequence[MapPoint], largest: int, scale: float) -> dict[str, tuple[float, float, str]]:
    """Where each label goes: right of its circle, else left, above or below, whichever overlaps no
    label placed before it (bigger places first) and no other circle; right when nothing fits."""
    size = LABEL_SIZE * scale
    boxes: list[tuple[float, float, float, float]] = []
    circles = [(*project(p.longitude, p.latitude), _radius(p.count, largest) * scale) for p in points]
    placed = {}
    for point in sorted(points, key=lambda p: (-p.highlight, -p.count, p.label)):
        x, y = project(point.longitude, point.latitude)
        radius, width = _radius(point.count, largest) * scale, len(point.label) * size * GLYPH
        gap = radius + 3 * scale
        options = [
            (x + gap, y + size * 0.35, "start", (x + gap, y - size * 0.6, x + gap + width, y + size * 0.4)),
            (x - gap, y + size * 0.35, "end", (x - gap - width, y - size * 0.6, x - gap, y + size * 0.4)),
            (x, y - gap - 2 * scale, "middle", (x - width / 2, y - gap - size, x + width / 2, y - gap)),
            (x, y + gap + size, "middle", (x - width / 2, y + gap, x + width / 2, y + gap + size)),
        ]

        def free(box, x: float = x, y: float = y) -> bool:
            left, top, right, bottom = box
            if any(left < b[2] and b[0] < right and top < b[3] and b[1] < bottom for b in boxes):
                return False
            return not any(
                (cx, cy) != (x, y) and left - r < cx < right + r and top - r < cy < bottom + r for cx, cy, r in circles
            )

        lx, ly, anchor, box = next((option for option in options if free(option[3])), options[0])
        boxes.append(box)
        placed[point.label] = (lx, ly, anchor)
    return placed


def world_map_svg(
    points: Sequence[MapPoint],
    arcs: Sequence[MapArc] = (),
    title: str = "Places on the world map",
    description: str = "",
    fit: bool = False,
    labels: int = 20,
    ident: str = "map",
) -> str:
    """The points and arcs on the world map, as an SVG string that scales to its container.

    The `labels` largest points are labelled with their name; every point has a `<title>` (a tooltip and
    an accessible name). `ident` keeps the ids of two maps on one page apart.
    """
    x0, y0, width, height = _view_box(points, arcs, fit)
    scale = width / WIDTH  # strokes and text keep their on-screen size when the view is cropped
    largest = max((p.count for p in points), default=0)
    body = [f"<g fill='#e9edf2' stroke='#c5ccd6' stroke-width='{0.6 * scale:.2f}'>", _land(), "</g>"]
    if arcs:
        body.append(
            f"<g fill='none' stroke='{ARC}' stroke-width='{1.6 * scale:.2f}' stroke-opacity='0.7' "
            "stroke-linecap='round'>"
        )
        for arc in arcs:
            body.append(f"<path d='{_arc_path(arc.start, arc.end)}'><title>{escape(arc.label)}</title></path>")
        body.append("</g>")
    labelled = {p.label for p in sorted(points, key=lambda p: (-p.highlight, -p.count, p.label))[:labels]}
    placed = _place_labels([p for p in points if p.label in labelled], largest, scale)
    for point in sorted(points, key=lambda p: -p.count):
        x, y = project(point.longitude, point.latitude)
        radius = _radius(point.count, largest) * scale
        colour = HIGHLIGHT if point.highlight else POINT
        name = f"{point.label}: {point.count}" if point.count else point.label
        circle = (
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{radius:.2f}' fill='{colour}' fill-opacity='0.8' "
            f"stroke='#ffffff' stroke-width='{1.2 * scale:.2f}'><title>{escape(name)}</title></circle>"
        )
        text = ""
        if point.label in placed:
            lx, ly, anchor = placed[point.label]
            text = (
                f"<text x='{lx:.1f}' y='{ly:.1f}' text-anchor='{anchor}' font-size='{LABEL_SIZE * scale:.1f}' "
                f"font-family=\"{FONT}\" fill='#1d2433' stroke='#ffffff' stroke-width='{3 * scale:.2f}' "
                f"paint-order='stroke'>{escape(point.label)}</text>"
            )
        if point.href:
            body.append(f"<a href='{escape(point.href)}' aria-label='{escape(name)}'>{circle}{text}</a>")
        else:
            body.append(circle + text)
    summary = description or f"{len(points)} places and {len(arcs)} links on a world map."
    return "\n".join(
        [
            f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='{x0:.1f} {y0:.1f} {width:.1f} {height:.1f}' "
            f"class='map' role='img' aria-labelledby='{ident}-title {ident}-desc'>",
            f"<title id='{ident}-title'>{escape(title)}</title>",
            f"<desc id='{ident}-desc'>{escape(summary)}</desc>",
            f"<rect x='{x0:.1f}' y='{y0:.1f}' width='{width:.1f}' height='{height:.1f}' fill='#f7fafd'/>",
            *body,
            "</svg>",
        ]
    )


def points_table(points: Sequence[MapPoint], title: str, count_label: str = "records") -> Table:
    """The text alternative of a map's points: one row per place with its coordinates and count."""
    rows = [(p.label, round(p.latitude, 4), round(p.longitude, 4), p.count) for p in points]
    return Table.build(title, ("place", "latitude", "longitude", count_label), rows)


def arcs_table(arcs: Sequence[MapArc], title: str) -> Table:
    """The text alternative of a map's arcs: one row per link."""
    return Table.build(title, ("link",), [(arc.label,) for arc in arcs])
