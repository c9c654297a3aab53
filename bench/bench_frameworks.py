"""Time the frameworks on the bundled data: matrix, findings, derivation, agreement, and their query counts.

METRODIP_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_frameworks.py
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
from metrodiplomacy.analysis import agreement, derivation, findings, reliance  # noqa: E402
from metrodiplomacy.importers.datapackage import import_package  # noqa: E402
from metrodiplomacy.observatory.inputs import reliance as inputs  # noqa: E402
from metrodiplomacy.records import OPERATOR  # noqa: E402


def timed(label, function, repeat=20):
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    print(f"{label:<52} median {statistics.median(durations) * 1000:8.1f} ms over {repeat} run(s)")
    return result


def counted(label, function):
    with CaptureQueriesContext(connection) as queries:
        function()
    print(f"   {label}: {len(queries.captured_queries)} queries")


call_command("migrate", verbosity=0)
owner = ensure_owner_organisation(settings.CASESTUDIES_OWNER, "Metrodiplomacy case studies")
import_package(settings.CASESTUDIES_DIR, owner=owner, visibility="public", publication="published")

areas = inputs.framework_areas()
places = inputs.coded_places(OPERATOR, areas)
names = list(inputs.labels(places).values())


def matrix():
    built = reliance.build_matrix(inputs.reliance_codings(None, places, areas), names, areas)
    return findings.compute_findings(built, inputs.north_south_groups(places))


def derive():
    return derivation.derive(inputs.reliance_evidence(None, places, areas), names, areas)


def agree():
    coded = reliance.build_matrix(inputs.reliance_codings(None, places, areas), names, areas).levels()
    derived = {cell: proposal.level for cell, proposal in derive().items()}
    return agreement.compare_codings(coded, derived, "coded", "derived")


counted("matrix + findings (anonymous reader)", matrix)
counted("derivation evidence (anonymous reader)", derive)
timed("matrix + findings, four thesis cities", matrix)
timed("derivation from the records", derive)
report = timed("coded vs derived agreement", agree)
print(f"   agreement: {report.agreed}/{report.compared} cells, kappa {report.kappa:.3f}")
