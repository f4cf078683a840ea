"""The login forms of the staff site and of the admin, with one neutral message; the
admin's forms for staff accounts.

A wrong password, an unknown user name, an inactive account and a login refused because of
too many failures (:mod:`.login_throttle`) all read the same, so the page tells nobody
whether an account exists or is locked.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    AuthenticationForm,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.utils.html import format_html

from .models import User

NEUTRAL = "用户名或密码不正确，或尝试次数过多、暂时不能登录，请稍后再试。"

_MESSAGES = {"invalid_login": NEUTRAL, "inactive": NEUTRAL}


class StaffLoginForm(AuthenticationForm):
    """The staff site's login (``/login/``)."""

    error_messages = {**AuthenticationForm.error_messages, **_MESSAGES}  # noqa: RUF012


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login (``/admin/login/``); non-staff accounts get the same message too."""

    error_messages = {**AdminAuthenticationForm.error_messages, **_MESSAGES}  # noqa: RUF012


#: Django's own help for “Password-based authentication” names single sign-on systems in
#: English and, on the password page, adds an untranslated warning; the office reads these.
LOGIN_HELP = (
    "是否允许该工作人员用密码登录。停用后，只能通过本单位另行配置的统一身份认证等方式登录。"
)
UNUSABLE_WARNING = "停用后，该工作人员现有的密码将被清除。"


class StaffCreationForm(AdminUserCreationForm):
    """The admin's “add a staff member” form."""

    usable_password = SetUnusablePasswordMixin.create_usable_password_field(LOGIN_HELP)

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email", "phone")


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's “set a password” form, with the help and the warning in Chinese (the
    warning keeps Django's markup, which the page's script shows and hides)."""

    usable_password_help_text = format_html(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        LOGIN_HELP,
        UNUSABLE_WARNING,
    )
