"""The address of the client behind a request, for the sign-in throttle and anything else keyed on it.

`REMOTE_ADDR` is the machine that opened the connection. Behind a reverse proxy that is the proxy, for every
client, so a throttle keyed on it would let one client lock everyone out. The proxy tells who it serves in
`X-Forwarded-For`, but any client can send that header too: it is read only when the connection comes from a
proxy named in `METRODIP_TRUSTED_PROXIES`, and then from the right, the hop nearest to us first, stopping at
the first address that is not one of those proxies. What a client wrote to the left of that is never read.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The proxies as networks: a single address is a network of one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"METRODIP_TRUSTED_PROXIES: {entry!r} is not an address or network") from error
    return tuple(networks)


def _address(text: str) -> Address | None:
    """An address as a proxy writes it: plain, or with a port (`203.0.113.7:5120`, `[2001:db8::1]:443`)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str | None:
    """The client's address: `REMOTE_ADDR`, unless that is a trusted proxy (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = trusted_networks(tuple(getattr(settings, "METRODIP_TRUSTED_PROXIES", ())))
    nearest = _address(remote) if remote else None
    if nearest is None or not networks or not _is_trusted(nearest, networks):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A trusted proxy wrote something that is not an address: keep to the last hop we can vouch for.
            break
        nearest = address
        if not _is_trusted(address, networks):
            break
    return str(nearest)
