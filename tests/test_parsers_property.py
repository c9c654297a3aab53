"""Every parser and importer, fed arbitrary bytes and text: a result or the module's own clear error, nothing else.

Examples are few (the suite stays fast) and Hypothesis' database is off, so a run is reproducible from its seed.
The spreadsheet readers' arbitrary-bytes tests live in test_sheets_hostile.py; these cover the rest.
"""

import csv
import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from metrodiplomacy.importers.datapackage.reader import PackageInvalid, Problem, read_package
from metrodiplomacy.importers.datapackage.spec import tables
from metrodiplomacy.importers.iati import IatiFileInvalid, read_iati
from metrodiplomacy.importers.iati.reader import _date, _decimal
from metrodiplomacy.importers.spreadsheet.sources import Source, read_csv
from metrodiplomacy.importers.twinning.reader import HEADER, TwinningFileInvalid, read_pairs
from metrodiplomacy.uploads import UploadRefused, check_upload, sniff
from tests.test_iati_samples import SAMPLE

FEW = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text a CSV or XML file might hold: delimiters, quotes, line ends, NUL, accents, right-to-left, astral planes.
CELLS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z", "Cc")), max_size=40)
CSV_ROWS = st.lists(st.lists(CELLS, max_size=8), max_size=8)


def _problems_name_a_reason(problems: list[Problem]) -> None:
    assert problems
    for problem in problems:
        assert problem.reason.strip(), problem


# --- IATI ----------------------------------------------------------------------------------------------------


@FEW
@given(st.binary(max_size=3000))
@example(b"")
@example(b"\xff\xfe<\x00")
@example(b'<?xml version="1.0" encoding="nonsense"?><iati-activities/>')
def test_the_iati_reader_reads_or_refuses_arbitrary_bytes(data):
    try:
        read_iati(data, "fuzz.xml")
    except IatiFileInvalid as refused:
        _problems_name_a_reason(refused.problems)
        assert all(problem.file == "fuzz.xml" for problem in refused.problems)


@FEW
@given(st.integers(min_value=0, max_value=len(SAMPLE) - 1), st.binary(min_size=1, max_size=40))
def test_the_iati_reader_reads_or_refuses_a_damaged_sample(offset, garbage):
    # Damage inside a valid file reaches the schema check and the mapping, not only the XML parser.
    try:
        read_iati(SAMPLE[:offset] + garbage + SAMPLE[offset + len(garbage) :], "damaged.xml")
    except IatiFileInvalid as refused:
        _problems_name_a_reason(refused.problems)


@FEW
@given(st.sampled_from([b"iso-date", b"value", b"percentage", b"code", b"ref"]), CELLS)
def test_the_iati_reader_reads_or_refuses_arbitrary_attribute_and_element_text(marker, text):
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").encode("utf-8", "replace")
    data = SAMPLE.replace(marker + b'="', marker + b'="' + escaped, 1)
    data = data.replace(b"<value", b"<value>" + escaped + b"</value><value", 0)
    try:
        read_iati(data, "text.xml")
    except IatiFileInvalid as refused:
        _problems_name_a_reason(refused.problems)


@FEW
@given(st.one_of(st.none(), st.text(max_size=30)))
@example("2013-02-30")
@example("٢٠١٣-٠١-٠١")
def test_iati_dates_read_as_a_day_or_nothing(value):
    assert _date(value) is None or isinstance(_date(value), datetime.date)


@FEW
@given(st.one_of(st.none(), st.text(max_size=30)))
@example("1e999999999")
@example("NaN")
@example("١٢٣")
def test_iati_amounts_read_as_a_decimal_or_nothing(value):
    assert _decimal(value) is None or isinstance(_decimal(value), Decimal)


# --- the upload gate -----------------------------------------------------------------------------------------


@FEW
@given(st.binary(max_size=3000), st.sampled_from([{"csv", "xlsx"}, {"xml"}, {"pdf", "docx", "odt", "text"}]))
@example(b"PK\x03\x04" + b"\x00" * 100, {"xlsx"})
@example(b"\xfe\xff\xd8\x00", {"csv"})
def test_the_upload_gate_accepts_or_refuses_arbitrary_bytes_with_a_reason(data, allowed):
    stream = io.BytesIO(data)
    try:
        checked = check_upload(stream, "upload.bin", allowed)
    except UploadRefused as refused:
        assert "upload.bin" in str(refused) or "archive" in str(refused)
    else:
        assert checked.kind in allowed and checked.size == len(data)
        assert stream.tell() == 0
    assert sniff(io.BytesIO(data)) in {"", "xlsx", "csv", "xml", "pdf", "docx", "odt", "text"}


# --- spreadsheets (structured text; arbitrary bytes are in test_sheets_hostile.py) ----------------------------


@pytest.mark.django_db
@FEW
@given(CSV_ROWS, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_the_spreadsheet_reader_reads_or_explains_any_table_of_text(rows, delimiter, encoding):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([["id", "kind", "title"], *rows])
    source = Source("engagements.csv", "csv")
    read_csv(buffer.getvalue().encode(encoding, "surrogatepass"), source)
    for problem in source.problems:
        assert problem.reason.strip()


@pytest.mark.django_db
def test_the_spreadsheet_reader_explains_a_cell_longer_than_csv_allows():
    source = Source("engagements.csv", "csv")
    read_csv(b'id,kind,title\ne-1,fair,"' + b"x" * 200_000 + b'"\n', source)
    assert source.problems or source.sheets


# --- twinning lists ------------------------------------------------------------------------------------------


@FEW
@given(st.binary(max_size=2000))
@example(b'city_a,country_a,city_b,country_b\n"' + b"x" * 140_000 + b'",fr,Lyon,fr\n')
@example(b"\xef\xbb\xbf")
def test_the_twinning_reader_reads_or_refuses_arbitrary_bytes(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "twins.csv"
        path.write_bytes(data)
        try:
            read_pairs(path)
        except TwinningFileInvalid as refused:
            _problems_name_a_reason(refused.problems)


@FEW
@given(CSV_ROWS)
def test_the_twinning_reader_reads_or_refuses_any_table_of_text(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([list(HEADER), *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "twins.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
        try:
            pairs = read_pairs(path)
        except TwinningFileInvalid as refused:
            _problems_name_a_reason(refused.problems)
        else:
            assert all(pair.line >= 2 for pair in pairs)


# --- data packages -------------------------------------------------------------------------------------------

TABLE_FILES = [table.file for table in tables()]


@pytest.mark.django_db
@FEW
@given(st.binary(max_size=600))
@example(b"[]")
@example(b"5")
@example(b'{"resources": "places.csv"}')
@example(b'{"resources": [{"path": 5}]}')
@example(b'{"resources": [null]}')
def test_a_data_package_descriptor_of_any_bytes_is_read_or_explained(descriptor):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "datapackage.json").write_bytes(descriptor)
        try:
            package = read_package(folder)
        except PackageInvalid as refused:
            _problems_name_a_reason(refused.problems)
        else:
            for problem in package.problems:
                assert problem.reason.strip()


@pytest.mark.django_db
@FEW
@given(st.sampled_from(TABLE_FILES), st.one_of(st.binary(max_size=800), CSV_ROWS.map(repr).map(str.encode)))
@example("network_memberships.csv", b"organisation,network,roles\norg,net,member@\xc2\xb2\n")
def test_a_data_package_table_of_any_bytes_is_read_or_explained(file, data):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / file).write_bytes(data)
        try:
            package = read_package(folder)
        except PackageInvalid as refused:
            _problems_name_a_reason(refused.problems)
        else:
            for problem in package.problems:
                assert problem.reason.strip()


@pytest.mark.django_db
@FEW
@given(st.sampled_from(TABLE_FILES), st.data())
def test_a_data_package_table_with_its_own_header_and_arbitrary_cells_is_read_or_explained(file, data):
    table = next(t for t in tables() if t.file == file)
    header = [column.name for column in table.columns]
    rows = data.draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=4))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / file).write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
        try:
            package = read_package(folder)
        except PackageInvalid as refused:
            _problems_name_a_reason(refused.problems)
        else:
            for problem in package.problems:
                assert problem.reason.strip() and problem.file


# --- gazetteer names and the coordination calendar's month ---------------------------------------------------


@FEW
@given(st.text(max_size=60))
@example("İstanbul")
@example("ǅ\u0301\u200d")
def test_name_normalisation_gives_a_stable_folded_key_for_any_text(text):
    from metrodiplomacy.places.matching import district_forms, match_key, name_variants

    key = match_key(text)
    assert key == key.strip() and "  " not in key
    assert match_key(key) == key
    assert all(isinstance(variant, str) for variant, _weight, _rule in name_variants(text))
    district_forms(text)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=40))
@example("in , ,")
@example("Réunion, France")
def test_a_country_of_any_text_is_matched_or_named_unknown(text):
    from metrodiplomacy.places.matching import match_country

    found = match_country(text)
    assert found.codes or found.reason


@FEW
@given(st.text(max_size=20))
@example("2024-13")
@example("٢٠٢٤-٠١")
@example("9" * 5000 + "-1")
def test_the_calendar_month_in_the_address_is_read_or_falls_back_to_today(text):
    from metrodiplomacy.coordination.views.common import parse_month

    today = datetime.date(2026, 11, 22)
    year, month = parse_month(text, today)
    assert (1000 <= year <= 2200 and 1 <= month <= 12) or (year, month) == (2026, 11)
