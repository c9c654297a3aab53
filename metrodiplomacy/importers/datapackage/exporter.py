"""Write the database out as a data package that the importer reads back unchanged.

Output is canonical (rows sorted by id, lists sorted, numbers without trailing zeros),
so export → import into an empty database → export gives identical files.
"""

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from metrodiplomacy.diplomacy.models import AgreementParty, NetworkRole
from metrodiplomacy.evidence.models import Citation
from metrodiplomacy.exports import write_csv
from metrodiplomacy.places.models import Place

from .spec import Table, table_schema, tables

PACKAGE_NAME = "metrodiplomacy-export"


def format_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _key_lookup(column_target: str) -> str:
    return "code" if column_target == "policy_areas" else "key"


def _many_values(model, field_name: str, target: str) -> dict[int, list[str]]:
    """Keys of the related records of every object, in one query per relation."""
    relation = model._meta.get_field(field_name)
    through = relation.remote_field.through
    source = relation.m2m_field_name()
    destination = relation.m2m_reverse_field_name()
    pairs = through.objects.values_list(f"{source}_id", f"{destination}__{_key_lookup(target)}")
    result: dict[int, list[str]] = defaultdict(list)
    for object_id, key in pairs:
        result[object_id].append(key)
    return {object_id: sorted(keys) for object_id, keys in result.items()}


def _record_rows(t: Table) -> list[list[str]]:
    model = t.get_model()
    lookups = ["pk"]
    many: dict[str, dict[int, list[str]]] = {}
    for column in t.all_columns:
        if column.kind == "id":
            lookups.append("key")
        elif column.kind == "ref":
            lookups.append(f"{column.model_field}__{_key_lookup(column.target)}")
        elif column.kind == "refs":
            many[column.name] = _many_values(model, column.model_field, column.target)
        elif column.kind != "roles":
            lookups.append(column.model_field)
    roles: dict[int, list[str]] = defaultdict(list)
    if t.name == "network_memberships":
        for membership_id, role, year in NetworkRole.objects.values_list("membership_id", "role", "year"):
            roles[membership_id].append(f"{role}@{year}" if year else role)
    rows = []
    for values in model.objects.values_list(*lookups).order_by("key"):
        record = dict(zip(lookups, values, strict=True))
        row = []
        for column in t.all_columns:
            if column.kind == "id":
                row.append(record["key"])
            elif column.kind == "ref":
                row.append(format_value(record[f"{column.model_field}__{_key_lookup(column.target)}"]))
            elif column.kind == "refs":
                row.append(";".join(many[column.name].get(record["pk"], [])))
            elif column.kind == "roles":
                row.append(";".join(sorted(roles.get(record["pk"], []))))
            else:
                row.append(format_value(record[column.model_field]))
        rows.append(row)
    return rows


def _place_rows() -> list[list[str]]:
    rows = []
    places = Place.objects.values_list(
        "key",
        "kind",
        "name",
        "iso2",
        "country__iso2",
        "parent__key",
        "parent_id",
        "country_id",
        "geonames_id",
        "note",
    ).order_by("key")
    for key, kind, name, iso2, country_iso2, parent_key, parent_id, country_id, geonames_id, note in places:
        # A place's parent defaults to its country on import, so only another parent is written.
        parent = "" if parent_id == country_id else parent_key or ""
        rows.append([key, kind, name, iso2 or country_iso2 or "", parent, format_value(geonames_id), note])
    return rows


def _party_rows() -> list[list[str]]:
    parties = AgreementParty.objects.values_list("agreement__key", "place__key", "organisation__key")
    return sorted([a, p or "", o or ""] for a, p, o in parties)


def _citation_rows() -> list[list[str]]:
    table_of_model = {t.get_model(): t.name for t in tables() if t.is_record or t.name == "places"}
    content_types = ContentType.objects.get_for_models(*table_of_model)
    keys: dict[int, dict[int, str]] = {}
    stems: dict[int, str] = {}
    for model, content_type in content_types.items():
        stems[content_type.pk] = table_of_model[model]
        keys[content_type.pk] = dict(model.objects.values_list("pk", "key"))
    rows = []
    citations = Citation.objects.values_list(
        "content_type_id",
        "object_id",
        "source__key",
        "section",
        "line_start",
        "line_end",
        "page",
        "note",
        "quotation",
    )
    for content_type_id, object_id, source, section, start, end, page, note, quotation in citations:
        if content_type_id not in stems or object_id not in keys[content_type_id]:
            continue
        lines = "" if start is None else (str(start) if end in (None, start) else f"{start}-{end}")
        record = f"{stems[content_type_id]}/{keys[content_type_id][object_id]}"
        rows.append([record, source, section, lines, page, note, quotation])
    return sorted(rows, key=lambda r: (r[0], r[1], int(r[3].split("-")[0]) if r[3] else 0, r))


def rows_for(t: Table) -> list[list[str]]:
    if t.name == "places":
        return _place_rows()
    if t.name == "agreement_parties":
        return _party_rows()
    if t.name == "citations":
        return _citation_rows()
    return _record_rows(t)


def export_package(directory: str | Path) -> dict[str, int]:
    """Write every table and a datapackage.json into the directory; return the rows written per table."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for t in tables():
        rows = rows_for(t)
        if not rows:
            continue
        with open(directory / t.file, "w", newline="", encoding="utf-8") as handle:
            # The reader takes the formula escape away again (`unescape_cell`), so the package round-trips.
            write_csv(handle, [c.name for c in t.all_columns], rows)
        counts[t.name] = len(rows)
    write_descriptor(directory)
    return counts


def write_descriptor(
    directory: str | Path, name: str = PACKAGE_NAME, title: str = "Metrodiplomacy data package", **extra
) -> None:
    """(Re)write datapackage.json for the CSV tables present in the directory."""
    directory = Path(directory)
    resources = [
        {
            "name": t.name.replace("_", "-"),
            "path": t.file,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table_schema(t),
        }
        for t in tables()
        if (directory / t.file).exists()
    ]
    descriptor = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        **extra,
        "resources": resources,
    }
    (directory / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
