"""`metrodip import sheet`, `metrodip export template` and `metrodip export opendata`: spreadsheets in and out."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from metrodiplomacy import cli
from metrodiplomacy.cli import export_app, import_app
from metrodiplomacy.cli.output import console


def print_sheet_problems(problems) -> None:
    table = RichTable(title=f"{len(problems)} problem(s): nothing was written")
    for heading in ("file", "sheet", "row", "column", "cell", "reason"):
        table.add_column(heading)
    for problem in problems:
        table.add_row(*(str(value) for value in problem.as_row()))
    console.print(table)


@import_app.command("sheet")
def import_sheet(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV file or an XLSX workbook."),
    entity: str = typer.Option("", help="The entity a CSV file (or a one-sheet workbook) holds, e.g. engagements."),
    owner: str = typer.Option("", help="Key of the organisation owning rows that name no owner (created if new)."),
    visibility: str = typer.Option("private", help="private, workspace or public, for rows that do not say."),
    publish: bool = typer.Option(False, help="Mark the imported records published rather than draft."),
    encoding: str = typer.Option("", help="A CSV file's encoding when not UTF-8/UTF-16: cp1252 or latin-1."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and count what would change; write nothing."),
) -> None:
    """Import a spreadsheet (CSV for one entity, XLSX with a sheet per entity): all or nothing, every problem listed."""
    from metrodiplomacy.actors.services import ensure_owner_organisation
    from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet

    if visibility not in {"private", "workspace", "public"}:
        console.print("[red]--visibility must be private, workspace or public[/red]")
        raise typer.Exit(code=2)
    organisation = ensure_owner_organisation(owner, owner.replace("-", " ").capitalize()) if owner else None
    options = ImportOptions(
        owner=organisation,
        visibility=visibility,
        publication="published" if publish else "draft",
        entity=entity or None,
        encoding=encoding or None,
    )
    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        reading = progress.add_task("Reading and checking", total=None)
        writing: list[int] = []

        def checked(_done: int, total: int) -> None:
            progress.update(reading, total=total, completed=total)
            writing.append(progress.add_task("Checking a dry run" if dry_run else "Writing", total=total))

        def advance(done: int, total: int) -> None:
            if writing:
                progress.update(writing[0], completed=done, total=total)

        try:
            summary = import_spreadsheet(file, file.name, options, dry_run=dry_run, progress=advance, checked=checked)
        except SpreadsheetInvalid as error:
            progress.stop()
            print_sheet_problems(error.problems)
            raise typer.Exit(code=1) from error
    cli._print_summary(summary)
    if dry_run:
        console.print("Dry run: nothing was written.")


@export_app.command("template")
def export_template(
    output: Path = typer.Option(..., "--output", help="File to write (a .csv or .xlsx file)."),
    fmt: str = typer.Option("xlsx", "--format", help="csv (one entity) or xlsx (every entity, or the one named)."),
    entity: str = typer.Option("", help="The entity of a CSV template (and the only sheet of a workbook)."),
) -> None:
    """Write an import template: header row and a help row per entity (XLSX adds a README sheet)."""
    from metrodiplomacy.importers.datapackage.spec import tables
    from metrodiplomacy.importers.spreadsheet.templates import csv_template, xlsx_template

    chosen = [t for t in tables() if t.name == entity] if entity else list(tables())
    if entity and not chosen:
        console.print(f"[red]{entity!r} is not an entity: {', '.join(t.name for t in tables())}[/red]")
        raise typer.Exit(code=2)
    if fmt == "csv":
        if not entity:
            console.print("[red]A CSV template holds one entity: give --entity.[/red]")
            raise typer.Exit(code=2)
        output.write_text(csv_template(chosen[0]), encoding="utf-8")
    elif fmt == "xlsx":
        output.write_bytes(xlsx_template(chosen))
    else:
        console.print("[red]--format must be csv or xlsx[/red]")
        raise typer.Exit(code=2)
    console.print(f"Wrote {output}")


@export_app.command("opendata")
def export_opendata(
    output: Path = typer.Option(..., "--output", help="A folder, or a file ending .zip."),
    xlsx: bool = typer.Option(True, help="Also write one XLSX file per entity (into a folder only)."),
) -> None:
    """Write every public, published record as a Frictionless data package (folder or zip), CSV and XLSX."""
    from metrodiplomacy.importers.spreadsheet.open_data import open_data_tables, open_data_zip, write_open_data

    if output.suffix.lower() == ".zip":
        output.write_bytes(open_data_zip())
        console.print(f"Wrote {output}")
        return
    tables = open_data_tables()
    counts = write_open_data(output, tables, xlsx=xlsx)
    console.print(f"Wrote {sum(counts.values())} public rows in {len(counts)} tables to {output}")
