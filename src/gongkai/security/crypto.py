"""Encryption at rest for applicants' identity data (Fernet from ``cryptography``).

Two kinds of key, kept apart so that rotating one never disturbs the other:

- **Field keys** encrypt the identity columns (:class:`EncryptedTextField`). They come from
  ``settings.GONGKAI_FIELD_KEYS`` (newest first; older keys still decrypt) or, when none is
  configured, from the file ``DATA_DIR/field_key`` (one key a line, or comma-separated, newest
  first). The file is generated only for an empty database: when encrypted values are stored
  and no key is found, loading refuses (:class:`FieldKeyError`) rather than write a new key
  over data it could never read. ``gongkai rotate-keys`` re-encrypts everything with the
  newest key (:mod:`gongkai.project.keyrotation`).
- **The index key** makes the "blind index" (HMAC-SHA256 of a normalised value): the ID-number
  digests behind the per-applicant fee count and submission limit, query-code hashes and the
  portal's throttle keys. It comes from ``settings.GONGKAI_INDEX_KEY`` or the file
  ``DATA_DIR/index_key``. Format: URL-safe base64 of at least 32 random bytes, on one line
  (``gongkai genkey`` prints a suitable value). The HMAC key is the decoded bytes.

  Installations from before the split made their digests with the first field key's decoded
  bytes. So when no index key exists yet and the database already holds digests, the file is
  written once with the field key that reproduces them (normally the first), keeping every
  digest valid; a fresh installation gets a random one. From then on the index key never
  follows the field keys.

  The applicant search digests (finding an application by the applicant's exact name or
  telephone number) are HMACs under a key derived from the index key for that purpose only
  (:func:`search_key`), one label per kind of value, so a name digest is comparable with
  nothing but name digests. A name or number is reduced to its search form first
  (:func:`gongkai.core.identity.search_name`, :func:`~gongkai.core.identity.search_phone`).

Key files are written atomically with mode 0600; running processes notice a changed
``field_key`` file (it is checked by size, time and inode) and load the new key list.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

from gongkai.core.identity import search_name, search_phone

FIELD_KEY_FILE = "field_key"
INDEX_KEY_FILE = "index_key"
#: Every Fernet token starts so (version byte 0x80, then a timestamp below 2**32).
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - not a secret
INDEX_KEY_BYTES = 32


class FieldKeyError(RuntimeError):
    """The configured field keys cannot decrypt stored data, are missing or malformed."""


# --- key files ---------------------------------------------------------------------------------


def field_key_path() -> Path:
    return Path(settings.DATA_DIR) / FIELD_KEY_FILE


def index_key_path() -> Path:
    return Path(settings.DATA_DIR) / INDEX_KEY_FILE


def parse_keys(text: str) -> list[str]:
    """Keys from a key file or variable: one a line or comma-separated, newest first."""
    return [k for k in re.split(r"[\s,]+", text) if k]


def read_key_file(path: Path) -> list[str]:
    return parse_keys(path.read_text(encoding="ascii"))


def write_key_file(path: Path, keys: list[str], *, exclusive: bool = False) -> bool:
    """Write ``keys`` (one a line) to ``path`` with mode 0600, atomically: readers see the old
    or the new file, never half of one. With ``exclusive`` the file is only created, never
    replaced; False means another process created it first (its keys win)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write("".join(f"{k}\n" for k in keys))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        if not exclusive:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)  # fails when the file exists: no process overwrites another's
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def keys_from_env() -> bool:
    """True when the field keys come from ``GONGKAI_FIELD_KEYS`` (not the data directory)."""
    return bool(list(settings.GONGKAI_FIELD_KEYS))


# --- field keys --------------------------------------------------------------------------------

MISSING_KEY = (
    "数据库中已有加密的身份信息，但没有找到字段密钥：未设置 GONGKAI_FIELD_KEYS，"
    "数据目录中也没有 {path} 文件。为免用新密钥覆盖已有数据，系统不会生成新密钥。"
    "请从备份恢复该文件，或设置 GONGKAI_FIELD_KEYS 为加密这些数据时使用的密钥"
)


def _configured_keys() -> list[str]:
    """The field keys, newest first; generated into the data directory only for a database
    that holds no encrypted value."""
    keys = list(settings.GONGKAI_FIELD_KEYS)
    if keys:
        return keys
    path = field_key_path()
    if path.exists():
        keys = read_key_file(path)
        if not keys:
            raise FieldKeyError(f"字段密钥文件 {path} 是空的；请从备份恢复，不要删除或清空它")
        return keys
    from gongkai.security.keychecks import stored_encrypted_values

    if stored_encrypted_values():
        raise FieldKeyError(MISSING_KEY.format(path=path))
    write_key_file(path, [Fernet.generate_key().decode("ascii")], exclusive=True)
    return read_key_file(path)


def _key_source() -> tuple[Any, ...]:
    env = tuple(settings.GONGKAI_FIELD_KEYS)
    return (env, None if env else _stat(field_key_path()))


_lock = threading.RLock()  # index_key() may load the field keys while holding it
_loaded: dict[str, tuple[tuple[Any, ...], Any]] = {}


def _load_fernets() -> tuple[MultiFernet, Fernet, tuple[str, ...]]:
    source = _key_source()
    cached = _loaded.get("field")
    if cached is not None and cached[0] == source:
        return cached[1]
    with _lock:
        keys = _configured_keys()
        where = "GONGKAI_FIELD_KEYS" if keys_from_env() else f"字段密钥文件 {field_key_path()}"
        try:
            fernets = [Fernet(k.encode("ascii")) for k in keys]
        except (ValueError, TypeError, UnicodeEncodeError) as exc:
            raise FieldKeyError(
                f"{where}中的密钥格式不正确（应为 Fernet 密钥，44 个字符的 base64）"
            ) from exc
        value = (MultiFernet(fernets), fernets[0], tuple(keys))
        # The file's state as it was *before* the read: a rotation that rewrites the file
        # during the read then differs from it, and the next call reads the keys again.
        _loaded["field"] = (source, value)
        return value


def _fernet() -> MultiFernet:
    """All field keys: encrypts with the newest, decrypts with any."""
    return _load_fernets()[0]


def newest_fernet() -> Fernet:
    return _load_fernets()[1]


def field_keys() -> list[str]:
    """The field keys in use, newest first."""
    return list(_load_fernets()[2])


def key_fingerprint(key: str) -> str:
    """A short, non-secret name of a key (for audit entries and messages)."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:12]


def reset_keys() -> None:
    """Forget loaded keys (tests that change settings or key files)."""
    _loaded.clear()


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise FieldKeyError("无法解密已存储的身份信息：字段密钥与加密时不一致") from exc


def looks_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(TOKEN_PREFIX)


# --- the index key -----------------------------------------------------------------------------


def new_index_key() -> str:
    """A random index key in the documented format (URL-safe base64 of 32 bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(INDEX_KEY_BYTES)).decode("ascii")


def decode_index_key(text: str, where: str = "GONGKAI_INDEX_KEY") -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise FieldKeyError(f"{where}格式不正确：应为 URL 安全的 base64 文本") from exc
    if len(raw) < INDEX_KEY_BYTES:
        raise FieldKeyError(f"{where}太短：解码后应至少 {INDEX_KEY_BYTES} 字节")
    return raw


def _index_source() -> tuple[Any, ...]:
    env = str(getattr(settings, "GONGKAI_INDEX_KEY", "") or "").strip()
    return (env, None if env else _stat(index_key_path()))


def index_key() -> bytes:
    """The blind-index HMAC key; created once when missing (see the module docstring)."""
    source = _index_source()
    cached = _loaded.get("index")
    if cached is not None and cached[0] == source:
        return cached[1]
    with _lock:
        env = source[0]
        path = index_key_path()
        if env:
            raw = decode_index_key(env)
        else:
            if not path.exists():
                from gongkai.security.keychecks import initial_index_key

                write_key_file(path, [initial_index_key()], exclusive=True)
            keys = read_key_file(path)
            if not keys:
                raise FieldKeyError(f"查询索引密钥文件 {path} 是空的；请从备份恢复")
            raw = decode_index_key(keys[0], f"查询索引密钥文件 {path} ")
        _loaded["index"] = (source, raw)  # as before the read (see _load_fernets)
        return raw


def blind_index_with(key: bytes, value: str) -> str:
    norm = "".join(value.split()).upper()
    return hmac.new(key, norm.encode("utf-8"), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """A keyed hash of a normalised identity value, for equality lookups."""
    return blind_index_with(index_key(), value)


#: The purpose label of the key derived from the index key for applicant search digests.
SEARCH_KEY_LABEL = b"gongkai applicant search v1"


def search_key(index: bytes | None = None) -> bytes:
    """The key of the applicant search digests: HMAC-SHA256 of :data:`SEARCH_KEY_LABEL`
    under the index key (``index``, default the installation's)."""
    return hmac.new(index_key() if index is None else index, SEARCH_KEY_LABEL, "sha256").digest()


def _search_digest(key: bytes | None, kind: str, form: str) -> str:
    if not form:
        return ""
    key = search_key() if key is None else key
    return hmac.new(key, f"{kind}:{form}".encode(), hashlib.sha256).hexdigest()


def name_search_digest(name: str, *, key: bytes | None = None) -> str:
    """The search digest of an applicant's name ("" for a blank name): keyed, so a copy of
    the database alone cannot be matched against a list of names. ``key``: a
    :func:`search_key` already at hand (a loop over many rows)."""
    return _search_digest(key, "name", search_name(name))


def phone_search_digest(phone: str, *, key: bytes | None = None) -> str:
    """The search digest of a telephone number ("" when it has no digits)."""
    return _search_digest(key, "phone", search_phone(phone))


# --- fields ------------------------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads give the plain text back.

    Blank stays blank (not encrypted), so "not given" remains visible without the key.
    Encrypted columns cannot be filtered on; use a blind index column for lookups.
    ``gongkai rotate-keys`` finds every column of this type (and its subclasses).
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


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (a dict of a letter's values, say) stored as one encrypted text."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return json.loads(decrypt(value))

    def get_prep_value(self, value):
        value = models.Field.get_prep_value(self, value)
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)
