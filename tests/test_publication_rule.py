"""Only a public record can be published: every write path refuses a private or workspace record marked
published, naming the field, and changes nothing."""

import io
import json

import pytest

from metrodiplomacy.diplomacy.models import Initiative
from metrodiplomacy.evidence.models import Source
from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet
from metrodiplomacy.writes import Author
from tests.personas import build_cast


@pytest.fixture
def cast(db, django_user_model):
    """The seven personas of tests/personas.py."""
    return build_cast(django_user_model)


@pytest.fixture
def published(cast):
    return Initiative.objects.create(
        key="a-published", name="Published", owner=cast.organisations["a"], visibility="public", publication="published"
    )


def send(client, method: str, path: str, payload: dict):
    return getattr(client, method)(path, data=json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize("visibility", ["private", "workspace"])
@pytest.mark.parametrize(
    "path,payload",
    [("/api/v1/initiatives", {"name": "Mine"}), ("/api/v1/sources", {"title": "Mine", "kind": "report"})],
)
def test_the_api_refuses_to_create_a_published_record_that_is_not_public(cast, visibility, path, payload):
    body = {**payload, "key": "not-for-the-portal", "visibility": visibility, "publication": "published"}
    response = send(cast.client_for("editor_a"), "post", path, body)
    assert response.status_code == 400
    assert "publication" in response.json()["detail"]
    assert not Initiative.objects.filter(key="not-for-the-portal").exists()
    assert not Source.objects.filter(key="not-for-the-portal").exists()


def test_the_api_refuses_to_make_a_published_record_private_and_accepts_it_with_a_draft(cast, published):
    client = cast.client_for("editor_a")
    refused = send(client, "patch", "/api/v1/initiatives/a-published", {"visibility": "private"})
    assert refused.status_code == 400 and "publication" in refused.json()["detail"]
    published.refresh_from_db()
    assert (published.visibility, published.publication) == ("public", "published")

    accepted = send(
        client, "patch", "/api/v1/initiatives/a-published", {"visibility": "private", "publication": "draft"}
    )
    assert accepted.status_code == 200
    published.refresh_from_db()
    assert (published.visibility, published.publication) == ("private", "draft")


def test_the_form_refuses_to_make_a_published_record_private(cast, published):
    response = cast.client_for("editor_a").post(
        "/workspace/initiatives/a-published/", {"owner": "org-a", "visibility": "private", "name": "Published"}
    )
    assert response.status_code == 400
    assert "Only a public record can be published" in response.content.decode()
    published.refresh_from_db()
    assert (published.visibility, published.publication) == ("public", "published")


def test_a_spreadsheet_row_that_is_private_and_published_is_refused_and_nothing_is_written(cast):
    text = "id,name,visibility,publication\nsheet-published,Mine,private,published\n"
    options = ImportOptions(
        owner=cast.organisations["a"], author=Author.for_user(cast.users["editor_a"]), entity="initiatives"
    )
    with pytest.raises(SpreadsheetInvalid) as caught:
        import_spreadsheet(io.BytesIO(text.encode()), "initiatives.csv", options)
    assert [problem.column for problem in caught.value.problems] == ["publication"]
    assert not Initiative.objects.filter(key="sheet-published").exists()


def test_the_migration_takes_records_published_while_not_public_back_to_draft(cast):
    from django.apps import apps

    from metrodiplomacy.diplomacy.models import Agreement
    from metrodiplomacy.records import draft_hidden_published

    owner = cast.organisations["a"]
    hidden = Agreement.objects.create(
        key="old-hidden", kind="twinning", title="Old", owner=owner, visibility="workspace", publication="published"
    )
    shown = Agreement.objects.create(
        key="old-shown", kind="twinning", title="Shown", owner=owner, visibility="public", publication="published"
    )
    draft_hidden_published("diplomacy")(apps, None)
    hidden.refresh_from_db()
    shown.refresh_from_db()
    assert (hidden.publication, shown.publication) == ("draft", "published")
