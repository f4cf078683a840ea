"""Consistency checks (勾稽关系) and plausibility warnings for one annual report.

The identities come from the 2021 format (国办公开办函〔2021〕30号): table 三's corner cell
states that items 一 + 二 equal items 三 + 四 in every column; the 21 numbered outcomes
add up to （七）总计; the applicant columns add up to 总计; in table 四 each group's results
add up to its 总计. Every finding has a stable code, a severity, the cells involved and a
Chinese message. An identity with an unknown cell (blank, ambiguous, missing) is not
checked: a blank is never taken as 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from . import ocr_model
from .prose import check_fees, check_prose, table2_claims
from .schema import (
    APPLICANT_COLUMNS,
    DECIMAL_CELLS,
    OUTCOME_ROWS,
    TABLE2_DOC_ROWS,
    TABLE3_COLUMNS,
    TABLE3_IDS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_IDS,
    Cell,
    CellState,
    Finding,
    Number,
    Report,
    ReportFormat,
    Severity,
    cell_label,
    row_label,
    table3_id,
    table4_id,
)

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_LABEL_VARIANT = "TABLE2_LABEL_VARIANT"  # .tables.table2.LABEL_VARIANT
_OCR_FIXED = "ocr: letters read as digits (O→0, l/I→1)"  # .tables.cells.RECOVERED_OCR


def check(report: Report) -> list[Finding]:
    """Every check for a 2021-format report (none for other documents)."""
    if report.format is not ReportFormat.F2021:
        return []
    found: list[Finding] = []
    found += check_cells(report)
    found += check_states(report)
    found += check_table3(report)
    found += check_table4(report)
    found += check_plausibility(report)
    prose = "\n".join(v for k, v in report.narrative.items() if k != "full_text")
    found += check_prose(report, prose)
    found += check_fees(report, report.narrative.get("other_matters", ""))
    return found


def check_and_attach(report: Report) -> Report:
    """Settle what scanned text cannot confirm (:func:`settle_ocr_table2`), then run
    :func:`check` and append its findings after the reader's own."""
    if report.format is ReportFormat.F2021:
        report.findings.extend(settle_ocr_table2(report))
    report.findings.extend(check(report))
    return report


# --- which identity binds a cell ----------------------------------------------------------


def identities_of(cell_id: str) -> tuple[str, ...]:
    """The identities (勾稽关系) of 国办公开办函〔2021〕30号 that bind a cell, in words."""
    parts = cell_id.split(".")
    if parts[0] == "table3":
        row, col = parts[1], parts[2]
        col_label = dict(TABLE3_COLUMNS)[col]
        out = [f"表三“{row_label(row)}”行六类申请人之和=总计"]
        if row in OUTCOME_ROWS or row == "total":
            out.append(f"表三“{col_label}”列21项办理结果之和=（七）总计")
        if row in ("new", "carried_in", "total", "carried_out"):
            out.append(f"表三“{col_label}”列第一项+第二项=第三项+第四项")
        return tuple(out)
    if parts[0] == "table4":
        group = dict(TABLE4_GROUPS)[parts[1]]
        return (f"表四“{group}”合计（维持+纠正+其他+尚未审结=总计）",)
    if parts[0] == "table2" and len(parts) == 3:
        row = dict(TABLE2_DOC_ROWS)[parts[1]]
        return (f"跨年度：上年{row}现行有效+本年制发−本年废止=本年现行有效（须有上年报告）",)
    return ()


def _identity_text(cell_id: str) -> str:
    found = identities_of(cell_id)
    if not found:
        return "表二该项不受任何恒等式约束，只能与正文或原件核对"
    return "所属恒等式：" + "；".join(found)


def check_states(report: Report) -> list[Finding]:
    """For each recovered, ambiguous or rejected cell, which identity it belongs to.

    Cells of one row (table 三) or group (table 四) in the same state share one finding.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    number, recovered, ambiguous = CellState.NUMBER, CellState.RECOVERED, CellState.AMBIGUOUS
    missing = CellState.MISSING
    for cid, cell in report.cells.items():
        state = cell.state
        if state is number:
            continue
        if state is recovered:
            kind = "recovered"
        elif state is ambiguous:
            kind = "ambiguous"
        elif state is missing and cell.published:
            kind = "rejected"
        else:
            continue
        groups.setdefault((kind, cid.rsplit(".", 1)[0] if cid[5] != "2" else cid), []).append(cid)
    out = []
    for (kind, _), ids in groups.items():
        cells = [report.cell(c) for c in ids]
        where = _identity_text(ids[0])
        if kind == "recovered":
            detail = "；".join(
                f"{cell_label(c)}原文“{x.published}”还原为{x.value}（{x.recovered_by}）"
                for c, x in zip(ids, cells, strict=True)
            )
            out.append(Finding("CELL_RECOVERED", INFO, tuple(ids), f"{detail}。{where}"))
        elif kind == "ambiguous":
            detail = "；".join(
                f"{cell_label(c)}原文“{x.published}”可读作{'或'.join(map(str, x.candidates))}"
                for c, x in zip(ids, cells, strict=True)
            )
            out.append(
                Finding("CELL_AMBIGUOUS", INFO, tuple(ids), f"{detail}，按未知处理。{where}")
            )
        else:
            detail = "、".join(
                f"{cell_label(c)}（原文“{x.published}”）" for c, x in zip(ids, cells, strict=True)
            )
            out.append(
                Finding(
                    "CELL_UNCONFIRMED",
                    INFO,
                    tuple(ids),
                    f"{detail}读到的数字无法确认，按未知处理。{where}",
                )
            )
    return out


# --- scanned text: table 二 figures nothing confirms ----------------------------------------

#: Marks of OCR output in running text: a letter inside a number (“S5500”, “1O5”), not in a
#: word: ``(?<![A-Za-z])(?:\d+[OolISB]\d*|[OolISB]\d{2,})(?![A-Za-z])``, written to start with
#: the character read first (so that the regex engine skips to a digit or one of the letters)
#: and the assertions after it.
_OCR_TEXT = re.compile(
    r"[\dOolISB](?<![A-Za-z][\dOolISB])(?:(?<=\d)\d*[OolISB]\d*|(?<=[OolISB])\d{2,})(?![A-Za-z])"
)


def ocr_like(report: Report) -> bool:
    """Whether the report was read from scanned pages by OCR: a cell repaired from an OCR
    confusion, a finding about one, or letters read inside numbers in the prose."""
    if any(f.code.startswith("OCR_") for f in report.findings):
        return True
    for cell in report.cells.values():
        how = cell.recovered_by or ""
        if cell.state is CellState.RECOVERED and ("误识" in how or how == _OCR_FIXED):
            return True
    prose = "\n".join(v for k, v in report.narrative.items() if k != "full_text")
    return next(islice(_OCR_TEXT.finditer(prose), 1, None), None) is not None  # two or more


def settle_ocr_table2(report: Report) -> list[Finding]:
    """In a scanned report, a table-二 figure that something contradicts becomes unknown.

    Table 二 has no identity inside it, so an OCR misreading there shows only (a) when the
    report's prose states the same figure differently, or (b) when the row's label itself
    was misread (:data:`.tables.table2.LABEL_VARIANT`): the line was poorly recognised and
    nothing can confirm its figure. The cell then keeps the figures as candidates and no
    value — a number read by OCR and contradicted is never given as read. In typed text
    the table is what was published and prose disagreeing is only a warning
    (:func:`.prose.check_prose`).
    """
    if not ocr_like(report):
        return []
    out = []
    prose = "\n".join(v for k, v in report.narrative.items() if k != "full_text")
    for claim in table2_claims(prose):
        if len(claim.readings) != 1 or len(claim.readings[0].cells) != 1:
            continue
        cid = claim.readings[0].cells[0]
        cell = report.cell(cid)
        if cell.value is None or cell.value == claim.stated:
            continue
        report.cells[cid] = Cell(
            CellState.AMBIGUOUS,
            None,
            cell.published,
            None,
            tuple(sorted({cell.value, claim.stated})),
        )
        out.append(
            Finding(
                "OCR_TABLE2_PROSE",
                WARNING,
                (cid,),
                f"{cell_label(cid)}识别为“{cell.published}”，正文称“{claim.quote}”，"
                "二者不一致；表二无表内恒等式，无法判断哪一处识别有误，按未知处理，请对照原件",
            )
        )
    for finding in list(report.findings):
        if finding.code != _LABEL_VARIANT:
            continue
        for cid in finding.cells:
            cell = report.cell(cid)
            if cell.value is None:
                continue
            report.cells[cid] = Cell(CellState.AMBIGUOUS, None, cell.published, None, (cell.value,))
            out.append(
                Finding(
                    "OCR_TABLE2_LABEL",
                    WARNING,
                    (cid,),
                    f"{cell_label(cid)}所在行的标签识别有误，该行数字“{cell.published}”"
                    "在扫描识别文本中无恒等式或正文可核，按未知处理，请对照原件",
                )
            )
    out.extend(ocr_model.settle_table2(report))  # the document's own proved OCR confusions
    return out


# --- cells ------------------------------------------------------------------------------


def check_cells(report: Report) -> list[Finding]:
    """Negative or fractional counts, blanks, text and “/” in number cells.

    A missing cell gives no finding here: the reader already said the row could not be read.
    """
    out = []
    label = _cell_label
    number, missing, blank = CellState.NUMBER, CellState.MISSING, CellState.BLANK
    text, not_applicable = CellState.TEXT, CellState.NOT_APPLICABLE
    for cid, cell in report.cells.items():
        value = cell.value
        if value is not None:
            if value < 0:
                out.append(
                    Finding(
                        "NEGATIVE_VALUE", ERROR, (cid,), f"{label(cid)}为负数（{cell.published}）"
                    )
                )
            if cid not in DECIMAL_CELLS and not _whole(value):
                out.append(
                    Finding(
                        "NOT_INTEGER",
                        ERROR,
                        (cid,),
                        f"{label(cid)}应为整数，实为“{cell.published}”",
                    )
                )
        state = cell.state
        if state is number or state is missing:
            continue
        if state is blank:
            out.append(
                Finding("CELL_BLANK", WARNING, (cid,), f"{label(cid)}为空白，按未知处理（不计为0）")
            )
        elif state is text:
            out.append(
                Finding(
                    "CELL_TEXT",
                    WARNING,
                    (cid,),
                    f"{label(cid)}应为数字，实为文字“{cell.published}”，按未知处理",
                )
            )
        elif state is not_applicable:
            out.append(
                Finding(
                    "CELL_NOT_APPLICABLE",
                    INFO,
                    (cid,),
                    f"{label(cid)}填写“{cell.published}”（不适用）",
                )
            )
    return out


#: A cell's Chinese name, worked out once per cell id (a report has 250 cells; bounded, as a
#: report read from JSON may carry ids of its own).
_cell_label = lru_cache(maxsize=1024)(cell_label)


def _whole(value: Number) -> bool:
    return isinstance(value, int) or (
        isinstance(value, Decimal) and value == value.to_integral_value()
    )


def _values(report: Report, ids: Sequence[str]) -> list[Number] | None:
    """The values of ``ids``; None as soon as one is unknown (as :meth:`Report.value`)."""
    cells = report.cells
    values: list[Number] = []
    for cid in ids:
        cell = cells.get(cid)
        value = None if cell is None else cell.value
        if value is None:
            return None
        values.append(value)
    return values


# --- table 三 ---------------------------------------------------------------------------


#: Per column of table 三: its label, the cells of 一 + 二 = 三 + 四, the 21 outcome cells and
#: （七）总计; per row: the six applicant cells, 总计 and what the sum is called.
_T3_COLUMN_SUMS: tuple[tuple[str, list[str], list[str], str], ...] = tuple(
    (
        col_label,
        [table3_id(r, col) for r in ("new", "carried_in", "total", "carried_out")],
        [table3_id(r, col) for r in OUTCOME_ROWS],
        table3_id("total", col),
    )
    for col, col_label in TABLE3_COLUMNS
)
_T3_ROW_SUMS: tuple[tuple[list[str], str, str], ...] = tuple(
    (
        [table3_id(row, c) for c in APPLICANT_COLUMNS],
        table3_id(row, "total"),
        f"表三“{row_label(row)}”行：六类申请人之和",
    )
    for row in TABLE3_ROW_KEYS
)


def check_table3(report: Report) -> list[Finding]:
    """The three identities of table 三."""
    out = []
    for col_label, ids, outcome_ids, total_id in _T3_COLUMN_SUMS:
        figures = _values(report, ids)
        if figures is not None:
            new, carried_in, total, carried_out = figures
            if new + carried_in != total + carried_out:
                out.append(
                    Finding(
                        "T3_BALANCE",
                        ERROR,
                        tuple(ids),
                        f"表三“{col_label}”列：第一项加第二项"
                        f"（{new}+{carried_in}={new + carried_in}）"
                        f"不等于第三项加第四项（{total}+{carried_out}={total + carried_out}）",
                    )
                )
        out.extend(
            _sum_finding(
                report,
                "T3_OUTCOME_SUM",
                outcome_ids,
                total_id,
                f"表三“{col_label}”列：21项办理结果之和",
            )
        )
    for parts, total_id, what in _T3_ROW_SUMS:
        out.extend(_sum_finding(report, "T3_ROW_SUM", parts, total_id, what))
    return out


def _sum_finding(
    report: Report, code: str, parts: list[str], total_id: str, what: str
) -> list[Finding]:
    figures = _values(report, [*parts, total_id])
    if figures is None:
        return []
    *items, total = figures
    if sum(items) == total:
        return []
    return [
        Finding(
            code,
            ERROR,
            (*parts, total_id),
            f"{what}为{sum(items)}，不等于所填总计{total}（相差{total - sum(items)}）",
        )
    ]


# --- table 四 ---------------------------------------------------------------------------


def check_table4(report: Report) -> list[Finding]:
    """In each group of table 四 the four results add up to 总计."""
    out = []
    for group, label in TABLE4_GROUPS:
        parts = [table4_id(group, c) for c, _ in TABLE4_COLUMNS[:4]]
        out.extend(
            _sum_finding(
                report,
                "T4_GROUP_SUM",
                parts,
                table4_id(group, "total"),
                f"表四“{label}”：维持、纠正、其他、尚未审结之和",
            )
        )
    return out


# --- plausibility -------------------------------------------------------------------------


def check_plausibility(report: Report) -> list[Finding]:
    """Warnings that are not errors: an all-zero table, a high correction rate."""
    out = []
    cells = report.cells
    table3 = [cell.value if (cell := cells.get(c)) is not None else None for c in TABLE3_IDS]
    if table3 and all(v == 0 for v in table3):
        out.append(
            Finding("T3_ALL_ZERO", WARNING, (), "表三全部为0：本年既无新收申请也无结转，请核实")
        )
    table4 = [cell.value if (cell := cells.get(c)) is not None else None for c in TABLE4_IDS]
    if table4 and all(v == 0 for v in table4) and table3 and all(v == 0 for v in table3):
        out.append(Finding("TABLES_ALL_ZERO", WARNING, (), "表三、表四全部为0，请核实是否漏填"))
    rate_ids = [table4_id("reconsideration", c) for c in ("upheld", "corrected", "other", "total")]
    figures = _values(report, rate_ids)
    if figures is not None:
        upheld, corrected, other, _total = figures
        decided = upheld + corrected + other
        if decided >= 5 and corrected * 2 > decided:
            out.append(
                Finding(
                    "RECONSIDERATION_CORRECTION_RATE",
                    WARNING,
                    tuple(rate_ids),
                    f"行政复议结果纠正{corrected}件，占已审结{decided}件的"
                    f"{corrected * 100 // decided}%，纠错率偏高，请核实",
                )
            )
    return out
