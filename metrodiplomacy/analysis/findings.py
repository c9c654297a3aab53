"""Findings read off a reliance matrix: each a sentence built from the cells, with the numbers behind it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from metrodiplomacy.analysis.reliance import (
    NEUTRAL,
    NO_RELIANCE,
    NOT_CLEAR,
    NOT_CODED,
    RELIES,
    Matrix,
    area_score,
    join_names,
)
from metrodiplomacy.analysis.tables import Cell, Table

DEFAULT_MORE_THAN = 3


@dataclass(frozen=True)
class Finding:
    """One computed statement: a stable code, the sentence, and the values it was built from."""

    code: str
    sentence: str
    values: dict[str, Any] = field(default_factory=dict)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural_form or singular + 's'}"


def percent(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return f"{(Decimal(part) * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)} %"


def relies_per_place(matrix: Matrix) -> dict[str, int]:
    return {place: matrix.column(place).count(RELIES) for place in matrix.places}


def relies_per_area(matrix: Matrix) -> dict[str, int]:
    return {area.code: matrix.row(area.code).count(RELIES) for area in matrix.areas}


def compute_findings(
    matrix: Matrix, groups: Mapping[str, str] | None = None, more_than: int = DEFAULT_MORE_THAN
) -> list[Finding]:
    """The thesis' kinds of finding, computed for whatever places and areas the matrix holds.

    `groups` maps a place to a group label (Global North / Global South, or any grouping the user names);
    places without a group are left out of the comparison.
    """
    if not matrix.places or not matrix.areas:
        return [Finding("empty", "There are no places or no policy areas to compare.")]
    findings = [_relied_on_by_all(matrix), *_relied_on_by_all_but_one(matrix), _least_relied(matrix)]
    findings += [_relies_per_place(matrix), _relies_per_area(matrix), _active_in_more_than(matrix, more_than)]
    if groups:
        findings.append(_group_comparison(matrix, groups))
    return findings


def _relied_on_by_all(matrix: Matrix) -> Finding:
    areas = [area for area in matrix.areas if all(level == RELIES for level in matrix.row(area.code))]
    names = [area.name for area in areas]
    cities = plural(len(matrix.places), "selected city", "selected cities")
    if names:
        sentence = (
            f"All {cities} rely on international action in {join_names(names)} "
            f"({len(names)} of {len(matrix.areas)} policy areas)."
        )
    else:
        sentence = f"No policy area is relied on by all {cities}."
    return Finding("relied_on_by_all", sentence, {"areas": [area.code for area in areas]})


def _relied_on_by_all_but_one(matrix: Matrix) -> list[Finding]:
    if len(matrix.places) < 3:
        return []
    findings = []
    for area in matrix.areas:
        row = matrix.row(area.code)
        if row.count(RELIES) == len(row) - 1:
            (outlier,) = [place for place, level in zip(matrix.places, row, strict=True) if level != RELIES]
            level = matrix.level(outlier, area.code) or "not coded"
            findings.append(
                Finding(
                    "relied_on_by_all_but_one",
                    f"All cities but one rely on international action in {area.name}; {outlier} is coded {level}.",
                    {"area": area.code, "outlier": outlier, "level": level},
                )
            )
    return findings


def _least_relied(matrix: Matrix) -> Finding:
    scores = {area.code: area_score(matrix, area.code) for area in matrix.areas}
    lowest = min(scores.values())
    least = [area for area in matrix.areas if scores[area.code] == lowest]
    parts = []
    for area in least:
        row = matrix.row(area.code)
        relying = [place for place, level in zip(matrix.places, row, strict=True) if level == RELIES]
        who = f" ({join_names(relying)})" if relying else ""
        parts.append(
            f"{area.name}, with a score of {lowest}: {plural(len(relying), 'city relies', 'cities rely')} on it{who}, "
            f"{row.count(NO_RELIANCE)} do not, {row.count(NEUTRAL)} neutral, {row.count(NOT_CLEAR)} not clear"
        )
    label = "area is" if len(least) == 1 else "areas are"
    sentence = (
        f"The least-relied {label} {'; '.join(parts)} "
        "(score: + counts 1, - counts -1, 0 counts 0, ? and uncoded cells are left out)."
    )
    return Finding("least_relied", sentence, {"areas": [area.code for area in least], "score": lowest})


def _relies_per_place(matrix: Matrix) -> Finding:
    counts = relies_per_place(matrix)
    ranked = sorted(matrix.places, key=lambda place: -counts[place])
    listing = ", ".join(f"{place} {counts[place]}" for place in ranked)
    return Finding(
        "relies_per_place",
        f"Areas of reliance (+) per city, out of {len(matrix.areas)}: {listing}.",
        {"counts": counts},
    )


def _relies_per_area(matrix: Matrix) -> Finding:
    counts = relies_per_area(matrix)
    names = {area.code: area.name for area in matrix.areas}
    ranked = sorted(names, key=lambda code: -counts[code])
    listing = ", ".join(f"{names[code]} {counts[code]}" for code in ranked)
    return Finding(
        "relies_per_area",
        f"Cities relying (+) per policy area, out of {len(matrix.places)}: {listing}.",
        {"counts": counts},
    )


def _active_in_more_than(matrix: Matrix, more_than: int) -> Finding:
    counts = relies_per_place(matrix)
    active = [place for place in matrix.places if counts[place] > more_than]
    listing = ", ".join(f"{place} ({counts[place]})" for place in active)
    sentence = (
        f"{len(active)} of {plural(len(matrix.places), 'city', 'cities')} rely on international action in more "
        f"than {plural(more_than, 'policy area')}" + (f": {listing}." if active else ".")
    )
    return Finding("active_in_more_than", sentence, {"more_than": more_than, "places": active})


@dataclass(frozen=True)
class GroupFigures:
    label: str
    places: tuple[str, ...]
    coded: int
    relies: int

    @property
    def per_place(self) -> Decimal:
        return (Decimal(self.relies) / len(self.places)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def group_figures(matrix: Matrix, groups: Mapping[str, str]) -> list[GroupFigures]:
    """Per group: its places, its coded cells and how many of them are `+` (groups in order of first place)."""
    figures: dict[str, list[str]] = {}
    for place in matrix.places:
        if groups.get(place):
            figures.setdefault(groups[place], []).append(place)
    result = []
    for label, places in figures.items():
        levels = [level for place in places for level in matrix.column(place)]
        coded = sum(1 for level in levels if level != NOT_CODED)
        result.append(GroupFigures(label, tuple(places), coded, levels.count(RELIES)))
    return result


def _group_comparison(matrix: Matrix, groups: Mapping[str, str]) -> Finding:
    figures = group_figures(matrix, groups)
    if len(figures) < 2:
        return Finding("groups", "The selected cities fall into fewer than two groups: nothing to compare.", {})
    parts = [
        f"the {g.label} cities ({join_names(g.places)}) rely on international action in {g.relies} of "
        f"{g.coded} coded cells ({percent(g.relies, g.coded)}), {g.per_place} areas per city"
        for g in figures
    ]
    ranked = sorted(figures, key=lambda g: g.per_place, reverse=True)
    if ranked[0].per_place == ranked[1].per_place:
        verdict = "no group relies more than the others per city"
    else:
        verdict = f"the {ranked[0].label} cities are the more engaged, per city"
    sentence = "; ".join(parts) + f": {verdict}."
    sentence = sentence[0].upper() + sentence[1:]
    values = {g.label: {"places": list(g.places), "coded": g.coded, "relies": g.relies} for g in figures}
    return Finding("groups", sentence, values)


def findings_table(findings: list[Finding], title: str = "Findings computed from the reliance matrix") -> Table:
    return Table.build(title, ("finding", "statement"), [(f.code, f.sentence) for f in findings])


def counts_table(matrix: Matrix) -> Table:
    """Levels per place: how many `+`, `0`, `-`, `?` and uncoded cells each place has."""
    rows: list[tuple[Cell, ...]] = []
    for place in matrix.places:
        column = matrix.column(place)
        rows.append((place, *(column.count(level) for level in (RELIES, "0", NO_RELIANCE, NOT_CLEAR, NOT_CODED))))
    return Table.build(
        "Reliance levels per city", ("place", "+", "0", "-", "?", "not coded"), rows, ["Counts of matrix cells."]
    )


def group_table(matrix: Matrix, groups: Mapping[str, str]) -> Table:
    rows = [
        (g.label, ", ".join(g.places), len(g.places), g.coded, g.relies, percent(g.relies, g.coded), g.per_place)
        for g in group_figures(matrix, groups)
    ]
    return Table.build(
        "Reliance by group of cities",
        ("group", "places", "cities", "coded cells", "cells +", "share +", "+ per city"),
        rows,
    )
