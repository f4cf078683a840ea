"""Template filters for deadlines: a date counted past the official calendar shows 暂定.

Until the State Council's notice for a year is entered, deadlines that reach into that year
are counted provisionally (weekends and statutory holidays off, no 调休, see
:mod:`gongkai.core.calendar`); every page that shows such a date marks it, so nobody takes it
for certain (《政府信息公开条例》第三十三条 counts in working days).
"""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html

from gongkai.core.calendar import CalendarError
from gongkai.rules.selectors import working_calendar

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
