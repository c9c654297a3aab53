"""Records that attach to another record so that they show up as part of it, and who may attach them (issue #15).

A value is shown as its indicator's value, a mitigation measure on its externality, a unit in its organisation's
capacity, a strategy as its organisation's plan. If anyone who can read the target could attach such a record, a
partner could put figures into another organisation's public accountability report, or take a value past the
approval and locked periods of the indicator's owner. Two rules, whoever writes (API, pages, services, imports):

- PART: the record is a part of its target (a value of an indicator, a measure of an externality, an axis or
  an objective of a strategy, a result of a survey, an indicator following an objective): it belongs to the
  organisation that owns the target, so only that organisation's editors add it, its admins approve it and
  its locked periods hold for it.
- OWN: the record states something as an organisation's own (its strategy, unit, indicator, externality,
  accountability report, statistic, engagement, seat in a network): it belongs to that organisation itself,
  or to whoever keeps that organisation's record (a research team that recorded the city describes it).

Relations that only *name* another record as a counterpart (an agreement party, a project funder, a partner,
a network, a cited source, a place) are not attachments: they stay their owner's statement, and any record
the author may read can be named (docs/security.md, "Attaching to another organisation's records").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from metrodiplomacy.writes import Author

PART = "part"
OWN = "own"


@dataclass(frozen=True)
class Attachment:
    """How a model attaches: through which fields, by which rule, and what the attached records are called.

    With several fields, one of them accepting the owner is enough: a seat in a network is recorded by the
    member or by the network.
    """

    fields: tuple[str, ...]
    rule: str
    what: Any  # a lazily translated plural noun, for the refusal


ATTACHMENTS: dict[str, tuple[Attachment, ...]] = {
    "strategy.Observation": (Attachment(("indicator",), PART, _("values")),),
    "strategy.MitigationMeasure": (Attachment(("externality",), PART, _("mitigation measures")),),
    "strategy.StrategyAxis": (Attachment(("strategy",), PART, _("axes")),),
    # The model already keeps an objective's axis inside its strategy.
    "strategy.Objective": (Attachment(("strategy",), PART, _("objectives")),),
    "strategy.Indicator": (
        Attachment(("objectives",), PART, _("indicators")),
        Attachment(("organisation",), OWN, _("indicators")),
    ),
    "evidence.SurveyResult": (Attachment(("survey",), PART, _("results")),),
    "strategy.Strategy": (Attachment(("organisation",), OWN, _("strategies")),),
    "strategy.Externality": (Attachment(("organisation",), OWN, _("externalities")),),
    "strategy.AccountabilityReport": (Attachment(("organisation",), OWN, _("accountability reports")),),
    "actors.Unit": (Attachment(("organisation",), OWN, _("units")),),
    "places.Statistic": (Attachment(("organisation",), OWN, _("statistics")),),
    "diplomacy.Engagement": (Attachment(("organisation",), OWN, _("engagements")),),
    "diplomacy.NetworkMembership": (Attachment(("member", "network"), OWN, _("network memberships")),),
}


def _accepts(rule: str, target: Model, owner_id: int | None) -> bool:
    if owner_id is None:
        return False
    if rule == PART:
        return getattr(target, "owner_id", None) == owner_id
    return owner_id in {target.pk, getattr(target, "owner_id", None)}


def _targets(record: Model, name: str, many: dict[str, Iterable[Model]]) -> list[Model]:
    model_field = record._meta.get_field(name)
    if model_field.many_to_many:
        if name in many:
            return list(many[name])
        return list(getattr(record, name).all()) if record.pk is not None else []
    target = getattr(record, name, None)
    return [] if target is None else [target]


def _refusal(model: type[Model], attachment: Attachment) -> str:
    if attachment.rule == PART:
        target = model._meta.get_field(attachment.fields[0]).related_model._meta.verbose_name
        return str(
            _(
                "Only the organisation that owns this %(target)s adds %(what)s to it: the record must belong to "
                "that organisation, and you must edit for it."
            )
            % {"target": target, "what": attachment.what}
        )
    return str(
        _(
            "Only the organisation itself, or the organisation that keeps its record, records its %(what)s: "
            "make one of them the owner (you must edit for it)."
        )
        % {"what": attachment.what}
    )


def check_attachment(author: Author, record: Model, many: Mapping[str, Iterable[Model]] | None = None) -> None:
    """Refuse, naming the field, a record attached to a target whose owner would not have it as its own.

    Call it once the record's owner and references are set and before it is saved; `many` holds the
    many-to-many values about to be set (the stored ones are checked otherwise). Staff are held to the same
    rule: it keeps the data coherent (whose admins approve, whose locks hold), not only the rights.
    """
    owner_id = getattr(record, "owner_id", None)
    for attachment in ATTACHMENTS.get(record._meta.label, ()):
        groups = [_targets(record, name, many or {}) for name in attachment.fields]
        if not any(groups):
            continue
        accepted = any(
            targets and all(_accepts(attachment.rule, target, owner_id) for target in targets) for targets in groups
        )
        if not accepted or not author.may_edit_for(owner_id):
            raise ValidationError({attachment.fields[0]: _refusal(type(record), attachment)})


def as_part_of_target(queryset: QuerySet) -> QuerySet:
    """The records the target's owner has as its own (PART rule), e.g. the values its indicator's owner recorded.

    Records attached before the rule existed, or written by the command line, may break it; whatever shows
    them as the target's (the accountability report, the results pages) reads through this.
    """
    for attachment in ATTACHMENTS.get(queryset.model._meta.label, ()):
        if attachment.rule == PART and not queryset.model._meta.get_field(attachment.fields[0]).many_to_many:
            queryset = queryset.filter(owner=F(f"{attachment.fields[0]}__owner"))
    return queryset


def as_own_of_organisation(queryset: QuerySet) -> QuerySet:
    """The records an organisation has as its own (OWN rule): owned by it or by whoever keeps its record."""
    for attachment in ATTACHMENTS.get(queryset.model._meta.label, ()):
        if attachment.rule != OWN:
            continue
        accepted = Q(pk__in=[])
        for name in attachment.fields:
            if queryset.model._meta.get_field(name).null:
                accepted |= Q(**{f"{name}__isnull": True})
            accepted |= Q(owner=F(name)) | Q(owner=F(f"{name}__owner"))
        queryset = queryset.filter(accepted)
    return queryset


def check_package_attachments(package: Any, editable: dict[str, int], default_owner_id: int | None) -> None:
    """Add a problem for every row of a user's import that attaches to a target whose owner would not have it.

    The same rules as `check_attachment`, read from keys: a target is a row of the package (owned as that row
    says) or a record already stored. The operator's own imports (command line) are not checked.
    """
    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.importers.datapackage.spec import tables

    default_key = Organisation.objects.filter(pk=default_owner_id).values_list("key", flat=True).first()
    by_model = {t.model: t for t in tables()}
    for label, attachments in ATTACHMENTS.items():
        t = by_model.get(label)
        rows = package.rows.get(t.name, []) if t is not None else []
        if t is None or not rows:
            continue
        for attachment in attachments:
            columns = [c for c in t.all_columns if c.model_field in attachment.fields and c.target]
            owners = _target_owners(package, columns, rows, default_key)
            for row in rows:
                owner = row.values.get("owner") or default_key
                if owner is None or owner not in editable:
                    continue  # refused already as an owner the user does not edit for
                groups = [[(c.target, key) for key in _keys(row.values.get(c.name))] for c in columns]
                if not any(groups):
                    continue
                if not any(
                    group and all(_key_accepts(attachment.rule, target, owners, owner) for target in group)
                    for group in groups
                ):
                    package.problem(t, row.line, columns[0].name, _refusal(t.get_model(), attachment))


def _keys(value: Any) -> list[str]:
    if not value:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def _target_owners(package: Any, columns: list, rows: list, default_key: str | None) -> dict[tuple[str, str], Any]:
    """(table, key) -> key of the owning organisation, for every target the rows name that can be found."""
    from metrodiplomacy.importers.datapackage.spec import table

    owners: dict[tuple[str, str], Any] = {}
    for column in columns:
        wanted = {key for row in rows for key in _keys(row.values.get(column.name))}
        for row in package.rows.get(column.target, []):
            if row.values.get("id") in wanted:
                owners[(column.target, row.values["id"])] = row.values.get("owner") or default_key
        stored = wanted - {key for target, key in owners if target == column.target}
        model = table(column.target).get_model()
        for key, owner_key in model.objects.filter(key__in=stored).values_list("key", "owner__key"):
            owners[(column.target, key)] = owner_key
    return owners


def _key_accepts(rule: str, target: tuple[str, str], owners: dict[tuple[str, str], Any], owner: str) -> bool:
    if target not in owners:
        return True  # an unknown key is refused by the reference checks, with its own message
    if rule == PART:
        return owners[target] == owner
    return owner == owners[target] or (target[0] == "organisations" and owner == target[1])
