"""Writes of the cooperation app beyond the generic record service (metrodiplomacy/writes.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.writes import Author, save_validated

from .models import OrganisationIdentifier


@transaction.atomic
def record_organisation_identifier(author: Author, organisation: Organisation, ref: str) -> OrganisationIdentifier:
    """Record (or correct) the IATI organisation identifier of an organisation the author edits for."""
    author.check_can_edit(organisation)
    ref = ref.strip()
    if not ref:
        raise ValidationError({"ref": "An IATI organisation identifier is needed (e.g. XM-DAC-41114)."})
    taken = OrganisationIdentifier.objects.filter(ref=ref).exclude(organisation=organisation).first()
    if taken is not None:
        raise ValidationError({"ref": f"{ref} is already the identifier of another organisation."})
    identifier = OrganisationIdentifier.objects.filter(organisation=organisation).first()
    identifier = identifier or OrganisationIdentifier(organisation=organisation)
    identifier.ref = ref
    save_validated(author, identifier)
    return identifier
