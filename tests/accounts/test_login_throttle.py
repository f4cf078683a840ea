"""Failed staff logins are limited — per account and address with a growing wait, per account
for addresses it never signed in from, per address over all accounts — on the staff login
and the admin login alike; one neutral message; failures and lockouts audited."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client

from gongkai.accounts import login_throttle
from gongkai.accounts.forms import NEUTRAL
from gongkai.accounts.models import LoginAttempt, User
from gongkai.audit.models import AuditEntry
from gongkai.project import demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "gongkai.accounts.backends.ThrottledModelBackend"
PASSWORD = "pass-1234"  # noqa: S105 - the factories' password
WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def _backend(settings) -> None:
    """The throttled backend, as the project's settings name it (see the test below)."""
    if BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [BACKEND]


def test_the_project_authenticates_through_the_throttled_backend():
    from gongkai.project import settings as project

    assert getattr(project, "AUTHENTICATION_BACKENDS", None) == [BACKEND], (
        "settings.py: AUTHENTICATION_BACKENDS = ['gongkai.accounts.backends.ThrottledModelBackend']"
    )


def staff_login(username: str, password: str, ip: str) -> tuple[int, str]:
    """Post the staff login form from ``ip``: (status, the page's error text or "")."""
    r = Client(REMOTE_ADDR=ip).post("/login/", {"username": username, "password": password})
    if r.status_code == 302:
        return 302, ""
    m = re.search(r'<div class="errors" role="alert">([^<]*)</div>', r.content.decode())
    return r.status_code, m.group(1) if m else ""


def ok(username: str, password: str, ip: str) -> bool:
    return staff_login(username, password, ip)[0] == 302


def fail_times(n: int, username: str, ip: str) -> None:
    for _ in range(n):
        assert staff_login(username, WRONG, ip) == (200, NEUTRAL)


# --- per account and address -----------------------------------------------------------------


def test_five_failures_lock_that_account_at_that_address_only(w, pinned):
    ip = "203.0.113.5"
    fail_times(5, "reg1", ip)
    # The right password from there: refused, with the same message as a wrong one.
    assert staff_login("reg1", PASSWORD, ip) == (200, NEUTRAL)
    # From the registrar's own address: in. Another account from the guessing address: in.
    assert ok("reg1", PASSWORD, "192.0.2.10")
    assert ok("head1", PASSWORD, ip)
    # Fifteen minutes later, from there too.
    pinned.shift(timedelta(minutes=15, seconds=1))
    assert ok("reg1", PASSWORD, ip)


def test_the_wait_doubles_with_each_further_failure(w, pinned):
    ip = "203.0.113.6"
    fail_times(5, "reg1", ip)
    for minutes in (15, 30, 60, 120):
        pinned.shift(timedelta(minutes=minutes) - timedelta(seconds=10))
        assert not ok("reg1", PASSWORD, ip)  # still waiting (and not counted)
        pinned.shift(timedelta(seconds=11))
        fail_times(1, "reg1", ip)  # one more try, wrong again
    pinned.shift(timedelta(minutes=240, seconds=1))
    assert ok("reg1", PASSWORD, ip)


def test_a_successful_login_forgives_the_failures_from_that_address(w):
    ip = "203.0.113.7"
    fail_times(4, "reg1", ip)
    assert ok("reg1", PASSWORD, ip)
    fail_times(4, "reg1", ip)
    assert ok("reg1", PASSWORD, ip)


# --- per account, per address ----------------------------------------------------------------


def test_guessing_from_many_addresses_does_not_lock_the_user_out_of_their_usual_place(w, pinned):
    home = "192.0.2.20"
    assert ok("reg1", PASSWORD, home)  # the registrar's usual address
    for n in range(login_throttle.ACCOUNT.limit):
        fail_times(1, "reg1", f"198.51.100.{n + 1}")
    # A new address is refused now, even with the right password…
    assert staff_login("reg1", PASSWORD, "198.51.100.200") == (200, NEUTRAL)
    # …the usual one is not.
    assert ok("reg1", PASSWORD, home)
    # And the account lock lasts its hour, not forever.
    pinned.shift(timedelta(hours=1, seconds=1))
    assert ok("reg1", PASSWORD, "198.51.100.201")


def test_password_spraying_from_one_address_is_stopped(w):
    ip = "203.0.113.8"
    for n in range(login_throttle.ADDRESS.limit):
        fail_times(1, f"guess{n}", ip)
    assert staff_login("reg1", PASSWORD, ip) == (200, NEUTRAL)
    assert ok("reg1", PASSWORD, "203.0.113.9")


# --- one message, audited --------------------------------------------------------------------


def _normalised(body: bytes) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'value="[^"]*" autofocus|autofocus value="[^"]*"', "", text)


def test_unknown_user_wrong_password_and_locked_read_the_same(w):
    ip = "203.0.113.10"
    fail_times(5, "head1", ip)
    pages = [
        Client(REMOTE_ADDR=ip).post("/login/", {"username": u, "password": p})
        for u, p in (("nobody-here", WRONG), ("reg1", WRONG), ("head1", PASSWORD))
    ]
    assert {r.status_code for r in pages} == {200}
    assert len({_normalised(r.content) for r in pages}) == 1
    assert NEUTRAL in pages[0].content.decode()


def test_failures_and_lockouts_are_audited_without_the_password(w):
    ip = "203.0.113.11"
    fail_times(1, "no-such-user", ip)
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor is None and entry.ip == ip
    assert entry.data == {"username": "no-such-user", "known_user": False}
    fail_times(5, "reg1", ip)
    failed = AuditEntry.objects.filter(action="auth.login_failed", actor=w.registrar)
    assert failed.count() == 5 and "reg1" in failed.first().message
    locked = AuditEntry.objects.get(action="auth.locked")
    assert locked.actor == w.registrar and locked.data["scope"] == login_throttle.PAIR.name
    assert "暂停登录" in locked.message
    # Refused attempts while locked are not audited one by one.
    staff_login("reg1", PASSWORD, ip)
    assert AuditEntry.objects.filter(action__startswith="auth.").count() == 7
    for e in AuditEntry.objects.filter(action__startswith="auth."):
        assert WRONG not in e.message and WRONG not in str(e.data)
        assert PASSWORD not in e.message and PASSWORD not in str(e.data)
    # The counters keep neither user names nor addresses.
    keys = LoginAttempt.objects.values_list("account_key", "address_key", "pair_key")
    assert keys and not any("reg1" in k or ip in k for row in keys for k in row)


def test_the_admin_login_shares_the_limits_and_the_message(w):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    ip = "203.0.113.12"
    c = Client(REMOTE_ADDR=ip)
    for _ in range(5):
        r = c.post("/admin/login/", {"username": "root", "password": WRONG})
        assert r.status_code == 200 and NEUTRAL in r.content.decode()
    r = c.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert r.status_code == 200 and NEUTRAL in r.content.decode()
    # The staff login page counts the same failures.
    assert not ok("root", PASSWORD, ip)
    assert AuditEntry.objects.filter(action="auth.login_failed", actor=admin_user).count() == 5
    r = Client(REMOTE_ADDR="192.0.2.30").post(
        "/admin/login/", {"username": "root", "password": PASSWORD}
    )
    assert r.status_code == 302


def test_an_attempt_is_counted_before_the_password_is_checked(w):
    """Check and count are one step: attempts still in progress hold their slots."""
    started = [login_throttle.begin("reg1", "203.0.113.13") for _ in range(5)]
    with pytest.raises(login_throttle.Locked):
        login_throttle.begin("reg1", "203.0.113.13")
    assert LoginAttempt.objects.count() == 5  # the refused one left nothing
    login_throttle.succeeded(started[0])  # a success forgives the pair's failures
    login_throttle.begin("reg1", "203.0.113.13")


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-1", "password_too_short"),
        ("12345678901234", "password_entirely_numeric"),
        ("password123", "password_too_common"),
        ("qingdaoregistrar1", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(db, password, reason):
    user = UserFactory(username="qingdaoregistrar")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=user)
    assert reason in {e.code for e in refused.value.error_list}


def test_a_good_password_passes(w):
    validate_password("Qingdao-Shinan-2025!", user=w.registrar)
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


def test_the_demo_password_is_set_directly_and_still_logs_in(db):
    """The demo's users get DEMO_PASSWORD through set_password (no validators), and it logs
    in through the throttled backend like any other."""
    demo_user = User.objects.create(username="zhang", email="zhang@demo.gongkai.local")
    demo_user.set_password(demo.DEMO_PASSWORD)
    demo_user.save()
    assert ok("zhang", demo.DEMO_PASSWORD, "192.0.2.40")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="并发计数测试需要 PostgreSQL（DATABASE_URL）"
)
def test_parallel_guesses_never_share_the_last_slot():
    def one(_: int) -> bool:
        try:
            login_throttle.begin("reg1", "203.0.113.14")
        except login_throttle.Locked:
            return False
        finally:
            connections.close_all()
        return True

    with ThreadPoolExecutor(max_workers=16) as pool:
        passed = list(pool.map(one, range(48)))
    assert sum(passed) == login_throttle.PAIR.limit
