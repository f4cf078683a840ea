"""The SMS gateway, used by every app that texts someone (reminders to staff, notices to
applicants). Kept below the apps: it knows the setting, not who is texted or why.

``settings.GONGKAI_SMS_HOOK`` is the dotted path of a callable ``send(phone, text)`` that
the installation provides (its provider's API); empty means no SMS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

SmsHook = Callable[[str, str], Any]


def sms_hook() -> SmsHook | None:
    """The configured ``send(phone, text)`` callable, or None when SMS is not set up."""
    path = (getattr(settings, "GONGKAI_SMS_HOOK", "") or "").strip()
    if not path:
        return None
    try:
        return import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"短信接口 GONGKAI_SMS_HOOK={path} 无法导入：{exc}") from exc
