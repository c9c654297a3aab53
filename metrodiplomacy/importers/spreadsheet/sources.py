"""Read a CSV file or an XLSX workbook into the rows of data-package tables, refusing hostile files early.

Only the shape is read here (which table, which header, which cells); values are checked by the data-package
reader, so a spreadsheet and a data package obey exactly the same rules.

Limits: at most MAX_ROWS data rows in a file (all sheets together) and MAX_COLUMNS columns in a header.
A workbook's declared size is read from its directory before any row, so a million-row sheet is refused
at once; a workbook that under-declares its size is stopped as soon as the limit is passed while streaming.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from metrodiplomacy.importers.datapackage.spec import Table, tables

MAX_ROWS = 50_000
MAX_COLUMNS = 100
# Sheets of our own templates that hold help, not data.
TEMPLATE_SHEETS = {"readme", "choices"}
# Values a spreadsheet stores when a formula failed: never data.
SPREADSHEET_ERRORS = {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"}
ENCODINGS = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO 8859-1)", "utf-16": "UTF-16", "utf-8": "UTF-8"}


@dataclass(frozen=True)
class SheetProblem:
    """One problem, located as the user sees it: file, sheet (workbooks only), row, column and cell."""

    file: str
    sheet: str
    row: int | None
    column: str
    reason: str
    cell: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet {self.sheet}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        if self.cell:
            where += f" ({self.cell})"
        return f"{where}: {self.reason}"

    def as_row(self) -> list:
        return [self.file, self.sheet, "" if self.row is None else self.row, self.column, self.cell, self.reason]


PROBLEM_COLUMNS = ("file", "sheet", "row", "column", "cell", "reason")


class SpreadsheetInvalid(Exception):
    """A spreadsheet with problems: nothing of it was written."""

    def __init__(self, problems: list[SheetProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s):\n" + "\n".join(map(str, problems)))


@dataclass
class Sheet:
    """One table's rows as read from a CSV file or a worksheet."""

    table: Table
    title: str  # the worksheet's name; "" for a CSV file
    header: list[str]
    letters: dict[str, str]  # column name -> spreadsheet column letter
    rows: list[tuple[int, dict]] = field(default_factory=list)


@dataclass
class Source:
    name: str
    kind: str  # "csv" or "xlsx"
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)

    def problem(self, sheet: str, row: int | None, column: str, reason: str, cell: str = "") -> None:
        self.problems.append(SheetProblem(self.name, sheet, row, column, reason, cell))

    @property
    def rows(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_name(cell) -> str:
    """A header cell as a column name: people write "Policy areas" for policy_areas."""
    return re.sub(r"[\s\-]+", "_", str(cell if cell is not None else "").strip().lower())


def _table_named(name: str) -> Table | None:
    wanted = header_name(name)
    return next((t for t in tables() if t.name == wanted), None)


def _table_from_header(header: list[str]) -> Table | None:
    """The one table whose columns hold the whole header and every required column, if only one does."""
    fits = [
        t
        for t in tables()
        if all(t.column(name) for name in header if name) and all(c.name in header for c in t.all_columns if c.required)
    ]
    return fits[0] if len(fits) == 1 else None


def _is_comment(first_cell: str) -> bool:
    """Rows whose first cell starts with "# " are help (our templates' second row), never data."""
    return first_cell.startswith("# ") or first_cell == "#"


# -- CSV ------------------------------------------------------------------------------------------------


def decode_csv(data: bytes, source: Source, encoding: str | None = None) -> str | None:
    """The file's text: UTF-8 (with or without BOM) or UTF-16 with a BOM; another encoding only when named.

    A file in another encoding is refused with the offset of the first byte that is not UTF-8 and the
    encoding it most likely is: guessing silently would turn "Medellín" into "MedellÃ­n" or worse.
    """
    if encoding and encoding not in ENCODINGS:
        source.problem("", None, "", _("unknown encoding %(encoding)s") % {"encoding": encoding})
        return None
    if data.startswith(codecs.BOM_UTF8):
        encoding, data = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
        row = data.count(b"\n", 0, offset) + 1
        if encoding:
            reason = _("byte 0x%(byte)02X at offset %(offset)d is not valid %(encoding)s") % {
                "byte": data[offset],
                "offset": offset,
                "encoding": ENCODINGS[encoding],
            }
        else:
            likely = "cp1252" if _decodes(data, "cp1252") else "latin-1"
            reason = _(
                "not UTF-8 text: byte 0x%(byte)02X at offset %(offset)d is not valid UTF-8. The file looks like "
                "%(likely)s: save it as “CSV UTF-8” in your spreadsheet program, or choose the encoding "
                "%(likely)s explicitly."
            ) % {"byte": data[offset], "offset": offset, "likely": ENCODINGS[likely]}
        source.problem("", row, "", reason)
        return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(first_line: str) -> str:
    """Comma, semicolon (what Excel writes in most European locales) or tab, from the header line."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, source: Source, entity: str | None = None, encoding: str | None = None) -> None:
    """One table from a CSV file: the entity named, else the file's name, else the one table its header fits."""
    text = decode_csv(data, source, encoding)
    if text is None:
        return
    if "\x00" in text:
        source.problem("", text.count("\n", 0, text.index("\x00")) + 1, "", _("the file holds NUL characters"))
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        raw_header = next(reader, [])
    except csv.Error as error:
        source.problem("", 1, "", _("not readable as CSV: %(error)s") % {"error": error})
        return
    header = [header_name(cell) for cell in raw_header]
    while header and not header[-1]:
        header.pop()
    table = _pick_table(source, entity, header)
    if table is None:
        return
    if len(header) > MAX_COLUMNS:
        source.problem("", 1, "", _("more than %(limit)d columns") % {"limit": MAX_COLUMNS})
        return
    sheet = Sheet(table, "", header, {name: column_letter(i) for i, name in enumerate(header) if name})
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells) or _is_comment(cells[0].strip()):
                continue
            if len(sheet.rows) >= MAX_ROWS:
                source.problem("", line, "", _row_limit())
                return
            sheet.rows.append((line, _row_values(header, cells)))
    except csv.Error as error:
        source.problem("", line + 1, "", _("not readable as CSV: %(error)s") % {"error": error})
        return
    source.sheets.append(sheet)


def _row_limit() -> str:
    return _("more than %(limit)s data rows: split the file (the limit keeps an import within minutes)") % {
        "limit": f"{MAX_ROWS:,}"
    }


def _row_values(header: list[str], cells: list) -> dict:
    """A row as csv.DictReader gives it: cells by column name, cells beyond the header under None."""
    values: dict = {}
    for index, cell in enumerate(cells):
        name = header[index] if index < len(header) else ""
        if name:
            values[name] = cell
        elif cell not in ("", None):
            # A cell under no header: the reader reports it as a cell beyond the header.
            values.setdefault(None, []).append(cell)
    return values


def _pick_table(source: Source, entity: str | None, header: list[str], sheet: str = "") -> Table | None:
    if entity:
        table = _table_named(entity)
        if table is None:
            source.problem(sheet, None, "", _("%(entity)s is not an entity Metrodiplomacy knows") % {"entity": entity})
        return table
    stem = re.sub(r"\.csv$", "", source.name.rsplit("/", 1)[-1], flags=re.I)
    table = _table_named(stem) or _table_from_header(header)
    if table is None:
        source.problem(
            sheet,
            1,
            "",
            _(
                "cannot tell which entity this file holds: name the file after it (e.g. engagements.csv) "
                "or choose the entity"
            ),
        )
    return table


# -- XLSX -----------------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    """A worksheet value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def read_xlsx(stream: IO[bytes], source: Source, entity: str | None = None) -> None:
    """Every sheet named after an entity (or the one sheet, for a named entity), streamed in read-only mode.

    The caller has passed the file through `uploads.check_upload`, which refuses zip bombs from the
    archive's directory; the guard runs again here so no caller can skip it.
    """
    import openpyxl

    from metrodiplomacy.uploads import UploadRefused, guard_archive

    try:
        with zipfile.ZipFile(stream) as archive:
            guard_archive(archive)
        stream.seek(0)
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except UploadRefused as error:
        source.problem("", None, "", str(error))
        return
    except Exception as error:  # noqa: BLE001 - a damaged workbook fails in many ways inside openpyxl
        source.problem("", None, "", _("not a readable XLSX workbook (%(error)s)") % {"error": type(error).__name__})
        return
    try:
        _read_workbook(workbook, source, entity)
    except Exception as error:  # noqa: BLE001
        source.problem("", None, "", _("not a readable XLSX workbook (%(error)s)") % {"error": type(error).__name__})
    finally:
        workbook.close()


def _read_workbook(workbook, source: Source, entity: str | None) -> None:
    sheets = [ws for ws in workbook.worksheets if header_name(ws.title) not in TEMPLATE_SHEETS]
    chosen: list[tuple[object, Table]] = []
    if entity:
        table = _table_named(entity)
        if table is None:
            source.problem("", None, "", _("%(entity)s is not an entity Metrodiplomacy knows") % {"entity": entity})
            return
        named = [ws for ws in sheets if _table_named(ws.title) is table]
        if not named and len(sheets) == 1:
            named = sheets
        if not named:
            source.problem("", None, "", _("no sheet called %(entity)s") % {"entity": table.name})
            return
        chosen = [(named[0], table)]
    else:
        for ws in sheets:
            table = _table_named(ws.title)
            if table is None:
                source.problem(
                    ws.title,
                    None,
                    "",
                    _(
                        "not an entity Metrodiplomacy knows: name the sheet after one (see the README sheet of the "
                        "template) or delete it"
                    ),
                )
            else:
                chosen.append((ws, table))
    # The declared sizes first: refusing a huge sheet must not cost reading it.
    declared = sum(max((ws.max_row or 1) - 1, 0) for ws, _table in chosen)
    if declared > MAX_ROWS:
        source.problem("", None, "", _row_limit())
        return
    for ws, table in chosen:
        if not _read_worksheet(ws, table, source):
            return


def _read_worksheet(ws, table: Table, source: Source) -> bool:
    """Read one sheet's rows; False when the file's row limit stopped the reading."""
    # The declared dimension may lie: cells are padded to it, so it is dropped and the header sets the width.
    ws.reset_dimensions()
    header_row = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), ())
    header = [header_name(cell) for cell in header_row]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        source.problem(ws.title, 1, "", _("more than %(limit)d columns") % {"limit": MAX_COLUMNS})
        return True
    sheet = Sheet(table, ws.title, header, {name: column_letter(i) for i, name in enumerate(header) if name})
    width = len(header) + 1  # one more than the header: a cell there is reported, not silently dropped
    already = source.rows
    for line, values in enumerate(ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        cells = [_cell_text(value) for value in values]
        if not any(cell.strip() for cell in cells) or _is_comment(cells[0].strip()):
            continue
        if already + len(sheet.rows) >= MAX_ROWS:
            source.problem(ws.title, line, "", _row_limit())
            return False
        for index, cell in enumerate(cells):
            if cell.strip() in SPREADSHEET_ERRORS:
                name = header[index] if index < len(header) else ""
                source.problem(
                    ws.title,
                    line,
                    name,
                    _("the cell holds the spreadsheet error %(error)s: fix its formula or type the value")
                    % {"error": cell.strip()},
                    f"{column_letter(index)}{line}",
                )
                cells[index] = ""
        sheet.rows.append((line, _row_values(header, cells)))
    source.sheets.append(sheet)
    return True
