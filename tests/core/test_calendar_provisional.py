"""Past the last official year the calendar goes on provisionally (暂定).

The package's tables end on 2026-12-31. For 2027 the expected dates are counted by hand on the
statutory holidays of 《全国年节及纪念日放假办法》 as amended in 2024 (国务院令第795号): 元旦 1 Jan
(a Friday), 春节 除夕 5 Feb (Fri) and 初一–初三 6–8 Feb (Sat–Mon), 清明 5 Apr (Mon), 劳动节 1–2 May
(Sat–Sun), 端午 9 Jun (Wed), 中秋 15 Sep (Wed), 国庆 1–3 Oct (Fri–Sun); weekends off; no 调休.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chinese_calendar import constants

from gongkai.core import events as ev
from gongkai.core.calendar import YearNotice, official_calendar
from gongkai.core.deadlines import reply_clock
from gongkai.core.holidays import HolidayRuleError, statutory_holidays
from tests.core.calendars import official

D = date


def test_the_package_ends_in_2026():
    assert official().coverage == (D(2004, 1, 1), D(2026, 12, 31))


def test_twenty_working_days_across_new_year_without_the_2027_notice():
    cal = official()
    # From Sunday 2026-12-20: 21–25 Dec (5), 28–31 Dec (9), 1 Jan off (元旦), 4–8 Jan (14),
    # 11–15 Jan (19), Monday 18 Jan is the 20th.
    due = cal.add_working_days(D(2026, 12, 20), 20)
    assert due == D(2027, 1, 18)
    assert cal.is_provisional(due)
    assert not cal.is_working_day(D(2027, 1, 1))
    assert cal.is_working_day(D(2026, 12, 31)) and not cal.is_provisional(D(2026, 12, 31))


def test_a_date_fully_inside_the_official_calendar_is_not_provisional():
    cal = official()
    # From Tuesday 2026-12-01: 2–4 Dec (3), 7–11 (8), 14–18 (13), 21–25 (18), 28, 29 (20).
    due = cal.add_working_days(D(2026, 12, 1), 20)
    assert due == D(2026, 12, 29)
    assert not cal.is_provisional(due)


def test_spring_festival_2027_by_rule():
    cal = official()
    assert [d for d, name in statutory_holidays(2027).items() if name == "春节"] == [
        D(2027, 2, 5),  # 除夕
        D(2027, 2, 6),  # 正月初一
        D(2027, 2, 7),
        D(2027, 2, 8),
    ]
    assert not cal.is_working_day(D(2027, 2, 5))  # Friday, 除夕
    assert not cal.is_working_day(D(2027, 2, 8))  # Monday, 初三
    assert cal.is_working_day(D(2027, 2, 4))
    # No day in lieu is guessed for 初一 and 初二 falling on the weekend, and no 调休.
    assert cal.is_working_day(D(2027, 2, 9)) and cal.is_working_day(D(2027, 2, 10))
    # From Monday 25 Jan: 26–29 Jan (4), 1–4 Feb (8), 9–12 Feb (12), 15–19 Feb (17),
    # 22, 23, 24 Feb (20).
    assert cal.add_working_days(D(2027, 1, 25), 20) == D(2027, 2, 24)


def test_the_2027_statutory_holidays():
    assert statutory_holidays(2027) == {
        D(2027, 1, 1): "元旦",
        D(2027, 2, 5): "春节",
        D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节",
        D(2027, 2, 8): "春节",
        D(2027, 4, 5): "清明节",
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
    }
    cal = official()
    off = [d for d in statutory_holidays(2027) if d.weekday() < 5]
    assert all(not cal.is_working_day(d) for d in off)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_the_rules_agree_with_every_published_notice(year):
    # Every statutory day falling on a weekday was a day off in that year's official notice:
    # checks the rules of each period (2008, 2014 and 2025 versions) and the lunar dates.
    rule = statutory_holidays(year)
    assert len(rule) >= 10
    assert [d for d in rule if d.weekday() < 5 and d not in constants.holidays] == []


def test_the_three_versions_of_the_spring_festival_and_labour_day():
    assert [d for d, n in statutory_holidays(2013).items() if n == "春节"] == [
        D(2013, 2, 9),  # 除夕, 初一, 初二 (国务院令第513号)
        D(2013, 2, 10),
        D(2013, 2, 11),
    ]
    assert [d for d, n in statutory_holidays(2024).items() if n == "春节"] == [
        D(2024, 2, 10),  # 初一至初三 (国务院令第644号)
        D(2024, 2, 11),
        D(2024, 2, 12),
    ]
    assert D(2024, 5, 2) not in statutory_holidays(2024)
    assert statutory_holidays(2025)[D(2025, 5, 2)] == "劳动节"
    with pytest.raises(HolidayRuleError):
        statutory_holidays(2007)


def test_qingming_by_the_solar_term():
    assert next(d for d, n in statutory_holidays(2027).items() if n == "清明节") == D(2027, 4, 5)
    assert next(d for d, n in statutory_holidays(2028).items() if n == "清明节") == D(2028, 4, 4)


def test_the_notice_once_entered_replaces_the_provisional_days():
    # A 2027 notice with a make-up Saturday (9 Jan) inside the window: exact, not provisional.
    notice = YearNotice(
        2027,
        holidays=frozenset({D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)}),
        workdays=frozenset({D(2027, 1, 9)}),
        source="测试用通知",
    )
    cal = official_calendar(notices=[notice])
    assert cal.coverage[1] == D(2027, 12, 31)
    due = cal.add_working_days(D(2026, 12, 20), 20)
    assert due == D(2027, 1, 15)  # Sat 9 Jan counts: one working day earlier than provisional
    assert not cal.is_provisional(due)
    assert cal.is_provisional(D(2028, 1, 1))


def test_the_reply_clock_says_when_its_due_date_is_provisional():
    cal = official()
    inside = reply_clock([ev.Received(D(2026, 11, 2))], D(2026, 11, 2), cal)
    assert not inside.provisional
    across = reply_clock([ev.Received(D(2026, 12, 20))], D(2026, 12, 21), cal)
    assert across.due == D(2027, 1, 18) and across.provisional
    # Received on Monday 4 Jan 2027 with no notice: 5–8 Jan (4), 11–15 (9), 18–22 (14),
    # 25–29 (19), Monday 1 Feb (20).
    after = reply_clock([ev.Received(D(2027, 1, 4))], D(2027, 1, 4), cal)
    assert after.due == D(2027, 2, 1) and after.provisional
    assert after.working_days_left == 20


def test_a_date_the_agency_fixed_is_not_provisional():
    cal = official()
    history = [
        ev.Received(D(2026, 12, 20)),
        ev.DeadlineSet(D(2026, 12, 22), D(2027, 3, 1), "第三十五条"),
    ]
    state = reply_clock(history, D(2026, 12, 22), cal)
    assert state.due == D(2027, 3, 1) and not state.provisional


def test_coverage_warning_says_deadlines_are_provisional():
    cal = official()
    late = cal.coverage_warning(D(2027, 1, 4))
    assert late is not None and "已超出范围" in late and "暂定" in late
    assert "2027 年放假安排" in late


def test_the_provisional_calendar_ends_and_says_so():
    cal = official()
    end = cal.provisional_until
    assert end is not None and end.year > 2027
    assert cal.add_working_days(end - timedelta(days=60), 20) <= end
