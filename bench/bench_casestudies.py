"""Time the data-package round: first load, idempotent reload, export, and the home page and profile queries.

METRODIP_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_casestudies.py
"""

import os
import statistics
import tempfile
import time

os.environ.setdefault("METRODIP_DATA_DIR", tempfile.mkdtemp(prefix="metrodip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metrodiplomacy.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from metrodiplomacy.actors.services import ensure_owner_organisation  # noqa: E402
from metrodiplomacy.importers.datapackage import import_package  # noqa: E402
from metrodiplomacy.importers.datapackage.exporter import export_package  # noqa: E402
from metrodiplomacy.observatory.profiles import build_profile, case_study_places  # noqa: E402
from metrodiplomacy.places.gazetteer import find_city  # noqa: E402
from metrodiplomacy.places.models import Place  # noqa: E402
from metrodiplomacy.records import OPERATOR  # noqa: E402


def timed(label, function, repeat=1):
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    print(f"{label:<45} median {statistics.median(durations) * 1000:8.1f} ms over {repeat} run(s)")
    return result


call_command("migrate", verbosity=0)
timed("gazetteer: first city lookup (loads GeoNames)", lambda: find_city("Seoul", "KR"))
owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")


def load():
    return import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")


summary = timed("load casestudies (empty database)", load)
print(f"   rows written: {summary.total_written}")
timed("load casestudies again (nothing to write)", load, repeat=3)
timed("export the whole database", lambda: export_package(tempfile.mkdtemp()), repeat=3)
timed("home page query (case-study places)", lambda: list(case_study_places(None)), repeat=20)
seoul = Place.objects.get(key="seoul")
with CaptureQueriesContext(connection) as queries:
    build_profile(seoul, OPERATOR)
print(f"   profile of Seoul: {len(queries.captured_queries)} queries")
timed("profile of Seoul (show / city page)", lambda: build_profile(seoul, OPERATOR), repeat=20)
