"""The figures of an annual report as rows, and back: the mapping between the JSON contract
``gongkai.annual-report/1`` (:mod:`gongkai.core.report.jsonio`) and the rows of
:class:`gongkai.reports.models.ReportCell`.

In the contract a figure lives in two places: its value in ``table2`` / ``table3`` /
``table4`` (a JSON number, or ``null``), and — for every cell that is not a plain printed
number — its detail in ``cells`` (the engine's state, the published text, how it was
recovered, its candidates). One row holds both for one cell id of the schema
(``table3.granted.natural_person``):

========================  ==============================================================
row column                contract
========================  ==============================================================
``cell``                  the cell id (a key of ``cells``; a path into the tables)
``value``                 the table value (``null`` → NULL)
``reading``               ``cells[id].state``; ``"number"`` for a plain printed number
``published``             ``cells[id].published``; NULL for a plain printed number, whose
                          published text is its value
``recovered_by``          ``cells[id].recovered_by`` (``""`` when absent)
``candidates``            ``cells[id].candidates`` (``[]`` when absent)
``state``                 derived from ``reading`` for SQL (:data:`STATE_OF`)
========================  ==============================================================

``state`` folds the engine's seven readings into the four questions analytics asks
(国办公开办函〔2021〕30号 cell semantics: a blank is never 0, a recovered value says so):
``printed`` — the value is the number as published; ``recovered`` — the reader derived the
value (digits whose separators were lost, letters read as digits); ``blank`` — the
publisher gave no figure (an empty cell, or “/” for not applicable); ``unknown`` — the
figure cannot be told (the cell was not found or not yet entered, it holds text, or several
readings fit). Only ``printed`` and ``recovered`` rows have a value.

A cell the contract does not mention at all (``null`` in the tables and no detail) has no
row. Numbers come back as JSON numbers: an integral value as an integer, any other as a
float, so the document rebuilt from the rows equals the stored one as JSON (``12`` and
``12.0`` are the same JSON number).

Pure: no Django (the data migration uses it too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from gongkai.core.report.schema import (
    ALL_CELL_IDS,
    TABLE2_DOC_COLUMNS,
    TABLE2_DOC_ROWS,
    TABLE2_SINGLE_ROWS,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    CellState,
    ReportFormat,
    table3_id,
    table4_id,
)

PRINTED, BLANK, RECOVERED, UNKNOWN = "printed", "blank", "recovered", "unknown"

#: The row state of each reading of the engine (:class:`gongkai.core.report.CellState`).
STATE_OF: dict[str, str] = {
    CellState.NUMBER: PRINTED,
    CellState.RECOVERED: RECOVERED,
    CellState.BLANK: BLANK,
    CellState.NOT_APPLICABLE: BLANK,
    CellState.MISSING: UNKNOWN,
    CellState.TEXT: UNKNOWN,
    CellState.AMBIGUOUS: UNKNOWN,
}
#: The row states that carry a value; the others never do.
VALUED = frozenset({PRINTED, RECOVERED})
#: The keys of the contract that hold figures; the rest of a document is its content.
FIGURE_KEYS = ("table2", "table3", "table4", "cells")
#: Digits kept after the point (the fee, in 万元, to the fen: 0.000001 万元 = 1 分).
DECIMAL_PLACES = 6
MAX_DIGITS = 20

_KNOWN = frozenset(ALL_CELL_IDS)


class CellFigureError(ValueError):
    """A figure the rows cannot hold exactly; the message (Chinese) names the cell."""


@dataclass(frozen=True, slots=True)
class CellRow:
    """One cell of a report as a row (the columns of ``ReportCell`` but the report)."""

    cell: str
    value: Decimal | None
    reading: str
    state: str
    published: str | None = None
    recovered_by: str = ""
    candidates: list[int | float] = field(default_factory=list)


class StoredCell(Protocol):
    """What :func:`figures_from_rows` reads of a row (a ``ReportCell``, a :class:`CellRow`)."""

    cell: str
    value: Decimal | None
    reading: str
    published: str | None
    recovered_by: str
    candidates: list[int | float]


# --- contract → rows ----------------------------------------------------------------------


def flat_values(document: dict[str, Any]) -> dict[str, Any]:
    """Every table value of ``document`` by cell id, in the schema's order (as printed)."""
    table2 = document.get("table2") or {}
    table3 = document.get("table3") or {}
    table4 = document.get("table4") or {}
    out: dict[str, Any] = {}
    for r, _ in TABLE2_DOC_ROWS:
        for c, _ in TABLE2_DOC_COLUMNS:
            out[f"table2.{r}.{c}"] = (table2.get(r) or {}).get(c)
    for k, _, _ in TABLE2_SINGLE_ROWS:
        out[f"table2.{k}"] = table2.get(k)
    for r in TABLE3_ROW_KEYS:
        for c in TABLE3_COLUMN_KEYS:
            out[table3_id(r, c)] = (table3.get(r) or {}).get(c)
    for g, _ in TABLE4_GROUPS:
        for c, _ in TABLE4_COLUMNS:
            out[table4_id(g, c)] = (table4.get(g) or {}).get(c)
    return out


def rows_from_document(document: dict[str, Any]) -> list[CellRow]:
    """The rows of every cell ``document`` mentions (raises :class:`CellFigureError` on a
    cell id the schema does not know, a state the engine does not know, or a number the rows
    cannot hold exactly)."""
    details: dict[str, dict[str, Any]] = document.get("cells") or {}
    unknown = sorted(set(details) - _KNOWN)
    if unknown:
        raise CellFigureError(f"不是年度报告格式中的栏目：{'、'.join(unknown[:5])}")
    rows = []
    for cid, raw in flat_values(document).items():
        detail = details.get(cid)
        if detail is None and raw is None:
            continue  # not mentioned: no row
        rows.append(_row(cid, raw, detail))
    return rows


def _row(cid: str, raw: Any, detail: dict[str, Any] | None) -> CellRow:
    value = stored_number(raw, cid)
    if detail is None:
        return CellRow(cid, value, CellState.NUMBER, PRINTED)
    reading = detail.get("state")
    if reading not in STATE_OF:
        raise CellFigureError(f"{cid}：未知的单元格状态“{reading}”")
    if value is None:
        value = stored_number(detail.get("value"), cid)
    state = STATE_OF[reading]
    if (value is not None) != (state in VALUED):
        what = "没有数值" if value is None else f"不应有数值（{value}）"
        raise CellFigureError(f"{cid}：状态为“{reading}”的单元格{what}")
    return CellRow(
        cid,
        value,
        reading,
        state,
        detail.get("published"),
        detail.get("recovered_by") or "",
        list(detail.get("candidates") or []),
    )


def stored_number(raw: Any, cid: str) -> Decimal | None:
    """A JSON number as the exact decimal a row stores (None for null)."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        raise CellFigureError(f"{cid}：数值“{raw!r}”不是数字")
    value = Decimal(raw) if isinstance(raw, int | Decimal) else Decimal(str(raw))
    if not value.is_finite():
        raise CellFigureError(f"{cid}：数值“{raw}”不是有限的数")
    _, digits, exponent = value.normalize().as_tuple()
    places, whole = max(0, -int(exponent)), max(0, len(digits) + int(exponent))
    if places > DECIMAL_PLACES or whole > MAX_DIGITS - DECIMAL_PLACES:
        raise CellFigureError(
            f"{cid}：数值“{raw}”超出可保存的精度（至多{MAX_DIGITS - DECIMAL_PLACES}位整数、"
            f"{DECIMAL_PLACES}位小数）"
        )
    return value


# --- rows → contract ----------------------------------------------------------------------


def json_number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a JSON number: integral → int, otherwise float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def figures_from_rows(rows: Iterable[StoredCell]) -> dict[str, Any]:
    """``table2``, ``table3``, ``table4`` and ``cells`` of the contract, from the rows (every
    table cell present, ``null`` where there is no row or no value; ``cells`` in the
    schema's order)."""
    by_id = {r.cell: r for r in rows}

    def value(cid: str) -> int | float | None:
        row = by_id.get(cid)
        return None if row is None else json_number(row.value)

    table2: dict[str, Any] = {
        r: {c: value(f"table2.{r}.{c}") for c, _ in TABLE2_DOC_COLUMNS} for r, _ in TABLE2_DOC_ROWS
    }
    table2 |= {k: value(f"table2.{k}") for k, _, _ in TABLE2_SINGLE_ROWS}
    cells: dict[str, Any] = {}
    for cid in ALL_CELL_IDS:
        row = by_id.get(cid)
        if row is not None and not _plain(row):
            cells[cid] = _detail(row)
    return {
        "table2": table2,
        "table3": {
            r: {c: value(table3_id(r, c)) for c in TABLE3_COLUMN_KEYS} for r in TABLE3_ROW_KEYS
        },
        "table4": {
            g: {c: value(table4_id(g, c)) for c, _ in TABLE4_COLUMNS} for g, _ in TABLE4_GROUPS
        },
        "cells": cells,
    }


def _plain(row: StoredCell) -> bool:
    """A printed number whose published text is its value: the contract keeps no detail."""
    return row.reading == CellState.NUMBER and row.published is None


def _detail(row: StoredCell) -> dict[str, Any]:
    out: dict[str, Any] = {"state": row.reading, "published": row.published}
    if row.recovered_by:
        out["recovered_by"] = row.recovered_by
    if row.candidates:
        out["candidates"] = list(row.candidates)
    if row.value is not None:
        out["value"] = json_number(row.value)
    return out


# --- the document without its figures, and with them again ---------------------------------


def content_of(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` without its figures (what ``AnnualReport.document`` stores)."""
    return {k: v for k, v in document.items() if k not in FIGURE_KEYS}


def document_of(content: dict[str, Any], figures: dict[str, Any]) -> dict[str, Any]:
    """The whole contract: ``content`` with ``figures`` put where
    :func:`gongkai.core.report.to_json` puts them (after ``year``; only in a 2021-format
    report, the only one with tables)."""
    if content.get("format") != ReportFormat.F2021:
        return dict(content)
    out: dict[str, Any] = {}
    for key, item in content.items():
        out[key] = item
        if key == "year":
            out.update(figures)
    if "table2" not in out:  # a content without "year": figures at the end
        out.update(figures)
    return out
