"""The `metrodip` command: each command parses its arguments, calls services, and prints."""

import os
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from metrodiplomacy import instance
from metrodiplomacy.cli.output import console

app = typer.Typer(
    help="Metrodiplomacy: the international action of cities, recorded and measured.", no_args_is_help=True
)
load_app = typer.Typer(help="Load bundled data.", no_args_is_help=True)
places_app = typer.Typer(help="Look places up in the database and the gazetteer.", no_args_is_help=True)
import_app = typer.Typer(help="Import data: a data package, or a twinning list.", no_args_is_help=True)
app.add_typer(load_app, name="load")
app.add_typer(places_app, name="places")
app.add_typer(import_app, name="import")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metrodiplomacy.settings")
    import django

    django.setup()


@app.callback()
def main(context: typer.Context) -> None:
    # Rich fixes its width from COLUMNS when the console is created; read it again for every invocation.
    console.width = None
    if context.invoked_subcommand == "init":
        # The key must exist before Django starts: settings refuse to run without one.
        created = instance.ensure_secret_key()
        if created:
            console.print(f"Generated a secret key in {created}")
    setup_django()


def _fail(message: str) -> None:
    console.print(f"[red]{message}[/red]")
    raise typer.Exit(code=1)


@app.command()
def init() -> None:
    """Create the data directory and its secret key, and migrate the database."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    console.print(f"Database ready: {settings.DATABASES['default']['NAME']}")


def _print_problems(problems) -> None:
    table = Table(title=f"{len(problems)} problem(s): nothing was written", show_lines=False)
    for heading in ("file", "row", "column", "reason"):
        table.add_column(heading)
    for problem in problems:
        table.add_row(problem.file, "" if problem.row is None else str(problem.row), problem.column, problem.reason)
    console.print(table)


def _print_summary(summary) -> None:
    table = Table(title="Import summary")
    for heading in ("table", "created", "updated", "unchanged"):
        table.add_column(heading, justify="right" if heading != "table" else "left")
    names = sorted(set(summary.created) | set(summary.updated) | set(summary.unchanged))
    for name in names:
        table.add_row(
            name,
            str(summary.created.get(name, 0)),
            str(summary.updated.get(name, 0)),
            str(summary.unchanged.get(name, 0)),
        )
    console.print(table)


def _import(location: Path, owner_key: str | None, owner_name: str, visibility: str, publication: str) -> None:
    from metrodiplomacy.actors.services import ensure_owner_organisation
    from metrodiplomacy.importers.datapackage import PackageInvalid, import_package

    owner = ensure_owner_organisation(owner_key, owner_name) if owner_key else None
    with console.status(f"Checking and importing {location} …"):
        try:
            summary = import_package(location, owner=owner, visibility=visibility, publication=publication)
        except PackageInvalid as error:
            _print_problems(error.problems)
            raise typer.Exit(code=1) from error
    _print_summary(summary)


@load_app.command("casestudies")
def load_casestudies(
    once: bool = typer.Option(False, help="Do nothing when the case studies were loaded before (for make run)."),
) -> None:
    """Load the bundled case studies (idempotent: a second run changes nothing)."""
    from django.conf import settings

    from metrodiplomacy.evidence.models import CaseStudy

    if once and CaseStudy.objects.filter(owner__key=settings.CASESTUDIES_OWNER).exists():
        console.print("The case studies are already loaded.")
        return

    _import(
        settings.CASESTUDIES_DIR,
        settings.CASESTUDIES_OWNER,
        "Metrodiplomacy case studies",
        "public",
        "published",
    )


@import_app.command("package")
def import_(
    directory: Path = typer.Argument(..., exists=True, help="A data package folder or zip archive."),
    owner: str = typer.Option(
        "", help="Key of the organisation owning rows that name no owner (created if new); none when empty."
    ),
    visibility: str = typer.Option("private", help="private, workspace or public, for rows that do not say."),
    publish: bool = typer.Option(False, help="Mark the imported records published rather than draft."),
) -> None:
    """Import a data package through the same checks as the bundled case studies."""
    if visibility not in {"private", "workspace", "public"}:
        _fail("--visibility must be private, workspace or public")
    _import(
        directory,
        owner or None,
        (owner or "").replace("-", " ").capitalize(),
        visibility,
        "published" if publish else "draft",
    )


@app.command()
def check(
    directory: Path = typer.Argument(..., exists=True, help="A data package folder or zip archive."),
) -> None:
    """Check a data package and list every problem, without writing anything."""
    from metrodiplomacy.importers.datapackage import check_package_at

    problems = check_package_at(directory)
    if problems:
        _print_problems(problems)
        raise typer.Exit(code=1)
    console.print(f"{directory}: no problems found.")


class ExportGroup(TyperGroup):
    """`metrodip export DIR` still writes the data package: a first word that names no subcommand is a folder."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["package", *args]
        return super().resolve_command(ctx, args)


export_app = typer.Typer(
    cls=ExportGroup,
    help="Export data: the database as a data package (the default), import templates, open data, IATI activities.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")


@export_app.command("package")
def export(directory: Path = typer.Argument(..., help="Folder to write the data package into.")) -> None:
    """Write the whole database as a data package (CSV files and datapackage.json)."""
    from metrodiplomacy.importers.datapackage.exporter import export_package

    counts = export_package(directory)
    console.print(f"Wrote {sum(counts.values())} rows in {len(counts)} tables to {directory}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    # Four, not more: the work is CPU-bound under one GIL, and more threads only queue on SQLite's write lock,
    # whose busy handler sleeps (bench/load.py: 8 threads 52.6 writes/s, 4 threads 61.3, reads faster too).
    threads: int = typer.Option(4, help="Worker threads."),
) -> None:
    """Serve the web application with gunicorn (static files served by the app itself)."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    # SQLite: one process with threads (several writer processes risk the WAL-reset bug, DESIGN.md §6).
    workers = "1" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else str(os.cpu_count() or 2)
    console.print(f"Serving on http://{host}:{port}/")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(
        str(gunicorn),
        [
            str(gunicorn),
            "metrodiplomacy.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            workers,
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            # A feed's secret is in its address: the access log masks it (and any other secret parameter).
            "--logger-class",
            "metrodiplomacy.access_log.RedactedAccessLogger",
        ],
    )


@app.command()
def createuser(
    username: str = typer.Argument(...),
    email: str = typer.Option("", help="E-mail address."),
    staff: bool = typer.Option(True, help="May use the admin."),
    superuser: bool = typer.Option(True, help="Has every permission."),
) -> None:
    """Create a user; the password is asked for twice (or read from METRODIP_PASSWORD)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import ValidationError, validate_password

    User = get_user_model()
    if User.objects.filter(username=username).exists():
        _fail(f"A user called {username!r} already exists.")
    password = os.environ.get("METRODIP_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        _fail(" ".join(error.messages))
    User.objects.create_user(username, email=email, password=password, is_staff=staff, is_superuser=superuser)
    console.print(f"Created user {username}.")


@places_app.command("search")
def places_search(name: str, limit: int = typer.Option(15, help="How many results at most.")) -> None:
    """Search places by name in the database and in the GeoNames gazetteer."""
    from metrodiplomacy.places import gazetteer
    from metrodiplomacy.places.queries import search_places

    stored = list(search_places(name, limit))
    table = Table(title=f"Places matching {name!r}")
    for heading in ("in database", "name", "kind", "country", "population", "GeoNames id"):
        table.add_column(heading)
    seen = set()
    for place in stored:
        seen.add(place.geonames_id)
        country = place.country.iso2 if place.country_id else (place.iso2 or "")
        table.add_row(
            place.key,
            place.name,
            place.kind,
            country,
            f"{place.population or ''}",
            str(place.geonames_id or ""),
        )
    for city in gazetteer.search_cities(name, limit):
        if city.geonames_id not in seen:
            table.add_row("", city.name, "city", city.country_iso2, str(city.population), str(city.geonames_id))
    if not table.rows:
        _fail(f"No place matches {name!r}.")
    console.print(table)


@app.command()
def show(city: str = typer.Argument(..., help="Name or key of a city, metropolis or country.")) -> None:
    """Print a place's profile: statistics, units, agreements, networks, initiatives… each with its citations."""
    from metrodiplomacy.observatory.profiles import build_profile
    from metrodiplomacy.observatory.text import describe
    from metrodiplomacy.places.queries import find_place
    from metrodiplomacy.records import OPERATOR

    place = find_place(city)
    if place is None:
        _fail(f"No place called {city!r} in the database. Try `metrodip places search {city}`.")
    profile = build_profile(place, OPERATOR)
    country = f", {place.country}" if place.country_id else ""
    console.rule(f"[bold]{place.name}[/bold] ({place.get_kind_display()}{country})")
    notes: list[str] = []
    numbers: dict[int, int] = {}
    for title, items in profile.sections.items():
        if not items:
            continue
        console.print(f"\n[bold underline]{title.capitalize()}[/bold underline]")
        for obj in items:
            marks = []
            for citation in profile.cited(obj):
                if citation.pk not in numbers:
                    numbers[citation.pk] = len(numbers) + 1
                    notes.append(
                        f"[{numbers[citation.pk]}] {citation.source.title} — {citation.locator}: {citation.note}"
                    )
                marks.append(str(numbers[citation.pk]))
            flag = " [yellow](flagged: " + escape(obj.flag) + ")[/yellow]" if getattr(obj, "flag", "") else ""
            cites = escape(f"[{', '.join(marks) or 'uncited'}]")
            console.print(f"  • {escape(describe(obj))} [dim]{cites}[/dim]{flag}", highlight=False)
    if notes:
        console.print("\n[bold underline]Citations[/bold underline]")
        for note in notes:
            console.print(f"  {escape(note)}", highlight=False)


# The framework commands live in their own modules and register themselves on `app`.
from metrodiplomacy.cli import (  # noqa: E402, F401
    backup,
    comparative,
    coordination,
    frameworks,
    iati,
    networks,
    profiles,
    report,
    sheets,
    tokens,
    twinning,
)

if __name__ == "__main__":
    app()
