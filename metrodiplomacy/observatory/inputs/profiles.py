"""The statistics behind city profiles, as plain values for `metrodiplomacy.analysis.profiles`."""

from collections.abc import Sequence
from decimal import Decimal

from metrodiplomacy.analysis.profiles import PROFILE_METRICS, StatisticValue
from metrodiplomacy.places.models import Place, Statistic
from metrodiplomacy.records import visible_to

_FIELDS = (
    "key",
    "place__key",
    "place__name",
    "place__kind",
    "place__country__name",
    "metric",
    "year",
    "value",
    "scale",
    "unit",
    "qualifier",
    "kind",
    "flag",
)


def profile_statistics(
    user, places: Sequence[Place] | None = None, metrics: Sequence[str] = PROFILE_METRICS
) -> list[StatisticValue]:
    """The visible statistics of `metrics` about `places` (every place that has one when None), in one query."""
    statistics = Statistic.objects.filter(metric__in=list(metrics), place__isnull=False)
    if places is not None:
        statistics = statistics.filter(place__in=[place.pk for place in places])
    rows = visible_to(statistics, user).order_by("place__name", "place__key", "metric", "year", "key").values(*_FIELDS)
    return [
        StatisticValue(
            place=row["place__name"],
            # A country's own statistics (the thesis' comparisons with national GDPs) name it as the country.
            country=row["place__country__name"] or (row["place__name"] if row["place__kind"] == "country" else ""),
            metric=row["metric"],
            year=row["year"],
            value=Decimal(row["value"]),
            scale=row["scale"] or "units",
            unit=row["unit"],
            qualifier=row["qualifier"] or "exact",
            kind=row["kind"],
            key=row["key"],
            flag=row["flag"],
            place_key=row["place__key"],
        )
        for row in rows
    ]
