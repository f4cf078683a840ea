"""The login forms of the staff site and of the admin, with one neutral message.

A wrong password, an unknown user name, an inactive account and a login refused because of
too many failures (:mod:`.login_throttle`) all read the same, so the page tells nobody
whether an account exists or is locked.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

NEUTRAL = "用户名或密码不正确，或尝试次数过多、暂时不能登录，请稍后再试。"

_MESSAGES = {"invalid_login": NEUTRAL, "inactive": NEUTRAL}


class StaffLoginForm(AuthenticationForm):
    """The staff site's login (``/login/``)."""

    error_messages = {**AuthenticationForm.error_messages, **_MESSAGES}  # noqa: RUF012


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login (``/admin/login/``); non-staff accounts get the same message too."""

    error_messages = {**AdminAuthenticationForm.error_messages, **_MESSAGES}  # noqa: RUF012
