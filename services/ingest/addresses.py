"""Which URLs and addresses Sitrep may fetch from (server-side request forgery).

A URL from a feed or a user is refused unless it is ``http``/``https`` and its
host resolves only to public addresses: a feed entry pointing at
``http://127.0.0.1:9092`` or at a cloud metadata service must not make the
worker talk to it. The check runs on the address actually connected to (see
``fetch.GuardedBackend``), so a name that resolves to a public address when
checked and a private one when connected to (DNS rebinding) is caught too.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.errors import AddressRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance-metadata services: refused even when private addresses are
# allowed, because they hand out credentials.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
    )
)


# Carrier-grade NAT (RFC 6598): neither global nor "private" to ipaddress.
_SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")


@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = False

    def refusal(self, address: IPAddress) -> str | None:
        """Why Sitrep must not connect to ``address``, or None when it may."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address in METADATA_ADDRESSES:
            return "a cloud metadata address"
        if address.is_multicast or address.is_unspecified:
            return "not a unicast address"
        if address.is_global:
            return None
        if address.is_loopback:
            why = "a loopback address"
        elif address.is_link_local:
            why = "a link-local address"
        elif address.is_private or address in _SHARED_SPACE:
            why = "a private address"
        else:
            return "a reserved address"
        return None if self.allow_private else why

    def check_address(self, host: str, address: str) -> None:
        why = self.refusal(ipaddress.ip_address(address.split("%", 1)[0]))
        if why is None:
            return
        named = address if host.strip("[]") == address else f"{host} ({address})"
        hint = "" if "metadata" in why else " (SITREP_FETCH_ALLOW_PRIVATE_ADDRESSES=true allows it)"
        raise AddressRefused(f"{named} is {why}; refused{hint}")

    def check_url(self, url: str) -> None:
        """Refuse what can be refused before any network traffic: the scheme,
        a missing host, credentials in the URL, a literal refused address."""
        try:
            parts = urlsplit(url)
            port = parts.port  # raises on a port that is not a number or out of range
        except ValueError as err:
            raise AddressRefused(f"{url!r} is not a valid URL: {err}") from err
        if parts.scheme not in ("http", "https"):
            raise AddressRefused(
                f"{url!r}: only http and https URLs are fetched, not {parts.scheme or 'none'}"
            )
        if not parts.hostname:
            raise AddressRefused(f"{url!r} has no host")
        if parts.username or parts.password:
            raise AddressRefused(f"{url!r} carries credentials; refused")
        del port
        try:
            literal = ipaddress.ip_address(parts.hostname)
        except ValueError:
            return  # a name: checked on the addresses it resolves to, when connecting
        self.check_address(parts.hostname, str(literal))
