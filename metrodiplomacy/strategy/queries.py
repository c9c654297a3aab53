"""Reads of the strategy app: the one permission gate views, API and exports go through."""

from django.db.models import QuerySet

from metrodiplomacy.records import editable_to, get_visible_or_404, visible_to

from .models import (
    AccountabilityReport,
    Approval,
    Externality,
    Indicator,
    LockedPeriod,
    MitigationMeasure,
    Objective,
    Observation,
    Strategy,
    StrategyAxis,
)


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


def visible_axes(user) -> QuerySet[StrategyAxis]:
    return visible_to(StrategyAxis.objects.all(), user)


def visible_objectives(user) -> QuerySet[Objective]:
    return visible_to(Objective.objects.all(), user)


def visible_externalities(user) -> QuerySet[Externality]:
    return visible_to(Externality.objects.all(), user)


def get_externality_for_user(user, key: str) -> Externality:
    return get_visible_or_404(Externality.objects.all(), user, key=key)


def visible_mitigation_measures(user) -> QuerySet[MitigationMeasure]:
    return visible_to(MitigationMeasure.objects.all(), user)


def observations_under_review(user, organisation_ids) -> QuerySet[Observation]:
    """The values of these organisations the user may read, in the approval queue order: submitted first."""
    order = {Approval.SUBMITTED: 0, Approval.RETURNED: 1, Approval.DRAFT: 2, Approval.APPROVED: 3}
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(*(When(approval=state, then=Value(n)) for state, n in order.items()), output_field=IntegerField())
    return (
        visible_observations(user)
        .filter(owner__in=organisation_ids)
        .select_related("indicator", "owner")
        .annotate(queue=rank)
        .order_by("queue", "-year", "indicator__name", "role", "key")
    )


def locked_periods(organisation_ids) -> QuerySet[LockedPeriod]:
    """Locks are not secret to members: they say which years can no longer change."""
    return LockedPeriod.objects.filter(organisation__in=organisation_ids).select_related("organisation", "locked_by")
