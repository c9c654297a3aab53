"""Result tables: the one shape every framework returns, and its CSV, JSON, LaTeX and text renderings.

A table is plain data (no Django, no pandas) so the CLI, the web pages, the exports and a notebook all
read the same thing; charts are drawn from it and carry it as their text alternative.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from metrodiplomacy.exports import csv_text

Cell = str | int | float | Decimal | bool | None


@dataclass(frozen=True)
class Table:
    """A titled grid of cells with named columns and footnotes that explain how it was computed."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"{self.title}: row {number} has {len(row)} cells for {len(self.columns)} columns")

    @classmethod
    def build(
        cls, title: str, columns: Sequence[str], rows: Iterable[Sequence[Cell]], notes: Sequence[str] = ()
    ) -> Table:
        return cls(title, tuple(columns), tuple(tuple(row) for row in rows), tuple(notes))

    def records(self) -> list[dict[str, Cell]]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def to_csv(self) -> str:
        """Comma-separated values with a header row; notes are left out (they are not data)."""
        # A name such as "=Barcelona" would run as a formula in a spreadsheet: written as text instead (and a
        # column named after a record is as hostile as a cell).
        return csv_text(self.columns, ([format_cell(cell) for cell in row] for row in self.rows))

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": list(self.columns),
            "rows": [
                {name: json_cell(cell) for name, cell in zip(self.columns, row, strict=True)} for row in self.rows
            ],
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_latex(self) -> str:
        """A booktabs table, ready to paste into a paper; notes become the caption's second sentence on."""
        numeric = [
            bool(self.rows) and all(is_number(row[i]) or row[i] is None for row in self.rows)
            for i in range(len(self.columns))
        ]
        spec = "".join("r" if is_numeric else "l" for is_numeric in numeric)
        lines = [
            r"\begin{table}[htbp]",
            r"\centering",
            r"\caption{" + latex_escape(self.title) + "}",
            r"\begin{tabular}{" + spec + "}",
            r"\toprule",
            " & ".join(latex_escape(name) for name in self.columns) + r" \\",
            r"\midrule",
        ]
        lines += [" & ".join(latex_escape(format_cell(cell)) for cell in row) + r" \\" for row in self.rows]
        lines += [r"\bottomrule", r"\end{tabular}"]
        if self.notes:
            lines.append(r"\par\smallskip\footnotesize " + " ".join(latex_escape(note) for note in self.notes))
        lines.append(r"\end{table}")
        return "\n".join(lines) + "\n"

    def to_text(self) -> str:
        """A fixed-width rendering for logs and terminals without rich."""
        cells = [list(self.columns)] + [[format_cell(cell) for cell in row] for row in self.rows]
        widths = [max(len(line[i]) for line in cells) for i in range(len(self.columns))]
        rendered = [self.title, ""]
        for number, line in enumerate(cells):
            rendered.append("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip())
            if number == 0:
                rendered.append("  ".join("-" * width for width in widths))
        rendered += [""] + [f"* {note}" for note in self.notes] if self.notes else []
        return "\n".join(rendered) + "\n"


def is_number(cell: Cell) -> bool:
    return isinstance(cell, int | float | Decimal) and not isinstance(cell, bool)


def format_cell(cell: Cell) -> str:
    """How a cell reads in CSV and on screen: empty for unknown, no trailing zeros on decimals."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, Decimal):
        text = format(cell.normalize(), "f")
        return text
    if isinstance(cell, float):
        return f"{cell:.10g}"
    return str(cell)


def json_cell(cell: Cell) -> Any:
    if isinstance(cell, Decimal):
        return float(cell) if cell != cell.to_integral_value() else int(cell)
    return cell


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    # A bare '-' in a reliance cell would render as a hyphen; math minus reads as the symbol the thesis uses.
    if text == "-":
        return "$-$"
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)
