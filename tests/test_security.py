"""Secure defaults: deploy checks, Argon2, the Content Security Policy and a login throttle that cools off."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("METRODIP_", "DJANGO_"))}
    env.update(
        METRODIP_SECRET_KEY=secrets.token_urlsafe(50),
        METRODIP_HTTPS="1",
        METRODIP_ALLOWED_HOSTS="metro.example.org",
        DJANGO_SETTINGS_MODULE="metrodiplomacy.settings",
        **extra,
    )
    return env


def test_deploy_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_hashes_passwords_with_argon2_and_sets_https_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(), capture_output=True, text=True
    )
    assert result.stdout.split() == ["django.contrib.auth.hashers.Argon2PasswordHasher", "True", "True", "31536000"]


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("observatory:home"))
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";") if directive
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_login_is_throttled_after_five_failures_and_cools_off(client, django_user_model):
    from axes.models import AccessAttempt

    django_user_model.objects.create_user("ana", password="right-password-123", is_staff=True)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "ana", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(url, {"username": "ana", "password": "right-password-123"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    # Another address is not locked out by someone else's guessing.
    other = client.post(url, {"username": "ana", "password": "right-password-123"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302
    # The lock is a cool-off, not a permanent ban: once the attempts age past it, the right password works.
    from django.conf import settings
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    client.logout()
    again = client.post(url, {"username": "ana", "password": "right-password-123"}, REMOTE_ADDR="10.0.0.1")
    assert again.status_code == 302
