"""Printing framework results in the format a command was asked for (table, csv, json, latex, svg, png)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table as RichTable

from metrodiplomacy.analysis.tables import Table, format_cell, is_number

console = Console()


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    latex = "latex"
    svg = "svg"
    png = "png"


FORMAT_OPTION_HELP = "table (on screen), csv, json, latex, or a chart as svg or png."
OUTPUT_OPTION_HELP = "Write to this file instead of standard output (needed for png on a terminal)."


def emit(
    tables: Table | Sequence[Table],
    fmt: Format,
    output: Path | None = None,
    chart: Callable[[str], bytes] | None = None,
) -> None:
    """Print or write tables in `fmt`; `chart(fmt)` draws the figure when svg or png is asked for."""
    tables = [tables] if isinstance(tables, Table) else list(tables)
    if fmt in (Format.svg, Format.png):
        if chart is None:
            console.print("[red]This command has no chart; use --format table, csv, json or latex.[/red]")
            raise typer.Exit(code=2)
        payload = chart(fmt.value)
        _write_bytes(payload, output, binary=fmt is Format.png)
        return
    if fmt is Format.table and output is None:
        for table in tables:
            console.print(rich_table(table))
            for note in table.notes:
                console.print(f"  [dim]* {note}[/dim]", highlight=False)
        return
    if fmt is Format.csv:
        # Several tables in one CSV stream are separated by a blank line, each with its own header.
        text = "\n".join(table.to_csv() for table in tables)
    elif fmt is Format.json:
        data = tables[0].to_dict() if len(tables) == 1 else [table.to_dict() for table in tables]
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt is Format.latex:
        text = "\n".join(table.to_latex() for table in tables)
    else:
        text = "\n".join(table.to_text() for table in tables)
    _write_bytes(text.encode(), output, binary=False)


def rich_table(table: Table) -> RichTable:
    rendered = RichTable(title=table.title, title_justify="left")
    for index, name in enumerate(table.columns):
        numeric = bool(table.rows) and all(is_number(row[index]) or row[index] is None for row in table.rows)
        rendered.add_column(name, justify="right" if numeric else "left")
    for row in table.rows:
        rendered.add_row(*(format_cell(cell) for cell in row))
    return rendered


def _write_bytes(payload: bytes, output: Path | None, binary: bool) -> None:
    if output is not None:
        output.write_bytes(payload)
        console.print(f"Wrote {output}")
        return
    if binary and sys.stdout.isatty():
        console.print("[red]A PNG cannot be printed to a terminal: give --output FILE.[/red]")
        raise typer.Exit(code=2)
    sys.stdout.buffer.write(payload)
    sys.stdout.flush()
