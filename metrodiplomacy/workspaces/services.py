"""Writes of the workspaces app: API tokens for scripts, feed secrets for calendar apps; publishing records and
restoring past versions."""

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import Agreement, AgreementParty, NetworkMembership, NetworkRole
from metrodiplomacy.evidence.models import Citation, PolicyArea
from metrodiplomacy.evidence.services import CITATION_FIELDS
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import Publication, Record, Visibility
from metrodiplomacy.related import check_references
from metrodiplomacy.writes import RECORD_FIELDS, Author, change_record, save_validated, write_spec_for

from .models import ApiToken, FeedSecret, Membership, Role, Workspace

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


# A feed secret's own prefix: a secret pasted where an API token is expected (or the reverse) is refused at once.
FEED_SECRET_PREFIX = "mdf_"


@transaction.atomic
def create_feed_secret(user, workspace: Workspace, name: str) -> tuple[FeedSecret, str]:
    """A new secret for the workspace's calendar feeds; returns the stored record and the secret, which is not kept.

    Only a member of one of the workspace's organisations (or staff) may have one: a secret never widens rights.
    """
    if not name.strip():
        raise ValidationError({"name": _("Give the feed address a name.")})
    if not (user.is_staff or Membership.objects.filter(user=user, organisation__workspaces=workspace).exists()):
        raise ValidationError({"workspace": _("You are not a member of this workspace.")})
    secret = FEED_SECRET_PREFIX + secrets.token_urlsafe(32)
    record = FeedSecret.objects.create(
        user=user,
        workspace=workspace,
        name=name.strip(),
        secret_hash=hash_token(secret),
        prefix=secret[: len(FEED_SECRET_PREFIX) + 6],
    )
    return record, secret


def touch_feed_secret(record: FeedSecret, when) -> None:
    """Note when the secret was last used (its owner sees a forgotten one still polling)."""
    FeedSecret.objects.filter(pk=record.pk).update(last_used_at=when)


@transaction.atomic
def revoke_feed_secret(user, secret_id: int) -> FeedSecret:
    """Revoke one of the user's own live feed secrets; the feed refuses it at once."""
    record = FeedSecret.objects.filter(user=user, pk=secret_id, revoked_at__isnull=True).first()
    if record is None:
        raise ValidationError({"secret": _("No such feed address.")})
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
    check_references(record)
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

    Agreement parties and network roles are separate rows with their own history: they are taken as they stood
    while this version was the current one.
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
    until = _superseded_at(record, version)
    if isinstance(record, Agreement):
        values["parties"] = [
            {"place": _key_of(Place, party.place_id), "organisation": _key_of(Organisation, party.organisation_id)}
            for party in rows_as_of(AgreementParty.history, until, agreement_id=record.pk)
        ]
    elif isinstance(record, NetworkMembership):
        values["roles"] = [
            {"role": role.role, "year": role.year}
            for role in rows_as_of(NetworkRole.history, until, membership_id=record.pk)
        ]
    return values


def _superseded_at(record: Record, version: Any):
    """When the version stopped being the current one (None while it still is).

    Parties, roles and citations are written just after their record in the same change, so the state a version
    stands for is everything up to the next version of the record, not up to the version's own timestamp.
    """
    following = record.history.filter(history_date__gt=version.history_date).order_by("history_date").first()
    return following.history_date if following is not None else None


def rows_as_of(history, until, **lookup) -> list:
    """The rows of a separately historied table (parties, roles, citations) as they stood just before `until`."""
    versions = history.filter(**lookup)
    if until is not None:
        versions = versions.filter(history_date__lt=until)
    latest: dict[int, Any] = {}
    for row in versions.order_by("history_date", "history_id"):
        latest[row.id] = row
    return [row for row in latest.values() if row.history_type != "-"]


def _restore_citations(author: Author, record: Record, until) -> None:
    """Bring back the citations the version had and withdraw those added since; each change goes in history."""
    content_type = ContentType.objects.get_for_model(type(record))
    wanted = {
        row.id: row for row in rows_as_of(Citation.history, until, content_type=content_type, object_id=record.pk)
    }
    for citation in Citation.objects.filter(content_type=content_type, object_id=record.pk):
        if citation.pk not in wanted:
            citation._history_user = author.user if getattr(author.user, "pk", None) else None
            citation.delete()
    current = {
        citation.pk: citation for citation in Citation.objects.filter(content_type=content_type, object_id=record.pk)
    }
    for citation_id, row in wanted.items():
        now = current.get(citation_id)
        if now is None or any(getattr(now, name) != getattr(row, name) for name in (*CITATION_FIELDS, "source_id")):
            # Saved under its old id, so links to the citation keep working once it is back.
            save_validated(author, row.instance)


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
    until = _superseded_at(record, version)
    restored = change(author, record, version_values(record, version))
    _restore_citations(author, restored, until)
    return restored


# Members of an organisation: only its admins add, change and remove them (the gate is in queries.py).
def _check_admin(actor, organisation: Organisation) -> None:
    if not Membership.objects.filter(user=actor, organisation=organisation, role=Role.ADMIN).exists():
        raise PermissionDenied("Only an admin of the organisation manages its members.")


def _check_keeps_an_admin(membership: Membership) -> None:
    others = Membership.objects.filter(organisation=membership.organisation_id, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if membership.role == Role.ADMIN and not others.exists():
        raise ValidationError(
            {"role": _("%(organisation)s needs at least one admin.") % {"organisation": membership.organisation}}
        )


@transaction.atomic
def add_member(actor, organisation: Organisation, username: str, role: str) -> Membership:
    """Give an existing user a role in the organisation."""
    _check_admin(actor, organisation)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": _("No user is called %(name)s.") % {"name": username}})
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {"username": _("%(name)s is already a member; change their role instead.") % {"name": username}}
        )
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership._history_user = actor
    membership.save()
    return membership


@transaction.atomic
def change_member_role(actor, membership: Membership, role: str) -> Membership:
    """Change a member's role; the last admin of an organisation cannot step down."""
    _check_admin(actor, membership.organisation)
    if role != Role.ADMIN:
        _check_keeps_an_admin(membership)
    membership.role = role
    membership.full_clean()
    membership._history_user = actor
    membership.save()
    return membership


@transaction.atomic
def remove_member(actor, membership: Membership) -> None:
    """Take a user out of the organisation; the last admin cannot be removed."""
    _check_admin(actor, membership.organisation)
    _check_keeps_an_admin(membership)
    membership._history_user = actor
    membership.delete()
