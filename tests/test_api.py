"""The read API under /api/v1/: what each persona sees, tokens, pagination, filters, docs and query counts."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests import api_fixtures
from tests.api_fixtures import STATES, agreement_key, bearer, token_for

records = api_fixtures.records  # the shared fixture

PERSONAS = ("owner", "editor", "viewer", "outsider", "anonymous")


def client_for(client, records, persona):
    if persona != "anonymous":
        client.force_login(records[persona])
    return client


def listed_keys(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["key"] for item in response.json()["items"]}


def test_anonymous_reads_only_published_public_records(client, records):
    assert listed_keys(client.get("/api/v1/agreements")) == {"a-public-published", "c-public-published"}


@pytest.mark.parametrize("persona", ["owner", "editor", "viewer"])
def test_members_read_everything_their_organisation_owns_and_only_public_records_of_others(client, records, persona):
    seen = listed_keys(client_for(client, records, persona).get("/api/v1/agreements"))
    assert seen == {agreement_key("a", v, p) for v, p in STATES} | {"c-public-published"}


def test_the_outsider_reads_its_own_records_and_the_other_organisations_public_ones(client, records):
    seen = listed_keys(client_for(client, records, "outsider").get("/api/v1/agreements"))
    assert seen == {agreement_key("c", v, p) for v, p in STATES} | {"a-public-published"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("visibility,publication", STATES)
def test_each_persona_gets_a_record_of_organisation_a_only_when_it_may_read_it(
    client, records, persona, visibility, publication
):
    response = client_for(client, records, persona).get(f"/api/v1/agreements/a-{visibility}-{publication}")
    member = persona in {"owner", "editor", "viewer"}
    public = (visibility, publication) == ("public", "published")
    assert response.status_code == (200 if member or public else 404)


def test_another_organisations_private_record_answers_exactly_like_a_missing_one(client, records):
    client_for(client, records, "outsider")
    private = client.get("/api/v1/agreements/a-private-published")
    missing = client.get("/api/v1/agreements/no-such-agreement")
    assert private.status_code == missing.status_code == 404
    assert private.content == missing.content
    assert private.headers["Content-Type"] == missing.headers["Content-Type"]


def test_a_detail_carries_owner_state_foreign_keys_as_keys_and_its_citations(client, records):
    body = client_for(client, records, "viewer").get("/api/v1/agreements/a-private-draft").json()
    assert body["owner"] == "org-a" and body["visibility"] == "private" and body["publication"] == "draft"
    assert body["policy_areas"] == ["economic"]
    assert {"place": "example-city", "organisation": None} in body["parties"]
    assert {"place": None, "organisation": "org-a"} in body["parties"]
    assert body["updated_at"]
    [citation] = body["citations"]
    assert citation["source"] == "a-source" and citation["locator"] == "Annex, line 1"
    assert "id" not in body


def test_a_citation_from_a_source_the_reader_cannot_see_is_left_out_of_the_detail(client, records):
    from metrodiplomacy.evidence.models import Source

    Source.objects.filter(key="c-source").update(visibility="private")
    Source.objects.filter(key="a-source").update(visibility="public", publication="published")
    # The outsider reads A's public agreement (cited from A's now public source) and C's own (C's private source).
    client_for(client, records, "outsider")
    assert client.get("/api/v1/agreements/a-public-published").json()["citations"][0]["source"] == "a-source"
    Source.objects.filter(key="a-source").update(visibility="private")
    assert client.get("/api/v1/agreements/a-public-published").json()["citations"] == []


def test_the_citation_list_shows_only_citations_of_readable_records_from_readable_sources(client, records):
    from metrodiplomacy.evidence.models import Source

    Source.objects.update(visibility="public", publication="published")
    records_cited = {item["record"] for item in client.get("/api/v1/citations").json()["items"]}
    assert records_cited == {"a-public-published", "c-public-published"}


class TestTokens:
    def test_a_token_reads_as_its_user(self, client, records):
        token = token_for(records["viewer"])
        seen = listed_keys(client.get("/api/v1/agreements", **bearer(token)))
        assert "a-private-draft" in seen

    def test_a_wrong_token_is_refused_with_401_rather_than_read_as_anonymous(self, client, records):
        response = client.get("/api/v1/agreements", **bearer("mdp_not-a-token"))
        assert response.status_code == 401

    def test_a_revoked_token_stops_working(self, client, records):
        from metrodiplomacy.workspaces.services import revoke_token

        token = token_for(records["viewer"], name="nightly")
        revoke_token(records["viewer"], "nightly")
        assert client.get("/api/v1/agreements", **bearer(token)).status_code == 401

    def test_only_the_digest_of_the_token_is_stored_and_its_use_is_recorded(self, client, records):
        import hashlib

        from metrodiplomacy.workspaces.models import ApiToken

        token = token_for(records["viewer"])
        stored = ApiToken.objects.get()
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {stored.token_hash, stored.prefix, stored.name}
        assert stored.last_used_at is None
        client.get("/api/v1/agreements", **bearer(token))
        stored.refresh_from_db()
        assert stored.last_used_at is not None

    def test_a_token_of_an_inactive_user_is_refused(self, client, records):
        token = token_for(records["viewer"])
        records["viewer"].is_active = False
        records["viewer"].save()
        assert client.get("/api/v1/agreements", **bearer(token)).status_code == 401

    def test_a_token_scoped_to_one_organisation_reads_only_as_that_organisation(self, client, records):
        from metrodiplomacy.workspaces.models import Membership

        both = records["owner"]
        Membership.objects.create(user=both, organisation=records["org_c"], role="admin")
        unscoped = listed_keys(client.get("/api/v1/agreements", **bearer(token_for(both, name="all"))))
        assert {"a-private-draft", "c-private-draft"} <= unscoped
        scoped = token_for(both, name="c-only", organisation=records["org_c"])
        seen = listed_keys(client.get("/api/v1/agreements", **bearer(scoped)))
        assert seen == {agreement_key("c", v, p) for v, p in STATES} | {"a-public-published"}
        assert client.get("/api/v1/agreements/a-private-draft", **bearer(scoped)).status_code == 404

    def test_a_token_cannot_be_scoped_to_an_organisation_its_user_is_not_a_member_of(self, records):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="not a member"):
            token_for(records["viewer"], organisation=records["org_c"])


class TestPaginationAndFilters:
    def test_a_page_holds_at_most_limit_items_and_count_gives_the_total(self, client, records):
        client_for(client, records, "owner")
        first = client.get("/api/v1/agreements?limit=2").json()
        second = client.get("/api/v1/agreements?limit=2&offset=2").json()
        assert first["count"] == second["count"] == 7
        assert len(first["items"]) == len(second["items"]) == 2
        assert not {i["key"] for i in first["items"]} & {i["key"] for i in second["items"]}
        assert client.get("/api/v1/agreements?offset=100").json()["items"] == []

    @pytest.mark.parametrize("limit", ["0", "501", "-1", "many"])
    def test_a_limit_outside_one_to_five_hundred_is_refused_naming_limit(self, client, records, limit):
        response = client.get(f"/api/v1/agreements?limit={limit}")
        assert response.status_code == 422
        assert "limit" in str(response.json())

    def test_the_largest_page_is_accepted(self, client, records):
        assert client.get("/api/v1/agreements?limit=500").status_code == 200

    def test_documented_filters_narrow_the_list(self, client, records):
        client_for(client, records, "owner")
        assert len(listed_keys(client.get("/api/v1/agreements?kind=twinning"))) == 6
        assert listed_keys(client.get("/api/v1/agreements?year=2015")) == {"c-public-published"}
        assert len(listed_keys(client.get("/api/v1/agreements?place=example-city&policy_area=economic"))) == 7
        assert listed_keys(client.get("/api/v1/agreements?organisation=org-c")) == {"c-public-published"}
        assert listed_keys(client.get("/api/v1/agreements?policy_area=security")) == set()

    @pytest.mark.parametrize("query", ["owner__key=org-a", "visibility=private", "title__icontains=a", "kind__in=x"])
    def test_an_undocumented_filter_is_refused_with_400_naming_it(self, client, records, query):
        response = client.get(f"/api/v1/agreements?{query}")
        assert response.status_code == 400
        assert query.split("=")[0] in response.json()["detail"]


@pytest.mark.parametrize(
    "method,path",
    [
        ("put", "/api/v1/agreements"),
        ("put", "/api/v1/agreements/a-public-published"),
        ("post", "/api/v1/places"),
        ("delete", "/api/v1/places/example-city"),
        ("patch", "/api/v1/places/example-city"),
        ("post", "/api/v1/citations"),
    ],
)
def test_a_wrong_method_answers_405(client, records, method, path):
    client_for(client, records, "owner")
    assert getattr(client, method)(path, content_type="application/json").status_code == 405


def test_the_docs_page_loads_only_local_assets_and_no_inline_script(client, db):
    from django.conf import settings

    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references and all(ref.startswith("/static/") for ref in references)
    for ref in references:
        assert finders.find(ref.removeprefix("/static/")), ref
    # The only inline <script> is a JSON data block, which script-src does not govern.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    assert "http://" not in html and "https://" not in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]


def test_the_openapi_document_lists_every_route_and_no_outside_host(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["version"] == "1"
    for path in ("/api/v1/agreements", "/api/v1/agreements/{key}", "/api/v1/places", "/api/v1/citations"):
        assert path in document["paths"]
    assert set(document["paths"]["/api/v1/agreements"]) == {"get", "post"}
    assert {"patch", "delete", "get"} == set(document["paths"]["/api/v1/agreements/{key}"])
    assert "servers" not in document or all(not s["url"].startswith("http") for s in document["servers"])


LIST_PATHS = [
    "places",
    "statistics",
    "ranking-positions",
    "organisations",
    "units",
    "sources",
    "citations",
    "case-studies",
    "reliance-codings",
    "classification-codings",
    "surveys",
    "survey-results",
    "agreements",
    "network-memberships",
    "hostings",
    "initiatives",
    "engagements",
    "cooperation-projects",
    "strategies",
    "indicators",
    "observations",
    "accountability-reports",
    "coordination-mechanisms",
]


def test_every_list_answers_the_bundled_case_studies_in_a_bounded_number_of_queries(
    client, casestudies, django_assert_max_num_queries
):
    """Count, page and one query per prefetched relation: never one per row (500 rows a page)."""
    for path in LIST_PATHS:
        # citations: one prefetch query per cited model (GenericForeignKey) on top of the visibility gate.
        # cooperation projects: also their sectors, goals, budgets and results (IATI), one query each.
        bound = {"citations": 40, "cooperation-projects": 11}.get(path, 7)
        with django_assert_max_num_queries(bound):
            response = client.get(f"/api/v1/{path}?limit=500")
        assert response.status_code == 200, path
        body = response.json()
        assert body["count"] > 0, path
        assert len(body["items"]) == min(body["count"], 500), path
        first = body["items"][0]
        key = first.get("key", first.get("id"))
        assert client.get(f"/api/v1/{path}/{key}").status_code == 200, path


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_agreement_list_costs_the_same_queries_whoever_reads_it(
    client, records, persona, django_assert_max_num_queries
):
    client_for(client, records, persona)
    # session and user (signed in), memberships and workspace partners, count, page, two prefetches
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/agreements").status_code == 200


def test_every_route_of_the_api_is_documented_in_docs_api_md(client, db):
    from pathlib import Path

    text = (Path(__file__).parent.parent / "docs" / "api.md").read_text()
    writes = text[text.index("## Writes") : text.index("## Errors")]
    for path, operations in client.get("/api/v1/openapi.json").json()["paths"].items():
        segment = path.removeprefix("/api/v1/").split("/")[0]
        assert f"`/{segment}`" in text, path
        for method in set(operations) - {"get"}:
            assert f"{method.upper()} " in writes and f"/{segment}" in writes, (method, path)
