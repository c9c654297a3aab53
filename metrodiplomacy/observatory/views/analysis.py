"""Compare (two to six places on the study's four themes) and the reliance matrix with its findings."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from metrodiplomacy.analysis import findings as found
from metrodiplomacy.analysis import reliance
from metrodiplomacy.analysis.comparative import capacity_chart_table, compare
from metrodiplomacy.analysis.comparative_tables import comparison_tables
from metrodiplomacy.evidence.models import Framework
from metrodiplomacy.observatory.inputs.comparative import comparative_records, resolve_place
from metrodiplomacy.observatory.inputs.reliance import (
    DEFAULT_FRAMEWORK,
    UnknownName,
    coded_places,
    framework_areas,
    labels,
    north_south_groups,
    reliance_codings,
)
from metrodiplomacy.observatory.profiles import case_study_places
from metrodiplomacy.places.models import GlobalGroup

from .common import chart_svg, data_response, error_response

MOST_COMPARED = 6


def compare_places(request, fmt: str | None = None):
    """Two to six places side by side on governance, city diplomacy, outreach and cooperation."""
    user = request.user
    asked = [text for text in request.GET.getlist("place") if text.strip()]
    candidates = list(case_study_places(user))
    errors, places = [], []
    for text in dict.fromkeys(asked):
        place = resolve_place(text, user)
        if place is None:
            errors.append(_("No place called “%(name)s”.") % {"name": text})
        elif place.pk not in {p.pk for p in places}:
            places.append(place)
    if asked and not errors and not 2 <= len(places) <= MOST_COMPARED:
        errors.append(_("Pick two to six places to compare (%(count)d picked).") % {"count": len(places)})
    tables, chart = [], ""
    if places and not errors:
        frameworks = compare(comparative_records(places, user))
        tables = comparison_tables(frameworks)
        capacity = capacity_chart_table(frameworks)
        tables.append(capacity)
        chart = chart_svg("capacity", capacity) if any(row[2] is not None for row in capacity.rows) else ""
    if fmt:
        if errors or not tables:
            return error_response(fmt, " ".join(errors) or _("Pick two to six places with ?place=KEY&place=KEY."))
        return data_response(request, _("Comparison"), tables, fmt, "compare")
    chosen = {p.key for p in places}
    context = {
        "candidates": [(p, p.key in chosen) for p in candidates],
        "places": places,
        "errors": errors,
        "tables": tables,
        "chart": chart,
        "query": request.GET.urlencode(),
    }
    template = "observatory/_compare_results.html" if request.htmx else "observatory/compare.html"
    return render(request, template, context)


def show_matrix(request, fmt: str | None = None):
    """The reliance matrix, its heatmap and the findings computed from it, filtered by place, group, framework."""
    user = request.user
    frameworks = list(Framework.objects.order_by("key").values_list("key", "name"))
    framework = request.GET.get("framework") or DEFAULT_FRAMEWORK
    group = request.GET.get("group", "")
    errors = []
    try:
        areas = framework_areas(framework)
    except UnknownName:
        errors.append(_("No policy-area framework called “%(name)s”.") % {"name": framework})
        framework, areas = DEFAULT_FRAMEWORK, framework_areas(DEFAULT_FRAMEWORK)
    available = coded_places(user, areas)
    asked = set(request.GET.getlist("place"))
    selected = [p for p in available if p.key in asked] if asked else list(available)
    if group:
        groups_of = north_south_groups(selected)
        wanted = dict(GlobalGroup.choices).get(group)
        if wanted is None:
            errors.append(_("Unknown group “%(name)s”.") % {"name": group})
        else:
            label = labels(selected)
            selected = [p for p in selected if groups_of.get(label[p.pk]) == str(wanted)]
    names = list(labels(selected).values())
    built = reliance.build_matrix(reliance_codings(user, selected, areas), names, areas)
    groups = north_south_groups(selected)
    results = found.compute_findings(built, groups)
    long = reliance.long_table(built)
    tables = [
        reliance.matrix_table(built),
        found.findings_table(results),
        found.counts_table(built),
        found.group_table(built, groups),
        reliance.disagreement_table(built),
        long,
    ]
    if fmt:
        if errors:
            return error_response(fmt, " ".join(errors))
        return data_response(request, _("Reliance matrix"), tables, fmt, "matrix")
    context = {
        "frameworks": frameworks,
        "framework": framework,
        "group": group,
        "groups": GlobalGroup.choices,
        "available": [(p, p in selected) for p in available],
        "errors": errors,
        "matrix": built,
        "findings": results,
        "tables": tables,
        "heatmap": chart_svg("heatmap", long) if built.places else "",
        "query": request.GET.urlencode(),
    }
    return render(request, "observatory/matrix.html", context)
