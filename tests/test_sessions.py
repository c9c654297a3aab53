"""Sessions end when idle and after a fixed lifetime; answers to signed-in callers are never cached."""

import time

import pytest
from django.test import override_settings

from metrodiplomacy import sessions

DASHBOARD = "/workspace/"


def sign_in(client, personas):
    client.force_login(personas["editor"])
    assert client.get(DASHBOARD).status_code == 200


REAL_TIME = time.time


def shift_clock(monkeypatch, seconds):
    monkeypatch.setattr(sessions.time, "time", lambda: REAL_TIME() + seconds)


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client, personas, monkeypatch):
    sign_in(client, personas)
    shift_clock(monkeypatch, 3601)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_active_session_still_ends_at_its_absolute_lifetime(client, personas, monkeypatch):
    sign_in(client, personas)
    with override_settings(SESSION_IDLE_SECONDS=10**9):
        shift_clock(monkeypatch, 12 * 3600 + 1)
        response = client.get(DASHBOARD)
    assert response.status_code == 302


def test_activity_within_the_idle_limit_keeps_the_session(client, personas, monkeypatch):
    sign_in(client, personas)
    for minutes in (50, 100, 150):
        shift_clock(monkeypatch, minutes * 60)
        assert client.get(DASHBOARD).status_code == 200


@pytest.mark.parametrize("path", [DASHBOARD, "/api/v1/agreements", "/"])
def test_nothing_answered_to_a_signed_in_user_is_cached(client, personas, path):
    client.force_login(personas["editor"])
    assert client.get(path)["Cache-Control"] == "private, no-store"


def test_public_pages_for_anonymous_readers_may_be_cached(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
