"""The rules every write through a service follows, whoever calls it (API, pages, CLI).

- The owner of a record is an organisation the author edits for (admin or editor role).
- A record is changed only by someone who edits for its owner; one they cannot even read is "missing".
- A reference (foreign key or many-to-many) may only point at records the author can read: another
  organisation's private record is refused as unknown, so the answer does not reveal that it exists.
- Values are checked by the model (`full_clean`) before anything is saved; the caller wraps the whole
  write in one transaction, so a refusal leaves the database unchanged.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from metrodiplomacy.attachments import check_attachment
from metrodiplomacy.records import Publication, Record, Visibility, editing_organisations, visible_to
from metrodiplomacy.related import check_references


@dataclass(frozen=True)
class Author:
    """Who writes, and for which owners: None means any owner (staff acting without a scope)."""

    user: Any
    organisation_ids: frozenset[int] | None = field(default_factory=frozenset)
    # The organisation a scoped token acts for: it also narrows what references may point at (`readable`).
    scope_id: int | None = None

    @classmethod
    def for_user(cls, user: Any, scope_id: int | None = None, read_only: bool = False) -> "Author":
        """The author a user is, narrowed to one organisation (scoped token) or to nothing (read-only token)."""
        if read_only or user is None or not user.is_authenticated:
            return cls(user, frozenset())
        if user.is_staff:
            return cls(user, None if scope_id is None else frozenset({scope_id}), scope_id)
        own = frozenset(editing_organisations(user))
        return cls(user, own if scope_id is None else own & {scope_id}, scope_id)

    def readable(self, queryset: QuerySet) -> QuerySet:
        """The records of the queryset a reference may point at: those the author reads, within its token's scope.

        Without the scope, a token acting for C could point C's records at A's private ones because its user also
        works for A, and so show A's keys to C (issue #8: a token never widens rights).
        """
        if not issubclass(queryset.model, Record):
            return queryset
        return narrow_to_organisation(visible_to(queryset, self.user), self.scope_id)

    def may_edit_for(self, organisation_id: int | None) -> bool:
        if self.organisation_ids is None:
            return True
        return organisation_id is not None and organisation_id in self.organisation_ids

    def check_can_edit(self, record: Record) -> None:
        if not self.may_edit_for(record.owner_id):
            raise PermissionDenied("You may read this record but not change it: you do not edit for its owner.")


def narrow_to_organisation(queryset: QuerySet, organisation_id: int | None) -> QuerySet:
    """What one organisation reads of the queryset: public published records, its own, its partners' shared ones."""
    if organisation_id is None:
        return queryset
    from metrodiplomacy.workspaces.models import Workspace

    partners = Workspace.organisations.through.objects.filter(workspace__organisations=organisation_id).values(
        "organisation_id"
    )
    return queryset.filter(
        Q(visibility=Visibility.PUBLIC, publication=Publication.PUBLISHED)
        | Q(owner=organisation_id)
        | Q(visibility=Visibility.WORKSPACE, owner__in=partners)
    )


def resolve_owner(author: Author, key: str | None):
    """The owning organisation named by key, or the author's only one when the key is left out."""
    from metrodiplomacy.actors.models import Organisation

    if key is None:
        if author.organisation_ids is not None and len(author.organisation_ids) == 1:
            return Organisation.objects.get(pk=next(iter(author.organisation_ids)))
        if not author.organisation_ids:
            raise PermissionDenied("You edit for no organisation, so you cannot create records.")
        raise ValidationError({"owner": "Name the owning organisation: you edit for more than one."})
    owner = resolve_reference(author, "owner", Organisation.objects.all(), key)
    if not author.may_edit_for(owner.pk):
        raise PermissionDenied(f"owner: you do not edit for the organisation {key!r}.")
    return owner


def resolve_reference(author: Author, field_name: str, queryset: QuerySet, key: str | None, lookup: str = "key"):
    """The record the key names, if the author may read it; otherwise a 400 naming the field."""
    if key is None:
        return None
    found = author.readable(queryset).filter(**{lookup: key}).first()
    if found is None:
        raise ValidationError({field_name: f"No {queryset.model._meta.verbose_name} with {lookup} {key!r}."})
    return found


def resolve_references(
    author: Author, field_name: str, queryset: QuerySet, keys: Iterable[str], lookup: str = "key"
) -> list:
    """Every record the keys name, in order; one unknown or unreadable key refuses the whole list."""
    keys = list(keys)
    if len(set(keys)) != len(keys):
        raise ValidationError({field_name: "The same key is listed twice."})
    found = {getattr(obj, lookup): obj for obj in author.readable(queryset).filter(**{f"{lookup}__in": keys})}
    missing = [key for key in keys if key not in found]
    if missing:
        raise ValidationError(
            {field_name: f"No {queryset.model._meta.verbose_name} with {lookup} {', '.join(map(repr, missing))}."}
        )
    return [found[key] for key in keys]


@dataclass(frozen=True)
class WriteSpec:
    """Which input values a service copies as they are, and how it resolves references."""

    plain: tuple[str, ...]
    # field -> (author, field, key) -> related object
    references: dict[str, Callable[[Author, str, Any], Any]] = field(default_factory=dict)
    # field -> (author, field, keys) -> list of related objects
    many: dict[str, Callable[[Author, str, Any], list]] = field(default_factory=dict)


RECORD_FIELDS = ("visibility", "publication", "flag")


def save_record(author: Author, record: Record, values: dict, spec: WriteSpec, creating: bool) -> dict[str, list]:
    """Apply values to the record and save it; returns the resolved many-to-many values still to set.

    Every reference is resolved before anything is written, so a refusal writes nothing.
    """
    if not creating:
        author.check_can_edit(record)
    if creating or "owner" in values:
        record.owner = resolve_owner(author, values.get("owner"))
    if creating:
        record.key = values.get("key") or ""
    for name in (*RECORD_FIELDS, *spec.plain):
        if name in values:
            setattr(record, name, values[name] if values[name] is not None or _nullable(record, name) else "")
    for name, resolve in spec.references.items():
        if name in values:
            setattr(record, name, resolve(author, name, values[name]))
    many = {name: resolve(author, name, values[name] or []) for name, resolve in spec.many.items() if name in values}
    check_references(record, many)
    check_attachment(author, record, many)
    save_validated(author, record)
    for name, objects in many.items():
        getattr(record, name).set(objects)
    return many


def _nullable(record: Model, name: str) -> bool:
    return record._meta.get_field(name).null


def save_validated(author: Author, instance: Model) -> None:
    """Check the instance as the model defines it, then save it with its author in the history.

    A key already taken by a record the author may not read is refused exactly as a malformed key is: the same
    field, message and other errors, so the answer does not tell that another organisation's record holds it.
    """
    try:
        instance.full_clean()
    except ValidationError as error:
        if _key_taken_by_an_unreadable_record(author, instance, error):
            raise _as_if_the_key_were_malformed(instance) from None
        raise
    if author.user is not None and getattr(author.user, "pk", None) is not None:
        instance._history_user = author.user
    instance.save()


# A key no record can have (see records.KEY_PATTERN): validating with it gives a malformed key's answer.
MALFORMED_KEY = "-"


def _key_taken_by_an_unreadable_record(author: Author, instance: Model, error: ValidationError) -> bool:
    if not isinstance(instance, Record) or not hasattr(error, "error_dict"):
        return False
    if not any(problem.code == "unique" for problem in error.error_dict.get("key", [])):
        return False
    holders = type(instance)._default_manager.filter(key=instance.key).exclude(pk=instance.pk)
    return not author.readable(holders).exists()


def _as_if_the_key_were_malformed(instance: Record) -> ValidationError:
    """The refusal the same write would get with a malformed key: validated again with one, then put back."""
    key, instance.key = instance.key, MALFORMED_KEY
    try:
        instance.full_clean()
    except ValidationError as error:
        return error
    finally:
        instance.key = key
    raise AssertionError("a malformed key always fails validation")  # pragma: no cover


def delete_record(author: Author, record: Record) -> None:
    """Remove a record the author edits for, with the citations that point at it."""
    from metrodiplomacy.evidence.models import Citation

    author.check_can_edit(record)
    Citation.objects.filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk).delete()
    record.delete()


def organisations(author: Author, field_name: str, value: Any) -> Any:
    from metrodiplomacy.actors.models import Organisation

    if isinstance(value, list):
        return resolve_references(author, field_name, Organisation.objects.all(), value)
    return resolve_reference(author, field_name, Organisation.objects.all(), value)


def places(author: Author, field_name: str, value: Any) -> Any:
    from metrodiplomacy.places.models import Place

    if isinstance(value, list):
        return resolve_references(author, field_name, Place.objects.all(), value)
    return resolve_reference(author, field_name, Place.objects.all(), value)


def policy_areas(author: Author, field_name: str, value: list[str]) -> list:
    from metrodiplomacy.evidence.models import PolicyArea

    return resolve_references(author, field_name, PolicyArea.objects.all(), value, lookup="code")


# The generic record service: the models without a service of their own are written through these, by
# the workspace pages as by any other caller. A model's write spec follows from its fields.
BASE_FIELDS = frozenset({"id", "key", "owner", "visibility", "publication", "flag", "created_at", "updated_at"})


def references_to(model: type[Model]) -> Callable[[Author, str, Any], Any]:
    """The resolver for references to the model: by key, or by code for the policy-area codelist."""
    lookup = "code" if model._meta.label == "evidence.PolicyArea" else "key"

    def resolve(author: Author, field_name: str, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return resolve_references(author, field_name, model._default_manager.all(), value, lookup)
        return resolve_reference(author, field_name, model._default_manager.all(), value, lookup)

    return resolve


def write_spec_for(model: type[Model]) -> WriteSpec:
    """Every editable field of the model beyond those all records share: plain values, references, lists."""
    plain, references, many = [], {}, {}
    for model_field in model._meta.get_fields():
        if model_field.auto_created or not getattr(model_field, "editable", False) or model_field.name in BASE_FIELDS:
            continue
        if model_field.many_to_many:
            many[model_field.name] = references_to(model_field.related_model)
        elif model_field.many_to_one:
            references[model_field.name] = references_to(model_field.related_model)
        elif model_field.concrete:
            plain.append(model_field.name)
    return WriteSpec(plain=tuple(plain), references=references, many=many)


@transaction.atomic
def create_record(author: Author, model: type[Record], values: dict) -> Record:
    """Create a record of any model, owned by an organisation the author edits for."""
    record = model()
    save_record(author, record, values, write_spec_for(model), creating=True)
    return record


@transaction.atomic
def change_record(author: Author, record: Record, values: dict) -> Record:
    """Change the given fields of a record the author edits for; list fields, when given, replace the old ones."""
    save_record(author, record, values, write_spec_for(type(record)), creating=False)
    return record


@transaction.atomic
def remove_record(author: Author, record: Record) -> None:
    """Delete a record the author edits for, with its citations."""
    delete_record(author, record)
