"""When the calendar's data changes, the deadlines of open cases follow at once.

《政府信息公开条例》第三十三条 counts the reply period in working days, so a year's holiday
notice (or a single-day correction) entered by an administrator moves deadlines. Before the
notice is entered, deadlines past the official calendar are provisional (暂定, see
:mod:`gongkai.core.calendar`); saving or deleting a :class:`HolidayNotice` or
:class:`CalendarOverride` — in the admin or in code — recomputes the stored clock of every open
case whose due date is provisional, unknown, or on or after the first day of the changed year
(a day in that year may be counted in it), and of concluded cases whose due date was still
provisional, and records the run in the audit log with the number of cases whose due date
changed. More cases than a request should wait for are left to the daily ``gongkai remind``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from .models import CalendarOverride, HolidayNotice
from .selectors import forget_calendar

#: Past this many cases the recompute is left to the daily ``gongkai remind`` (which
#: refreshes every open case's clock): a request must not run for minutes.
RECOMPUTE_AT_ONCE = 2000


@dataclass(frozen=True, slots=True)
class Recomputed:
    """The outcome of one recompute: cases looked at, cases whose clock changed, and cases
    left to the scheduled job (too many to do at once)."""

    checked: int
    changed: int
    numbers: tuple[str, ...] = ()
    deferred: int = 0


def recompute_open_cases(since: date, *, at_once: int | None = None) -> Recomputed:
    """Recompute the clock of the cases a calendar change from ``since`` on may move: open
    cases due from then on (or provisionally, or with no due date), and concluded cases whose
    due date was still provisional (the record of whether the reply was late follows the
    real calendar). Past ``at_once`` cases nothing is done here (``deferred``)."""
    from gongkai.cases.models import Case
    from gongkai.cases.selectors import OPEN_STATUSES
    from gongkai.cases.services import case_refresh_clock

    forget_calendar()
    affected = Case.objects.filter(
        Q(status__in=OPEN_STATUSES)
        & (Q(due_provisional=True) | Q(due_on__isnull=True) | Q(due_on__gte=since))
        | Q(due_provisional=True)
    )
    if at_once is not None:
        pending = affected.count()
        if pending > at_once:
            return Recomputed(0, 0, (), deferred=pending)
    checked, numbers = 0, []
    for case in list(affected.only("pk", "number").order_by("pk")):
        checked += 1
        if case_refresh_clock(case):
            numbers.append(case.number)
    return Recomputed(checked, len(numbers), tuple(numbers))


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
    """post_save/post_delete: drop the cached calendar; once the change is committed,
    recompute the cases and audit the run (at once outside a transaction).

    The result is left on the instance (``_recomputed``) for whoever saved it.
    """
    forget_calendar()
    if raw:  # loading fixtures: no cases to follow
        return
    since = _first_day(instance)
    what = "删除" if _signal_name(kwargs) == "delete" else "保存"
    label = str(instance)
    transaction.on_commit(lambda: _recompute_and_audit(instance, since, f"{what}{label}"))


def _recompute_and_audit(instance: Any, since: date, what: str) -> Recomputed:
    from gongkai.audit.services import audit_record

    result = recompute_open_cases(since, at_once=RECOMPUTE_AT_ONCE)
    instance._recomputed = result
    done = (
        f"检查 {result.checked} 件，{result.changed} 件有变化"
        if not result.deferred
        else f"涉及 {result.deferred} 件，数量较多，由当天的定时任务 gongkai remind 重新计算"
    )
    audit_record(
        actor=None,
        action="calendar.recomputed",
        target=instance,
        message=f"{what}后按新工作日历重新计算申请的答复期限：{done}",
        data={
            "since": since.isoformat(),
            "checked": result.checked,
            "changed": result.changed,
            "deferred": result.deferred,
            "cases": list(result.numbers[:200]),
        },
    )
    return result


def _signal_name(kwargs: dict[str, Any]) -> str:
    from django.db.models.signals import post_delete

    return "delete" if kwargs.get("signal") is post_delete else "save"
