"""Forms of the workspace, built from each model's fields; their choices list only what the user may read.

The forms only check input and turn it into the values the services take (references by key): every rule
of ownership and visibility is applied again by the service, which has the last word.
"""

from typing import Any

from django import forms
from django.db.models import Q, URLField
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import NetworkRoleKind
from metrodiplomacy.evidence.models import PolicyArea, Source
from metrodiplomacy.places.models import Place
from metrodiplomacy.records import Record, Visibility, editing_organisations, key_validator, visible_to

from .kinds import RecordKind


def find_place(text: str) -> Place:
    """The place a user typed: its key, or a name that only one place has."""
    text = text.strip()
    found = list(Place.objects.filter(Q(key=text) | Q(name__iexact=text))[:6])
    exact = [place for place in found if place.key == text]
    if exact:
        return exact[0]
    if not found:
        raise forms.ValidationError(_("No place is called %(name)s.") % {"name": text})
    if len(found) > 1:
        keys = ", ".join(place.key for place in found)
        raise forms.ValidationError(
            _("Several places are called %(name)s: type one of the keys %(keys)s.")
            % {
                "name": text,
                "keys": keys,
            }
        )
    return found[0]


class PlaceField(forms.CharField):
    """A place picked by name (or key), with the names offered by the page's list of places."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs["list"] = "place-names"

    def prepare_value(self, value: Any) -> Any:
        return value.key if isinstance(value, Place) else value

    def clean(self, value: Any) -> Place | None:
        value = super().clean(value)
        return find_place(value) if value else None


class PlacesField(forms.CharField):
    """Several places, one name or key per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(place.key if isinstance(place, Place) else str(place) for place in value)
        return value

    def clean(self, value: Any) -> list[Place]:
        value = super().clean(value) or ""
        return [find_place(line) for line in value.splitlines() if line.strip()]


def _reference_field(model_field, user) -> forms.Field:
    related = model_field.related_model
    required = not model_field.blank
    label = model_field.verbose_name
    if related is Place:
        if model_field.many_to_many:
            return PlacesField(label=label, required=required, help_text=_("One place per line, by name or key."))
        return PlaceField(label=label, required=required, help_text=_("Type a name and pick from the list."))
    if related is PolicyArea:
        queryset, to_field = PolicyArea.objects.all(), "code"
    elif issubclass(related, Record):
        queryset, to_field = visible_to(related.objects.all(), user), "key"
    else:  # pragma: no cover - every reference of the data model is covered above
        raise TypeError(f"No form field for references to {related}")
    if model_field.many_to_many:
        widget = forms.CheckboxSelectMultiple if related is PolicyArea else forms.SelectMultiple(attrs={"size": 6})
        return forms.ModelMultipleChoiceField(
            queryset, to_field_name=to_field, required=required, label=label, widget=widget
        )
    return forms.ModelChoiceField(queryset, to_field_name=to_field, required=required, label=label)


def record_form_class(kind: RecordKind, user, creating: bool) -> type[forms.Form]:
    """A form for the kind's records as this user may fill it in."""
    owners = (
        Organisation.objects.all() if user.is_staff else Organisation.objects.filter(pk__in=editing_organisations(user))
    )
    fields: dict[str, forms.Field] = {}
    if creating:
        fields["key"] = forms.CharField(
            label=_("key"),
            max_length=120,
            validators=[key_validator],
            help_text=_("A short, stable name for data packages: lower-case letters, digits and hyphens."),
        )
    fields["owner"] = forms.ModelChoiceField(owners, to_field_name="key", label=_("owner"), empty_label=None)
    fields["visibility"] = forms.ChoiceField(choices=Visibility.choices, label=_("visibility"))
    for model_field in kind.fields:
        if model_field.is_relation:
            fields[model_field.name] = _reference_field(model_field, user)
        else:
            extra = {"assume_scheme": "https"} if isinstance(model_field, URLField) else {}
            fields[model_field.name] = model_field.formfield(**extra)
    fields["flag"] = forms.CharField(
        label=_("flag"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=Record.flag.field.help_text
    )
    for form_field in fields.values():
        form_field.label = capfirst(form_field.label)
    return type(f"{kind.model.__name__}Form", (forms.Form,), fields)


def initial_values(kind: RecordKind, record: Record) -> dict:
    """The form's starting values for an existing record."""
    initial = {"owner": record.owner, "visibility": record.visibility, "flag": record.flag}
    for model_field in kind.fields:
        value = getattr(record, model_field.name)
        initial[model_field.name] = list(value.all()) if model_field.many_to_many else value
    return initial


def service_values(form: forms.Form) -> dict:
    """The cleaned input as the services take it: records by key, policy areas by code."""
    values = {}
    for name, value in form.cleaned_data.items():
        if hasattr(value, "all") or isinstance(value, list):
            values[name] = [_reference_key(item) for item in value]
        elif hasattr(value, "_meta"):
            values[name] = _reference_key(value)
        else:
            values[name] = value
    return values


def _reference_key(obj) -> str:
    return obj.code if isinstance(obj, PolicyArea) else obj.key


class PartyForm(forms.Form):
    """One party of an agreement: a place, or an organisation."""

    place = PlaceField(label=_("place"), required=False)
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), to_field_name="key", required=False, label=_("organisation")
    )

    def __init__(self, *args: Any, user=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = visible_to(Organisation.objects.all(), user)


class RoleForm(forms.Form):
    """One role of an organisation in a city network, with its year when it is dated."""

    role = forms.ChoiceField(choices=[("", "—"), *NetworkRoleKind.choices], required=False, label=_("role"))
    year = forms.IntegerField(min_value=1000, max_value=2200, required=False, label=_("year"))


PartyFormSet = forms.formset_factory(PartyForm, extra=3)
RoleFormSet = forms.formset_factory(RoleForm, extra=2)


def group_formset(kind: RecordKind, user, data=None, record: Record | None = None):
    """The repeated rows of the kind (agreement parties, network roles), or None for kinds without any."""
    if kind.group == "parties":
        initial = (
            [{"place": party.place, "organisation": party.organisation} for party in record.parties.all()]
            if record
            else []
        )
        return PartyFormSet(data, initial=initial, prefix="parties", form_kwargs={"user": user})
    if kind.group == "roles":
        initial = [{"role": role.role, "year": role.year} for role in record.roles.all()] if record else []
        return RoleFormSet(data, initial=initial, prefix="roles")
    return None


def group_values(kind: RecordKind, formset) -> list[dict]:
    """The filled-in rows as the services take them; empty rows are skipped."""
    rows = []
    for row in formset.cleaned_data:
        if kind.group == "parties" and (row.get("place") or row.get("organisation")):
            rows.append(
                {
                    "place": row["place"].key if row.get("place") else None,
                    "organisation": row["organisation"].key if row.get("organisation") else None,
                }
            )
        elif kind.group == "roles" and row.get("role"):
            rows.append({"role": row["role"], "year": row.get("year")})
    return rows


class CitationForm(forms.Form):
    """A citation of a source for a record: where the passage is and what it says."""

    source = forms.ModelChoiceField(Source.objects.none(), to_field_name="key", label=_("source"))
    section = forms.CharField(label=_("section"), max_length=300, required=False)
    line_start = forms.IntegerField(label=_("first line"), min_value=1, required=False)
    line_end = forms.IntegerField(label=_("last line"), min_value=1, required=False)
    page = forms.CharField(label=_("page"), max_length=40, required=False)
    note = forms.CharField(label=_("what the passage says"), widget=forms.Textarea(attrs={"rows": 2}))
    quotation = forms.CharField(
        label=_("quotation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your own sources only: bundled data paraphrases."),
    )

    def __init__(self, *args: Any, user=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = visible_to(Source.objects.all(), user)
