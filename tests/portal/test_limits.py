"""The portal's abuse limits: failures of others never lock an applicant out of their own
application; an address that guesses waits longer and longer; checking and counting is one
step; oversized bodies are refused from their length; anonymous pages make no session."""

from __future__ import annotations

import io
import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client, RequestFactory, modify_settings, override_settings

from gongkai.accounts.limits import backoff_wait
from gongkai.cases.services import CaseError
from gongkai.portal import services, throttle
from gongkai.portal.middleware import RequestSizeMiddleware, request_limit
from gongkai.portal.models import Hit, OnlineApplication
from tests.factories import person
from tests.portal.test_portal import (
    NOT_FOUND,
    PNG,
    REQUEST,
    TOO_MANY,
    form_data,
    lookup,
    png,
    post_apply,
    submit_direct,
)

MIDDLEWARE = "gongkai.portal.middleware.RequestSizeMiddleware"
WRONG = "AAAAAAAA"


def wrong_for(code: str) -> str:
    return WRONG if code != WRONG else "BBBBBBBB"


def find(number: str, code: str, ip: str) -> str:
    """``services.lookup``'s answer: "ok" or the refusal's text."""
    try:
        services.lookup(number, code, ip=ip)
    except CaseError as exc:
        return str(exc)
    return "ok"


# --- per (number, address), never per number alone ------------------------------------------


@pytest.mark.django_db
def test_failures_from_ten_addresses_do_not_lock_out_the_applicant(client, w):
    app, code = submit_direct(w.d1)
    for n in range(10):
        r = lookup(Client(), app.number, wrong_for(code), ip=f"198.51.100.{n + 1}")
        assert r.status_code == 400 and NOT_FOUND in r.content.decode()
    # The applicant, from an eleventh address: in.
    r = lookup(client, app.number, code, ip="198.51.100.11")
    assert r.status_code == 302 and r["Location"] == f"/portal/status/{app.number}/"
    # And from an address that failed once on it (a typing mistake costs nothing).
    assert find(app.number, code, "198.51.100.1") == "ok"


@pytest.mark.django_db
def test_a_hundred_failures_from_many_addresses_still_let_the_right_code_in(w):
    app, code = submit_direct(w.d1)
    for n in range(100):
        assert find(app.number, wrong_for(code), f"10.0.{n // 250}.{n % 250 + 1}") == NOT_FOUND
    assert find(app.number, code, "192.0.2.200") == "ok"


@pytest.mark.django_db
def test_an_address_past_its_own_limit_on_a_number_is_refused_even_with_the_right_code(w, pinned):
    """Decided: the address that guessed is slowed down for that number, right code or not
    (else the limit would not limit guessing); nobody else is."""
    app, code = submit_direct(w.d1)
    ip = "203.0.113.7"
    for _ in range(throttle.LOOKUP_PER_NUMBER_IP.limit):
        assert find(app.number, wrong_for(code), ip) == NOT_FOUND
    assert find(app.number, code, ip) == TOO_MANY
    assert find(app.number, code, "203.0.113.8") == "ok"  # other addresses: not affected
    # Other numbers from the same address are not blocked by this number's back-off.
    other, other_code = submit_direct(w.d1, seq=2)
    assert find(other.number, other_code, ip) == "ok"
    # After the wait (one minute for the first step), the right code works again.
    pinned.shift(timedelta(minutes=1, seconds=1))
    assert find(app.number, code, ip) == "ok"


def test_back_off_doubles_after_the_free_failures():
    limit = throttle.LOOKUP_PER_NUMBER_IP
    waits = [backoff_wait(limit, n) for n in range(limit.limit + 6)]
    assert waits[: limit.limit] == [timedelta(0)] * limit.limit
    grows = waits[limit.limit :]
    assert grows[0] == timedelta(minutes=1)
    assert all(b == 2 * a for a, b in itertools.pairwise(grows))
    assert backoff_wait(limit, 100) == limit.cap == timedelta(days=1)


@pytest.mark.django_db
def test_the_wait_grows_with_each_further_failure(w, pinned):
    app, code = submit_direct(w.d1)
    ip = "203.0.113.20"
    for _ in range(throttle.LOOKUP_PER_NUMBER_IP.limit):
        assert find(app.number, wrong_for(code), ip) == NOT_FOUND
    waited = []
    for step in range(4):
        wait = timedelta(minutes=2**step)
        assert find(app.number, wrong_for(code), ip) == TOO_MANY  # refused, not counted
        pinned.shift(wait - timedelta(seconds=5))
        assert find(app.number, wrong_for(code), ip) == TOO_MANY
        pinned.shift(timedelta(seconds=6))
        assert find(app.number, wrong_for(code), ip) == NOT_FOUND  # one more try, failed
        waited.append(wait)
    assert waited == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    # Refused attempts are not counted: the next wait is 16 minutes, not more.
    pinned.shift(timedelta(minutes=16, seconds=1))
    assert find(app.number, code, ip) == "ok"


@pytest.mark.django_db
def test_per_address_limits_over_all_numbers(w, pinned):
    app, code = submit_direct(w.d1)
    ip = "203.0.113.30"
    per_10_min = throttle.LOOKUP_PER_IP.limit
    for n in range(per_10_min):
        assert find(f"WS2025{900000 + n:06d}", WRONG, ip) == NOT_FOUND
    assert find(app.number, code, ip) == TOO_MANY
    assert find(app.number, code, "203.0.113.31") == "ok"
    # Spread out, the day's limit still holds.
    tries = per_10_min
    while tries < throttle.LOOKUP_PER_IP_DAY.limit:
        pinned.shift(timedelta(minutes=11))
        for _ in range(per_10_min):
            assert find(f"WS2025{900000 + tries:06d}", WRONG, ip) == NOT_FOUND
            tries += 1
    pinned.shift(timedelta(minutes=11))
    assert find(app.number, code, ip) == TOO_MANY
    pinned.shift(timedelta(days=1))
    assert find(app.number, code, ip) == "ok"


# --- check and count in one step -------------------------------------------------------------


@pytest.mark.django_db
def test_a_counted_attempt_holds_its_slot_before_it_is_decided():
    """Insert first, then count: an attempt still being tried (not yet released or failed)
    already takes its slot, so a parallel one cannot pass the last slot too."""
    limit = throttle.Limit("test", 3, timedelta(minutes=10))
    held = [throttle.reserve([(limit, "k")]) for _ in range(3)]
    with pytest.raises(throttle.Throttled) as refused:
        throttle.reserve([(limit, "k")])
    assert refused.value.limit is limit
    assert Hit.objects.count() == 3  # the refused attempt left nothing behind
    throttle.release(held[0])  # a success gives its slot back
    throttle.reserve([(limit, "k")])
    with pytest.raises(throttle.Throttled):
        throttle.reserve([(limit, "k")])
    # Every limit of one attempt, or none: a refusal under one counts under none.
    other = throttle.Limit("test-other", 5, timedelta(minutes=10))
    with pytest.raises(throttle.Throttled):
        throttle.reserve([(other, "k"), (limit, "k")])
    assert not throttle.blocked(other, "k")
    assert Hit.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="并发计数测试需要 PostgreSQL（DATABASE_URL）"
)
def test_parallel_attempts_never_share_the_last_slot():
    limit = throttle.Limit("test-parallel", 5, timedelta(minutes=10))

    def one(_: int) -> bool:
        try:
            throttle.reserve([(limit, "same key")])
        except throttle.Throttled:
            return False
        finally:
            connections.close_all()
        return True

    with ThreadPoolExecutor(max_workers=16) as pool:
        passed = list(pool.map(one, range(64)))
    assert sum(passed) == limit.limit
    assert Hit.objects.count() == limit.limit


# --- uploads: refused ones count ------------------------------------------------------------


@pytest.mark.django_db
def test_refused_uploads_count_toward_the_submission_limits(w):
    ip = "203.0.113.40"
    exe = SimpleUploadedFile("证件.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/x-msdownload")
    for _ in range(throttle.DRAFT_PER_IP.limit):
        with pytest.raises(CaseError, match="类型不支持"):
            services.submission_draft(
                agency=w.d1,
                applicant=person(1),
                request=services.Request(REQUEST, "electronic", "online"),
                proof=exe,
                ip=ip,
            )
    with pytest.raises(CaseError, match="提交过于频繁"):
        services.submission_draft(
            agency=w.d1,
            applicant=person(1),
            request=services.Request(REQUEST, "electronic", "online"),
            proof=png(),
            ip=ip,
        )
    assert OnlineApplication.objects.count() == 0


@pytest.mark.django_db
@override_settings(GONGKAI_UPLOAD_MAX_MB=1)
def test_uploads_refused_by_size_or_form_count_too(w):
    c = Client(REMOTE_ADDR="203.0.113.41")
    for n in range(5):
        r = post_apply(c, proof=png(data=PNG + b"\x00" * (1536 * 1024)), seq=n + 1)
        assert r.status_code == 400 and "超过 1 MB" in r.content.decode()
    for _ in range(5):  # a file sent with a form that is refused before the service
        r = c.post("/portal/apply/CSJY/", form_data(captcha="0"))
        assert r.status_code == 400
    r = post_apply(c, seq=9)
    assert r.status_code == 400 and "提交过于频繁" in r.content.decode()
    assert OnlineApplication.objects.count() == 0


# --- oversized bodies ------------------------------------------------------------------------


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def _passed(request) -> HttpResponse:
    return HttpResponse("passed")


def test_a_thousand_megabytes_are_refused_from_the_header_without_reading():
    rf = RequestFactory()
    request = rf.post(
        "/portal/apply/CSJY/",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(1000 * 1024 * 1024),
        **{"wsgi.input": Untouchable()},
    )
    r = RequestSizeMiddleware(_passed)(request)
    assert r.status_code == 413
    assert "提交的内容过大" in r.content.decode()
    assert r["Content-Type"].startswith("text/html")


def test_the_limit_is_the_upload_limit_plus_a_margin():
    mw = RequestSizeMiddleware(_passed)
    rf = RequestFactory()
    with override_settings(GONGKAI_UPLOAD_MAX_MB=10):
        limit = request_limit("/portal/apply/CSJY/")
        assert limit == 11 * 1024 * 1024
        assert request_limit("/reports/") >= 20 * 1024 * 1024  # staff report imports
        for length, status in ((limit, 200), (limit + 1, 413)):
            req = rf.post("/portal/apply/CSJY/", data=b"x", content_type="text/plain")
            req.META["CONTENT_LENGTH"] = str(length)
            assert mw(req).status_code == status
        for bad in ("-1", "lots"):
            req = rf.post("/portal/status/", data=b"x", content_type="text/plain")
            req.META["CONTENT_LENGTH"] = bad
            assert mw(req).status_code == 400
        api = rf.post(
            "/api/cases/", data=b"{}", content_type="application/json", CONTENT_LENGTH="10" * 9
        )
        r = mw(api)
        assert r.status_code == 413 and r["Content-Type"] == "application/json"
        assert "提交的内容过大" in json.loads(r.content)["detail"]


@pytest.mark.django_db
@modify_settings(MIDDLEWARE={"prepend": MIDDLEWARE})
def test_the_portal_answers_413_to_an_oversized_post(w):
    c = Client(REMOTE_ADDR="203.0.113.50")
    r = c.post("/portal/apply/CSJY/", {"captcha": "1"}, CONTENT_LENGTH=str(1000 * 1024 * 1024))
    assert r.status_code == 413 and "提交的内容过大" in r.content.decode()
    assert OnlineApplication.objects.count() == 0


# --- sessions only when needed ---------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_gets_of_public_pages_make_no_session(w):
    c = Client()
    for url in (
        "/portal/",
        "/portal/?q=教育",
        "/portal/apply/CSJY/",
        "/portal/status/",
        "/portal/status/WS2025000001/",
        "/portal/account/signup/",
        "/portal/account/login/",
        "/portal/account/",
        "/portal/done/",
        "/portal/reports/",
    ):
        r = c.get(url)
        assert r.status_code in (200, 302), url
        assert "sessionid" not in r.cookies, url
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_a_session_is_made_when_a_form_is_accepted_or_access_granted(w):
    app, code = submit_direct(w.d1)
    c = Client()
    assert lookup(c, app.number, wrong_for(code)).status_code == 400
    assert Session.objects.count() == 0  # a failed lookup grants nothing
    r = lookup(c, app.number, code)
    assert r.status_code == 302 and "sessionid" in r.cookies
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_ipv6_clients_are_counted_by_their_64():
    from gongkai.audit.net import limit_address

    assert limit_address("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert limit_address("203.0.113.9") == "203.0.113.9"
    assert limit_address("unknown") == "unknown"
    one, other = "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"
    key = throttle._key
    assert key(throttle.LOOKUP_PER_IP, one) == key(throttle.LOOKUP_PER_IP, other)
    assert throttle._key(throttle.LOOKUP_PER_NUMBER_IP, f"CSJY-2025-0001|{one}") == (
        throttle._key(throttle.LOOKUP_PER_NUMBER_IP, f"CSJY-2025-0001|{other}")
    )
    assert throttle._key(throttle.LOOKUP_PER_IP, one) != throttle._key(
        throttle.LOOKUP_PER_IP, "2001:db8:1:3::1"
    )
