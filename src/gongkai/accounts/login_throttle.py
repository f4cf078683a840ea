"""Limits on failed staff logins (the staff site and the admin share them: they are applied
by the authentication backend, :mod:`.backends`, where every password check happens).

Three limits, counted in the database (:class:`~gongkai.accounts.models.LoginAttempt`, keys
hashed) so they hold across processes:

- per account *and* address (:data:`PAIR`): 5 failures are free, then the next attempt has
  to wait 15 minutes after the last failure, doubling with each further failure (30 min,
  1 h, 2 h, … at most a day). A successful login from that address clears its failures.
- per account from every address (:data:`ACCOUNT`): 20 failures in an hour lock the account
  for new addresses until the hour has passed — but not for addresses the account signed in
  from in the last 30 days (:data:`RECOGNISED_FOR`), so nobody can lock a real user out of
  their usual place by guessing from elsewhere; from there only the per-address limits apply.
- per address over all accounts (:data:`ADDRESS`): 30 failures in an hour (password spraying).

Check and count are one step (:func:`begin`): the attempt is counted as a failure *before*
the password is checked, under a lock of its keys, so parallel guesses cannot share the
last free slot; :func:`succeeded` turns it into a success.

Failures and lockouts are audited (the user name, never the password); attempts refused
while locked are not (their number is up to the attacker), the lockout entry says until when.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.audit.net import limit_address
from gongkai.audit.services import audit_record
from gongkai.security.crypto import blind_index

from .limits import Limit, backoff_wait, blocked_until, lock_keys
from .models import LoginAttempt

PAIR = Limit(
    "account+address", 5, timedelta(days=1), backoff=timedelta(minutes=15), cap=timedelta(days=1)
)
ACCOUNT = Limit("account", 20, timedelta(hours=1))
ADDRESS = Limit("address", 30, timedelta(hours=1))
RECOGNISED_FOR = timedelta(days=30)
SCOPES = {PAIR.name: "该账户在该地址", ACCOUNT.name: "该账户", ADDRESS.name: "该地址"}


class Locked(Exception):
    """The attempt is refused without checking the password."""

    def __init__(self, limit: Limit, until: datetime) -> None:
        super().__init__(f"{limit.name} until {until:%Y-%m-%d %H:%M:%S}")
        self.limit = limit
        self.until = until


@dataclass(frozen=True)
class Attempt:
    """A counted attempt (row ``pk``), with what it was counted under."""

    pk: int
    username: str
    address: str
    account_key: str
    address_key: str
    pair_key: str


def _keys(username: str, address: str) -> tuple[str, str, str]:
    address = limit_address(address)  # an IPv6 client counts by its /64
    return (
        blind_index(f"login:account:{username}"),
        blind_index(f"login:address:{address}"),
        blind_index(f"login:pair:{username}|{address}"),
    )


def _failures(now: datetime, limit: Limit, exclude: int | None, **key: str) -> Any:
    rows = LoginAttempt.objects.filter(succeeded=False, at__gte=now - limit.window, **key)
    return rows.exclude(pk=exclude) if exclude is not None else rows


def recognised(pair_key: str, now: datetime | None = None) -> bool:
    """The account signed in from this address in the last :data:`RECOGNISED_FOR`."""
    now = now or timezone.now()
    return LoginAttempt.objects.filter(
        pair_key=pair_key, succeeded=True, at__gte=now - RECOGNISED_FOR
    ).exists()


def locked_until(
    account_key: str, address_key: str, pair_key: str, *, exclude: int | None = None
) -> tuple[Limit, datetime] | None:
    """The limit that refuses an attempt now, and until when (None: the attempt may go on)."""
    now = timezone.now()
    until = blocked_until(_failures(now, PAIR, exclude, pair_key=pair_key), PAIR, now)
    if until is not None:
        return PAIR, until
    until = blocked_until(_failures(now, ADDRESS, exclude, address_key=address_key), ADDRESS, now)
    if until is not None:
        return ADDRESS, until
    until = blocked_until(_failures(now, ACCOUNT, exclude, account_key=account_key), ACCOUNT, now)
    if until is not None and not recognised(pair_key, now):
        return ACCOUNT, until
    return None


def begin(username: str, address: str) -> Attempt:
    """Count an attempt (as a failure until :func:`succeeded`), or refuse it with
    :class:`Locked` if a limit is used up; atomic per account and address."""
    username = username[:150]
    account_key, address_key, pair_key = _keys(username, address)
    now = timezone.now()
    with transaction.atomic():
        lock_keys([account_key, address_key])
        row = LoginAttempt.objects.create(
            at=now, account_key=account_key, address_key=address_key, pair_key=pair_key
        )
        refused = locked_until(account_key, address_key, pair_key, exclude=row.pk)
        if refused is not None:
            raise Locked(*refused)
    if now.second == 0:  # now and then, forget what no limit reaches any more
        purge()
    return Attempt(row.pk, username, address, account_key, address_key, pair_key)


def succeeded(attempt: Attempt) -> None:
    """The password was right: the attempt is a success, the failures from this address are
    forgiven, and the address is recognised for the account."""
    with transaction.atomic():
        LoginAttempt.objects.filter(pk=attempt.pk).update(succeeded=True, at=timezone.now())
        LoginAttempt.objects.filter(pair_key=attempt.pair_key).exclude(pk=attempt.pk).delete()


def _ip_or_none(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def failed(attempt: Attempt) -> None:
    """The password was wrong (or the account unknown or inactive): audit it, and the lockout
    if this failure used up a limit."""
    user = get_user_model()._default_manager.filter(username=attempt.username).first()
    row = LoginAttempt(pk=attempt.pk)
    ip = _ip_or_none(attempt.address)
    audit_record(
        actor=user,
        action="auth.login_failed",
        target=row,
        message=f"登录失败：用户名“{attempt.username}”",
        data={"username": attempt.username, "known_user": user is not None},
        ip=ip,
    )
    now = timezone.now()
    reached = []
    n = _failures(now, PAIR, None, pair_key=attempt.pair_key).count()
    if n >= PAIR.limit:
        reached.append((PAIR, now + backoff_wait(PAIR, n)))
    for limit, key in (
        (ADDRESS, {"address_key": attempt.address_key}),
        (ACCOUNT, {"account_key": attempt.account_key}),
    ):
        if _failures(now, limit, None, **key).count() == limit.limit:
            reached.append((limit, now + limit.window))
    for limit, until in reached:
        audit_record(
            actor=user,
            action="auth.locked",
            target=row,
            message=(
                f"登录失败次数过多：{SCOPES[limit.name]}暂停登录至 "
                f"{timezone.localtime(until):%Y-%m-%d %H:%M}（用户名“{attempt.username}”）"
            ),
            data={"username": attempt.username, "scope": limit.name, "until": until.isoformat()},
            ip=ip,
        )


def purge() -> int:
    """Forget failures no limit counts any more and successes older than the recognition
    period (the daily job); returns how many rows went."""
    now = timezone.now()
    longest = max(PAIR.window, ACCOUNT.window, ADDRESS.window)
    n, _ = LoginAttempt.objects.filter(succeeded=False, at__lt=now - longest).delete()
    m, _ = LoginAttempt.objects.filter(succeeded=True, at__lt=now - RECOGNISED_FOR).delete()
    return n + m
