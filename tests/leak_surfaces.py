"""What the leak scanner reads (issue #15), as whom, and how it tells a leak: `tests/test_leak_scanner.py` runs it.

Every answer is read as text: HTML, JSON, CSV and XML as they come, a calendar with its lines unfolded, a PDF by
its text, a workbook by its cells, a zip by each of its files, and the drawings a page embeds as `data:` addresses.
A marker (`mk<n>x`, see `tests/leak_fixture.py`) found there is a leak when the reader may not read every record
it belongs to, by `test_visibility_counts.may_read` (the documented rule, written apart from the app's gate). A
marker the request itself carried (a key in the address) is not counted: the reader sent it.

Who reads what, to stay within a couple of minutes:

- every persona but staff (staff may read every record, so nothing can leak to it) reads the portal, the API
  lists, search, the hubs' pages, the workspace and the coordination space of its workspace;
- the pages of a referring record are read by the personas that may read it but not what it points at: its API
  detail and portal page by anonymous and editor_b; its history by editor_b, or editor_c when editor_b may read
  the target; its delete form (which names it) by editor_b when the record is public, and its edit form when the
  target is a private draft that was never public; a citation, by the first of them, and not in history or
  delete pages, which do not show citations; base records only through lists and their portal pages;
- what is the same for every reader is read once or twice: the public report (built for an anonymous reader
  whoever asks: HTML of A's, B's and the city's by anonymous and editor_b, PDF of the city's, which covers A and
  B, by anonymous), the CSV twins of the place and hub pages (one table per answer, each also in the JSON twin
  every persona reads: anonymous, five tables of the place) and the open-data downloads (three entities as CSV
  and XLSX by anonymous; every entity in the zip, read by every persona, and in `metrodip export opendata`).
"""

from __future__ import annotations

import base64
import io
import re
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tests.leak_fixture import Holder, LeakWorld, Made, Marker
from tests.personas import PERSONAS
from tests.test_visibility_counts import may_read
from tests.visibility_map import VISIBILITY_MAP, Absent

YEAR = 2024
MARKER = re.compile(r"mk(\d+)x", re.IGNORECASE)
# Random secrets in an answer (CSRF tokens are 64 letters and digits) can hold "mk2x" by chance: a marker is never
# part of so long a run, so such runs are blanked before the markers are read.
RANDOM_RUN = re.compile(r"[A-Za-z0-9]{32,}")
# Staff may read every record (docs/security.md): nothing it is shown can leak, so it is not read.
READERS = tuple(persona for persona in PERSONAS if persona != "staff")
EDITORS = {"editor_a": "a", "admin_a": "a", "editor_b": "b", "editor_c": "c"}


def may_see(persona: str, holder: Holder) -> bool:
    return may_read(persona, holder.owner, holder.visibility, holder.publication)


@dataclass(frozen=True)
class Leak:
    persona: str
    surface: str
    marker: Marker

    def __str__(self) -> str:
        holders = " and ".join(str(h) for h in self.marker.holders)
        return f"{self.persona} · {self.surface} · {self.marker.text} ({self.marker.where}) of {holders}"


def markers_in(text: str) -> set[str]:
    return {f"mk{number}x" for number in MARKER.findall(RANDOM_RUN.sub(" ", text))}


def leaks_in(world: LeakWorld, persona: str, surface: str, text: str, sent: str = "") -> list[Leak]:
    """The markers in the text of records the persona may not read (all holders of a marker must be readable)."""
    return [
        Leak(persona, surface, world.markers[found])
        for found in sorted(markers_in(text) - markers_in(sent))
        if found in world.markers and not all(may_see(persona, h) for h in world.markers[found].holders)
    ]


_KEYS = re.compile(r"k-mk\d+x|was-public-\d+|stakeholder-\d+|case-source-\d+|(?<=table=)\d+|(?<=\?ref=).*")


def leak_report(leaks: list[Leak]) -> str:
    """The distinct leaks, grouped by the surface (keys left out) and the reference kind that made the marker,
    with one example each and how many answers and markers the group holds."""
    groups: dict[tuple[str, str], list[Leak]] = defaultdict(list)
    for leak in leaks:
        groups[_KEYS.sub("…", leak.surface), leak.marker.case.split(":")[0]].append(leak)
    lines = [f"{len(leaks)} leaks in {len(groups)} groups (surface · reference kind: count; one example):"]
    for (surface, kind), found in sorted(groups.items()):
        lines.append(f"- {surface} · {kind}: {len(found)}")
        lines.append(f"    e.g. {found[0]} · {found[0].marker.case}")
    return "\n".join(lines)


# --- reading an answer as text ---

DATA_URI = re.compile(r"data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)")


def pdf_text(body: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(body))
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)


def body_text(body: bytes) -> str:
    """What a reader could see in a body (see the module's doc)."""
    if body.startswith(b"%PDF"):
        return pdf_text(body)
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            if "xl/workbook.xml" in archive.namelist():
                return xlsx_text(body)
            return "\n".join(body_text(archive.read(name)) for name in archive.namelist())
    text = body.decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "")
    drawings = [base64.b64decode(found).decode("utf-8", "replace") for found in DATA_URI.findall(text)]
    return "\n".join([text, *drawings])


def signed_in_client(world: LeakWorld, persona: str):
    """The persona's client, signed in with the second factor given (as `conftest.force_login_is_a_full_sign_in`
    does for a test; this one also serves the module's scan, outside any test). A server error is answered as
    a 500, not raised, so that one broken page does not hide the rest of the scan."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client(raise_request_exception=False)
    if world.cast.users[persona] is not None:
        client.force_login(world.cast.users[persona])
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = "tests.force_login"
        session.save()
    return client


class Scanner:
    """Reads addresses as personas; keeps the leaks, the number of answers, their statuses and the routes read."""

    def __init__(self, world: LeakWorld, personas=READERS):
        self.world = world
        self.clients = {persona: signed_in_client(world, persona) for persona in personas}
        self.leaks: list[Leak] = []
        self.answers = 0
        self.statuses: dict[int, int] = defaultdict(int)
        self.routes: set[str] = set()
        self.errors: list[str] = []  # answers ≥ 500: the scan goes on, a test reports them

    def check(self, persona: str, surface: str, text: str, sent: str = "") -> None:
        self.leaks.extend(leaks_in(self.world, persona, surface, text, sent))

    def read(self, persona: str, address: str, **params) -> int:
        from django.urls import resolve

        response = self.clients[persona].get(address, params)
        self.answers += 1
        self.statuses[response.status_code] += 1
        self.routes.add(resolve(address).route)
        if response.status_code >= 500:
            self.errors.append(f"{persona} · {address} {params or ''} · {response.status_code}")
        if response.status_code == 200:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            query = "&".join(f"{k}={v}" for k, v in params.items())
            surface = address + (f"?{query}" if query else "")
            self.check(persona, surface, body_text(body), sent=surface)
        return response.status_code

    def read_tables(self, persona: str, address: str, most: int = 60) -> None:
        """A page's CSV twin: every table (`?table=N`, at most `most`) until the page says there is none."""
        for number in range(most):
            if self.read(persona, address, table=number) != 200:
                return


# --- the surfaces ---


def api_path(label: str) -> str | None:
    path = VISIBILITY_MAP.get(label, {}).get("api_list")
    return None if path is None or isinstance(path, Absent) else path


def workspace_slug(label: str) -> str | None:
    from metrodiplomacy.workspaces.kinds import KINDS

    return next((slug for slug, kind in KINDS.items() if kind.model._meta.label == label), None)


def portal_pages(label: str, key: str) -> list[str]:
    """The portal's own page of a record, when it has one (its twins are read beside it)."""
    return {"actors.Organisation": [f"/organisations/{key}"], "evidence.Source": [f"/sources/{key}"]}.get(label, [])


def blind(made: Made) -> tuple[str, ...]:
    """The personas that may read a referring record but not what it points at: those it could leak to."""
    return tuple(p for p in READERS if may_see(p, made.holder) and not may_see(p, made.target))


def scan_referrer_pages(scan: Scanner, world: LeakWorld) -> None:
    """Each referring record's pages, read by the personas it could leak to (see the module's doc)."""
    from metrodiplomacy.evidence.models import Citation

    for made in world.group("referrer"):
        label, key, outsiders = made.holder.label, made.holder.key, blind(made)
        # A citation is shown with its record, not in the record's history nor in its name (the delete form).
        cited = "citations" in made.case.split(":")[0]
        for persona in {"anonymous", "editor_b"} & set(outsiders):
            if (path := api_path(label)) is not None:
                scan.read(persona, f"{path}/{key}")
            for page in portal_pages(label, key):
                scan.read(persona, page + "/")
                scan.read(persona, page + ".json")
        if cited:
            for citation in Citation.objects.filter(object_id=made.record.pk, source__key=made.target.key):
                scan.read(outsiders[0], f"/api/v1/citations/{citation.pk}")
        signed_in = "editor_b" if "editor_b" in outsiders else "editor_c" if "editor_c" in outsiders else None
        slug = workspace_slug(label)
        if slug and signed_in and not cited:
            scan.read(signed_in, f"/workspace/{slug}/{key}/history/")
        if slug and "editor_b" in outsiders and made.holder.owner == "b" and made.holder.visibility == "public":
            if not cited:
                scan.read("editor_b", f"/workspace/{slug}/{key}/delete/")
            # The form is the slowest page: read where the target is a private draft (not the renamed one).
            if (made.target.visibility, made.target.publication) == ("private", "draft") and "renamed" not in made.case:
                scan.read("editor_b", f"/workspace/{slug}/{key}/")
        if label == "strategy.Observation" and signed_in:
            scan.read(signed_in, f"/workspace/results/values/{key}/")
        if label == "coordination.CoordinationMechanism" and "editor_b" in outsiders:
            scan.read("editor_b", f"/workspace/coordination/space-ab/mechanisms/{key}/")


def scan_hub_pages(scan: Scanner, world: LeakWorld, persona: str) -> None:
    """The pages of the public records everything else points at, and the portal pages of every base record:
    a page that lists what points at it must leave out what the reader may not see."""
    for made in world.group("hub"):
        label, key = made.holder.label, made.holder.key
        if (path := api_path(label)) is not None:
            scan.read(persona, f"{path}/{key}")
        if (slug := workspace_slug(label)) and persona != "anonymous":
            scan.read(persona, f"/workspace/{slug}/{key}/history/")
        if label == "strategy.Observation" and persona != "anonymous":
            scan.read(persona, f"/workspace/results/values/{key}/")
        if label == "coordination.CoordinationMechanism" and persona != "anonymous":
            scan.read(persona, f"/workspace/coordination/space-ab/mechanisms/{key}/")
    for made in [*world.group("hub"), *world.group("base")]:
        if may_see(persona, made.holder):
            for page in portal_pages(made.holder.label, made.holder.key):
                scan.read(persona, page + "/")
                scan.read(persona, page + ".json")
                if made.group == "hub" and persona == "anonymous":
                    scan.read_tables(persona, page + ".csv")


def scan_portal(scan: Scanner, world: LeakWorld, persona: str) -> None:
    """The public portal: home, places, comparison, matrix, sources, search, twinning, open data, reports."""
    for page in ("/", "/index.json", "/matrix/", "/matrix.json", "/sources/", "/sources.json", "/twinning/"):
        scan.read(persona, page)
    scan.read(persona, "/twinning.json")
    for place in ["leak-city", "lk"] if persona == "anonymous" else ["leak-city"]:
        scan.read(persona, f"/places/{place}/")
        scan.read(persona, f"/places/{place}.json")
        scan.read(persona, f"/twinning/{place}/")
        scan.read(persona, f"/twinning/{place}.json")
    if persona == "anonymous":
        scan.read_tables(persona, "/places/leak-city.csv", 5)
    case_place = next(m.record.place.key for m in world.group("base") if m.holder.label == "evidence.CaseStudy")
    for fmt in ("/", ".json"):
        scan.read(persona, f"/compare{fmt}", place=["leak-city", case_place])
    for fmt in ("/", ".json", ".csv"):
        scan.read(persona, f"/search{fmt}", q="mk")
    for page in ("/open-data/", "/open-data.json", "/open-data/metrodiplomacy-open-data.zip"):
        scan.read(persona, page)
    if persona == "anonymous":
        from metrodiplomacy.importers.spreadsheet.open_data import open_data_tables

        # Each download computes every table again; the zip (every persona) and the command (every entity, CSV
        # and XLSX) hold the same rows, so three entities stand for the routes.
        for table in open_data_tables()[:3]:
            scan.read(persona, f"/open-data/{table.name}.csv")
            scan.read(persona, f"/open-data/{table.name}.xlsx")
    if persona in ("anonymous", "editor_b"):
        for subject in ("org-a", "org-b", "leak-city"):
            scan.read(persona, f"/reports/{subject}/{YEAR}/")
            scan.read(persona, f"/reports/{subject}/{YEAR}/", format="html")
        if persona == "anonymous":
            # The city's report covers every organisation homed there: A and B.
            scan.read(persona, f"/reports/leak-city/{YEAR}/", format="pdf")


def scan_api(scan: Scanner, world: LeakWorld, persona: str) -> None:
    """Every API list (500 a page, every page), the places, twinning, budgets and IATI files."""
    paths = {api_path(label) for label in VISIBILITY_MAP} | {"/api/v1/places", "/api/v1/citations"}
    for path in sorted(p for p in paths if p):
        offset = 0
        while True:
            response = scan.clients[persona].get(path, {"limit": 500, "offset": offset})
            scan.answers += 1
            scan.statuses[response.status_code] += 1
            scan.routes.add(path.removeprefix("/"))
            if response.status_code != 200:
                scan.errors.append(f"{persona} · {path}?offset={offset} · {response.status_code}")
                break
            scan.check(persona, f"{path}?offset={offset}", response.content.decode())
            offset += 500
            if offset >= response.json()["count"]:
                break
    for address in ("/api/v1/places/leak-city", "/api/v1/twinning/stats", "/api/v1/twinning/top"):
        scan.read(persona, address)
    scan.read(persona, "/api/v1/twinning/cities/leak-city")
    for organisation in ("org-a", "org-b"):
        scan.read(persona, f"/api/v1/cooperation/budget/{organisation}")
        scan.read(persona, f"/api/v1/cooperation/iati/{organisation}.xml")
    if persona == "anonymous":
        for page in ("/api/v1/", "/api/v1/openapi.json", "/api/v1/docs"):
            scan.read(persona, page)


def scan_workspace(scan: Scanner, world: LeakWorld, persona: str) -> None:
    """The workspace: dashboard, members, each kind's list and new-record form, imports, results and reports."""
    from metrodiplomacy.workspaces.kinds import KINDS

    for page in ("/workspace/", "/workspace/members/", "/workspace/import/", "/workspace/iati/", "/workspace/results/"):
        scan.read(persona, page)
    for slug in KINDS:
        scan.read(persona, f"/workspace/{slug}/")
        if persona in ("editor_a", "editor_b", "editor_c"):
            # The form's choices: the records this editor may pick (admin_a's are editor_a's).
            scan.read(persona, f"/workspace/{slug}/new/")
    if persona in ("editor_b", "editor_c"):
        scan.read(persona, "/workspace/import/templates/organisations.csv")
        scan.read(persona, "/workspace/import/templates/metrodiplomacy-template.xlsx")
    for organisation in ("org-a", "org-b"):
        report = scan.read(persona, f"/workspace/results/report/{organisation}/{YEAR}/")
        if report == 200 and persona in ("editor_a", "editor_b"):
            scan.read(persona, f"/workspace/results/report/{organisation}/{YEAR}/", format="pdf")


def scan_coordination(scan: Scanner, world: LeakWorld, persona: str) -> None:
    """The coordination space of each workspace: overview, registry, agendas, findings, calendar and feeds,
    who does what, networks, mechanisms, and the records page asked for every base record's key."""
    from metrodiplomacy.workspaces.kinds import KINDS

    scan.read(persona, "/workspace/coordination/")
    slugs = {kind.model._meta.label: slug for slug, kind in KINDS.items()}
    slugs["coordination.StakeholderAgenda"] = "stakeholder-agendas"
    refs = [f"{slugs[m.holder.label]}:{m.holder.key}" for m in world.group("base") if m.holder.label in slugs]
    for workspace in world.cast.workspaces.values():
        base = f"/workspace/coordination/{workspace.key}"
        if scan.read(persona, f"{base}/") != 200:
            continue
        for page in ("stakeholders/", "findings/", "calendar/", "who-does-what/", "networks/", "mechanisms/"):
            scan.read(persona, f"{base}/{page}")
        for page in ("findings/", "who-does-what/", "networks/"):
            scan.read(persona, f"{base}/{page}", format="json")
            scan.read(persona, f"{base}/{page}", format="csv")
        scan.read(persona, f"{base}/calendar/", view="list", month=f"{YEAR}-05")
        scan.read(persona, f"{base}/calendar.ics")
        # A's, B's (or C's) own and one stakeholder of the workspace: their feeds and agenda forms.
        for organisation in workspace.organisations.order_by("key").values_list("key", flat=True)[:3]:
            scan.read(persona, f"{base}/organisations/{organisation}/calendar.ics")
            scan.read(persona, f"{base}/agendas/{organisation}/")
        for start in range(0, len(refs), 200):
            scan.read(persona, f"{base}/records/", ref=refs[start : start + 200])


def scan_command_line(scan: Scanner, world: LeakWorld) -> None:
    """What `metrodip export iati` and `metrodip export opendata` write: public data, so read as anonymous."""
    from django.utils import timezone

    from metrodiplomacy.cooperation.queries import iati_projects_of
    from metrodiplomacy.importers.iati.exporter import export_iati
    from metrodiplomacy.importers.spreadsheet.open_data import write_open_data

    for letter in "ab":
        reporter = world.cast.organisations[letter]
        result = export_iati(reporter, iati_projects_of(reporter), timezone.now())
        scan.check("anonymous", f"metrodip export iati org-{letter}", (result.xml or b"").decode())
    with tempfile.TemporaryDirectory() as folder:
        write_open_data(Path(folder), xlsx=True)
        for path in sorted(Path(folder).iterdir()):
            scan.check("anonymous", f"metrodip export opendata: {path.name}", body_text(path.read_bytes()))


def scan_everything(world: LeakWorld) -> Scanner:
    scan = Scanner(world)
    for persona in READERS:
        scan_portal(scan, world, persona)
        scan_api(scan, world, persona)
        scan_hub_pages(scan, world, persona)
        if persona != "anonymous":
            scan_workspace(scan, world, persona)
            scan_coordination(scan, world, persona)
    scan_referrer_pages(scan, world)
    scan_command_line(scan, world)
    return scan


class PlantedLeak:
    """A middleware that adds to the answer for `path` what `text()` gives: it stands for a view that renders a
    record without asking the gate, so the scanner's tests can plant a leak without touching the app."""

    path = ""
    text = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if PlantedLeak.text is not None and request.path == PlantedLeak.path and not response.streaming:
            response.content = response.content + PlantedLeak.text().encode()
        return response
