"""`metrodip import iati`, `metrodip export iati` and `metrodip cooperation …`: IATI 2.03 activity files in and
out, and an organisation's cooperation budget against the 0.7 % commitment."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from metrodiplomacy.cli import app, export_app, import_app
from metrodiplomacy.cli.output import FORMAT_OPTION_HELP, OUTPUT_OPTION_HELP, Format, console, emit

cooperation_app = typer.Typer(help="Cooperation projects: budgets and the 0.7 % ratio, IATI identifiers.")
app.add_typer(cooperation_app, name="cooperation", no_args_is_help=True)


def _organisation(key: str):
    from metrodiplomacy.actors.models import Organisation

    organisation = Organisation.objects.filter(key=key).first()
    if organisation is None:
        console.print(f"[red]No organisation with key {key!r}.[/red]")
        raise typer.Exit(code=1)
    return organisation


@import_app.command("iati")
def import_iati_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="An IATI 2.03 activity file (XML)."),
    owner: str = typer.Option(
        "", help="Key of the organisation owning the projects; by default each activity's reporting organisation."
    ),
    visibility: str = typer.Option("private", help="private, workspace or public, for new records."),
    publish: bool = typer.Option(False, help="Mark new records published rather than draft."),
) -> None:
    """Import an IATI activity file as cooperation projects: all checks first, then one transaction.

    A file that breaks the 2.03 schema or the platform's rules, or declares a DOCTYPE, is refused whole with
    every problem (file, line, element, reason); re-importing a file changes nothing.
    """
    from metrodiplomacy.cli import _print_problems
    from metrodiplomacy.importers.iati import IatiFileInvalid, import_iati

    if visibility not in {"private", "workspace", "public"}:
        console.print("[red]--visibility must be private, workspace or public[/red]")
        raise typer.Exit(code=2)
    organisation = _organisation(owner) if owner else None
    try:
        summary = import_iati(
            file.read_bytes(),
            file.name,
            owner=organisation,
            visibility=visibility,
            publication="published" if publish else "draft",
        )
    except IatiFileInvalid as error:
        _print_problems(error.problems)
        raise typer.Exit(code=1) from error
    emit(summary.table(), Format.table)
    for note in summary.notes:
        console.print(f"  [dim]- {note}[/dim]", highlight=False)


@export_app.command("iati")
def export_iati_command(
    organisation: str = typer.Argument(..., help="Key of the reporting organisation."),
    output: Path = typer.Option(..., "--output", help="The XML file to write."),
) -> None:
    """Write the organisation's published public cooperation projects as an IATI 2.03 activity file."""
    from django.utils import timezone

    from metrodiplomacy.cooperation.queries import iati_projects_of
    from metrodiplomacy.importers.iati.exporter import export_iati

    reporter = _organisation(organisation)
    result = export_iati(reporter, iati_projects_of(reporter), timezone.now())
    for key, reason in result.skipped:
        console.print(f"[yellow]Left out {key}: {reason}[/yellow]")
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")
    if not result.exported:
        console.print(f"[red]{organisation} has no published public cooperation project IATI can describe.[/red]")
        raise typer.Exit(code=1)
    output.write_bytes(result.xml)
    console.print(f"Wrote {len(result.exported)} activities to {output}")


@cooperation_app.command("budget")
def cooperation_budget(
    organisation: str = typer.Argument(..., help="Key of the organisation."),
    target: str = typer.Option("0.7", help="Percent of the total budget expected for cooperation."),
    fmt: Format = typer.Option(Format.table, "--format", help=FORMAT_OPTION_HELP),
    output: Path | None = typer.Option(None, "--output", help=OUTPUT_OPTION_HELP),
) -> None:
    """Total and cooperation budget per year, with the cooperation share against the 0.7 % commitment."""
    from metrodiplomacy.analysis.cooperation import cooperation_budget_table
    from metrodiplomacy.cooperation.inputs import budget_records
    from metrodiplomacy.records import OPERATOR

    try:
        share = Decimal(target)
    except InvalidOperation:
        console.print("[red]--target must be a number of percent, e.g. 0.7[/red]")
        raise typer.Exit(code=2) from None
    found = _organisation(organisation)
    figures, lines = budget_records(found, OPERATOR)
    emit(cooperation_budget_table(found.name, figures, lines, share), fmt, output)


@cooperation_app.command("identifier")
def cooperation_identifier(
    organisation: str = typer.Argument(..., help="Key of the organisation."),
    ref: str = typer.Argument(..., help="Its IATI organisation identifier, e.g. XM-DAC-41114."),
) -> None:
    """Record an organisation's IATI organisation identifier, used by exports and to match imports."""
    from django.core.exceptions import ValidationError

    from metrodiplomacy.cooperation.services import record_organisation_identifier
    from metrodiplomacy.records import OPERATOR
    from metrodiplomacy.writes import Author

    try:
        record_organisation_identifier(Author(OPERATOR, None), _organisation(organisation), ref)
    except ValidationError as error:
        console.print(f"[red]{' '.join(error.messages)}[/red]")
        raise typer.Exit(code=1) from error
    console.print(f"{organisation}: IATI organisation identifier {ref}")
