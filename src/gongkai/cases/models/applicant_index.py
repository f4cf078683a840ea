"""The applicant search digests of a case: finding an application by its applicant.

When an applicant telephones about their application, staff look it up by the name or the
number they give. The identity columns are encrypted (《中华人民共和国个人信息保护法》第五十一条),
so the database cannot compare them; each case therefore also stores a keyed hash of the
applicant's name and of the telephone number (:func:`gongkai.security.crypto.name_search_digest`,
:func:`~gongkai.security.crypto.phone_search_digest`), each in its search form (spaces,
full-width characters, +86 do not matter). Only exact values match: a hash says nothing
about part of a name.

:class:`~gongkai.cases.models.Case` keeps its digests in step whenever it saves its name or
telephone number; :func:`fill_search_digests` computes them for rows written otherwise (the
migration that added them, the key rotation's check).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connections, transaction

from gongkai.security import crypto

#: The identity columns that have a search digest, and the digest column of each.
DIGEST_OF = {"applicant_name": "name_digest", "phone": "phone_digest"}
BATCH_SIZE = 500


def digest_for(column: str, value: str, *, key: bytes | None = None) -> str:
    """The search digest of ``value`` stored in the identity column ``column``."""
    if column == "applicant_name":
        return crypto.name_search_digest(value, key=key)
    if column == "phone":
        return crypto.phone_search_digest(value, key=key)
    raise ValueError(f"{column} 没有查找摘要")


@dataclass
class FillResult:
    rows_seen: int = 0
    rows_changed: int = 0
    failed: list[Any] = field(default_factory=list)  # primary keys no field key decrypts


def _plain(value: str | None) -> str:
    if not value:
        return ""
    return crypto.decrypt(value) if crypto.looks_encrypted(value) else value


def fill_search_digests(
    model: Any, *, using: str = "default", batch_size: int = BATCH_SIZE, lock: bool = False
) -> FillResult:
    """Recompute the search digests of every row of ``model`` (the case model, or its state
    in a migration) from the stored identity, decrypting with the configured field keys;
    rows whose digests differ are updated. Reads the stored tokens in primary-key order, a
    batch per transaction (``lock``: its rows locked where the database can); the plain text
    stays in this function. Rows no key decrypts are left as they are and listed."""
    connection = connections[using]
    opts = model._meta
    q = connection.ops.quote_name
    table, pk = q(opts.db_table), q(opts.pk.column)
    sources = list(DIGEST_OF)
    columns = [opts.get_field(s).column for s in sources]
    digests = [opts.get_field(DIGEST_OF[s]).column for s in sources]
    select = ", ".join(q(c) for c in [*columns, *digests])
    for_update = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    result = FillResult()
    key: bytes | None = None
    last: Any = None
    while True:
        with transaction.atomic(using=using), connection.cursor() as cur:
            where = "" if last is None else f" WHERE {pk} > %s"
            cur.execute(
                f"SELECT {pk}, {select} FROM {table}{where} "  # noqa: S608 - quoted names
                f"ORDER BY {pk} LIMIT {int(batch_size)}{for_update}",
                [] if last is None else [last],
            )
            rows = cur.fetchall()
            if not rows:
                break
            if key is None:
                key = crypto.search_key()
            for row_pk, *values in rows:
                stored, had = values[: len(sources)], values[len(sources) :]
                try:
                    wanted = [
                        digest_for(s, _plain(v), key=key)
                        for s, v in zip(sources, stored, strict=True)
                    ]
                except crypto.FieldKeyError:
                    result.failed.append(row_pk)
                    continue
                if [h or "" for h in had] == wanted:
                    continue
                sets = ", ".join(f"{q(c)} = %s" for c in digests)
                cur.execute(
                    f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # noqa: S608 - quoted names
                    [*wanted, row_pk],
                )
                result.rows_changed += 1
            result.rows_seen += len(rows)
            last = rows[-1][0]
    return result
