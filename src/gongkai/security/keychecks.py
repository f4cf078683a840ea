"""Do the configured keys fit the stored data? Checked at startup and by ``gongkai check``.

- ``gongkai.E004``: encrypted values are stored but no configured field key decrypts them
  (a lost ``field_key`` file, a wrong ``GONGKAI_FIELD_KEYS``), or the index key does not
  reproduce the stored ID-number digests (query codes, fee counts and submission limits would
  silently go wrong). The platform must not start: every case page would answer 500.
- ``gongkai.W013``: the data directory or the secrets and database in it can be read by
  other users of the machine (see :mod:`gongkai.security.fileperms`).

The checks sample a few values of each encrypted column (the newest and the oldest rows), so
they stay cheap on a large database. :func:`verify_field_keys` is the same test for callers
outside the check framework (``gongkai serve`` before it starts the workers).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connection, models

from gongkai.security import fileperms
from gongkai.security.crypto import (
    TOKEN_PREFIX,
    EncryptedTextField,
    FieldKeyError,
    _fernet,
    blind_index_with,
    decode_index_key,
    decrypt,
    field_keys,
    index_key,
    looks_encrypted,
    new_index_key,
)

#: Columns whose digest is ``blind_index`` of an encrypted column of the same row: they tell
#: which key the stored digests were made with.
DIGEST_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    ("cases", "Case", "id_number", "id_digest"),
    ("portal", "OnlineApplication", "id_number", "id_digest"),
)
SAMPLE = 3  # values per column and end (newest, oldest)
WINDOW = 1000  # rows looked at per end, so that a sparse column costs no full scan

KEY_HINT = (
    "不要生成或换用新密钥：恢复数据目录中原来的 field_key、index_key 文件，或把加密这些数据时"
    "使用的密钥加入 GONGKAI_FIELD_KEYS（新密钥在前，旧密钥在后）。更换密钥请按 README"
    "“密钥轮换”一节操作（gongkai rotate-keys）"
)


def encrypted_columns() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model (in its own table)."""
    found = []
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped:
            continue
        found.extend(
            (model, f) for f in opts.local_concrete_fields if isinstance(f, EncryptedTextField)
        )
    return sorted(found, key=lambda mf: (mf[0]._meta.label, mf[1].name))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class _Schema:
    """The tables and columns that exist now (before ``migrate`` some do not)."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.tables = set(connection.introspection.table_names(cursor))
        self._columns: dict[str, set[str]] = {}

    def has(self, table: str, column: str) -> bool:
        if table not in self.tables:
            return False
        if table not in self._columns:
            desc = connection.introspection.get_table_description(self.cursor, table)
            self._columns[table] = {c.name for c in desc}
        return column in self._columns[table]


def _present_columns(cursor: Any) -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    schema = _Schema(cursor)
    for model, field in encrypted_columns():
        if schema.has(model._meta.db_table, field.column):
            yield model, field


def stored_encrypted_values() -> bool:
    """Does the database hold any encrypted value? (Deciding whether a new key may be made:
    a database that cannot be asked counts as "maybe", i.e. an error.)"""
    try:
        with connection.cursor() as cur:
            for model, field in _present_columns(cur):
                sql = (
                    f"SELECT 1 FROM {_q(model._meta.db_table)} "  # noqa: S608 - quoted names
                    f"WHERE CAST({_q(field.column)} AS TEXT) LIKE %s LIMIT 1"
                )
                cur.execute(sql, [TOKEN_PREFIX + "%"])
                if cur.fetchone():
                    return True
    except DatabaseError as exc:
        raise FieldKeyError(
            f"无法访问数据库，不能确认其中是否已有加密的身份信息，因此不生成新密钥：{exc}"
        ) from exc
    return False


def _sample(cur: Any, table: str, pk: str, columns: list[str], newest: bool) -> list[tuple]:
    """Up to :data:`SAMPLE` rows, newest or oldest first, where every column is non-empty."""
    order = "DESC" if newest else "ASC"
    # As text: a column not migrated yet may still have another type (JSON, say).
    inner = ", ".join(f"CAST({_q(c)} AS TEXT) AS c{i}" for i, c in enumerate(columns))
    where = " AND ".join(f"s.c{i} IS NOT NULL AND s.c{i} <> ''" for i in range(len(columns)))
    outer = ", ".join(f"s.c{i}" for i in range(len(columns)))
    sql = (
        f"SELECT {outer} FROM (SELECT {_q(pk)} AS k, {inner} FROM {_q(table)} "  # noqa: S608
        f"ORDER BY {_q(pk)} {order} LIMIT {WINDOW}) s WHERE {where} ORDER BY s.k {order} "
        f"LIMIT {SAMPLE}"
    )
    cur.execute(sql)
    return list(cur.fetchall())


def _both_ends(cur: Any, model: type[models.Model], columns: list[str]) -> list[tuple]:
    table, pk = model._meta.db_table, model._meta.pk.column
    rows = _sample(cur, table, pk, columns, newest=True)
    return rows + [r for r in _sample(cur, table, pk, columns, newest=False) if r not in rows]


def digest_samples() -> list[tuple[str, str]]:
    """(encrypted value, stored digest) pairs, the newest rows first."""
    pairs: list[tuple[str, str]] = []
    with connection.cursor() as cur:
        schema = _Schema(cur)
        for app_label, model_name, value_field, digest_field in DIGEST_PAIRS:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            value_col = model._meta.get_field(value_field).column
            digest_col = model._meta.get_field(digest_field).column
            table = model._meta.db_table
            if not (schema.has(table, value_col) and schema.has(table, digest_col)):
                continue
            rows = _sample(cur, table, model._meta.pk.column, [value_col, digest_col], True)
            pairs.extend((v, d) for v, d in rows if looks_encrypted(v))
    return pairs


def initial_index_key() -> str:
    """The index key to write when there is none: random for an empty database; else the
    field key whose decoded bytes reproduce the stored digests (how digests were made before
    the index key existed), newest rows deciding."""
    if not stored_encrypted_values():
        return new_index_key()
    keys = field_keys()
    pairs = digest_samples()
    if not pairs:
        return keys[0]
    for token, digest in pairs:
        try:
            plain = decrypt(token)
        except FieldKeyError:
            continue
        for k in keys:
            made = blind_index_with(decode_index_key(k, "字段密钥"), plain)
            if hmac.compare_digest(made, digest):
                return k
    raise FieldKeyError(
        "数据库中已有按原查询索引密钥计算的证件号码摘要，但数据目录中没有 index_key 文件，"
        "现有字段密钥也都不能重现这些摘要。请从备份恢复 index_key 文件，"
        "或设置 GONGKAI_INDEX_KEY 为原来的查询索引密钥"
    )


def verify_field_keys() -> list[str]:
    """Problems (in Chinese) that must stop the platform from starting: keys missing or
    malformed, sampled encrypted values no configured key decrypts, or an index key that
    does not reproduce the stored digests. Empty when all is well (or nothing is stored)."""
    try:
        multi = _fernet()
    except FieldKeyError as exc:
        return [str(exc)]
    problems: list[str] = []
    try:
        unreadable = []
        with connection.cursor() as cur:
            for model, field in _present_columns(cur):
                tokens = [r[0] for r in _both_ends(cur, model, [field.column])]
                tokens = [t for t in tokens if looks_encrypted(t)]
                bad = 0
                for t in tokens:
                    try:
                        multi.decrypt(t.encode("ascii"))
                    except Exception:
                        bad += 1
                if bad:
                    unreadable.append(
                        f"{model._meta.verbose_name}“{field.verbose_name}”（{bad}/{len(tokens)}）"
                    )
        if unreadable:
            return [
                "已配置的字段密钥不能解密已存储的身份信息。抽查中无法解密的值："
                + "、".join(unreadable)
            ]
        try:
            key = index_key()
        except FieldKeyError as exc:
            return [str(exc)]
        checked = wrong = 0
        for token, digest in digest_samples():
            try:
                plain = decrypt(token)
            except FieldKeyError:
                continue
            checked += 1
            if not hmac.compare_digest(blind_index_with(key, plain), digest):
                wrong += 1
        if wrong:
            problems.append(
                f"查询索引密钥（GONGKAI_INDEX_KEY 或数据目录中的 index_key）与已存数据不一致："
                f"抽查 {checked} 个证件号码摘要，{wrong} 个对不上；查询码、按证件的提交限制和"
                "“本月第几件”计数都会出错"
            )
    except DatabaseError:
        return problems  # not migrated or not reachable: other checks and commands say so
    return problems


@register()
def field_keys_fit_data(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    return [Error(p, hint=KEY_HINT, id="gongkai.E004") for p in verify_field_keys()]


@register()
def data_file_modes(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    loose = fileperms.insecure_paths()
    if not loose:
        return []
    shown = "、".join(str(p) for p in loose[:3]) + ("等" if len(loose) > 3 else "")
    return [
        Warning(
            f"数据目录中有 {len(loose)} 个目录或文件可被同组或其他用户访问：{shown}",
            hint=(
                f"执行 chmod -R go-rwx {settings.DATA_DIR}（或 gongkai secure-files）；"
                "数据库、密钥和上传的身份证明只应由运行平台的用户读取"
            ),
            id="gongkai.W013",
        )
    ]
