"""When the calendar's data changes, the deadlines of open cases follow at once.

《政府信息公开条例》第三十三条 counts the reply period in working days, so a year's holiday
notice (or a single-day correction) entered by an administrator moves deadlines. Before the
notice is entered, deadlines past the official calendar are provisional (暂定, see
:mod:`gongkai.core.calendar`); saving or deleting a :class:`HolidayNotice` or
:class:`CalendarOverride` — in the admin or in code — recomputes the stored clock of every open
case whose due date is provisional, unknown, or on or after the first day of the changed year
(a day in that year may be counted in it), and of concluded cases whose due date was still
provisional. This module announces the change — once committed, or at once when the saver
asks (the admin does, to tell the administrator how many deadlines moved); the cases app,
above it, does the recompute (:mod:`gongkai.cases.services.calendar`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from .models import CalendarOverride, HolidayNotice
from .selectors import forget_calendar
from .signals import working_calendar_changed


def _first_day(instance: Any) -> date:
    """The first day the saved or deleted entry (and its previous version) may change."""
    if isinstance(instance, HolidayNotice):
        years = [instance.year, getattr(instance, "_previous_year", None) or instance.year]
        return date(min(years), 1, 1)
    days = [instance.day, getattr(instance, "_previous_day", None) or instance.day]
    return min(days)


def remember_previous(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """pre_save: keep the year or day an edited entry had, which the change may also move."""
    if raw or instance.pk is None:
        return
    if isinstance(instance, HolidayNotice):
        old = HolidayNotice.objects.filter(pk=instance.pk).values_list("year", flat=True)
        instance._previous_year = old.first()
    elif isinstance(instance, CalendarOverride):
        old = CalendarOverride.objects.filter(pk=instance.pk).values_list("day", flat=True)
        instance._previous_day = old.first()


def calendar_changed(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """post_save/post_delete: drop the cached calendar and note the change on the entry;
    once the change is committed, announce it (:func:`announce_change`; the cases app
    recomputes the deadlines it moves), at once outside a transaction. Whoever saves inside
    a transaction and wants the result before it ends — the admin, which tells the
    administrator how many deadlines moved — calls :func:`announce_change` itself; the
    change is announced once either way."""
    forget_calendar()
    if raw:  # loading fixtures: no cases to follow
        return
    since = _first_day(instance)
    what = "删除" if _signal_name(kwargs) == "delete" else "保存"
    pending = getattr(instance, "_calendar_change", None)
    if pending is not None:  # saved again before it was announced: from the earlier day on
        since = min(since, pending[0])
    instance._calendar_change = (since, f"{what}{instance}")
    transaction.on_commit(lambda: announce_change(instance))


def announce_change(entry: Any) -> bool:
    """Announce the change of ``entry`` noted by :func:`calendar_changed`, if it was not
    announced yet (:data:`gongkai.rules.signals.working_calendar_changed`; receivers may leave
    their result on the entry, see :func:`gongkai.cases.services.calendar.follow_calendar`).
    Inside a transaction the receivers' work is part of it: rolled back with the change.
    Returns whether it was announced now."""
    pending = getattr(entry, "_calendar_change", None)
    if pending is None:
        return False
    entry._calendar_change = None
    since, what = pending
    forget_calendar()
    working_calendar_changed.send(sender=type(entry), entry=entry, since=since, what=what)
    return True


def _signal_name(kwargs: dict[str, Any]) -> str:
    from django.db.models.signals import post_delete

    return "delete" if kwargs.get("signal") is post_delete else "save"
