"""A key held by a record the writer may not read is refused exactly as a malformed key is, on every write path;
a key held by a record the writer can read is refused as already taken."""

import io
import json
import re

import pytest

from metrodiplomacy.diplomacy.models import Initiative
from metrodiplomacy.evidence.models import Source
from metrodiplomacy.importers.spreadsheet import ImportOptions, SpreadsheetInvalid, import_spreadsheet
from metrodiplomacy.writes import Author
from tests.personas import build_cast

HIDDEN = "c-hidden-initiative"
MALFORMED = "Not_A-Key"


@pytest.fixture
def cast(db, django_user_model):
    """The seven personas of tests/personas.py."""
    return build_cast(django_user_model)


@pytest.fixture
def taken(cast):
    """C's private initiative and source, which A cannot read; B's workspace initiative, which A can."""
    c, b = cast.organisations["c"], cast.organisations["b"]
    Initiative.objects.create(key=HIDDEN, name="Private of C", owner=c)
    Source.objects.create(key="c-hidden-source", title="Private source of C", kind="report", owner=c)
    Initiative.objects.create(key="b-shared-initiative", name="Shared by B", owner=b, visibility="workspace")
    return cast


def api_create(client, path: str, payload: dict):
    return client.post(path, data=json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize(
    "path,payload,hidden",
    [
        ("/api/v1/initiatives", {"name": "Mine"}, HIDDEN),
        # A kind written through the generic record service and its generated schema.
        ("/api/v1/sources", {"title": "Mine", "kind": "report"}, "c-hidden-source"),
    ],
)
def test_the_api_refuses_another_organisations_private_key_exactly_as_a_malformed_key(taken, path, payload, hidden):
    client = taken.client_for("editor_a")
    refused = api_create(client, path, {**payload, "key": hidden})
    malformed = api_create(client, path, {**payload, "key": MALFORMED})
    assert refused.status_code == malformed.status_code == 400
    assert refused.content == malformed.content
    assert set(refused.json()["detail"]) == {"key"}
    # With another problem in the same request, the answers still match.
    both_refused = api_create(client, path, {**payload, "key": hidden, "visibility": "nonsense"})
    both_malformed = api_create(client, path, {**payload, "key": MALFORMED, "visibility": "nonsense"})
    assert both_refused.content == both_malformed.content


def test_a_key_held_by_a_record_the_writer_can_read_is_refused_as_already_taken(taken):
    response = api_create(
        taken.client_for("editor_a"), "/api/v1/initiatives", {"key": "b-shared-initiative", "name": "X"}
    )
    assert response.status_code == 400
    assert "already exists" in response.json()["detail"]["key"][0]


def test_a_token_limited_to_c_refuses_as_malformed_a_key_its_user_reads_only_through_a(taken):
    from metrodiplomacy.workspaces.models import Membership
    from metrodiplomacy.workspaces.services import create_token

    user = taken.users["editor_a"]
    Membership.objects.create(user=user, organisation=taken.organisations["c"], role="editor")
    Initiative.objects.create(key="a-own-initiative", name="A's own", owner=taken.organisations["a"])
    token = create_token(user, "c-only", organisation=taken.organisations["c"])[1]
    from django.test import Client

    def create(key):
        return Client().post(
            "/api/v1/initiatives",
            data=json.dumps({"key": key, "name": "X", "owner": "org-c"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    assert create("a-own-initiative").content == create(MALFORMED).content


def _without_noise(html: str, key: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(key, "KEY")


def test_the_form_refuses_another_organisations_private_key_exactly_as_a_malformed_key(taken):
    client = taken.client_for("editor_a")

    def create(key):
        return client.post(
            "/workspace/initiatives/new/", {"key": key, "owner": "org-a", "visibility": "private", "name": "Mine"}
        )

    refused, malformed = create(HIDDEN), create(MALFORMED)
    assert refused.status_code == malformed.status_code == 400
    assert _without_noise(refused.content.decode(), HIDDEN) == _without_noise(malformed.content.decode(), MALFORMED)
    assert "already exists" not in refused.content.decode()
    assert Initiative.objects.filter(key=HIDDEN).get().owner == taken.organisations["c"]


def _import_problems(cast, key: str) -> list:
    text = f"id,name\n{key},Mine\n"
    author = Author.for_user(cast.users["editor_a"])
    options = ImportOptions(owner=cast.organisations["a"], author=author, entity="initiatives")
    with pytest.raises(SpreadsheetInvalid) as caught:
        import_spreadsheet(io.BytesIO(text.encode()), "initiatives.csv", options)
    return [str(problem).replace(repr(key), "KEY") for problem in caught.value.problems]


def test_a_spreadsheet_import_refuses_another_organisations_private_id_exactly_as_a_malformed_id(taken):
    refused = _import_problems(taken, HIDDEN)
    assert refused == _import_problems(taken, MALFORMED)
    assert len(refused) == 1 and "already" not in refused[0]
    # An id the importer can read but not change keeps its helpful answer.
    assert "already the id" in _import_problems(taken, "b-shared-initiative")[0]
