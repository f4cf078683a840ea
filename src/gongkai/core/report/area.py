"""Area-wide annual reports (一个地区汇总): the sum of the members' reports, and its check.

Some provinces have a county-or-higher government publish one report for its whole area
(《中华人民共和国政府信息公开条例》第五十条; the 2021 format, 国办公开办函〔2021〕30号, keeps
the same three tables). Each cell of tables 二, 三 and 四 of such a report is the sum of
the members' cells. A member cell that is unknown (blank, missing, ambiguous, text, “/”)
makes the area cell unknown too — it is never counted as 0 — and a cell that cannot be
summed cannot be checked either.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .schema import (
    ALL_CELL_IDS,
    DECIMAL_CELLS,
    Cell,
    CellState,
    Finding,
    Number,
    Report,
    ReportFormat,
    Severity,
    cell_label,
)

#: How many unknown cells the AREA_MEMBER_UNKNOWN message names before “等N项”.
NAMED_UNKNOWN = 3


def sum_reports(members: Sequence[Report], *, agency: str, year: int) -> Report:
    """A 2021-format report whose every table cell is the sum of the members' cells.

    An area cell is unknown (published blank) when any member's cell is unknown. The fee
    of table 二 is summed as a Decimal. ``facts["members"]`` names the members.
    """
    if not members:
        raise ValueError("没有可汇总的成员报告")
    for i, member in enumerate(members, 1):
        if member.format is not ReportFormat.F2021:
            raise ValueError(
                f"第{i}份成员报告（{_name(member)}）不是2021年格式的年度报告，不能汇总"
            )
    report = Report(ReportFormat.F2021, agency=agency, year=year)
    report.cells = {cid: _sum_cell(cid, [m.value(cid) for m in members]) for cid in ALL_CELL_IDS}
    report.facts["members"] = [_name(m) for m in members]
    return report


def check_area(area: Report, members: Sequence[Report]) -> list[Finding]:
    """AREA_SUM (error) for each cell that differs from the members' sum; one
    AREA_MEMBER_UNKNOWN (warning) counting the cells a member leaves unknown.

    A cell the area report leaves unknown is not compared (the generic checks report it);
    with no members there is nothing to compare with.
    """
    if not members:
        return []
    out: list[Finding] = []
    unknown: list[str] = []
    for cid in ALL_CELL_IDS:
        values = [m.value(cid) for m in members]
        if any(v is None for v in values):
            unknown.append(cid)
            continue
        stated = area.value(cid)
        expected = _total(cid, values)  # type: ignore[arg-type]
        if stated is not None and stated != expected:
            out.append(_mismatch(cid, stated, expected))
    if unknown:
        out.append(_unknown(unknown))
    return out


def _name(report: Report) -> str:
    name = report.agency or report.source or "未署名机关"
    return f"{name}{report.year}年度报告" if report.year else name


def _total(cell_id: str, values: Sequence[Number]) -> Number:
    if cell_id in DECIMAL_CELLS:
        return sum((Decimal(v) for v in values), Decimal(0))
    return sum(values)  # type: ignore[arg-type]


def _sum_cell(cell_id: str, values: Sequence[Number | None]) -> Cell:
    if any(v is None for v in values):
        return Cell(CellState.BLANK, None, "")
    return Cell.number(_total(cell_id, values))  # type: ignore[arg-type]


def _mismatch(cell_id: str, stated: Number, expected: Number) -> Finding:
    return Finding(
        "AREA_SUM",
        Severity.ERROR,
        (cell_id,),
        f"{cell_label(cell_id)}：汇总报告为{stated}，各成员报告之和为{expected}"
        f"（相差{abs(stated - expected)}）",
    )


def _unknown(cell_ids: list[str]) -> Finding:
    named = "、".join(cell_label(c) for c in cell_ids[:NAMED_UNKNOWN])
    more = f"等{len(cell_ids)}项" if len(cell_ids) > NAMED_UNKNOWN else ""
    return Finding(
        "AREA_MEMBER_UNKNOWN",
        Severity.WARNING,
        tuple(cell_ids),
        f"有{len(cell_ids)}项数据在成员报告中未知（空白、缺失、不适用或有歧义），"
        f"无法核对汇总：{named}{more}",
    )
