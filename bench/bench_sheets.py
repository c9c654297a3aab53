"""Benchmark of the spreadsheet commit (not a test): rows per second of an all-or-nothing CSV import.

    .venv/bin/python bench/bench_sheets.py [--rows 20000] [--postgres URL]

A CSV file of `--rows` engagements (a plain entity: scalar columns, one reference to an organisation)
is checked and committed in one transaction on a fresh database; then imported again, which must write
nothing. Reading and checking are timed apart from the commit.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import loopback

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("METRODIP_DEBUG", "1")
    os.environ.setdefault("METRODIP_DATA_DIR", tempfile.mkdtemp(prefix="metrodip-bench-sheets-"))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metrodiplomacy.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def fresh_postgres(url: str) -> str:
    return loopback.fresh_postgres(url, "metrodip_bench_sheets")


def engagements_csv(rows: int) -> bytes:
    lines = ["id,kind,title,organisation"]
    lines += [f"bench-visit-{n},incoming_delegation,Delegation number {n},bench-council" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL: a fresh database beside it is used")
    args = parser.parse_args()
    setup(fresh_postgres(args.postgres) if args.postgres else None)
    from metrodiplomacy.actors.models import Organisation
    from metrodiplomacy.diplomacy.models import Engagement
    from metrodiplomacy.importers.spreadsheet import ImportOptions, check_spreadsheet, import_spreadsheet

    Organisation.objects.create(key="bench-council", name="Bench council")
    data = engagements_csv(args.rows)
    start = time.perf_counter()
    _source, _package, problems = check_spreadsheet(io.BytesIO(data), "engagements.csv", ImportOptions())
    checked = time.perf_counter() - start
    assert not problems, problems[:3]
    start = time.perf_counter()
    summary = import_spreadsheet(io.BytesIO(data), "engagements.csv", ImportOptions())
    total = time.perf_counter() - start
    commit = max(total - checked, 1e-9)
    start = time.perf_counter()
    again = import_spreadsheet(io.BytesIO(data), "engagements.csv", ImportOptions())
    reimport = time.perf_counter() - start
    history = Engagement.history.count()
    figures = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "rows": args.rows,
        "created": summary.created.get("engagements", 0),
        "history rows": history,
        "read and check s": round(checked, 2),
        "import s (check + commit)": round(total, 2),
        "commit rows/s": round(args.rows / commit),
        "re-import s": round(reimport, 2),
        "re-import writes": sum(again.created.values()) + sum(again.updated.values()),
        "peak MiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load average": os.getloadavg()[0],
    }
    print(", ".join(f"{key}: {value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
