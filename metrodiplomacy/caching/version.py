"""The data version: one row, changed by a trigger on every table in the writing transaction.

The new value is random rather than the old one plus one: a rolled-back transaction (a failed import, every
test) takes its change back, and a counter would then hand the same number to different data.
"""

from django.apps import apps
from django.db import connections

TABLE = "metrodip_data_version"
# Tables whose changes never show in an anonymous public answer and change on their own (sign-ins, throttle
# bookkeeping, a token's last use): bumping on them would empty the cache for nothing.
UNWATCHED = {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}


def watched_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables - UNWATCHED)


def install_version_triggers(using: str = "default", **kwargs) -> None:
    """Create the counter row and one trigger per table (idempotent: run after every migrate)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, version bigint NOT NULL)")
        cursor.execute(f"INSERT INTO {TABLE} (id, version) SELECT 1, 1 WHERE NOT EXISTS (SELECT 1 FROM {TABLE})")
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION metrodip_bump_data_version() RETURNS trigger AS $$ "
                f"BEGIN UPDATE {TABLE} SET version = floor(random() * 9e18)::bigint WHERE id = 1; RETURN NULL; END; "
                "$$ LANGUAGE plpgsql"
            )
        for table in watched_tables():
            if table not in existing:
                continue
            if connection.vendor == "postgresql":
                # Once per statement, not per row: a bulk import bumps the counter a few times, not per row.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER metrodip_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION metrodip_bump_data_version()"
                )
            elif connection.vendor == "sqlite":
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"metrodip_dv_{table}_{event.lower()}")
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)} "
                        f"BEGIN UPDATE {TABLE} SET version = abs(random()) WHERE id = 1; END"
                    )


def current_version(using: str = "default") -> int | None:
    """The version now committed; None when the counter is missing (never cache then)."""
    connection = connections[using]
    if connection.vendor not in {"sqlite", "postgresql"}:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
            row = cursor.fetchone()
    except Exception:  # noqa: BLE001 - a database without the counter (not migrated yet) simply is not cached
        return None
    return row[0] if row else None
