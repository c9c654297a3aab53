"""Line breaks and control characters in exported cells (issue #15, class 5).

A title holding `\\r=cmd|…` was written unquoted: a CSV reader started a new row there, whose first cell was
a live formula. Every CSV and XLSX writer of the platform is fed arbitrary text here and read back with
Python's csv module and openpyxl: the same rows and cells come back, no line of any cell (nor of the file,
for a reader that splits rows at every line break) starts a live formula, and the text round-trips through
the documented escapes (`unescape_cell` for CSV, `xlsx_unescape` for XLSX).
"""

import csv
import io
import re
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.evidence.models import Source
from metrodiplomacy.exports import csv_text, unescape_cell, write_csv, xlsx_row, xlsx_unescape
from metrodiplomacy.importers.datapackage.exporter import export_package
from metrodiplomacy.importers.datapackage.reader import read_package
from metrodiplomacy.importers.datapackage.spec import tables
from metrodiplomacy.importers.spreadsheet.open_data import OpenTable, table_csv, table_xlsx
from metrodiplomacy.importers.twinning.reader import PairRow
from metrodiplomacy.importers.twinning.report import MatchedPair, TwinningReport
from metrodiplomacy.places.matching import UNMATCHED, Match

ISSUE_TITLE = "Visit\r=cmd|' /C calc'!A0"

# Written apart from metrodiplomacy.exports on purpose: what a spreadsheet runs, and what a line break is.
FORMULA_CHARACTERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
PIECES = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x00",
    "\x07",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\uff1d",
    '"',
    ",",
    ";",
    "'",
    " ",
    "_x000B_",
    "12.5",
    "cmd|' /C calc'!A0",
    'HYPERLINK("http://evil.example")',
]
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=10).map("".join)
quick = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def runs_as_formula(piece: str) -> bool:
    """A piece of text from the start of a line to the end of its cell: would a spreadsheet run it?"""
    line = piece.splitlines()[0] if piece.splitlines() else ""
    return piece[:1] in FORMULA_CHARACTERS and piece[:1] != "" and len(piece) > 1 and not NUMBER.fullmatch(line)


def live_lines(cell: str) -> list[str]:
    starts, position = [0], 0
    for line in cell.splitlines(keepends=True):
        position += len(line)
        starts.append(position)
    return [cell[start:] for start in starts if runs_as_formula(cell[start:])]


def assert_csv_gives_back(text: str, header: list[str], rows: list[list[str]]) -> None:
    """The CSV reads back as exactly these rows, with no live formula on any line of a cell or of the file."""
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert len(read) == len(rows) + 1, read
    for written, came_back in zip([header, *rows], read, strict=True):
        assert len(came_back) == len(written), (written, came_back)
        for cell in came_back:
            assert not live_lines(cell), repr(cell)
        assert [unescape_cell(cell) for cell in came_back] == written
    # A reader that opens the file in text mode (universal newlines) still sees the same rows.
    assert len(list(csv.reader(io.StringIO(text)))) == len(rows) + 1
    # And one that splits rows at every line break, quotes or not, sees no line start a formula.
    for line in text.splitlines():
        assert not runs_as_formula(re.split('[",]', line, maxsplit=1)[0]), repr(line)


def assert_xlsx_gives_back(data: bytes, rows: list[list[str]]) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    # A row of empty cells is an empty row: a workbook cannot tell one at its end from no row.
    assert sheet.max_row <= len(rows)
    read = list(sheet.iter_rows(max_row=len(rows), max_col=len(rows[0])))
    for written, came_back in zip(rows, read, strict=True):
        assert all(cell.data_type == "s" or cell.value is None for cell in came_back)
        assert [xlsx_unescape(cell.value) if cell.value is not None else "" for cell in came_back] == written
        for text, cell in zip(written, came_back, strict=True):
            assert cell.quotePrefix == bool(live_lines(text)), repr(text)


def xlsx_of(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("export")
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_write_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def with_table(header: list[str], rows: list[list[str]]) -> str:
    return Table.build("export", header, rows).to_csv()


def twinning_report_csv(names: list[str]) -> str:
    report = TwinningReport("twins.csv")
    for number, name in enumerate(names, start=2):
        unmatched = Match(UNMATCHED, 0.0, name)
        report.pairs.append(MatchedPair(PairRow(number, name, name, name, name), unmatched, unmatched, UNMATCHED))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.csv"
        report.write_csv(path)
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()


@quick
@given(header=st.lists(hostile_text, min_size=1, max_size=4), cells=st.lists(hostile_text, max_size=12))
@pytest.mark.parametrize("writer", [csv_text, with_write_csv, with_table])
def test_every_csv_writer_gives_back_each_cell_and_runs_no_line_as_a_formula(writer, header, cells):
    width = len(header)
    rows = [(cells[i : i + width] + [""] * width)[:width] for i in range(0, len(cells), width)]
    assert_csv_gives_back(writer(header, rows), header, rows)


@quick
@given(cells=st.lists(hostile_text, max_size=6))
def test_the_open_data_csv_gives_back_each_cell_and_runs_no_line_as_a_formula(cells):
    sources = next(t for t in tables() if t.name == "sources")
    header = [column.name for column in sources.all_columns]
    rows = [[cell] * len(header) for cell in cells]
    assert_csv_gives_back(table_csv(OpenTable(sources, rows)), header, rows)


@quick
@given(names=st.lists(hostile_text, max_size=5))
def test_the_twinning_match_report_gives_back_each_name_and_runs_no_line_as_a_formula(names):
    text = twinning_report_csv(names)
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert len(read) == len(names) + 1
    for name, row in zip(names, read[1:], strict=True):
        assert len(row) == 8
        assert [unescape_cell(cell) for cell in row[1:5]] == [name] * 4
        assert not any(live_lines(cell) for cell in row)
    for line in text.splitlines():
        assert not runs_as_formula(re.split('[",]', line, maxsplit=1)[0]), repr(line)


@quick
@given(rows=st.lists(st.lists(hostile_text, min_size=3, max_size=3), min_size=1, max_size=5))
def test_every_xlsx_cell_is_a_string_that_gives_back_its_text(rows):
    assert_xlsx_gives_back(xlsx_of(rows), rows)


@quick
@given(cells=st.lists(hostile_text, min_size=1, max_size=4))
def test_the_open_data_workbook_gives_back_each_text_cell(cells):
    sources = next(t for t in tables() if t.name == "sources")
    width = len(sources.all_columns)
    year = [column.name for column in sources.all_columns].index("year")
    rows = [[("" if index == year else cell) for index in range(width)] for cell in cells]
    header = [column.name for column in sources.all_columns]
    data = table_xlsx(OpenTable(sources, rows))
    assert_xlsx_gives_back(data, [header, *rows])


def test_the_issues_title_was_a_new_row_before_and_is_one_quoted_cell_now():
    text = csv_text(["id", "title"], [["visit", ISSUE_TITLE]])
    assert text == "id,title\nvisit,\"Visit\r'=cmd|' /C calc'!A0\"\n"
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["id", "title"], ["visit", "Visit\r'=cmd|' /C calc'!A0"]]


# --- end to end: a record whose title holds the issue's example --------------------------------------------------


@pytest.fixture
def hostile_sources(db):
    return [
        Source.objects.create(
            key=f"hostile-{number}", title=title, kind="report", visibility="public", publication="published"
        )
        for number, title in enumerate([ISSUE_TITLE, "\r=cmd|' /C calc'!A0", "cmd\n@SUM(1)\u2028+cmd\x0bx"])
    ]


def test_the_open_data_csv_keeps_a_title_with_a_carriage_return_in_one_cell(client, hostile_sources):
    response = client.get("/open-data/sources.csv")
    assert response.status_code == 200
    text = response.content.decode()
    read = list(csv.reader(io.StringIO(text, newline="")))
    header, rows = read[0], read[1:]
    assert all(len(row) == len(header) for row in rows)
    titles = {row[header.index("id")]: unescape_cell(row[header.index("title")]) for row in rows}
    assert {source.key: titles[source.key] for source in hostile_sources} == {s.key: s.title for s in hostile_sources}
    assert not any(live_lines(cell) for row in read for cell in row)
    assert not any(runs_as_formula(re.split('[",]', line, maxsplit=1)[0]) for line in text.splitlines())


def test_the_open_data_workbook_keeps_a_title_with_a_carriage_return_as_text(client, hostile_sources):
    response = client.get("/open-data/sources.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in next(sheet.iter_rows())]
    cells = {row[0].value: row[header.index("title")] for row in sheet.iter_rows(min_row=2)}
    for source in hostile_sources:
        assert xlsx_unescape(cells[source.key].value) == source.title
        assert cells[source.key].data_type == "s" and cells[source.key].quotePrefix


def test_the_search_csv_keeps_a_title_with_a_carriage_return_in_one_cell(client, hostile_sources):
    response = client.get("/search.csv?q=cmd")
    assert response.status_code == 200
    text = response.content.decode()
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert len(read) == 1 + len(hostile_sources)
    assert all(len(row) == 4 for row in read)
    assert sorted(unescape_cell(row[1]) for row in read[1:]) == sorted(source.title for source in hostile_sources)
    assert not any(live_lines(cell) for row in read for cell in row)
    assert not any(runs_as_formula(re.split('[",]', line, maxsplit=1)[0]) for line in text.splitlines())


def test_the_data_package_export_reads_back_a_title_with_a_carriage_return(hostile_sources, tmp_path):
    export_package(tmp_path)
    text = (tmp_path / "sources.csv").read_bytes().decode()
    assert not any(runs_as_formula(re.split('[",]', line, maxsplit=1)[0]) for line in text.splitlines())
    package = read_package(tmp_path)
    titles = {row.values["id"]: row.values["title"] for row in package.rows["sources"]}
    assert {source.key: titles[source.key] for source in hostile_sources} == {s.key: s.title for s in hostile_sources}
