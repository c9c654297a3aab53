"""The coordination space of a workspace: its front page, the registry, findings, who does what, networks."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metrodiplomacy.analysis import coordination as rules
from metrodiplomacy.analysis.maps import MapPoint, points_table, world_map_svg
from metrodiplomacy.observatory.views.common import coordinates, inline_svg
from metrodiplomacy.places.models import Place

from ..queries import workspace_mechanisms, workspaces_for
from .common import bars_svg, data_response, inputs_for, members_only, shown_findings, window_of, workspace_or_404


@members_only
@require_GET
def list_workspaces(request):
    return render(request, "coordination/workspaces.html", {"workspaces": workspaces_for(request.user)})


@members_only
@require_GET
def show_overview(request, workspace):
    workspace = workspace_or_404(request, workspace)
    inputs = inputs_for(request, workspace)
    window = window_of(request)
    findings = rules.find_all(inputs, window)
    return render(
        request,
        "coordination/overview.html",
        {
            "workspace": workspace,
            "stakeholders": inputs.stakeholders,
            "with_agenda": sum(1 for s in inputs.stakeholders if s.agenda is not None),
            "activities": len(inputs.activities),
            "seats": len(inputs.seats),
            "overlaps": shown_findings([f for f in findings if f.kind == "overlap"]),
            "synergies": shown_findings([f for f in findings if f.kind == "synergy"]),
            "window": window,
            "section": "overview",
        },
    )


@members_only
@require_GET
def list_findings(request, workspace):
    """Every overlap and synergy with its reason; `?format=csv|json` for scripts."""
    workspace = workspace_or_404(request, workspace)
    inputs = inputs_for(request, workspace)
    window = window_of(request)
    findings = rules.find_all(inputs, window)
    if request.GET.get("format") in ("csv", "json"):
        table = rules.findings_table(findings)
        return data_response(request, table.title, [table], request.GET["format"], f"{workspace.key}-findings")
    rule = request.GET.get("rule", "")
    if rule in rules.RULES:
        findings = [f for f in findings if f.rule == rule]
    return render(
        request,
        "coordination/findings.html",
        {
            "workspace": workspace,
            "overlaps": shown_findings([f for f in findings if f.kind == "overlap"]),
            "synergies": shown_findings([f for f in findings if f.kind == "synergy"]),
            "window": window,
            "rules": [(key, _(label)) for key, label in rules.RULES.items()],
            "rule": rule,
            "section": "findings",
        },
    )


@members_only
@require_GET
def show_stakeholders(request, workspace):
    """The stakeholder map (by kind and sector, by policy area) and the directory."""
    workspace = workspace_or_404(request, workspace)
    inputs = inputs_for(request, workspace)
    stakeholders = list(inputs.stakeholders)
    directory = rules.stakeholder_table(stakeholders, inputs.names)
    by_kind = rules.counts_by_kind_and_sector(stakeholders)
    by_area = rules.counts_by_policy_area(stakeholders)
    if request.GET.get("format") in ("csv", "json"):
        return data_response(
            request,
            directory.title,
            [directory, by_kind, by_area],
            request.GET["format"],
            f"{workspace.key}-stakeholders",
        )
    return render(
        request,
        "coordination/stakeholders.html",
        {
            "workspace": workspace,
            "stakeholders": stakeholders,
            "by_kind": by_kind,
            "by_area": by_area,
            "kind_chart": bars_svg(by_kind, "kind", "organisations", "sector") if by_kind.rows else "",
            "area_chart": bars_svg(by_area, "policy area", "organisations") if by_area.rows else "",
            "names": inputs.names,
            "section": "stakeholders",
        },
    )


def _records_link(workspace, refs) -> str:
    return (
        reverse("coordination:list_records", args=[workspace.key])
        + "?"
        + "&".join(f"ref={ref.kind}:{ref.key}" for ref in refs)
    )


@members_only
@require_GET
def show_who_does_what(request, workspace):
    """Organisations × partner places (with their region) × policy areas, as a table and on the map."""
    workspace = workspace_or_404(request, workspace)
    inputs = inputs_for(request, workspace)
    cells = rules.who_does_what(inputs.activities, inputs.ties, inputs.efforts, inputs.names)
    table = rules.who_does_what_table(cells, inputs.names)
    if request.GET.get("format") in ("csv", "json"):
        return data_response(request, table.title, [table], request.GET["format"], f"{workspace.key}-who-does-what")
    shared = rules.places_with_several_organisations(cells)
    by_place: dict[str, list] = {}
    for cell in cells:
        by_place.setdefault(cell.place, []).append(cell)
    places = list(Place.objects.filter(key__in=by_place))
    located = coordinates(places)
    points = [
        MapPoint(
            place.name,
            *located[place.pk],
            count=len({ref for cell in by_place[place.key] for ref in cell.records}),
            href=_records_link(workspace, [ref for cell in by_place[place.key] for ref in cell.records]),
            highlight=place.key in shared,
        )
        for place in places
        if place.pk in located
    ]
    map_svg = world_map_svg(
        points,
        title=_("Where the organisations of %(workspace)s act") % {"workspace": workspace.name},
        description=_("Places sized by the number of records; red where two or more organisations act."),
        fit=False,
        ident="who-map",
    )
    rows = [
        {
            "cell": cell,
            "organisation": inputs.names.get(cell.organisation, cell.organisation),
            "link": _records_link(workspace, cell.records),
            "shared": cell.place in shared,
        }
        for cell in cells
    ]
    return render(
        request,
        "coordination/who_does_what.html",
        {
            "workspace": workspace,
            "rows": rows,
            "map": inline_svg(map_svg),
            "map_table": points_table(points, _("Places on the map"), _("records")),
            "section": "who",
        },
    )


@members_only
@require_GET
def show_networks(request, workspace):
    """The network portfolio: every seat with roles and fees, the load per network and per organisation."""
    workspace = workspace_or_404(request, workspace)
    inputs = inputs_for(request, workspace)
    seats = list(inputs.seats)
    tables = [
        rules.portfolio_table(seats, inputs.names),
        rules.per_network_table(seats, inputs.names),
        rules.per_organisation_table(seats, inputs.names),
    ]
    if request.GET.get("format") in ("csv", "json"):
        return data_response(request, tables[0].title, tables, request.GET["format"], f"{workspace.key}-networks")
    findings = shown_findings(rules.shared_networks(seats, inputs.names))
    return render(
        request,
        "coordination/networks.html",
        {
            "workspace": workspace,
            "portfolio": tables[0],
            "per_network": tables[1],
            "per_organisation": tables[2],
            "chart": bars_svg(tables[2], "organisation", "weighted load") if tables[2].rows else "",
            "findings": findings,
            "section": "networks",
        },
    )


@members_only
@require_GET
def list_mechanisms(request, workspace):
    workspace = workspace_or_404(request, workspace)
    mechanisms = workspace_mechanisms(request.user, workspace)
    return render(
        request,
        "coordination/mechanisms.html",
        {"workspace": workspace, "mechanisms": mechanisms, "section": "mechanisms"},
    )
