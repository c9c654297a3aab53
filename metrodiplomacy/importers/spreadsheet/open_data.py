"""Open data: every public, published record as a Frictionless data package, and as CSV and XLSX per entity.

The rows are the data-package exporter's (the same canonical columns, so the open data imports back
through `metrodip import package`), kept to what an anonymous reader may see:

- records: public and published only; places (shared reference data) all;
- a reference to a record that is not public is emptied, so no private key leaks; a row whose required
  reference is not public is left out (with the parties, citations and children that hang on it);
- agreement parties and citations only of records that stay.

Every CSV and XLSX cell goes through `metrodiplomacy.exports` (formula injection neutralised).
"""

from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from metrodiplomacy.exports import write_csv, xlsx_row
from metrodiplomacy.importers.datapackage.exporter import rows_for, write_descriptor
from metrodiplomacy.importers.datapackage.spec import Table, tables
from metrodiplomacy.records import visible_to

PACKAGE_NAME = "metrodiplomacy-open-data"
ZIP_NAME = f"{PACKAGE_NAME}.zip"


@dataclass
class OpenTable:
    table: Table
    rows: list[list[str]]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.table.all_columns]


def _public_keys() -> dict[str, set[str] | None]:
    """Per table, the keys of public published records; None for tables open as a whole (places)."""
    keys: dict[str, set[str] | None] = {}
    for t in tables():
        if t.is_record:
            keys[t.name] = set(visible_to(t.get_model().objects.all(), None).values_list("key", flat=True))
        elif t.name == "places":
            keys[t.name] = None
    return keys


def open_data_tables() -> list[OpenTable]:
    """Every table's public rows, references kept consistent (see the module's docstring)."""
    keys = _public_keys()
    raw = {t.name: rows_for(t) for t in tables()}
    kept: dict[str, list[list[str]]] = {}
    # Leaving a row out can orphan rows of a later (or the same) table: repeat until nothing changes.
    for _round in range(5):
        changed = False
        for t in tables():
            rows = [row for row in (_filter(t, row, keys) for row in raw[t.name]) if row is not None]
            if t.column("id") is not None and keys.get(t.name) is not None:
                still = {row[0] for row in rows}
                if still != keys[t.name]:
                    keys[t.name] = still
                    changed = True
            kept[t.name] = rows
        if not changed:
            break
    return [OpenTable(t, kept[t.name]) for t in tables() if kept[t.name]]


def _is_open(keys: dict[str, set[str] | None], target: str, key: str) -> bool:
    if target == "policy_areas":
        return True
    allowed = keys.get(target)
    return allowed is None or key in allowed


def _filter(t: Table, row: list[str], keys: dict[str, set[str] | None]) -> list[str] | None:
    """The row as open data, or None when it must be left out."""
    row = list(row)
    for index, column in enumerate(t.all_columns):
        value = row[index]
        if column.kind == "id" and keys.get(t.name) is not None and value not in keys[t.name]:  # type: ignore[operator]
            return None
        if column.kind == "ref" and value and not _is_open(keys, column.target, value):
            if column.required or (t.name == "agreement_parties" and column.name == "organisation"):
                return None
            row[index] = ""
        elif column.kind == "refs" and value:
            row[index] = ";".join(item for item in value.split(";") if _is_open(keys, column.target, item))
        elif column.kind == "record" and value:
            stem, _slash, key = value.partition("/")
            if not _is_open(keys, stem, key):
                return None
    return row


def _typed(t: Table, row: list[str]) -> list:
    """Numbers and dates typed for a spreadsheet; everything else text, as in the CSV."""
    values: list = []
    for column, text in zip(t.all_columns, row, strict=True):
        if text and column.kind in {"integer", "year"}:
            values.append(int(text))
        elif text and column.kind == "number":
            values.append(Decimal(text))
        elif text and column.kind == "date":
            values.append(datetime.date.fromisoformat(text))
        else:
            values.append(text or None)
    return values


def table_csv(open_table: OpenTable) -> str:
    buffer = io.StringIO()
    write_csv(buffer, open_table.header, open_table.rows)
    return buffer.getvalue()


def table_xlsx(open_table: OpenTable) -> bytes:
    """One entity as a workbook with one sheet named after it."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(open_table.name)
    sheet.append(xlsx_row(sheet, open_table.header))
    for row in open_table.rows:
        sheet.append(xlsx_row(sheet, _typed(open_table.table, row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_open_data(directory: Path, open_tables: list[OpenTable] | None = None, xlsx: bool = False) -> dict:
    """Write the package (CSV files and datapackage.json) into the folder; XLSX files too when asked."""
    open_tables = open_data_tables() if open_tables is None else open_tables
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for open_table in open_tables:
        (directory / open_table.table.file).write_text(table_csv(open_table), encoding="utf-8")
        if xlsx:
            (directory / f"{open_table.name}.xlsx").write_bytes(table_xlsx(open_table))
        counts[open_table.name] = len(open_table.rows)
    write_descriptor(
        directory,
        name=PACKAGE_NAME,
        title="Metrodiplomacy open data",
        description="Every public, published record of this Metrodiplomacy instance.",
    )
    return counts


def open_data_zip(open_tables: list[OpenTable] | None = None) -> bytes:
    """The data package as one zip archive: CSV files and datapackage.json."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        write_open_data(Path(folder), open_tables)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, path.name)
    return buffer.getvalue()
