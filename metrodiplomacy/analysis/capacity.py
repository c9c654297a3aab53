"""Capacity of a territory for international action: management units, staff and budgets.

Rules, each stated in the comparison's notes:

- Units counted are the international units (any specialty but "other") of the territory's
  metropolitan and city governments and of the agencies and companies that hang from them. Units of
  regional or national governments and of independent bodies are listed as left out, not summed.
- Two unit records whose flags name each other are two passages' readings of one unit (the data
  records both and flags the contradiction). The unit is counted once, with the reading that gives
  most figures (the first key on a tie); the other readings are reported as alternatives.
- Budgets keep the currency they were recorded in and are summed per currency only. A conversion is
  made only with rates the user states (`ExchangeRate`), and is always shown as a conversion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from metrodiplomacy.analysis.comparative_records import LOCAL_GOVERNMENT_KINDS, PlaceRecords, UnitRecord

# Mirrors metrodiplomacy.records.SCALE_FACTOR, which cannot be imported here (it imports Django).
SCALE_FACTOR: dict[str, int] = {"units": 1, "thousand": 10**3, "million": 10**6, "billion": 10**9}
MILLION = Decimal(10**6)
# From a tenth of a million on, sums read in millions (EUR 0.55 million, as the study prints them).
IN_MILLIONS_FROM = Decimal(100_000)
RATE_PATTERN = re.compile(r"^([A-Z]{3})=(\d+(?:\.\d+)?):([A-Z]{3}):(\d{4})$")


@dataclass(frozen=True)
class ExchangeRate:
    """A rate the user states: one `source` unit is worth `rate` units of `target`, at the rate of `year`."""

    source: str
    rate: Decimal
    target: str
    year: int

    @classmethod
    def parse(cls, text: str) -> ExchangeRate:
        """Read 'EUR=1.12:USD:2019' (1 EUR = 1.12 USD at the 2019 rate); raise ValueError otherwise."""
        match = RATE_PATTERN.match(text.strip().upper())
        if not match:
            raise ValueError(f"{text!r} is not a rate: write SOURCE=RATE:TARGET:YEAR, e.g. EUR=1.12:USD:2019")
        source, rate, target, year = match.groups()
        try:
            value = Decimal(rate)
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{rate!r} is not a number") from error
        if value <= 0:
            raise ValueError(f"the rate of {source} must be positive")
        if source == target:
            raise ValueError(f"{source} cannot be converted into itself")
        if not 1000 <= int(year) <= 2200:
            raise ValueError(f"{year} is not a plausible year")
        return cls(source, value, target, int(year))

    def __str__(self) -> str:
        return f"1 {self.source} = {format_decimal(self.rate)} {self.target} ({self.year} rate)"


def check_rates(rates: Sequence[ExchangeRate]) -> str | None:
    """The target currency of a set of rates; ValueError when they disagree or repeat a currency."""
    if not rates:
        return None
    targets = {rate.target for rate in rates}
    if len(targets) > 1:
        raise ValueError(f"all rates must convert into one currency, not {', '.join(sorted(targets))}")
    sources = [rate.source for rate in rates]
    if len(set(sources)) != len(sources):
        raise ValueError("a currency is given two rates")
    return targets.pop()


@dataclass(frozen=True)
class CountedUnit:
    unit: UnitRecord
    alternatives: tuple[UnitRecord, ...] = ()

    @property
    def budget_amount(self) -> Decimal | None:
        return amount_of(self.unit)


@dataclass(frozen=True)
class Conversion:
    currency: str
    amount: Decimal
    rates: tuple[ExchangeRate, ...]
    not_converted: tuple[str, ...]


@dataclass(frozen=True)
class Capacity:
    units: tuple[CountedUnit, ...]
    left_out: tuple[UnitRecord, ...]
    staff: int
    staff_unknown: int
    budgets: dict[str, Decimal]
    budget_unknown: int
    conversion: Conversion | None = None

    @property
    def is_staff_approximate(self) -> bool:
        return any(counted.unit.staff_qualifier not in ("", "exact") for counted in self.units if counted.unit.staff)


def amount_of(unit: UnitRecord) -> Decimal | None:
    """A unit's budget in currency units (EUR 1.97 million -> 1970000)."""
    if unit.budget is None:
        return None
    return unit.budget * SCALE_FACTOR.get(unit.budget_scale or "units", 1)


def _figures(unit: UnitRecord) -> int:
    return (unit.staff is not None) + (unit.budget is not None)


def same_unit_readings(units: Sequence[UnitRecord]) -> list[list[UnitRecord]]:
    """Groups of records that are readings of one unit: linked when one's flag names the other's key."""
    keys = {unit.key for unit in units}
    parent = {unit.key: unit.key for unit in units}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for unit in units:
        for named in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", unit.flag or ""):
            if named in keys and named != unit.key:
                parent[root(named)] = root(unit.key)
    groups: dict[str, list[UnitRecord]] = {}
    for unit in units:
        groups.setdefault(root(unit.key), []).append(unit)
    return [sorted(group, key=lambda u: (-_figures(u), u.key)) for group in groups.values()]


def counted_units(records: PlaceRecords) -> tuple[list[CountedUnit], list[UnitRecord]]:
    """The international units counted for a territory, and those of other bodies left out of the sums."""
    local = {g.key for g in records.governments(LOCAL_GOVERNMENT_KINDS)}
    counted: list[UnitRecord] = []
    left_out: list[UnitRecord] = []
    for unit in records.international_units():
        (counted if records.acts_for(unit.organisation, local) else left_out).append(unit)
    groups = same_unit_readings(counted)
    units = [CountedUnit(group[0], tuple(group[1:])) for group in groups]
    units.sort(key=lambda c: (records.name_of(c.unit.organisation), c.unit.name, c.unit.key))
    return units, sorted(left_out, key=lambda u: u.key)


def measure_capacity(
    records: PlaceRecords, rates: Sequence[ExchangeRate] = (), specialties: Iterable[str] | None = None
) -> Capacity:
    """Units, staff and budgets per currency of a territory; `specialties` narrows to some (cooperation)."""
    units, left_out = counted_units(records)
    if specialties is not None:
        wanted = set(specialties)
        units = [counted for counted in units if counted.unit.specialty in wanted]
        left_out = [unit for unit in left_out if unit.specialty in wanted]
    budgets: dict[str, Decimal] = {}
    for counted in units:
        amount = counted.budget_amount
        if amount is not None:
            budgets[counted.unit.budget_currency] = budgets.get(counted.unit.budget_currency, Decimal(0)) + amount
    return Capacity(
        units=tuple(units),
        left_out=tuple(left_out),
        staff=sum(counted.unit.staff or 0 for counted in units),
        staff_unknown=sum(1 for counted in units if counted.unit.staff is None),
        budgets=dict(sorted(budgets.items())),
        budget_unknown=sum(1 for counted in units if counted.unit.budget is None),
        conversion=convert(budgets, rates),
    )


def convert(budgets: dict[str, Decimal], rates: Sequence[ExchangeRate]) -> Conversion | None:
    """The budgets summed in the rates' target currency; currencies without a rate are named, not guessed."""
    target = check_rates(rates)
    if target is None or not budgets:
        return None
    by_source = {rate.source: rate for rate in rates}
    total, used, missing = Decimal(0), [], []
    for currency, amount in budgets.items():
        if currency == target:
            total += amount
        elif currency in by_source:
            total += amount * by_source[currency].rate
            used.append(by_source[currency])
        else:
            missing.append(currency)
    return Conversion(target, total, tuple(used), tuple(missing))


def format_decimal(value: Decimal, places: int = 2) -> str:
    quantised = value.quantize(Decimal(1).scaleb(-places)) if value != value.to_integral_value() else value
    text = format(quantised.normalize(), "f")
    return text


def format_money(amount: Decimal, currency: str) -> str:
    """EUR 1970000 -> 'EUR 1.97 million'; sums under a tenth of a million in full."""
    if abs(amount) >= IN_MILLIONS_FROM:
        return f"{currency} {format_decimal(amount / MILLION)} million"
    return f"{currency} {format_decimal(amount)}"


def format_budgets(budgets: dict[str, Decimal]) -> str:
    return "; ".join(format_money(amount, currency) for currency, amount in budgets.items())


def format_unit_budget(unit: UnitRecord) -> str:
    amount = amount_of(unit)
    if amount is None:
        return ""
    qualifier = "" if unit.budget_qualifier in ("", "exact") else f"{unit.budget_qualifier.replace('_', ' ')} "
    year = f" ({unit.budget_year})" if unit.budget_year else ""
    return f"{qualifier}{format_money(amount, unit.budget_currency)}{year}"


def format_staff(unit: UnitRecord) -> str:
    if unit.staff is None:
        return ""
    qualifier = "" if unit.staff_qualifier in ("", "exact") else f"{unit.staff_qualifier.replace('_', ' ')} "
    return f"{qualifier}{unit.staff}"
