"""Writes of the results framework: reported values, their approval, and locked periods.

Rules, whoever calls (workspace pages, CLI, scripts):

- A value is entered as a draft by an editor (admin or editor role) of its owner. Changing a value that
  was submitted or approved sends it back to draft: what was approved is exactly what was reviewed.
- An editor submits a draft (or a returned value); an admin of the owner approves it or returns it with a
  comment. Nobody approves a value they submitted themselves (four eyes), staff excepted.
- An admin locks a year of the organisation's values once they are final: from then on no value of that
  year is created, changed, deleted, submitted, approved or returned, and the services say so.
- A value belongs to the owner of its indicator (`metrodiplomacy.attachments`, issue #15): the indicator's
  owner decides what appears as its values, so its editors record them, its admins approve them and its
  locked periods hold for everyone, the indicator's editors and staff included.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.attachments import as_part_of_target, check_attachment
from metrodiplomacy.writes import Author, change_record, create_record, remove_record

from .models import Approval, LockedPeriod, Observation, ObservationReview, ReviewAction

# Which states each step starts from, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ReviewAction.SUBMIT: (frozenset({Approval.DRAFT, Approval.RETURNED}), Approval.SUBMITTED),
    ReviewAction.APPROVE: (frozenset({Approval.SUBMITTED}), Approval.APPROVED),
    ReviewAction.RETURN: (frozenset({Approval.SUBMITTED}), Approval.RETURNED),
}


def is_locked(organisation_id: int | None, year: int | None) -> bool:
    """Whether that year of the organisation's values is closed."""
    if organisation_id is None or year is None:
        return False
    return LockedPeriod.objects.filter(organisation_id=organisation_id, year=year).exists()


def check_not_locked(observation: Observation) -> None:
    """Refuse a value in a year its indicator's owner locked, or its own owner did (values from before the rule)."""
    indicator = getattr(observation, "indicator", None)
    if is_locked(observation.owner_id, observation.year):
        raise ValidationError(
            f"{observation.year} is a locked period for {observation.owner}: its values can no longer change."
        )
    if indicator is not None and is_locked(indicator.owner_id, observation.year):
        # Not named: the indicator's owner may be an organisation the author cannot read.
        raise ValidationError(
            f"{observation.year} is a locked period for the indicator's owner: its values can no longer change."
        )


def is_admin_of(author: Author, organisation_id: int | None) -> bool:
    """Admins of the organisation (and staff acting for it) approve values and lock periods."""
    from metrodiplomacy.workspaces.models import Membership, Role

    user = author.user
    if user is None or not user.is_authenticated or not author.may_edit_for(organisation_id):
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(user=user, organisation_id=organisation_id, role=Role.ADMIN).exists()


@transaction.atomic
def record_observation(author: Author, values: dict[str, Any]) -> Observation:
    """Enter a value (baseline, target or observed) as a draft; refused in a locked period."""
    observation = create_record(author, Observation, values)
    assert isinstance(observation, Observation)
    # Also checked by every record write; said here because it is the rule this service exists for.
    check_attachment(author, observation)
    check_not_locked(observation)
    return observation


@transaction.atomic
def change_observation(author: Author, observation: Observation, values: dict[str, Any]) -> Observation:
    """Change a value; a submitted or approved value goes back to draft, and a locked period refuses it."""
    author.check_can_edit(observation)
    check_not_locked(observation)
    before = _reviewed_fields(observation)
    change_record(author, observation, values)
    check_attachment(author, observation)
    check_not_locked(observation)
    if observation.approval in {Approval.SUBMITTED, Approval.APPROVED} and _reviewed_fields(observation) != before:
        _move(author, observation, ReviewAction.REOPEN, Approval.DRAFT, "The value changed after review.")
    return observation


@transaction.atomic
def remove_observation(author: Author, observation: Observation) -> None:
    """Delete a value, unless its period is locked."""
    author.check_can_edit(observation)
    check_not_locked(observation)
    remove_record(author, observation)


@transaction.atomic
def submit_observation(author: Author, observation: Observation, comment: str = "") -> Observation:
    """Send a draft (or a returned value) to the organisation's admins for approval."""
    author.check_can_edit(observation)
    check_attachment(author, observation)
    return _step(author, observation, ReviewAction.SUBMIT, comment)


@transaction.atomic
def approve_observation(author: Author, observation: Observation, comment: str = "") -> Observation:
    """Approve a submitted value (admins of its owner; never the person who submitted it)."""
    _check_reviewer(author, observation)
    return _step(author, observation, ReviewAction.APPROVE, comment)


@transaction.atomic
def return_observation(author: Author, observation: Observation, comment: str) -> Observation:
    """Send a submitted value back to its editors, saying what to correct."""
    _check_reviewer(author, observation)
    if not comment.strip():
        raise ValidationError({"comment": "Say what should be corrected: a returned value needs a comment."})
    return _step(author, observation, ReviewAction.RETURN, comment)


@transaction.atomic
def lock_period(author: Author, organisation: Organisation, year: int, comment: str = "") -> LockedPeriod:
    """Close a year of the organisation's values for good; refused while some still await a decision."""
    if not is_admin_of(author, organisation.pk):
        raise PermissionDenied("Only an admin of the organisation may lock a period.")
    if not 1000 <= year <= 2200:
        raise ValidationError({"year": f"{year} is not a plausible year."})
    if LockedPeriod.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(f"{year} is already locked for {organisation}.")
    # Only values its admins can decide wait for them: a value someone else attached to its indicator never will.
    waiting = as_part_of_target(
        Observation.objects.filter(owner=organisation, year=year, approval=Approval.SUBMITTED)
    ).count()
    if waiting:
        raise ValidationError(
            f"{waiting} value(s) of {year} still await approval: approve or return them before locking the period."
        )
    return LockedPeriod.objects.create(organisation=organisation, year=year, locked_by=_user(author), comment=comment)


def _reviewed_fields(observation: Observation) -> tuple:
    return (
        observation.indicator_id,
        observation.year,
        observation.role,
        observation.value_state,
        observation.value,
        observation.scale,
        observation.unit,
        observation.qualifier,
        observation.dimension,
        observation.dimension_value,
    )


def _check_reviewer(author: Author, observation: Observation) -> None:
    # The indicator's owner decides what appears as its values; a value someone else owns is never approved.
    if not is_admin_of(author, observation.owner_id) or not is_admin_of(author, observation.indicator.owner_id):
        raise PermissionDenied("Only an admin of the owning organisation may approve or return a value.")
    check_attachment(author, observation)
    if author.user.is_staff:
        return
    submitted = observation.reviews.filter(action=ReviewAction.SUBMIT).order_by("-at", "-pk").first()
    if submitted is not None and submitted.user_id == author.user.pk:
        raise PermissionDenied("You submitted this value: another admin must approve or return it.")


def _step(author: Author, observation: Observation, action: str, comment: str) -> Observation:
    check_not_locked(observation)
    sources, target = TRANSITIONS[action]
    if observation.approval not in sources:
        raise ValidationError(
            f"A value that is {observation.get_approval_display()} cannot be {ReviewAction(action).label}."
        )
    _move(author, observation, action, target, comment)
    return observation


def _move(author: Author, observation: Observation, action: str, target: str, comment: str) -> None:
    observation.approval = target
    if _user(author) is not None:
        observation._history_user = author.user
    observation.save(update_fields=["approval", "updated_at"])
    ObservationReview.objects.create(observation=observation, action=action, user=_user(author), comment=comment)


def _user(author: Author) -> Any:
    user = author.user
    return user if user is not None and getattr(user, "pk", None) is not None else None
