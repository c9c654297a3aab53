"""An organisation's entry in the stakeholder registry: its agenda, edited by those who edit for it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from metrodiplomacy.workspaces.views.common import add_service_errors
from metrodiplomacy.writes import Author

from .. import services
from ..forms import AgendaForm
from ..queries import visible_agendas
from .common import members_only, workspace_or_404


def _initial(agenda) -> dict:
    if agenda is None:
        return {}
    return {
        "visibility": agenda.visibility,
        "sector": agenda.sector,
        "priority_regions": agenda.priority_regions,
        "priority_countries": list(agenda.priority_countries.all()),
        "priority_cities": list(agenda.priority_cities.all()),
        "policy_areas": [a.code for a in agenda.policy_areas.all()],
        "networks": [n.key for n in agenda.networks.all()],
        "unit": agenda.unit.key if agenda.unit_id else "",
        "contact_name": agenda.contact_name,
        "contact_email": agenda.contact_email,
        "commitments": agenda.commitments,
    }


@members_only
@require_http_methods(["GET", "POST"])
def edit_agenda(request, workspace, organisation):
    workspace = workspace_or_404(request, workspace)
    found = workspace.organisations.filter(key=organisation).first()
    if found is None:
        raise Http404("No such organisation in this workspace.")
    author = Author.for_user(request.user)
    if not author.may_edit_for(found.pk):
        raise PermissionDenied("Only those who edit for an organisation state its agenda.")
    agenda = visible_agendas(request.user).filter(organisation=found).first()
    if request.method == "GET":
        form = AgendaForm(initial=_initial(agenda), user=request.user, organisation=found)
    else:
        form = AgendaForm(request.POST, user=request.user, organisation=found)
        if form.is_valid():
            values = form.values()
            try:
                if agenda is None:
                    services.record_agenda(
                        author, {**values, "key": f"agenda-{found.key}", "owner": found.key, "organisation": found.key}
                    )
                else:
                    services.change_agenda(author, agenda, values)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Agenda saved."))
                return redirect("coordination:show_stakeholders", workspace.key)
    return render(
        request,
        "coordination/agenda_form.html",
        {"workspace": workspace, "organisation": found, "form": form, "section": "stakeholders"},
        status=400 if request.method == "POST" else 200,
    )
