"""The workspace page that imports an IATI file, for each persona."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path

from metrodiplomacy.cooperation.models import CooperationProject
from tests.test_iati_samples import BILLION_LAUGHS, SAMPLE

# The lead mounts the page in metrodiplomacy/urls.py; until then these tests mount it themselves.
urlpatterns = [
    path("workspace/iati/", include("metrodiplomacy.cooperation.urls")),
    path("", include("metrodiplomacy.urls")),
]
pytestmark = pytest.mark.urls(__name__)
PAGE = "/workspace/iati/"


def post(client, data: bytes, owner: str = "org-a", name: str = "mobility.xml"):
    upload = SimpleUploadedFile(name, data, content_type="application/xml")
    return client.post(PAGE, {"file": upload, "owner": owner, "visibility": "workspace"})


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_viewer_may_not_import(client, personas):
    client.force_login(personas["viewer"])
    assert client.get(PAGE).status_code == 403
    assert post(client, SAMPLE).status_code == 403
    assert not CooperationProject.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "editor"])
def test_an_editor_imports_for_their_organisation_and_sees_the_summary(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(PAGE).status_code == 200
    response = post(client, SAMPLE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 created, 0 updated, 0 unchanged" in text and "iati-xm-example-1-mob-01" in text
    project = CooperationProject.objects.get()
    assert project.owner == personas["org_a"] and project.visibility == "workspace"
    assert "1 created" not in post(client, SAMPLE).content.decode()  # the second time: unchanged


def test_an_outsider_cannot_import_into_another_organisation(client, personas):
    client.force_login(personas["outsider"])
    response = post(client, SAMPLE, owner="org-a")
    assert response.status_code == 400
    assert not CooperationProject.objects.exists()


def test_a_refused_file_shows_every_problem_with_line_and_element(client, personas):
    client.force_login(personas["editor"])
    broken = SAMPLE.replace(b'<value currency="EUR" value-date="2021-01-01">150000</value>', b"")
    response = post(client, broken)
    assert response.status_code == 400
    text = response.content.decode()
    assert "nothing was imported" in text and "iati-activity/budget[1]" in text and "<td>25</td>" in text
    assert "DOCTYPE" in post(client, BILLION_LAUGHS).content.decode()
    assert not CooperationProject.objects.exists()


def test_the_upload_gate_refuses_a_file_that_is_not_xml(client, personas):
    client.force_login(personas["editor"])
    response = post(client, b"%PDF-1.4 not an IATI file", name="report.xml")
    assert response.status_code == 400 and "accepted here: xml" in response.content.decode()


def test_the_page_answers_405_to_other_methods(client, personas):
    client.force_login(personas["editor"])
    assert client.put(PAGE).status_code == 405
