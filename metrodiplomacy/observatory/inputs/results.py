"""The indicators of organisations and their values, as the plain records `analysis.results` takes.

Two queries whatever the number of indicators, both through the strategy gate: a value the reader may
not see never reaches the analysis.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from metrodiplomacy.analysis.results import ResultIndicator, ResultValue
from metrodiplomacy.attachments import as_own_of_organisation, as_part_of_target
from metrodiplomacy.records import SCALE_FACTOR
from metrodiplomacy.strategy.models import Approval, ValueState
from metrodiplomacy.strategy.queries import visible_indicators, visible_observations


def result_indicators(user, organisation_ids: Iterable[int], approved_only: bool = False) -> list[ResultIndicator]:
    """The indicators whose `organisation` is one of these, with their values.

    `approved_only` keeps only approved values: what a public account may state.
    """
    ids = list(organisation_ids)
    # Only what the organisation has as its own: its indicators, and the values their owner recorded (issue #15).
    indicators = list(
        as_own_of_organisation(visible_indicators(user).filter(organisation__in=ids))
        .values("pk", "key", "name", "kind", "category", "unit", "direction", "flag", "organisation__key")
        .order_by("name", "key")
    )
    by_indicator: dict[int, list[ResultValue]] = defaultdict(list)
    observations = as_part_of_target(visible_observations(user).filter(indicator__in=[row["pk"] for row in indicators]))
    if approved_only:
        observations = observations.filter(approval=Approval.APPROVED)
    scales = _scales(observations)
    for row in observations.values(
        "indicator_id",
        "key",
        "year",
        "role",
        "value_state",
        "value",
        "scale",
        "approval",
        "dimension",
        "dimension_value",
        "flag",
    ):
        by_indicator[row["indicator_id"]].append(
            ResultValue(
                year=row["year"],
                role=row["role"],
                value=_value(row, scales.get(row["indicator_id"], set())),
                approval=row["approval"],
                dimension=row["dimension"],
                dimension_value=row["dimension_value"],
                key=row["key"],
                flag=row["flag"],
            )
        )
    objectives = _objectives(user, [row["pk"] for row in indicators])
    return [
        ResultIndicator(
            key=row["key"],
            name=row["name"],
            kind=row["kind"],
            category=row["category"],
            unit=_unit(row["unit"], scales.get(row["pk"], set())),
            direction=row["direction"],
            values=tuple(by_indicator[row["pk"]]),
            objectives=tuple(objectives.get(row["pk"], ())),
            organisation=row["organisation__key"] or "",
            flag=row["flag"],
        )
        for row in indicators
    ]


def _objectives(user, indicator_ids: list[int]) -> dict[int, list[str]]:
    from metrodiplomacy.strategy.models import Indicator
    from metrodiplomacy.strategy.queries import visible_objectives

    through = Indicator.objectives.through
    readable = visible_objectives(user).values("pk")
    found: dict[int, list[str]] = defaultdict(list)
    for indicator_id, name in (
        through.objects.filter(indicator_id__in=indicator_ids, objective__in=readable)
        .order_by("objective__code", "objective__name")
        .values_list("indicator_id", "objective__name")
    ):
        found[indicator_id].append(name)
    return found


def _scales(observations) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for indicator_id, scale in observations.values_list("indicator_id", "scale").distinct():
        found[indicator_id].add(scale)
    return found


def _unit(unit: str, scales: set[str]) -> str:
    """One shared scale reads as part of the unit ("million EUR"); mixed scales are brought to units."""
    if len(scales) == 1 and (scale := next(iter(scales))) != "units":
        return f"{scale} {unit}".strip()
    return unit


def _value(row: dict, scales: set[str]) -> Decimal | None:
    if row["value_state"] != ValueState.KNOWN:
        return None
    return row["value"] if len(scales) <= 1 else row["value"] * SCALE_FACTOR[row["scale"]]
