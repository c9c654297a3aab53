"""Agreement between two codings of the same cells: per-cell comparison, percent agreement, Cohen's kappa."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from metrodiplomacy.analysis.reliance import LEVELS, NOT_CODED
from metrodiplomacy.analysis.tables import Cell, Table

CellKey = TypeVar("CellKey")


def percent_agreement(first: Sequence[str], second: Sequence[str]) -> float:
    """Share of items on which both codings give the same level (0–1); 1.0 for no items is avoided by raising."""
    if len(first) != len(second):
        raise ValueError("both codings must cover the same items")
    if not first:
        raise ValueError("no items coded by both")
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa: agreement beyond what the two codings' own level frequencies would give by chance.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e the sum over levels of the product
    of each coding's share of that level. When p_e is 1 (both codings use one and the same level throughout)
    the agreement is perfect and kappa is 1.
    """
    observed = percent_agreement(first, second)
    n = len(first)
    first_counts, second_counts = Counter(first), Counter(second)
    expected = sum(first_counts[level] * second_counts[level] for level in first_counts) / (n * n)
    if expected >= 1:
        return 1.0
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class AgreementReport:
    """Two codings compared on the cells both of them code."""

    first_label: str
    second_label: str
    cells: tuple[tuple[object, str, str], ...]  # (cell, first level, second level), compared cells only
    left_out: tuple[object, ...]  # cells one of the two does not code

    @property
    def compared(self) -> int:
        return len(self.cells)

    @property
    def agreed(self) -> int:
        return sum(a == b for _cell, a, b in self.cells)

    @property
    def percent(self) -> float | None:
        return self.agreed / self.compared if self.cells else None

    @property
    def kappa(self) -> float | None:
        if not self.cells:
            return None
        return cohen_kappa([a for _c, a, _b in self.cells], [b for _c, _a, b in self.cells])


def compare_codings(
    first: Mapping[CellKey, str], second: Mapping[CellKey, str], first_label: str, second_label: str
) -> AgreementReport:
    """Compare two codings cell by cell; cells missing or uncoded in either are left out (and listed)."""
    keys = list(dict.fromkeys([*first, *second]))
    compared, left_out = [], []
    for key in keys:
        a, b = first.get(key, NOT_CODED), second.get(key, NOT_CODED)
        if a == NOT_CODED or b == NOT_CODED:
            left_out.append(key)
        else:
            compared.append((key, a, b))
    return AgreementReport(first_label, second_label, tuple(compared), tuple(left_out))


def rounded(value: float | None, places: int = 3) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def summary_table(report: AgreementReport, title: str = "") -> Table:
    rows = [
        ("cells compared", report.compared),
        ("cells left out (not coded by both)", len(report.left_out)),
        ("cells in agreement", report.agreed),
        ("percent agreement", None if report.percent is None else rounded(report.percent * 100, 1)),
        ("Cohen's kappa", rounded(report.kappa)),
    ]
    return Table.build(
        title or f"Agreement between {report.first_label} and {report.second_label}",
        ("measure", "value"),
        rows,
        ["kappa = (observed - chance agreement) / (1 - chance agreement); 1 is perfect, 0 is chance level."],
    )


def cell_table(report: AgreementReport, describe_cell: Callable[[object], Iterable[Cell]] = str) -> Table:
    rows = [
        (*describe_cell(cell), a, b, "yes" if a == b else "no")
        for cell, a, b in report.cells  # describe_cell returns (place, area)
    ]
    return Table.build(
        f"Cell by cell: {report.first_label} against {report.second_label}",
        ("place", "policy area", report.first_label, report.second_label, "agree"),
        rows,
    )


def confusion_table(report: AgreementReport) -> Table:
    """Rows: the first coding's level; columns: the second's."""
    counts = Counter((a, b) for _cell, a, b in report.cells)
    rows: list[tuple[Cell, ...]] = [(f"{report.first_label} {a}", *(counts[(a, b)] for b in LEVELS)) for a in LEVELS]
    return Table.build(
        f"Levels compared ({report.first_label} in rows, {report.second_label} in columns)",
        ("", *(f"{report.second_label} {b}" for b in LEVELS)),
        rows,
    )
