"""One-line plain-text descriptions of records, for the terminal and for plain listings."""

import functools

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .profiles import format_amount


@functools.lru_cache(maxsize=512)
def _labels(model: type, field: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def display(obj, field: str) -> str:
    """The label of a choice field, like `get_FIELD_display()`, without re-translating every label each call.

    Django's own method hashes (and so translates) the whole choice list on every call, which a page
    listing hundreds of records pays hundreds of times.
    """
    value = getattr(obj, field)
    return _labels(type(obj), field, get_language()).get(value, value)


def describe(obj) -> str:  # noqa: C901 - one branch per record kind keeps each line readable
    name = type(obj).__name__
    if name == "Statistic":
        subject = obj.place or obj.organisation or _("World")
        kind = "" if obj.kind == "observed" else f" ({display(obj, 'kind')})"
        amount = format_amount(obj.value, obj.scale, obj.qualifier)
        year = f" {obj.year}" if obj.year else ""
        return f"{subject} — {obj.metric.replace('_', ' ')}{year}{kind}: {amount} {obj.unit}"
    if name == "CaseStudy":
        return _("case study of %(source)s") % {"source": obj.source}
    if name == "ClassificationCoding":
        return f"{display(obj, 'scheme')} {obj.value} ({obj.coder}): {obj.rationale}"
    if name == "RelianceCoding":
        return f"{obj.policy_area.name}: {obj.level} ({obj.coder}) — {obj.rationale}"
    if name == "Organisation":
        acronym = f" ({obj.acronym})" if obj.acronym else ""
        return f"{obj.name}{acronym}, {display(obj, 'kind')}"
    if name == "Unit":
        parts = [f"{obj.name} — {obj.organisation}", display(obj, "specialty")]
        if obj.staff is not None:
            parts.append(_("%(staff)s staff") % {"staff": format_amount(obj.staff, "units", obj.staff_qualifier)})
        if obj.budget is not None:
            budget = format_amount(obj.budget, obj.budget_scale, obj.budget_qualifier)
            parts.append(
                (_("budget %(amount)s") % {"amount": f"{budget} {obj.budget_currency} {obj.budget_year or ''}"}).strip()
            )
        if obj.location_id:
            parts.append(_("in %(place)s") % {"place": obj.location})
        return ", ".join(parts)
    if name == "Strategy":
        period = "–".join(str(y) for y in (obj.year_start, obj.year_end) if y)
        return f"{obj.name} ({obj.organisation}; {display(obj, 'kind')}{', ' + period if period else ''})"
    if name == "Agreement":
        parties = " – ".join(sorted(str(p.party) for p in obj.parties.all()))
        year = obj.year or _("year not stated")
        return f"{obj.title}: {display(obj, 'kind')}, {year} ({parties})"
    if name == "NetworkMembership":
        roles = ", ".join(str(r) for r in obj.roles.all()) or _("member")
        prioritised = " [" + _("prioritised") + "]" if obj.is_prioritised else ""
        return f"{obj.network} — {obj.member}: {roles}{prioritised}"
    if name == "Hosting":
        return _("%(place)s hosts %(organisation)s (%(kind)s)") % {
            "place": obj.place,
            "organisation": obj.organisation,
            "kind": display(obj, "kind"),
        }
    if name == "Initiative":
        lead = " (%s)" % (_("led by %(lead)s") % {"lead": obj.lead}) if obj.lead_id else ""
        return f"{obj.name}{lead}{', ' + str(obj.year) if obj.year else ''}"
    if name == "Engagement":
        when = obj.date or obj.year or _("undated")
        return f"{obj.title} — {display(obj, 'kind')}, {when}"
    if name == "CooperationProject":
        modality = display(obj, "modality") or _("modality not stated")
        return f"{obj.title} ({modality})"
    if name == "CoordinationMechanism":
        return f"{obj.name} — {display(obj, 'kind')}, {display(obj, 'logic')}"
    if name == "Indicator":
        values = "; ".join(
            f"{o.year or ''} {format_amount(o.value, o.scale, o.qualifier)} {o.unit}".strip()
            for o in obj.observations.all()
        )
        return f"{obj.name} ({display(obj, 'kind')}){': ' + values if values else ''}"
    if name == "RankingPosition":
        position = f"#{obj.position}" if obj.position else _("ranked")
        return f"{obj.ranking} {obj.year or ''}: {position}"
    return str(obj)
