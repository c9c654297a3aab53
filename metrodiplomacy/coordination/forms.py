"""Forms of the coordination space: they check input and hand the services references by key."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.evidence.models import PolicyArea
from metrodiplomacy.records import Visibility, visible_to
from metrodiplomacy.workspaces.forms import PlaceField, PlacesField

from .models import M49_REGIONS, DecisionStatus, StakeholderSector

DATE = forms.DateInput(attrs={"type": "date"})


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    place = PlaceField(label=_("Place"), required=False, help_text=_("By name or key."))
    minutes = forms.FileField(
        label=_("Minutes"), required=False, help_text=_("PDF, Word, OpenDocument or plain text; 20 MB at most.")
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ChoiceField(label=_("Owner organisation"), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices, initial=DecisionStatus.OPEN)
    meeting = forms.ChoiceField(label=_("Taken at the meeting"), required=False)

    def __init__(self, *args, organisations=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", "—"), *((o.key, o.name) for o in organisations)]
        self.fields["meeting"].choices = [("", "—"), *((str(m.pk), f"{m.date:%Y-%m-%d} {m.title}") for m in meetings)]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)


class AgendaForm(forms.Form):
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices, initial=Visibility.WORKSPACE)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *StakeholderSector.choices], required=False)
    priority_regions = forms.MultipleChoiceField(
        label=_("Priority regions"),
        choices=[(region, region) for region in M49_REGIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority_countries = PlacesField(label=_("Priority countries"), required=False, help_text=_("One per line."))
    priority_cities = PlacesField(label=_("Priority partner cities"), required=False, help_text=_("One per line."))
    policy_areas = forms.MultipleChoiceField(
        label=_("Policy areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    networks = forms.MultipleChoiceField(
        label=_("Priority networks"), required=False, widget=forms.CheckboxSelectMultiple
    )
    unit = forms.ChoiceField(label=_("International unit"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    commitments = forms.CharField(
        label=_("Coordination commitments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_areas"].choices = list(PolicyArea.objects.order_by("name").values_list("code", "name"))
        networks = visible_to(Organisation.objects.filter(kind="city_network"), user).order_by("name")
        self.fields["networks"].choices = [(n.key, n.acronym or n.name) for n in networks]
        units = visible_to(Unit.objects.filter(organisation=organisation), user).order_by("name")
        self.fields["unit"].choices = [("", "—"), *((u.key, u.name) for u in units)]

    def values(self) -> dict:
        """The values as the agenda service takes them: references by key, places by key."""
        data = self.cleaned_data
        return {
            "visibility": data["visibility"],
            "sector": data["sector"],
            "priority_regions": list(data["priority_regions"]),
            "priority_countries": [p.key for p in data["priority_countries"]],
            "priority_cities": [p.key for p in data["priority_cities"]],
            "policy_areas": list(data["policy_areas"]),
            "networks": list(data["networks"]),
            "unit": data["unit"] or None,
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "commitments": data["commitments"],
        }


class FeedSecretForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, initial=_("calendar"), help_text=_("Where you use it, e.g. the calendar app.")
    )
