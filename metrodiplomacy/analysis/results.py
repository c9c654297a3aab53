"""Results of international action: indicators against their baseline and target, trends, outputs against
outcomes, and the trend of each negative externality (DESIGN.md §3.6).

Plain values in (`ResultIndicator`, `ResultValue`), `Table`s out. An unknown value is `None` and is never
read as zero: a progress that needs it is itself unknown, and the notes say why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from metrodiplomacy.analysis.tables import Table

HIGHER, LOWER = "higher", "lower"
BASELINE, TARGET, OBSERVED = "baseline", "target", "observed"
KIND_ORDER = ("output", "outcome", "impact", "externality")

# Progress statuses, from the best to the worst; "no data" when the comparison cannot be made.
MET, ON_TRACK, NO_PROGRESS, WORSE, NO_DATA = "target met", "progressing", "no progress", "moving away", "no data"


@dataclass(frozen=True)
class ResultValue:
    """One value of an indicator: a baseline, a target or an observation, for a year (None: undated)."""

    year: int | None
    role: str
    value: Decimal | None  # None: explicitly unknown
    approval: str = "approved"
    dimension: str = ""
    dimension_value: str = ""
    key: str = ""
    flag: str = ""

    @property
    def is_total(self) -> bool:
        """The value for the whole, not one part of a disaggregation."""
        return not self.dimension


@dataclass(frozen=True)
class ResultIndicator:
    key: str
    name: str
    kind: str  # output, outcome, impact, externality
    category: str
    unit: str
    direction: str  # higher or lower (is better); empty: lower for an externality, higher otherwise
    values: tuple[ResultValue, ...] = field(default=())
    objectives: tuple[str, ...] = field(default=())
    organisation: str = ""
    flag: str = ""

    @property
    def better(self) -> str:
        """Which way is better: as stated, else lower for an externality and higher for anything else."""
        if self.direction in (HIGHER, LOWER):
            return self.direction
        return LOWER if self.kind == "externality" else HIGHER

    def totals(self, role: str) -> list[ResultValue]:
        """The whole-territory values of a role, dated ones in year order."""
        return sorted(
            (v for v in self.values if v.role == role and v.is_total and v.year is not None), key=lambda v: v.year or 0
        )

    def value_for(self, role: str, year: int) -> ResultValue | None:
        return next((v for v in self.totals(role) if v.year == year), None)

    def baseline(self) -> ResultValue | None:
        """The latest known baseline (a plan sets one; a revised one replaces it)."""
        known = [v for v in self.totals(BASELINE) if v.value is not None]
        return known[-1] if known else None

    def target_for(self, year: int) -> ResultValue | None:
        """The target of that year, or else the nearest later one (a plan's end-of-period target)."""
        targets = [v for v in self.totals(TARGET) if v.value is not None]
        exact = [v for v in targets if v.year == year]
        later = [v for v in targets if (v.year or 0) > year]
        chosen = exact or later
        return chosen[0] if chosen else None


def progress(
    baseline: Decimal | None, target: Decimal | None, observed: Decimal | None, direction: str = ""
) -> float | None:
    """How far the observed value has gone from the baseline towards the target, in percent (100: reached).

    Works for either direction: the target says which way is forward. Unknown when a value is, or when
    the target equals the baseline (there is no way to go), or when the target is worse than the baseline
    in the indicator's direction: such a target is a limit not to cross, not a distance to travel.
    """
    if baseline is None or target is None or observed is None or target == baseline:
        return None
    if direction == HIGHER and target < baseline or direction == LOWER and target > baseline:
        return None
    return float((observed - baseline) / (target - baseline) * 100)


def status(direction: str, baseline: Decimal | None, target: Decimal | None, observed: Decimal | None) -> str:
    """Where the observed value stands against the target, read in the indicator's direction."""
    if observed is None or target is None:
        return NO_DATA
    better = observed >= target if direction != LOWER else observed <= target
    if better:
        return MET
    if baseline is None:
        return NO_DATA
    is_limit = target < baseline if direction != LOWER else target > baseline
    gained = observed - baseline if direction != LOWER else baseline - observed
    if gained > 0 and not is_limit:
        return ON_TRACK
    return NO_PROGRESS if gained == 0 else WORSE


def slope(points: Iterable[tuple[int, Decimal | float]]) -> float | None:
    """Least-squares change per year over the given (year, value) points; None with fewer than two years."""
    pairs = [(float(year), float(value)) for year, value in points]
    if len({year for year, _ in pairs}) < 2:
        return None
    mean_x = sum(x for x, _ in pairs) / len(pairs)
    mean_y = sum(y for _, y in pairs) / len(pairs)
    spread = sum((x - mean_x) ** 2 for x, _ in pairs)
    return sum((x - mean_x) * (y - mean_y) for x, y in pairs) / spread


def reading(direction: str, change: float | None) -> str:
    """Whether a change per year is an improvement, given which way is better."""
    if change is None:
        return NO_DATA
    if change == 0:
        return "stable"
    improving = change > 0 if direction != LOWER else change < 0
    return "improving" if improving else "worsening"


def observed_points(indicator: ResultIndicator, until: int | None = None) -> list[tuple[int, Decimal]]:
    """The known observed totals, up to a year."""
    return [
        (v.year, v.value)
        for v in indicator.totals(OBSERVED)
        if v.value is not None and v.year is not None and (until is None or v.year <= until)
    ]


def progress_table(indicators: Sequence[ResultIndicator], year: int) -> Table:
    """Each indicator in a year: baseline, target, observed value, % of the way, status and trend."""
    rows = []
    unknown = []
    for indicator in _ordered(indicators):
        base = indicator.baseline()
        target = indicator.target_for(year)
        seen = indicator.value_for(OBSERVED, year)
        observed = seen.value if seen else None
        if seen is not None and seen.value is None:
            unknown.append(indicator.name)
        change = slope(observed_points(indicator, year))
        share = progress(base.value if base else None, target.value if target else None, observed, indicator.better)
        rows.append(
            (
                indicator.name,
                indicator.kind,
                indicator.unit,
                "higher is better" if indicator.better != LOWER else "lower is better",
                base.year if base else None,
                base.value if base else None,
                target.year if target else None,
                target.value if target else None,
                observed,
                None if share is None else round(share, 1),
                status(indicator.better, base.value if base else None, target.value if target else None, observed),
                None if change is None else round(change, 2),
                reading(indicator.better, change),
                seen.approval if seen else "",
            )
        )
    notes = [
        "% of the way = (observed − baseline) / (target − baseline) × 100, so 100 means the target is reached "
        "whichever way is better; the target is the year's, or else the nearest later one.",
        "Trend = least-squares change per year of the observed values up to the year.",
        "A target worse than the baseline is a limit not to cross: it has no % of the way, only a status.",
    ]
    if unknown:
        notes.append(f"Reported as unknown in {year}: {', '.join(unknown)}.")
    return Table.build(
        f"Indicators against baseline and target, {year}",
        (
            "indicator",
            "kind",
            "unit",
            "direction",
            "baseline year",
            "baseline",
            "target year",
            "target",
            "observed",
            "% of the way",
            "status",
            "trend per year",
            "trend reading",
            "approval",
        ),
        rows,
        notes,
    )


def kinds_table(indicators: Sequence[ResultIndicator], year: int) -> Table:
    """Outputs against outcomes and impacts: how many are measured, how many reached their target."""
    rows = []
    for kind in KIND_ORDER:
        chosen = [i for i in indicators if i.kind == kind]
        if not chosen:
            continue
        measured = met = 0
        shares = []
        for indicator in chosen:
            base, target = indicator.baseline(), indicator.target_for(year)
            seen = indicator.value_for(OBSERVED, year)
            observed = seen.value if seen else None
            measured += observed is not None
            result = status(indicator.better, base.value if base else None, target.value if target else None, observed)
            met += result == MET
            share = progress(base.value if base else None, target.value if target else None, observed, indicator.better)
            if share is not None:
                shares.append(share)
        rows.append((kind, len(chosen), measured, met, round(median(shares), 1) if shares else None))
    return Table.build(
        f"Outputs, outcomes and impacts, {year}",
        ("kind", "indicators", "measured in the year", "target met", "median % of the way"),
        rows,
        [
            "An output counts what was done (missions, projects); an outcome or impact what it changed.",
            "The median, not the mean: one indicator far off its target does not decide the whole kind.",
        ],
    )


def externality_table(indicators: Sequence[ResultIndicator], until: int | None = None) -> Table:
    """Each externality indicator from its first to its last observed year, with its trend and its reading."""
    rows = []
    for indicator in _ordered([i for i in indicators if i.kind == "externality"]):
        points = observed_points(indicator, until)
        change = slope(points)
        first, last = (points[0], points[-1]) if points else (None, None)
        percent = None
        if first and last and first[0] != last[0] and first[1] != 0:
            percent = round(float((last[1] - first[1]) / abs(first[1]) * 100), 1)
        rows.append(
            (
                indicator.name,
                indicator.unit,
                first[0] if first else None,
                first[1] if first else None,
                last[0] if last else None,
                last[1] if last else None,
                percent,
                None if change is None else round(change, 2),
                reading(indicator.better, change),
            )
        )
    return Table.build(
        "Negative externalities: trends",
        (
            "indicator",
            "unit",
            "first year",
            "first value",
            "last year",
            "last value",
            "change %",
            "trend per year",
            "reading",
        ),
        rows,
        ["An externality indicator is read in its direction: for most, lower is better."],
    )


def series_table(indicator: ResultIndicator, until: int | None = None) -> Table:
    """The dated totals of one indicator (baseline, targets, observations), long, for its chart."""
    rows = [
        (indicator.name, v.year, v.role, v.value)
        for v in sorted(indicator.values, key=lambda v: (v.year or 0, v.role))
        if v.is_total and v.year is not None and v.value is not None and (until is None or v.year <= until)
    ]
    return Table.build(
        f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name,
        ("indicator", "year", "role", "value"),
        rows,
        [f"{'Higher' if indicator.better != LOWER else 'Lower'} is better."],
    )


def breakdown_table(indicators: Sequence[ResultIndicator], year: int) -> Table:
    """Disaggregated observed values of a year (by sex, district…), beside the total when it is known."""
    rows = []
    for indicator in _ordered(indicators):
        parts = [v for v in indicator.values if v.role == OBSERVED and v.year == year and not v.is_total]
        total = indicator.value_for(OBSERVED, year)
        for part in sorted(parts, key=lambda v: (v.dimension, v.dimension_value)):
            rows.append(
                (indicator.name, part.dimension, part.dimension_value, part.value, total.value if total else None)
            )
    return Table.build(
        f"Disaggregated values, {year}",
        ("indicator", "dimension", "part", "value", "total"),
        rows,
        ["An unknown part is left empty; parts need not add up to the total when a part is unknown."],
    )


def _ordered(indicators: Iterable[ResultIndicator]) -> list[ResultIndicator]:
    rank = {kind: n for n, kind in enumerate(KIND_ORDER)}
    return sorted(indicators, key=lambda i: (rank.get(i.kind, len(rank)), i.name, i.key))
