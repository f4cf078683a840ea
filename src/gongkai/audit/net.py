"""The client's address, one definition for the audit trail and the abuse limits.

``REMOTE_ADDR`` is the client: behind a configured, trusted reverse proxy the project's
``ClientAddressMiddleware`` has already put the real client's address there, and forwarded
headers from anyone else were dropped. Nothing reads ``X-Forwarded-For`` itself.
"""

from __future__ import annotations

import ipaddress
from typing import Any

UNKNOWN = "unknown"
#: An IPv6 client is counted by its /64: one subscriber or server gets a whole /64, so the
#: full address would give an attacker 2^64 fresh counters.
IPV6_LIMIT_PREFIX = 64


def client_ip(request: Any) -> str:
    """The client's address, or ``"unknown"`` (the audit trail stores that as no address)."""
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or UNKNOWN


def limit_address(address: str) -> str:
    """The unit the abuse limits count an address by: an IPv4 address itself, an IPv6
    address by its /64 network; anything else (``"unknown"``) unchanged."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_LIMIT_PREFIX}", strict=False))
    return str(ip)
