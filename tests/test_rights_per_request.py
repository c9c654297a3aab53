"""Rights are read on every request: a new role, a removal or a disabled account counts from the next request,
and rights that need a second factor are not used by a session until a code has been given in it."""

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from metrodiplomacy.diplomacy.models import Initiative
from metrodiplomacy.workspaces.models import ApiToken, Membership
from tests.mfa_helpers import code_for, enrol
from tests.personas import PASSWORD, build_cast

SIGN_IN = "/workspace/accounts/login/"
CODE = "/workspace/accounts/code/"
ENROL = "/workspace/accounts/enrol/"
DASHBOARD = "/workspace/"
NEW_INITIATIVE_PAGE = "/workspace/initiatives/new/"
SECURITY = "/workspace/accounts/security/"


def signed_in_with_the_password(username: str) -> Client:
    """A browser that gave the password, and only the password (a viewer is not asked for a code)."""
    client = Client()
    response = client.post(SIGN_IN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert SESSION_KEY in client.session
    return client


def promote(user, role: str = "editor") -> None:
    Membership.objects.filter(user=user).update(role=role)


def api_create(client, key: str, **extra):
    payload = json.dumps({"key": key, "name": f"Initiative {key}"})
    return client.post("/api/v1/initiatives", data=payload, content_type="application/json", **extra)


def form_create(client, key: str):
    return client.post(
        NEW_INITIATIVE_PAGE, {"key": key, "owner": "org-a", "visibility": "private", "name": f"Initiative {key}"}
    )


@pytest.fixture
def cast(db, django_user_model):
    """The seven personas of tests/personas.py."""
    return build_cast(django_user_model)


@pytest.fixture
def private_initiative_of_a(cast):
    return Initiative.objects.create(key="a-private-initiative", name="Private of A", owner=cast.organisations["a"])


# A promotion needs a code in the session before it counts -----------------------------------------------------


def test_a_viewer_promoted_to_editor_cannot_write_through_the_api_with_the_old_session_until_a_code_is_given(cast):
    device, _ = enrol(cast.users["viewer_a"])
    client = signed_in_with_the_password("viewer_a")
    promote(cast.users["viewer_a"])

    refused = api_create(client, "promoted-by-api")
    assert refused.status_code == 401
    assert not Initiative.objects.filter(key="promoted-by-api").exists()

    # Back at the code step, where the code signs the session in with its new rights.
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == CODE
    response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert api_create(client, "promoted-by-api").status_code == 201


def test_a_viewer_promoted_to_editor_cannot_write_through_a_form_with_the_old_session_until_a_code_is_given(cast):
    device, _ = enrol(cast.users["viewer_a"])
    client = signed_in_with_the_password("viewer_a")
    promote(cast.users["viewer_a"])

    refused = form_create(client, "promoted-by-form")
    assert refused.status_code == 302 and refused["Location"] == CODE
    assert not Initiative.objects.filter(key="promoted-by-form").exists()
    assert SESSION_KEY not in client.session

    response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302
    done = form_create(client, "promoted-by-form")
    assert done.status_code == 302 and Initiative.objects.filter(key="promoted-by-form").exists()


def test_an_htmx_request_of_a_promoted_session_loads_the_code_step_as_a_whole_page(cast):
    enrol(cast.users["viewer_a"])
    client = signed_in_with_the_password("viewer_a")
    promote(cast.users["viewer_a"])
    response = client.get(DASHBOARD, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == CODE and SESSION_KEY not in client.session


def test_a_promoted_viewer_without_an_authenticator_gives_the_password_again_and_then_enrols(cast):
    client = signed_in_with_the_password("viewer_a")
    promote(cast.users["viewer_a"], "admin")

    response = client.get(NEW_INITIATIVE_PAGE)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN + "?next=")
    assert "initiatives" in response["Location"]
    assert SESSION_KEY not in client.session
    # The cookie alone does not open the enrolment: whoever holds it must know the password too.
    assert client.get(ENROL).status_code == 302
    response = client.post(SIGN_IN, {"username": "viewer_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == ENROL


def test_a_session_made_staff_reads_nothing_more_before_a_code(cast):
    from metrodiplomacy.diplomacy.models import Initiative

    Initiative.objects.create(key="c-private-initiative", name="Private of C", owner=cast.organisations["c"])
    client = signed_in_with_the_password("viewer_a")
    type(cast.users["viewer_a"]).objects.filter(pk=cast.users["viewer_a"].pk).update(is_staff=True)

    assert client.get("/api/v1/initiatives/c-private-initiative").status_code == 404
    assert client.get("/admin/").status_code == 302


def test_a_token_made_without_a_second_factor_is_read_only_and_stays_so_after_a_promotion(cast):
    client = signed_in_with_the_password("viewer_a")
    response = client.post(SECURITY + "tokens/", {"name": "viewer script"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.users["viewer_a"], name="viewer script")
    assert token.read_only
    secret = response.content.decode().split('class="token-value">')[1].split("<")[0]

    promote(cast.users["viewer_a"])
    refused = api_create(Client(), "by-an-old-viewer-token", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 403
    assert not Initiative.objects.filter(key="by-an-old-viewer-token").exists()


# A demotion, a removal or a disabled account counts on the next request ------------------------------------------


def test_a_demoted_editors_old_session_cannot_write_on_the_next_request(cast):
    client = cast.client_for("editor_a")
    assert api_create(client, "before-demotion").status_code == 201
    promote(cast.users["editor_a"], "viewer")

    assert api_create(client, "after-demotion-api").status_code == 403
    assert form_create(client, "after-demotion-form").status_code in {400, 403}
    assert not Initiative.objects.filter(key__startswith="after-demotion").exists()


def test_a_removed_members_session_reads_nothing_of_the_organisation_on_the_next_request(cast, private_initiative_of_a):
    client = cast.client_for("viewer_a")
    assert client.get("/api/v1/initiatives/a-private-initiative").status_code == 200
    assert client.get("/workspace/initiatives/a-private-initiative/history/").status_code == 200
    Membership.objects.filter(user=cast.users["viewer_a"]).delete()

    assert client.get("/api/v1/initiatives/a-private-initiative").status_code == 404
    assert "a-private-initiative" not in client.get("/api/v1/initiatives").content.decode()
    assert client.get("/workspace/initiatives/a-private-initiative/history/").status_code == 404


def test_a_disabled_users_session_and_tokens_stop_working_on_the_next_request(cast, private_initiative_of_a):
    from metrodiplomacy.workspaces.services import create_token

    user = cast.users["editor_a"]
    client = cast.client_for("editor_a")
    token = create_token(user, "nightly")[1]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/initiatives/a-private-initiative").status_code == 200
    assert Client().get("/api/v1/initiatives/a-private-initiative", **bearer).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)

    assert client.get("/api/v1/initiatives/a-private-initiative").status_code == 404
    assert api_create(client, "by-a-disabled-session").status_code == 401
    assert client.get(DASHBOARD).status_code == 302
    assert Client().get("/api/v1/initiatives/a-private-initiative", **bearer).status_code == 401
    assert api_create(Client(), "by-a-disabled-token", **bearer).status_code == 401
    assert not Initiative.objects.filter(key__startswith="by-a-disabled").exists()
