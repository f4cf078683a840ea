"""The working calendar in force: the package's official data plus the administrators' entries."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from gongkai.core.calendar import DayOverride, WorkingCalendar, YearNotice, official_calendar

from .models import CalendarOverride, HolidayNotice, parse_days

_lock = threading.Lock()
_cached: tuple[tuple, WorkingCalendar] | None = None


def _version() -> tuple:
    n = HolidayNotice.objects.aggregate(c=Count("id"), m=Max("updated_at"))
    o = CalendarOverride.objects.aggregate(c=Count("id"), m=Max("updated_at"))
    return (n["c"], n["m"], o["c"], o["m"])


def working_calendar() -> WorkingCalendar:
    """The calendar, rebuilt only when an administrator changed a notice or an override."""
    global _cached
    version = _version()
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
    notices = [
        YearNotice(
            n.year,
            frozenset(parse_days(n.holidays, n.year)),
            frozenset(parse_days(n.workdays, n.year)),
            n.title,
        )
        for n in HolidayNotice.objects.all()
    ]
    overrides = [DayOverride(o.day, o.working, o.note) for o in CalendarOverride.objects.all()]
    cal = official_calendar(notices=notices, overrides=overrides)
    with _lock:
        _cached = (version, cal)
    return cal
