"""Time the annual accountability report on SQLite with the case studies and the demonstration results.

METRODIP_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_report.py [REPEAT]

Prints, per subject and variant, the time to gather (queries through the gates, analysis), to draw the
HTML (charts through vl-convert, cached after the first drawing of the same data) and to lay out the PDF
(WeasyPrint), cold (first run) and warm (median of the others), with the query count and the page count.
The bar is 10 seconds for the whole report.
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("METRODIP_DATA_DIR", tempfile.mkdtemp(prefix="metrodip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metrodiplomacy.test_settings")

import django  # noqa: E402
import pypdfium2  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from metrodiplomacy.actors.models import Organisation  # noqa: E402
from metrodiplomacy.actors.services import ensure_owner_organisation  # noqa: E402
from metrodiplomacy.cli.report import DEMO_RESULTS_DIR  # noqa: E402
from metrodiplomacy.importers.datapackage import import_package  # noqa: E402
from metrodiplomacy.places.models import Place  # noqa: E402
from metrodiplomacy.records import OPERATOR  # noqa: E402
from metrodiplomacy.reports.gather import build_report  # noqa: E402
from metrodiplomacy.reports.render import render_html, render_pdf  # noqa: E402


def main(repeat: int) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
    for location in (settings.CASESTUDIES_DIR, DEMO_RESULTS_DIR):
        import_package(location, owner=owner, visibility="public", publication="published")
    subjects = [
        ("AMB, public", Organisation.objects.get(key="amb"), AnonymousUser(), "public"),
        ("AMB, internal", Organisation.objects.get(key="amb"), OPERATOR, "workspace"),
        ("Barcelona metropolitan area, public", Place.objects.get(key="barcelona-metropolitan-area"), None, "public"),
    ]
    print(
        f"{'report':38} {'run':5} {'gather s':>9} {'html s':>7} {'pdf s':>7} {'total s':>8} {'queries':>8} {'pages':>6}"
    )
    for name, subject, reader, audience in subjects:
        timings = []
        for run in range(repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                report = build_report(subject, 2019, reader or AnonymousUser(), audience=audience)
            gathered = time.perf_counter()
            render_html(report)
            drawn = time.perf_counter()
            pdf = render_pdf(report)
            done = time.perf_counter()
            pages = len(pypdfium2.PdfDocument(pdf))
            timings.append((gathered - started, drawn - gathered, done - drawn, done - started))
            label = "cold" if run == 0 else f"warm{run}"
            print(
                f"{name:38} {label:5} {timings[-1][0]:9.2f} {timings[-1][1]:7.2f} {timings[-1][2]:7.2f} "
                f"{timings[-1][3]:8.2f} {len(queries.captured_queries):8d} {pages:6d}"
            )
        if len(timings) > 1:
            warm = [t[3] for t in timings[1:]]
            print(f"{name:38} warm median total {statistics.median(warm):.2f} s (bar: 10 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
