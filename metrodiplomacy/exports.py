"""Every file the platform hands out to be opened in a spreadsheet goes through here: CSV and XLSX.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and LibreOffice
(CSV injection): opening an exported file could run whatever a record's author typed. In CSV such a cell
gets a leading apostrophe (spreadsheets show the text, not a formula); in XLSX it is written as a string
cell, never a formula. Plain numbers ("-12.5") and a lone sign (the reliance levels "+" and "-") are left
alone: they cannot call anything.

The CSV escape is reversible: a cell that already starts with apostrophes before one of those characters
gets one more, and the importers take one away (`unescape_cell`), so export → import gives back the text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (plain numbers are not)."""
    return len(text) > 1 and text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text)


def neutralise(value: Any) -> str:
    """The CSV text of a cell, with an apostrophe before anything a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    if len(text) > 1 and _NEEDS_ESCAPE.match(text) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """The text `neutralise` protected, as it was: one leading apostrophe taken away."""
    return text[1:] if _ESCAPED.match(text) else text


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a header and rows as CSV with every cell neutralised; return the rows written."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([neutralise(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return count


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV of a header and rows, every cell neutralised."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def xlsx_cell(sheet, value: Any):
    """A write-only cell holding the value: numbers and dates typed, every text a string, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool) or value is None:
        cell = WriteOnlyCell(sheet, value=None if value is None else ("true" if value else "false"))
    elif isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(sheet, value=value)
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
    else:
        text = str(value)
        cell = WriteOnlyCell(sheet, value=text)
        # openpyxl turns any string starting with "=" into a formula; a string cell is only ever shown.
        cell.data_type = "s"
    return cell


def xlsx_row(sheet, values: Iterable[Any]) -> list:
    """A row of safe cells for a write-only sheet (`sheet.append(xlsx_row(sheet, values))`)."""
    return [xlsx_cell(sheet, value) for value in values]
