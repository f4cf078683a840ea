"""Encryption at rest for applicants' identity data (Fernet from ``cryptography``).

Keys come from ``settings.GONGKAI_FIELD_KEYS`` (newest first; older keys still decrypt, so
keys can be rotated); when none is configured, one key is generated once into the data
directory. A keyed hash (HMAC-SHA256, the "blind index") lets the platform find equal
identity numbers without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class FieldKeyError(RuntimeError):
    """The configured field keys cannot decrypt stored data or are malformed."""


def _configured_keys() -> list[str]:
    keys = list(settings.GONGKAI_FIELD_KEYS)
    if keys:
        return keys
    path = Path(settings.DATA_DIR) / "field_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode("ascii"), encoding="ascii")
        path.chmod(0o600)
    return [path.read_text(encoding="ascii").strip()]


@cache
def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in _configured_keys()])
    except (ValueError, TypeError) as exc:
        raise FieldKeyError(
            "GONGKAI_FIELD_KEYS 中的密钥格式不正确（应为 Fernet 密钥，44 个字符的 base64）"
        ) from exc


def reset_keys() -> None:
    """Forget cached keys (tests that change settings)."""
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise FieldKeyError("无法解密已存储的身份信息：字段密钥与加密时不一致") from exc


def blind_index(value: str) -> str:
    """A keyed hash of a normalised identity value, for equality lookups."""
    key = base64.urlsafe_b64decode(_configured_keys()[0].encode("ascii"))
    norm = "".join(value.split()).upper()
    return hmac.new(key, norm.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads give the plain text back.

    Blank stays blank (not encrypted), so "not given" remains visible without the key.
    Encrypted columns cannot be filtered on; use a blind index column for lookups.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
