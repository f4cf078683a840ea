"""The working-day calendar's data kept by administrators.

``chinesecalendar`` carries the State Council's holiday notices up to its release; each
year's notice is published only in the preceding late autumn, so an administrator enters it
here (:class:`HolidayNotice`) as soon as it appears, and may correct a single day
(:class:`CalendarOverride`), e.g. a local make-up day. 《政府信息公开条例》第三十三条 counts
deadlines in working days; the days here decide them.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models


def parse_days(text: str, year: int | None = None) -> list[date]:
    """Dates written one per line or separated by commas/spaces, as YYYY-MM-DD."""
    out = []
    for n, token in enumerate(text.replace(",", " ").replace("，", " ").split(), start=1):
        try:
            day = date.fromisoformat(token)
        except ValueError as exc:
            raise ValidationError(f"第 {n} 个日期“{token}”不是 YYYY-MM-DD 格式") from exc
        if year is not None and day.year != year:
            raise ValidationError(f"日期 {day} 不属于 {year} 年")
        out.append(day)
    return sorted(set(out))


class HolidayNotice(models.Model):
    """One year's official arrangement: the holidays and the make-up working days (调休)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField(
        "通知名称", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    holidays = models.TextField("放假日期", help_text="每行一个日期，如 2027-01-01")
    workdays = models.TextField("调休上班日期", blank=True, help_text="周末上班的日期，每行一个")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年放假安排"

    def clean(self) -> None:
        holidays = parse_days(self.holidays, self.year)
        workdays = parse_days(self.workdays, self.year)
        both = set(holidays) & set(workdays)
        if both:
            raise ValidationError(f"{min(both)} 既是放假日期又是调休上班日期")
        if not holidays:
            raise ValidationError({"holidays": "至少填写一个放假日期"})


class CalendarOverride(models.Model):
    """A single day corrected by hand (wins over every notice)."""

    day = models.DateField("日期", unique=True)
    working = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "单日调整"
        verbose_name_plural = "单日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.working else '休息'}"
