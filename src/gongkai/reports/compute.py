"""Tables 三 and 四 of the annual report, counted by the database from the cases.

Table 三 of year Y for an agency (国办公开办函〔2021〕30号; 《政府信息公开条例》第五十条):

- ``new``: applications received in Y (``received_on`` in Y);
- ``carried_in``: applications received before 1 January of Y and still open that day;
- the 21 outcome rows: applications concluded in Y (``closed_on`` in Y), in the row of
  their outcome (:attr:`gongkai.core.outcomes.Outcome.report_row`);
- ``carried_out``: applications received by 31 December of Y and still open after it;

each by applicant kind. These definitions make the table's own identity (一 + 二 = 三 + 四)
hold in every column, and Y's ``carried_out`` equal Y+1's ``carried_in``. Table 四 counts
the reconsiderations and lawsuits filed in Y, by result as of 31 December.

Every figure comes from one ``GROUP BY`` query with conditional counts; Python only maps
the few resulting rows onto cells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q

from gongkai.cases.models import Case, Remedy, RemedyKind, RemedyResult
from gongkai.cases.selectors import OPEN_STATUSES
from gongkai.core.outcomes import Outcome
from gongkai.core.report.schema import (
    APPLICANT_COLUMNS,
    OUTCOME_ROWS,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    Cell,
    table3_id,
    table4_id,
)

_ROW_OF = {o.value: o.report_row for o in Outcome}


@dataclass
class Counted:
    """The computed cells per agency id, and what could not be counted (Chinese)."""

    cells: dict[int, dict[str, Cell]] = field(default_factory=dict)
    problems: dict[int, list[str]] = field(default_factory=dict)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _live(year: int) -> Q:
    """The cases that take part in table 三 of ``year``: received by 31 December and not
    concluded before 1 January."""
    jan1, dec31 = year_bounds(year)
    return Q(received_on__lte=dec31) & (Q(closed_on__isnull=True) | Q(closed_on__gte=jan1))


def table3_rows(year: int, agency_ids: Iterable[int] | None = None) -> list[dict]:
    """One row per (agency, applicant kind, outcome) with the four counts of table 三."""
    jan1, dec31 = year_bounds(year)
    qs = Case.objects.filter(_live(year))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return list(
        qs.values("agency_id", "applicant_kind", "outcome")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=jan1)),
            carried_in=Count("id", filter=Q(received_on__lt=jan1)),
            done=Count("id", filter=Q(closed_on__lte=dec31)),
            carried_out=Count("id", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=dec31)),
        )
        .order_by()
    )


def table4_rows(year: int, agency_ids: Iterable[int] | None = None) -> list[dict]:
    """One row per (agency, kind, after reconsideration, result as of 31 December)."""
    jan1, dec31 = year_bounds(year)
    qs = Remedy.objects.filter(filed_on__gte=jan1, filed_on__lte=dec31)
    if agency_ids is not None:
        qs = qs.filter(case__agency_id__in=list(agency_ids))
    decided = Q(decided_on__isnull=False, decided_on__lte=dec31)
    return list(
        qs.values("case__agency_id", "kind", "after_reconsideration", "result")
        .annotate(
            decided=Count("id", filter=decided),
            open=Count("id", filter=~decided),
        )
        .order_by()
    )


def _zero_table3() -> dict[str, int]:
    return {table3_id(r, c): 0 for r in TABLE3_ROW_KEYS for c in TABLE3_COLUMN_KEYS}


def _zero_table4() -> dict[str, int]:
    return {table4_id(g, c): 0 for g, _ in TABLE4_GROUPS for c, _ in TABLE4_COLUMNS}


def _add(values: dict[str, int], row: str, column: str, n: int) -> None:
    values[table3_id(row, column)] += n
    values[table3_id(row, "total")] += n


def _fold_table3(rows: list[dict], out: dict[int, dict[str, int]], problems: dict) -> None:
    for r in rows:
        values = out.setdefault(r["agency_id"], _zero_table3() | _zero_table4())
        col = r["applicant_kind"]
        if col not in APPLICANT_COLUMNS:
            problems.setdefault(r["agency_id"], []).append(
                f"{r['new'] + r['carried_in']}件申请的申请人类型“{col}”无法归入表三的列"
            )
            continue
        for row in ("new", "carried_in", "carried_out"):
            _add(values, row, col, r[row])
        if r["done"]:
            row = _ROW_OF.get(r["outcome"])
            if row is None:
                problems.setdefault(r["agency_id"], []).append(
                    f"{r['done']}件已办结的申请没有记录办理结果，无法计入表三"
                )
                continue
            _add(values, row, col, r["done"])
    for values in out.values():
        for col in TABLE3_COLUMN_KEYS:
            values[table3_id("total", col)] = sum(
                values[table3_id(row, col)] for row in OUTCOME_ROWS
            )


def _fold_table4(rows: list[dict], out: dict[int, dict[str, int]]) -> None:
    for r in rows:
        values = out.setdefault(r["case__agency_id"], _zero_table3() | _zero_table4())
        if r["kind"] == RemedyKind.RECONSIDERATION:
            group = "reconsideration"
        elif r["after_reconsideration"]:
            group = "litigation_after_reconsideration"
        else:
            group = "litigation_direct"
        pending = r["open"] + (r["decided"] if r["result"] == RemedyResult.PENDING else 0)
        decided = r["decided"] if r["result"] != RemedyResult.PENDING else 0
        if decided:
            values[table4_id(group, r["result"])] += decided
        values[table4_id(group, "pending")] += pending
        values[table4_id(group, "total")] += decided + pending


def count_tables(year: int, agency_ids: Iterable[int] | None = None) -> Counted:
    """Tables 三 and 四 of ``year`` for ``agency_ids`` (every agency when None). An agency
    with no case gets all zeros when it was asked for by id."""
    ids = None if agency_ids is None else list(agency_ids)
    values: dict[int, dict[str, int]] = {a: _zero_table3() | _zero_table4() for a in ids or ()}
    problems: dict[int, list[str]] = {}
    _fold_table3(table3_rows(year, ids), values, problems)
    _fold_table4(table4_rows(year, ids), values)
    cells = {a: {cid: Cell.number(v) for cid, v in vals.items()} for a, vals in values.items()}
    return Counted(cells, problems)


def cases_fingerprint(year: int, agency_id: int) -> str:
    """A cheap mark of the cases (and reconsiderations and lawsuits) behind an agency's
    tables for ``year``: how many there are and when the latest of them changed. Any step on
    one of them changes it, so a draft counted under another mark may be out of date. Two
    aggregate queries, on indexed columns; remedies, few and with no change time, by their
    results."""
    cases = Case.objects.filter(_live(year), agency_id=agency_id).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    jan1, dec31 = year_bounds(year)
    remedies = (
        Remedy.objects.filter(case__agency_id=agency_id, filed_on__gte=jan1, filed_on__lte=dec31)
        .order_by("id")
        .values_list("id", "result", "decided_on", "after_reconsideration", "kind")
    )
    mark = f"{cases['n']}|{cases['last'] and cases['last'].isoformat()}|{list(remedies)}"
    return hashlib.sha256(mark.encode()).hexdigest()


def open_cases(year: int, agency_id: int) -> int:
    """Applications received by 31 December of ``year`` that are still being handled today:
    the year's report counts them as 结转下年度继续办理 (table 三, item 四)."""
    _, dec31 = year_bounds(year)
    return Case.objects.filter(
        agency_id=agency_id, received_on__lte=dec31, status__in=OPEN_STATUSES
    ).count()
