"""SVG drawings of the twinning graph: a world map with arcs, and a city's ego network.

Plain SVG strings (no browser, no JavaScript), readable with thousands of pairs: arcs are thin and
translucent, past `max_pairs` only the pairs between the best-connected cities are drawn (the caption says
how many), and only the top cities are labelled. The land outline is Natural Earth's 1:110m land
(public domain), shipped in `data/`.
"""

from __future__ import annotations

import math
import re
from html import escape

from metrodiplomacy.analysis.land import land_polygons
from metrodiplomacy.analysis.twinning import TwinningGraph

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22")
OTHER = "#7f7f7f"
FONT = "font-family='Helvetica, Arial, sans-serif'"


def _project(lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
    # Equirectangular: longitude and latitude map linearly to x and y.
    return (lon + 180) / 360 * width, (90 - lat) / 180 * height


def _opacity(count: int) -> float:
    return round(max(0.05, min(0.7, 8 / math.sqrt(max(count, 1)))), 3)


def _country_colours(countries: list[str]) -> dict[str, str]:
    return {code: PALETTE[index] for index, code in enumerate(countries[: len(PALETTE)])}


def _svg(width: float, height: float, title: str, description: str, body: list[str]) -> str:
    return "\n".join(
        [
            f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' "
            f"width='{width:.0f}' height='{height:.0f}' role='img' aria-labelledby='t d'>",
            f"<title id='t'>{escape(title)}</title>",
            f"<desc id='d'>{escape(description)}</desc>",
            f"<rect width='{width:.0f}' height='{height:.0f}' fill='#ffffff'/>",
            *body,
            "</svg>",
        ]
    )


def _label(x: float, y: float, text: str, size: int = 10, anchor: str = "start") -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' {FONT} fill='#222' "
        f"stroke='#fff' stroke-width='3' paint-order='stroke'>{escape(text)}</text>"
    )


Box = tuple[float, float, float, float]


def _overlaps(box: Box, others: list[Box]) -> bool:
    left, top, right, bottom = box
    return any(left < o[2] and o[0] < right and top < o[3] and o[1] < bottom for o in others)


def place_labels(
    points: list[tuple[tuple[float, float], str]], wanted: int, width: float, height: float, size: int = 10
) -> list[tuple[float, float, str, str]]:
    """Labels for the first points in order, each put beside its point where it covers no label placed before.

    A label is tried right-above, right-below, left-above and left-below its point; when none fits, the point
    goes unlabelled and the next one is tried, until `wanted` labels are placed. Widths are estimated from the
    text (0.6 em a character), which is close enough for the sans-serif the maps use.
    """
    boxes: list[Box] = []
    placed: list[tuple[float, float, str, str]] = []
    for (x, y), text in points:
        if len(placed) >= wanted:
            break
        text_width, text_height = 0.6 * size * len(text), size * 1.1
        for dx, dy, anchor in ((4, -3, "start"), (4, size + 2, "start"), (-4, -3, "end"), (-4, size + 2, "end")):
            left = x + dx if anchor == "start" else x + dx - text_width
            box = (left, y + dy - text_height * 0.85, left + text_width, y + dy + text_height * 0.15)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and not _overlaps(box, boxes):
                boxes.append(box)
                placed.append((x + dx, y + dy, text, anchor))
                break
    return placed


def world_map_svg(twinning: TwinningGraph, width: int = 1200, max_pairs: int = 4000, labels: int = 15) -> str:
    """The twinning graph on an equirectangular world map: cities sized by degree, pairs as arcs."""
    height = width / 2
    degrees = twinning.degrees
    # Only located cities are drawn; their map positions, by vertex.
    spot = {
        v: _project(city.longitude, city.latitude, width, height)
        for v, city in enumerate(twinning.cities)
        if city.latitude is not None and city.longitude is not None
    }
    edges = [(e.source, e.target) for e in twinning.graph.es if e.source in spot and e.target in spot]
    drawn = sorted(edges, key=lambda e: -(degrees[e[0]] + degrees[e[1]]))[:max_pairs]
    body = ["<g fill='none' stroke='#e4e4e4' stroke-width='0.5'>"]
    for lon in range(-180, 181, 30):
        x, _ = _project(lon, 0, width, height)
        body.append(f"<line x1='{x:.1f}' y1='0' x2='{x:.1f}' y2='{height:.0f}'/>")
    for lat in range(-60, 61, 30):
        _, y = _project(0, lat, width, height)
        body.append(f"<line x1='0' y1='{y:.1f}' x2='{width}' y2='{y:.1f}'/>")
    body.append("</g><g fill='#eceae4' stroke='#cfccc4' stroke-width='0.5'>")
    body.extend(land_polygons(lambda lon, lat: _project(lon, lat, width, height)))
    body.append(f"</g><g fill='none' stroke='#b03a2e' stroke-width='0.6' stroke-opacity='{_opacity(len(drawn))}'>")
    for a, b in drawn:
        body.append(_arc(spot[a], spot[b]))
    body.append("</g><g fill='#1f4e79' fill-opacity='0.75'>")
    ranked = sorted(spot, key=lambda v: -degrees[v])
    for v in ranked[:2000]:
        x, y = spot[v]
        body.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{0.8 + math.sqrt(degrees[v]) * 0.5:.2f}'/>")
    body.append("</g>")
    placed = place_labels(
        [(spot[v], f"{twinning.cities[v].name} ({degrees[v]})") for v in ranked], labels, width, height
    )
    body.extend(_label(x, y, text, anchor=anchor) for x, y, text, anchor in placed)
    lines = [
        f"{len(drawn)} of {twinning.graph.ecount()} twinning pairs drawn"
        + (" (those between the best-connected cities)" if len(drawn) < len(edges) else "")
        + f"; {len(ranked)} located cities.",
        f"The {len(placed)} most twinned that have room are labelled with their number of twins (dense regions "
        "keep fewer labels). Land: Natural Earth (public domain).",
    ]
    caption = " ".join(lines)
    body.append(_label(8, height - 24, lines[0], size=11))
    body.append(_label(8, height - 8, lines[1], size=11))
    return _svg(width, height, "Twinning pairs on the world map", caption, body)


def _arc(start: tuple[float, float], end: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = start, end
    # The control point sits off the chord's midpoint, so arcs bow and do not hide each other.
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    cx, cy = mx - dy * 0.2, my + dx * 0.2
    if cy > my:
        cx, cy = mx + dy * 0.2, my - dx * 0.2
    return f"<path d='M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}'/>"


def ego_svg(twinning: TwinningGraph, vertex: int, size: int = 800, labels: int = 40) -> str:
    """A city's twins on a circle grouped by country, with the pairs among the twins drawn as chords."""
    graph, degrees = twinning.graph, twinning.degrees
    centre = twinning.cities[vertex]
    twins = sorted(graph.neighbors(vertex), key=lambda v: (twinning.cities[v].country, twinning.cities[v].name))
    countries = [code for code, _n in _most_common(twinning.cities[v].country for v in twins)]
    colours = _country_colours(countries)
    mid, radius = size / 2, size / 2 - 140
    position = {}
    for index, v in enumerate(twins):
        angle = 2 * math.pi * index / max(len(twins), 1) - math.pi / 2
        position[v] = (mid + radius * math.cos(angle), mid + radius * math.sin(angle), angle)
    members = set(twins)
    chords = [(a, b) for a in twins for b in graph.neighbors(a) if b in members and a < b]
    body = [f"<g stroke='#9a9a9a' stroke-width='0.8' stroke-opacity='{_opacity(len(twins))}'>"]
    body += [f"<line x1='{mid}' y1='{mid}' x2='{x:.1f}' y2='{y:.1f}'/>" for x, y, _a in position.values()]
    body.append(f"</g><g fill='none' stroke='#b03a2e' stroke-width='1' stroke-opacity='{_opacity(len(chords))}'>")
    for a, b in chords:
        (x1, y1, _), (x2, y2, _) = position[a], position[b]
        body.append(f"<path d='M{x1:.1f},{y1:.1f} Q{mid},{mid} {x2:.1f},{y2:.1f}'/>")
    body.append("</g>")
    labelled = set(sorted(twins, key=lambda v: -degrees[v])[:labels])
    for v in twins:
        x, y, angle = position[v]
        colour = colours.get(twinning.cities[v].country, OTHER)
        body.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{2 + math.sqrt(degrees[v]):.2f}' fill='{colour}'/>")
        if v in labelled:
            right = math.cos(angle) >= 0
            lx, ly = x + (8 if right else -8), y + 3
            text = _fit(twinning.cities[v].label, int((mid - radius - 16) / LABEL_CHAR_PX))
            body.append(_label(lx, ly, text, size=10, anchor="start" if right else "end"))
    body.append(f"<circle cx='{mid}' cy='{mid}' r='{4 + math.sqrt(degrees[vertex]):.2f}' fill='#111'/>")
    body.append(_label(mid, mid - 12, centre.label, size=14, anchor="middle"))
    for index, code in enumerate(countries[: len(PALETTE)]):
        body.append(f"<circle cx='16' cy='{20 + index * 16}' r='5' fill='{colours[code]}'/>")
        body.append(_label(26, 24 + index * 16, code or "?", size=11))
    caption = (
        f"{centre.label}: {len(twins)} twins in {len(countries)} countries, {len(chords)} pairs among them; "
        f"the {min(labels, len(twins))} best-connected twins are labelled."
    )
    body.append(_label(8, size - 8, caption, size=11))
    return _svg(size, size, f"Ego network of {centre.label}", caption, body)


# The width of a character at font size 10, generously: what decides how much of a label fits the margin.
LABEL_CHAR_PX = 5.8
# A bracketed group other than the closing country code: the kind a place's name carries, or a qualifier.
_KIND = re.compile(r"\s*\((?![A-Z]{2}\)$)[^()]*\)")


def _fit(text: str, limit: int) -> str:
    """A label that fits `limit` characters: the kind in brackets dropped first ("Kalonda (settlement of the
    postal-code list) (SK)" becomes "Kalonda (SK)"), then the name cut with an ellipsis. The table below the
    drawing keeps every name whole."""
    if len(text) <= limit:
        return text
    text = _KIND.sub("", text)
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


def _most_common(values) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
