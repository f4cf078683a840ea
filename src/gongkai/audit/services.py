"""Writing audit entries (called by every service, inside its transaction)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.db import models

from .models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    message: str,
    agency: Any = None,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry; ``target`` is the changed object (its model name and id are kept).

    ``ip`` is kept only when it is an address: anything else (a missing peer, a label) is
    stored as unknown rather than failing the change on a database with an address type.
    """
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        agency=agency,
        action=action,
        target_type=target._meta.model_name,
        target_id=str(target.pk),
        message=message,
        data=data or {},
        ip=_address_or_none(ip),
    )


def _address_or_none(ip: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None
