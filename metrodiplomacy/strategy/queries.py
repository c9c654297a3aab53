"""Reads of the strategy app: the one permission gate views, API and exports go through."""

from django.db.models import QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import AccountabilityReport, Indicator, Observation, Strategy


def visible_strategies(user) -> QuerySet[Strategy]:
    return visible_to(Strategy.objects.all(), user)


def editable_strategies(user) -> QuerySet[Strategy]:
    return editable_to(Strategy.objects.all(), user)


def get_strategy_for_user(user, key: str) -> Strategy:
    return get_visible_or_404(Strategy.objects.all(), user, key=key)


def visible_indicators(user) -> QuerySet[Indicator]:
    return visible_to(Indicator.objects.all(), user)


def editable_indicators(user) -> QuerySet[Indicator]:
    return editable_to(Indicator.objects.all(), user)


def get_indicator_for_user(user, key: str) -> Indicator:
    return get_visible_or_404(Indicator.objects.all(), user, key=key)


def visible_observations(user) -> QuerySet[Observation]:
    return visible_to(Observation.objects.all(), user)


def editable_observations(user) -> QuerySet[Observation]:
    return editable_to(Observation.objects.all(), user)


def get_observation_for_user(user, key: str) -> Observation:
    return get_visible_or_404(Observation.objects.all(), user, key=key)


def visible_accountability_reports(user) -> QuerySet[AccountabilityReport]:
    return visible_to(AccountabilityReport.objects.all(), user)


def editable_accountability_reports(user) -> QuerySet[AccountabilityReport]:
    return editable_to(AccountabilityReport.objects.all(), user)


def get_accountability_report_for_user(user, key: str) -> AccountabilityReport:
    return get_visible_or_404(AccountabilityReport.objects.all(), user, key=key)
