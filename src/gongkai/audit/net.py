"""The client's address, one definition for the audit trail and the abuse limits.

``REMOTE_ADDR`` is the client: behind a configured, trusted reverse proxy the project's
``ClientAddressMiddleware`` has already put the real client's address there, and forwarded
headers from anyone else were dropped. Nothing reads ``X-Forwarded-For`` itself.
"""

from __future__ import annotations

from typing import Any

UNKNOWN = "unknown"


def client_ip(request: Any) -> str:
    """The client's address, or ``"unknown"`` (the audit trail stores that as no address)."""
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or UNKNOWN
