"""Writes of organisations."""

from django.db import transaction

from .models import Organisation, OrganisationKind


@transaction.atomic
def ensure_owner_organisation(key: str, name: str) -> Organisation:
    """The organisation that owns imported records, created (owning itself) on first use."""
    organisation, created = Organisation.objects.get_or_create(
        key=key, defaults={"name": name, "kind": OrganisationKind.OTHER}
    )
    if created:
        organisation.owner = organisation
        organisation.save(update_fields=["owner"])
    return organisation
