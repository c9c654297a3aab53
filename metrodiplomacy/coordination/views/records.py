"""The records behind a finding or a cell: each resolved through its own gate, an unreadable one left out."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from metrodiplomacy.records import visible_to
from metrodiplomacy.workspaces.kinds import KINDS

from ..models import StakeholderAgenda
from .common import members_only, workspace_or_404

MAX_REFS = 200


def _model_for(kind: str):
    if kind == "stakeholder-agendas":
        return StakeholderAgenda
    found = KINDS.get(kind)
    return found.model if found is not None else None


@members_only
@require_GET
def list_records(request, workspace):
    workspace = workspace_or_404(request, workspace)
    wanted: dict[str, list[str]] = {}
    for ref in request.GET.getlist("ref")[:MAX_REFS]:
        kind, _, key = ref.partition(":")
        if _model_for(kind) is not None and key:
            wanted.setdefault(kind, []).append(key)
    rows = []
    for kind, keys in wanted.items():
        model = _model_for(kind)
        for record in visible_to(model.objects.filter(key__in=keys), request.user).select_related("owner"):
            rows.append({"kind": kind, "label": model._meta.verbose_name, "record": record, "history": kind in KINDS})
    return render(request, "coordination/records.html", {"workspace": workspace, "rows": rows, "section": ""})
