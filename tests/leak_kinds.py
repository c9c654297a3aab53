"""What the models hold, read from them: the owned models, the child tables and every kind of reference.

The leak fixture (`tests/leak_fixture.py`) builds every reference kind listed here in every case, and its guard
(`test_leak_scanner.py`) fails when a child table appears that the fixture neither builds nor leaves out by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Reference:
    """A kind of reference from a record of `model` to a record of `target`: a field, or a row of a child table."""

    model: str
    field: str
    target: str
    via: str = ""  # the child model ("diplomacy.AgreementParty"), or "" for the record's own field

    def __str__(self) -> str:
        return f"{self.model}.{self.field} → {self.target}" + (f" (through {self.via})" if self.via else "")


def owned_models() -> list[type[models.Model]]:
    from metrodiplomacy.records import Record

    return [model for model in apps.get_models() if issubclass(model, Record)]


def is_owned(model) -> bool:
    from metrodiplomacy.records import Record

    return model is not None and issubclass(model, Record)


def child_tables() -> list[type[models.Model]]:
    """Models that are not records but hang on one (deleted with it): rows shown with their record."""
    return [
        model
        for model in apps.get_models()
        if not is_owned(model)
        and not model.__name__.startswith("Historical")
        and any(
            (f.many_to_one or f.one_to_one) and is_owned(f.related_model) and f.remote_field.on_delete is models.CASCADE
            for f in model._meta.concrete_fields
        )
    ]


def reference_kinds() -> list[Reference]:
    """Every kind of reference from an owned record to another, read from the models."""
    found = []
    for model in owned_models():
        for f in model._meta.get_fields():
            if f.is_relation and not f.auto_created and f.name != "owner" and is_owned(f.related_model):
                found.append(Reference(model._meta.label, f.name, f.related_model._meta.label))
    for child in child_tables():
        parents = [
            f
            for f in child._meta.concrete_fields
            if (f.many_to_one or f.one_to_one)
            and is_owned(f.related_model)
            and f.remote_field.on_delete is models.CASCADE
        ]
        for f in child._meta.concrete_fields:
            if f.many_to_one and is_owned(f.related_model) and f not in parents and len(parents) == 1:
                parent = parents[0].related_model._meta.label
                found.append(
                    Reference(parent, f"{child.__name__}.{f.name}", f.related_model._meta.label, child._meta.label)
                )
    for model in owned_models():
        found.append(Reference(model._meta.label, "citations", "evidence.Source", "evidence.Citation"))
    return found


# Child tables the fixture leaves empty, and why.
NOT_BUILT = {
    "workspaces.Membership": "who belongs to an organisation: the personas' own memberships",
    "workspaces.ApiToken": "a user's secret, never shown as content",
    "strategy.LockedPeriod": "a year closed by the organisation itself; it names no other record",
}
