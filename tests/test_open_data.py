"""Open data: public, published records only, as a Frictionless data package and as CSV and XLSX per entity."""

import csv
import io
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from metrodiplomacy import cli
from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import Engagement
from metrodiplomacy.records import visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(casestudies, personas):
    """The case studies (public) plus records of organisation A: one private, one public citing a private one."""
    secret = Organisation.objects.create(key="secret-org", name="Secret", kind="ngo", owner=personas["org_a"])
    Engagement.objects.create(key="private-mission", kind="fair", title="Private", owner=personas["org_a"])
    Engagement.objects.create(
        key="public-mission",
        kind="fair",
        title='=HYPERLINK("http://evil.example","click")',
        organisation=secret,
        owner=personas["org_a"],
        visibility="public",
        publication="published",
    )
    Engagement.objects.create(
        key="draft-mission", kind="fair", title="Draft", owner=personas["org_a"], visibility="public"
    )
    return personas


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_page_lists_every_entity_with_its_public_row_count(client, data):
    response = client.get("/open-data/")
    assert response.status_code == 200
    listing = client.get("/open-data.json").json()["tables"][0]["rows"]
    counts = {row["entity"]: row["rows"] for row in listing}
    public = visible_to(Engagement.objects.all(), None).count()
    assert counts["engagements"] == public
    assert counts["organisations"] == visible_to(Organisation.objects.all(), None).count()
    for name in counts:
        assert f'href="/open-data/{name}.csv"'.encode() in response.content
    assert b'href="/open-data/metrodiplomacy-open-data.zip"' in response.content


def test_an_entity_as_csv_holds_only_public_published_rows_without_private_keys(client, data):
    response = client.get("/open-data/engagements.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = {row["id"]: row for row in rows_of(response.content.decode())}
    assert "public-mission" in rows and "private-mission" not in rows and "draft-mission" not in rows
    assert rows["public-mission"]["organisation"] == ""  # the private organisation's key does not leak
    assert rows["public-mission"]["owner"] == ""
    assert rows["public-mission"]["title"].startswith("'=HYPERLINK")
    assert b"secret-org" not in client.get("/open-data/organisations.csv").content
    assert client.get("/open-data/nothing.csv").status_code == 404


def test_an_entity_as_xlsx_writes_text_never_formulas(client, data):
    response = client.get("/open-data/engagements.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["engagements"]
    header = [cell.value for cell in sheet[1]]
    titles = {row[0].value: row[header.index("title")] for row in sheet.iter_rows(min_row=2)}
    assert titles["public-mission"].data_type == "s"
    assert titles["public-mission"].value.startswith("=HYPERLINK")


def test_the_open_data_package_validates_with_frictionless(client, data, tmp_path):
    from frictionless import Package

    response = client.get("/open-data/metrodiplomacy-open-data.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        assert "datapackage.json" in names and "engagements.csv" in names
        archive.extractall(tmp_path / "package")
    report = Package(str(tmp_path / "package" / "datapackage.json")).validate()
    errors = [error.message for task in report.tasks for error in task.errors][:10]
    assert report.valid, errors


def test_the_open_data_imports_back_as_a_data_package(client, data, tmp_path):
    from metrodiplomacy.importers.datapackage import check_package_at

    archive = tmp_path / "open.zip"
    archive.write_bytes(client.get("/open-data/metrodiplomacy-open-data.zip").content)
    problems = check_package_at(archive)
    # Citations of every record are kept, so the package passes the importer's own checks.
    assert not [p for p in problems if "missing citation" not in p.reason], problems[:5]


def test_the_cli_writes_the_open_data_to_a_folder_or_a_zip(data, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli.app, ["export", "opendata", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "datapackage.json").exists()
    assert (tmp_path / "out" / "engagements.xlsx").exists()
    assert "private-mission" not in (tmp_path / "out" / "engagements.csv").read_text()
    result = runner.invoke(cli.app, ["export", "opendata", "--output", str(tmp_path / "open.zip")])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(tmp_path / "open.zip")


def test_signed_in_members_get_the_same_public_file(client, data):
    anonymous = client.get("/open-data/engagements.csv").content
    client.force_login(data["owner"])
    assert client.get("/open-data/engagements.csv").content == anonymous
