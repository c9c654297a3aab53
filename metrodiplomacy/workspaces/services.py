"""Writes of the workspaces app: API tokens for scripts."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
