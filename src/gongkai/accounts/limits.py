"""Counting attempts against limits: the pieces the portal's abuse limits and the staff
login limits share: a limit with optional exponential back-off, when counted attempts stop
blocking, and the lock that makes a check-and-count atomic on PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window: timedelta
    backoff: timedelta | None = None  # set: exponential back-off after ``limit`` failures
    cap: timedelta | None = None  # the longest back-off (default: the window)


def backoff_wait(limit: Limit, failures: int) -> timedelta:
    """How long after the last failure the next attempt has to wait, ``failures`` counted."""
    if limit.backoff is None or failures < limit.limit:
        return timedelta(0)
    cap = limit.cap or limit.window
    exponent = min(failures - limit.limit, 40)  # 2^40 minutes is far beyond any cap
    return min(limit.backoff * (2**exponent), cap)


def blocked_until(rows: Any, limit: Limit, now: datetime) -> datetime | None:
    """When the counted attempts ``rows`` (a queryset with ``at``, already limited to one key
    and to ``limit.window``) stop blocking a new one; None: they do not block now.

    A window limit frees when the oldest of the last ``limit`` attempts leaves the window; a
    back-off limit when the wait after the last attempt (:func:`backoff_wait`) is over.
    """
    n = rows.count()
    if n < limit.limit:
        return None
    newest_first = rows.order_by("-at", "-pk").values_list("at", flat=True)
    if limit.backoff is None:
        until = newest_first[limit.limit - 1] + limit.window
    else:
        until = newest_first.first() + backoff_wait(limit, n)
    return until if until > now else None


def lock_keys(keys: Iterable[str]) -> None:
    """Serialise check-and-count per key for the rest of the transaction.

    PostgreSQL: a transaction-level advisory lock per key (taken in one order, so two
    requests never wait for each other crosswise). SQLite: writers are serialised by the
    database lock, which the first insert of :func:`reserve` takes (the settings' IMMEDIATE
    transactions take it at BEGIN already).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for key in sorted(set(keys)):
            lock_id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
