"""The admin's 年度放假安排 and 单日调整: dates entered as the State Council's notice writes them
(runs such as 1月28日至2月4日), errors naming the line, and the deadlines of the cases a change
moves recomputed in the save itself — the administrator is told how many moved, and by which
case numbers (《政府信息公开条例》第三十三条 counts the reply period in working days).

Hand counts (20 working days from the day after receipt):

- received Thursday 2025-01-02, before the 2025 notice is known (weekends and the statutory
  holidays only: 元旦, 春节 = 除夕 1月28日 and 初一至初三 1月29–31日): 3 Jan (1), 6–10 (6),
  13–17 (11), 20–24 (16), 27 (17), 3 Feb (18), 4 (19), 5 (20) → 2025-02-05 (暂定);
- with the real 2025 notice (off 28 Jan–4 Feb; Sunday 26 Jan worked): 3 Jan (1), 6–10 (6),
  13–17 (11), 20–24 (16), 26 (17), 27 (18), 5 Feb (19), 6 (20) → 2025-02-06;
- received Monday 2025-12-15 (the 2026 notice: off 1–3 Jan, Sunday 4 Jan worked): 16–19 Dec
  (4), 22–26 (9), 29–31 (12), 4 Jan (13), 5–9 (18), 12 (19), 13 (20) → 2026-01-13; with
  Monday 5 Jan made a day off by a 单日调整: 6–9 (17), 12–14 (20) → 2026-01-14.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.rules.models import CalendarOverride, HolidayNotice
from gongkai.rules.selectors import forget_calendar, working_calendar
from tests.core.test_calendar_notice_text import (
    HOLIDAYS_2025_AS_WRITTEN,
    HOLIDAYS_2026_AS_WRITTEN,
    WORKDAYS_2025_AS_WRITTEN,
    WORKDAYS_2026_AS_WRITTEN,
)
from tests.factories import register, world

pytestmark = pytest.mark.django_db

NOTICE_2025 = {
    "year": "2025",
    "title": "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
    "holidays": HOLIDAYS_2025_AS_WRITTEN,
    "workdays": WORKDAYS_2025_AS_WRITTEN,
}
NOTICE_2026 = {
    "year": "2026",
    "title": "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
    "holidays": HOLIDAYS_2026_AS_WRITTEN,
    "workdays": WORKDAYS_2026_AS_WRITTEN,
}


def url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


def texts(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


@pytest.fixture
def package_until_2024(monkeypatch):
    """The ``chinesecalendar`` package as it was before it learnt the 2025 notice."""
    from chinese_calendar import constants

    for name in ("holidays", "workdays"):
        table = getattr(constants, name)
        monkeypatch.setattr(constants, name, {d: v for d, v in table.items() if d.year < 2025})
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def early_2025(package_until_2024):
    with time_machine.travel("2025-01-02 10:00 +0800", tick=False):
        yield


@pytest.fixture
def mid_december(db):
    with time_machine.travel("2025-12-15 10:00 +0800", tick=False):
        yield


def test_entering_the_2025_notice_moves_the_provisional_deadline_in_the_save(
    admin_client, early_2025, django_capture_on_commit_callbacks
):
    w = world()
    case = register(w.registrar, w.d1)
    assert (case.due_on, case.due_provisional) == (date(2025, 2, 5), True)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("rules_holidaynotice_add"), NOTICE_2025, follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.due_on, case.due_provisional) == (date(2025, 2, 6), False)
    message = texts(response)
    assert "工作日历现覆盖 2004-01-01 至 2025-12-31" in message
    assert (
        f"已按新日历重新计算 1 件申请的答复期限，其中 1 件的答复期限有变化：{case.number}"
    ) in message
    assert "gongkai remind" not in message
    # The save, then what it caused; announced once although the commit came after.
    assert audit_actions()[-2:] == ["admin.holidaynotice.add", "calendar.recomputed"]
    entry = AuditEntry.objects.get(action="calendar.recomputed")
    assert (entry.data["checked"], entry.data["changed"], entry.data["cases"]) == (
        1,
        1,
        [case.number],
    )
    assert HolidayNotice.objects.get(year=2025).title.endswith("〔2024〕12号）")
    cal = working_calendar()
    assert not cal.is_working_day(date(2025, 2, 4)) and cal.is_working_day(date(2025, 1, 26))


def test_the_real_2026_notice_changes_nothing_the_package_already_had(admin_client, mid_december):
    w = world()
    case = register(w.registrar, w.d1)
    assert case.due_on == date(2026, 1, 13)
    response = admin_client.post(url("rules_holidaynotice_add"), NOTICE_2026, follow=True)
    assert response.status_code == 200
    assert "已按新日历重新计算 1 件申请的答复期限，均无变化。" in texts(response)
    case.refresh_from_db()
    assert case.due_on == date(2026, 1, 13)
    listing = admin_client.get(url("rules_holidaynotice_changelist")).content.decode()
    assert "更新时间" in listing and "updated at" not in listing.lower()
    row = listing[listing.index("国办发明电〔2025〕7号") :]
    assert '<td class="field-holiday_count">33</td>' in row
    assert '<td class="field-workday_count">6</td>' in row


def test_a_single_day_correction_says_which_cases_moved(admin_client, mid_december):
    w = world()
    case = register(w.registrar, w.d1)
    data = {"day": "2026-01-05", "working": "", "note": "本市调整放假（测试）"}
    response = admin_client.post(url("rules_calendaroverride_add"), data, follow=True)
    case.refresh_from_db()
    assert case.due_on == date(2026, 1, 14)
    assert f"其中 1 件的答复期限有变化：{case.number}" in texts(response)
    listing = admin_client.get(url("rules_calendaroverride_changelist")).content.decode()
    assert "更新时间" in listing and "星期一" in listing
    override = CalendarOverride.objects.get()
    response = admin_client.post(
        url("rules_calendaroverride_delete", override.pk), {"post": "yes"}, follow=True
    )
    case.refresh_from_db()
    assert case.due_on == date(2026, 1, 13)
    assert f"其中 1 件的答复期限有变化：{case.number}" in texts(response)
    assert audit_actions()[-2:] == ["admin.calendaroverride.delete", "calendar.recomputed"]


def test_a_line_that_cannot_be_read_is_named(admin_client, mid_december):
    data = {**NOTICE_2026, "holidays": "1月1日（周四）至3日（周六）\n2月15日至2月32日"}
    response = admin_client.post(url("rules_holidaynotice_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["holidays"] == ["第 2 行：2026年2月32日不是有效日期"]
    data = {**NOTICE_2026, "workdays": "1月4日（周六）"}
    errors = (
        admin_client.post(url("rules_holidaynotice_add"), data).context["adminform"].form.errors
    )
    assert errors["workdays"] == ["第 1 行：1月4日注明“周六”，但 2026-01-04 是星期日，请核对"]
    assert not HolidayNotice.objects.exists()


def test_too_many_cases_are_left_to_the_daily_job(admin_client, mid_december, monkeypatch):
    from gongkai.cases.services import calendar as case_calendar

    monkeypatch.setattr(case_calendar, "RECOMPUTE_AT_ONCE", 0)
    w = world()
    register(w.registrar, w.d1)
    response = admin_client.post(url("rules_holidaynotice_add"), NOTICE_2026, follow=True)
    assert "涉及 1 件申请，数量较多" in texts(response)
    assert "每日定时任务（gongkai remind）" in texts(response)


def test_deleting_several_corrections_at_once_recomputes_after_each(admin_client, mid_december):
    w = world()
    case = register(w.registrar, w.d1)
    for day in ("2026-01-05", "2026-01-06"):
        data = {"day": day, "working": "", "note": "本市调整放假（测试）"}
        admin_client.post(url("rules_calendaroverride_add"), data, follow=True)  # read its message
    case.refresh_from_db()
    assert case.due_on == date(2026, 1, 15)  # 5 and 6 Jan off: 7–9 (16), 12–15 (20)
    chosen = [str(pk) for pk in CalendarOverride.objects.values_list("pk", flat=True)]
    response = admin_client.post(
        url("rules_calendaroverride_changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
        follow=True,
    )
    assert not CalendarOverride.objects.exists()
    case.refresh_from_db()
    assert case.due_on == date(2026, 1, 13)
    assert audit_actions()[-4:] == [
        "admin.calendaroverride.delete",
        "calendar.recomputed",
        "admin.calendaroverride.delete",
        "calendar.recomputed",
    ]
    assert texts(response).count("其中 1 件的答复期限有变化") == 2
