"""Comparing two reports of one agency: year-on-year changes and cross-year checks.

Across years (国办公开办函〔2021〕30号): what one year carries out (结转下年度继续办理)
is what the next year carries in (上年结转), column by column — an error when it is not.
The 现行有效 count of 规章 and 行政规范性文件 should equal last year's plus this year's
issued minus repealed — a warning only, because agencies recount after clean-ups; it is
the one check table 二 has, so for a scanned report the warning says the cells (named in
the finding) may have been misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException

from .checks import ocr_like
from .prose import rounds_to
from .schema import (
    ALL_CELL_IDS,
    TABLE3_COLUMNS,
    Finding,
    Number,
    Report,
    ReportFormat,
    Severity,
    cell_label,
    table3_id,
)

#: A change beyond this factor either way is worth a look (plausibility, not an error).
JUMP_FACTOR = 5
#: Below this size a jump says little (3 → 16 is not news).
JUMP_MIN = 20


@dataclass(frozen=True, slots=True)
class Change:
    cell: str
    old: Number
    new: Number

    @property
    def delta(self) -> Number:
        return self.new - self.old

    @property
    def percent(self) -> Decimal | None:
        return _change(self.new - self.old, self.old)


@dataclass(slots=True)
class Comparison:
    old: Report
    new: Report
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def compare(old: Report, new: Report) -> Comparison:
    """Year-on-year changes per cell and the cross-year findings."""
    result = Comparison(old, new)
    if old.format is not ReportFormat.F2021 or new.format is not ReportFormat.F2021:
        result.findings.append(
            Finding("COMPARE_FORMAT", Severity.ERROR, (), "只能比较两份2021年格式的年度报告")
        )
        return result
    for cid in ALL_CELL_IDS:
        old_value, new_value = old.value(cid), new.value(cid)
        if old_value is not None and new_value is not None:
            result.changes.append(Change(cid, old_value, new_value))
    result.findings += _identity(old, new)
    result.findings += _carry_over(old, new)
    result.findings += _in_force(old, new)
    result.findings += _jumps(result.changes)
    result.findings += _prose_growth(old, new)
    return result


_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|州|盟|地区))+$")
_NAMED_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|州|盟|地区|区|县|旗)")


def same_agency(a: str, b: str) -> bool:
    """True when two reports' agency names are the same agency: equal, or one is the other
    with its higher place names in front (“淮安市洪泽区人民政府” and “洪泽区人民政府”)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return (
        long.endswith(short)
        and bool(_NAMED_PLACE.match(short))
        and bool(_PLACE.match(long[: -len(short)]))
    )


def _identity(old: Report, new: Report) -> list[Finding]:
    out = []
    if old.year and new.year and new.year != old.year + 1:
        out.append(
            Finding(
                "COMPARE_YEARS",
                Severity.WARNING,
                (),
                f"两份报告不是相邻年度（{old.year}年与{new.year}年）",
            )
        )
    if old.agency and new.agency and not same_agency(old.agency, new.agency):
        out.append(
            Finding(
                "COMPARE_AGENCY",
                Severity.WARNING,
                (),
                f"两份报告的机关不同（{old.agency}与{new.agency}）",
            )
        )
    return out


def _carry_over(old: Report, new: Report) -> list[Finding]:
    out = []
    for col, label in TABLE3_COLUMNS:
        carried_out = old.value(table3_id("carried_out", col))
        carried_in = new.value(table3_id("carried_in", col))
        if carried_out is not None and carried_in is not None and carried_out != carried_in:
            out.append(
                Finding(
                    "CARRY_OVER",
                    Severity.ERROR,
                    (f"old.{table3_id('carried_out', col)}", table3_id("carried_in", col)),
                    f"“{label}”列：上年报告结转下年度{carried_out}件，"
                    f"本年报告上年结转{carried_in}件，二者应相等",
                )
            )
    return out


def _in_force(old: Report, new: Report) -> list[Finding]:
    out = []
    for key, label in (("rules", "规章"), ("normative", "行政规范性文件")):
        ids = [f"table2.{key}.{c}" for c in ("in_force", "issued", "repealed")]
        prev = old.value(ids[0])
        now, issued, repealed = (new.value(c) for c in ids)
        if None in (prev, now, issued, repealed):
            continue
        expected = prev + issued - repealed  # type: ignore[operator]
        why = "清理后重新统计时可能如此，请核实"
        if ocr_like(new):  # table 二 has no identity inside it: this is its only check
            why = "本年报告为扫描识别文本，也可能是这几格识别有误，请对照原件核实"
        if expected != now:
            out.append(
                Finding(
                    "IN_FORCE_CONTINUITY",
                    Severity.WARNING,
                    (f"old.{ids[0]}", *ids),
                    f"{label}现行有效件数：上年{prev}+本年制发{issued}−本年废止{repealed}={expected}，"
                    f"本年报告为{now}（{why}）",
                )
            )
    return out


def _jumps(changes: list[Change]) -> list[Finding]:
    out = []
    for change in changes:
        lo, hi = sorted((abs(change.old), abs(change.new)))
        if hi >= JUMP_MIN and hi > JUMP_FACTOR * lo and change.cell.endswith(("total", "in_force")):
            out.append(
                Finding(
                    "YOY_JUMP",
                    Severity.WARNING,
                    (change.cell,),
                    f"{cell_label(change.cell)}由{change.old}变为{change.new}，"
                    f"变化超过{JUMP_FACTOR}倍，请核实",
                )
            )
    return out


_GROWTH = re.compile(
    r"申请\s*(\d{1,15})\s*件\s*[,，]?\s*(?:比|较)(?:上年|上一年|(\d{4})\s*年)(?:同期)?\s*(增加|增长|上升|减少|下降)\s*(\d+(?:\.\d+)?)\s*(%|倍)"
)


def _prose_growth(old: Report, new: Report) -> list[Finding]:
    """“申请N件，比2023年增加X%” (or “增长N倍”: the increase as a multiple of last year's
    figure, 2 → 23 being “增长10.5倍”) against last year's report."""
    text = "\n".join(new.narrative.values())
    out = []
    for claim in _GROWTH.finditer(text):
        stated, figure, unit = int(claim.group(1)), claim.group(4), claim.group(5)
        sign = -1 if claim.group(3) in ("减少", "下降") else 1
        bases = [old.value(table3_id("new", "total"))]
        carried_in = old.value(table3_id("carried_in", "total"))
        if bases[0] is not None and carried_in is not None:
            bases.append(bases[0] + carried_in)
        known = [b for b in bases if b]
        if not known:
            continue
        if unit == "倍":  # N倍 is (stated − b)/b, i.e. the percentage of (stated − b) in 100·b
            scale, said = 100, f"增长{_times(stated - known[0], known[0]) or '?'}倍"
            if sign < 0:
                said = f"{_change(stated - known[0], known[0]) or '?'}%"
        else:
            scale, said = 1, f"{_change(stated - known[0], known[0]) or '?'}%"
        if any(
            rounds_to(abs(stated - b), b * scale, figure) and (stated - b) * sign >= 0
            for b in known
        ):
            continue
        quote = " ".join(claim.group().split())
        out.append(
            Finding(
                "PROSE_YOY_MISMATCH",
                Severity.WARNING,
                ("old.table3.new.total", table3_id("new", "total")),
                f"正文称“{quote}”，但上年报告新收申请为{known[0]}件，按此计算变化为{said}",
            )
        )
    return out


def _times(delta: Number, base: Number) -> Decimal | None:
    """delta/base as a multiple to one decimal place; None when not computable."""
    if not base or delta <= 0:
        return None
    try:
        return (Decimal(delta) / Decimal(base)).quantize(Decimal("0.1"))
    except DecimalException:
        return None


def _change(delta: Number, base: Number) -> Decimal | None:
    """delta/base in percent to one decimal place; None when zero or not computable."""
    if not base:
        return None
    try:
        return (Decimal(delta) * 100 / Decimal(base)).quantize(Decimal("0.1"))
    except DecimalException:
        return None
