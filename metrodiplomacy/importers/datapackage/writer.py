"""Write a checked data package to the database in one transaction.

Rows are matched to existing records by key, and a record whose values did not change
is not saved again, so re-importing the same package writes nothing and adds no history.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import AgreementParty, NetworkRole
from metrodiplomacy.evidence.models import Citation, PolicyArea
from metrodiplomacy.places import gazetteer
from metrodiplomacy.places.models import Place
from metrodiplomacy.places.services import ensure_country, place_fields_from_city, place_fields_from_country
from metrodiplomacy.records import PUBLISHED_NEEDS_PUBLIC

from .reader import Package, PackageInvalid, Problem
from .spec import Table, table, tables

BULK_BATCH = 500


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, table_name: str) -> None:
        counts = getattr(self, bucket)
        counts[table_name] = counts.get(table_name, 0) + 1

    @property
    def total_written(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def assign(obj, fields: dict) -> bool:
    """Set the fields that differ; whether any did (unchanged records are not saved, so add no version)."""
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@dataclass
class Defaults:
    owner: Organisation | None
    visibility: str = "private"
    publication: str = "draft"


class Writer:
    def __init__(self, package: Package, defaults: Defaults, progress: Callable[[int, int], None] | None = None):
        self.package = package
        self.defaults = defaults
        self.summary = ImportSummary()
        self.pk_cache: dict[str, dict[str, int]] = {}
        # progress(rows written, rows in all): a long import reports as it goes (CLI bar, web page).
        self.progress = progress
        self.done = 0
        self.total = sum(len(rows) for rows in package.rows.values())

    def advance(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def pk(self, table_name: str, key: str) -> int:
        if table_name == "policy_areas":
            cache = self.pk_cache.setdefault("policy_areas", dict(PolicyArea.objects.values_list("code", "pk")))
        else:
            cache = self.pk_cache.get(table_name)
            if cache is None or key not in cache:
                model = table(table_name).get_model()
                cache = dict(model.objects.values_list("key", "pk"))
                self.pk_cache[table_name] = cache
        return cache[key]

    def run(self) -> ImportSummary:
        for t in tables():
            rows = self.package.rows.get(t.name, [])
            if not rows:
                continue
            handler = getattr(self, f"write_{t.name}", None)
            if handler is not None:
                handler(t, rows)
            else:
                self.write_records(t, rows)
        return self.summary

    # -- generic records -------------------------------------------------------------------------------
    def write_records(self, t: Table, rows) -> None:
        model = t.get_model()
        # Links fetched with the records: comparing them costs no query per row on a re-import.
        links = [c.model_field for c in t.all_columns if c.kind == "refs"]
        found = model.objects.filter(key__in=[r.values["id"] for r in rows]).prefetch_related(*links)
        existing = {obj.key: obj for obj in found}
        # New records are inserted in bulk, with their history, after the loop (one INSERT per batch rather
        # than per row), unless a row may refer to another row of the same table, which needs its key first.
        in_bulk = t.name != "organisations" and not any(
            c.kind in {"ref", "refs"} and c.target == t.name for c in t.all_columns
        )
        pending: list[tuple] = []
        for row in rows:
            values = row.values
            obj = existing.get(values["id"])
            self._check_owner(t, row, obj)
            is_new = obj is None
            if is_new:
                obj = model(key=values["id"])
            scalar, many = self._field_values(t, values)
            self._check_publication(t, row, scalar)
            changed = assign(obj, scalar) or is_new
            if is_new and in_bulk:
                pending.append((obj, many, values))
                self.summary.count("created", t.name)
                self.advance()
                continue
            if changed:
                obj.save()
                self.pk_cache.setdefault(t.name, {})[obj.key] = obj.pk
            if t.name == "organisations" and values.get("owner") == obj.key and obj.owner_id != obj.pk:
                obj.owner_id = obj.pk
                obj.save(update_fields=["owner"])
            many_changed = self._set_many(obj, many)
            self._write_children(t, obj, values)
            bucket = "created" if is_new else ("updated" if changed or many_changed else "unchanged")
            self.summary.count(bucket, t.name)
            self.advance()
        for start in range(0, len(pending), BULK_BATCH):
            batch = pending[start : start + BULK_BATCH]
            bulk_create_with_history([obj for obj, _many, _values in batch], model, batch_size=BULK_BATCH)
            for obj, many, values in batch:
                self.pk_cache.setdefault(t.name, {})[obj.key] = obj.pk
                if any(many.values()):  # a new record has no links yet: only wanted ones cost a query
                    self._set_many(obj, many)
                self._write_children(t, obj, values)

    def _check_owner(self, t: Table, row, obj) -> None:
        """An import may update its own records, never take over or disown another organisation's."""
        if obj is None or obj.owner_id is None:
            return
        named = row.values.get("owner")
        wanted = self.pk("organisations", named) if named else self._default_owner_id()
        if wanted != obj.owner_id:
            raise PackageInvalid(
                [Problem(t.file, row.line, "id", f"{obj.key!r} already exists and belongs to another organisation")]
            )

    def _check_publication(self, t: Table, row, scalar: dict) -> None:
        """Records are inserted in bulk, without the model's `clean`: its rule on publication is applied here."""
        if scalar.get("publication") == "published" and scalar.get("visibility", "public") != "public":
            raise PackageInvalid([Problem(t.file, row.line, "publication", str(PUBLISHED_NEEDS_PUBLIC))])

    def _field_values(self, t: Table, values: dict) -> tuple[dict, dict]:
        scalar: dict = {}
        many: dict = {}
        for column in t.all_columns:
            if column.kind in {"id", "roles"}:
                continue
            value = values.get(column.name)
            name = column.model_field
            if column.name == "owner":
                if value and t.name == "organisations" and value == values["id"]:
                    # A self-owned organisation: linked once it has a primary key (see write_records).
                    scalar["owner_id"] = self.pk_cache.get("organisations", {}).get(value)
                else:
                    scalar["owner_id"] = self.pk("organisations", value) if value else self._default_owner_id()
            elif column.kind == "ref":
                scalar[f"{name}_id"] = self.pk(column.target, value) if value else None
            elif column.kind == "refs":
                many[name] = {self.pk(column.target, v) for v in value or []}
            elif column.name == "visibility":
                scalar[name] = value or self.defaults.visibility
            elif column.name == "publication":
                scalar[name] = value or self.defaults.publication
            elif column.kind == "enum" and value is None:
                default = t.get_model()._meta.get_field(name).default
                scalar[name] = default if isinstance(default, str) else ""
            elif column.kind in {"string", "text", "slug", "currency"}:
                scalar[name] = value or ""
            else:
                scalar[name] = value
        return scalar, many

    def _default_owner_id(self):
        return self.defaults.owner.pk if self.defaults.owner else None

    def _set_many(self, obj, many: dict) -> bool:
        changed = False
        for name, wanted in many.items():
            manager = getattr(obj, name)
            if {linked.pk for linked in manager.all()} != wanted:
                manager.set(wanted)
                changed = True
        return changed

    def _write_children(self, t: Table, obj, values: dict) -> None:
        if t.name == "network_memberships":
            wanted = {(role, year) for role, year in values.get("roles") or []}
            current = {(r.role, r.year): r for r in obj.roles.all()}
            for gone in set(current) - wanted:
                current[gone].delete()
            for role, year in sorted(wanted - set(current), key=lambda r: (r[0], r[1] or 0)):
                NetworkRole.objects.create(membership=obj, role=role, year=year)

    # -- tables with their own rules -------------------------------------------------------------------
    def write_places(self, t: Table, rows) -> None:
        # Countries first: a city's row would otherwise create its country from the gazetteer.
        rows = sorted(rows, key=lambda r: r.values["kind"] != "country")
        existing = {p.key: p for p in Place.objects.filter(key__in=[r.values["id"] for r in rows])}
        pending_parent = []
        for row in rows:
            values = row.values
            obj = existing.get(values["id"])
            fields = {"kind": values["kind"], "name": values["name"], "note": values.get("note") or ""}
            if values["kind"] == "country":
                fields.update(place_fields_from_country(gazetteer.find_country(values["country"])))
            else:
                country = Place.objects.filter(iso2=values["country"]).first() or ensure_country(values["country"])
                fields["country_id"] = country.pk
                if values["kind"] in {"city", "municipality"}:
                    city = (
                        gazetteer.city_by_id(values["geonames_id"])
                        if values.get("geonames_id")
                        else gazetteer.find_city(values["name"], values["country"])
                    )
                    fields.update(place_fields_from_city(city))
            is_new = obj is None
            if is_new:
                obj = Place(key=values["id"])
            changed = assign(obj, fields) or is_new
            if changed:
                obj.save()
            self.pk_cache.setdefault("places", {})[obj.key] = obj.pk
            pending_parent.append((obj, values.get("parent"), is_new, changed))
        for obj, parent_key, is_new, changed in pending_parent:
            parent_id = (
                self.pk("places", parent_key) if parent_key else (obj.country_id if obj.kind != "country" else None)
            )
            if obj.parent_id != parent_id:
                obj.parent_id = parent_id
                obj.save(update_fields=["parent"])
                changed = True
            self.summary.count("created" if is_new else ("updated" if changed else "unchanged"), "places")
            self.advance()

    def write_organisations(self, t: Table, rows) -> None:
        # A parent or owner is written before the organisations it links to, wherever it stands in the file.
        in_package = {r.values["id"] for r in rows}
        ordered, placed, pending = [], set(), list(rows)
        while pending:
            ready = [
                r
                for r in pending
                if all(
                    r.values.get(link) in (None, r.values["id"], *placed) or r.values.get(link) not in in_package
                    for link in ("parent", "owner")
                )
            ]
            if not ready:
                raise PackageInvalid(
                    [
                        Problem(t.file, r.line, "parent", "organisations are each other's parents or owners")
                        for r in pending
                    ]
                )
            ordered += ready
            placed |= {r.values["id"] for r in ready}
            pending = [r for r in pending if r.values["id"] not in placed]
        self.write_records(t, ordered)

    def write_agreement_parties(self, t: Table, rows) -> None:
        wanted: dict[int, set[tuple]] = {}
        for row in rows:
            agreement_id = self.pk("agreements", row.values["agreement"])
            place = self.pk("places", row.values["place"]) if row.values.get("place") else None
            organisation = (
                self.pk("organisations", row.values["organisation"]) if row.values.get("organisation") else None
            )
            wanted.setdefault(agreement_id, set()).add((place, organisation))
            self.advance()
        for agreement_id, parties in wanted.items():
            current = {
                (p.place_id, p.organisation_id): p for p in AgreementParty.objects.filter(agreement_id=agreement_id)
            }
            for gone in set(current) - parties:
                current[gone].delete()
            for place, organisation in parties - set(current):
                AgreementParty.objects.create(agreement_id=agreement_id, place_id=place, organisation_id=organisation)
            for _party in parties - set(current):
                self.summary.count("created", "agreement_parties")
            for _party in parties & set(current):
                self.summary.count("unchanged", "agreement_parties")

    def write_citations(self, t: Table, rows) -> None:
        by_name = {x.name: x for x in tables()}
        for row in rows:
            values = row.values
            stem, key = values["record"]
            model = by_name[stem].get_model()
            content_type = ContentType.objects.get_for_model(model)
            start, end = values.get("lines") or (None, None)
            identity = {
                "content_type": content_type,
                "object_id": self.pk(stem, key),
                "source_id": self.pk("sources", values["source"]),
                "section": values.get("section") or "",
                "line_start": start,
                "line_end": end,
            }
            wanted = {
                "page": values.get("page") or "",
                "note": values["note"],
                "quotation": values.get("quotation") or "",
            }
            citation = Citation.objects.filter(**identity).first()
            if citation is None:
                Citation.objects.create(**identity, **wanted)
                self.summary.count("created", "citations")
            elif any(getattr(citation, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(citation, k, v)
                citation.save()
                self.summary.count("updated", "citations")
            else:
                self.summary.count("unchanged", "citations")
            self.advance()


def write_package(
    package: Package, defaults: Defaults, progress: Callable[[int, int], None] | None = None
) -> ImportSummary:
    """Write the package in one transaction; any database refusal undoes all of it."""
    try:
        with transaction.atomic():
            return Writer(package, defaults, progress).run()
    except IntegrityError as error:
        raise PackageInvalid([Problem(package.name, None, "", f"the database refused the package: {error}")]) from error
