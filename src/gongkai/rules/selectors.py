"""The working calendar in force: the package's official data plus the administrators' entries."""

from __future__ import annotations

import threading
import time

from django.db.models import Count, Max

from gongkai.core.calendar import DayOverride, WorkingCalendar, YearNotice, official_calendar

from .models import CalendarOverride, HolidayNotice, parse_days

_lock = threading.Lock()
_cached: tuple[tuple, WorkingCalendar] | None = None
_checked_at = 0.0
# How long a process trusts its calendar before asking the database whether an administrator
# changed it. Changes made in this process reset it at once (see forget_calendar); other
# processes see them within this many seconds.
RECHECK_SECONDS = 2.0


def forget_calendar(**kwargs: object) -> None:
    """Drop the cached calendar (connected to saves and deletes of the calendar's data)."""
    global _cached, _checked_at
    with _lock:
        _cached, _checked_at = None, 0.0


def _version() -> tuple:
    n = HolidayNotice.objects.aggregate(c=Count("id"), m=Max("updated_at"))
    o = CalendarOverride.objects.aggregate(c=Count("id"), m=Max("updated_at"))
    return (n["c"], n["m"], o["c"], o["m"])


def working_calendar() -> WorkingCalendar:
    """The calendar, rebuilt only when an administrator changed a notice or an override."""
    global _cached, _checked_at
    with _lock:
        if _cached is not None and time.monotonic() - _checked_at < RECHECK_SECONDS:
            return _cached[1]
    version = _version()
    with _lock:
        if _cached is not None and _cached[0] == version:
            _checked_at = time.monotonic()
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
        _cached, _checked_at = (version, cal), time.monotonic()
    return cal
