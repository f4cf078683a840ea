"""The authentication backend: Django's model backend behind the login limits.

Every password check of the site goes through ``authenticate()`` — the staff login page, the
admin's login, anything added later — so the limits live here, in one place, rather than in
each login form (:mod:`.login_throttle` explains them). A refused attempt raises
``PermissionDenied``, which ``authenticate()`` turns into "no user" (and the
``user_login_failed`` signal) without asking any other backend; the forms then show the same
neutral message as for a wrong password (:mod:`.forms`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gongkai.audit.net import client_ip

from . import login_throttle


class ThrottledModelBackend(ModelBackend):
    """:class:`ModelBackend` with failed logins limited per account, address and both."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_ip(request)
        try:
            attempt = login_throttle.begin(str(username), address)
        except login_throttle.Locked as exc:
            raise PermissionDenied("登录尝试次数过多") from exc
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_throttle.failed(attempt)
            return None
        login_throttle.succeeded(attempt)
        return user
