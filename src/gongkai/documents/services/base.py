"""What every registry service shares: the refusal type, today, the actor's rights, audit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.audit.services import audit_record
from gongkai.core.workflow import Role

from ..access import may


class DocumentError(ValueError):
    """A refused change; the message (Chinese) says what is wrong and where."""


def today() -> date:
    return timezone.localdate()


def require(actor: Any, agency_id: int, roles: frozenset[Role], what: str) -> Viewer:
    """The actor's viewer if they hold one of ``roles`` in the agency, else DocumentError."""
    viewer = viewer_for(actor)
    if not may(viewer, agency_id, roles):
        names = "、".join(sorted(r.label for r in roles))
        raise DocumentError(f"只有本机关的{names}可以{what}")
    return viewer


def audit(
    actor: Any,
    *,
    action: str,
    target: models.Model,
    message: str,
    agency: Any = None,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """One audit entry, in the caller's transaction; ``action`` codes start with ``document.``
    (and are labelled in :mod:`gongkai.audit.labels`)."""
    audit_record(
        actor=actor, action=action, target=target, message=message, agency=agency, data=data, ip=ip
    )
