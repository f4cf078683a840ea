"""Abuse limits of the public portal, counted in the database (so they hold across
processes): at most ``limit`` attempts per ``key`` in the last ``window``.

Keys are hashed with the installation's key: the table holds neither IP addresses nor
identity numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.project.crypto import blind_index

from .models import Hit


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window: timedelta


SUBMIT_PER_IP = Limit("submit-ip", 5, timedelta(hours=1))
SUBMIT_PER_IP_DAY = Limit("submit-ip-day", 20, timedelta(days=1))
SUBMIT_PER_ID = Limit("submit-id", 5, timedelta(days=1))
DRAFT_PER_IP = Limit("draft-ip", 10, timedelta(hours=1))
LOOKUP_PER_IP = Limit("lookup-ip", 10, timedelta(minutes=10))
LOOKUP_PER_NUMBER = Limit("lookup-number", 10, timedelta(hours=1))
ACCOUNT_PER_IP = Limit("account-ip", 5, timedelta(hours=1))
LOGIN_PER_IP = Limit("login-ip", 10, timedelta(minutes=10))
LOGIN_PER_EMAIL = Limit("login-email", 10, timedelta(hours=1))


def _key(limit: Limit, value: str) -> str:
    return blind_index(f"throttle:{limit.name}:{value}")


def blocked(limit: Limit, value: str) -> bool:
    """True when ``value`` has used up ``limit`` (nothing is counted)."""
    since = timezone.now() - limit.window
    return Hit.objects.filter(key=_key(limit, value), at__gte=since).count() >= limit.limit


def count(limit: Limit, value: str) -> None:
    """Count one attempt (failed lookups, submissions, logins)."""
    now = timezone.now()
    with transaction.atomic():
        Hit.objects.create(key=_key(limit, value), at=now)
    if now.second == 0:  # now and then, forget what no window reaches any more
        Hit.objects.filter(at__lt=now - timedelta(days=2)).delete()


def client_ip(request) -> str:
    """The client's address as the server saw it (behind a proxy, configure the proxy to
    set REMOTE_ADDR; forwarded headers are not trusted)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
