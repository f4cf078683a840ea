"""System checks for misconfiguration, with stable ids (``python -m django check``).

- ``gongkai.W001`` the working-day calendar ends within the coming 90 days (enter next year's
  holiday notice);
- ``gongkai.W002`` it no longer covers today: deadlines are counted provisionally (暂定) until
  the year's notice is entered. This was the error ``gongkai.E001``; receiving applications is
  a legal duty (《政府信息公开条例》第三十一条、第三十三条), so nothing is blocked for it;
- ``gongkai.E002`` no real secret key while not in debug mode;
- ``gongkai.E004`` (in :mod:`keychecks`) the identity-data keys are missing, malformed, or do
  not decrypt the stored data.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from gongkai.security import keychecks  # noqa: F401 - registers gongkai.E004 and gongkai.W013


def _calendar() -> Any:
    from gongkai.core.calendar import official_calendar

    try:
        from gongkai.rules.selectors import working_calendar

        return working_calendar()
    except DatabaseError:  # tables not migrated yet: the package's own years
        return official_calendar()


@register()
def calendar_coverage(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    today = timezone.localdate()
    horizon = settings.GONGKAI_CALENDAR_HORIZON_DAYS
    first, last = _calendar().coverage
    if today > last:
        return [
            Warning(
                f"工作日历（{first} 至 {last}）不包含今天 {today}；答复期限暂按周末和法定节假日"
                "推算（未计调休），显示为“暂定”",
                hint=(
                    f"请在管理后台“年度放假安排”中录入 {last.year + 1} 年起的国务院办公厅放假通知，"
                    "录入后在办申请的期限自动重新计算"
                ),
                id="gongkai.W002",
            )
        ]
    if last < today + timedelta(days=horizon):
        return [
            Warning(
                f"工作日历只到 {last}，不足今后 {horizon} 天；跨过该日的期限将为暂定（未计调休）",
                hint=(
                    f"国务院办公厅公布 {last.year + 1} 年放假安排后，"
                    "请在管理后台“年度放假安排”中录入"
                ),
                id="gongkai.W001",
            )
        ]
    return []


@register(deploy=False)
def secret_key(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    key = settings.SECRET_KEY or ""
    if settings.DEBUG:
        return []
    if len(key) < 40 or key.startswith("django-insecure") or len(set(key)) < 5:
        return [
            Error(
                "非调试模式下必须设置足够随机的 SECRET_KEY（至少 40 个字符）",
                hint="设置环境变量 GONGKAI_SECRET_KEY，或删除它以在数据目录中自动生成",
                id="gongkai.E002",
            )
        ]
    return []
