"""`metrodip backup FILE` and `metrodip restore FILE`: the whole database in one file, on SQLite or PostgreSQL."""

from pathlib import Path

import typer
from rich.markup import escape

from metrodiplomacy.cli import app, console


@app.command()
def backup(file: Path = typer.Argument(..., help="The zip archive to write (replaced when it exists).")) -> None:
    """Write a consistent snapshot of the whole database (history, users and tokens included) to FILE."""
    from metrodiplomacy.backup import create_backup

    counts = create_backup(file)
    console.print(f"Wrote {sum(counts.values())} rows in {len(counts)} tables to {escape(str(file))}")


@app.command()
def restore(
    file: Path = typer.Argument(..., help="A zip archive written by `metrodip backup`."),
    replace: bool = typer.Option(False, "--replace", help="Discard the data already in this database."),
) -> None:
    """Check FILE whole, then load it in one transaction: every row comes back, or nothing changes."""
    from metrodiplomacy.backup import BackupRefused, restore_backup

    try:
        counts = restore_backup(file, replace=replace)
    except BackupRefused as error:
        console.print(f"[red]Refused, nothing was changed: {escape(str(error))}[/red]")
        raise typer.Exit(code=1) from error
    console.print(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {escape(str(file))}")
