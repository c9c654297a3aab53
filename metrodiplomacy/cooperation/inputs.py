"""Feeders: the cooperation records an analysis reads, as plain values, through the permission gates."""

from metrodiplomacy.analysis.cooperation import METRICS, BudgetFigure, ProjectBudgetLine
from metrodiplomacy.places.queries import visible_statistics

from .models import ProjectBudget
from .queries import projects_of


def budget_records(organisation, user) -> tuple[list[BudgetFigure], list[ProjectBudgetLine]]:
    """The organisation's budget statistics and the budget periods of its projects that the user may read."""
    figures = [
        BudgetFigure(key, metric, value, unit, year, scale, qualifier, kind)
        for key, metric, value, unit, year, scale, qualifier, kind in visible_statistics(user)
        .filter(organisation=organisation, metric__in=METRICS)
        .values_list("key", "metric", "value", "unit", "year", "scale", "qualifier", "kind")
    ]
    lines = [
        ProjectBudgetLine(key, start.year, amount, currency)
        for key, start, amount, currency in ProjectBudget.objects.filter(project__in=projects_of(organisation, user))
        .values_list("project__key", "period_start", "amount", "currency")
        .order_by("project__key", "period_start")
    ]
    return figures, lines
