"""Anonymous public answers come from memory, and never one older than the last committed write."""

import json

import pytest
from django.db import connection

from metrodiplomacy.actors.models import Organisation
from metrodiplomacy.caching.middleware import store
from metrodiplomacy.caching.version import current_version, watched_tables
from metrodiplomacy.diplomacy.models import Agreement
from tests import api_fixtures
from tests.api_fixtures import bearer, token_for

records = api_fixtures.records  # the shared fixture
LIST = "/api/v1/agreements?limit=100"


@pytest.fixture
def cached(settings):
    settings.METRODIP_RESPONSE_CACHE = True
    store.clear()
    yield store
    store.clear()


def keys(response) -> set[str]:
    return {item["key"] for item in response.json()["items"]}


def test_a_second_anonymous_read_is_served_from_memory_with_the_same_answer(client, records, cached):
    first = client.get(LIST)
    hits = cached.hits
    second = client.get(LIST)
    assert cached.hits == hits + 1
    assert (second.status_code, second.content, second["Content-Type"]) == (
        first.status_code,
        first.content,
        first["Content-Type"],
    )


def test_an_api_write_is_visible_on_the_next_anonymous_read(client, records, cached):
    assert "a-new-public" not in keys(client.get(LIST))
    client.get(LIST)  # now in memory
    payload = {
        "key": "a-new-public",
        "kind": "twinning",
        "title": "Written through the API",
        "visibility": "public",
        "publication": "published",
        "parties": [{"place": "example-city"}, {"organisation": "org-a"}],
    }
    token = token_for(records["editor"])
    response = client.post("/api/v1/agreements", json.dumps(payload), content_type="application/json", **bearer(token))
    assert response.status_code == 201, response.content
    assert "a-new-public" in keys(client.get(LIST))


def test_a_bulk_change_made_outside_any_request_is_visible_on_the_next_read(client, records, cached):
    client.get(LIST)
    before = current_version()
    # What an import or a restore does: a queryset update sends no signal, the trigger still sees it.
    Agreement.objects.filter(visibility="public").update(title="Renamed in bulk")
    assert current_version() != before
    titles = {item["title"] for item in client.get(LIST).json()["items"]}
    assert titles == {"Renamed in bulk"}


def test_a_deleted_record_disappears_from_the_next_read(client, records, cached):
    public = Agreement.objects.filter(visibility="public", publication="published").first()
    assert public.key in keys(client.get(LIST))
    public.delete()
    assert public.key not in keys(client.get(LIST))


def test_a_caller_with_a_token_or_a_session_is_never_served_the_anonymous_answer(client, records, cached):
    anonymous = keys(client.get(LIST))
    client.get(LIST)
    token = token_for(records["editor"])
    with_token = keys(client.get(LIST, **bearer(token)))
    client.force_login(records["editor"])
    signed_in = keys(client.get(LIST))
    private = Agreement.objects.get(key=api_fixtures.agreement_key("a", "private", "draft")).key
    assert private not in anonymous
    assert private in with_token and private in signed_in


def test_each_language_is_kept_apart(client, records, cached):
    client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    client.get(LIST, HTTP_ACCEPT_LANGUAGE="es")
    assert {key[2] for key in cached.entries if key[1] == LIST} == {"en", "es"}


def test_a_page_that_hands_out_a_csrf_cookie_is_not_kept(records, cached):
    from django.test import Client

    # The sign-in form carries a CSRF token bound to a cookie set on this answer: kept, one visitor's token
    # would be served to everyone.
    response = Client().get("/workspace/accounts/login/")
    assert response.status_code == 200 and response.cookies
    assert not any(key[1] == "/workspace/accounts/login/" for key in cached.entries)


def test_a_public_page_is_kept_for_anonymous_readers(records, cached):
    from django.test import Client

    first = Client().get("/sources/")
    assert first.status_code == 200 and not first.cookies
    hits = cached.hits
    assert Client().get("/sources/").content == first.content and cached.hits == hits + 1


def test_a_token_read_is_kept_under_that_token_only(client, records, cached):
    editor, outsider = token_for(records["editor"]), token_for(records["outsider"])
    private = api_fixtures.agreement_key("a", "private", "draft")
    # The first use stamps the token's last use, a write: that answer is kept under the version before it.
    assert private in keys(client.get(LIST, **bearer(editor)))
    client.get(LIST, **bearer(editor))
    hits = cached.hits
    assert private in keys(client.get(LIST, **bearer(editor)))
    assert cached.hits == hits + 1
    # Another token, and no token, get their own answers, never the editor's.
    assert private not in keys(client.get(LIST, **bearer(outsider)))
    assert private not in keys(client.get(LIST))


def test_a_revoked_token_is_refused_even_when_its_answer_was_kept(client, records, cached):
    from metrodiplomacy.workspaces.models import ApiToken

    token = token_for(records["editor"])
    assert client.get(LIST, **bearer(token)).status_code == 200
    client.get(LIST, **bearer(token))
    ApiToken.objects.filter(user=records["editor"]).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get(LIST, **bearer(token)).status_code == 401


def test_an_answer_for_a_session_is_never_kept(client, records, cached):
    client.force_login(records["editor"])
    client.get(LIST)
    client.get(LIST)
    assert not any(key[1] == LIST for key in cached.entries)


def test_every_table_has_the_version_trigger(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'metrodip_dv_%'")
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'metrodip_data_version'"
            )
        with_trigger = {row[0] for row in cursor.fetchall()}
    assert set(watched_tables()) <= with_trigger
    assert Organisation._meta.db_table in with_trigger
