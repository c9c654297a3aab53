"""The derivation rule: a reliance level proposed for each cell from the records of what a place does abroad.

Every record of a place's own actors that is tagged with a policy area adds to that cell's score: an
agreement, an initiative or a cooperation project adds its kind's weight, an engagement (a single event) less,
and a network membership adds the membership weight scaled by the strongest role held (0–5 scale, divided by
5) when the network's focus areas include the area. The score then maps to a level:

    score >= relies_at                -> "+"
    neutral_at <= score < relies_at   -> "0"
    score < neutral_at                -> "-"
    the place has no tagged record at all, in any area -> "?" (nothing to judge by)

Weights and thresholds are parameters, documented in docs/methodology.md, and every proposal lists the
records that drove it with their contributions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from metrodiplomacy.analysis.networks import ROLE_WEIGHTS as NETWORK_ROLE_WEIGHTS
from metrodiplomacy.analysis.reliance import NEUTRAL, NO_RELIANCE, NOT_CLEAR, RELIES, Area, Cell, Matrix
from metrodiplomacy.analysis.tables import Table

EVIDENCE_KINDS = ("agreement", "initiative", "cooperation_project", "engagement", "membership")

DEFAULT_WEIGHTS = MappingProxyType(
    {"agreement": 1.0, "initiative": 1.0, "cooperation_project": 1.0, "engagement": 0.5, "membership": 1.0}
)

# The same 0–5 role scale as the network analytics: hosting the secretariat or holding the presidency commits a
# city far more than a plain membership does.
ROLE_WEIGHTS = NETWORK_ROLE_WEIGHTS
MAX_ROLE_WEIGHT = 5


@dataclass(frozen=True)
class Evidence:
    """A record of what a place does abroad, with the policy areas it is tagged with."""

    kind: str
    key: str
    title: str
    place: str
    areas: tuple[str, ...]
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class DerivationRule:
    """The parameters of the derivation; the defaults are the documented rule."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    role_weights: Mapping[str, int] = field(default_factory=lambda: dict(ROLE_WEIGHTS))
    relies_at: float = 1.0
    neutral_at: float = 0.2

    def __post_init__(self) -> None:
        if not 0 < self.neutral_at <= self.relies_at:
            raise ValueError("thresholds must satisfy 0 < neutral_at <= relies_at")
        unknown = set(self.weights) - set(EVIDENCE_KINDS)
        if unknown:
            raise ValueError(f"unknown evidence kind(s): {', '.join(sorted(unknown))}")
        if any(weight < 0 for weight in self.weights.values()):
            raise ValueError("weights cannot be negative")

    def contribution(self, evidence: Evidence) -> float:
        weight = self.weights.get(evidence.kind, 0.0)
        if evidence.kind == "membership":
            strongest = max((self.role_weights.get(role, 1) for role in evidence.roles), default=1)
            return weight * strongest / MAX_ROLE_WEIGHT
        return weight

    def level(self, score: float) -> str:
        if score >= self.relies_at:
            return RELIES
        if score >= self.neutral_at:
            return NEUTRAL
        return NO_RELIANCE


@dataclass(frozen=True)
class Proposal:
    place: str
    area: str
    level: str
    score: float
    drivers: tuple[tuple[Evidence, float], ...]


def derive(
    evidence: Iterable[Evidence], places: Sequence[str], areas: Sequence[Area], rule: DerivationRule | None = None
) -> dict[tuple[str, str], Proposal]:
    """Propose a level for every place × area cell from the evidence, with the records behind each."""
    rule = rule or DerivationRule()
    area_codes = {area.code for area in areas}
    drivers: dict[tuple[str, str], list[tuple[Evidence, float]]] = {}
    active: set[str] = set()
    for item in evidence:
        if item.place not in places:
            continue
        for code in item.areas:
            if code in area_codes:
                active.add(item.place)
                drivers.setdefault((item.place, code), []).append((item, rule.contribution(item)))
    proposals = {}
    for place in places:
        for area in areas:
            found = tuple(sorted(drivers.get((place, area.code), []), key=lambda pair: (-pair[1], pair[0].key)))
            score = round(sum(weight for _item, weight in found), 6)
            level = rule.level(score) if place in active else NOT_CLEAR
            proposals[(place, area.code)] = Proposal(place, area.code, level, score, found)
    return proposals


def derived_matrix(
    proposals: Mapping[tuple[str, str], Proposal], places: Sequence[str], areas: Sequence[Area]
) -> Matrix:
    """The proposals as a Matrix, so every table and chart of coded matrices works on derived ones too."""
    cells = {key: Cell(p.place, p.area, p.level) for key, p in proposals.items()}
    return Matrix(list(places), list(areas), cells)


def drivers_table(
    proposals: Mapping[tuple[str, str], Proposal], areas: Sequence[Area], rule: DerivationRule | None = None
) -> Table:
    """Each cell's proposed level, score and the records that drove it (kind:key ×contribution)."""
    names = {area.code: area.name for area in areas}
    rows = []
    for (place, area), proposal in proposals.items():
        records = "; ".join(f"{item.kind}:{item.key} ({weight:g})" for item, weight in proposal.drivers)
        rows.append((place, names[area], proposal.level, Decimal(repr(proposal.score)), records))
    return Table.build(
        "Derived reliance levels and the records behind them",
        ("place", "policy area", "derived level", "score", "records (contribution)"),
        rows,
        [rule_note(rule or DerivationRule())],
    )


def rule_note(rule: DerivationRule) -> str:
    weights = ", ".join(f"{kind} {rule.weights.get(kind, 0):g}" for kind in EVIDENCE_KINDS)
    return (
        f"Rule: score = sum of weights ({weights}; a membership is scaled by its strongest role on a 0–5 scale "
        f"over 5); + at {rule.relies_at:g} or more, 0 from {rule.neutral_at:g}, - below; ? when the place has "
        "no tagged record in any area."
    )
