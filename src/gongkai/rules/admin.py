"""The working-day calendar's data in the admin: yearly holiday notices and single days.

《政府信息公开条例》第三十三条 counts the reply period in working days, so what is entered
here moves deadlines. The forms refuse what would break the calendar: a notice that leaves a
gap between years (the calendar must be continuous), and a single-day correction outside the
years it covers. Dates are entered one or one run per line, as the State Council's notice
writes them (:func:`gongkai.core.holidays.parse_date_list`). Every save and delete is audited,
and recomputes the deadlines of the cases it moves in the same transaction; the administrator
is told how many moved (:func:`gongkai.cases.services.calendar.follow_calendar`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from gongkai.audit.admin import AuditedAdminMixin
from gongkai.core.calendar import (
    CalendarError,
    DayOverride,
    WorkingCalendar,
    YearNotice,
    official_calendar,
)

from .models import CalendarOverride, HolidayNotice, parse_days
from .selectors import working_calendar
from .services import announce_change

#: How many changed case numbers the admin's message names (all are in the audit entry).
NUMBERS_SHOWN = 10


def year_notice(notice: HolidayNotice) -> YearNotice:
    """The core's notice for a stored one (raises ValidationError or CalendarError)."""
    return YearNotice(
        notice.year,
        frozenset(parse_days(notice.holidays, notice.year)),
        frozenset(parse_days(notice.workdays, notice.year)),
        notice.title,
    )


def calendar_without(*excluded: int | None, extra: YearNotice | None = None) -> WorkingCalendar:
    """The calendar as it would be with the notices ``excluded`` left out and ``extra`` added.

    Raises :class:`CalendarError` (Chinese message) when the years would not be consecutive
    or a single-day correction would fall outside them.
    """
    notices = [year_notice(n) for n in HolidayNotice.objects.exclude(pk__in=excluded)]
    if extra is not None:
        notices = [n for n in notices if n.year != extra.year] + [extra]
    overrides = [DayOverride(o.day, o.working, o.note) for o in CalendarOverride.objects.all()]
    return official_calendar(notices=notices, overrides=overrides)


def refresh_message(obj: Any) -> str:
    """What the save recomputed (see :func:`gongkai.cases.services.calendar.follow_calendar`):
    how many cases were looked at and whose due date moved, naming the first of them."""
    result = getattr(obj, "_recomputed", None)
    if result is None:  # nobody followed the change here: it is recomputed on commit
        return "在办申请的答复期限随后按新日历重新计算（结果记入审计日志）。"
    if result.deferred:
        return (
            f"涉及 {result.deferred} 件申请，数量较多，保存时未逐件重新计算；"
            "其答复期限由每日定时任务（gongkai remind）按新日历重新计算。"
        )
    if not result.checked:
        return "没有受此项影响的申请，答复期限均无变化。"
    if not result.changed:
        return f"已按新日历重新计算 {result.checked} 件申请的答复期限，均无变化。"
    shown = "、".join(result.numbers[:NUMBERS_SHOWN])
    more = f"等 {result.changed} 件" if result.changed > NUMBERS_SHOWN else ""
    return (
        f"已按新日历重新计算 {result.checked} 件申请的答复期限，"
        f"其中 {result.changed} 件的答复期限有变化：{shown}{more}（详见审计日志）。"
    )


def coverage_message(cal: WorkingCalendar, obj: Any = None) -> str:
    first, last = cal.coverage
    return f"工作日历现覆盖 {first} 至 {last}。{refresh_message(obj)}"


def _day_count(text: str, year: int) -> int:
    try:
        return len(parse_days(text, year))
    except ValidationError:
        return 0


class HolidayNoticeForm(forms.ModelForm):
    class Meta:
        model = HolidayNotice
        fields = ("year", "title", "holidays", "workdays")
        widgets = {  # noqa: RUF012
            "holidays": forms.Textarea(attrs={"rows": 12, "cols": 20}),
            "workdays": forms.Textarea(attrs={"rows": 4, "cols": 20}),
        }

    def clean(self) -> dict[str, Any]:
        """The calendar must still build with this notice: years consecutive, days inside."""
        data = super().clean()
        if data.get("year") is None or self.errors:
            return data
        draft = HolidayNotice(
            year=data["year"],
            title=data.get("title", ""),
            holidays=data.get("holidays", ""),
            workdays=data.get("workdays") or "",
        )
        try:
            notice = year_notice(draft)
        except (ValidationError, CalendarError):
            return data  # the model's own clean() reports malformed dates
        try:
            calendar_without(self.instance.pk, extra=notice)
        except CalendarError as exc:
            raise ValidationError(str(exc)) from exc
        return data


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = HolidayNoticeForm
    list_display = ("year", "title", "holiday_count", "workday_count", "updated_at")
    search_fields = ("title",)
    ordering = ("-year",)

    @admin.display(description="放假天数")
    def holiday_count(self, obj: HolidayNotice) -> int:
        return _day_count(obj.holidays, obj.year)

    @admin.display(description="调休上班天数")
    def workday_count(self, obj: HolidayNotice) -> int:
        return _day_count(obj.workdays, obj.year)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each checked
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save, recompute the deadlines the change moves within the same transaction, and
        tell the administrator the calendar's range and how many deadlines moved."""
        super().save_model(request, obj, form, change)
        announce_change(obj)
        self.message_user(request, coverage_message(working_calendar(), obj), messages.INFO)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        announce_change(obj)
        self.message_user(request, coverage_message(working_calendar(), obj), messages.INFO)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """Refuse to delete a notice the calendar cannot do without (a year in the middle)."""
        obj = self.get_object(request, object_id)
        if obj is not None:
            try:
                calendar_without(obj.pk)
            except CalendarError as exc:
                self.message_user(request, f"不能删除{obj}：{exc}", messages.ERROR)
                url = reverse("admin:rules_holidaynotice_change", args=[obj.pk])
                return HttpResponseRedirect(url)
        return super().delete_view(request, object_id, extra_context)


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ("day", "working", "note")

    def clean_day(self) -> Any:
        """Only a day the calendar covers can be corrected (enter the year's notice first)."""
        day = self.cleaned_data["day"]
        try:
            first, last = working_calendar().coverage
        except CalendarError as exc:
            raise ValidationError(str(exc)) from exc
        if not first <= day <= last:
            raise ValidationError(
                f"日期 {day} 不在工作日历范围（{first} 至 {last}）内，"
                f"请先在“年度放假安排”中录入 {day.year} 年的放假安排"
            )
        return day


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CalendarOverrideForm
    list_display = ("day", "weekday", "working", "note", "updated_at")
    list_filter = ("working",)
    search_fields = ("note",)
    date_hierarchy = "day"
    ordering = ("-day",)

    @admin.display(description="星期")
    def weekday(self, obj: CalendarOverride) -> str:
        return "星期" + "一二三四五六日"[obj.day.weekday()]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Save and recompute at once, as for a notice (see HolidayNoticeAdmin.save_model)."""
        super().save_model(request, obj, form, change)
        announce_change(obj)
        self.message_user(request, refresh_message(obj), messages.INFO)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        announce_change(obj)
        self.message_user(request, refresh_message(obj), messages.INFO)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        """“删除所选”: one at a time, each audited and followed by its recompute."""
        for obj in queryset:
            self.delete_model(request, obj)
