"""Hostile spreadsheets: zip bombs, huge sheets, wrong encodings, formula injection, arbitrary bytes."""

import codecs
import io
import resource
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrodiplomacy.diplomacy.models import Engagement
from metrodiplomacy.exports import csv_text, is_formula_like, neutralise, unescape_cell, xlsx_row
from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet
from metrodiplomacy.importers.spreadsheet.sources import MAX_ROWS, Source, read_csv, read_xlsx
from metrodiplomacy.importers.spreadsheet.templates import xlsx_template

MEGABYTE = 1024 * 1024


def _workbook_skeleton(archive: zipfile.ZipFile, sheet_name: str = "engagements") -> None:
    """The parts of a minimal XLSX other than its one worksheet."""
    archive.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    archive.writestr(
        "_rels/.rels",
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    archive.writestr(
        "xl/workbook.xml",
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    )


def zip_bomb(path, expanded_megabytes: int = 300):
    """An XLSX whose worksheet inflates to hundreds of megabytes, written in chunks (no big buffer here)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_skeleton(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            chunk = b"A" * MEGABYTE
            for _ in range(expanded_megabytes):
                member.write(chunk)
            member.write(b"</t></is></c></row></sheetData></worksheet>")


def sheet_with_rows(rows: int, declared: int | None) -> io.BytesIO:
    """A one-sheet workbook with `rows` data rows whose dimension declares `declared` rows (or none)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_skeleton(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            dimension = f'<dimension ref="A1:C{declared}"/>' if declared else ""
            member.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + dimension.encode()
                + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
                b'<c r="B1" t="inlineStr"><is><t>kind</t></is></c><c r="C1" t="inlineStr"><is><t>title</t></is></c>'
                b"</row>"
            )
            for number in range(2, rows + 2):
                member.write(
                    f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>e-{number}</t></is></c>'
                    f'<c r="B{number}" t="inlineStr"><is><t>fair</t></is></c>'
                    f'<c r="C{number}" t="inlineStr"><is><t>Fair {number}</t></is></c></row>'.encode()
                )
            member.write(b"</sheetData></worksheet>")
    buffer.seek(0)
    return buffer


def _rss_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.django_db
def test_a_zip_bomb_workbook_is_refused_within_a_second_without_inflating(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    zip_bomb(bomb)
    assert bomb.stat().st_size < 2 * MEGABYTE
    peak_before = _rss_megabytes()
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(SpreadsheetInvalid) as caught:
        import_spreadsheet(bomb, "bomb.xlsx", ImportOptions())
    elapsed = time.perf_counter() - started
    _current, peak_traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak_traced < 100 * MEGABYTE
    assert _rss_megabytes() - peak_before < 100
    assert "zip bomb" in str(caught.value) or "expands" in str(caught.value)


def test_the_sheet_reader_guards_against_bombs_itself():
    buffer = io.BytesIO()
    zip_bomb(buffer, expanded_megabytes=50)
    buffer.seek(0)
    source = Source("bomb.xlsx", "xlsx")
    read_xlsx(buffer, source)
    assert not source.sheets and "zip bomb" in source.problems[0].reason


@pytest.mark.django_db
def test_a_million_row_sheet_is_refused_at_once_from_its_declared_size():
    stream = sheet_with_rows(rows=MAX_ROWS + 10, declared=1_000_001)
    started = time.perf_counter()
    with pytest.raises(SpreadsheetInvalid) as caught:
        import_spreadsheet(stream, "huge.xlsx", ImportOptions())
    assert time.perf_counter() - started < 2.0
    assert "more than 50,000 data rows" in str(caught.value)
    assert not Engagement.objects.exists()


def test_a_sheet_that_hides_its_size_is_stopped_at_the_row_limit():
    stream = sheet_with_rows(rows=MAX_ROWS + 5, declared=None)
    source = Source("sly.xlsx", "xlsx")
    started = time.perf_counter()
    read_xlsx(stream, source)
    assert time.perf_counter() - started < 15
    assert [p.row for p in source.problems] == [MAX_ROWS + 2]
    assert "more than 50,000 data rows" in source.problems[0].reason


def test_a_csv_over_the_row_limit_is_refused():
    rows = "id,kind,title\n" + "".join(f"e-{n},fair,Fair\n" for n in range(MAX_ROWS + 1))
    source = Source("engagements.csv", "csv")
    read_csv(rows.encode(), source)
    assert source.problems and source.problems[0].row == MAX_ROWS + 2


ROWS = "id,kind,title\nmedellin-visit,incoming_delegation,Delegación de Medellín à Montréal\n"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_utf8_with_bom_and_utf16_csv_files_import(encoding):
    data = ROWS.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    import_spreadsheet(io.BytesIO(data), "engagements.csv", ImportOptions())
    assert Engagement.objects.get(key="medellin-visit").title == "Delegación de Medellín à Montréal"


@pytest.mark.django_db
def test_a_latin1_csv_is_refused_with_the_offset_and_imports_when_its_encoding_is_named():
    data = ROWS.encode("cp1252")
    with pytest.raises(SpreadsheetInvalid) as caught:
        import_spreadsheet(io.BytesIO(data), "engagements.csv", ImportOptions())
    problem = caught.value.problems[0]
    offset = data.index("ó".encode("cp1252"))
    assert problem.row == 2 and f"offset {offset}" in problem.reason and "0xF3" in problem.reason
    assert "Windows-1252" in problem.reason and "UTF-8" in problem.reason
    assert not Engagement.objects.exists()
    import_spreadsheet(io.BytesIO(data), "engagements.csv", ImportOptions(encoding="cp1252"))
    assert Engagement.objects.get(key="medellin-visit").title == "Delegación de Medellín à Montréal"


@pytest.mark.parametrize(
    "text,escaped",
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already", "''=already"),
        ("-12.5", "-12.5"),
        ("+34 93 402 70 00", "'+34 93 402 70 00"),
        ("Barcelona", "Barcelona"),
        ("+", "+"),
        ("-", "-"),
    ],
)
def test_csv_export_neutralises_formulas_reversibly(text, escaped):
    assert neutralise(text) == escaped
    assert unescape_cell(neutralise(text)) == text
    assert is_formula_like(text) == (escaped != text and not text.startswith("'"))


def test_xlsx_export_writes_formula_like_text_as_strings():
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("engagements")
    sheet.append(xlsx_row(sheet, ["=1+1", "@cmd", 12, "-3"]))
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    cells = next(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())
    assert [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("@cmd", "s"), (12, "n"), ("-3", "s")]
    assert csv_text(["title"], [["=1+1"]]) == "title\n'=1+1\n"


@pytest.mark.django_db
def test_formula_text_survives_an_import_export_round_trip():
    rows = 'id,kind,title\ninjected,fair,\'=HYPERLINK("x")\n'
    import_spreadsheet(io.BytesIO(rows.encode()), "engagements.csv", ImportOptions())
    assert Engagement.objects.get(key="injected").title == '=HYPERLINK("x")'


def _never_crashes(data: bytes, name: str) -> None:
    try:
        import_spreadsheet(io.BytesIO(data), name, ImportOptions(), dry_run=True)
    except SpreadsheetInvalid as error:
        assert error.problems and all(str(problem) for problem in error.problems)


TEMPLATE = xlsx_template()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_the_csv_reader_never_crashes_on_arbitrary_bytes(data):
    _never_crashes(data, "engagements.csv")
    _never_crashes(b"id,kind,title\n" + data, "engagements.csv")


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=len(TEMPLATE) - 1), st.binary(min_size=1, max_size=64))
def test_the_xlsx_reader_never_crashes_on_damaged_workbooks(offset, garbage):
    damaged = TEMPLATE[:offset] + garbage + TEMPLATE[offset + len(garbage) :]
    _never_crashes(damaged, "book.xlsx")
    _never_crashes(b"PK\x03\x04" + garbage, "book.xlsx")


def test_analysis_tables_written_as_csv_neutralise_formula_like_names():
    from metrodiplomacy.analysis.tables import Table

    csv_text = Table.build("Cities", ("city", "level"), [("=HYPERLINK(1)", "+"), ("Paris", "-")]).to_csv()
    assert csv_text.splitlines()[1:] == ["'=HYPERLINK(1),+", "Paris,-"]
