"""The annual accountability report: contents computed from the data, HTML and PDF, nothing fetched, fast."""

import io
import socket
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import include, path

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.actors.services import ensure_owner_organisation
from metrodiplomacy.cli.report import DEMO_RESULTS_DIR
from metrodiplomacy.importers.datapackage import check_package_at, import_package
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import OPERATOR
from metrodiplomacy.reports.gather import build_report
from metrodiplomacy.reports.render import RefusedFetch, local_only_fetcher, render_html, render_pdf

urlpatterns = [
    path("workspace/results/", include("metrodiplomacy.strategy.urls")),
    path("reports/", include("metrodiplomacy.reports.urls")),
    path("", include("metrodiplomacy.urls")),
]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The case studies and the demonstration results, loaded once for the module and rolled back after it."""
    from django.db import transaction

    from tests.conftest import ensure_codelists

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_codelists()
        owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
        for location in (settings.CASESTUDIES_DIR, DEMO_RESULTS_DIR):
            import_package(location, owner=owner, visibility="public", publication="published")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def amb(demo, db):
    return Organisation.objects.get(key="amb")


@pytest.fixture(scope="module")
def public_report(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return build_report(Organisation.objects.get(key="amb"), 2019, AnonymousUser(), audience="public")


def test_the_demo_package_is_valid_and_every_invented_row_is_flagged_illustrative(db):
    import csv

    problems = check_package_at(DEMO_RESULTS_DIR)
    assert [p for p in problems if "unknown" not in p.reason] == []  # references resolve once case studies load
    for table in DEMO_RESULTS_DIR.glob("*.csv"):
        if table.name in {"citations.csv", "externalities.csv"}:
            continue
        for row in csv.DictReader(table.open(encoding="utf-8")):
            assert row["flag"].startswith("Illustrative"), (table.name, row["id"])


def test_the_report_states_what_was_done_abroad_from_the_records(public_report):
    networks = {row["name"] for row in public_report.memberships}
    assert {"MedCities", "ACR+"} <= networks
    assert any("Maputo" in row["name"] and row["illustrative"] for row in public_report.engagements)
    assert all(row["date"].startswith("2019") for row in public_report.engagements)
    assert {row["name"] for row in public_report.projects} == {
        "AMB bilateral relations and technical cooperation with non-European metropolitan areas"
    }


def test_the_report_computes_what_it_cost_and_the_cooperation_ratio(public_report):
    assert public_report.unit_totals["staff"] == 18
    (ratio,) = public_report.cooperation_ratios
    # 1.5 million EUR of cooperation over an (illustrative) total budget of about 214 million EUR.
    assert ratio["how"] == "computed" and ratio["ratio"] == pytest.approx(0.7, abs=0.01)
    assert ratio["reaches_target"]


def test_the_public_report_keeps_only_approved_values(public_report, amb):
    rows = {row["indicator"]: row for row in public_report.progress.records()}
    # The 2019 delegations value is still submitted: the public report does not state it.
    assert rows["Foreign delegations received"]["observed"] is None
    assert rows["Foreign investment projects supported"]["observed"] == 51
    assert rows["Foreign investment projects supported"]["% of the way"] == 76.5
    internal = build_report(amb, 2019, OPERATOR, audience="workspace")
    rows = {row["indicator"]: row for row in internal.progress.records()}
    assert rows["Foreign delegations received"]["observed"] == 29
    assert rows["Foreign delegations received"]["approval"] == "submitted"


def test_the_report_registers_externalities_with_their_indicators_and_measures(public_report):
    register = {row["name"]: row for row in public_report.externalities}
    pollution = register["Air pollution from the port, the airport and logistics"]
    assert pollution["is_measured"] and "Port of Barcelona" in pollution["drivers"]
    assert {m["name"] for m in pollution["measures"]} == {
        "Low-emission zone inside the ring roads",
        "Shore power for ships at berth",
    }
    assert not register["Loss of local identity in the most visited neighbourhoods"]["is_measured"]
    trends = {row["indicator"]: row for row in public_report.externality_trends.records()}
    assert trends["Average rent in central districts"]["reading"] == "worsening"


def test_every_cited_record_has_its_numbered_source(public_report):
    assert public_report.sources
    numbers = [source["number"] for source in public_report.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = {int(n) for row in public_report.externalities for n in row["cite"].split(", ") if n}
    assert cited <= set(numbers)
    assert any(source["locator"].endswith("line 351") for source in public_report.sources)


def test_the_html_report_has_its_parts_and_marks_illustrative_values(public_report):
    html = render_html(public_report)
    for heading in ("Contents", "What was done abroad", "What it cost", "What it achieved", "Sources and notes"):
        assert heading in html
    assert "illustrative" in html and "they are not facts" in html
    assert "0.7 %" in html and "76.5 %" in html
    assert "data:image/svg+xml;base64," in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_the_pdf_renders_legible_pages_without_fetching_anything(public_report, monkeypatch):
    import pypdfium2

    def no_network(*args, **kwargs):
        raise AssertionError("the report tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = local_only_fetcher()
    started = time.perf_counter()
    pdf = render_pdf(public_report, fetcher=fetcher)
    elapsed = time.perf_counter() - started
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == []
    assert elapsed < 10, f"the PDF took {elapsed:.1f} s"
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    assert 10 <= len(document) <= 30
    # The contents page lists every part with its page number (CSS target-counter).
    contents = document[1].get_textpage().get_text_range()
    assert "What it achieved" in contents and any(char.isdigit() for char in contents)
    cover = document[0].get_textpage().get_text_range()
    assert "Àrea Metropolitana de Barcelona" in cover
    page = document[5].render(scale=1).to_pil().convert("L")
    ink = sum(page.histogram()[:128])  # dark pixels
    assert ink > 2000, "a report page came out blank"


def test_the_fetcher_refuses_every_address_that_is_not_a_data_uri():
    fetcher = local_only_fetcher()
    with pytest.raises(RefusedFetch):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(RefusedFetch):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.refused == ["https://example.org/logo.png", "file:///etc/passwd"]


def test_a_metropolis_report_covers_every_organisation_homed_there(demo, db):
    place = Place.objects.get(key="barcelona-metropolitan-area")
    report = build_report(place, 2019, AnonymousUser())
    names = {row["name"] for row in report.organisations}
    assert {"Àrea Metropolitana de Barcelona", "Barcelona City Council", "Port of Barcelona"} <= names
    assert "Side effects of the major hosted events and the platform economy" in {
        row["name"] for row in report.externalities
    }


def test_the_public_report_page_and_its_downloads(client, demo, db):
    started = time.perf_counter()
    page = client.get("/reports/amb/2019/")
    assert page.status_code == 200 and b"What it achieved" in page.content
    assert time.perf_counter() - started < 10
    pdf = client.get("/reports/amb/2019/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].endswith('amb-2019-public.pdf"')
    assert client.get("/reports/amb/2019/?format=docx").status_code == 404
    assert client.get("/reports/no-such-organisation/2019/").status_code == 404


def test_a_private_organisation_has_no_public_report(client, personas):
    assert client.get("/reports/org-a/2019/").status_code == 404


def test_the_workspace_report_is_for_the_organisations_members(client, personas):
    client.force_login(personas["viewer"])
    response = client.get("/workspace/results/report/org-a/2019/")
    assert response.status_code == 200 and b"not for publication" in response.content
    client.force_login(personas["outsider"])
    assert client.get("/workspace/results/report/org-a/2019/").status_code == 404
    client.logout()
    assert client.get("/workspace/results/report/org-a/2019/").status_code == 302


def test_the_workspace_report_includes_workspace_records(client, personas):
    from metrodiplomacy.strategy.models import Externality

    Externality.objects.create(
        key="c-shared-externality",
        owner=personas["org_c"],
        organisation=personas["org_a"],
        visibility="workspace",
        name="Noise from the fairground",
        kind="other",
        driver="fairs",
    )
    client.force_login(personas["viewer"])
    assert b"Noise from the fairground" not in client.get("/workspace/results/report/org-a/2019/").content
    personas["org_a"].workspaces.first().organisations.add(personas["org_c"])
    assert b"Noise from the fairground" in client.get("/workspace/results/report/org-a/2019/").content
