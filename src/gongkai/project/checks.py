"""System checks for misconfiguration, with stable ids (``python -m django check``).

- ``gongkai.E001`` the working-day calendar does not cover today;
- ``gongkai.W001`` it ends within the coming 90 days (enter next year's holiday notice);
- ``gongkai.E002`` no real secret key while not in debug mode;
- ``gongkai.E003`` the identity-data encryption keys are malformed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError
from django.utils import timezone


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
    if not first <= today <= last:
        return [
            Error(
                f"工作日历（{first} 至 {last}）不包含今天 {today}，无法计算任何答复期限",
                hint=f"请在管理后台“年度放假安排”中录入 {today.year} 年国务院办公厅放假通知",
                id="gongkai.E001",
            )
        ]
    if last < today + timedelta(days=horizon):
        return [
            Warning(
                f"工作日历只到 {last}，不足今后 {horizon} 天；跨过该日的期限无法计算",
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


@register()
def field_keys(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    from gongkai.project.crypto import FieldKeyError, _fernet

    try:
        _fernet()
    except FieldKeyError as exc:
        return [Error(str(exc), hint="用 `gongkai genkey` 生成新密钥", id="gongkai.E003")]
    return []
