"""`metrodip report`: the annual accountability report of an organisation or a metropolis, in HTML or PDF;
and `metrodip load demo-results`, the clearly marked illustrative values that make the demonstration report
read like a finished annual review."""

import enum
import time
from pathlib import Path

import typer

from metrodiplomacy.cli import _import, app, load_app
from metrodiplomacy.cli.output import console

DEMO_RESULTS_DIR = Path(__file__).resolve().parent.parent / "datasets" / "demo-results"


class ReportFormat(enum.StrEnum):
    pdf = "pdf"
    html = "html"


class Audience(enum.StrEnum):
    public = "public"
    internal = "internal"


@app.command("report")
def report_command(
    subject: str = typer.Argument(..., help="Key of an organisation, or key or name of a place (its metropolis)."),
    year: int = typer.Option(..., "--year", min=1000, max=2200, help="The year reported on."),
    fmt: ReportFormat = typer.Option(ReportFormat.pdf, "--format", help="pdf or html (a standalone document)."),
    output: Path = typer.Option(..., "--output", help="File to write."),
    audience: Audience = typer.Option(
        Audience.public,
        "--audience",
        help="public: public, published records and approved values only (what may be published); "
        "internal: every record in the database, values under review included, marked as not for publication.",
    ),
) -> None:
    """Write the annual accountability report of an organisation, or of every organisation homed in a place."""
    from django.contrib.auth.models import AnonymousUser

    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.places.queries import find_place
    from metrodiplomacy.records import OPERATOR
    from metrodiplomacy.reports.gather import build_report
    from metrodiplomacy.reports.render import render_html, render_pdf

    reader = AnonymousUser() if audience == Audience.public else OPERATOR
    subject_record = Organisation.objects.filter(key=subject).first() or find_place(subject)
    if subject_record is None:
        console.print(f"[red]No organisation or place called {subject!r}. Try `metrodip places search`.[/red]")
        raise typer.Exit(code=1)
    if audience == Audience.public and isinstance(subject_record, Organisation) and not subject_record.is_public:
        console.print(f"[red]{subject_record.name} is not public: use --audience internal.[/red]")
        raise typer.Exit(code=1)
    started = time.perf_counter()
    with console.status(f"Writing the {year} report of {subject_record.name} …"):
        report = build_report(
            subject_record, year, reader, audience="public" if audience == Audience.public else "workspace"
        )
        data = render_pdf(report) if fmt == ReportFormat.pdf else render_html(report).encode("utf-8")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    console.print(
        f"Wrote {output} ({len(data) // 1024} KiB, {fmt.value}) in {time.perf_counter() - started:.1f} s: "
        f"{len(report.indicators)} indicators, {len(report.externalities)} externalities, "
        f"{len(report.sources)} citations."
    )


@load_app.command("demo-results")
def load_demo_results() -> None:
    """Load the demonstration results framework (AMB): every invented value is flagged "Illustrative".

    Loads the bundled case studies first when they are missing (the demonstration builds on them).
    """
    from django.conf import settings

    from metrodiplomacy.evidence.models import CaseStudy

    if not CaseStudy.objects.filter(owner__key=settings.CASESTUDIES_OWNER).exists():
        _import(
            settings.CASESTUDIES_DIR, settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies", "public", "published"
        )
    _import(DEMO_RESULTS_DIR, settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies", "public", "published")
