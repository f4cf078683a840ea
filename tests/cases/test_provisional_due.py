"""No calendar cliff: with no 2027 notice, registering on 2027-01-04 still works; the due date
is provisional (暂定) everywhere; entering the notice recomputes it exactly.

Hand counts (20 working days from Monday 2027-01-04, 《政府信息公开条例》第三十三条):
- provisional (weekends and statutory holidays, no 调休): 5–8 Jan (4), 11–15 (9), 18–22 (14),
  25–29 (19), Monday 1 Feb (20);
- with the test notice (make-up Saturday 30 Jan): the 20th working day is Saturday 30 Jan;
- with a further local day off on Friday 29 Jan (单日调整): Monday 1 Feb again, now exact.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Case
from gongkai.cases.services import case_extend
from gongkai.rules.models import CalendarOverride, HolidayNotice
from tests.factories import World, register, world

pytestmark = pytest.mark.django_db

NOTICE_2027 = {
    "year": 2027,
    "title": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
    "holidays": "2027-01-01\n2027-01-02\n2027-01-03\n2027-02-05\n2027-02-06\n2027-02-07\n"
    "2027-02-08\n2027-02-09\n2027-02-10\n2027-02-11",
    "workdays": "2027-01-30\n2027-02-20",
}


@pytest.fixture
def pinned_2027():
    """Monday 2027-01-04, 10:00 in Shanghai: the package's calendar ended on 2026-12-31."""
    with time_machine.travel("2027-01-04 10:00 +0800", tick=False) as t:
        yield t


@pytest.fixture
def w(db, pinned_2027) -> World:
    return world()


def api_get(user, path: str) -> dict:
    _, raw = ApiToken.issue(user, "test")
    response = Client(REMOTE_ADDR="10.0.0.7").get(
        f"/api{path}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200, response.content.decode()
    return json.loads(response.content)


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_registering_without_the_years_notice_gives_a_provisional_due_date(w):
    case = register(w.registrar, w.d1)
    case.refresh_from_db()
    assert case.received_on == date(2027, 1, 4)
    assert case.due_on == date(2027, 2, 1)
    assert case.due_provisional
    assert case.card == "green"
    # The case page, the list and the dashboard say 暂定.
    html = page(w.registrar, reverse("cases:case", args=[case.pk]))
    assert "2027-02-01<span" in html and "（暂定）" in html
    assert "（暂定）" in page(w.registrar, reverse("cases:list"))
    # The API: detail and list carry the flag.
    detail = api_get(w.registrar, f"/cases/{case.pk}")
    assert detail["due_on"] == "2027-02-01" and detail["due_provisional"] is True
    rows = api_get(w.registrar, "/cases")["items"]
    assert [(r["due_on"], r["due_provisional"]) for r in rows] == [("2027-02-01", True)]
    # The receipt letter does not state the date as certain.
    receipt = case.letters.get(doc_type="receipt")
    assert "2027年2月1日（暂定" in receipt.body
    assert "以依照国务院公布的2027年节假日安排计算的期限为准" in receipt.body


def test_the_portal_status_page_says_provisional(w):
    case = register(w.registrar, w.d1, channel="online")
    client = Client()
    response = client.post(
        "/portal/status/", {"number": case.number, "code": case.query_code}, REMOTE_ADDR="127.0.0.1"
    )
    assert response.status_code == 302, response.content.decode()
    html = client.get(response["Location"]).content.decode()
    assert "2027-02-01" in html and "（暂定）" in html


def test_entering_the_notice_recomputes_exactly(w, django_capture_on_commit_callbacks):
    case = register(w.registrar, w.d1)
    with django_capture_on_commit_callbacks(execute=True):
        HolidayNotice.objects.create(**NOTICE_2027)
    case.refresh_from_db()
    assert case.due_on == date(2027, 1, 30)  # the make-up Saturday is the 20th working day
    assert not case.due_provisional
    entry = AuditEntry.objects.filter(action="calendar.recomputed").latest("id")
    assert entry.data["changed"] == 1 and entry.data["cases"] == [case.number]
    assert "1 件有变化" in entry.message
    html = page(w.registrar, reverse("cases:case", args=[case.pk]))
    assert "2027-01-30" in html and "暂定" not in html
    assert api_get(w.registrar, f"/cases/{case.pk}")["due_provisional"] is False


def test_a_single_day_correction_recomputes_cases_due_in_its_year(
    w, django_capture_on_commit_callbacks
):
    case = register(w.registrar, w.d1)
    with django_capture_on_commit_callbacks(execute=True):
        HolidayNotice.objects.create(**NOTICE_2027)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(day=date(2027, 1, 29), working=False, note="地方放假")
    case.refresh_from_db()
    assert (case.due_on, case.due_provisional) == (date(2027, 2, 1), False)
    entries = AuditEntry.objects.filter(action="calendar.recomputed").order_by("id")
    assert [e.data["changed"] for e in entries] == [1, 1]
    # Deleting it puts the notice's date back.
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.get(day=date(2027, 1, 29)).delete()
    case.refresh_from_db()
    assert case.due_on == date(2027, 1, 30)


def test_a_case_not_touched_by_the_change_is_not_counted(w, django_capture_on_commit_callbacks):
    register(w.registrar, w.d1)
    with django_capture_on_commit_callbacks(execute=True):
        HolidayNotice.objects.create(**NOTICE_2027)
    # A 2028 notice changes nothing due in 2027.
    with django_capture_on_commit_callbacks(execute=True):
        HolidayNotice.objects.create(
            year=2028, title="2028年安排（测试）", holidays="2028-01-01", workdays=""
        )
    entry = AuditEntry.objects.filter(action="calendar.recomputed").latest("id")
    assert (entry.data["checked"], entry.data["changed"]) == (0, 0)


def test_an_extension_letter_marks_a_provisional_date(w):
    case = register(w.registrar, w.d1)
    case = case_extend(actor=w.head, case=case, working_days=10, reason="需要检索大量档案")
    case.refresh_from_db()
    # 10 more working days after 1 Feb: 2–4 Feb (3), 5 and 8 Feb off (春节), 9–12 (7),
    # 15, 16, 17 Feb (10).
    assert (case.due_on, case.due_provisional) == (date(2027, 2, 17), True)
    letter = case.letters.get(doc_type="extension")
    assert "2027年2月17日（暂定" in letter.body


def test_every_open_case_step_still_works_and_stays_provisional(w):
    case = register(w.registrar, w.d1)
    assert Case.objects.get(pk=case.pk).due_provisional


def test_a_concluded_case_with_a_provisional_due_date_follows_the_notice(
    w, django_capture_on_commit_callbacks
):
    case = register(w.registrar, w.d1)
    Case.objects.filter(pk=case.pk).update(status="closed")  # withdrawn, say
    with django_capture_on_commit_callbacks(execute=True):
        HolidayNotice.objects.create(**NOTICE_2027)
    case.refresh_from_db()
    assert not case.due_provisional


def test_too_many_cases_are_left_to_the_daily_job(
    w, django_capture_on_commit_callbacks, monkeypatch
):
    from gongkai.cases.services import calendar as case_calendar

    monkeypatch.setattr(case_calendar, "RECOMPUTE_AT_ONCE", 1)
    first = register(w.registrar, w.d1)
    register(w.registrar, w.d1)
    with django_capture_on_commit_callbacks(execute=True):
        HolidayNotice.objects.create(**NOTICE_2027)
    first.refresh_from_db()
    assert first.due_provisional  # untouched here
    entry = AuditEntry.objects.filter(action="calendar.recomputed").latest("id")
    assert entry.data["deferred"] == 2 and entry.data["checked"] == 0
    assert "gongkai remind" in entry.message
