"""Consistency checks (勾稽关系) and plausibility warnings for one annual report.

The identities come from the 2021 format (国办公开办函〔2021〕30号): table 三's corner cell
states that items 一 + 二 equal items 三 + 四 in every column; the 21 numbered outcomes
add up to （七）总计; the applicant columns add up to 总计; in table 四 each group's results
add up to its 总计. Every finding has a stable code, a severity, the cells involved and a
Chinese message. An identity with an unknown cell (blank, ambiguous, missing) is not
checked: a blank is never taken as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .prose import check_fees, check_prose
from .schema import (
    APPLICANT_COLUMNS,
    DECIMAL_CELLS,
    OUTCOME_ROWS,
    TABLE3_COLUMNS,
    TABLE3_IDS,
    TABLE3_ROW_KEYS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_IDS,
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


def check(report: Report) -> list[Finding]:
    """Every check for a 2021-format report (none for other documents)."""
    if report.format is not ReportFormat.F2021:
        return []
    found: list[Finding] = []
    found += check_cells(report)
    found += check_table3(report)
    found += check_table4(report)
    found += check_plausibility(report)
    prose = "\n".join(v for k, v in report.narrative.items() if k != "full_text")
    found += check_prose(report, prose)
    found += check_fees(report, report.narrative.get("other_matters", ""))
    return found


def check_and_attach(report: Report) -> Report:
    """Run :func:`check` and append its findings after the reader's own."""
    report.findings.extend(check(report))
    return report


# --- cells ------------------------------------------------------------------------------


def check_cells(report: Report) -> list[Finding]:
    """Negative or fractional counts, blanks, text and “/” in number cells."""
    out = []
    for cid, cell in report.cells.items():
        label = cell_label(cid)
        value = cell.value
        if value is not None and value < 0:
            out.append(
                Finding("NEGATIVE_VALUE", ERROR, (cid,), f"{label}为负数（{cell.published}）")
            )
        if value is not None and cid not in DECIMAL_CELLS and not _whole(value):
            out.append(
                Finding("NOT_INTEGER", ERROR, (cid,), f"{label}应为整数，实为“{cell.published}”")
            )
        if cell.state is CellState.BLANK:
            out.append(
                Finding("CELL_BLANK", WARNING, (cid,), f"{label}为空白，按未知处理（不计为0）")
            )
        elif cell.state is CellState.TEXT:
            out.append(
                Finding(
                    "CELL_TEXT",
                    WARNING,
                    (cid,),
                    f"{label}应为数字，实为文字“{cell.published}”，按未知处理",
                )
            )
        elif cell.state is CellState.NOT_APPLICABLE:
            out.append(
                Finding(
                    "CELL_NOT_APPLICABLE", INFO, (cid,), f"{label}填写“{cell.published}”（不适用）"
                )
            )
        elif cell.state is CellState.MISSING and cid in TABLE3_IDS + TABLE4_IDS:
            continue  # the reader already said the row could not be read
    return out


def _whole(value: Number) -> bool:
    return isinstance(value, int) or (
        isinstance(value, Decimal) and value == value.to_integral_value()
    )


def _values(report: Report, ids: Sequence[str]) -> list[Number] | None:
    values = [report.value(c) for c in ids]
    return None if any(v is None for v in values) else values  # type: ignore[return-value]


# --- table 三 ---------------------------------------------------------------------------


def check_table3(report: Report) -> list[Finding]:
    """The three identities of table 三."""
    out = []
    for col, col_label in TABLE3_COLUMNS:
        ids = [table3_id(r, col) for r in ("new", "carried_in", "total", "carried_out")]
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
                [table3_id(r, col) for r in OUTCOME_ROWS],
                table3_id("total", col),
                f"表三“{col_label}”列：21项办理结果之和",
            )
        )
    for row in TABLE3_ROW_KEYS:
        out.extend(
            _sum_finding(
                report,
                "T3_ROW_SUM",
                [table3_id(row, c) for c in APPLICANT_COLUMNS],
                table3_id(row, "total"),
                f"表三“{row_label(row)}”行：六类申请人之和",
            )
        )
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
    table3 = [report.value(c) for c in TABLE3_IDS]
    if table3 and all(v == 0 for v in table3):
        out.append(
            Finding("T3_ALL_ZERO", WARNING, (), "表三全部为0：本年既无新收申请也无结转，请核实")
        )
    table4 = [report.value(c) for c in TABLE4_IDS]
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
