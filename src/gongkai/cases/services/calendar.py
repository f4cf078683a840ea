"""The deadlines follow the working calendar.

《政府信息公开条例》第三十三条 counts the reply period in working days, so a year's holiday
notice (or a single-day correction) entered by an administrator moves deadlines. When the
rules app announces such a change (:data:`gongkai.rules.signals.working_calendar_changed`),
the stored clock of every open case whose due date is provisional, unknown, or on or after
the first day the change may move is recomputed, and of concluded cases whose due date was
still provisional; the run goes into the audit log with the number of cases whose due date
changed. More cases than a request should wait for are left to the daily ``gongkai remind``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from gongkai.audit.services import audit_record
from gongkai.rules.selectors import forget_calendar

from ..models import Case
from ..selectors import OPEN_STATUSES
from .endings import case_refresh_clock

#: Past this many cases the recompute is left to the daily ``gongkai remind`` (which
#: refreshes every open case's clock): a request must not run for minutes.
RECOMPUTE_AT_ONCE = 2000


@dataclass(frozen=True, slots=True)
class Recomputed:
    """The outcome of one recompute: cases looked at, cases whose due date changed (or
    stopped or started being 暂定) with their numbers, and cases left to the scheduled job
    (too many to do at once)."""

    checked: int
    changed: int
    numbers: tuple[str, ...] = ()
    deferred: int = 0


def recompute_open_cases(since: date, *, at_once: int | None = None) -> Recomputed:
    """Recompute the clock of the cases a calendar change from ``since`` on may move: open
    cases due from then on (or provisionally, or with no due date), and concluded cases whose
    due date was still provisional (the record of whether the reply was late follows the
    real calendar). Past ``at_once`` cases nothing is done here (``deferred``)."""
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
    rows = affected.only("pk", "number", "due_on", "due_provisional").order_by("pk")
    for case in list(rows):
        checked += 1
        if not case_refresh_clock(case):
            continue
        # The card may change with the day alone; what the calendar moves is the due date.
        after = Case.objects.filter(pk=case.pk).values_list("due_on", "due_provisional").get()
        if after != (case.due_on, case.due_provisional):
            numbers.append(case.number)
    return Recomputed(checked, len(numbers), tuple(numbers))


def follow_calendar(*, entry: Any, since: date, what: str, **_signal: Any) -> Recomputed:
    """Receiver of :data:`gongkai.rules.signals.working_calendar_changed`: recompute the
    cases the change may move and record the run in the audit log; the result is left on
    the entry (``_recomputed``) for the admin page that saved it."""
    result = recompute_open_cases(since, at_once=RECOMPUTE_AT_ONCE)
    entry._recomputed = result
    done = (
        f"检查 {result.checked} 件，{result.changed} 件有变化"
        if not result.deferred
        else f"涉及 {result.deferred} 件，数量较多，由当天的定时任务 gongkai remind 重新计算"
    )
    audit_record(
        actor=None,
        action="calendar.recomputed",
        target=entry,
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
