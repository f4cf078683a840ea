"""Rows of the registry made directly (no services), for tests of what reads them."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from gongkai.agencies.models import Agency
from gongkai.core.validity import DocKind, Validity
from gongkai.documents.models import Document, Policy, ReviewState

_serial = itertools.count(1)


def text(
    agency: Agency,
    *,
    kind: DocKind = DocKind.NORMATIVE,
    title: str | None = None,
    written_on: date = date(2024, 3, 1),
    effective_on: date | None = None,
    published_on: date | None = None,
    validity: Validity = Validity.IN_FORCE,
    review_state: ReviewState = ReviewState.PUBLISHED,
    revises: Document | None = None,
    **fields: Any,
) -> Document:
    """One text; a new policy unless it ``revises`` an earlier text (then the same policy)."""
    n = next(_serial)
    policy = (
        revises.policy
        if revises is not None
        else Policy.objects.create(agency=agency, kind=kind, code=f"T{n:05d}")
    )
    if published_on is None and review_state == ReviewState.PUBLISHED:
        published_on = written_on
    return Document.objects.create(
        policy=policy,
        agency=agency,
        kind=kind,
        revises=revises,
        title=title or f"测试文件{n}",
        index_no=fields.pop("index_no", f"TEST/{written_on.year}-{n:05d}"),
        written_on=written_on,
        effective_on=effective_on or written_on,
        published_on=published_on,
        formed_on=fields.pop("formed_on", written_on),
        validity=validity,
        review_state=review_state,
        **fields,
    )
