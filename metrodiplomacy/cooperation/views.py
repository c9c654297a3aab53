"""The workspace page where an editor imports an IATI activity file for their organisation."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from metrodiplomacy import uploads
from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.records import Visibility
from metrodiplomacy.workspaces.views.common import members_only
from metrodiplomacy.writes import Author


class IatiUploadForm(forms.Form):
    file = forms.FileField(label=_("IATI activity file (XML, version 2.03)"))
    owner = forms.ModelChoiceField(Organisation.objects.none(), to_field_name="key", label=_("Owner"), empty_label=None)
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibility of new records"))
    publish = forms.BooleanField(required=False, label=_("Publish new records"))

    def __init__(self, owners, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


def _owners(author: Author):
    if author.organisation_ids is None:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=author.organisation_ids).order_by("name")


@members_only
@require_http_methods(["GET", "POST"])
def import_iati(request):
    """Upload an IATI file; show every problem (file, line, element, reason) or what was imported."""
    from metrodiplomacy.importers.iati import IatiFileInvalid
    from metrodiplomacy.importers.iati import import_iati as run_import

    author = Author.for_user(request.user)
    owners = _owners(author)
    if not owners.exists():
        raise PermissionDenied("You edit for no organisation, so you cannot import.")
    form = IatiUploadForm(owners, request.POST or None, request.FILES or None)
    problems, summary, status = [], None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                uploads.check_upload(upload, upload.name, {uploads.XML})
            except uploads.UploadRefused as refused:
                form.add_error("file", str(refused))
            else:
                try:
                    summary = run_import(
                        upload.read(),
                        upload.name,
                        owner=form.cleaned_data["owner"],
                        author=author,
                        visibility=form.cleaned_data["visibility"],
                        publication="published" if form.cleaned_data["publish"] else "draft",
                    )
                except IatiFileInvalid as error:
                    problems = error.problems
        status = 200 if summary is not None else 400
    context = {"form": form, "problems": problems, "summary": summary}
    if summary is not None:
        context |= {f"summary_{action}": summary.count(action) for action in ("created", "updated", "unchanged")}
    return render(request, "cooperation/import_iati.html", context, status=status)
