"""Members of my organisations: what an admin may do that an editor may not."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ..models import Membership, Role
from ..queries import administered_organisations, get_membership_for_admin, get_organisation_for_admin
from ..services import add_member, change_member_role, remove_member
from .common import add_service_errors, members_only


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("user name"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("role"), choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("role"), choices=Role.choices)


def _page(request, add_forms=None, status=200):
    organisations = list(administered_organisations(request.user))
    memberships = Membership.objects.filter(organisation__in=organisations).select_related("user", "organisation")
    by_organisation: dict[int, list] = {organisation.pk: [] for organisation in organisations}
    for membership in memberships.order_by("user__username"):
        by_organisation[membership.organisation_id].append((membership, RoleForm(initial={"role": membership.role})))
    add_forms = add_forms or {}
    return render(
        request,
        "workspaces/members.html",
        {
            "organisations": [
                (organisation, by_organisation[organisation.pk], add_forms.get(organisation.pk, MemberForm()))
                for organisation in organisations
            ]
        },
        status=status,
    )


@members_only
@require_GET
def show_members(request):
    """Every organisation the user administers, with its members and their roles; empty for everyone else."""
    return _page(request)


@members_only
@require_POST
def add_membership(request, organisation_key):
    organisation = get_organisation_for_admin(request.user, organisation_key)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            add_member(request.user, organisation, form.cleaned_data["username"], form.cleaned_data["role"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": form.cleaned_data["username"]})
            return redirect("workspaces:show_members")
    return _page(request, {organisation.pk: form}, status=400)


@members_only
@require_POST
def change_membership(request, membership_id):
    membership = get_membership_for_admin(request.user, membership_id)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        change_member_role(request.user, membership, form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(request, _("Role changed."))
    return redirect("workspaces:show_members")


@members_only
@require_POST
def remove_membership(request, membership_id):
    membership = get_membership_for_admin(request.user, membership_id)
    try:
        remove_member(request.user, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(request, _("%(name)s removed.") % {"name": membership.user.username})
    return redirect("workspaces:show_members")
