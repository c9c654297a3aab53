"""Time the portal's pages on SQLite with the bundled data: server time (median) and queries per page.

METRODIP_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_pages.py [REPEAT]

The first request of a page draws its charts (Vega through vl-convert, a few hundred ms) and caches the
drawing by the chart's data; the figures below are the warm requests that follow, as a reader sees them.
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("METRODIP_DATA_DIR", tempfile.mkdtemp(prefix="metrodip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metrodiplomacy.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from metrodiplomacy.actors.services import ensure_owner_organisation  # noqa: E402
from metrodiplomacy.importers.datapackage import import_package  # noqa: E402

BARCELONA = "/places/barcelona-metropolitan-area/"
PAGES = [
    BARCELONA,
    "/places/barcelona-metropolitan-area.json",
    "/",
    "/places/paris/",
    "/organisations/c40/",
    "/compare/?place=barcelona-metropolitan-area&place=paris&place=seoul",
    "/matrix/",
    "/sources/",
    "/sources/ledna-2019/",
    "/search/?q=bar",
]


def measure(client: Client, path: str, repeat: int) -> tuple[float, float, int, int]:
    start = time.perf_counter()
    first = client.get(path)
    cold = time.perf_counter() - start
    assert first.status_code == 200, (path, first.status_code)
    durations = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(path)
            durations.append(time.perf_counter() - start)
    return cold, statistics.median(durations), len(queries), len(first.content)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    call_command("migrate", verbosity=0)
    owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
    import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")
    client = Client()
    print(f"{'page':<70} {'first':>8} {'median':>8} {'queries':>8} {'KiB':>6}")
    for path in PAGES:
        cold, warm, queries, size = measure(client, path, repeat)
        print(f"{path:<70} {cold * 1000:6.0f}ms {warm * 1000:6.0f}ms {queries:8d} {size / 1024:6.0f}")
    load = os.getloadavg()[0]
    print(f"\n{repeat} warm requests per page, anonymous reader; load average {load:.1f} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
