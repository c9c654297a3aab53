"""The account area: identical answers at sign-in, sessions at sign-out and password change, re-authentication
before security changes, and the security settings page (password, email, second factor, API tokens)."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from metrodiplomacy.accounts import steps
from metrodiplomacy.workspaces.models import ApiToken
from metrodiplomacy.workspaces.services import create_token, hash_token
from tests.mfa_helpers import code_for, enrol
from tests.personas import PASSWORD, build_cast


@pytest.fixture
def cast(db, django_user_model):
    """The seven personas of tests/personas.py."""
    return build_cast(django_user_model)


SIGN_IN = "/workspace/accounts/login/"
SECURITY = "/workspace/accounts/security/"
CONFIRM = "/workspace/accounts/confirm/"


def without_tokens(html: str, *words: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    for word in words:
        html = html.replace(word, "NAME")
    return html


def confirmed_client(cast, persona):
    """A client signed in as the persona who has just confirmed their password (and code, when enrolled)."""
    client = cast.client_for(persona)
    device = TOTPDevice.objects.filter(user=cast.users[persona], confirmed=True).first()
    data = {"password": PASSWORD}
    if device is not None:
        data["code"] = code_for(device, steps_ahead=1)
    assert client.post(CONFIRM, data).status_code == 302
    return client


# Sign-in answers ---------------------------------------------------------------------------------------------


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(cast, client):
    unknown = client.post(SIGN_IN, {"username": "nobody_xy", "password": "wrong-password"})
    wrong = client.post(SIGN_IN, {"username": "editor_a", "password": "wrong-password"})
    assert unknown.status_code == wrong.status_code == 200
    assert without_tokens(unknown.content.decode(), "nobody_xy") == without_tokens(wrong.content.decode(), "editor_a")


def test_an_unknown_user_costs_a_password_hash_like_a_known_one(cast, client, monkeypatch):
    # Timing equality comes from doing the same work: Django's ModelBackend hashes for unknown users too.
    from django.contrib.auth.hashers import get_hasher

    hasher_class = type(get_hasher())
    calls = []
    original = hasher_class.encode
    monkeypatch.setattr(
        hasher_class, "encode", lambda self, *args, **kw: calls.append(1) or original(self, *args, **kw)
    )
    client.post(SIGN_IN, {"username": "nobody_xy", "password": "wrong-password"})
    unknown = len(calls)
    calls.clear()
    client.post(SIGN_IN, {"username": "editor_a", "password": "wrong-password"})
    assert unknown == len(calls) >= 1


# Sessions ----------------------------------------------------------------------------------------------------


def test_signing_out_deletes_the_session_and_the_old_cookie_stops_working(cast):
    client = cast.client_for("viewer_a")
    key = client.session.session_key
    assert client.post("/workspace/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key
    assert client.get("/workspace/").status_code == 302


def test_a_password_change_ends_other_sessions_and_keeps_this_one(cast):
    other = cast.client_for("viewer_a")
    client = confirmed_client(cast, "viewer_a")
    new = "a-much-longer-new-passphrase-42"
    response = client.post(
        SECURITY + "password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200
    assert other.get("/workspace/").status_code == 302
    cast.users["viewer_a"].refresh_from_db()
    assert cast.users["viewer_a"].check_password(new)


def test_a_weak_new_password_is_refused_with_a_reason(cast):
    client = confirmed_client(cast, "viewer_a")
    response = client.post(
        SECURITY + "password/", {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 400 and b"too short" in response.content
    cast.users["viewer_a"].refresh_from_db()
    assert cast.users["viewer_a"].check_password(PASSWORD)


# Re-authentication -------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(SECURITY)
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_the_security_page_asks_for_the_password_again_without_a_recent_sign_in(cast):
    client = cast.client_for("viewer_a")
    response = client.get(SECURITY)
    assert (
        response.status_code == 302 and response["Location"] == f"{CONFIRM}?next=%2Fworkspace%2Faccounts%2Fsecurity%2F"
    )
    assert client.post(CONFIRM, {"password": "wrong", "next": SECURITY}).status_code == 400
    response = client.post(CONFIRM, {"password": PASSWORD, "next": SECURITY})
    assert response["Location"] == SECURITY
    page = client.get(SECURITY)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"


def test_an_enrolled_editor_confirms_with_password_and_code(cast):
    device, _ = enrol(cast.users["editor_a"])
    client = cast.client_for("editor_a")
    assert client.post(CONFIRM, {"password": PASSWORD}).status_code == 400
    assert client.post(CONFIRM, {"password": PASSWORD, "code": "not-a-code"}).status_code == 400
    assert client.get(SECURITY).status_code == 302
    assert client.post(CONFIRM, {"password": PASSWORD, "code": code_for(device, steps_ahead=1)}).status_code == 302
    assert client.get(SECURITY).status_code == 200


def test_the_confirmation_lapses_after_ten_minutes(cast, monkeypatch):
    client = confirmed_client(cast, "viewer_a")
    assert client.get(SECURITY).status_code == 200
    later = time.time() + steps.REAUTHENTICATION_SECONDS + 1
    monkeypatch.setattr(steps.time, "time", lambda: later)
    assert client.get(SECURITY)["Location"].startswith(CONFIRM)


@override_settings(AXES_ENABLED=True)
def test_guessing_the_password_at_the_confirmation_page_is_throttled(cast):
    client = cast.client_for("viewer_a")
    for _ in range(5):
        client.post(CONFIRM, {"password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    response = client.post(CONFIRM, {"password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429 and not steps.recently_authenticated(client)


def test_the_confirmation_page_refuses_an_outside_next(cast):
    client = cast.client_for("viewer_a")
    response = client.post(CONFIRM, {"password": PASSWORD, "next": "//evil.example/"})
    assert response["Location"] == SECURITY


@pytest.mark.parametrize(
    "path, data",
    [
        ("email/", {"email": "new@example.org"}),
        (
            "password/",
            {"old_password": PASSWORD, "new_password1": "long-enough-pass-99", "new_password2": "long-enough-pass-99"},
        ),
        ("authenticator/off/", {}),
        ("recovery-codes/", {}),
        ("tokens/", {"name": "script", "read_only": "on"}),
    ],
)
def test_security_changes_without_a_recent_sign_in_are_refused_and_change_nothing(cast, path, data):
    user = cast.users["editor_a"]
    enrol(user)
    create_token(user, "existing")
    client = cast.client_for("editor_a")
    response = client.post(SECURITY + path, data)
    assert response.status_code == 302 and response["Location"].startswith(CONFIRM)
    user.refresh_from_db()
    assert user.email == "editor_a@example.org" and user.check_password(PASSWORD)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert list(ApiToken.objects.filter(user=user).values_list("name", flat=True)) == ["existing"]


def test_revoking_a_token_without_a_recent_sign_in_is_refused(cast):
    record, _ = create_token(cast.users["viewer_a"], "script")
    response = cast.client_for("viewer_a").post(f"{SECURITY}tokens/{record.pk}/revoke/")
    assert response["Location"].startswith(CONFIRM)
    record.refresh_from_db()
    assert record.revoked_at is None


def test_the_security_page_refuses_wrong_methods(cast):
    client = confirmed_client(cast, "viewer_a")
    assert client.get(SECURITY + "email/").status_code == 405
    assert client.post(SECURITY).status_code == 405


# Email -------------------------------------------------------------------------------------------------------


def test_a_confirmed_user_changes_their_email(cast):
    client = confirmed_client(cast, "viewer_a")
    assert client.post(SECURITY + "email/", {"email": "viewer.new@example.org"}).status_code == 302
    cast.users["viewer_a"].refresh_from_db()
    assert cast.users["viewer_a"].email == "viewer.new@example.org"


@pytest.mark.parametrize(
    "email, reason",
    [("not-an-email", "valid email"), ("editor_a@example.org", "Another account"), ("viewer_a@example.org", "already")],
)
def test_a_bad_new_email_is_refused_with_a_reason(cast, email, reason):
    client = confirmed_client(cast, "viewer_a")
    response = client.post(SECURITY + "email/", {"email": email})
    assert response.status_code == 400 and reason in response.content.decode()
    cast.users["viewer_a"].refresh_from_db()
    assert cast.users["viewer_a"].email == "viewer_a@example.org"


# Second factor -----------------------------------------------------------------------------------------------


def test_a_viewer_enrols_an_authenticator_from_the_security_page(cast):
    client = confirmed_client(cast, "viewer_a")
    page = client.get(SECURITY + "authenticator/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=cast.users["viewer_a"], confirmed=False)
    assert client.post(f"{SECURITY}authenticator/{device.pk}/", {"code": "12"}).status_code == 400
    response = client.post(f"{SECURITY}authenticator/{device.pk}/", {"code": code_for(device)})
    assert response.status_code == 200 and b"recovery" in response.content
    device.refresh_from_db()
    assert device.confirmed and StaticToken.objects.filter(device__user=cast.users["viewer_a"]).count() == 10


def test_new_recovery_codes_replace_the_old_ones(cast):
    _, old = enrol(cast.users["editor_a"])
    client = confirmed_client(cast, "editor_a")
    response = client.post(SECURITY + "recovery-codes/")
    new = set(StaticToken.objects.filter(device__user=cast.users["editor_a"]).values_list("token", flat=True))
    assert response.status_code == 200 and len(new) == 10 and not new & set(old)
    assert all(code in response.content.decode() for code in new)


def test_turning_off_the_second_factor_removes_the_devices_and_the_next_sign_in_asks_to_enrol(cast):
    enrol(cast.users["editor_a"])
    client = confirmed_client(cast, "editor_a")
    assert client.post(SECURITY + "authenticator/off/").status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.users["editor_a"]).exists()
    assert not StaticToken.objects.filter(device__user=cast.users["editor_a"]).exists()
    client.post("/workspace/accounts/logout/")
    response = client.post(SIGN_IN, {"username": "editor_a", "password": PASSWORD})
    assert response["Location"] == "/workspace/accounts/enrol/"


# API tokens --------------------------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_digest_is_kept(cast):
    client = confirmed_client(cast, "editor_a")
    response = client.post(SECURITY + "tokens/", {"name": "nightly export", "read_only": "on", "organisation": "org-a"})
    assert response.status_code == 200
    token = re.search(r'class="token-value">([^<]+)<', response.content.decode()).group(1)
    record = ApiToken.objects.get(user=cast.users["editor_a"], name="nightly export")
    assert record.token_hash == hash_token(token) and record.read_only and record.organisation.key == "org-a"
    assert token not in client.get(SECURITY).content.decode()
    api = cast.client_for("anonymous").get("/api/v1/agreements", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200


def test_a_token_cannot_be_limited_to_someone_elses_organisation(cast):
    client = confirmed_client(cast, "editor_a")
    response = client.post(SECURITY + "tokens/", {"name": "sneaky", "organisation": "org-c"})
    assert response.status_code == 400 and b"organisation" in response.content
    assert not ApiToken.objects.filter(name="sneaky").exists()


def test_a_duplicate_token_name_is_refused_with_a_reason(cast):
    create_token(cast.users["viewer_a"], "script")
    client = confirmed_client(cast, "viewer_a")
    response = client.post(SECURITY + "tokens/", {"name": "script"})
    assert response.status_code == 400 and b"already has a live token" in response.content


def test_a_user_revokes_their_own_token_but_not_another_persons(cast):
    mine, token = create_token(cast.users["viewer_a"], "mine")
    theirs, _ = create_token(cast.users["editor_c"], "theirs")
    client = confirmed_client(cast, "viewer_a")
    page = client.get(SECURITY).content.decode()
    assert "mine" in page and "theirs" not in page
    assert client.post(f"{SECURITY}tokens/{theirs.pk}/revoke/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.post(f"{SECURITY}tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    api = cast.client_for("anonymous").get("/api/v1/agreements", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 401


def test_signing_in_counts_as_a_recent_authentication(cast, client):
    client.post(SIGN_IN, {"username": "viewer_a", "password": PASSWORD})
    assert SESSION_KEY in client.session
    assert client.get(SECURITY).status_code == 200
