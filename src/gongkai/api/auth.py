"""Bearer-token authentication: ``Authorization: Bearer gk_...`` against :class:`ApiToken`.

Only the token's SHA-256 is stored; a request authenticates as the token's user, and from
then on sees exactly what that user sees on the staff site (:mod:`gongkai.accounts.scope`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from gongkai.accounts.models import ApiToken

MISSING = "需要接口令牌：请在请求头中提供 Authorization: Bearer <令牌>"


class TokenRefused(AuthenticationError):
    """A token that was presented but cannot be used (message in Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=401, message=message)


class TokenAuth(HttpBearer):
    """Accept an unrevoked API token of an active user; record when it was last used."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The token's user, or :class:`TokenRefused` saying why the token is not accepted."""
        token = token.strip()
        if not token:
            raise TokenRefused(MISSING)
        found = (
            ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        )
        if found is None:
            raise TokenRefused("接口令牌无效")
        if found.revoked:
            raise TokenRefused("接口令牌已吊销")
        if not found.user.is_active:
            raise TokenRefused("令牌所属账号已停用")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


def auth_message(exc: AuthenticationError) -> str:
    """The Chinese message for a refused authentication (ninja's own is English)."""
    return str(exc) if isinstance(exc, TokenRefused) else MISSING
