"""Writes through the API: who may create, change and delete what, and what a refusal leaves behind."""

import json

import pytest

from metrodiplomacy.diplomacy.models import Agreement, Engagement, Initiative
from tests import api_fixtures
from tests.api_fixtures import bearer, token_for

records = api_fixtures.records  # the shared fixture

NEW_AGREEMENT = {
    "key": "a-new-twinning",
    "kind": "twinning",
    "title": "A new twinning",
    "year": 2020,
    "policy_areas": ["economic"],
    "parties": [{"place": "example-city"}, {"organisation": "org-a"}],
}


def send(client, method, path, payload=None, **extra):
    return getattr(client, method)(path, data=json.dumps(payload or {}), content_type="application/json", **extra)


def as_persona(client, records, persona):
    if persona != "anonymous":
        client.force_login(records[persona])
    return client


def snapshot(key: str):
    agreement = Agreement.objects.get(key=key)
    return (
        agreement.title,
        agreement.owner_id,
        sorted(agreement.policy_areas.values_list("code", flat=True)),
        sorted((str(p.place_id), str(p.organisation_id)) for p in agreement.parties.all()),
    )


@pytest.mark.parametrize("persona", ["owner", "editor"])
def test_an_editor_of_the_owner_creates_an_agreement_with_parties_and_policy_areas(client, records, persona):
    response = send(as_persona(client, records, persona), "post", "/api/v1/agreements", NEW_AGREEMENT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == "org-a" and body["visibility"] == "private" and body["publication"] == "draft"
    assert body["policy_areas"] == ["economic"]
    assert {"place": "example-city", "organisation": None} in body["parties"]
    agreement = Agreement.objects.get(key="a-new-twinning")
    assert agreement.parties.count() == 2
    assert {version.history_user for version in agreement.history.all()} == {records[persona]}


@pytest.mark.parametrize("persona,status", [("viewer", 403), ("anonymous", 401)])
def test_a_viewer_or_an_anonymous_caller_cannot_create(client, records, persona, status):
    before = Agreement.objects.count()
    response = send(as_persona(client, records, persona), "post", "/api/v1/agreements", NEW_AGREEMENT)
    assert response.status_code == status
    assert Agreement.objects.count() == before


def test_a_member_cannot_create_a_record_for_an_organisation_it_does_not_edit_for(client, records):
    records["org_c"].visibility, records["org_c"].publication = "public", "published"
    records["org_c"].save()
    response = send(
        as_persona(client, records, "editor"), "post", "/api/v1/agreements", {**NEW_AGREEMENT, "owner": "org-c"}
    )
    assert response.status_code == 403
    assert "owner" in response.json()["detail"]
    assert not Agreement.objects.filter(key="a-new-twinning").exists()


def test_a_session_write_without_the_csrf_token_is_refused(records):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(records["editor"])
    assert send(strict, "post", "/api/v1/agreements", NEW_AGREEMENT).status_code == 403
    strict.get("/api/v1/docs")  # sets the csrftoken cookie
    token = strict.cookies["csrftoken"].value
    assert send(strict, "post", "/api/v1/agreements", NEW_AGREEMENT, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_a_token_writes_without_csrf_and_the_history_names_its_user(client, records):
    token = token_for(records["editor"])
    assert send(client, "post", "/api/v1/agreements", NEW_AGREEMENT, **bearer(token)).status_code == 201
    assert {v.history_user for v in Agreement.objects.get(key="a-new-twinning").history.all()} == {records["editor"]}


def test_a_read_only_token_reads_but_cannot_write(client, records):
    token = token_for(records["editor"], read_only=True)
    assert client.get("/api/v1/agreements/a-private-draft", **bearer(token)).status_code == 200
    response = send(client, "patch", "/api/v1/agreements/a-private-draft", {"title": "Changed"}, **bearer(token))
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert send(client, "post", "/api/v1/agreements", NEW_AGREEMENT, **bearer(token)).status_code == 403
    assert Agreement.objects.get(key="a-private-draft").title == "Agreement a private draft"


def test_a_token_scoped_to_one_organisation_writes_only_for_it(client, records):
    from metrodiplomacy.workspaces.models import Membership

    Membership.objects.create(user=records["editor"], organisation=records["org_c"], role="editor")
    scoped = token_for(records["editor"], organisation=records["org_c"])
    refused = send(client, "patch", "/api/v1/agreements/a-public-published", {"title": "x"}, **bearer(scoped))
    assert refused.status_code == 403
    created = send(client, "post", "/api/v1/agreements", {**NEW_AGREEMENT, "parties": []}, **bearer(scoped))
    assert created.status_code == 201 and created.json()["owner"] == "org-c"


class TestChanging:
    def test_an_editor_changes_only_the_fields_sent(self, client, records):
        response = send(
            as_persona(client, records, "editor"), "patch", "/api/v1/agreements/a-private-draft", {"title": "Renamed"}
        )
        assert response.status_code == 200
        agreement = Agreement.objects.get(key="a-private-draft")
        assert agreement.title == "Renamed" and agreement.year == 2010 and agreement.parties.count() == 2

    def test_the_viewer_may_read_but_not_change_its_organisations_record(self, client, records):
        response = send(
            as_persona(client, records, "viewer"), "patch", "/api/v1/agreements/a-private-draft", {"title": "x"}
        )
        assert response.status_code == 403

    def test_the_outsider_changing_a_private_record_gets_the_answer_of_a_missing_one(self, client, records):
        as_persona(client, records, "outsider")
        private = send(client, "patch", "/api/v1/agreements/a-private-published", {"title": "x"})
        missing = send(client, "patch", "/api/v1/agreements/no-such-key", {"title": "x"})
        assert private.status_code == missing.status_code == 404
        assert private.content == missing.content

    def test_the_outsider_changing_a_public_record_it_can_read_gets_403(self, client, records):
        response = send(
            as_persona(client, records, "outsider"), "patch", "/api/v1/agreements/a-public-published", {"title": "x"}
        )
        assert response.status_code == 403
        assert Agreement.objects.get(key="a-public-published").title == "Agreement a public published"

    def test_a_party_that_is_another_organisations_private_record_is_refused_and_nothing_changes(self, client, records):
        before = snapshot("a-private-draft")
        response = send(
            as_persona(client, records, "editor"),
            "patch",
            "/api/v1/agreements/a-private-draft",
            {"title": "Renamed", "parties": [{"place": "example-city"}, {"organisation": "org-c"}]},
        )
        assert response.status_code == 400
        assert "parties" in response.json()["detail"]
        assert "org-c" in str(response.json()["detail"])
        assert snapshot("a-private-draft") == before

    def test_the_owner_cannot_be_moved_to_an_organisation_the_user_does_not_edit_for(self, client, records):
        as_persona(client, records, "editor")
        # org-c is private to C: A's editor cannot even name it.
        hidden = send(client, "patch", "/api/v1/agreements/a-private-draft", {"owner": "org-c"})
        assert hidden.status_code == 400 and "owner" in hidden.json()["detail"]
        records["org_c"].visibility, records["org_c"].publication = "public", "published"
        records["org_c"].save()
        visible = send(client, "patch", "/api/v1/agreements/a-private-draft", {"owner": "org-c"})
        assert visible.status_code == 403
        assert Agreement.objects.get(key="a-private-draft").owner == records["org_a"]

    @pytest.mark.parametrize(
        "change,field",
        [
            ({"kind": "alliance-of-sorts"}, "kind"),
            ({"year": 3000}, "year"),
            ({"visibility": "everyone"}, "visibility"),
            ({"policy_areas": ["no-such-area"]}, "policy_areas"),
            ({"parties": [{"place": "example-city", "organisation": "org-a"}]}, "parties"),
            ({"parties": [{"place": "nowhere"}]}, "parties"),
        ],
    )
    def test_a_bad_value_is_refused_with_400_naming_the_field(self, client, records, change, field):
        before = snapshot("a-private-draft")
        response = send(as_persona(client, records, "editor"), "patch", "/api/v1/agreements/a-private-draft", change)
        assert response.status_code == 400, response.content
        assert field in json.dumps(response.json()["detail"])
        assert snapshot("a-private-draft") == before

    def test_a_malformed_body_is_refused_with_422_naming_the_field(self, client, records):
        as_persona(client, records, "editor")
        response = send(client, "post", "/api/v1/agreements", {k: v for k, v in NEW_AGREEMENT.items() if k != "title"})
        assert response.status_code == 422 and "title" in json.dumps(response.json())
        response = send(client, "patch", "/api/v1/agreements/a-private-draft", {"year": "soon"})
        assert response.status_code == 422 and "year" in json.dumps(response.json())

    def test_a_key_already_taken_is_refused(self, client, records):
        response = send(
            as_persona(client, records, "editor"),
            "post",
            "/api/v1/agreements",
            {**NEW_AGREEMENT, "key": "a-private-draft"},
        )
        assert response.status_code == 400 and "key" in json.dumps(response.json()).lower()


class TestDeleting:
    def test_an_editor_deletes_a_record_with_its_parties_and_citations(self, client, records):
        from metrodiplomacy.evidence.models import Citation

        before = Citation.objects.count()
        response = as_persona(client, records, "editor").delete("/api/v1/agreements/a-private-draft")
        assert response.status_code == 204
        assert not Agreement.objects.filter(key="a-private-draft").exists()
        assert Citation.objects.count() == before - 1

    @pytest.mark.parametrize("persona,status", [("viewer", 403), ("outsider", 404), ("anonymous", 401)])
    def test_others_cannot_delete(self, client, records, persona, status):
        response = as_persona(client, records, persona).delete("/api/v1/agreements/a-private-draft")
        assert response.status_code == status
        assert Agreement.objects.filter(key="a-private-draft").exists()


class TestInitiativesAndEngagements:
    def test_an_editor_creates_an_initiative_and_an_engagement_with_their_references(self, client, records):
        as_persona(client, records, "editor")
        initiative = send(
            client,
            "post",
            "/api/v1/initiatives",
            {
                "key": "a-programme",
                "name": "Exchange programme",
                "lead": "org-a",
                "places": ["example-city"],
                "policy_areas": ["economic"],
            },
        )
        assert initiative.status_code == 201, initiative.content
        assert initiative.json()["places"] == ["example-city"] and initiative.json()["lead"] == "org-a"
        engagement = send(
            client,
            "post",
            "/api/v1/engagements",
            {
                "key": "a-mission",
                "kind": "outgoing_mission",
                "title": "Mission",
                "organisation": "org-a",
                "date": "2021-05-04",
            },
        )
        assert engagement.status_code == 201, engagement.content
        assert engagement.json()["date"] == "2021-05-04"
        changed = send(client, "patch", "/api/v1/initiatives/a-programme", {"places": []})
        assert changed.json()["places"] == []

    def test_a_partner_private_to_another_organisation_is_refused(self, client, records):
        as_persona(client, records, "editor")
        response = send(
            client, "post", "/api/v1/initiatives", {"key": "a-programme", "name": "P", "partners": ["org-c"]}
        )
        assert response.status_code == 400 and "partners" in response.json()["detail"]
        response = send(
            client,
            "post",
            "/api/v1/engagements",
            {"key": "a-visit", "kind": "fair", "title": "F", "organisation": "org-c"},
        )
        assert response.status_code == 400 and "organisation" in response.json()["detail"]
        assert not Initiative.objects.exists() and not Engagement.objects.exists()


class TestCitations:
    CITATION = {"source": "a-source", "section": "Chapter 2", "line_start": 10, "line_end": 12, "note": "Says so."}

    def test_an_editor_cites_a_source_for_a_record_and_withdraws_it(self, client, records):
        as_persona(client, records, "editor")
        response = send(client, "post", "/api/v1/agreements/a-public-draft/citations", self.CITATION)
        assert response.status_code == 201, response.content
        assert response.json()["locator"] == "Chapter 2, lines 10–12"
        citations = client.get("/api/v1/agreements/a-public-draft").json()["citations"]
        assert len(citations) == 2
        removed = client.delete(f"/api/v1/agreements/a-public-draft/citations/{response.json()['id']}")
        assert removed.status_code == 204
        assert len(client.get("/api/v1/agreements/a-public-draft").json()["citations"]) == 1

    def test_a_source_private_to_another_organisation_cannot_be_cited(self, client, records):
        response = send(
            as_persona(client, records, "editor"),
            "post",
            "/api/v1/agreements/a-public-draft/citations",
            {**self.CITATION, "source": "c-source"},
        )
        assert response.status_code == 400 and "source" in response.json()["detail"]

    @pytest.mark.parametrize("persona,status", [("viewer", 403), ("outsider", 404), ("anonymous", 401)])
    def test_only_editors_of_the_owner_cite(self, client, records, persona, status):
        response = send(
            as_persona(client, records, persona), "post", "/api/v1/agreements/a-private-draft/citations", self.CITATION
        )
        assert response.status_code == status

    def test_a_citation_with_its_lines_in_the_wrong_order_is_refused(self, client, records):
        response = send(
            as_persona(client, records, "editor"),
            "post",
            "/api/v1/agreements/a-public-draft/citations",
            {**self.CITATION, "line_start": 12, "line_end": 10},
        )
        assert response.status_code == 400


def test_the_token_commands_create_a_working_token_and_revoke_it(client, records):
    from typer.testing import CliRunner

    from metrodiplomacy.cli import app

    runner = CliRunner()
    created = runner.invoke(
        app, ["token", "create", "editor", "--name", "sync", "--read-only", "--organisation", "org-a"]
    )
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("mdp_")
    assert client.get("/api/v1/agreements/a-private-draft", **bearer(token)).status_code == 200
    assert (
        send(client, "patch", "/api/v1/agreements/a-private-draft", {"title": "x"}, **bearer(token)).status_code == 403
    )
    listed = runner.invoke(app, ["token", "list", "editor"])
    assert "sync" in listed.output and token not in listed.output
    assert runner.invoke(app, ["token", "revoke", "editor", "--name", "sync"]).exit_code == 0
    assert client.get("/api/v1/agreements", **bearer(token)).status_code == 401
    refused = runner.invoke(app, ["token", "create", "editor", "--name", "x", "--organisation", "org-c"])
    assert refused.exit_code == 1 and "not a member" in refused.output
