"""IATI 2.03 activity files in: parsed safely, checked against the schema and our rules, then written at once.

`import_iati` raises IatiFileInvalid, with every problem (file, line, element, reason), before anything is
written; the writing itself runs in one transaction, so a failure there leaves the database as it was too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from metrodiplomacy.importers.datapackage.reader import Problem
from metrodiplomacy.records import OPERATOR
from metrodiplomacy.writes import Author

from .reader import IatiFile, IatiFileInvalid, read_iati
from .writer import Defaults, IatiImportSummary, IatiWriter, unmapped_notes

__all__ = ["IatiFileInvalid", "IatiImportSummary", "check_iati", "import_iati", "read_iati"]

VISIBILITIES = ("private", "workspace", "public")


def check_iati(data: bytes, name: str) -> IatiFile:
    """Read and check a file without writing; raises IatiFileInvalid listing every problem."""
    return read_iati(data, name)


def import_iati(
    data: bytes,
    name: str,
    owner=None,
    author: Author | None = None,
    visibility: str = "private",
    publication: str = "draft",
) -> IatiImportSummary:
    """Check the file, then write its activities as cooperation projects of `owner` in one transaction.

    Without an owner (command line), each activity belongs to its reporting organisation, created if new.
    """
    author = author or Author(OPERATOR, None)
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {', '.join(VISIBILITIES)}")
    if owner is not None and not author.may_edit_for(owner.pk):
        raise PermissionDenied(f"You do not edit for {owner}.")
    iati = read_iati(data, name)
    summary = IatiImportSummary(name)
    try:
        with transaction.atomic():
            writer = IatiWriter(Defaults(author, owner, visibility, publication), summary)
            for activity in iati.activities:
                writer.write(activity)
    except ValidationError as error:
        raise IatiFileInvalid([Problem(name, None, field, message) for field, message in _messages(error)]) from error
    for activity in iati.activities:
        summary.notes.extend(activity.notes)
    summary.notes.extend(unmapped_notes(iati.activities))
    return summary


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(field, message) for field, messages in error.message_dict.items() for message in messages]
    return [("", message) for message in error.messages]
