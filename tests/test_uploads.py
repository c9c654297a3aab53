"""The upload gate: size first, then the type from the bytes, then the archive's declared expansion."""

import io
import random
import time
import zipfile

import pytest

from metrodiplomacy import uploads
from metrodiplomacy.uploads import UploadRefused, check_upload


def zipped(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


XLSX_MEMBERS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"city1,country1\nParis,France\n", uploads.CSV),
        ("city;country\nZürich;Schweiz\n".encode("utf-16"), uploads.CSV),
        (b'<?xml version="1.0"?><iati-activities/>', uploads.XML),
        (b"%PDF-1.7\n...\ntrailer<<>>\n%%EOF\n", uploads.PDF),
        (b"Minutes of the roundtable\nAll present.", uploads.TEXT),
    ],
)
def test_the_type_comes_from_the_bytes(data, kind):
    assert check_upload(io.BytesIO(data), "file", {kind}).kind == kind


def test_an_office_archive_is_told_apart_by_its_members():
    assert check_upload(zipped(XLSX_MEMBERS), "book.xlsx", {uploads.XLSX}).kind == uploads.XLSX
    word = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})
    assert check_upload(word, "minutes.docx", uploads.DOCUMENT_TYPES).kind == uploads.DOCX


def test_a_file_named_xlsx_that_is_a_pdf_is_refused_naming_what_it_is():
    with pytest.raises(UploadRefused, match="book.xlsx looks like pdf; accepted here: csv, xlsx"):
        check_upload(io.BytesIO(b"%PDF-1.4 ..."), "book.xlsx", {uploads.XLSX, uploads.CSV})


def test_binary_bytes_are_no_text_type():
    with pytest.raises(UploadRefused, match="an unknown type"):
        check_upload(io.BytesIO(b"\x7fELF\x02\x01\x00\x00binary"), "tool.csv", {uploads.CSV})


def test_an_empty_or_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(UploadRefused, match="empty"):
        check_upload(io.BytesIO(b""), "empty.csv", {uploads.CSV})
    with pytest.raises(UploadRefused, match=r"big.csv is 2.0 MB; the limit is 1 MB"):
        check_upload(io.BytesIO(b"a,b\n" * (512 * 1024)), "big.csv", {uploads.CSV}, max_bytes=uploads.MEGABYTE)


def test_a_zip_bomb_is_refused_from_its_directory_quickly():
    bomb = zipped({**XLSX_MEMBERS, "xl/worksheets/sheet1.xml": b"\0" * (30 * uploads.MEGABYTE)})
    assert len(bomb.getvalue()) < uploads.MEGABYTE
    started = time.perf_counter()
    with pytest.raises(UploadRefused, match="zip bomb"):
        check_upload(bomb, "bomb.xlsx", {uploads.XLSX})
    assert time.perf_counter() - started < 1


def test_an_archive_expanding_past_the_limit_in_many_modest_members_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_EXPANDED_BYTES", 3 * uploads.MEGABYTE)
    noise = random.Random(7)
    members = {f"xl/worksheets/sheet{n}.xml": noise.randbytes(2 * uploads.MEGABYTE) for n in range(2)}
    with pytest.raises(UploadRefused, match="expands to 4 MB; the limit is 3 MB"):
        check_upload(zipped({**XLSX_MEMBERS, **members}), "wide.xlsx", {uploads.XLSX})


def test_the_stream_is_left_at_its_start_for_the_parser():
    stream = io.BytesIO(b"a,b\n1,2\n")
    check_upload(stream, "ok.csv", {uploads.CSV})
    assert stream.read() == b"a,b\n1,2\n"


def test_a_form_upload_larger_than_any_accepted_file_is_answered_413_before_it_is_read(client, db):
    response = client.generic(
        "POST",
        "/workspace/accounts/login/",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(uploads.DEFAULT_MAX_BYTES + 2 * uploads.MEGABYTE),
    )
    assert response.status_code == 413
    assert "the limit is 20 MB" in response.content.decode()
