"""The comparative framework's profiles of a territory: network seats, coordination, reports, cooperation share.

- A network is prioritised when a seat of the territory in it is marked prioritised; leading roles are
  presidencies, vice-presidencies, chairs and seats on executive or steering bodies.
- A coordination mechanism covers the whole territory when its scope is "overall" and it is convened
  by an organisation based in the place itself, or joined by every government that acts abroad there.
- An accountability report is complete when it gives results for all of an organisation's or the
  territory's international action; web pages without results and sectoral evaluations are partial.
- The cooperation share of a government is its cooperation budget over its total budget (statistics
  `cooperation_budget` and `total_budget`, same currency); else a share the source states
  (`cooperation_budget_share`); else the missing statistic is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from metrodiplomacy.analysis.capacity import SCALE_FACTOR, format_decimal
from metrodiplomacy.analysis.comparative_records import (
    MechanismRecord,
    MembershipRecord,
    PlaceRecords,
    Ref,
    ReportRecord,
    StatisticRecord,
    acting_governments,
    names,
    statistic_ref,
)

LOGICS = {
    "intergovernmental": "intergovernmental",
    "citizen_participation": "citizen participation",
    "public_private": "public–private",
}
LEADERSHIP_ROLES = (
    "presidency",
    "co_presidency",
    "vice_presidency",
    "regional_vice_presidency",
    "chair",
    "executive_bureau",
    "executive_board",
    "executive_committee",
    "steering_committee",
)
HOST_ROLES = ("secretariat_host", "headquarters_host", "regional_office_host")
COOPERATION_BUDGET = "cooperation_budget"
TOTAL_BUDGET = "total_budget"
COOPERATION_SHARE = "cooperation_budget_share"


def role_label(role: str, year: int | None = None) -> str:
    return role.replace("co_", "co-").replace("vice_", "vice-").replace("_", " ") + (f" {year}" if year else "")


@dataclass(frozen=True)
class NetworkProfile:
    seats: tuple[MembershipRecord, ...]
    networks: tuple[str, ...]
    prioritised: tuple[str, ...]
    unknown_priority: tuple[str, ...]
    leadership: tuple[str, ...]
    hosted: tuple[str, ...]
    congresses: tuple[str, ...]


def profile_networks(records: PlaceRecords) -> NetworkProfile:
    """Seats of the territory's organisations in city networks: priorities, leading roles, what is hosted."""
    seats = tuple(sorted(records.memberships, key=lambda m: (m.network_name, records.name_of(m.member), m.key)))
    networks = tuple(dict.fromkeys(m.network_name for m in seats))
    flags: dict[str, set] = {}
    for seat in seats:
        flags.setdefault(seat.network_name, set()).add(seat.is_prioritised)
    prioritised = tuple(n for n in networks if True in flags[n])
    unknown = tuple(n for n in networks if True not in flags[n] and None in flags[n])
    leadership, hosted, congresses = [], [], []
    for seat in seats:
        member = records.name_of(seat.member)
        for role, year in seat.roles:
            if role in LEADERSHIP_ROLES:
                leadership.append(f"{seat.network_name}: {role_label(role, year)} ({member})")
            elif role in HOST_ROLES:
                hosted.append(f"{seat.network_name} {role_label(role).replace(' host', '')}")
            elif role == "congress_host":
                congresses.append(f"{seat.network_name}{f' {year}' if year else ''}")
    for hosting in records.hostings:
        if hosting.organisation_kind == "city_network":
            network = hosting.organisation_acronym or hosting.organisation_name
            hosted.append(f"{network} {hosting.kind.replace('_', ' ')}")
    return NetworkProfile(
        seats, networks, prioritised, unknown, tuple(leadership), tuple(sorted(set(hosted))), tuple(congresses)
    )


@dataclass(frozen=True)
class CoordinationProfile:
    mechanisms: tuple[MechanismRecord, ...]
    whole_territory: tuple[MechanismRecord, ...]
    overall_for_a_part: tuple[MechanismRecord, ...]
    sectoral: tuple[MechanismRecord, ...]
    scope_unknown: tuple[MechanismRecord, ...]

    def by_logic(self) -> dict[str, tuple[MechanismRecord, ...]]:
        return {
            logic: tuple(m for m in self.mechanisms if m.logic == logic)
            for logic in LOGICS
            if any(m.logic == logic for m in self.mechanisms)
        }


def covers_whole_territory(records: PlaceRecords, mechanism: MechanismRecord, acting: Sequence[str]) -> bool:
    """Overall in scope, and convened from the place itself or joined by every government acting abroad."""
    if mechanism.scope != "overall":
        return False
    convenor = records.organisation(mechanism.convenor)
    if convenor is not None and convenor.home_place == records.key:
        return True
    bodies = {records.governing_body(key) for key in (mechanism.convenor, *mechanism.members)}
    participants = {body.key for body in bodies if body is not None}
    return bool(acting) and set(acting) <= participants


def profile_coordination(records: PlaceRecords) -> CoordinationProfile:
    mechanisms = tuple(sorted(records.mechanisms, key=lambda m: (m.name, m.key)))
    acting = list(acting_governments(records))
    whole = tuple(m for m in mechanisms if covers_whole_territory(records, m, acting))
    return CoordinationProfile(
        mechanisms,
        whole,
        tuple(m for m in mechanisms if m.scope == "overall" and m not in whole),
        tuple(m for m in mechanisms if m.scope == "sectoral"),
        tuple(m for m in mechanisms if not m.scope),
    )


def accountability_reports(records: PlaceRecords) -> tuple[list[ReportRecord], list[ReportRecord]]:
    """Reports giving results for all of an organisation's or the territory's action; and the partial ones."""
    complete = [r for r in records.reports if r.reports_results and r.coverage in ("organisation", "territory")]
    return complete, [r for r in records.reports if r not in complete]


@dataclass(frozen=True)
class CooperationShare:
    """How much of a government's budget goes to cooperation, or why that cannot be told."""

    organisation: str
    organisation_name: str
    share: Decimal | None
    basis: str
    records: tuple[Ref, ...]
    missing: tuple[str, ...] = ()
    remark: str = ""


def _latest(statistics: list[StatisticRecord]) -> StatisticRecord | None:
    return max(statistics, key=lambda s: (s.year or 0, s.key), default=None)


def statistic_amount(statistic: StatisticRecord) -> Decimal:
    """A statistic's value in plain units (EUR 1.5 million -> 1500000)."""
    return statistic.value * SCALE_FACTOR.get(statistic.scale or "units", 1)


def cooperation_shares(records: PlaceRecords) -> list[CooperationShare]:
    """For each government of the territory: cooperation budget over total budget, as recorded (percent)."""
    shares = []
    for government in records.governments():
        stats = [s for s in records.statistics if s.organisation == government.key]
        cooperation = _latest([s for s in stats if s.metric == COOPERATION_BUDGET])
        total = _latest([s for s in stats if s.metric == TOTAL_BUDGET])
        stated = _latest([s for s in stats if s.metric == COOPERATION_SHARE])
        refs = tuple(statistic_ref(records, s) for s in (cooperation, total, stated) if s is not None)
        if cooperation and total and cooperation.unit == total.unit and statistic_amount(total) > 0:
            share = statistic_amount(cooperation) / statistic_amount(total) * 100
            remark = ""
            if cooperation.year != total.year:
                remark = f"the budgets are of different years ({cooperation.year or '?'} and {total.year or '?'})"
            shares.append(CooperationShare(government.key, government.name, share, "computed", refs, remark=remark))
        elif stated is not None:
            shares.append(CooperationShare(government.key, government.name, stated.value, "recorded", refs))
        else:
            missing = []
            if cooperation is None:
                missing.append(f"a {COOPERATION_BUDGET} statistic")
            if total is None:
                missing.append(f"a {TOTAL_BUDGET} statistic")
            elif cooperation is not None and cooperation.unit != total.unit:
                missing.append(f"budgets in one currency ({cooperation.unit} and {total.unit} recorded)")
            shares.append(CooperationShare(government.key, government.name, None, "", refs, tuple(missing)))
    return shares


def cooperation_shares_text(shares: Sequence[CooperationShare]) -> str:
    """The cooperation share of each government, or what is missing to tell it, as one cell."""
    parts = []
    for share in shares:
        if share.share is not None:
            parts.append(f"{share.organisation_name}: {format_decimal(share.share)} % ({share.basis})")
        elif share.records:
            parts.append(f"{share.organisation_name}: cannot be assessed, missing {' and '.join(share.missing)}")
    silent = [share.organisation_name for share in shares if share.share is None and not share.records]
    if silent:
        parts.append(f"no budget recorded for {names(silent)}")
    return "; ".join(parts)
