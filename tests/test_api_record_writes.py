"""Every record kind is written through the API with the workspace's services, and refused as they refuse."""

import json

import pytest

from metrodiplomacy.actors.models import Organisation, Unit
from metrodiplomacy.diplomacy.models import NetworkMembership
from metrodiplomacy.places.models import Statistic
from metrodiplomacy.workspaces.kinds import KINDS
from tests import api_fixtures
from tests.api_fixtures import bearer, token_for

records = api_fixtures.records  # the shared fixture

NEW_UNIT = {
    "key": "unit-a",
    "organisation": "org-a",
    "name": "International relations office",
    "specialty": "international_relations",
    "staff": 12,
    "budget": "1.5",
    "budget_scale": "million",
    "budget_currency": "EUR",
    "budget_year": 2024,
}


def send(client, method, path, payload=None, **extra):
    return getattr(client, method)(path, data=json.dumps(payload or {}), content_type="application/json", **extra)


# Kinds edited in the workspace that the API does not serve yet (a known gap, issue #6's note): a new kind must
# either get its read endpoints (and so its writes) or be named here.
NOT_IN_API = {"strategy-axes", "objectives", "externalities", "mitigation-measures"}


def test_every_record_kind_of_the_workspace_can_be_created_changed_and_deleted_through_the_api(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {slug for slug in KINDS if f"/api/v1/{slug}" not in paths} == NOT_IN_API
    for slug in set(KINDS) - NOT_IN_API:
        assert "post" in paths[f"/api/v1/{slug}"], slug
        assert {"patch", "delete"} <= set(paths[f"/api/v1/{slug}/{{key}}"]), slug


def test_the_input_schema_names_the_allowed_values_of_a_choice(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    specialty = schemas["UnitCreate"]["properties"]["specialty"]["description"]
    assert "international_relations" in specialty and "economic_promotion" in specialty


def test_an_editor_creates_a_unit_with_typed_values(client, records):
    client.force_login(records["editor"])
    response = send(client, "post", "/api/v1/units", NEW_UNIT)
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(key="unit-a")
    assert (unit.owner, unit.staff, str(unit.budget), unit.visibility) == (records["org_a"], 12, "1.5000", "private")
    assert unit.history.first().history_user == records["editor"]


def test_a_wrong_value_is_refused_naming_the_field_and_nothing_is_written(client, records):
    client.force_login(records["editor"])
    response = send(client, "post", "/api/v1/units", {**NEW_UNIT, "specialty": "espionage"})
    assert response.status_code == 400
    assert "specialty" in json.dumps(response.json())
    assert not Unit.objects.filter(key="unit-a").exists()


def test_a_reference_to_another_organisations_private_record_is_refused(client, records):
    Organisation.objects.filter(pk=records["org_c"].pk).update(visibility="private")
    client.force_login(records["editor"])
    response = send(client, "post", "/api/v1/units", {**NEW_UNIT, "organisation": "org-c"})
    assert response.status_code == 400
    assert "organisation" in json.dumps(response.json())
    assert not Unit.objects.exists()


@pytest.mark.parametrize("persona,status", [("viewer", 403), ("outsider", 404), ("anonymous", 401)])
def test_only_editors_of_the_owner_change_or_delete_a_unit(client, records, persona, status):
    Unit.objects.create(
        key="unit-a", owner=records["org_a"], organisation=records["org_a"], name="Office", specialty="cooperation"
    )
    if persona != "anonymous":
        client.force_login(records[persona])
    assert send(client, "patch", "/api/v1/units/unit-a", {"name": "Renamed"}).status_code == status
    assert send(client, "delete", "/api/v1/units/unit-a").status_code == status
    assert Unit.objects.get(key="unit-a").name == "Office"


def test_a_patch_changes_only_the_fields_sent(client, records):
    Statistic.objects.create(
        key="stat-a",
        owner=records["org_a"],
        place=records["city"],
        metric="population",
        year=2010,
        value=5,
        unit="people",
    )
    client.force_login(records["editor"])
    response = send(client, "patch", "/api/v1/statistics/stat-a", {"value": "6.5"})
    assert response.status_code == 200, response.content
    statistic = Statistic.objects.get(key="stat-a")
    assert (str(statistic.value), statistic.year, statistic.metric) == ("6.5000", 2010, "population")


def test_a_network_membership_is_written_with_its_roles(client, records):
    Organisation.objects.create(key="net-a", owner=records["org_a"], name="Network", kind="city_network")
    client.force_login(records["owner"])
    payload = {"key": "seat-a", "network": "net-a", "member": "org-a", "roles": [{"role": "presidency", "year": 2012}]}
    assert send(client, "post", "/api/v1/network-memberships", payload).status_code == 201
    membership = NetworkMembership.objects.get(key="seat-a")
    assert [(role.role, role.year) for role in membership.roles.all()] == [("presidency", 2012)]
    response = send(client, "patch", "/api/v1/network-memberships/seat-a", {"roles": [{"role": "member"}]})
    assert response.json()["roles"] == [{"role": "member", "year": None}]


def test_a_read_only_token_writes_nothing(client, records):
    token = token_for(records["editor"], read_only=True)
    assert send(client, "post", "/api/v1/units", NEW_UNIT, **bearer(token)).status_code == 403
    assert not Unit.objects.exists()
