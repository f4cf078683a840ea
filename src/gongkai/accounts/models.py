"""Staff accounts, their roles in agencies, and API tokens.

A person may hold several roles in several agencies (a registrar of one department who is
also its secrecy reviewer; a handler in two internal units). What a person may see and do is
derived only from these memberships (:mod:`gongkai.accounts.scope`).
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models

from gongkai.core.workflow import Role


class User(AbstractUser):
    """A staff member. ``full_name`` is how letters and the timeline name them."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True, help_text="接收短信提醒")

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        """How the admin's header greets the user: the full name, else the user name."""
        return self.full_name or self.username


class Membership(models.Model):
    """``user`` holds ``role`` in ``agency`` (for a handler: the unit that does the work)."""

    user = models.ForeignKey(
        User, verbose_name="工作人员", on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=12, choices=[(r.value, r.label) for r in Role])

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {Role(self.role).label}"


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        User, verbose_name="工作人员", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100)
    digest = models.CharField("散列", max_length=64, unique=True, editable=False)
    prefix = models.CharField("前缀", max_length=8, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """A new token; the raw value is returned once and never stored."""
        raw = "gk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=cls.digest_of(raw), prefix=raw[:8])
        return token, raw


class LoginAttempt(models.Model):
    """One staff login attempt, counted for the login limits (:mod:`.login_throttle`).

    Keys are keyed hashes (of the user name, of the address, of both): the table holds
    neither user names nor addresses. A failure stays for the limits' windows; a success is
    kept (one per account and address) so that an address the account signed in from
    recently is recognised.
    """

    at = models.DateTimeField(db_index=True)
    account_key = models.CharField(max_length=64)
    address_key = models.CharField(max_length=64)
    pair_key = models.CharField(max_length=64)
    succeeded = models.BooleanField(default=False)

    class Meta:
        verbose_name = "登录尝试"
        verbose_name_plural = "登录尝试"
        indexes = [
            models.Index(fields=["account_key", "at"], name="login_attempt_account_idx"),
            models.Index(fields=["address_key", "at"], name="login_attempt_address_idx"),
            models.Index(fields=["pair_key", "at"], name="login_attempt_pair_idx"),
        ]

    def __str__(self) -> str:
        outcome = "成功" if self.succeeded else "失败"
        return f"{self.account_key[:8]} {self.at:%Y-%m-%d %H:%M} {outcome}"
