"""Nothing acknowledged is lost: SQLite runs WAL with synchronous=FULL, and a server killed mid-write loses nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's durability settings")


@on_sqlite
@pytest.mark.django_db
def test_every_sqlite_connection_runs_wal_with_synchronous_full():
    connection.close()  # a fresh connection: the pragmas must come from the connection settings, not a past call
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    # 2 is FULL: the WAL is synced on every commit, so an acknowledged write survives power loss, not only a crash.
    assert synchronous == 2
    # The in-memory test database cannot use WAL; a file database does (checked in the next test).
    assert journal in {"wal", "memory"}


@on_sqlite
def test_a_file_database_opened_by_the_settings_is_in_wal_mode_with_synchronous_full(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(METRODIP_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="metrodiplomacy.test_settings")
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "2"]


@on_sqlite
@pytest.mark.skipif(
    not os.environ.get("METRODIP_CRASH_TEST"),
    reason="minutes on a busy 2-core machine (migrate under synchronous=FULL): set METRODIP_CRASH_TEST=1",
)
def test_three_crash_rounds_lose_no_acknowledged_write_and_leave_no_half_import(tmp_path):
    """The short version of bench/crash_rounds.py: SIGKILL mid-write, then every check of the full run."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "bench/crash_rounds.py", "--rounds", "3", "--data", str(tmp_path / "data")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lost" in result.stdout and "0 problem(s)" in result.stdout
