"""Writes of the coordination app: stakeholder agendas, meetings with their minutes, decisions; and the digest.

Each write runs in one transaction and follows `metrodiplomacy.writes`: meetings and decisions belong to a
mechanism and are changed only by whoever may change it. Minutes pass the shared upload gate before a
byte is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.mail import get_connection, send_mail
from django.db import transaction

from metrodiplomacy import uploads
from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.writes import (
    Author,
    WriteSpec,
    organisations,
    places,
    policy_areas,
    references_to,
    save_record,
    save_validated,
)

from .models import CoordinationMechanism, Decision, DecisionStatus, Meeting, StakeholderAgenda

UPCOMING_DAYS = 7
AGENDA = WriteSpec(
    plain=("sector", "priority_regions", "contact_name", "contact_email", "commitments"),
    references={"organisation": organisations, "unit": references_to(Unit)},
    many={
        "priority_countries": places,
        "priority_cities": places,
        "policy_areas": policy_areas,
        "networks": organisations,
    },
)


def _check_own_agenda(agenda: StakeholderAgenda) -> None:
    if agenda.owner_id != agenda.organisation_id:
        raise ValidationError({"organisation": "An organisation states its own agenda: owner and organisation differ."})


@transaction.atomic
def record_agenda(author: Author, values: dict) -> StakeholderAgenda:
    """Create an organisation's agenda; the organisation owns it (it defaults to the owner)."""
    values = {**values}
    values.setdefault("organisation", values.get("owner"))
    if values.get("owner") is None and values.get("organisation"):
        values["owner"] = values["organisation"]
    agenda = StakeholderAgenda()
    save_record(author, agenda, values, AGENDA, creating=True)
    _check_own_agenda(agenda)
    return agenda


@transaction.atomic
def change_agenda(author: Author, agenda: StakeholderAgenda, values: dict) -> StakeholderAgenda:
    """Change the given fields of an agenda; list fields, when given, replace the old ones."""
    values = {key: value for key, value in values.items() if key not in {"organisation", "owner"}}
    save_record(author, agenda, values, AGENDA, creating=False)
    _check_own_agenda(agenda)
    return agenda


@transaction.atomic
def add_meeting(
    author: Author,
    mechanism: CoordinationMechanism,
    values: dict,
    minutes: IO[bytes] | None = None,
    minutes_name: str = "",
) -> Meeting:
    """Record a meeting of a mechanism; minutes, when given, must pass the upload gate (documents only)."""
    author.check_can_edit(mechanism)
    meeting = Meeting(mechanism=mechanism, date=values.get("date"), title=values.get("title") or "")
    meeting.place = places(author, "place", values.get("place")) if values.get("place") else None
    if minutes is not None:
        try:
            checked = uploads.check_upload(minutes, minutes_name or "minutes", uploads.DOCUMENT_TYPES)
        except uploads.UploadRefused as refusal:
            raise ValidationError({"minutes": str(refusal)}) from refusal
        meeting.minutes_name = checked.name[:200]
        meeting.minutes_type = checked.media_type
        # The stored name is ours; the user's file name is kept only as a label for the download.
        meeting.minutes.save(f"minutes.{checked.kind}", File(minutes), save=False)
    try:
        save_validated(author, meeting)
    except Exception:
        # The transaction rolls the row back; the file on disk is ours to remove.
        if meeting.minutes:
            meeting.minutes.delete(save=False)
        raise
    return meeting


@transaction.atomic
def remove_meeting(author: Author, meeting: Meeting) -> None:
    """Delete a meeting and its minutes file; its decisions stay with the mechanism."""
    author.check_can_edit(meeting.mechanism)
    if meeting.minutes:
        meeting.minutes.delete(save=False)
    meeting.delete()


@transaction.atomic
def add_decision(author: Author, mechanism: CoordinationMechanism, values: dict) -> Decision:
    """Record a decision of a mechanism with the organisation that answers for it, a due date and a status."""
    author.check_can_edit(mechanism)
    decision = Decision(
        mechanism=mechanism,
        text=values.get("text") or "",
        due_date=values.get("due_date"),
        status=values.get("status") or DecisionStatus.OPEN,
    )
    responsible = values.get("responsible")
    if isinstance(responsible, Organisation):
        # The page offers the organisations of the workspace, which its members know even when private.
        decision.responsible = responsible
    elif responsible:
        decision.responsible = organisations(author, "responsible", responsible)
    meeting_id = values.get("meeting")
    if meeting_id:
        decision.meeting = mechanism.meetings.filter(pk=meeting_id).first()
        if decision.meeting is None:
            raise ValidationError({"meeting": "No such meeting of this mechanism."})
    save_validated(author, decision)
    return decision


@transaction.atomic
def set_decision_status(author: Author, decision: Decision, status: str) -> Decision:
    """Mark a decision open, done or dropped: its follow-up."""
    author.check_can_edit(decision.mechanism)
    decision.status = status
    save_validated(author, decision)
    return decision


@dataclass(frozen=True)
class DigestSent:
    recipient: str
    overlaps: int
    synergies: int


def digest_for(user: Any, workspace: Any, today: date, window_days: int) -> tuple[str, int, int]:
    """The digest text as this user may read it: computed through their own gate, so it leaks nothing."""
    from metrodiplomacy.analysis.coordination import digest_text, find_all, upcoming
    from metrodiplomacy.observatory.inputs.coordination import coordination_inputs

    inputs = coordination_inputs(user, workspace)
    findings = find_all(inputs, window_days)
    coming = upcoming(inputs.activities, today, UPCOMING_DAYS)
    text = digest_text(workspace.name, findings, coming, inputs.names)
    return (
        text,
        sum(1 for f in findings if f.kind == "overlap"),
        sum(1 for f in findings if f.kind == "synergy"),
    )


def send_digest(workspace: Any, today: date, window_days: int, connection: Any = None) -> list[DigestSent]:
    """E-mail the weekly digest to every admin of the workspace's organisations who has an address.

    Each admin gets the findings their own rights let them read. Django's mail framework sends it (the
    console backend unless settings say otherwise).
    """
    from metrodiplomacy.workspaces.models import Membership, Role

    admins = {
        m.user.pk: m.user
        for m in Membership.objects.filter(organisation__workspaces=workspace, role=Role.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    }
    connection = connection or get_connection()
    sent = []
    for user in admins.values():
        if not user.email:
            continue
        text, overlaps, synergies = digest_for(user, workspace, today, window_days)
        subject = f"[Metrodiplomacy] {workspace.name}: {overlaps} overlaps, {synergies} synergies"
        send_mail(subject, text, None, [user.email], connection=connection)
        sent.append(DigestSent(user.email, overlaps, synergies))
    return sent
