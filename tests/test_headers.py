"""Security headers on every kind of answer — an HTML page, an API response, a download, a 404 and a 500 —
with the production settings (METRODIP_HTTPS=1), and error pages that never show a traceback."""

import types

import pytest
from django.test import Client, RequestFactory
from django.urls import include, path

from metrodiplomacy import settings as settings_module
from tests.personas import PASSWORD, build_cast


class DeliberateFailure(Exception):
    pass


def fail_on_purpose(request):
    raise DeliberateFailure("secret-internal-detail in fail_on_purpose")


# This module doubles as the URL configuration: the site's own addresses plus one view that fails.
urlpatterns = [path("fail-on-purpose/", fail_on_purpose), path("", include("metrodiplomacy.urls"))]

HTTPS = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https"}


def production_values(monkeypatch) -> dict:
    """The security settings settings.py produces for a production instance behind HTTPS."""
    monkeypatch.setenv("METRODIP_HTTPS", "1")
    monkeypatch.setenv("METRODIP_SECRET_KEY", "x" * 60)
    monkeypatch.delenv("METRODIP_DEBUG", raising=False)
    source_path = settings_module.__file__
    module = types.ModuleType("production_settings")
    module.__file__ = source_path
    with open(source_path) as source:
        exec(compile(source.read(), source_path, "exec"), module.__dict__)
    prefixes = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")
    wanted = {"CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS", "DEBUG"}
    return {name: getattr(module, name) for name in dir(module) if name.startswith(prefixes) or name in wanted}


@pytest.fixture
def production(settings, monkeypatch):
    values = production_values(monkeypatch)
    assert values["DEBUG"] is False and values["SECURE_HSTS_SECONDS"] >= 31536000
    for name, value in values.items():
        setattr(settings, name, value)
    settings.ROOT_URLCONF = __name__
    return settings


@pytest.fixture
def cast(db, django_user_model):
    return build_cast(django_user_model)


def policy_of(response) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {words[0]: words[1:] for words in directives}


def assert_secure_headers(response) -> None:
    policy = policy_of(response)
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


ANSWERS = {
    "html page": ("/", 200),
    "api response": ("/api/v1/agreements", 200),
    "download": ("/open-data/metrodiplomacy-open-data.zip", 200),
    "not found": ("/no-such-page/", 404),
    "server error": ("/fail-on-purpose/", 500),
}


@pytest.mark.parametrize("kind", ANSWERS)
def test_every_kind_of_answer_carries_the_security_headers(production, cast, kind):
    address, status = ANSWERS[kind]
    # Twice: a second answer may come from the public response cache, and must carry the same headers.
    for _attempt in range(2):
        response = Client(raise_request_exception=False).get(address, **HTTPS)
        assert response.status_code == status
        assert_secure_headers(response)


@pytest.mark.parametrize("kind", ANSWERS)
def test_every_kind_of_answer_to_a_signed_in_user_is_not_stored(production, cast, kind):
    address, status = ANSWERS[kind]
    client = Client(raise_request_exception=False)
    client.force_login(cast.users["viewer_a"])
    response = client.get(address, **HTTPS)
    assert response.status_code == status
    assert response["Cache-Control"] == "private, no-store"
    assert_secure_headers(response)


def test_a_private_workspace_page_is_not_stored(production, cast):
    client = cast.client_for("editor_a")
    response = client.get("/workspace/", **HTTPS)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert_secure_headers(response)


def test_plain_http_is_sent_to_https_in_production(production, db):
    response = Client().get("/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_sign_in_cookies_are_secure_http_only_and_same_site(production, cast):
    client = Client()
    client.get("/workspace/accounts/login/", **HTTPS)
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/workspace/accounts/login/",
        {"username": "viewer_a", "password": PASSWORD, "csrfmiddlewaretoken": token},
        **HTTPS,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = response.cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    assert_secure_headers(response)


def test_a_server_error_shows_a_plain_page_without_a_traceback(production, cast):
    response = Client(raise_request_exception=False).get("/fail-on-purpose/", **HTTPS)
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in body
    assert "Traceback" not in body and "secret-internal-detail" not in body and "DeliberateFailure" not in body
    assert "<script>" not in body and "<script" not in body.split("</head>")[1]


def test_the_server_error_page_does_not_touch_the_database(django_assert_num_queries, db):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and b"Something went wrong" in response.content


def test_the_not_found_page_is_the_sites_own_and_translated(production, db):
    response = Client().get("/no-such-page/", **HTTPS)
    assert response.status_code == 404 and b"Page not found" in response.content and b"site-header" in response.content
    spanish = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es", **HTTPS)
    assert spanish.status_code == 404 and b'lang="es"' in spanish.content
