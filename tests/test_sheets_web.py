"""The workspace import page: who may import, preview, commit with progress, the problem report, templates."""

import io

import openpyxl
import pytest
from django.conf import settings

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.diplomacy.models import Engagement
from metrodiplomacy.importers.spreadsheet.templates import xlsx_template

pytestmark = pytest.mark.django_db
IMPORT = "/workspace/import/"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(rows: str, name="engagements.csv") -> io.BytesIO:
    stream = io.BytesIO(rows.encode())
    stream.name = name
    return stream


def post_file(client, org, rows, name="engagements.csv", **extra):
    data = {"file": upload(rows, name), "organisation": org.pk, "visibility": "workspace", **extra}
    return client.post(IMPORT, data)


GOOD = "id,kind,title\nmission-a,outgoing_mission,Mission of A\nfair-a,fair,Fair of A\n"


@pytest.mark.parametrize("persona,status", [("owner", 200), ("editor", 200), ("viewer", 403), ("outsider", 200)])
def test_the_import_page_is_for_editors(client, personas, persona, status):
    client.force_login(personas[persona])
    assert client.get(IMPORT).status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client, personas):
    response = client.get(IMPORT)
    assert response.status_code == 302 and "/workspace/accounts/login/" in response["Location"]
    assert client.post(IMPORT, {}).status_code == 302


def test_an_editor_previews_then_commits_and_records_belong_to_the_organisation(client, personas):
    client.force_login(personas["editor"])
    response = post_file(client, personas["org_a"], GOOD)
    assert response.status_code == 302
    page = response["Location"]
    preview = client.get(page)
    assert preview.status_code == 200
    assert b"What the import would write" in preview.content and b"Commit the import" in preview.content
    assert not Engagement.objects.exists()
    token = page.rstrip("/").rsplit("/", 1)[-1]
    stored = settings.MEDIA_ROOT / "imports" / token / "upload"
    assert stored.read_bytes() == GOOD.encode()
    assert client.post(page + "commit/").status_code == 302
    engagements = Engagement.objects.filter(key__in=["mission-a", "fair-a"])
    assert engagements.count() == 2
    assert {(e.owner.key, e.visibility, e.publication) for e in engagements} == {("org-a", "workspace", "draft")}
    assert Engagement.history.filter(history_user=personas["editor"]).count() == 2
    done = client.get(page)
    assert b"What the import wrote" in done.content and b"Commit the import" not in done.content
    progress = client.get(page + "progress/")
    assert progress.status_code == 286 and b"done" in progress.content
    # A second commit of the same file (a double click, a retried request) writes nothing more.
    assert client.post(page + "commit/").status_code == 302
    assert Engagement.history.count() == 2


def test_problems_are_shown_and_downloadable_and_nothing_can_be_committed(client, personas):
    client.force_login(personas["editor"])
    page = post_file(client, personas["org_a"], "id,kind,title\nx-1,brunch,\n")["Location"]
    preview = client.get(page)
    assert b"2 problems: nothing was written" in preview.content
    assert b"Commit the import" not in preview.content
    report = client.get(page + "problems.csv")
    assert report.status_code == 200
    lines = report.content.decode().splitlines()
    assert lines[0] == "file,sheet,row,column,cell,reason"
    assert any(line.startswith("engagements.csv,,2,kind,B2,") for line in lines)
    client.post(page + "commit/")
    assert not Engagement.objects.exists()


def test_an_outsider_cannot_import_into_another_organisation(client, personas):
    client.force_login(personas["outsider"])
    refused = post_file(client, personas["org_a"], GOOD)
    assert refused.status_code == 400 and not Engagement.objects.exists()
    page = post_file(client, personas["org_c"], "id,kind,title,owner\nsneak,fair,Sneaky,org-a\n")["Location"]
    assert b"you do not edit for the organisation" in client.get(page).content


def test_another_users_import_answers_like_a_missing_one(client, personas):
    client.force_login(personas["editor"])
    page = post_file(client, personas["org_a"], GOOD)["Location"]
    client.force_login(personas["owner"])
    for suffix in ("", "progress/", "problems.csv"):
        assert client.get(page + suffix).status_code == 404
    assert client.post(page + "commit/").status_code == 404
    assert client.get(IMPORT + "../../etc/").status_code == 404
    assert not Engagement.objects.exists()


def test_references_to_another_organisations_private_record_read_as_unknown(client, personas):
    Organisation.objects.create(key="secret-c", name="Secret", kind="ngo", owner=personas["org_c"])
    client.force_login(personas["editor"])
    page = post_file(client, personas["org_a"], "id,kind,title,organisation\nm,fair,Fair,secret-c\n")["Location"]
    assert b"unknown organisation &#x27;secret-c&#x27;" in client.get(page).content
    # Taking over a record of another organisation by its id is refused: as a malformed id, since A cannot read it.
    Engagement.objects.create(key="taken", kind="fair", title="C's fair", owner=personas["org_c"])
    page = post_file(client, personas["org_a"], "id,kind,title\ntaken,fair,Mine now\n")["Location"]
    assert b"&#x27;taken&#x27; is not a valid identifier" in client.get(page).content


def test_a_file_refused_by_the_upload_gate_is_explained_on_the_form(client, personas):
    client.force_login(personas["editor"])
    response = client.post(
        IMPORT,
        {
            "file": upload("%PDF-1.4 not a sheet", "sheet.csv"),
            "organisation": personas["org_a"].pk,
            "visibility": "private",
        },
    )
    assert response.status_code == 400 and b"looks like pdf" in response.content


def test_templates_are_served_from_the_workspace(client, personas):
    client.force_login(personas["viewer"])
    csv_response = client.get(IMPORT + "templates/engagements.csv")
    assert csv_response.status_code == 200 and csv_response.content.startswith(b"id,kind,title")
    workbook_response = client.get(IMPORT + "templates/metrodiplomacy-template.xlsx")
    assert workbook_response.status_code == 200
    assert "engagements" in openpyxl.load_workbook(io.BytesIO(workbook_response.content)).sheetnames
    assert client.get(IMPORT + "templates/nothing.csv").status_code == 404
    # Zip timestamps differ by the second: compare what the workbooks hold, not their bytes.
    served = openpyxl.load_workbook(io.BytesIO(workbook_response.content)).sheetnames
    assert served == openpyxl.load_workbook(io.BytesIO(xlsx_template())).sheetnames


def test_a_workbook_uploaded_on_the_page_names_its_sheet_in_problems(client, personas):
    book = openpyxl.Workbook()
    book.active.title = "engagements"
    book.active.append(["id", "kind", "title"])
    book.active.append(["w-1", "fair", None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "book.xlsx"
    client.force_login(personas["editor"])
    page = client.post(IMPORT, {"file": buffer, "organisation": personas["org_a"].pk, "visibility": "private"})
    content = client.get(page["Location"]).content.decode()
    assert "<td>book.xlsx</td><td>engagements</td><td>2</td><td>title</td><td>C2</td>" in content
