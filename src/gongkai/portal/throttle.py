"""Abuse limits of the public portal, counted in the database (so they hold across
processes).

Two kinds of limit:

- a window (:class:`Limit` without ``backoff``): at most ``limit`` attempts per key in the
  last ``window``;
- a back-off (:class:`Limit` with ``backoff``): the first ``limit`` failures in ``window`` are
  free, then each further attempt has to wait ``backoff × 2^(failures − limit)`` after the
  last one (at most ``cap``) — a typing mistake costs a minute, a guessing robot days.

Checking and counting is one step (:func:`reserve`): the attempt is counted *before* it is
tried, inside one transaction that holds a lock on the keys, so two parallel requests cannot
both take the last free slot. A reservation that turns out to be a success is given back with
:func:`release`.

Keys are hashed with the installation's key: the table holds neither IP addresses nor
identity numbers nor query codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.limits import Limit, blocked_until, lock_keys
from gongkai.audit.net import limit_address
from gongkai.security.crypto import blind_index

from .models import Hit


class Throttled(Exception):
    """An attempt refused because one of its limits is used up."""

    def __init__(self, limit: Limit, until: datetime) -> None:
        super().__init__(f"{limit.name} until {until:%Y-%m-%d %H:%M:%S}")
        self.limit = limit
        self.until = until


SUBMIT_PER_IP = Limit("submit-ip", 5, timedelta(hours=1))
SUBMIT_PER_IP_DAY = Limit("submit-ip-day", 20, timedelta(days=1))
SUBMIT_PER_ID = Limit("submit-id", 5, timedelta(days=1))
# Every uploaded identity proof counts, accepted or refused (type, size, content).
DRAFT_PER_IP = Limit("draft-ip", 10, timedelta(hours=1))
# Looking up with number and query code. There is deliberately no limit per number alone:
# failures of others must never lock the applicant out (numbers are sequential). Guessing
# is bounded per address; a code is one of 31^8 ≈ 8.5×10^11.
LOOKUP_PER_IP = Limit("lookup-ip", 10, timedelta(minutes=10))
LOOKUP_PER_IP_DAY = Limit("lookup-ip-day", 50, timedelta(days=1))
LOOKUP_PER_NUMBER_IP = Limit(
    "lookup-number-ip", 5, timedelta(days=1), backoff=timedelta(minutes=1), cap=timedelta(days=1)
)
ACCOUNT_PER_IP = Limit("account-ip", 5, timedelta(hours=1))
LOGIN_PER_IP = Limit("login-ip", 10, timedelta(minutes=10))
LOGIN_PER_EMAIL = Limit("login-email", 10, timedelta(hours=1))
# A one-time token (the captcha's): used once within its lifetime.
ONCE = Limit("once", 1, timedelta(hours=2))

#: What a caller asks for: each limit with the value it is counted under.
Check = tuple[Limit, str]


@dataclass(frozen=True)
class Reservation:
    """The attempts counted by :func:`reserve` (ids of their rows)."""

    ids: tuple[int, ...]


def _key(limit: Limit, value: str) -> str:
    """The hashed key of ``value`` (an address, ``number|address``, a digest, an e-mail);
    addresses in it count by :func:`~gongkai.audit.net.limit_address` (IPv6 by /64)."""
    subject = "|".join(limit_address(part) for part in value.split("|"))
    return blind_index(f"throttle:{limit.name}:{subject}")


def _blocked_until(limit: Limit, key: str, now: datetime, exclude: int | None) -> datetime | None:
    """When ``key`` is free again under ``limit`` (None: free now), not counting ``exclude``."""
    rows = Hit.objects.filter(key=key, at__gte=now - limit.window)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return blocked_until(rows, limit, now)


def reserve(checks: Sequence[Check]) -> Reservation:
    """Count one attempt under every limit of ``checks``, or none if one of them is used up
    (then :class:`Throttled` says which and until when).

    Atomic: the rows are inserted first and the limits evaluated after, under a lock of the
    keys, in one transaction; a refused attempt leaves nothing behind.
    """
    now = timezone.now()
    keyed = [(limit, _key(limit, value)) for limit, value in checks]
    with transaction.atomic():
        lock_keys(k for _, k in keyed)
        rows = [Hit.objects.create(key=k, at=now) for _, k in keyed]
        for (limit, key), row in zip(keyed, rows, strict=True):
            until = _blocked_until(limit, key, now, exclude=row.pk)
            if until is not None:
                raise Throttled(limit, until)
    _forget_old(now)
    return Reservation(tuple(r.pk for r in rows))


def release(reservation: Reservation) -> None:
    """Give the attempts back (they succeeded: a right code is not a failure)."""
    Hit.objects.filter(pk__in=reservation.ids).delete()


def blocked(limit: Limit, value: str) -> bool:
    """True when ``value`` has used up ``limit`` now (nothing is counted)."""
    now = timezone.now()
    return _blocked_until(limit, _key(limit, value), now, exclude=None) is not None


def count(limit: Limit, value: str) -> None:
    """Count one attempt without checking (e.g. an upload refused by the form)."""
    now = timezone.now()
    with transaction.atomic():
        Hit.objects.create(key=_key(limit, value), at=now)
    _forget_old(now)


def use_once(value: str) -> bool:
    """True the first time ``value`` is presented within :data:`ONCE`'s window, else False."""
    try:
        reserve([(ONCE, value)])
    except Throttled:
        return False
    return True


def _forget_old(now: datetime) -> None:
    if now.second == 0:  # now and then, forget what no window reaches any more
        Hit.objects.filter(at__lt=now - timedelta(days=2)).delete()


def purge() -> int:
    """Forget every count no window reaches any more (the daily job); returns how many."""
    deleted, _ = Hit.objects.filter(at__lt=timezone.now() - timedelta(days=2)).delete()
    return deleted
