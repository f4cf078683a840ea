"""Working days on the official calendar.

Expected dates are counted by hand on the State Council's holiday notices for 2024
(国办发明电〔2023〕7号), 2025 (国办发明电〔2024〕12号) and 2026 (国办发明电〔2025〕7号).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.calendar import (
    PROVISIONAL_YEARS,
    CalendarError,
    DayOverride,
    OutsideCalendar,
    WorkingCalendar,
    YearNotice,
    calendar_from_notices,
    official_calendar,
)
from tests.core.calendars import official

D = date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 9, 28), True),  # Sunday, make-up day for 国庆/中秋
        (D(2025, 10, 11), True),  # Saturday, make-up day
        (D(2025, 10, 8), False),  # last day of the 8-day block
        (D(2025, 10, 9), True),
        (D(2025, 1, 26), True),  # Sunday before 春节 2025
        (D(2025, 2, 8), True),  # Saturday after 春节 2025
        (D(2025, 2, 4), False),
        (D(2026, 2, 14), True),  # Saturday before 春节 2026
        (D(2026, 2, 23), False),  # last day of the 9-day block
        (D(2026, 2, 28), True),  # Saturday after 春节 2026
        (D(2024, 9, 29), True),  # Sunday, make-up day for 国庆 2024
        (D(2024, 10, 12), True),
        (D(2025, 11, 22), False),  # an ordinary Saturday
        (D(2025, 11, 24), True),  # an ordinary Monday
    ],
)
def test_is_working_day(day, working):
    assert official().is_working_day(day) is working


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Friday before 国庆/中秋 2025: Sun 9-28 is day 1, Sat 10-11 day 6.
        (D(2025, 9, 26), D(2025, 10, 30)),
        # Saturday 9-27 (online, confirmed that day): the count starts on the make-up Sunday.
        (D(2025, 9, 27), D(2025, 10, 30)),
        # The last working day before the block: 10-9 is day 1.
        (D(2025, 9, 30), D(2025, 11, 4)),
        # 春节 2025: Sun 1-26 day 1, Mon 1-27 day 2, Wed 2-5 day 3, Sat 2-8 day 6.
        (D(2025, 1, 24), D(2025, 2, 27)),
        # 春节 2026: Sat 2-14 day 3, then Tue 2-24 day 4, Sat 2-28 day 8.
        (D(2026, 2, 11), D(2026, 3, 17)),
        # 国庆 2024: Sun 9-29 day 1, Sat 10-12 day 7.
        (D(2024, 9, 27), D(2024, 10, 30)),
        # 中秋 + 国庆 2026: Mon 9-28 day 1, Sat 10-10 day 6.
        (D(2026, 9, 24), D(2026, 10, 29)),
    ],
)
def test_reply_deadline_of_twenty_working_days(received, due):
    assert official().add_working_days(received, 20) == due


def test_correction_notice_deadline_across_national_day():
    # 9-28 (1) 9-29 (2) 9-30 (3) 10-9 (4) 10-10 (5) 10-11 (6) 10-13 (7)
    assert official().add_working_days(D(2025, 9, 26), 7) == D(2025, 10, 13)


def test_working_days_between_counts_after_start_up_to_end():
    cal = official()
    assert cal.working_days_between(D(2025, 9, 26), D(2025, 10, 13)) == 7
    assert cal.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert cal.working_days_between(D(2025, 10, 13), D(2025, 9, 26)) == -7


def test_working_days_in_lists_the_make_up_days():
    days = official().working_days_in(D(2025, 9, 26), D(2025, 10, 12))
    assert days == [D(2025, 9, 28), D(2025, 9, 29), D(2025, 9, 30), D(2025, 10, 9),
                    D(2025, 10, 10), D(2025, 10, 11)]  # fmt: skip


def test_zero_working_days_is_the_start_itself():
    assert official().add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 1)


def test_dates_past_the_official_calendar_are_provisional_not_refused():
    # Receiving applications never stops: past the last notice the calendar goes on
    # provisionally (tests/core/test_calendar_provisional.py has the exact rules).
    cal = official()
    first, last = cal.coverage
    assert first == D(2004, 1, 1)
    assert not cal.is_provisional(last) and cal.is_provisional(last + timedelta(days=1))
    assert cal.covers(last) and not cal.covers(last + timedelta(days=1))
    assert cal.add_working_days(D(last.year, 12, 20), 20) > last
    # Before the first official day, and past the provisional years, dates are refused.
    with pytest.raises(OutsideCalendar, match="超出工作日历范围"):
        cal.working_days_between(D(2003, 12, 31), D(2004, 1, 5))
    end = cal.provisional_until
    assert end == D(last.year + PROVISIONAL_YEARS, 12, 31)
    with pytest.raises(OutsideCalendar, match="超出工作日历范围"):
        cal.is_working_day(end + timedelta(days=1))
    with pytest.raises(OutsideCalendar, match=f"请管理员录入 {last.year + 1} 年放假安排"):
        cal.add_working_days(D(end.year, 12, 20), 20)


def test_without_provisional_years_dates_past_the_notices_are_refused():
    cal = official_calendar(provisional_years=0)
    last = cal.coverage[1]
    assert cal.provisional_until is None
    with pytest.raises(OutsideCalendar, match="超出工作日历范围"):
        cal.is_working_day(last + timedelta(days=1))
    with pytest.raises(OutsideCalendar, match=f"请管理员录入 {last.year + 1} 年放假安排"):
        cal.add_working_days(D(last.year, 12, 20), 20)


def test_coverage_warning_names_the_missing_year():
    cal = official()
    last = cal.coverage[1]
    assert cal.coverage_warning(D(last.year, 3, 1)) is None
    soon = cal.coverage_warning(D(last.year, 11, 23))
    assert soon is not None and f"{last.year + 1} 年放假安排" in soon and "不足 3 个月" in soon
    late = cal.coverage_warning(last + timedelta(days=3))
    assert late is not None and "已超出范围" in late


def test_a_year_notice_entered_by_hand_extends_the_calendar():
    # A next-year notice entered by an administrator before the package knows the year.
    nxt = official().coverage[1].year + 1
    notice = YearNotice(
        nxt,
        holidays=frozenset({D(nxt, 1, 1), D(nxt, 1, 2)}),
        workdays=frozenset(),
        source="国务院办公厅通知（手工录入）",
    )
    cal = official_calendar(notices=[notice])
    assert cal.coverage[1] == D(nxt, 12, 31)
    assert not cal.is_working_day(D(nxt, 1, 2))
    assert cal.add_working_days(D(nxt - 1, 12, 20), 20) > D(nxt, 1, 2)


def test_overrides_correct_single_days():
    cal = official_calendar(
        overrides=[
            DayOverride(D(2025, 11, 24), working=False, note="本地临时放假"),
            DayOverride(D(2025, 11, 22), working=True, note="补班"),
        ]
    )
    assert not cal.is_working_day(D(2025, 11, 24))
    assert cal.is_working_day(D(2025, 11, 22))
    assert cal.notes[D(2025, 11, 24)] == "本地临时放假"
    # Friday 11-21: Sat 11-22 is now day 1, Mon 11-24 is off, Tue 11-25 is day 2.
    assert cal.add_working_days(D(2025, 11, 21), 2) == D(2025, 11, 25)


def test_override_outside_the_calendar_is_refused():
    with pytest.raises(OutsideCalendar, match="请先录入该年度的放假安排"):
        official_calendar(overrides=[DayOverride(D(2099, 1, 1), working=False)])


def test_notices_must_be_consecutive_and_consistent():
    with pytest.raises(CalendarError, match="缺少 2031 年"):
        calendar_from_notices([YearNotice(2030), YearNotice(2032)])
    with pytest.raises(CalendarError, match="不属于2030年"):
        YearNotice(2030, holidays=frozenset({D(2031, 1, 1)}))
    with pytest.raises(CalendarError, match="既是放假日又是调休上班日"):
        YearNotice(2030, holidays=frozenset({D(2030, 1, 1)}), workdays=frozenset({D(2030, 1, 1)}))
    with pytest.raises(CalendarError, match="早于开始日期"):
        WorkingCalendar(D(2030, 1, 2), D(2030, 1, 1))


# --- properties -------------------------------------------------------------------------------

days = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31))
counts = st.integers(min_value=0, max_value=40)


@given(start=days, n=counts)
def test_adding_then_counting_back_gives_n(start, n):
    cal = official()
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(start=days, n=st.integers(min_value=1, max_value=40))
def test_a_deadline_always_falls_on_a_working_day(start, n):
    cal = official()
    due = cal.add_working_days(start, n)
    assert due > start and cal.is_working_day(due)
    # and it is the n-th: exactly n - 1 working days lie strictly between
    assert cal.working_days_between(start, due - timedelta(days=1)) == n - 1
