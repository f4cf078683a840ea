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

from gongkai.core.holidays import DateListError, parse_date_list

HOLIDAYS_HELP = (
    "通知中的放假日期，含放假期间的周末。每行一个日期或一段日期，如 2027-01-01、"
    "2027-02-06至2027-02-12，也可照通知写作 2月6日至2月12日"
    "（不写年份的按本年度计，括号内的星期等说明不计）"
)
WORKDAYS_HELP = "通知中安排上班的周末日期，写法同放假日期，如 2027-02-20 或 2月20日（周六）"


def parse_days(text: str, year: int | None = None) -> list[date]:
    """The dates of a notice's field, as :func:`gongkai.core.holidays.parse_date_list` reads
    them (single dates and runs such as ``2027-02-06至2027-02-12``); a
    :class:`ValidationError` names the line that cannot be read."""
    try:
        return parse_date_list(text, year)
    except DateListError as exc:
        raise ValidationError(str(exc)) from exc


class HolidayNotice(models.Model):
    """One year's official arrangement: the holidays and the make-up working days (调休)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField(
        "通知名称", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    holidays = models.TextField("放假日期", help_text=HOLIDAYS_HELP)
    workdays = models.TextField("调休上班日期", blank=True, help_text=WORKDAYS_HELP)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年放假安排"

    def clean(self) -> None:
        """Each field's dates must be readable and in the notice's year (the error is put
        on the field, naming the line); no day both off and worked; at least one day off."""
        days: dict[str, list[date]] = {}
        errors: dict[str, str] = {}
        for field in ("holidays", "workdays"):
            try:
                days[field] = parse_days(getattr(self, field), self.year)
            except ValidationError as exc:
                errors[field] = exc.messages[0]
        if errors:
            raise ValidationError(errors)
        both = set(days["holidays"]) & set(days["workdays"])
        if both:
            raise ValidationError(f"{min(both)} 既是放假日期又是调休上班日期")
        if not days["holidays"]:
            raise ValidationError({"holidays": "至少填写一个放假日期"})


class CalendarOverride(models.Model):
    """A single day corrected by hand (wins over every notice)."""

    day = models.DateField("日期", unique=True)
    working = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=200)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "单日调整"
        verbose_name_plural = "单日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.working else '休息'}"
