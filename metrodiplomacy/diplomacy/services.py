"""Writes of the diplomacy app: agreements (with parties and policy areas), network memberships (with roles),
initiatives and engagements.

Each service runs in one transaction and follows the rules of `metrodiplomacy.writes`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from metrodiplomacy.related import check_reference
from metrodiplomacy.writes import (
    Author,
    WriteSpec,
    delete_record,
    organisations,
    places,
    policy_areas,
    save_record,
    write_spec_for,
)

from .models import Agreement, AgreementParty, Engagement, Initiative, NetworkMembership, NetworkRole

AGREEMENT = WriteSpec(plain=("kind", "title", "year", "signed_on", "status"), many={"policy_areas": policy_areas})
INITIATIVE = WriteSpec(
    plain=("name", "year", "description"),
    references={"lead": organisations},
    many={"partners": organisations, "places": places, "policy_areas": policy_areas},
)
ENGAGEMENT = WriteSpec(
    plain=("kind", "title", "year", "date", "end_date", "description"),
    references={"organisation": organisations, "place": places},
    many={"partners": organisations, "policy_areas": policy_areas},
)


def _resolve_parties(author: Author, parties: list[dict]) -> list[AgreementParty]:
    resolved, seen = [], set()
    for number, party in enumerate(parties, start=1):
        place_key, organisation_key = party.get("place"), party.get("organisation")
        if bool(place_key) == bool(organisation_key):
            raise ValidationError({"parties": f"Party {number}: give either a place or an organisation."})
        if (place_key, organisation_key) in seen:
            raise ValidationError({"parties": f"Party {number} is listed twice."})
        seen.add((place_key, organisation_key))
        resolved.append(
            AgreementParty(
                place=places(author, "parties", place_key) if place_key else None,
                organisation=organisations(author, "parties", organisation_key) if organisation_key else None,
            )
        )
    return resolved


def _save_agreement(author: Author, agreement: Agreement, values: dict, creating: bool) -> Agreement:
    parties = _resolve_parties(author, values["parties"] or []) if "parties" in values else None
    save_record(author, agreement, values, AGREEMENT, creating)
    if parties is not None:
        agreement.parties.all().delete()
        for party in parties:
            check_reference(agreement, "parties", party.organisation)
            party.agreement = agreement
            party._history_user = getattr(agreement, "_history_user", None)
            party.save()
    return agreement


@transaction.atomic
def record_agreement(author: Author, values: dict) -> Agreement:
    """Create an agreement with its parties and policy areas, owned by an organisation the author edits for."""
    return _save_agreement(author, Agreement(), values, creating=True)


@transaction.atomic
def change_agreement(author: Author, agreement: Agreement, values: dict) -> Agreement:
    """Change the given fields of an agreement; `parties` and `policy_areas`, when given, replace the old ones."""
    return _save_agreement(author, agreement, values, creating=False)


@transaction.atomic
def remove_agreement(author: Author, agreement: Agreement) -> None:
    """Delete an agreement with its parties and citations."""
    delete_record(author, agreement)


@transaction.atomic
def record_initiative(author: Author, values: dict) -> Initiative:
    """Create an initiative with its lead, partners, places and policy areas."""
    initiative = Initiative()
    save_record(author, initiative, values, INITIATIVE, creating=True)
    return initiative


@transaction.atomic
def change_initiative(author: Author, initiative: Initiative, values: dict) -> Initiative:
    """Change the given fields of an initiative; list fields, when given, replace the old ones."""
    save_record(author, initiative, values, INITIATIVE, creating=False)
    return initiative


@transaction.atomic
def remove_initiative(author: Author, initiative: Initiative) -> None:
    """Delete an initiative with its citations."""
    delete_record(author, initiative)


@transaction.atomic
def record_engagement(author: Author, values: dict) -> Engagement:
    """Create an engagement with its organisation, place, partners and policy areas."""
    engagement = Engagement()
    save_record(author, engagement, values, ENGAGEMENT, creating=True)
    return engagement


@transaction.atomic
def change_engagement(author: Author, engagement: Engagement, values: dict) -> Engagement:
    """Change the given fields of an engagement; list fields, when given, replace the old ones."""
    save_record(author, engagement, values, ENGAGEMENT, creating=False)
    return engagement


@transaction.atomic
def remove_engagement(author: Author, engagement: Engagement) -> None:
    """Delete an engagement with its citations."""
    delete_record(author, engagement)


def _resolve_roles(roles: list[dict]) -> list[NetworkRole]:
    resolved, seen = [], set()
    for number, role in enumerate(roles, start=1):
        if (role.get("role"), role.get("year")) in seen:
            raise ValidationError({"roles": f"Role {number} is listed twice."})
        seen.add((role.get("role"), role.get("year")))
        resolved.append(NetworkRole(role=role.get("role") or "", year=role.get("year")))
    return resolved


def _save_network_membership(author: Author, membership: NetworkMembership, values: dict, creating: bool):
    roles = _resolve_roles(values["roles"] or []) if "roles" in values else None
    save_record(author, membership, values, write_spec_for(NetworkMembership), creating)
    if roles is not None:
        membership.roles.all().delete()
        for role in roles:
            role.membership = membership
            role._history_user = getattr(membership, "_history_user", None)
            role.full_clean()
            role.save()
    return membership


@transaction.atomic
def record_network_membership(author: Author, values: dict) -> NetworkMembership:
    """Create an organisation's membership of a city network with its roles (`roles`: role and year)."""
    return _save_network_membership(author, NetworkMembership(), values, creating=True)


@transaction.atomic
def change_network_membership(author: Author, membership: NetworkMembership, values: dict) -> NetworkMembership:
    """Change the given fields of a network membership; `roles`, when given, replace the old ones."""
    return _save_network_membership(author, membership, values, creating=False)
