"""Each `metrodip` command, run as a user runs it."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.evidence.models import CaseStudy

runner = CliRunner()


def run(*args, **env):
    result = runner.invoke(cli.app, list(args), env={"COLUMNS": "200", **env})
    return result


@pytest.mark.django_db
def test_init_migrates_and_load_casestudies_is_idempotent():
    assert run("init").exit_code == 0
    first = run("load", "casestudies")
    assert first.exit_code == 0, first.output
    assert CaseStudy.objects.count() == 10
    again = run("load", "casestudies", "--once")
    assert "already loaded" in again.output


@pytest.mark.django_db
def test_show_prints_buenos_aires_with_units_agreements_networks_and_citations(casestudies):
    result = run("show", "Buenos Aires")
    assert result.exit_code == 0, result.output
    for expected in ("Population", "Seville", "Mercocities", "[prioritised]", "Citations", "lines"):
        assert expected.lower() in result.output.lower(), expected


@pytest.mark.django_db
def test_show_prints_seoul_with_its_bureau_and_networks(casestudies):
    result = run("show", "Seoul")
    assert result.exit_code == 0, result.output
    for expected in (
        "International Cooperation Bureau",
        "CityNet",
        "Seoul Solution",
        "governance scenario 1",
    ):
        assert expected in result.output, expected


@pytest.mark.django_db
def test_show_says_when_a_place_is_unknown():
    result = run("show", "Atlantis")
    assert result.exit_code == 1
    assert "No place called 'Atlantis'" in result.output


@pytest.mark.django_db
def test_places_search_finds_gazetteer_cities_not_yet_in_the_database():
    result = run("places", "search", "Viladecans")
    assert result.exit_code == 0
    assert "3105935" in result.output


@pytest.mark.django_db
def test_export_and_import_commands(tmp_path, casestudies):
    assert run("export", str(tmp_path / "out")).exit_code == 0
    assert (tmp_path / "out" / "datapackage.json").exists()
    assert run("check", str(tmp_path / "out")).exit_code == 0
    result = run("import", "package", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "Import summary" in result.output


@pytest.mark.django_db
def test_import_lists_every_problem_and_fails(tmp_path):
    (tmp_path / "statistics.csv").write_text("id,metric,value,unit\nx,population,many,persons\n")
    result = run("import", "package", str(tmp_path))
    assert result.exit_code == 1
    assert "not a number" in result.output
    assert "missing citation" in result.output


@pytest.mark.django_db
def test_createuser_creates_a_staff_user_with_a_validated_password():
    result = run("createuser", "ana", "--email", "ana@example.org", METRODIP_PASSWORD="a-long-enough-passphrase")
    assert result.exit_code == 0, result.output
    user = get_user_model().objects.get(username="ana")
    assert user.is_staff and user.check_password("a-long-enough-passphrase")
    weak = run("createuser", "bob", METRODIP_PASSWORD="123")
    assert weak.exit_code == 1


def test_serve_runs_gunicorn_with_one_process_when_on_sqlite(monkeypatch):
    calls = {}
    monkeypatch.setattr(cli.os, "execv", lambda path, args: calls.update(args=args))
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    result = run("serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "0.0.0.0:8123" in calls["args"]
    from django.conf import settings

    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    workers = calls["args"][calls["args"].index("--workers") + 1]
    assert workers == "1" if on_sqlite else int(workers) >= 1


def test_settings_refuse_to_start_without_debug_and_with_the_default_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("METRODIP_")}
    env |= {
        "METRODIP_DATA_DIR": str(tmp_path),
        "METRODIP_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "metrodiplomacy.settings",
    }
    code = "import django; django.setup()"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "Refusing to start" in refused.stderr
    allowed = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"METRODIP_SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
    )
    assert allowed.returncode == 0, allowed.stderr
