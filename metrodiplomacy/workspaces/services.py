"""Writes of the workspaces app: API tokens for scripts; publishing records and restoring past versions."""

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.evidence.models import PolicyArea
from metrodiplomacy.records import Publication, Record, Visibility
from metrodiplomacy.writes import RECORD_FIELDS, Author, change_record, save_validated, write_spec_for

from .models import ApiToken, Membership

TOKEN_PREFIX = "mdp_"


def hash_token(token: str) -> str:
    """Only this digest is stored: a leaked database does not leak usable tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(user, name: str, read_only: bool = False, organisation=None) -> tuple[ApiToken, str]:
    """A new token for the user; returns the stored record and the token itself, which is not kept.

    A token scoped to an organisation needs the user to be a member of it: a token never widens rights.
    """
    if not name.strip():
        raise ValidationError({"name": "Give the token a name."})
    if organisation is not None and not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"organisation": f"{user} is not a member of {organisation.key}."})
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": f"{user} already has a live token named {name!r}."})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        read_only=read_only,
        organisation=organisation,
    )
    return record, token


@transaction.atomic
def revoke_token(user, name: str) -> ApiToken:
    """Revoke the user's live token of that name; it stops working at once."""
    record = ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).first()
    if record is None:
        raise ValidationError({"name": f"{user} has no live token named {name!r}."})
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    return record


# Publication and history of records: the workspace's draft → published step, and restoring a version.
@transaction.atomic
def publish_record(author: Author, record: Record) -> Record:
    """Publish a public record: it appears on the portal and in the public API."""
    author.check_can_edit(record)
    if record.visibility != Visibility.PUBLIC:
        raise ValidationError({"visibility": "Only a record of visibility public can be published."})
    record.publication = Publication.PUBLISHED
    save_validated(author, record)
    return record


@transaction.atomic
def unpublish_record(author: Author, record: Record) -> Record:
    """Take a record back to draft: it leaves the portal and the public API."""
    author.check_can_edit(record)
    record.publication = Publication.DRAFT
    save_validated(author, record)
    return record


def version_values(record: Record, version: Any) -> dict:
    """The values of a past version, in the form the services take (references by key).

    Separate rows (agreement parties, network roles, citations) keep their own history and are left as they are.
    """
    spec = write_spec_for(type(record))
    values: dict[str, Any] = {name: getattr(version, name) for name in (*RECORD_FIELDS, *spec.plain)}
    values["owner"] = _key_of(Organisation, version.owner_id)
    for name in spec.references:
        model_field = type(record)._meta.get_field(name)
        values[name] = _key_of(model_field.related_model, getattr(version, model_field.attname))
    tracked = {m2m.name: m2m for m2m in getattr(version, "_history_m2m_fields", [])}
    for name, m2m in tracked.items():
        target = m2m.m2m_reverse_field_name()
        lookup = "code" if m2m.related_model is PolicyArea else "key"
        values[name] = [getattr(getattr(row, target), lookup) for row in getattr(version, name).all()]
    return values


def _key_of(model, pk: int | None) -> str | None:
    if pk is None:
        return None
    lookup = "code" if model is PolicyArea else "key"
    found = model._default_manager.filter(pk=pk).values_list(lookup, flat=True).first()
    # A referenced record deleted since: restoring names it by a key that no longer exists, and the service refuses.
    return found if found is not None else f"deleted-{model._meta.model_name}-{pk}"


@transaction.atomic
def restore_version(
    author: Author, record: Record, history_id: int, change: Callable[[Author, Record, dict], Record] = change_record
) -> Record:
    """Write the values of a past version as a new version; nothing is lost, the undone state stays in history."""
    version = record.history.filter(history_id=history_id).first()
    if version is None:
        raise Http404("No such version.")
    return change(author, record, version_values(record, version))
