"""Feed secrets (issue #15, class 6): calendar feeds take their own read-only, revocable secrets, never an API
token, and no log line holds a secret from an address."""

import hashlib
import io
import logging
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger

from metrodiplomacy import cli
from metrodiplomacy.access_log import RedactedAccessLogger, redact
from metrodiplomacy.accounts import steps
from metrodiplomacy.workspaces.models import FeedSecret, Membership, Workspace
from metrodiplomacy.workspaces.services import create_feed_secret, create_token, revoke_feed_secret
from tests import test_coordination
from tests.test_coordination import SPACE

metro = test_coordination.metro  # the shared fixture: workspace `metro` of A and B, C elsewhere

FEED = SPACE + "calendar.ics"
ADDRESSES = SPACE + "calendar/feed-addresses/"


def secret_for(user, key: str = "metro") -> str:
    return create_feed_secret(user, Workspace.objects.get(key=key), "phone calendar")[1]


def recently_signed_in(client, user):
    """A client whose user has just confirmed their password, as the re-authentication step records it."""
    client.force_login(user)
    session = client.session
    session[steps.AUTHENTICATED_AT] = time.time()
    session.save()
    return client


# The feed takes feed secrets only -----------------------------------------------------------------------------


@pytest.mark.parametrize("read_only", [False, True])
def test_an_api_token_in_a_feed_address_is_refused_like_an_unknown_secret(metro, client, read_only):
    token = create_token(metro["admin-a"], "script", read_only=read_only)[1]
    refused = client.get(f"{FEED}?token={token}")
    unknown = client.get(f"{FEED}?token=mdf_no-such-secret")
    assert refused.status_code == unknown.status_code == 401
    assert refused.content == unknown.content
    assert b"Confidential" not in refused.content


def test_a_feed_secret_opens_the_feed_as_its_user(metro, client):
    response = client.get(f"{FEED}?token={secret_for(metro['admin-b'])}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"Shared mission of B" in response.content and b"Confidential" not in response.content
    organisation = client.get(f"{SPACE}organisations/org-b/calendar.ics?token={secret_for(metro['admin-a'])}")
    assert organisation.status_code == 200 and b"Shared mission of B" in organisation.content


def test_a_signed_in_session_still_opens_the_feed_without_a_secret(metro, client):
    client.force_login(metro["admin-a"])
    response = client.get(FEED)
    assert response.status_code == 200 and b"Confidential" in response.content


def test_a_feed_secret_opens_no_other_workspaces_feed(metro, client):
    elsewhere = secret_for(metro["outsider"], "elsewhere")
    assert client.get(f"/workspace/coordination/elsewhere/calendar.ics?token={elsewhere}").status_code == 200
    assert client.get(f"{FEED}?token={elsewhere}").status_code == 401


def test_a_revoked_secret_and_one_of_a_disabled_user_are_refused_at_once(metro, client):
    secret = secret_for(metro["admin-a"])
    record = FeedSecret.objects.get(user=metro["admin-a"])
    assert client.get(f"{FEED}?token={secret}").status_code == 200
    revoke_feed_secret(metro["admin-a"], record.pk)
    assert client.get(f"{FEED}?token={secret}").status_code == 401
    other = secret_for(metro["admin-b"])
    metro["admin-b"].is_active = False
    metro["admin-b"].save()
    assert client.get(f"{FEED}?token={other}").status_code == 401


def test_a_secret_of_someone_no_longer_in_the_workspace_shows_nothing(metro, client):
    secret = secret_for(metro["admin-b"])
    Membership.objects.filter(user=metro["admin-b"]).delete()
    response = client.get(f"{FEED}?token={secret}")
    assert response.status_code == 404 and b"Shared mission" not in response.content


def test_only_a_member_of_the_workspace_gets_a_secret_for_it(metro):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        secret_for(metro["outsider"], "metro")
    assert not FeedSecret.objects.exists()


def test_a_feed_secret_is_stored_only_as_its_hash_and_noted_when_used(metro, client):
    secret = secret_for(metro["admin-a"])
    record = FeedSecret.objects.get()
    assert record.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {record.prefix, record.name} and record.last_used_at is None
    client.get(f"{FEED}?token={secret}")
    record.refresh_from_db()
    assert record.last_used_at is not None


# The API refuses a feed secret ---------------------------------------------------------------------------------


def test_the_api_refuses_a_feed_secret_for_reading_and_writing(metro, client):
    secret = secret_for(metro["admin-a"])
    header = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    unknown = client.get("/api/v1/engagements", HTTP_AUTHORIZATION="Bearer mdp_no-such-token")
    read = client.get("/api/v1/engagements", **header)
    assert read.status_code == unknown.status_code == 401 and read.content == unknown.content
    write = client.post("/api/v1/engagements", data="{}", content_type="application/json", **header)
    assert write.status_code == 401


# The workspace's page for them ---------------------------------------------------------------------------------


def test_a_member_creates_a_feed_address_that_opens_the_feed_and_revokes_it(metro, client):
    recently_signed_in(client, metro["viewer-a"])
    page = client.get(ADDRESSES)
    assert page.status_code == 200 and b"No feed address yet" in page.content
    created = client.post(ADDRESSES + "new/", {"name": "Phone"})
    assert created.status_code == 200
    record = FeedSecret.objects.get(user=metro["viewer-a"])
    secret = created.content.decode().split("calendar.ics?token=")[1].split("<")[0]
    assert record.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.encode() not in client.get(ADDRESSES).content  # shown once
    client.logout()
    assert client.get(f"{FEED}?token={secret}").status_code == 200
    recently_signed_in(client, metro["viewer-a"])
    assert client.post(f"{ADDRESSES}{record.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get(f"{FEED}?token={secret}").status_code == 401


def test_nobody_revokes_anothers_feed_address(metro, client):
    secret = secret_for(metro["admin-a"])
    record = FeedSecret.objects.get()
    recently_signed_in(client, metro["admin-b"])
    client.post(f"{ADDRESSES}{record.pk}/revoke/")
    record.refresh_from_db()
    assert record.revoked_at is None
    assert client.get(f"{FEED}?token={secret}").status_code == 200


def test_creating_a_feed_address_needs_a_recent_sign_in(metro, client):
    client.force_login(metro["admin-a"])
    response = client.post(ADDRESSES + "new/", {"name": "Phone"})
    assert response.status_code == 302 and "/confirm/" in response["Location"]
    assert not FeedSecret.objects.exists()


def test_another_workspaces_member_gets_no_feed_address_page_and_no_secret(metro, client):
    recently_signed_in(client, metro["outsider"])
    assert client.get(ADDRESSES).status_code == 404
    assert client.post(ADDRESSES + "new/", {"name": "Phone"}).status_code == 404
    assert not FeedSecret.objects.exists()


# Logs never hold the secret ------------------------------------------------------------------------------------


def _gunicorn_access_line(logger_class, tmp_path, environ: dict) -> str:
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = logger_class(config)
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/calendar")])
    request = SimpleNamespace(headers=[("REFERER", environ.get("HTTP_REFERER", "-"))])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_the_access_log_line_of_a_feed_request_does_not_hold_its_secret(metro, client, tmp_path):
    secret = secret_for(metro["admin-a"])
    response = client.get(f"{FEED}?token={secret}")
    assert response.status_code == 200
    environ = dict(response.wsgi_request.META)
    # What gunicorn adds to the request it hands to Django: the address as the client sent it.
    environ |= {"RAW_URI": f"{FEED}?token={secret}", "HTTP_REFERER": f"https://example.org{FEED}?token={secret}"}
    line = _gunicorn_access_line(RedactedAccessLogger, tmp_path, environ)
    assert FEED in line and "token=[redacted]" in line
    assert secret not in line
    # The check can fail: gunicorn's own logger writes the secret into the line.
    (tmp_path / "plain").mkdir()
    assert secret in _gunicorn_access_line(GunicornLogger, tmp_path / "plain", environ)


def test_metrodip_serve_starts_gunicorn_with_the_masking_logger(monkeypatch):
    from typer.testing import CliRunner

    calls = {}
    monkeypatch.setattr(cli.os, "execv", lambda path, args: calls.update(args=args))
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    assert CliRunner().invoke(cli.app, ["serve"]).exit_code == 0
    arguments = calls["args"]
    assert arguments[arguments.index("--logger-class") + 1] == "metrodiplomacy.access_log.RedactedAccessLogger"


def test_the_development_servers_request_log_does_not_hold_a_secret(metro):
    secret = secret_for(metro["admin-a"])
    stream = io.StringIO()
    listener = logging.StreamHandler(stream)
    logger = logging.getLogger("django.server")
    # A request handler as runserver builds one, without a socket: its log line is what runserver prints.
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.requestline = f"GET {FEED}?token={secret}&view=list HTTP/1.1"
    handler.request = None
    handler.client_address = ("127.0.0.1", 50000)
    logger.addHandler(listener)
    try:
        handler.log_request(200, 512)
    finally:
        logger.removeHandler(listener)
    line = stream.getvalue()
    assert FEED in line and "token=[redacted]&view=list" in line
    assert secret not in line


@pytest.mark.parametrize(
    "text,masked",
    [
        ("GET /f.ics?token=mdf_x HTTP/1.1", "GET /f.ics?token=[redacted] HTTP/1.1"),
        ("/f.ics?view=list&TOKEN=mdf_x", "/f.ics?view=list&TOKEN=[redacted]"),
        (
            "token=a&csrfmiddlewaretoken=b&password=c&api_key=d",
            "token=[redacted]&csrfmiddlewaretoken=[redacted]&password=[redacted]&api_key=[redacted]",
        ),
        ("GET /search/?q=token HTTP/1.1", "GET /search/?q=token HTTP/1.1"),
        ("/x?t%6Fken=mdf_x", "/x?t%6Fken=[redacted]"),
    ],
)
def test_secret_parameters_are_masked_and_others_kept(text, masked):
    assert redact(text) == masked
