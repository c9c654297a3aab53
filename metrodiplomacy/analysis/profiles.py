"""City profiles: how population and GDP grew between two years (the thesis' Figures 1, 4, 7, 9).

Statistics come in as plain values, exactly as a source states them (a value, its scale word, its
unit, a qualifier such as "about", observed or projected). The rules applied, each reported in the
table notes:

- Growth is `value to - value from`, in Decimal arithmetic, after both values are brought to the
  larger of their two scales (13,100,000 persons and 15.2 million persons compare in millions).
- Growth % is `growth / value from * 100`, rounded half away from zero to whole percent by default
  (the thesis' rounding: 191.7 -> 384.3 billion is 100 %).
- Where one place has several statistics for one metric and year, one is used, chosen by
  `DUPLICATE_RULE`; every such conflict is named in the notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from metrodiplomacy.analysis.tables import Cell, Table

# Mirrors metrodiplomacy.records.SCALE_FACTOR, which cannot be imported here (it imports Django).
SCALE_FACTOR: dict[str, int] = {"units": 1, "thousand": 10**3, "million": 10**6, "billion": 10**9}
PROFILE_METRICS: tuple[str, ...] = ("population", "gdp")
GROWTH_COLUMNS: tuple[str, ...] = (
    "place",
    "country",
    "metric",
    "unit",
    "year from",
    "value from",
    "year to",
    "value to",
    "growth",
    "growth %",
)
DUPLICATE_RULE = (
    "an unflagged statistic before a flagged one, then an exact qualifier before an approximate one, "
    "then observed before projected before target, then the most precise figure, then the first key"
)
_KIND_RANK = {"observed": 0, "projected": 1, "target": 2}
# The thesis' figures print population in millions and GDP in billions, one decimal each.
FIGURE_SCALE = {"population": "million", "gdp": "billion"}
FIGURE_PLACES = Decimal("0.1")


@dataclass(frozen=True)
class StatisticValue:
    """One statistic about a place as the source states it; `place_key` tells apart places sharing a name."""

    place: str
    country: str
    metric: str
    year: int | None
    value: Decimal
    scale: str = "units"
    unit: str = ""
    qualifier: str = "exact"
    kind: str = "observed"
    key: str = ""
    flag: str = ""
    place_key: str = ""

    @property
    def subject(self) -> str:
        return self.place_key or self.place

    def in_scale(self, scale: str) -> Decimal:
        return self.value * SCALE_FACTOR[self.scale or "units"] / SCALE_FACTOR[scale]


@dataclass(frozen=True)
class Growth:
    """The change of one metric of one place between two years, with the statistics it came from."""

    start: StatisticValue
    end: StatisticValue
    scale: str

    @property
    def value_from(self) -> Decimal:
        return _plain(self.start.in_scale(self.scale))

    @property
    def value_to(self) -> Decimal:
        return _plain(self.end.in_scale(self.scale))

    @property
    def growth(self) -> Decimal:
        return growth(self.value_from, self.value_to)

    @property
    def unit(self) -> str:
        return self.start.unit if self.scale == "units" else f"{self.scale} {self.start.unit}"

    def percent(self, places: int = 0) -> Decimal | None:
        return percent_growth(self.value_from, self.value_to, places)


@dataclass(frozen=True)
class Profiles:
    """The growths found, in place order then metric order, and the notes that explain or qualify them."""

    growths: tuple[Growth, ...]
    places: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    percent_places: int = 0


def growth(value_from: Decimal, value_to: Decimal) -> Decimal:
    """The total growth: the later value minus the earlier one, exactly."""
    return _plain(Decimal(value_to) - Decimal(value_from))


def percent_growth(value_from: Decimal, value_to: Decimal, places: int = 0) -> Decimal | None:
    """Growth as a percentage of the earlier value, rounded half away from zero; None from a zero start."""
    value_from, value_to = Decimal(value_from), Decimal(value_to)
    if value_from == 0:
        return None
    exact = (value_to - value_from) / abs(value_from) * 100
    # Adding zero turns a rounded -0 into 0, so a tiny decline does not print as "-0".
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) + 0


def choose_statistic(candidates: Sequence[StatisticValue]) -> StatisticValue:
    """The statistic used when several give one metric of one place for one year (see DUPLICATE_RULE)."""
    return min(candidates, key=_preference)


def _preference(statistic: StatisticValue) -> tuple:
    in_units = statistic.value * SCALE_FACTOR[statistic.scale or "units"]
    # A smaller exponent of the normalised value in units means more significant digits were stated.
    precision = in_units.normalize().as_tuple().exponent if in_units else 0
    return (
        bool(statistic.flag),
        statistic.qualifier not in ("", "exact"),
        _KIND_RANK.get(statistic.kind, len(_KIND_RANK)),
        precision,
        statistic.key,
    )


def compute_profiles(
    statistics: Iterable[StatisticValue],
    year_from: int | None = None,
    year_to: int | None = None,
    places: Sequence[str] = (),
    percent_places: int = 0,
) -> Profiles:
    """Growth per place and metric between two years: by default the earliest and latest year of each.

    `places` names places (names or keys) that were asked for: they come first, in that order, and
    those without a usable statistic are named in the notes instead of being dropped silently.
    """
    if year_from is not None and year_to is not None and year_from >= year_to:
        raise ValueError(f"The first year ({year_from}) must come before the second ({year_to}).")
    grouped: dict[str, dict[str, list[StatisticValue]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    undated: list[StatisticValue] = []
    for statistic in statistics:
        names.setdefault(statistic.subject, statistic.place)
        if statistic.year is None:
            undated.append(statistic)
        else:
            grouped[statistic.subject][statistic.metric].append(statistic)

    # A place asked for may be named by its key or its name.
    matches = {asked: [s for s in names if asked in (s, names[s])] for asked in dict.fromkeys(places)}
    first = list(dict.fromkeys(s for found in matches.values() for s in found))
    order = first + sorted((s for s in names if s not in first), key=lambda s: (names[s].casefold(), s))
    notes: list[str] = []
    conflicts: list[str] = []
    growths: list[Growth] = []
    for subject in order:
        metrics = grouped.get(subject, {})
        if not metrics:
            notes.append(f"{names[subject]}: no dated statistic to compare.")
        for metric in sorted(metrics, key=_metric_order):
            by_year: dict[int, list[StatisticValue]] = defaultdict(list)
            for statistic in metrics[metric]:
                assert statistic.year is not None  # undated statistics were set aside above
                by_year[statistic.year].append(statistic)
            chosen = {year: choose_statistic(found) for year, found in by_year.items()}
            conflicts += [_conflict(chosen[year], found) for year, found in sorted(by_year.items()) if len(found) > 1]
            result = _growth(names[subject], metric, chosen, year_from, year_to)
            if isinstance(result, Growth):
                growths.append(result)
            else:
                notes.append(result)
    for name, found in matches.items():
        if not found:
            notes.append(f"{name}: no population or GDP statistic recorded (or none visible to you).")
    if undated:
        listed = ", ".join(f"{s.place} {s.metric}" for s in undated)
        notes.append(f"Statistics without a year cannot be compared and were left out: {listed}.")
    return Profiles(
        tuple(growths),
        tuple(names[s] for s in order),
        tuple(_rule_notes(growths, percent_places) + conflicts + notes),
        percent_places,
    )


def _metric_order(metric: str) -> tuple[int, str]:
    return (PROFILE_METRICS.index(metric) if metric in PROFILE_METRICS else len(PROFILE_METRICS), metric)


def _growth(
    place: str, metric: str, chosen: dict[int, StatisticValue], year_from: int | None, year_to: int | None
) -> Growth | str:
    years = sorted(chosen)
    start_year = years[0] if year_from is None else year_from
    end_year = years[-1] if year_to is None else year_to
    recorded = ", ".join(str(year) for year in years)
    missing = [str(year) for year in (start_year, end_year) if year not in chosen]
    if missing:
        return f"{place} {metric}: no value for {' or '.join(missing)} (years recorded: {recorded})."
    if start_year >= end_year:
        return f"{place} {metric}: only one year recorded ({recorded}), so no growth."
    start, end = chosen[start_year], chosen[end_year]
    if start.unit != end.unit:
        return f"{place} {metric}: {start_year} is in {start.unit} and {end_year} in {end.unit}; not compared."
    scale = max(start.scale or "units", end.scale or "units", key=SCALE_FACTOR.__getitem__)
    return Growth(start, end, scale)


def _conflict(used: StatisticValue, found: Sequence[StatisticValue]) -> str:
    others = "; ".join(f"{_stated(s)} ({s.key})" for s in found if s is not used)
    return (
        f"{used.place} {used.metric} {used.year} is recorded {len(found)} times: used {_stated(used)} ({used.key}), "
        f"set aside {others}. Rule: {DUPLICATE_RULE}."
    )


def _stated(statistic: StatisticValue) -> str:
    scale = "" if statistic.scale in ("", "units") else f" {statistic.scale}"
    qualifier = "" if statistic.qualifier in ("", "exact") else f"{statistic.qualifier.replace('_', ' ')} "
    return f"{qualifier}{_plain(statistic.value)}{scale} {statistic.unit}".strip()


def _rule_notes(growths: Sequence[Growth], percent_places: int) -> list[str]:
    if not growths:
        return []
    precision = "whole percent" if percent_places == 0 else f"{percent_places} decimal place(s)"
    notes = [
        "growth = value to - value from, in the unit shown; growth % = growth / value from x 100, "
        f"rounded half away from zero to {precision}."
    ]
    projected: dict[tuple[int | None, str], list[str]] = defaultdict(list)
    approximate: list[str] = []
    flagged: list[str] = []
    for item in growths:
        for statistic in (item.start, item.end):
            label = f"{statistic.place} {statistic.metric} {statistic.year}"
            if statistic.kind != "observed":
                projected[statistic.year, statistic.kind].append(statistic.place)
            if statistic.qualifier not in ("", "exact"):
                approximate.append(f"{label} ({statistic.qualifier.replace('_', ' ')})")
            if statistic.flag:
                flagged.append(statistic.key or label)
    from_zero = [f"{item.start.place} {item.start.metric}" for item in growths if item.value_from == 0]
    if from_zero:
        notes.append(f"No growth % where the earlier value is zero: {', '.join(from_zero)}.")
    for (year, kind), places in sorted(projected.items()):
        notes.append(f"Values for {year} are {kind}, not observed: {', '.join(dict.fromkeys(places))}.")
    if approximate:
        notes.append(f"Approximate values, so the growth is approximate too: {', '.join(approximate)}.")
    if flagged:
        notes.append(f"Flagged in the data (`metrodip show PLACE` gives the reasons): {', '.join(flagged)}.")
    return notes


def growth_table(profiles: Profiles, title: str = "Population and GDP growth") -> Table:
    """The long table: one row per place and metric with both years, the growth and the growth %."""
    rows = [
        (
            item.start.place,
            item.start.country,
            item.start.metric,
            item.unit,
            item.start.year,
            item.value_from,
            item.end.year,
            item.value_to,
            item.growth,
            item.percent(profiles.percent_places),
        )
        for item in profiles.growths
    ]
    return Table.build(title, GROWTH_COLUMNS, rows, profiles.notes)


def figure_tables(profiles: Profiles) -> list[Table]:
    """One table per place in the thesis' layout: population and GDP for both years, total and % GDP growth.

    Population is shown in millions and GDP in billions (one decimal, half away from zero); total
    growth is the GDP difference and % GDP growth is rounded to whole percent, as the thesis prints them.
    """
    by_place: dict[str, dict[str, Growth]] = defaultdict(dict)
    for item in profiles.growths:
        by_place[item.start.subject][item.start.metric] = item
    tables = []
    for items in by_place.values():
        population, gdp = items.get("population"), items.get("gdp")
        first = population or gdp
        if first is None:
            continue
        columns, notes = ["city", "country"], []
        cells: list[Cell] = [first.start.place, first.start.country]
        for label, metric, measured in (("population", "population", population), ("GDP", "gdp", gdp)):
            if measured is None:
                notes.append(f"No {label} growth could be computed; see the long table's notes.")
                continue
            scale = FIGURE_SCALE[metric]
            columns += [f"{label} {measured.start.year}", f"{label} {measured.end.year}"]
            cells += [_in_figure_scale(measured.start, scale), _in_figure_scale(measured.end, scale)]
            notes.append(f"{label[0].upper()}{label[1:]} in {scale}s of {measured.start.unit}.")
        if gdp is not None:
            start, end = _in_figure_scale(gdp.start, "billion"), _in_figure_scale(gdp.end, "billion")
            columns += ["total growth", "% GDP growth"]
            cells += [growth(start, end), percent_growth(gdp.start.in_scale("billion"), gdp.end.in_scale("billion"))]
            notes.append("Total growth is the GDP difference; % GDP growth is rounded to whole percent.")
        tables.append(Table.build(f"Population and economic data for {first.start.place}", columns, [cells], notes))
    return tables


def _in_figure_scale(statistic: StatisticValue, scale: str) -> Decimal:
    return _plain(statistic.in_scale(scale).quantize(FIGURE_PLACES, rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros a database adds (191.7000) without turning 1000 into 1E+3."""
    value = Decimal(value).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
