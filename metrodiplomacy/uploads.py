"""The one gate every uploaded file passes before anything reads it: size, then type by content, then archive sanity.

A file's name and the browser's content type are claims; the bytes are checked instead. Office files are zip
archives, and a zip can expand a few hundred kilobytes into gigabytes, so archives are inspected from their
directory (which costs nothing) before any parser opens them.
"""

import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024
# Defaults sized for the platform's files: spreadsheets and IATI files of a city, minutes of a meeting.
DEFAULT_MAX_BYTES = 20 * MEGABYTE
# An archive may expand to this much in all, and no member over 1 MB more than this many times its packed size
# (real worksheets pack 10 to 100 times; bombs a thousand times and more).
MAX_EXPANDED_BYTES = 200 * MEGABYTE
MAX_RATIO = 200
MAX_MEMBERS = 10_000

XLSX, CSV, XML, PDF, DOCX, ODT, TEXT = "xlsx", "csv", "xml", "pdf", "docx", "odt", "text"
DOCUMENT_TYPES = frozenset({PDF, DOCX, ODT, TEXT})

MEDIA_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv",
    XML: "application/xml",
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
    TEXT: "text/plain",
}


class UploadRefused(ValueError):
    """The file is not accepted; the message says why in words a user can act on."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str
    size: int

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


def check_upload(
    stream: IO[bytes], name: str, allowed: frozenset[str] | set[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedUpload:
    """Refuse a file that is too large, of a type not allowed, or an archive that would expand too far.

    `stream` must be seekable (Django's UploadedFile and open files are); it is left at its start.
    """
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UploadRefused(_("%(name)s is empty.") % {"name": name})
    if size > max_bytes:
        raise UploadRefused(
            _("%(name)s is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": name, "size": size / MEGABYTE, "limit": max_bytes / MEGABYTE}
        )
    kind = sniff(stream)
    stream.seek(0)
    if kind not in allowed:
        raise UploadRefused(
            _("%(name)s looks like %(found)s; accepted here: %(allowed)s.")
            % {"name": name, "found": kind or _("an unknown type"), "allowed": ", ".join(sorted(allowed))}
        )
    if kind == PDF:
        _check_pdf_is_whole(stream, name, size)
    return CheckedUpload(name=name, kind=kind, size=size)


def _check_pdf_is_whole(stream: IO[bytes], name: str, size: int) -> None:
    """A PDF is read from its end (the trailer points to the cross-reference table): one without its end-of-file
    marker is truncated or damaged, and would only fail later, when another member tries to open it."""
    stream.seek(max(size - 2048, 0))
    tail = stream.read()
    stream.seek(0)
    if b"%%EOF" not in tail or (b"startxref" not in tail and b"trailer" not in tail):
        raise UploadRefused(
            _("%(name)s is not a complete PDF (its end is missing or damaged): export or scan it again.")
            % {"name": name}
        )


def sniff(stream: IO[bytes]) -> str:
    """The file's type from its first bytes (and, for zip archives, from their directory)."""
    head = stream.read(2048)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text (spreadsheet programs save "Unicode text" so): classify its decoded start.
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif b"\x00" in head:
        return ""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<"):
        return XML
    first_line = stripped.split(b"\n", 1)[0]
    if b"," in first_line or b";" in first_line or b"\t" in first_line:
        return CSV
    return TEXT


def _zip_kind(stream: IO[bytes]) -> str:
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        return ""
    with archive:
        guard_archive(archive)
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
        if "mimetype" in names and archive.read("mimetype").strip() == MEDIA_TYPES[ODT].encode():
            return ODT
    return ""


def guard_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose declared expansion is a bomb, before a single member is decompressed."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(
            _("The archive holds %(count)d files; at most %(limit)d are accepted.")
            % {"count": len(members), "limit": MAX_MEMBERS}
        )
    expanded = 0
    for member in members:
        expanded += member.file_size
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO and member.file_size > MEGABYTE:
            raise UploadRefused(
                _("%(member)s inside the archive expands %(ratio).0f times; this looks like a zip bomb.")
                % {"member": member.filename, "ratio": member.file_size / member.compress_size}
            )
    if expanded > MAX_EXPANDED_BYTES:
        raise UploadRefused(
            _("The archive expands to %(size).0f MB; the limit is %(limit).0f MB.")
            % {"size": expanded / MEGABYTE, "limit": MAX_EXPANDED_BYTES / MEGABYTE}
        )


class RequestSizeLimitMiddleware:
    """Answers 413 to a form upload larger than any file the platform accepts, before Django spools it to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            # A megabyte of slack for the other fields and the multipart framing.
            if length > DEFAULT_MAX_BYTES + MEGABYTE:
                from django.http import HttpResponse

                return HttpResponse(
                    _("The upload is %(size).1f MB; the limit is %(limit).0f MB.")
                    % {"size": length / MEGABYTE, "limit": DEFAULT_MAX_BYTES / MEGABYTE},
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
