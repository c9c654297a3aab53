"""The sign-in throttle behind a reverse proxy (issue #15, class 8): it counts clients, not the proxy, and no
client chooses the address it is counted under."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from metrodiplomacy.client_address import client_address
from tests.personas import PASSWORD, build_cast

SIGN_IN = "/workspace/accounts/login/"
PROXY = "10.0.0.1"


@pytest.fixture
def cast(db, django_user_model):
    return build_cast(django_user_model)


def sign_in(client, password: str, remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(SIGN_IN, {"username": "viewer_a", "password": password}, **extra)


def fail_five_times(client, remote: str, forwarded: list[str | None]) -> None:
    # The fifth failure already answers 429: the lock starts with it.
    assert [sign_in(client, "wrong", remote, header).status_code for header in forwarded] == [200] * 4 + [429]


@override_settings(AXES_ENABLED=True, METRODIP_TRUSTED_PROXIES=[])
def test_a_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(cast, client):
    # A guesser rotates X-Forwarded-For to look like five people: without a trusted proxy it is one address.
    fail_five_times(client, "203.0.113.9", [f"198.51.100.{n}" for n in range(5)])
    assert sign_in(client, PASSWORD, "203.0.113.9", "198.51.100.77").status_code == 429


@override_settings(AXES_ENABLED=True, METRODIP_TRUSTED_PROXIES=["192.0.2.1"])
def test_a_forwarded_for_from_a_machine_that_is_not_a_trusted_proxy_is_ignored(cast, client):
    fail_five_times(client, "203.0.113.9", [f"198.51.100.{n}" for n in range(5)])
    assert sign_in(client, PASSWORD, "203.0.113.9", "198.51.100.77").status_code == 429


@override_settings(AXES_ENABLED=True, METRODIP_TRUSTED_PROXIES=[PROXY])
def test_two_clients_behind_a_trusted_proxy_are_throttled_separately(cast, client):
    fail_five_times(client, PROXY, ["203.0.113.5"] * 5)
    assert sign_in(client, PASSWORD, PROXY, "203.0.113.5").status_code == 429
    # Everyone reaches the app from the proxy's address; the guesser's lock is not everyone's.
    assert sign_in(client, PASSWORD, PROXY, "198.51.100.7").status_code == 302


@override_settings(AXES_ENABLED=True, METRODIP_TRUSTED_PROXIES=[PROXY])
def test_a_client_behind_a_trusted_proxy_cannot_choose_its_address(cast, client):
    # The proxy appends the address it saw; what the client wrote to the left of it is never read.
    fail_five_times(client, PROXY, [f"198.51.100.{n}, 203.0.113.5" for n in range(5)])
    assert sign_in(client, PASSWORD, PROXY, "198.51.100.200, 203.0.113.5").status_code == 429


def address(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    "proxies,remote,forwarded,expected",
    [
        ([], "10.0.0.1", "203.0.113.5", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["10.0.0.1"], "10.0.0.1", None, "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.2", "203.0.113.5", "10.0.0.2"),
        # Two proxies in a row (a network names both): the first address that is not a proxy is the client.
        (["10.0.0.0/8"], "10.0.0.1", "198.51.100.1, 203.0.113.5, 10.0.0.7", "203.0.113.5"),
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5:5120", "203.0.113.5"),
        (["10.0.0.1", "::1"], "::1", "[2001:db8::5]:443", "2001:db8::5"),
        # A proxy that wrote no address: the last hop we can vouch for.
        (["10.0.0.0/8"], "10.0.0.1", "203.0.113.5, unknown", "10.0.0.1"),
        (["10.0.0.0/8"], "10.0.0.1", "10.0.0.9", "10.0.0.9"),
    ],
)
def test_the_client_address_follows_forwarded_for_only_through_trusted_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.METRODIP_TRUSTED_PROXIES = proxies
    assert address(remote, forwarded) == expected


def test_a_trusted_proxy_that_is_not_an_address_stops_the_start(monkeypatch):
    from metrodiplomacy.settings import env_networks

    monkeypatch.setenv("METRODIP_TRUSTED_PROXIES", "10.0.0.1, 192.0.2.0/24")
    assert env_networks("METRODIP_TRUSTED_PROXIES") == ["10.0.0.1", "192.0.2.0/24"]
    monkeypatch.setenv("METRODIP_TRUSTED_PROXIES", "10.0.0.1,proxy.example.org")
    with pytest.raises(ImproperlyConfigured, match="proxy.example.org"):
        env_networks("METRODIP_TRUSTED_PROXIES")
