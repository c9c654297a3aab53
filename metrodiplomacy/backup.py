"""Backup and restore of the whole database, in one format for SQLite and PostgreSQL.

A backup is a zip archive: one JSON part per table (every concrete model, history tables, users, memberships,
tokens as stored digests, many-to-many link tables), rows ordered by primary key, and `manifest.json` naming
the application version, the database it came from, the applied migrations, and each part's row count and
SHA-256. Primary keys are kept as they were, so a restored database exports exactly what the original did.

The snapshot is read inside one transaction (consistent while the server keeps writing). A restore checks the
whole archive before it touches anything, refuses a damaged or mismatched file, and writes in one transaction:
either every row is back or nothing changed.
"""

import base64
import datetime
import decimal
import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string

FORMAT = "metrodiplomacy-backup/1"
MANIFEST = "manifest.json"
# Rows a fresh `migrate` writes by itself: a database holding only these counts as empty for a restore.
SEEDED_BY_MIGRATIONS = {
    "contenttypes.contenttype",
    "auth.permission",
    "evidence.policyarea",
    "evidence.framework",
    "evidence.frameworkarea",
}
# Rows are read and written in slices so that a large table never sits whole in memory twice.
CHUNK = 2000


class BackupRefused(Exception):
    """The file cannot be restored here; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Part:
    label: str  # app_label.model_name
    rows: int
    sha256: str


def app_version() -> str:
    try:
        return metadata.version("metrodiplomacy")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages, link tables included, in a stable order (by label)."""
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    return sorted(chosen, key=lambda model: model._meta.label_lower)


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _plain(value):
    """A stored value as JSON, so that reading it back with the field's to_python gives the same value."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _table_part(model: type[models.Model]) -> tuple[bytes, int]:
    fields = _columns(model)
    rows = [
        [_plain(value) for value in row]
        for row in model._base_manager.order_by("pk").values_list(*[field.attname for field in fields]).iterator(CHUNK)
    ]
    body = {"model": model._meta.label_lower, "columns": [field.column for field in fields], "rows": rows}
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return data, len(rows)


def _fixed_zipinfo(name: str) -> zipfile.ZipInfo:
    # A fixed date inside the archive: two backups of the same data are the same bytes but for the manifest.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def create_backup(destination: str | Path) -> dict[str, int]:
    """Write a consistent snapshot of the whole database to `destination`; returns rows per table."""
    destination = Path(destination)
    buffer = io.BytesIO()
    parts: list[Part] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # Every table read from one snapshot while other sessions keep committing (only possible as the
            # transaction's first statement; inside a caller's transaction, that transaction's snapshot holds).
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with zipfile.ZipFile(buffer, "w") as archive:
            for model in backed_up_models():
                data, count = _table_part(model)
                label = model._meta.label_lower
                archive.writestr(_fixed_zipinfo(f"tables/{label}.json"), data)
                parts.append(Part(label, count, hashlib.sha256(data).hexdigest()))
            manifest = {
                "format": FORMAT,
                "app_version": app_version(),
                "created": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": applied_migrations(),
                "parts": [{"table": p.label, "rows": p.rows, "sha256": p.sha256} for p in parts],
            }
            archive.writestr(_fixed_zipinfo(MANIFEST), json.dumps(manifest, indent=2, sort_keys=True))
    # Write beside the target then rename: a crash mid-write never leaves a truncated file under the final name.
    partial = destination.with_name(destination.name + ".partial")
    with open(partial, "wb") as handle:
        handle.write(buffer.getvalue())
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(destination)
    return {p.label: p.rows for p in parts}


@dataclass
class Checked:
    manifest: dict
    archive: zipfile.ZipFile
    models: list[type[models.Model]]


def _read_manifest(archive: zipfile.ZipFile, name: str) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise BackupRefused(f"{name}: no {MANIFEST} inside; this is not a Metrodiplomacy backup.") from error
    except (ValueError, zipfile.BadZipFile, OSError) as error:
        raise BackupRefused(f"{name}: {MANIFEST} cannot be read ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{name}: {MANIFEST}: format is {manifest.get('format')!r}, expected {FORMAT!r}.")
    return manifest


def check_backup(source: str | Path) -> Checked:
    """Open and verify the whole archive against this database; raise BackupRefused naming the first problem."""
    name = str(source)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupRefused(f"{name}: not a readable zip archive ({error}).") from error
    manifest = _read_manifest(archive, name)
    here = applied_migrations()
    if manifest.get("migrations") != here:
        theirs = set(manifest.get("migrations") or [])
        missing, extra = sorted(set(here) - theirs), sorted(theirs - set(here))
        raise BackupRefused(
            f"{name}: made with a different database schema (backup from version {manifest.get('app_version')}). "
            f"Applied here but not in the backup: {', '.join(missing[:5]) or 'none'}; "
            f"in the backup but not here: {', '.join(extra[:5]) or 'none'}. "
            "Restore with the version that made it, then upgrade."
        )
    known = {model._meta.label_lower: model for model in backed_up_models()}
    listed = {part.get("table"): part for part in manifest.get("parts", [])}
    if set(listed) != set(known):
        raise BackupRefused(
            f"{name}: {MANIFEST}: tables do not match this schema "
            f"(missing: {', '.join(sorted(set(known) - set(listed))) or 'none'}; "
            f"unknown: {', '.join(sorted(set(listed) - set(known))) or 'none'})."
        )
    for label, part in listed.items():
        member = f"tables/{label}.json"
        try:
            data = archive.read(member)
        except KeyError as error:
            raise BackupRefused(f"{name}: {member} is missing.") from error
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise BackupRefused(f"{name}: {member} cannot be read ({error}).") from error
        if hashlib.sha256(data).hexdigest() != part.get("sha256"):
            raise BackupRefused(f"{name}: {member}: SHA-256 does not match the manifest; the file is damaged.")
    return Checked(manifest, archive, [known[label] for label in sorted(listed)])


def _rows(archive: zipfile.ZipFile, model: type[models.Model], expected: int, name: str) -> Iterator[models.Model]:
    member = f"tables/{model._meta.label_lower}.json"
    body = json.loads(archive.read(member))
    fields = _columns(model)
    if body.get("columns") != [field.column for field in fields]:
        raise BackupRefused(f"{name}: {member}: columns {body.get('columns')} differ from this schema.")
    if len(body["rows"]) != expected:
        raise BackupRefused(f"{name}: {member}: {len(body['rows'])} rows, the manifest says {expected}.")
    for number, row in enumerate(body["rows"], start=1):
        values = {}
        for field, value in zip(fields, row, strict=True):
            if isinstance(value, dict) and set(value) == {"base64"} and not isinstance(field, models.JSONField):
                value = base64.b64decode(value["base64"])
            elif value is not None and not isinstance(field, models.JSONField):
                try:
                    value = field.to_python(value)
                except Exception as error:
                    raise BackupRefused(f"{name}: {member}: row {number}, {field.column}: {error}") from error
            values[field.attname] = value
        yield model(**values)


def database_is_empty() -> bool:
    return not any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model._meta.label_lower not in SEEDED_BY_MIGRATIONS
    )


def _table_names(chosen: list[type[models.Model]]) -> list[str]:
    return [model._meta.db_table for model in chosen]


def _insert_raw(model: type[models.Model], objects: list[models.Model]) -> None:
    # raw=True, as loaddata saves: stored values go in untouched (no auto_now stamping, no history signal).
    fields = _columns(model)
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)


def restore_backup(source: str | Path, replace: bool = False) -> dict[str, int]:
    """Replace the database's contents with the backup's, in one transaction; returns rows per table."""
    checked = check_backup(source)
    name = str(source)
    if not replace and not database_is_empty():
        raise BackupRefused(
            f"{name}: this database already holds data; restore into an empty database, "
            "or pass --replace to discard what is here."
        )
    counts = {part["table"]: part["rows"] for part in checked.manifest["parts"]}
    quote = connection.ops.quote_name
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Checks still pending from earlier in the caller's transaction run now (TRUNCATE refuses to run
                # over them); from here on constraints are checked at commit, when every table is whole again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in _table_names(checked.models)) + " CASCADE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                # Django declares SQLite's foreign keys DEFERRABLE INITIALLY DEFERRED: order does not matter here.
                for table in _table_names(checked.models):
                    cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - names come from the models
        for model in checked.models:
            label = model._meta.label_lower
            batch: list[models.Model] = []
            for instance in _rows(checked.archive, model, counts[label], name):
                batch.append(instance)
                if len(batch) >= CHUNK:
                    _insert_raw(model, batch)
                    batch = []
            if batch:
                _insert_raw(model, batch)
        # New rows must not collide with restored primary keys (PostgreSQL keeps sequences apart from tables).
        statements = connection.ops.sequence_reset_sql(no_style(), checked.models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        connection.check_constraints(table_names=_table_names(checked.models))
    ContentType.objects.clear_cache()
    return counts
