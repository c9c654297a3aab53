"""Everything the annual report states, read through the gates for one reader and computed from the records.

A fixed number of queries whatever the size of the territory (about thirty), so the report stays well under
the ten seconds it is allowed (bench/bench_report.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.actors.queries import visible_organisations, visible_units
from metrodiplomacy.analysis import results
from metrodiplomacy.analysis.cooperation import (
    COOPERATION_BUDGET,
    REFERENCE_SHARE,
    TOTAL_BUDGET,
    BudgetFigure,
    budget_years,
)
from metrodiplomacy.analysis.tables import Table
from metrodiplomacy.attachments import as_part_of_target
from metrodiplomacy.cooperation.queries import visible_cooperation_projects
from metrodiplomacy.diplomacy.queries import visible_agreements, visible_engagements, visible_network_memberships
from metrodiplomacy.evidence.models import Citation
from metrodiplomacy.evidence.queries import readable_citations
from metrodiplomacy.observatory.inputs.results import result_indicators
from metrodiplomacy.places.models import Place
from metrodiplomacy.places.queries import visible_statistics
from metrodiplomacy.records import SCALE_FACTOR
from metrodiplomacy.strategy.queries import visible_externalities, visible_mitigation_measures, visible_strategies

ILLUSTRATIVE = "illustrative"
# Statistics that say what international action cost; the ratio is cooperation over the whole budget.
COST_METRICS = ("international_budget", "cooperation_budget", "total_budget", "cooperation_budget_share")


@dataclass
class Section:
    """Rows of one part of the report, each a dict with its citation marks ("cite") and its "flag"."""

    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AnnualReport:
    subject: str
    subject_key: str
    is_place: bool
    year: int
    audience: str  # "public" or "workspace"
    organisations: list[dict[str, Any]]
    strategies: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    engagements: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    units: list[dict[str, Any]]
    unit_totals: dict[str, Any]
    costs: list[dict[str, Any]]
    cooperation_ratios: list[dict[str, Any]]
    indicators: list[results.ResultIndicator]
    progress: Table
    kinds: Table
    externality_trends: Table
    breakdown: Table
    externalities: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    generated_on: datetime.date
    illustrative_rows: int = 0

    @property
    def has_illustrative(self) -> bool:
        return self.illustrative_rows > 0


class Citations:
    """Numbers the citations of the records shown, in the order the report first shows them."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.wanted: list[tuple[type, int, dict[str, Any]]] = []

    def attach(self, model: type, pk: int, row: dict[str, Any]) -> dict[str, Any]:
        self.wanted.append((model, pk, row))
        return row

    def resolve(self) -> list[dict[str, Any]]:
        by_type: dict[int, list[int]] = defaultdict(list)
        types = {}
        for model, pk, _row in self.wanted:
            content_type = ContentType.objects.get_for_model(model)
            types[model] = content_type.pk
            by_type[content_type.pk].append(pk)
        query = Q(pk__in=[])
        for type_id, pks in by_type.items():
            query |= Q(content_type_id=type_id, object_id__in=pks)
        found: dict[tuple[int, int], list[Citation]] = defaultdict(list)
        for citation in readable_citations(self.user, query).order_by("line_start", "pk"):
            found[(citation.content_type_id, citation.object_id)].append(citation)
        numbers: dict[int, int] = {}
        listed: list[dict[str, Any]] = []
        for model, pk, row in self.wanted:
            marks = []
            for citation in found[(types[model], pk)]:
                if citation.pk not in numbers:
                    numbers[citation.pk] = len(numbers) + 1
                    listed.append(
                        {
                            "number": numbers[citation.pk],
                            "source": citation.source.title,
                            "locator": citation.locator,
                            "note": citation.note,
                        }
                    )
                marks.append(numbers[citation.pk])
            row["cite"] = ", ".join(str(n) for n in sorted(set(marks)))
        return listed


def territory_organisations(place: Place, user: Any) -> list[Organisation]:
    """The organisations homed in the place or in any place inside it (three levels down)."""
    ids, level = [place.pk], [place.pk]
    for _depth in range(3):
        level = list(Place.objects.filter(parent__in=level).exclude(kind="country").values_list("pk", flat=True))
        ids += level
    return list(visible_organisations(user).filter(home_place__in=ids).order_by("name", "key"))


def build_report(subject: Organisation | Place, year: int, user: Any, audience: str = "public") -> AnnualReport:
    """The report on an organisation, or on every organisation homed in a place, for a year, as `user` reads it."""
    is_place = isinstance(subject, Place)
    organisations = territory_organisations(subject, user) if is_place else [subject]
    ids = [organisation.pk for organisation in organisations]
    citations = Citations(user)
    flags: list[dict[str, Any]] = []

    def row(model: type, obj: Any, values: dict[str, Any]) -> dict[str, Any]:
        flag = getattr(obj, "flag", "") or ""
        values["flag"] = flag
        values["illustrative"] = flag.lower().startswith(ILLUSTRATIVE)
        if flag and not values["illustrative"]:
            values["flag_number"] = len(flags) + 1
            flags.append({"number": values["flag_number"], "text": flag, "about": values.get("name", "")})
        return citations.attach(model, obj.pk, values)

    sections = {
        "strategies": _strategies(user, ids, year, row),
        "agreements": _agreements(user, ids, year, row),
        "memberships": _memberships(user, ids, year, row),
        "engagements": _engagements(user, ids, year, row),
        "projects": _projects(user, ids, year, row),
        "units": _units(user, ids, row),
        "costs": _costs(user, ids, year, row),
    }
    # The organisation's own indicators with the values their owner recorded (`attachments.as_part_of_target`).
    indicators = result_indicators(user, ids, approved_only=audience == "public")
    externalities = _externalities(user, ids, year, row)
    sources = citations.resolve()
    illustrative = sum(
        1 for rows in (*sections.values(), externalities) for item in rows if item.get("illustrative")
    ) + sum(1 for i in indicators if i.flag.lower().startswith(ILLUSTRATIVE))
    return AnnualReport(
        subject=subject.name,
        subject_key=subject.key,
        is_place=is_place,
        year=year,
        audience=audience,
        organisations=[{"key": o.key, "name": o.name, "kind": o.get_kind_display()} for o in organisations],
        strategies=sections["strategies"],
        agreements=sections["agreements"],
        memberships=sections["memberships"],
        engagements=sections["engagements"],
        projects=sections["projects"],
        units=sections["units"],
        unit_totals=_unit_totals(sections["units"]),
        costs=sections["costs"],
        cooperation_ratios=_ratios(sections["costs"], year),
        indicators=indicators,
        progress=results.progress_table(indicators, year),
        kinds=results.kinds_table(indicators, year),
        externality_trends=results.externality_table(indicators, year),
        breakdown=results.breakdown_table(indicators, year),
        externalities=externalities,
        sources=sources,
        flags=flags,
        generated_on=datetime.date.today(),
        illustrative_rows=illustrative,
    )


def _in_year(year: int, start: int | None, end: int | None) -> bool:
    return (start is None or start <= year) and (end is None or end >= year)


def _strategies(user, ids, year, row) -> list[dict[str, Any]]:
    found = []
    for strategy in visible_strategies(user).filter(organisation__in=ids).select_related("organisation"):
        if strategy.year_start is not None and not _in_year(year, strategy.year_start, strategy.year_end):
            continue
        found.append(
            row(
                type(strategy),
                strategy,
                {
                    "name": strategy.name,
                    "organisation": strategy.organisation.name,
                    "kind": strategy.get_kind_display(),
                    "period": _period(strategy.year_start, strategy.year_end),
                },
            )
        )
    return found


def _agreements(user, ids, year, row) -> list[dict[str, Any]]:
    """Agreements a party of which is one of the organisations, signed in or before the year (or undated)."""
    agreements = (
        visible_agreements(user)
        .filter(parties__organisation__in=ids)
        .filter(Q(year__isnull=True) | Q(year__lte=year))
        .distinct()
        .prefetch_related("parties__organisation", "parties__place")
        .order_by("-year", "title")
    )
    found = []
    for agreement in agreements:
        partners = [
            (party.organisation.name if party.organisation_id else party.place.name)
            for party in agreement.parties.all()
            if party.organisation_id not in ids
        ]
        found.append(
            row(
                type(agreement),
                agreement,
                {
                    "name": agreement.title,
                    "kind": agreement.get_kind_display(),
                    "year": agreement.year,
                    "is_new": agreement.year == year,
                    "partners": ", ".join(sorted(partners)),
                    "status": agreement.get_status_display(),
                },
            )
        )
    return found


def _memberships(user, ids, year, row) -> list[dict[str, Any]]:
    memberships = (
        visible_network_memberships(user)
        .filter(member__in=ids)
        .filter(Q(since__isnull=True) | Q(since__lte=year), Q(until__isnull=True) | Q(until__gte=year))
        .select_related("network", "member")
        .prefetch_related("roles")
        .order_by("network__name")
    )
    return [
        row(
            type(m),
            m,
            {
                "name": m.network.name,
                "member": m.member.name,
                "roles": ", ".join(
                    sorted(f"{r.get_role_display()}{f' ({r.year})' if r.year else ''}" for r in m.roles.all())
                ),
                "since": m.since,
                "is_prioritised": m.is_prioritised,
            },
        )
        for m in memberships
    ]


def _engagements(user, ids, year, row) -> list[dict[str, Any]]:
    engagements = (
        visible_engagements(user)
        .filter(Q(organisation__in=ids) | Q(partners__in=ids))
        .filter(Q(year=year) | Q(date__year=year))
        .distinct()
        .select_related("organisation", "place")
        .order_by("date", "title")
    )
    return [
        row(
            type(e),
            e,
            {
                "name": e.title,
                "kind": e.get_kind_display(),
                "organisation": e.organisation.name if e.organisation_id else "",
                "place": e.place.name if e.place_id else "",
                "date": e.date.isoformat() if e.date else str(e.year or ""),
            },
        )
        for e in engagements
    ]


def _projects(user, ids, year, row) -> list[dict[str, Any]]:
    projects = (
        visible_cooperation_projects(user)
        .filter(Q(funders__in=ids) | Q(implementers__in=ids))
        .filter(Q(year_start__isnull=True) | Q(year_start__lte=year), Q(year_end__isnull=True) | Q(year_end__gte=year))
        .distinct()
        .prefetch_related("partner_places")
        .order_by("title")
    )
    return [
        row(
            type(p),
            p,
            {
                "name": p.title,
                "modality": p.get_modality_display() if p.modality else "",
                "partners": ", ".join(place.name for place in p.partner_places.all()),
                "period": _period(p.year_start, p.year_end),
                "budget": _amount(p.budget, p.budget_scale),
                "currency": p.budget_currency,
            },
        )
        for p in projects
    ]


def _units(user, ids, row) -> list[dict[str, Any]]:
    units = visible_units(user).filter(organisation__in=ids).select_related("organisation").order_by("name")
    return [
        row(
            type(u),
            u,
            {
                "name": u.name,
                "organisation": u.organisation.name,
                "specialty": u.get_specialty_display(),
                "staff": u.staff,
                "budget": _amount(u.budget, u.budget_scale),
                "currency": u.budget_currency,
                "budget_year": u.budget_year,
            },
        )
        for u in units
    ]


def _unit_totals(units: list[dict[str, Any]]) -> dict[str, Any]:
    budgets: dict[str, Decimal] = defaultdict(Decimal)
    for unit in units:
        if unit["budget"] is not None:
            budgets[unit["currency"] or "?"] += unit["budget"]
    staffed = [u["staff"] for u in units if u["staff"] is not None]
    return {
        "staff": sum(staffed) if staffed else None,
        "staffed_units": len(staffed),
        "budgets": sorted(budgets.items()),
        "units": len(units),
    }


def _costs(user, ids, year, row) -> list[dict[str, Any]]:
    statistics = (
        visible_statistics(user)
        .filter(organisation__in=ids, metric__in=COST_METRICS)
        .filter(Q(year__isnull=True) | Q(year=year))
        .select_related("organisation")
        .order_by("organisation__name", "metric")
    )
    return [
        row(
            type(s),
            s,
            {
                "name": s.metric.replace("_", " ").capitalize(),
                "key": s.key,
                "metric": s.metric,
                "organisation": s.organisation.name,
                "organisation_key": s.organisation.key,
                "value": s.value if s.unit == "percent" else _amount(s.value, s.scale),
                "unit": s.unit,
                "kind": s.kind,
                "qualifier": s.get_qualifier_display() if s.qualifier != "exact" else "",
                "year": s.year,
            },
        )
        for s in statistics
    ]


def _ratios(costs: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """Each organisation's cooperation share of its budget, by the rule of its cooperation budget page
    (`analysis.cooperation.budget_years`): computed from both budgets when they share a currency, else the
    share its source states. An undated figure counts for the report's year, as it does in the costs table."""
    by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cost in costs:
        by_org[cost["organisation"]].append(cost)
    found = []
    for organisation, rows in sorted(by_org.items()):
        figures = [
            # Values in the costs table are already multiplied out of their scale.
            BudgetFigure(r["key"], r["metric"], r["value"], r["unit"], year, "units", kind=r["kind"])
            for r in rows
        ]
        budget = next(iter(budget_years(figures)), None)
        if budget is None or budget.share is None:
            continue
        found.append(
            {
                "organisation": organisation,
                "cooperation": next((r for r in rows if r["metric"] == COOPERATION_BUDGET), None),
                "total": next((r for r in rows if r["metric"] == TOTAL_BUDGET), None),
                "ratio": float(round(budget.share, 2)),
                "how": "computed" if budget.basis == "computed" else "reported",
                "reaches_target": bool(budget.meets(REFERENCE_SHARE)),
            }
        )
    return found


def _externalities(user, ids, year, row) -> list[dict[str, Any]]:
    externalities = (
        visible_externalities(user)
        .filter(organisation__in=ids)
        .select_related("organisation")
        .prefetch_related("driving_organisations", "policy_areas", "indicators")
    )
    measures: dict[int, list] = defaultdict(list)
    # Only the measures the externality's owner recorded are stated as its mitigation (issue #15).
    for measure in as_part_of_target(
        visible_mitigation_measures(user).filter(externality__in=externalities).select_related("responsible")
    ):
        measures[measure.externality_id].append(measure)
    found = []
    for externality in externalities:
        found.append(
            row(
                type(externality),
                externality,
                {
                    "name": externality.name,
                    "kind": externality.get_kind_display(),
                    "driver": externality.get_driver_display(),
                    "drivers": ", ".join(o.name for o in externality.driving_organisations.all()),
                    "sectors": ", ".join(a.name for a in externality.policy_areas.all()),
                    "indicators": ", ".join(i.name for i in externality.indicators.all()),
                    "is_measured": bool(externality.indicators.all()),
                    "description": externality.description,
                    "measures": [
                        row(
                            type(m),
                            m,
                            {
                                "name": m.name,
                                "status": m.get_status_display(),
                                "responsible": m.responsible.name if m.responsible_id else "",
                                "year_start": m.year_start,
                            },
                        )
                        for m in measures[externality.pk]
                        if m.year_start is None or m.year_start <= year
                    ],
                },
            )
        )
    return found


def _period(start: int | None, end: int | None) -> str:
    if start and end:
        return f"{start}–{end}"
    if start:
        return f"{start}–"
    return ""


def _amount(value: Decimal | None, scale: str) -> Decimal | None:
    return None if value is None else value * SCALE_FACTOR.get(scale or "units", 1)
