"""Counting attempts against limits: the pieces the portal's abuse limits and the staff
login limits share (a limit with optional exponential back-off, and the lock that makes a
check-and-count atomic on PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

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
