"""The IATI 2.03 export: valid against the shared schema, public records only, from the CLI and the API."""

from pathlib import Path

import pytest
from lxml import etree

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.cooperation.models import CooperationProject, ProjectResult
from metrodiplomacy.importers.iati import import_iati
from tests.test_iati_samples import SAMPLE

SCHEMA_FILE = Path(__file__).resolve().parent.parent.parent / "shared" / "specs" / "iati" / "iati-activities-schema.xsd"
if not SCHEMA_FILE.exists():  # the copy shipped with the importer is checked equal to it in test_iati_conformance
    SCHEMA_FILE = (
        Path(__file__).resolve().parent.parent / "metrodiplomacy/importers/iati/data/iati-activities-schema.xsd"
    )


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def assert_valid(schema, xml: bytes) -> etree._Element:
    document = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"
    return document


@pytest.fixture
def imported(db):
    import_iati(SAMPLE, "mobility.xml", visibility="public", publication="published")
    council = Organisation.objects.get(name="Example City Council")
    return council


def test_an_imported_activity_exports_valid_and_gives_its_figures_back(imported, schema, tmp_path):
    from tests.test_cli import run

    output = tmp_path / "out.xml"
    result = run("export", "iati", imported.key, "--output", str(output))
    assert result.exit_code == 0, result.output
    document = assert_valid(schema, output.read_bytes())
    (activity,) = document.findall("iati-activity")
    assert activity.findtext("iati-identifier") == "XM-EXAMPLE-1-MOB-01"
    assert activity.find("reporting-org").get("ref") == "XM-EXAMPLE-1"
    assert [s.get("code") for s in activity.findall("sector")] == ["21012", "41010"]
    assert activity.find("sector/narrative").text == "Public transport services"
    assert [(t.get("vocabulary"), t.get("code")) for t in activity.findall("tag")] == [("2", "11"), ("3", "11.2")]
    assert [b.findtext("value") for b in activity.findall("budget")] == ["150000", "250000.5"]
    assert activity.find("location/location-id").get("code") == "3674962"
    assert activity.find("result/indicator/period/actual").get("value") == "35"
    # Re-importing the export into the same owner changes nothing.
    assert import_iati(output.read_bytes(), "out.xml").wrote_nothing


def test_the_bundled_projects_of_the_case_studies_export_valid(casestudies, schema, tmp_path):
    from django.conf import settings

    from tests.test_cli import run

    output = tmp_path / "casestudies.xml"
    result = run("export", "iati", settings.CASESTUDIES_OWNER, "--output", str(output))
    assert result.exit_code == 0, result.output
    document = assert_valid(schema, output.read_bytes())
    identifiers = [a.findtext("iati-identifier") for a in document.findall("iati-activity")]
    assert "METRODIP-metrodiplomacy-casestudies-m-coop-medellin-mobility-2019" in identifiers
    # Projects with no date at all are named, not exported with an invented one.
    assert "Left out s-cp-medellin-korea-sustainable-transport" in result.output
    medellin = document.xpath("iati-activity[iati-identifier[contains(., 'medellin-mobility')]]")[0]
    assert medellin.find("activity-date").get("iso-date") == "2019-01-01"
    assert medellin.find("activity-date/narrative").text == "Only the start year is recorded."


def test_a_result_without_indicator_gets_a_qualitative_one(imported, schema):
    from django.utils import timezone

    from metrodiplomacy.cooperation.queries import iati_projects_of
    from metrodiplomacy.importers.iati.exporter import export_iati

    ProjectResult.objects.update(iati_indicators=[])
    document = assert_valid(schema, export_iati(imported, iati_projects_of(imported), timezone.now()).xml)
    assert document.find("iati-activity/result/indicator").get("measure") == "5"


def test_private_and_draft_projects_stay_out_of_the_export(imported, client):
    assert client.get(f"/api/v1/cooperation/iati/{imported.key}.xml").status_code == 200
    CooperationProject.objects.update(publication="draft")
    response = client.get(f"/api/v1/cooperation/iati/{imported.key}.xml")
    assert response.status_code == 404
    CooperationProject.objects.update(publication="published", visibility="private")
    assert client.get(f"/api/v1/cooperation/iati/{imported.key}.xml").status_code == 404


def test_the_api_answers_xml_valid_against_the_schema(imported, client, schema):
    response = client.get(f"/api/v1/cooperation/iati/{imported.key}.xml")
    assert response["Content-Type"].startswith("application/xml")
    assert_valid(schema, response.content)


def test_the_api_answers_404_for_an_unknown_or_hidden_organisation(personas, client):
    assert client.get("/api/v1/cooperation/iati/nobody.xml").status_code == 404
    # org-a is private: anonymous callers cannot tell it exists.
    assert client.get("/api/v1/cooperation/iati/org-a.xml").status_code == 404
    assert client.post("/api/v1/cooperation/iati/org-a.xml").status_code == 405


def test_the_export_command_refuses_an_organisation_without_public_projects(personas):
    from tests.test_cli import run

    result = run("export", "iati", "org-a", "--output", "/tmp/never-written.xml")
    assert result.exit_code == 1 and "no published public cooperation project" in result.output


def test_the_project_api_shows_sectors_goals_budgets_and_results(imported, client):
    (item,) = client.get("/api/v1/cooperation-projects?sector=21012").json()["items"]
    assert item["iati_identifier"] == "XM-EXAMPLE-1-MOB-01"
    assert item["sectors"][0] == {
        "vocabulary": "1",
        "code": "21012",
        "percentage": 80.0,
        "name": "Public transport services",
    }
    assert item["goals"] == [{"goal": 11, "target": ""}, {"goal": 11, "target": "11.2"}]
    assert item["budgets"][1]["amount"] == 250000.5
    assert item["results"][0]["title"] == "Officials trained in transit planning"
    assert client.get("/api/v1/cooperation-projects?goal=3").json()["count"] == 0


def test_the_data_package_export_still_works_as_the_default_of_the_export_group(db, tmp_path):
    from tests.test_cli import run

    assert run("export", str(tmp_path / "package")).exit_code == 0
    assert (tmp_path / "package" / "datapackage.json").exists()
