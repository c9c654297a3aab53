"""Writes of the evidence app: citing a source for a record, and withdrawing a citation."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404

from metrodiplomacy.records import Record
from metrodiplomacy.related import check_reference
from metrodiplomacy.writes import Author, resolve_reference, save_validated

from .models import Citation, Source

CITATION_FIELDS = ("section", "line_start", "line_end", "page", "note", "quotation")


@transaction.atomic
def cite(author: Author, record: Record, values: dict) -> Citation:
    """Attach a citation to a record the author edits for; the source must be one they can read."""
    author.check_can_edit(record)
    citation = Citation(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        source=resolve_reference(author, "source", Source.objects.all(), values.get("source")),
        **{
            name: values[name] if values[name] is not None or name.startswith("line") else ""
            for name in CITATION_FIELDS
            if name in values
        },
    )
    check_reference(record, "source", citation.source)
    save_validated(author, citation)
    return citation


@transaction.atomic
def withdraw_citation(author: Author, record: Record, citation_id: int) -> None:
    """Remove one citation of a record the author edits for."""
    author.check_can_edit(record)
    citation = Citation.objects.filter(
        pk=citation_id, content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    ).first()
    if citation is None:
        raise Http404("No such citation.")
    citation.delete()
