"""The rule for related records: a record shown inside another is shown only to a reader who may read it.

The gate (`records.visible_to`) decides which records a reader gets. A record it lets through still points
at others: an agreement's parties, an initiative's lead and partners, an indicator's values, a citation's
source. Those are read through Django's relation descriptors, from templates, API schemas, exports and
reports alike, so the rule is applied there, once, rather than in each rendering:

- every record the gate returns carries its **reader**;
- reading a foreign key of such a record gives the related record if the reader may read it, and otherwise
  a **withheld** stand-in: the same primary key (so saving the referring record still works) with every text
  emptied, and its key, name or title reading "withheld" — not its key, not its name;
- reading a list (a many-to-many, or the rows that point back, such as an indicator's values or an
  agreement's parties) leaves out the records the reader may not read, and the rows that name one, so
  not even a count reveals them;
- whatever is read that way carries the reader on, so a party's organisation or a citation's source is
  checked in turn.

Staff, and the command line acting as the operator, read everything: their records carry no reader.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import CharField, Model, Q, QuerySet, TextField
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.db.models.query import ModelIterable
from django.utils.translation import gettext

READER = "_reader"
WITHHELD = "_withheld"
# The fields a stand-in shows its "withheld" label in, whichever the model names itself by.
LABEL_FIELDS = ("name", "title")
WITHHELD_KEY = "withheld"


class Reader:
    """Who reads, with the organisations whose records they see, looked up once per gated read."""

    def __init__(self, user: Any, scope_id: int | None = None) -> None:
        self.user = user
        # An organisation-scoped API token reads as that one organisation (see `writes.narrow_to_organisation`).
        self.scope_id = scope_id
        self._scope: tuple[set[int], set[int]] | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user is None or not self.user.is_authenticated

    def scope(self) -> tuple[set[int], set[int]]:
        if self._scope is None:
            from metrodiplomacy.records import _reading_scope
            from metrodiplomacy.workspaces.models import Workspace

            if self.scope_id is None:
                own, partners = _reading_scope(self.user)
                self._scope = (set(own), set(partners))
            else:
                shared = Workspace.organisations.through.objects.filter(workspace__organisations=self.scope_id)
                self._scope = ({self.scope_id}, set(shared.values_list("organisation_id", flat=True)))
        return self._scope

    def may_read(self, record: Model) -> bool:
        """The gate's rule (`records.visible_to`) for one loaded record, without a query."""
        from metrodiplomacy.records import Publication, Record, Visibility

        if not isinstance(record, Record) or getattr(record, WITHHELD, False):
            return True
        if record.visibility == Visibility.PUBLIC and record.publication == Publication.PUBLISHED:
            return True
        if self.is_anonymous:
            return False
        own, partners = self.scope()
        if record.owner_id in own or (record.visibility == Visibility.WORKSPACE and record.owner_id in partners):
            return True
        # The organisations of a shared workspace know each other by name (the coordination space lists them),
        # so one named inside another record is shown to its partners whatever its own record's visibility.
        return record._meta.label == "actors.Organisation" and record.pk in partners


def reader_for(user: Any, scope_id: int | None = None) -> Reader | None:
    """The reader whose related records are checked, or None for those who read everything (staff, operator)."""
    is_staff = user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False)
    if is_staff and scope_id is None:
        return None
    return Reader(user, scope_id)


def can_read(user: Any, record: Model) -> bool:
    """Whether the user may read this loaded record (the gate's rule, applied in Python)."""
    reader = reader_for(user)
    return reader is None or reader.may_read(record)


def mark(obj: Any, reader: Reader | None) -> Any:
    if reader is not None and isinstance(obj, Model):
        obj.__dict__[READER] = reader
    return obj


def withheld(record: Model, reader: Reader) -> Model:
    """A stand-in for a record the reader may not read: its primary key only, and "withheld" for a name."""
    model = type(record)
    stand_in = model(pk=record.pk)
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, CharField | TextField):
            setattr(stand_in, model_field.attname, "")
    # A key of its own, not the record's: links and API fields stay well-formed (a link to it finds nothing).
    stand_in.key = WITHHELD_KEY
    label = gettext("withheld")
    for name in LABEL_FIELDS:
        if any(f.name == name for f in model._meta.concrete_fields):
            setattr(stand_in, name, label)
    stand_in.__dict__[WITHHELD] = True
    stand_in.__dict__[READER] = reader
    return stand_in


def is_withheld(obj: Any) -> bool:
    return bool(getattr(obj, WITHHELD, False))


class _ReaderIterable(ModelIterable):
    """Model instances that remember who reads them, so their relations are checked (see the module doc)."""

    reader: Reader

    def __iter__(self):
        for obj in super().__iter__():
            obj.__dict__[READER] = self.reader
            yield obj


def read_by(queryset: QuerySet, user: Any, scope_id: int | None = None) -> QuerySet:
    """The queryset, its rows carrying the reader so that the records they point at are checked when shown."""
    reader = reader_for(user, scope_id)
    return queryset if reader is None else _marked(queryset, reader)


def _references(model: type[Model], exclude: str | None = None) -> list:
    """The foreign keys of a model that point at user-owned records."""
    from metrodiplomacy.records import Record

    return [
        f
        for f in model._meta.concrete_fields
        if f.many_to_one and isinstance(f.related_model, type) and issubclass(f.related_model, Record)
        if f.name != exclude and f.name != "owner"
    ]


def _row_is_shown(reader: Reader, row: Model, back: str | None) -> bool:
    """A row of a list is shown if it is readable and, when it is a link row, names no record withheld."""
    from metrodiplomacy.records import Record

    if isinstance(row, Record):
        return reader.may_read(row)
    for model_field in _references(type(row), exclude=back):
        if getattr(row, model_field.attname) is None:
            continue
        target = model_field.get_cached_value(row, default=None)
        if target is None:
            target = model_field.related_model._base_manager.filter(pk=getattr(row, model_field.attname)).first()
        if target is not None and not reader.may_read(target):
            return False
    return True


def _gate_list(queryset: QuerySet, reader: Reader, back: str | None) -> QuerySet:
    """The rows of a relation's queryset the reader is shown, each carrying the reader."""
    from metrodiplomacy.records import Record

    if queryset._result_cache is not None:
        rows = [mark(row, reader) for row in queryset._result_cache if _row_is_shown(reader, row, back)]
        gated = queryset._chain()
        gated._result_cache = rows
        gated._prefetch_done = True
        return gated
    model = queryset.model
    if issubclass(model, Record):
        return _marked(queryset.filter(pk__in=_readable_targets(model, reader)), reader)
    for model_field in _references(model, exclude=back):
        readable = _readable_targets(model_field.related_model, reader)
        queryset = queryset.filter(
            Q(**{f"{model_field.name}__isnull": True}) | Q(**{f"{model_field.name}__in": readable})
        )
    return _marked(queryset, reader)


def _readable(queryset: QuerySet, reader: Reader) -> QuerySet:
    from metrodiplomacy.records import visible_to
    from metrodiplomacy.writes import narrow_to_organisation

    return narrow_to_organisation(visible_to(queryset, reader.user), reader.scope_id)


def _readable_targets(model: type[Model], reader: Reader) -> Any:
    """The primary keys of the model's records the reader may read, as `Reader.may_read` decides for one."""
    readable = _readable(model._base_manager.all(), reader)
    if model._meta.label == "actors.Organisation" and not reader.is_anonymous:
        readable = readable | model._base_manager.filter(pk__in=reader.scope()[1])
    return readable.values("pk")


def _marked(queryset: QuerySet, reader: Reader) -> QuerySet:
    if queryset._iterable_class is not ModelIterable and not issubclass(queryset._iterable_class, _ReaderIterable):
        return queryset
    queryset = queryset.all()
    queryset._iterable_class = type("ReaderIterable", (_ReaderIterable,), {"reader": reader})
    return queryset


class _GatedForwardMixin:
    def __get__(self, instance, cls=None):
        related = super().__get__(instance, cls)
        # The owner is named with every record it lets others read: publishing is consenting to be named.
        if instance is None or related is None or self.field.name == "owner":
            return related
        reader = instance.__dict__.get(READER)
        if reader is None:
            return related
        if not reader.may_read(related):
            return withheld(related, reader)
        return mark(related, reader)


class GatedForwardDescriptor(_GatedForwardMixin, ForwardManyToOneDescriptor):
    pass


class GatedForwardOneToOneDescriptor(_GatedForwardMixin, ForwardOneToOneDescriptor):
    pass


class GatedReverseOneToOneDescriptor(ReverseOneToOneDescriptor):
    """`organisation.agenda`: a record the reader may not read answers as if there were none."""

    def __get__(self, instance, cls=None):
        related = super().__get__(instance, cls)
        reader = None if instance is None else instance.__dict__.get(READER)
        if reader is None:
            return related
        if not reader.may_read(related):
            raise self.RelatedObjectDoesNotExist(f"{type(instance).__name__} has no {self.related.name}.")
        return mark(related, reader)


class _GatedManyMixin:
    def __get__(self, instance, cls=None):
        manager = super().__get__(instance, cls)
        if instance is None:
            return manager
        reader = instance.__dict__.get(READER)
        if reader is None:
            return manager
        ungated = manager.get_queryset
        back = None if self.reverse_or_many_to_many() else self.field.name
        manager.get_queryset = lambda: _gate_list(ungated(), reader, back)
        # The many-to-many manager counts and tests for existence on the link table, past get_queryset.
        manager.count = lambda: manager.get_queryset().count()
        manager.exists = lambda: manager.get_queryset().exists()
        return manager

    def reverse_or_many_to_many(self) -> bool:
        return isinstance(self, ManyToManyDescriptor)


class GatedReverseDescriptor(_GatedManyMixin, ReverseManyToOneDescriptor):
    pass


class GatedManyToManyDescriptor(_GatedManyMixin, ManyToManyDescriptor):
    pass


def install() -> None:
    """Put the checking descriptors on every relation of the project's models (called once, at start-up)."""
    for model in apps.get_models():
        if not model.__module__.startswith("metrodiplomacy."):
            continue
        for name, descriptor in list(vars(model).items()):
            replacement = None
            if type(descriptor) is ForwardManyToOneDescriptor:
                replacement = GatedForwardDescriptor(descriptor.field)
            elif type(descriptor) is ForwardOneToOneDescriptor:
                replacement = GatedForwardOneToOneDescriptor(descriptor.field)
            elif type(descriptor) is ReverseOneToOneDescriptor:
                replacement = GatedReverseOneToOneDescriptor(descriptor.related)
            elif type(descriptor) is ManyToManyDescriptor:
                replacement = GatedManyToManyDescriptor(descriptor.rel, reverse=descriptor.reverse)
            elif type(descriptor) is ReverseManyToOneDescriptor:
                replacement = GatedReverseDescriptor(descriptor.rel)
            if replacement is not None:
                setattr(model, name, replacement)


# Written references: a record may not point at one that fewer people may read (issue #15, class 2).


def audience(record: Model) -> frozenset[int] | None:
    """The organisations whose members may read the record; None for everyone (public and published).

    Staff read everything and are left out: the rule is about which organisations a record reaches.
    """
    from metrodiplomacy.records import Visibility
    from metrodiplomacy.workspaces.models import Workspace

    if record.is_public:
        return None
    if record.owner_id is None:
        return frozenset()
    if record.visibility != Visibility.WORKSPACE:
        return frozenset({record.owner_id})
    partners = Workspace.organisations.through.objects.filter(workspace__organisations=record.owner_id)
    return frozenset(partners.values_list("organisation_id", flat=True)) | {record.owner_id}


def check_reference(referrer: Model, field_name: str, target: Model | None) -> None:
    """Refuse a reference from a record to another organisation's record that fewer readers may see.

    Within one organisation anything may point at anything: its own members read both. Across
    organisations, everyone who may read the referring record must also be able to read what it names,
    or its name would reach them through the referring record.
    """
    from django.core.exceptions import ValidationError

    from metrodiplomacy.records import Record

    if not isinstance(target, Record) or not isinstance(referrer, Record) or target.owner_id == referrer.owner_id:
        return
    reached = audience(referrer)
    readers = audience(target)
    if readers is None or (reached is not None and reached <= readers):
        return
    raise ValidationError(
        {
            field_name: gettext(
                "This names another organisation's %(kind)s that fewer people may read than this record would "
                "reach. Ask its owner to share or publish it, or keep this record less visible."
            )
            % {"kind": target._meta.verbose_name}
        }
    )


def check_references(referrer: Model, lists: dict[str, list] | None = None) -> None:
    """Check every record the referrer points at: its foreign keys, and its lists as given or as stored."""
    lists = lists or {}
    for model_field in _references(type(referrer)):
        target_id = getattr(referrer, model_field.attname)
        if target_id is not None:
            target = model_field.get_cached_value(referrer, default=None)
            if target is None or target.pk != target_id:
                target = model_field.related_model._base_manager.get(pk=target_id)
            check_reference(referrer, model_field.name, target)
    from metrodiplomacy.records import Record

    for model_field in type(referrer)._meta.many_to_many:
        if not issubclass(model_field.related_model, Record):
            continue
        if model_field.name in lists:
            targets = lists[model_field.name]
        elif referrer.pk is None:
            continue
        else:
            through = model_field.remote_field.through._base_manager
            ids = through.filter(**{model_field.m2m_field_name(): referrer.pk}).values(model_field.m2m_reverse_name())
            targets = list(model_field.related_model._base_manager.filter(pk__in=ids))
        for target in targets:
            check_reference(referrer, model_field.name, target)
    if referrer.pk is not None:
        _check_link_rows(referrer)


def _check_link_rows(referrer: Model) -> None:
    """The rows that hang on the record and name other records: its parties, participants, citations…"""
    from django.contrib.contenttypes.models import ContentType

    from metrodiplomacy.evidence.models import Citation
    from metrodiplomacy.records import Record

    for relation in type(referrer)._meta.related_objects:
        rows_model = relation.related_model
        if relation.many_to_many or issubclass(rows_model, Record) or rows_model.__name__.startswith("Historical"):
            continue
        targets = _references(rows_model, exclude=relation.field.name)
        if not targets:
            continue
        rows = rows_model._base_manager.filter(**{relation.field.name: referrer.pk})
        for row in rows.select_related(*(f.name for f in targets)):
            for model_field in targets:
                check_reference(referrer, relation.get_accessor_name() or relation.name, getattr(row, model_field.name))
    content_type = ContentType.objects.get_for_model(type(referrer))
    for citation in Citation.objects.filter(content_type=content_type, object_id=referrer.pk).select_related("source"):
        check_reference(referrer, "citations", citation.source)
