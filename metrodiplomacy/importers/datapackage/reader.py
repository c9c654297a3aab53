"""Read and check a data package without writing anything.

Every problem is collected with its file, row, column and reason, so a user fixes
a package in one round instead of one error at a time.
"""

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pycountry

from metrodiplomacy.exports import unescape_cell
from metrodiplomacy.places import gazetteer
from metrodiplomacy.records import KEY_PATTERN

from .spec import Column, Table, table, tables

KEY_RE = re.compile(KEY_PATTERN)
LINES_RE = re.compile(r"^(\d+)(?:-(\d+))?$")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class PackageInvalid(Exception):
    """A package with problems: nothing of it was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data package:\n" + "\n".join(map(str, problems)))


@dataclass
class Row:
    line: int  # row number in the file, the header being row 1
    values: dict


@dataclass
class Package:
    name: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Keys a reference may name beyond the package's own rows: every key in the database unless an import on
    # behalf of a user narrows it to what that user may read (importers/spreadsheet).
    lookup_keys: Callable[[str], set[str]] | None = None
    # Bundled and exchanged packages cite every fact; a user's own spreadsheet may leave citations for later.
    require_citations: bool = True

    def ids(self, table_name: str) -> set[str]:
        return {r.values["id"] for r in self.rows.get(table_name, []) if r.values.get("id")}

    def problem(self, t: Table | str, row: int | None, column: str, reason: str) -> None:
        file = t.file if isinstance(t, Table) else t
        self.problems.append(Problem(file, row, column, reason))


def _open_files(location: Path) -> dict[str, bytes]:
    """The package's files by name, from a folder or a zip archive."""
    if location.is_dir():
        return {
            p.name: p.read_bytes() for p in location.iterdir() if p.is_file() and p.stat().st_size <= MAX_FILE_BYTES
        }
    if zipfile.is_zipfile(location):
        with zipfile.ZipFile(location) as archive:
            files = {}
            for info in archive.infolist():
                if info.is_dir():
                    continue
                # A declared size guards against archives that expand into gigabytes.
                if info.file_size > MAX_FILE_BYTES:
                    raise PackageInvalid([Problem(info.filename, None, "", "file larger than 50 MB once unzipped")])
                files[Path(info.filename).name] = archive.read(info)
            return files
    raise PackageInvalid([Problem(str(location), None, "", "not a folder or a zip archive")])


def read_package(location: str | Path) -> Package:
    """Parse and check every file of the package; problems are collected, not raised."""
    location = Path(location)
    files = _open_files(location)
    package = Package(name=location.name)
    known = {t.file: t for t in tables()}
    listed = None
    if "datapackage.json" in files:
        try:
            descriptor = json.loads(files["datapackage.json"].decode("utf-8"))
            listed = {Path(r["path"]).name for r in descriptor.get("resources", [])}
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            # AttributeError: a descriptor that is a JSON list or number, not an object.
            package.problem("datapackage.json", None, "", f"not a valid data package descriptor ({error})")
        for name in sorted((listed or set()) - set(known)):
            package.problem("datapackage.json", None, "", f"resource {name} is not a table Metrodiplomacy knows")
        for name in sorted((listed or set()) - set(files)):
            package.problem("datapackage.json", None, "", f"resource {name} is listed but the file is missing")
    for name in sorted(n for n in files if n.endswith(".csv") and n not in known):
        package.problem(name, None, "", "not a table Metrodiplomacy knows (see docs/data-package.md)")
    for t in tables():
        if t.file in files:
            _read_table(package, t, files[t.file])
    _check_references(package)
    return package


def _decode(package: Package, t: Table, data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        package.problem(t, None, "", f"not UTF-8 text (byte {error.start}); save the file as UTF-8")
        return None


def _read_table(package: Package, t: Table, data: bytes) -> None:
    text = _decode(package, t, data)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    read_rows(package, t, reader.fieldnames or [], enumerate(reader, start=2))


def read_rows(package: Package, t: Table, header: list[str], rows: Iterable[tuple[int, dict]]) -> None:
    """Check one table's rows, from a CSV file or any other source (a spreadsheet's sheet).

    `rows` gives each row's number as the user sees it and its cells by column name; cells beyond the
    header sit under the key None, as csv.DictReader leaves them.
    """
    for name in header:
        if t.column(name) is None:
            package.problem(t, 1, name, "unknown column")
    for column in t.all_columns:
        if column.required and column.name not in header:
            package.problem(t, 1, column.name, "required column missing")
    table_rows = package.rows.setdefault(t.name, [])
    seen: dict[str, int] = {}
    for line, raw in rows:
        if None in raw:
            package.problem(t, line, "", "more cells than the header has columns")
        values = {}
        for column in t.all_columns:
            # A cell our exports protected against formula injection reads back as it was stored.
            cell = unescape_cell((raw.get(column.name) or "").strip())
            values[column.name] = _convert(package, t, line, column, cell)
        row_id = values.get("id")
        if row_id:
            if row_id in seen:
                package.problem(t, line, "id", f"{row_id!r} already used on row {seen[row_id]}")
            seen[row_id] = line
        table_rows.append(Row(line, values))


def _convert(package: Package, t: Table, line: int, column: Column, cell: str):  # noqa: C901
    def bad(reason: str):
        package.problem(t, line, column.name, reason)
        return None

    if cell == "":
        if column.required:
            return bad("a value is required")
        return [] if column.kind in {"refs", "roles"} else None
    kind = column.kind
    if kind == "id" or kind == "slug":
        pattern = KEY_RE if kind == "id" else re.compile(r"^[a-z0-9_]+$")
        return cell if pattern.match(cell) else bad(f"{cell!r} is not a valid identifier")
    if kind in {"string", "text"}:
        return cell
    if kind in {"integer", "year"}:
        try:
            number = int(cell)
        except ValueError:
            return bad(f"{cell!r} is not a whole number")
        if number < 0:
            return bad(f"{number} is negative")
        if kind == "year" and not 1000 <= number <= 2200:
            return bad(f"{number} is not a plausible year")
        return number
    if kind == "number":
        try:
            number = Decimal(cell)
        except InvalidOperation:
            return bad(f"{cell!r} is not a number (use '.' for decimals and no thousands separator)")
        if not number.is_finite():
            return bad(f"{cell!r} is not a finite number")
        return number
    if kind == "boolean":
        if cell.lower() in {"true", "false"}:
            return cell.lower() == "true"
        return bad(f"{cell!r} is not true or false")
    if kind == "date":
        try:
            return datetime.date.fromisoformat(cell)
        except ValueError:
            return bad(f"{cell!r} is not a date (YYYY-MM-DD)")
    if kind == "enum":
        return cell if cell in column.choices else bad(f"{cell!r} is not one of {', '.join(column.choices)}")
    if kind == "ref":
        return cell
    if kind == "refs":
        return sorted({item.strip() for item in cell.split(";") if item.strip()})
    if kind == "country":
        entry = gazetteer.find_country(cell) if len(cell) == 2 else None
        return entry.iso2 if entry else bad(f"{cell!r} is not an ISO 3166-1 alpha-2 country code")
    if kind == "currency":
        return cell if pycountry.currencies.get(alpha_3=cell) else bad(f"{cell!r} is not an ISO 4217 currency code")
    if kind == "roles":
        return _parse_roles(cell, bad)
    if kind == "lines":
        match = LINES_RE.match(cell)
        if not match:
            return bad(f"{cell!r} is not a line or a line range such as 12-18")
        start, end = int(match[1]), int(match[2] or match[1])
        if start < 1 or end < start:
            return bad(f"{cell!r} is not an ordered range of lines from 1")
        return (start, end)
    if kind == "record":
        stem, _slash, key = cell.partition("/")
        return (stem, key) if stem and key else bad(f"{cell!r} is not of the form table/id")
    raise ValueError(f"unknown column kind {kind}")


def _parse_roles(cell: str, bad) -> list[tuple[str, int | None]] | None:
    from metrodiplomacy.diplomacy.models import NetworkRoleKind

    roles = set()
    for item in (part.strip() for part in cell.split(";")):
        if not item:
            continue
        role, _at, year = item.partition("@")
        if role not in NetworkRoleKind.values:
            return bad(f"{role!r} is not a network role ({', '.join(NetworkRoleKind.values)})")
        # isdigit() alone admits "²" and other digits int() refuses.
        if year and not (year.isascii() and year.isdigit() and 1000 <= int(year) <= 2200):
            return bad(f"{year!r} is not a plausible year for role {role}")
        roles.add((role, int(year) if year else None))
    return sorted(roles, key=lambda r: (r[0], r[1] or 0))


def _check_references(package: Package) -> None:
    from . import checks

    checks.check_package(package)


def known_keys(table_name: str) -> set[str]:
    """Keys of a table already in the database (references may point at them)."""
    if table_name == "policy_areas":
        from metrodiplomacy.evidence.models import PolicyArea

        return set(PolicyArea.objects.values_list("code", flat=True))
    model = table(table_name).get_model()
    return set(model.objects.values_list("key", flat=True))
