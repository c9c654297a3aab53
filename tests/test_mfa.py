"""Two-step sign-in: editors, admins and staff give a code from an authenticator before their session exists."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrodiplomacy.accounts import services, steps
from tests.mfa_helpers import code_for, enrol
from tests.personas import PASSWORD, build_cast


@pytest.fixture
def cast(db, django_user_model):
    """The seven personas of tests/personas.py."""
    return build_cast(django_user_model)


SIGN_IN = "/workspace/accounts/login/"
CODE = "/workspace/accounts/code/"
ENROL = "/workspace/accounts/enrol/"
DASHBOARD = "/workspace/"


def password_step(client, username, **extra):
    return client.post(SIGN_IN, {"username": username, "password": PASSWORD, **extra})


def is_signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_a_viewer_is_signed_in_with_the_password_alone(cast, client):
    response = password_step(client, "viewer_a")
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert is_signed_in(client)


@pytest.mark.parametrize("persona", ["editor_a", "admin_a", "staff"])
def test_someone_who_can_change_data_is_not_signed_in_until_a_code_is_accepted(cast, client, persona):
    device, _ = enrol(cast.users[persona])
    response = password_step(client, persona)
    assert response.status_code == 302 and response["Location"] == CODE
    assert not is_signed_in(client)
    assert client.get(DASHBOARD).status_code == 302
    response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert is_signed_in(client) and client.get(DASHBOARD).status_code == 200


def test_a_wrong_code_leaves_the_editor_signed_out(cast, client):
    device, _ = enrol(cast.users["editor_a"])
    password_step(client, "editor_a")
    wrong = f"{(int(code_for(device, steps_ahead=1)) + 1) % 10**6:06d}"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 400 and b"not valid" in response.content
    assert not is_signed_in(client)


def test_an_editor_without_an_authenticator_enrols_before_the_session_is_created(cast, client):
    response = password_step(client, "editor_a")
    assert response.status_code == 302 and response["Location"] == ENROL
    page = client.get(ENROL)
    assert page.status_code == 200 and b"<svg" in page.content and b"<script" not in page.content.split(b"<main")[1]
    assert not is_signed_in(client)
    device = TOTPDevice.objects.get(user=cast.users["editor_a"], confirmed=False)
    assert client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"}).status_code == 400
    assert not is_signed_in(client)
    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 200 and is_signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    codes = StaticToken.objects.filter(device__user=cast.users["editor_a"]).values_list("token", flat=True)
    assert len(codes) == services.RECOVERY_CODE_COUNT and all(code in response.content.decode() for code in codes)


def test_an_authenticator_code_is_accepted_only_once(cast, client):
    device, _ = enrol(cast.users["editor_a"])
    code = code_for(device, steps_ahead=1)
    password_step(client, "editor_a")
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post("/workspace/accounts/logout/")
    password_step(client, "editor_a")
    response = client.post(CODE, {"code": code})
    assert response.status_code == 400 and not is_signed_in(client)


def test_a_recovery_code_signs_in_once_and_is_then_gone(cast, client):
    _, codes = enrol(cast.users["editor_a"])
    password_step(client, "editor_a")
    # As printed on paper: spaced and in capitals still counts.
    spaced = " ".join([codes[0][:4].upper(), codes[0][4:].upper()])
    assert client.post(CODE, {"code": spaced}).status_code == 302 and is_signed_in(client)
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post("/workspace/accounts/logout/")
    password_step(client, "editor_a")
    assert client.post(CODE, {"code": codes[0]}).status_code == 400 and not is_signed_in(client)
    assert client.post(CODE, {"code": codes[1]}).status_code == 302


def test_the_code_step_cools_off_after_five_wrong_codes_and_then_opens_again(cast, client):
    from django.conf import settings
    from django.utils import timezone

    device, _ = enrol(cast.users["editor_a"])
    password_step(client, "editor_a")
    right = code_for(device, steps_ahead=1)
    for wrong in range(services.CODE_FAILURE_LIMIT):
        client.post(CODE, {"code": f"{(int(right) + 1 + wrong) % 10**6:06d}"})
    locked = client.post(CODE, {"code": right})
    assert locked.status_code == 429 and not is_signed_in(client)
    # Not forever: once the failures are older than the cool-off, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - settings.AXES_COOLOFF_TIME * 2
    )
    response = client.post(CODE, {"code": right})
    assert response.status_code == 302 and is_signed_in(client)


def test_the_session_key_changes_at_sign_in(cast, client):
    device, _ = enrol(cast.users["editor_a"])
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    password_step(client, "editor_a")
    halfway = client.session.session_key
    client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    after = client.session.session_key
    assert len({before, halfway, after}) == 3


def test_a_password_step_left_unfinished_must_be_done_again(cast, client, monkeypatch):
    device, _ = enrol(cast.users["editor_a"])
    password_step(client, "editor_a")
    later = time.time() + steps.PENDING_SECONDS + 1
    monkeypatch.setattr(steps.time, "time", lambda: later)
    response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == SIGN_IN and not is_signed_in(client)


def test_the_code_step_without_a_password_step_sends_back_to_sign_in(client, db):
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.get(ENROL)["Location"] == SIGN_IN


def test_next_within_the_site_is_followed_through_the_code_step(cast, client):
    device, _ = enrol(cast.users["editor_a"])
    password_step(client, "editor_a", next="/workspace/agreements/")
    response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response["Location"] == "/workspace/agreements/"


HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "\\\\evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_an_outside_next_is_refused_after_the_password(cast, client, hostile):
    response = client.post(f"{SIGN_IN}?next={hostile}", {"username": "viewer_a", "password": PASSWORD, "next": hostile})
    assert response.status_code == 302 and response["Location"] == DASHBOARD


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_an_outside_next_is_refused_after_the_code(cast, client, hostile):
    device, _ = enrol(cast.users["editor_a"])
    password_step(client, "editor_a", next=hostile)
    response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == DASHBOARD


def test_staff_signing_in_at_the_admin_also_give_a_code(cast, client):
    device, _ = enrol(cast.users["staff"])
    response = client.post("/admin/login/?next=/admin/", {"username": "staff", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == CODE and not is_signed_in(client)
    response = client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert response["Location"] == "/admin/" and client.get("/admin/").status_code == 200


@override_settings(AXES_ENABLED=True)
def test_wrong_passwords_before_the_code_step_are_throttled_too(cast, client):
    enrol(cast.users["editor_a"])
    for _ in range(5):
        client.post(SIGN_IN, {"username": "editor_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(SIGN_IN, {"username": "editor_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429 and SESSION_KEY not in client.session
    assert steps.PENDING_USER not in client.session
