"""The official calendar, built once for the tests that need it."""

from __future__ import annotations

from functools import cache

from gongkai.core.calendar import WorkingCalendar, official_calendar


@cache
def official() -> WorkingCalendar:
    return official_calendar()
