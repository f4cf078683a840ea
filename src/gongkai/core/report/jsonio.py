"""The report as JSON, in the versioned contract ``gongkai.annual-report/1``.

Numbers are JSON numbers; a cell that is blank, not applicable, unknown or ambiguous is
``null`` in the tables, and ``cells`` keeps the detail of every cell that is not a plain
published number (its published text, its state, how it was recovered, its candidates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .schema import (
    SCHEMA_ID,
    TABLE2_DOC_COLUMNS,
    TABLE2_DOC_ROWS,
    TABLE2_SINGLE_ROWS,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    Cell,
    CellState,
    Finding,
    Number,
    Report,
    ReportFormat,
    Severity,
    table3_id,
    table4_id,
)


def _json_number(value: Number | None) -> int | float | None:
    if isinstance(value, Decimal):
        whole = value == value.to_integral_value() and value.as_tuple().exponent >= 0
        return int(value) if whole else float(value)
    return value


def to_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    doc: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "format": str(report.format),
        "agency": report.agency,
        "year": report.year,
    }
    if report.format is ReportFormat.F2021:
        value_of = report.value
        doc["table2"] = {
            **{
                r: {c: _json_number(value_of(f"table2.{r}.{c}")) for c, _ in TABLE2_DOC_COLUMNS}
                for r, _ in TABLE2_DOC_ROWS
            },
            **{k: _json_number(value_of(f"table2.{k}")) for k, _, _ in TABLE2_SINGLE_ROWS},
        }
        doc["table3"] = {
            r: {c: _json_number(value_of(table3_id(r, c))) for c in TABLE3_COLUMN_KEYS}
            for r in TABLE3_ROW_KEYS
        }
        doc["table4"] = {
            g: {c: _json_number(value_of(table4_id(g, c))) for c, _ in TABLE4_COLUMNS}
            for g, _ in TABLE4_GROUPS
        }
        doc["cells"] = {cid: _cell_json(c) for cid, c in report.cells.items() if not _plain(c)}
        doc["narrative"] = report.narrative
    if report.facts:
        doc["facts"] = report.facts
    doc["layout"] = report.layout
    doc["source"] = report.source
    doc["findings"] = [f.as_json() for f in report.findings]
    return doc


def _plain(cell: Cell) -> bool:
    return cell.state is CellState.NUMBER and cell.published == str(cell.value)


def _cell_json(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"state": str(cell.state), "published": cell.published}
    if cell.recovered_by:
        out["recovered_by"] = cell.recovered_by
    if cell.candidates:
        out["candidates"] = [_json_number(c) for c in cell.candidates]
    if cell.value is not None:
        out["value"] = _json_number(cell.value)
    return out


def from_json(doc: dict[str, Any]) -> Report:
    """A report back from :func:`to_json` output (raises ValueError on a foreign document)."""
    if doc.get("schema") != SCHEMA_ID:
        raise ValueError(f"不是 {SCHEMA_ID} 格式的 JSON（schema 为 {doc.get('schema')!r}）")
    report = Report(ReportFormat(doc["format"]), agency=doc.get("agency"), year=doc.get("year"))
    report.layout, report.source = doc.get("layout"), doc.get("source")
    report.narrative = dict(doc.get("narrative") or {})
    report.facts = dict(doc.get("facts") or {})
    if report.format is ReportFormat.F2021:
        details = doc.get("cells") or {}
        for cid, value in _flat_values(doc):
            report.cells[cid] = _cell_from(details.get(cid), value, cid)
    report.findings = [
        Finding(f["code"], Severity(f["severity"]), tuple(f["cells"]), f["message"])
        for f in doc.get("findings", [])
    ]
    return report


def _flat_values(doc: dict[str, Any]):
    table2 = doc.get("table2") or {}
    for r, _ in TABLE2_DOC_ROWS:
        for c, _ in TABLE2_DOC_COLUMNS:
            yield f"table2.{r}.{c}", (table2.get(r) or {}).get(c)
    for k, _, _ in TABLE2_SINGLE_ROWS:
        yield f"table2.{k}", table2.get(k)
    for r in TABLE3_ROW_KEYS:
        for c in TABLE3_COLUMN_KEYS:
            yield table3_id(r, c), ((doc.get("table3") or {}).get(r) or {}).get(c)
    for g, _ in TABLE4_GROUPS:
        for c, _ in TABLE4_COLUMNS:
            yield table4_id(g, c), ((doc.get("table4") or {}).get(g) or {}).get(c)


def _as_number(raw: Any, cid: str) -> Number | None:
    if raw is None:
        return None
    if cid == "table2.fees_wan_yuan":
        return Decimal(str(raw))
    return int(raw) if float(raw).is_integer() else Decimal(str(raw))


def _cell_from(detail: dict[str, Any] | None, value: Any, cid: str) -> Cell:
    number = _as_number(value, cid)
    if detail is None:
        return Cell(CellState.MISSING) if number is None else Cell.number(number)
    return Cell(
        CellState(detail["state"]),
        number if number is not None else _as_number(detail.get("value"), cid),
        detail.get("published"),
        detail.get("recovered_by"),
        tuple(_as_number(c, cid) for c in detail.get("candidates", [])),  # type: ignore[misc]
    )
