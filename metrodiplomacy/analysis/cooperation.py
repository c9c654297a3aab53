"""An organisation's cooperation budget per year against its total budget, and the 0.7 % commitment.

Rules, each repeated in the table's notes:

- Budgets are statistics of the organisation: `total_budget`, `cooperation_budget` and, where a source
  states the share itself, `cooperation_budget_share` (percent). Amounts are read in plain units (the
  statistic's scale applied) and compared only within one currency; nothing is converted.
- The share of a year is cooperation budget / total budget × 100 when both are recorded for that year in one
  currency ("computed"); otherwise the share a source states for that year ("stated by the source");
  otherwise, with a total budget, the sum of the organisation's project budgets of that year ("from project
  budgets"); otherwise it cannot be told and the missing figure is named.
- A share recorded as a `target` statistic is the organisation's commitment, shown beside the year's share.
- Figures without a year are grouped in a row of their own ("undated"), as the sources give them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from metrodiplomacy.analysis.capacity import SCALE_FACTOR, format_decimal
from metrodiplomacy.analysis.tables import Table

COOPERATION_BUDGET = "cooperation_budget"
TOTAL_BUDGET = "total_budget"
COOPERATION_SHARE = "cooperation_budget_share"
METRICS = (COOPERATION_BUDGET, TOTAL_BUDGET, COOPERATION_SHARE)
REFERENCE_SHARE = Decimal("0.7")
COLUMNS = (
    "year",
    "total budget",
    "cooperation budget",
    "project budgets",
    "currency",
    "share %",
    "basis",
    "commitment %",
    "meets target",
    "sources",
)


@dataclass(frozen=True)
class BudgetFigure:
    """A budget statistic of the organisation, as recorded."""

    key: str
    metric: str
    value: Decimal
    unit: str
    year: int | None = None
    scale: str = "units"
    qualifier: str = "exact"
    kind: str = "observed"

    @property
    def amount(self) -> Decimal:
        return self.value * SCALE_FACTOR.get(self.scale or "units", 1)


@dataclass(frozen=True)
class ProjectBudgetLine:
    """One budget period of a cooperation project, dated by the year it starts in."""

    project: str
    year: int
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class YearBudget:
    year: int | None
    total: BudgetFigure | None
    cooperation: BudgetFigure | None
    stated: BudgetFigure | None
    commitment: BudgetFigure | None
    projects: dict[str, Decimal]
    share: Decimal | None
    basis: str
    currency: str

    def meets(self, target: Decimal) -> bool | None:
        return None if self.share is None else self.share >= target


def _latest(figures: Sequence[BudgetFigure]) -> BudgetFigure | None:
    return max(figures, key=lambda f: f.key, default=None)


def budget_years(figures: Iterable[BudgetFigure], projects: Iterable[ProjectBudgetLine] = ()) -> list[YearBudget]:
    """Each year for which a budget figure or a project budget is recorded, with its cooperation share."""
    figures, projects = list(figures), list(projects)
    years = {f.year for f in figures if f.metric in METRICS} | {line.year for line in projects}
    rows = []
    for year in sorted(years, key=lambda y: (y is None, y or 0)):
        of_year = [f for f in figures if f.year == year]
        total = _latest([f for f in of_year if f.metric == TOTAL_BUDGET])
        cooperation = _latest([f for f in of_year if f.metric == COOPERATION_BUDGET])
        shares = [f for f in of_year if f.metric == COOPERATION_SHARE]
        stated = _latest([f for f in shares if f.kind != "target"])
        commitment = _latest([f for f in shares if f.kind == "target"])
        by_currency: dict[str, Decimal] = {}
        for line in projects:
            if line.year == year:
                by_currency[line.currency] = by_currency.get(line.currency, Decimal(0)) + line.amount
        share, basis = None, ""
        recorded = total or cooperation
        currency = recorded.unit if recorded is not None else ""
        if total and cooperation and total.unit == cooperation.unit and total.amount > 0:
            share, basis = cooperation.amount / total.amount * 100, "computed"
        elif stated is not None:
            share, basis = stated.value, "stated by the source"
        elif total and total.amount > 0 and total.unit in by_currency and cooperation is None:
            share, basis = by_currency[total.unit] / total.amount * 100, "from project budgets"
        elif cooperation and total and cooperation.unit != total.unit:
            basis = f"cannot be told: budgets in {cooperation.unit} and {total.unit}"
        else:
            missing = [m for m, f in ((TOTAL_BUDGET, total), (COOPERATION_BUDGET, cooperation)) if f is None]
            basis = f"cannot be told: no {' or '.join(missing)} statistic" if missing else "cannot be told"
        if not currency and len(by_currency) == 1:
            currency = next(iter(by_currency))
        rows.append(YearBudget(year, total, cooperation, stated, commitment, by_currency, share, basis, currency))
    return rows


def cooperation_budget_table(
    organisation: str,
    figures: Iterable[BudgetFigure],
    projects: Iterable[ProjectBudgetLine] = (),
    target: Decimal = REFERENCE_SHARE,
) -> Table:
    """The organisation's budgets per year with its cooperation share against the target (0.7 % by default)."""
    figures = list(figures)
    rows = []
    for year in budget_years(figures, projects):
        project_sums = "; ".join(f"{c} {format_decimal(a)}".strip() for c, a in sorted(year.projects.items()))
        sources = [f.key for f in (year.total, year.cooperation, year.stated, year.commitment) if f is not None]
        meets = year.meets(target)
        rows.append(
            (
                "undated" if year.year is None else year.year,
                _amount(year.total),
                _amount(year.cooperation),
                project_sums,
                year.currency,
                None if year.share is None else year.share.quantize(Decimal("0.01")),
                year.basis,
                None if year.commitment is None else year.commitment.value,
                "" if meets is None else ("yes" if meets else "no"),
                ", ".join(sources),
            )
        )
    qualified = sorted({f.key for f in figures if f.qualifier not in ("", "exact")})
    notes = [
        f"Target: {format_decimal(target)} % of the total budget for cooperation (the 0.7 % aid commitment).",
        "Share: cooperation budget / total budget when both are recorded for the year in one currency; else the "
        "share a source states; else the year's project budgets over the total budget.",
        "Amounts in plain units of the currency; nothing is converted.",
    ]
    if qualified:
        notes.append(f"Approximate figures (about, at least, more than): {', '.join(qualified)}.")
    return Table.build(f"Cooperation budget of {organisation}", COLUMNS, rows, notes)


def _amount(figure: BudgetFigure | None) -> Decimal | None:
    return None if figure is None else figure.amount
