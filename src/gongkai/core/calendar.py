"""Working days: weekends and statutory holidays off, make-up working days (调休上班) on.

《政府信息公开条例》 counts every time limit in working days (第三十条、第三十三条、第三十四条).
A working day is a weekday that is not a statutory holiday, plus the weekend days the State
Council designates as make-up working days in its yearly notice (国务院办公厅关于某年部分节假日
安排的通知). The notice for a year comes out in the preceding November or December, so the
calendar is built from data passed in — the ``chinesecalendar`` package's tables, year
notices an administrator enters before the package knows them, and single-day corrections.

Receiving and answering applications must not stop when the year's notice is late, so past
the last official day the calendar goes on **provisionally** (暂定) for
:data:`PROVISIONAL_YEARS` years: weekends off plus the statutory holidays fixed by
《全国年节及纪念日放假办法》 (:mod:`.holidays`), and no make-up working days (调休上班),
which are unknowable before the notice. :meth:`WorkingCalendar.coverage` stays the official
range; :meth:`WorkingCalendar.is_provisional` tells whether a date lies beyond it. A date
computed by counting working days depends on provisional days exactly when it lies beyond
the official range (every day counted lies between the start and the result), so a caller
marks a result provisional with ``calendar.is_provisional(result)``. Dates before the first
official day, or past the provisional range, are refused with a clear message.

A deadline of N working days “from” a date is the N-th working day counting from the day
after it (the day of the event itself never counts). Every query is O(1): the calendar
keeps, for each covered day, how many working days fall on or before it, and the list of
working days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .holidays import statutory_holidays

SATURDAY = 5
#: Years past the last official one that the calendar counts provisionally.
PROVISIONAL_YEARS = 5


class CalendarError(ValueError):
    """A calendar that cannot be built or a query it cannot answer (message in Chinese)."""


class OutsideCalendar(CalendarError):
    """A date, or a deadline, beyond the days the calendar knows."""


@dataclass(frozen=True, slots=True)
class DayOverride:
    """An administrator's correction of one day: working or not, and why."""

    day: date
    working: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class YearNotice:
    """One year's holiday arrangement as the State Council's notice publishes it.

    ``holidays`` are the days off (including the weekend days inside a holiday block);
    ``workdays`` the weekend days worked instead (调休上班). ``source`` names the notice
    (for example 国办发明电〔2025〕7号).
    """

    year: int
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    source: str = ""

    def __post_init__(self) -> None:
        for day in (*self.holidays, *self.workdays):
            if day.year != self.year:
                raise CalendarError(f"{self.year}年放假安排中的日期 {day} 不属于{self.year}年")
        both = self.holidays & self.workdays
        if both:
            first = min(both)
            raise CalendarError(f"{self.year}年放假安排中 {first} 既是放假日又是调休上班日")


def _is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


class WorkingCalendar:
    """Working-day arithmetic over a continuous range of covered days."""

    __slots__ = (
        "_cum",
        "_end_day",
        "_first",
        "_first_day",
        "_last_day",
        "_len",
        "_working",
        "notes",
    )

    def __init__(
        self,
        first: date,
        last: date,
        *,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        overrides: Iterable[DayOverride] = (),
        provisional_until: date | None = None,
    ) -> None:
        """``first``–``last``: the official days; after ``last`` up to ``provisional_until``
        (if given) the provisional ones: weekends and statutory holidays off, no 调休."""
        if last < first:
            raise CalendarError(f"工作日历的结束日期 {last} 早于开始日期 {first}")
        end = provisional_until if provisional_until and provisional_until > last else last
        off, on = set(holidays), set(workdays)
        self.notes: dict[date, str] = {}
        for override in overrides:
            if not first <= override.day <= last:
                raise OutsideCalendar(
                    f"更正的日期 {override.day} 不在工作日历范围（{first} 至 {last}）内，"
                    "请先录入该年度的放假安排"
                )
            (on if override.working else off).add(override.day)
            (off if override.working else on).discard(override.day)
            self.notes[override.day] = override.note
        self._first = first.toordinal()
        self._first_day, self._last_day, self._end_day = first, last, end
        self._len = end.toordinal() - self._first + 1
        if end > last:
            off.update(
                d
                for y in range(last.year, end.year + 1)
                for d in statutory_holidays(y)
                if last < d <= end
            )
        cum: list[int] = []
        working: list[date] = []
        day = first
        for _ in range(self._len):
            if day in on or (not _is_weekend(day) and day not in off):
                working.append(day)
            cum.append(len(working))
            day += timedelta(days=1)
        self._cum = cum
        self._working = working

    # --- coverage ------------------------------------------------------------------------

    @property
    def coverage(self) -> tuple[date, date]:
        """The first and last day of the official calendar (notices and the package)."""
        return self._first_day, self._last_day

    @property
    def provisional_until(self) -> date | None:
        """The last day counted provisionally, or None when nothing is."""
        return self._end_day if self._end_day > self._last_day else None

    def covers(self, day: date) -> bool:
        """Whether ``day`` is in the official calendar (not merely provisional)."""
        return self._first_day <= day <= self._last_day

    def is_provisional(self, day: date | None) -> bool:
        """Whether ``day`` lies past the official calendar, so is counted provisionally.

        A date computed by counting working days from an officially covered start depends
        on provisional days exactly when it is itself provisional.
        """
        return day is not None and day > self._last_day

    def coverage_warning(self, today: date, *, months: int = 3) -> str | None:
        """A warning when the calendar ends within ``months`` months of ``today``."""
        horizon = today + timedelta(days=31 * months)
        if horizon <= self._last_day:
            return None
        nxt = self._last_day.year + 1
        if today > self._last_day:
            return (
                f"工作日历只到 {self._last_day}，今天（{today}）已超出范围；此后的期限暂按周末和"
                f"法定节假日计算（未计调休），显示为“暂定”；请管理员立即录入 {nxt} 年放假安排，"
                "录入后期限自动重新计算"
            )
        return (
            f"工作日历只到 {self._last_day}，不足 {months} 个月；跨过该日的期限为暂定；"
            f"请管理员在国务院办公厅通知发布后录入 {nxt} 年放假安排"
        )

    def _index(self, day: date) -> int:
        i = day.toordinal() - self._first
        if not 0 <= i < self._len:
            raise OutsideCalendar(self._outside(day))
        return i

    def _outside(self, day: date) -> str:
        return (
            f"日期 {day} 超出工作日历范围（{self._first_day} 至 {self._end_day}），"
            f"无法按工作日计算；请管理员录入 {day.year} 年放假安排"
        )

    # --- queries ---------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        i = self._index(day)
        return self._cum[i] != (self._cum[i - 1] if i else 0)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day counting from the day after ``start`` (``start`` if 0)."""
        i = start.toordinal() - self._first
        if not 0 <= i < self._len:
            raise OutsideCalendar(self._outside(start))
        if n <= 0:
            if n == 0:
                return start
            raise CalendarError(f"工作日数不能为负数（{n}）")
        target = self._cum[i] + n
        if target > len(self._working):
            raise OutsideCalendar(
                f"自 {start} 起第 {n} 个工作日超出工作日历范围（至 {self._end_day}）；"
                f"请管理员录入 {self._last_day.year + 1} 年放假安排"
            )
        return self._working[target - 1]

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if earlier)."""
        return self._cum[self._index(end)] - self._cum[self._index(start)]

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.add_working_days(day, 1)

    def working_days_in(self, start: date, end: date) -> list[date]:
        """The working days after ``start`` up to and including ``end``."""
        lo, hi = self._cum[self._index(start)], self._cum[self._index(end)]
        return self._working[lo:hi]


def official_calendar(
    *,
    notices: Iterable[YearNotice] = (),
    overrides: Iterable[DayOverride] = (),
    provisional_years: int = PROVISIONAL_YEARS,
) -> WorkingCalendar:
    """The official calendar: ``chinesecalendar``'s years, then notices entered by hand.

    A notice for a year the package already knows replaces the package's data for that
    year. The covered years must follow each other without a gap. ``provisional_years``
    more years follow provisionally (0: none, dates past the official ones are refused).
    """
    from chinese_calendar import constants  # the package's tables of official days

    years: dict[int, YearNotice] = {}
    known = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    for year in sorted(known):
        years[year] = YearNotice(
            year,
            frozenset(d for d in constants.holidays if d.year == year),
            frozenset(d for d in constants.workdays if d.year == year),
            "chinesecalendar",
        )
    for notice in notices:
        years[notice.year] = notice
    return calendar_from_notices(
        years.values(), overrides=overrides, provisional_years=provisional_years
    )


def calendar_from_notices(
    notices: Iterable[YearNotice],
    *,
    overrides: Iterable[DayOverride] = (),
    provisional_years: int = PROVISIONAL_YEARS,
) -> WorkingCalendar:
    """A calendar covering whole years, one notice per year, the years consecutive, then
    ``provisional_years`` years counted provisionally (see the module docstring)."""
    by_year = {n.year: n for n in notices}
    if not by_year:
        raise CalendarError("没有任何年度的放假安排，无法建立工作日历")
    first, last = min(by_year), max(by_year)
    missing = [y for y in range(first, last + 1) if y not in by_year]
    if missing:
        raise CalendarError(
            f"工作日历缺少 {'、'.join(map(str, missing))} 年的放假安排（各年度必须连续）"
        )
    return WorkingCalendar(
        date(first, 1, 1),
        date(last, 12, 31),
        holidays=(d for n in by_year.values() for d in n.holidays),
        workdays=(d for n in by_year.values() for d in n.workdays),
        overrides=overrides,
        provisional_until=date(last + provisional_years, 12, 31) if provisional_years > 0 else None,
    )
