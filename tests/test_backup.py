"""`metrodip backup` / `metrodip restore`: the whole database comes back, byte for byte in every export."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import Agreement
from metrodiplomacy.workspaces.models import ApiToken, Membership
from tests.api_fixtures import bearer, token_for
from tests.personas import cast  # noqa: F401

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args):
    return runner.invoke(cli.app, list(args), env={"COLUMNS": "200"})


def exported(tmp_path: Path, name: str) -> dict[str, bytes]:
    """Every file of `metrodip export` and of the open-data export (CSV and descriptor), by relative name."""
    package, opendata = tmp_path / name / "package", tmp_path / name / "opendata"
    assert run("export", str(package)).exit_code == 0
    result = run("export", "opendata", "--output", str(opendata), "--no-xlsx")
    assert result.exit_code == 0, result.output
    files = {}
    for root in (package, opendata):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                files[f"{root.name}/{path.relative_to(root)}"] = path.read_bytes()
    return files


def fingerprint() -> dict[str, int]:
    """Rows that the exports do not show: users, memberships, tokens, history."""
    return {
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "tokens": ApiToken.objects.count(),
        "agreement_versions": Agreement.history.count(),
    }


@pytest.fixture
def filled(casestudies, cast):  # noqa: F811
    token = token_for(cast.users["editor_a"], name="backup-test")
    return token


def test_a_restore_over_changed_data_gives_byte_identical_exports_users_and_tokens(filled, tmp_path, client):
    before, counts = exported(tmp_path, "before"), fingerprint()
    assert any(name.startswith("package/") for name in before) and any(n.startswith("opendata/") for n in before)
    archive = tmp_path / "backup.zip"
    result = run("backup", str(archive))
    assert result.exit_code == 0, result.output

    # Change the database every way a day of work would: delete, rename, add.
    Agreement.objects.filter(pk=Agreement.objects.order_by("pk").first().pk).delete()
    Agreement.objects.update(title="renamed")
    Organisation.objects.create(key="org-new", name="New", kind="city_government")
    assert exported(tmp_path, "changed") != before

    result = run("restore", str(archive), "--replace")
    assert result.exit_code == 0, result.output
    assert exported(tmp_path, "after") == before
    assert fingerprint() == counts
    # The token was restored as its stored digest: the plain token still signs in.
    response = client.get("/api/v1/agreements", **bearer(filled))
    assert response.status_code == 200


def test_a_restore_into_an_emptied_database_needs_no_replace_and_new_rows_get_fresh_keys(filled, tmp_path):
    before = exported(tmp_path, "before")
    archive = tmp_path / "backup.zip"
    assert run("backup", str(archive)).exit_code == 0
    if connection.vendor == "postgresql":
        # The fixtures' foreign-key checks are still pending in the test's transaction; TRUNCATE needs them done.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not Agreement.objects.exists()

    result = run("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert exported(tmp_path, "after") == before
    # Sequences follow the restored keys (PostgreSQL keeps them apart from the tables).
    newest = Organisation.objects.order_by("-pk").first().pk
    assert Organisation.objects.create(key="org-after", name="After", kind="city_government").pk > newest


def test_a_restore_into_a_database_holding_data_is_refused_without_replace(filled, tmp_path):
    archive = tmp_path / "backup.zip"
    assert run("backup", str(archive)).exit_code == 0
    Organisation.objects.create(key="org-extra", name="Extra", kind="city_government")
    result = run("restore", str(archive))
    assert result.exit_code == 1
    assert "already holds data" in result.output and "--replace" in result.output
    assert Organisation.objects.filter(key="org-extra").exists()


def rewritten(archive: Path, change) -> bytes:
    """The archive with each member passed through change(name, data) -> data."""
    out = io.BytesIO()
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def tamper_agreements(name: str, data: bytes) -> bytes:
    if name == "tables/diplomacy.agreement.json":
        body = json.loads(data)
        body["rows"][0][body["columns"].index("title")] = "forged"
        return json.dumps(body).encode()
    return data


def older_schema(name: str, data: bytes) -> bytes:
    if name == "manifest.json":
        manifest = json.loads(data)
        manifest["migrations"] = manifest["migrations"][:-1]
        return json.dumps(manifest).encode()
    return data


@pytest.mark.parametrize(
    "damage,reason",
    [
        (lambda archive: archive.read_bytes()[: len(archive.read_bytes()) // 2], "not a readable zip archive"),
        (lambda archive: b"not a zip at all", "not a readable zip archive"),
        (lambda archive: rewritten(archive, tamper_agreements), "diplomacy.agreement.json: SHA-256 does not match"),
        (lambda archive: rewritten(archive, older_schema), "different database schema"),
        (
            lambda archive: rewritten(archive, lambda n, d: d if n != "manifest.json" else b"{"),
            "manifest.json cannot be read",
        ),
    ],
    ids=["truncated", "not-a-zip", "changed-part", "other-schema", "broken-manifest"],
)
def test_a_damaged_or_mismatched_backup_is_refused_and_changes_nothing(filled, tmp_path, damage, reason):
    archive = tmp_path / "backup.zip"
    assert run("backup", str(archive)).exit_code == 0
    archive.write_bytes(damage(archive))
    Organisation.objects.create(key="org-kept", name="Kept", kind="city_government")
    before = exported(tmp_path, "before")

    result = run("restore", str(archive), "--replace")
    assert result.exit_code == 1
    assert "nothing was changed" in result.output and reason in " ".join(result.output.split())
    assert exported(tmp_path, "after") == before


def test_a_part_whose_rows_disagree_with_the_manifest_is_refused_before_anything_is_written(filled, tmp_path):
    archive = tmp_path / "backup.zip"
    assert run("backup", str(archive)).exit_code == 0

    parts = {}
    with zipfile.ZipFile(archive) as source:
        for info in source.infolist():
            parts[info.filename] = source.read(info.filename)
    body = json.loads(parts["tables/diplomacy.agreement.json"])
    body["rows"].pop()
    parts["tables/diplomacy.agreement.json"] = json.dumps(body).encode()
    manifest = json.loads(parts["manifest.json"])
    for part in manifest["parts"]:
        if part["table"] == "diplomacy.agreement":
            part["sha256"] = hashlib.sha256(parts["tables/diplomacy.agreement.json"]).hexdigest()
    parts["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(archive, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    agreements = Agreement.objects.count()
    Organisation.objects.create(key="org-kept", name="Kept", kind="city_government")

    result = run("restore", str(archive), "--replace")
    assert result.exit_code == 1
    assert "rows, the manifest says" in result.output
    assert Agreement.objects.count() == agreements and Organisation.objects.filter(key="org-kept").exists()


def test_two_backups_of_the_same_data_hold_the_same_tables(filled, tmp_path):
    first, second = tmp_path / "one.zip", tmp_path / "two.zip"
    assert run("backup", str(first)).exit_code == 0 and run("backup", str(second)).exit_code == 0
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as two:
        names = [n for n in one.namelist() if n != "manifest.json"]
        assert names == [n for n in two.namelist() if n != "manifest.json"]
        assert all(one.read(n) == two.read(n) for n in names)
        manifest = json.loads(one.read("manifest.json"))
    tables = {part["table"] for part in manifest["parts"]}
    assert {"auth.user", "workspaces.membership", "workspaces.apitoken", "diplomacy.historicalagreement"} <= tables
