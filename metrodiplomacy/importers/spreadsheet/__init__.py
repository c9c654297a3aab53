"""Spreadsheets in: one CSV file for one entity, or an XLSX workbook with one sheet per entity.

A spreadsheet import is the data-package importer fed from another source of rows: the same tables and
columns (`datapackage.spec`), the same checks, the same all-or-nothing writer keyed by id (so a re-import
changes nothing). What is added here: reading CSV and XLSX safely (`sources`), locating every problem by
file, sheet, row, column and cell, a preview that runs the write and rolls it back, and the limits of an
import made for a user rather than the operator (`access`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction

from metrodiplomacy.importers.datapackage import checks
from metrodiplomacy.importers.datapackage.reader import Package, PackageInvalid, Problem, read_rows
from metrodiplomacy.importers.datapackage.writer import Defaults, ImportSummary, Writer
from metrodiplomacy.uploads import CSV, XLSX, UploadRefused, check_upload
from metrodiplomacy.writes import Author

from .sources import (
    MAX_ROWS,
    PROBLEM_COLUMNS,
    SheetProblem,
    Source,
    SpreadsheetInvalid,
    read_csv,
    read_xlsx,
)

__all__ = [
    "MAX_ROWS",
    "PROBLEM_COLUMNS",
    "ImportOptions",
    "SheetProblem",
    "SpreadsheetInvalid",
    "check_spreadsheet",
    "import_spreadsheet",
]

Progress = Callable[[int, int], None]


@dataclass
class ImportOptions:
    """Who imports, for which owner, and how rows that do not say are published."""

    owner: object | None = None  # the Organisation owning rows that name no owner
    visibility: str = "private"
    publication: str = "draft"
    author: Author | None = None  # None: the operator at the command line, who may write anything
    entity: str | None = None  # the table a CSV file (or a one-sheet workbook) holds
    encoding: str | None = None  # a CSV file's encoding when it is not UTF-8 or UTF-16 with a BOM


def read_source(stream: IO[bytes], name: str, options: ImportOptions) -> Source:
    """The file through the upload gate (size, type by content, zip bomb), then its sheets."""
    source = Source(name=name, kind="")
    try:
        checked = check_upload(stream, name, {CSV, XLSX})
    except UploadRefused as error:
        source.problem("", None, "", str(error))
        return source
    source.kind = checked.kind
    if checked.kind == XLSX:
        read_xlsx(stream, source, options.entity)
    else:
        read_csv(stream.read(), source, options.entity, options.encoding)
    return source


def _package(source: Source, options: ImportOptions) -> Package:
    from .access import check_access, lookup_keys_for

    author = options.author
    package = Package(
        name=source.name,
        lookup_keys=lookup_keys_for(author) if author is not None and author.organisation_ids is not None else None,
        require_citations=False,
    )
    for sheet in source.sheets:
        read_rows(package, sheet.table, sheet.header, sheet.rows)
    checks.check_package(package)
    if author is not None:
        check_access(package, author, getattr(options.owner, "pk", None))
    return package


def _locate(problems: list[Problem], source: Source) -> list[SheetProblem]:
    """Data-package problems (named by table file) as the user sees them: their file, sheet and cell."""
    sheets = {sheet.table.file: sheet for sheet in source.sheets}
    located = []
    for problem in problems:
        sheet = sheets.get(problem.file)
        if sheet is None:
            located.append(SheetProblem(source.name, "", problem.row, problem.column, problem.reason))
            continue
        letter = sheet.letters.get(problem.column, "")
        cell = f"{letter}{problem.row}" if letter and problem.row is not None else ""
        located.append(SheetProblem(source.name, sheet.title, problem.row, problem.column, problem.reason, cell))
    return located


def check_spreadsheet(stream: IO[bytes], name: str, options: ImportOptions) -> tuple[Source, Package, list]:
    """Read and check the whole file without writing: its source, its package and every problem."""
    source = read_source(stream, name, options)
    if not source.sheets:
        return source, Package(name=name), source.problems
    package = _package(source, options)
    return source, package, source.problems + _locate(package.problems, source)


def import_spreadsheet(
    file: str | Path | IO[bytes],
    name: str | None = None,
    options: ImportOptions | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    checked: Progress | None = None,
) -> ImportSummary:
    """Check the file, then write it in one transaction (rolled back when `dry_run`); raise SpreadsheetInvalid.

    The summary says what was (or would be) created, updated and left unchanged per table. `checked` is
    called once reading and checking are done, with the rows to write.
    """
    options = options or ImportOptions()
    if isinstance(file, str | Path):
        with open(file, "rb") as stream:
            return import_spreadsheet(stream, name or Path(file).name, options, dry_run, progress, checked)
    name = name or "spreadsheet"
    source, package, problems = check_spreadsheet(file, name, options)
    if problems:
        raise SpreadsheetInvalid(problems)
    if not source.sheets or not source.rows:
        raise SpreadsheetInvalid([SheetProblem(name, "", None, "", "no rows to import")])
    if checked is not None:
        checked(0, source.rows)
    defaults = Defaults(owner=options.owner, visibility=options.visibility, publication=options.publication)
    try:
        with transaction.atomic():
            summary = Writer(package, defaults, progress).run()
            if options.author is not None and options.author.organisation_ids is not None:
                from .access import check_written_references

                check_written_references(package)
            if dry_run:
                transaction.set_rollback(True)
    except PackageInvalid as error:
        raise SpreadsheetInvalid(_locate(error.problems, source)) from error
    except IntegrityError as error:
        raise SpreadsheetInvalid(
            [SheetProblem(name, "", None, "", f"the database refused the import: {error}")]
        ) from error
    return summary
