"""Template filters for deadlines: a date counted past the official calendar shows 暂定.

Until the State Council's notice for a year is entered, deadlines that reach into that year
are counted provisionally (weekends and statutory holidays off, no 调休, see
:mod:`gongkai.core.calendar`); every page that shows such a date marks it, so nobody takes it
for certain (《政府信息公开条例》第三十三条 counts in working days).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django import template
from django.utils.html import format_html

from gongkai.core.calendar import CalendarError
from gongkai.rules.selectors import working_calendar

from ..clock import CorrectionState, correction_state
from ..models import Case, CaseEvent

register = template.Library()

PROVISIONAL_TITLE = (
    "{year}年节假日安排尚未录入，该日期按周末和法定节假日推算（未计调休），录入后自动重新计算"
)


def is_provisional_day(day: date | None) -> bool:
    """Whether ``day`` lies past the official calendar in force."""
    if not isinstance(day, date):
        return False
    try:
        return working_calendar().is_provisional(day)
    except CalendarError:
        return False


@register.filter
def due_date(day: date | None, provisional: bool | None = None) -> str:
    """``day`` as YYYY-MM-DD, followed by a 暂定 mark when it is provisional.

    ``provisional``: the stored flag (``case.due_provisional``, ``clock.provisional``); left
    out, the calendar in force decides from the date itself.
    """
    if not isinstance(day, date):
        return "—"
    flag = is_provisional_day(day) if provisional is None else bool(provisional)
    text = day.strftime("%Y-%m-%d")
    if not flag:
        return text
    return format_html(
        '{}<span class="provisional" title="{}">（暂定）</span>',
        text,
        PROVISIONAL_TITLE.format(year=day.year),
    )


@register.simple_tag
def correction_of(
    case: Case, notice_due: date | None, events: Iterable[CaseEvent] | None = None
) -> CorrectionState:
    """Where the case's correction (补正, 《政府信息公开条例》第三十条) stands: the case page
    shows a correction deadline only while one still runs, and “已补正” once the corrected
    application is received (the reply period then runs afresh from that day).

    ``notice_due``: the clock's deadline for the correction notice; ``events``: the case's
    events when the page already has them (read from the case otherwise).
    """
    rows = case.events.all() if events is None else events
    return correction_state(case.status, rows, notice_due)
