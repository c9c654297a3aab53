"""The reliance matrix of the thesis: how far each city relies on international action in each policy area.

Cells hold `+` (relies), `0` (neutral), `-` (no reliance) or `?` (not clear); an empty string means nobody
coded the cell. Several coders may code a cell; `consensus` turns their levels into one, and every cell where
coders differ is listed as a disagreement. Findings are computed from the cells, never typed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from metrodiplomacy.analysis.tables import Table

RELIES, NEUTRAL, NO_RELIANCE, NOT_CLEAR, NOT_CODED = "+", "0", "-", "?", ""
LEVELS: tuple[str, ...] = (RELIES, NEUTRAL, NO_RELIANCE, NOT_CLEAR)
LEVEL_NAMES: dict[str, str] = {
    RELIES: "relies",
    NEUTRAL: "neutral",
    NO_RELIANCE: "no reliance",
    NOT_CLEAR: "not clear",
    NOT_CODED: "not coded",
}
# The reliance score used to rank areas: + counts for, - against, 0 neither; ? and uncoded cells are not
# evidence either way, so they are left out rather than read as 0.
SCORE: dict[str, int] = {RELIES: 1, NEUTRAL: 0, NO_RELIANCE: -1}


@dataclass(frozen=True)
class Coding:
    """One coder's level for one cell, as recorded (with the record's key for traceability)."""

    place: str
    area: str
    level: str
    coder: str
    key: str = ""


@dataclass(frozen=True)
class Cell:
    place: str
    area: str
    level: str
    codings: tuple[Coding, ...] = ()

    @property
    def is_disputed(self) -> bool:
        return len({coding.level for coding in self.codings}) > 1


@dataclass(frozen=True)
class Area:
    code: str
    name: str


@dataclass
class Matrix:
    """Places (columns, in the order given) × policy areas (rows, in the framework's order)."""

    places: list[str]
    areas: list[Area]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def level(self, place: str, area: str) -> str:
        cell = self.cells.get((place, area))
        return cell.level if cell else NOT_CODED

    def row(self, area: str) -> list[str]:
        return [self.level(place, area) for place in self.places]

    def column(self, place: str) -> list[str]:
        return [self.level(place, area.code) for area in self.areas]

    def levels(self) -> dict[tuple[str, str], str]:
        """Every cell's level, including the uncoded ones."""
        return {(place, area.code): self.level(place, area.code) for place in self.places for area in self.areas}


def consensus(levels: Iterable[str]) -> str:
    """One level from several coders' levels.

    The rule: no codings gives "" (not coded); `?` is set aside when any coder gave a definite level; the
    remaining definite levels decide by strict majority (more than half); a tie or split without a majority
    gives `?` — the coders do not make the cell clear.
    """
    levels = [level for level in levels if level in LEVELS]
    if not levels:
        return NOT_CODED
    definite = [level for level in levels if level != NOT_CLEAR]
    if not definite:
        return NOT_CLEAR
    level, count = Counter(definite).most_common(1)[0]
    return level if count * 2 > len(definite) else NOT_CLEAR


def build_matrix(codings: Iterable[Coding], places: Sequence[str], areas: Sequence[Area]) -> Matrix:
    """Group codings by cell and apply the consensus rule; codings outside the places or areas are ignored."""
    wanted_places, wanted_areas = set(places), {area.code for area in areas}
    grouped: dict[tuple[str, str], list[Coding]] = {}
    for coding in codings:
        if coding.place in wanted_places and coding.area in wanted_areas:
            grouped.setdefault((coding.place, coding.area), []).append(coding)
    cells = {
        cell: Cell(cell[0], cell[1], consensus(c.level for c in found), tuple(sorted(found, key=lambda c: c.coder)))
        for cell, found in grouped.items()
    }
    return Matrix(list(places), list(areas), cells)


LEGEND = "+ relies on international action; 0 neutral; - no reliance; ? not clear; empty: not coded."


def matrix_table(matrix: Matrix, title: str = "Policy areas and international action by city") -> Table:
    """The combined matrix (the thesis' Figure 11): one row per policy area, one column per place."""
    rows = [(area.name, *matrix.row(area.code)) for area in matrix.areas]
    notes = [LEGEND, CONSENSUS_NOTE] if any(cell.is_disputed for cell in matrix.cells.values()) else [LEGEND]
    return Table.build(title, ("Policy area", *matrix.places), rows, notes)


def place_tables(matrix: Matrix) -> list[Table]:
    """One table per place (the thesis' Figures 3, 6, 8 and 10)."""
    return [
        Table.build(
            f"Policy areas in which {place} relies on international action",
            ("Policy area", place),
            [(area.name, matrix.level(place, area.code)) for area in matrix.areas],
            [LEGEND],
        )
        for place in matrix.places
    ]


def long_table(matrix: Matrix, title: str = "Reliance levels by place and policy area") -> Table:
    """One row per cell, in matrix order: the shape the heatmap draws from."""
    rows = [(place, area.name, matrix.level(place, area.code)) for area in matrix.areas for place in matrix.places]
    return Table.build(title, ("place", "policy area", "level"), rows, [LEGEND])


CONSENSUS_NOTE = (
    "Cells coded by several coders show the consensus: ? codes set aside when a definite level exists, then a "
    "strict majority, otherwise ?."
)


def disagreement_table(matrix: Matrix) -> Table:
    """Every cell whose coders gave different levels, with each coder's level and the consensus."""
    area_names = {area.code: area.name for area in matrix.areas}
    rows = [
        (
            cell.place,
            area_names[cell.area],
            "; ".join(f"{coding.coder}: {coding.level}" for coding in cell.codings),
            cell.level,
        )
        for cell in sorted(matrix.cells.values(), key=lambda c: (c.place, c.area))
        if cell.is_disputed
    ]
    return Table.build(
        "Cells on which coders disagree", ("place", "policy area", "codings", "consensus"), rows, [CONSENSUS_NOTE]
    )


def area_score(matrix: Matrix, area: str) -> int:
    return sum(SCORE.get(level, 0) for level in matrix.row(area))


def join_names(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
