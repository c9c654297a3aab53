"""Every file the platform hands out to be opened in a spreadsheet goes through here: CSV and XLSX.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and LibreOffice
(CSV injection): opening an exported file could run whatever a record's author typed. The full-width
`＝ ＋ － ＠` are treated alike, as a precaution: some spreadsheets in East Asian locales fold them into the
ASCII signs. In CSV such a cell gets a leading apostrophe
(spreadsheets show the text, not a formula); in XLSX it is a string cell, never a formula, with Excel's quote
prefix (what typing '=… sets, so editing the cell keeps it text). Plain numbers ("-12.5") and a lone sign
(the reliance levels "+" and "-") are left alone: they cannot call anything.

A cell may hold several lines, and a reader that splits rows on a line break inside a cell (or a user who
pastes one line) sees each line as a cell of its own. So:

- every line inside a cell is treated as the start of a cell: the apostrophe goes before each line that a
  spreadsheet would run, not only the first;
- a CSV field holding any line break or control character (C0, DEL, C1, U+2028, U+2029) is quoted, so no
  reader starts a new row inside it. The line breaks are those of `str.splitlines`.

The CSV escape is reversible: a line that already starts with apostrophes before one of those characters
gets one more, and the importers take one away (`unescape_cell`), so export → import gives back the text.

XML cannot hold most C0 control characters: in XLSX they are written as Office's own `_xHHHH_` escapes
(and a literal `_xHHHH_` gets its underscore escaped), which Excel and LibreOffice show as the character;
`xlsx_unescape` reads them back.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA_CLASS = "=+\\-@\\t\\r\uff1d\uff0b\uff0d\uff20"
_NEEDS_ESCAPE = re.compile(f"'*[{_FORMULA_CLASS}]")
_ESCAPED = re.compile(f"'+[{_FORMULA_CLASS}]")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Exactly the boundaries of str.splitlines: what some reader, somewhere, takes for the end of a line.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NEEDS_QUOTES = re.compile('[",\x00-\x1f\x7f-\x9f\u2028\u2029]')
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XLSX_ESCAPE_LIKE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_XLSX_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]


def _runs_at(text: str, start: int, escaped: bool = False) -> bool:
    """Whether the line starting at `start` would run as a formula (with `escaped`: is one we protected).

    The text from the line's start is judged as if it were a whole cell: a lone character and a line that
    is a plain number stay as they are.
    """
    rest = text[start:]
    if not (_ESCAPED if escaped else _NEEDS_ESCAPE).match(rest) or len(rest) <= 1:
        return False
    line = _LINE_BREAK.split(rest, maxsplit=1)[0]
    return not _PLAIN_NUMBER.fullmatch(line)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text, or a line of it, as a formula (plain numbers are not)."""
    return any(not text.startswith("'", start) and _runs_at(text, start) for start in _line_starts(text))


def neutralise(value: Any) -> str:
    """The CSV text of a cell, with an apostrophe before each line a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    for start in reversed(_line_starts(text)):
        if _runs_at(text, start):
            text = f"{text[:start]}'{text[start:]}"
    return text


def unescape_cell(text: str) -> str:
    """The text `neutralise` protected, as it was: one leading apostrophe taken away from each line."""
    for start in reversed(_line_starts(text)):
        if _runs_at(text, start, escaped=True):
            text = text[:start] + text[start + 1 :]
    return text


def _csv_field(text: str) -> str:
    # csv.writer quotes a field with a comma, a quote or the line terminator, but not a lone carriage
    # return or any other control character; every reader must see one field, however it splits lines.
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells: Sequence[Any]) -> str:
    """One CSV record, every cell neutralised and quoted where needed, ending with a newline."""
    fields = [_csv_field(neutralise(cell)) for cell in cells]
    if fields == [""]:
        return '""\n'  # a lone empty field, not a blank line (which readers skip or read as no cells)
    return ",".join(fields) + "\n"


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a header and rows as CSV with every cell neutralised; return the rows written."""
    handle.write(csv_line(header))
    count = 0
    for row in rows:
        handle.write(csv_line(row))
        count += 1
    return count


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV of a header and rows, every cell neutralised."""
    return csv_line(header) + "".join(csv_line(row) for row in rows)


def xlsx_text(text: str) -> str:
    """Text as an XLSX string can hold it: characters XML refuses as `_xHHHH_`, a literal `_xHHHH_` kept."""
    text = _XLSX_ESCAPE_LIKE.sub("_x005F_", text)
    return _XML_ILLEGAL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def xlsx_unescape(text: str) -> str:
    """The text `xlsx_text` wrote, as it was (what Excel shows)."""
    return _XLSX_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


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
        cell = WriteOnlyCell(sheet, value=xlsx_text(text))
        # openpyxl turns any string starting with "=" into a formula (and "#N/A" into an error); a string
        # cell is only ever shown, whatever its lines start with. The quote prefix (what Excel sets when one
        # types '=…) keeps it text when a reader edits the cell and presses Enter.
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True
    return cell


def xlsx_row(sheet, values: Iterable[Any]) -> list:
    """A row of safe cells for a write-only sheet (`sheet.append(xlsx_row(sheet, values))`)."""
    return [xlsx_cell(sheet, value) for value in values]
