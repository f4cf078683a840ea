"""Figures stated in a report's narrative, checked against its tables.

Reports restate their tables in prose (“全年新收到政府信息公开申请10572件…“予以公开”3553件，
占33.8%”). Prose is loose: “收到申请N件” may count new applications or new plus carried
in; a percentage may be of the applications concluded, received, or received plus carried
in. A statement is flagged only when no plausible reading agrees with the tables, and a
percentage agrees when the table figure rounds (half up) to the stated precision.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DecimalException, localcontext

from .schema import (
    OUTCOME_GROUPS,
    Finding,
    Number,
    Report,
    Severity,
    table3_id,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to understand a statement: its name and the cells it adds up."""

    name: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure stated in the prose and the readings under which it would be right."""

    quote: str
    stated: int
    readings: tuple[Reading, ...]
    percent: str | None = None  # as printed, e.g. "5.6"


def _total_cells(*rows: str) -> tuple[str, ...]:
    return tuple(table3_id(r, "total") for r in rows)


NEW = Reading("本年新收申请", _total_cells("new"))
NEW_AND_CARRIED = Reading("新收与上年结转之和", _total_cells("new", "carried_in"))
CARRIED_IN = Reading("上年结转", _total_cells("carried_in"))
CARRIED_OUT = Reading("结转下年度", _total_cells("carried_out"))
TOTAL = Reading("本年度办结总计", _total_cells("total"))
_PERCENT_BASES = (TOTAL, NEW, NEW_AND_CARRIED)

_COUNT = r"\s*(\d{1,15})\s*"  # a count; longer digit runs are no count (and too long for int)
_RECEIVED = re.compile(r"(新收到?|收到|受理)[^。；;\n]{0,32}?申请" + _COUNT + r"件")
_INCLUDED = re.compile(
    r"\s*[(（]\s*含\s*(?:上一?年度?|\d{4}\s*年)?\s*结转" + _COUNT + r"件\s*[)）]"
)
_CONCLUDED = re.compile(r"(?:办结|作出[^。；;\n]{0,16}?答复)" + _COUNT + r"件")
_CARRIED_OUT = re.compile(r"结转(?:至|到)?\s*下一?年度?[^。；;,，\n\d]{0,8}?" + _COUNT + r"件")
_CARRIED_YEAR = re.compile(
    r"(?:(\d{4})\s*年\s*)?结转(?:至|到)\s*(\d{4})\s*年[^。；;,，\n\d]{0,16}?" + _COUNT + r"件"
)
_CARRIED_PREV = re.compile(r"上一?年度?结转[^。；;,，\n\d]{0,16}?" + _COUNT + r"件")
_QUOTES = "\"“”'"
_GROUP = re.compile(
    r"[\"“”']?(" + "|".join(OUTCOME_GROUPS) + r")[\"“”']?" + _COUNT + r"件"
    r"(?:\s*[,，]?\s*占(?:比)?(?:[^\d%。；]{0,8}?)\s*(\d+(?:\.\d+)?)\s*%)?"
)
#: What every match of :data:`_GROUP` and of :data:`_CARRIED_YEAR` holds (see
#: :func:`_anchored_finditer`); no two of the group names overlap.
_GROUP_NAME = re.compile("|".join(OUTCOME_GROUPS))
_CARRIED_TO = re.compile(r"结转[至到]")
_RECONSIDERATION = re.compile(r"行政复议(?:案件)?" + _COUNT + r"件")
_LITIGATION = re.compile(r"行政诉讼(?:案件)?" + _COUNT + r"件")
#: “现行有效规范性文件66件”, “废止规范性文件26件”, “制发规章1件”: the verb before the
#: words tells which column of table 二 the figure is (none: 本年制发 or 现行有效).
_TABLE2_DOCS = re.compile(
    r"(现行有效|废止|清理|制发|印发|出台|制定|发布)?"
    r"(?:了|的|共|各类|本级|市政府|区政府|县政府|政府){0,3}"
    r"(?:行政)?(规章|规范性文件)" + _COUNT + r"件"
)
#: Where a match of :data:`_TABLE2_DOCS` has its “规章”/“规范性文件”: at most 15 characters
#: after its start (a verb of up to 4, three fillers of up to 3 each, “行政”).
_TABLE2_DOC_WORD = re.compile(r"规章|规范性文件")
_TABLE2_DOC_REACH = 4 + 3 * 3 + 2
_TABLE2_VERBS = {
    "现行有效": ("in_force", "表二现行有效件数"),
    "废止": ("repealed", "表二本年废止件数"),
    **dict.fromkeys(("制发", "印发", "出台", "制定", "发布"), ("issued", "表二本年制发件数")),
}
#: “作出行政处罚决定3985758件”: the single figures of table 二 (decisions, not items).
#: (“作出行政|行政” is “(?:作出)?行政” written so that the regex engine can skip to a “作” or
#: “行” instead of trying every position.)
_TABLE2_SINGLE = re.compile(
    r"(?:作出行政|行政)(许可|处罚|强制)(?:决定|案件)?(?:共|数量为?)?" + _COUNT + r"件"
)
_TABLE2_SINGLE_KEYS = {"许可": "licensing", "处罚": "punishment", "强制": "enforcement"}


def _anchored_finditer(
    pattern: re.Pattern[str],
    anchor: re.Pattern[str],
    starts: Callable[[str, int], Iterable[int]],
    text: str,
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying only the positions where a match can start.

    For a pattern that never matches the empty string and whose every match holds a match
    of ``anchor`` (a pattern with a literal start, whose matches never overlap):
    ``starts(text, at)`` gives, in increasing order, every position after the previous
    anchor where a match whose first anchor starts at ``at`` may itself start. The matches
    are those of ``finditer``, found in a fraction of the time when the pattern starts with
    optional words (the regex engine then tries every position of the text).
    """
    resume = 0  # where the next match may start (after the previous one)
    tried = -1  # the previous anchor's start: every position up to it has been tried
    for hit in anchor.finditer(text):
        for at in starts(text, hit.start()):
            if at < resume or at <= tried:
                continue
            m = pattern.match(text, at)
            if m is not None:
                yield m
                resume = m.end()
        tried = hit.start()


def _within(reach: int) -> Callable[[str, int], range]:
    """Starts for :func:`_anchored_finditer`: up to ``reach`` characters before the anchor."""
    return lambda _text, at: range(max(0, at - reach), at + 1)


def _year_before(text: str, at: int) -> tuple[int, ...]:
    r"""Starts for :data:`_CARRIED_YEAR`: the anchor, and before it a year “2024 年 ” if any
    (4 digits, then 年 with white space on either side, as ``\d{4}\s*年\s*`` matches)."""
    i = at
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i > 0 and text[i - 1] == "年":
        i -= 1
        while i > 0 and text[i - 1].isspace():
            i -= 1
        if i >= 4 and text[i - 4 : i].isdecimal():
            return (i - 4, at)
    return (at,)


def _quote_before(text: str, at: int) -> tuple[int, ...]:
    """Starts for :data:`_GROUP`: the anchor, and the quotation mark right before it if any."""
    return (at - 1, at) if at > 0 and text[at - 1] in _QUOTES else (at,)


def _span_quote(text: str, match: re.Match[str]) -> str:
    return " ".join(text[match.start() : match.end()].split())


def claims(text: str, year: int | None) -> Iterator[Claim]:
    """Every figure the narrative states that the tables can confirm."""
    yield from _application_claims(text, year)
    for m in _anchored_finditer(_GROUP, _GROUP_NAME, _quote_before, text):
        rows = OUTCOME_GROUPS[m.group(1)]
        reading = Reading(f"表三“{m.group(1)}”", _total_cells(*rows))
        yield Claim(_span_quote(text, m), int(m.group(2)), (reading,), m.group(3))
    table4_total = "table4.{}.total".format
    for m in _RECONSIDERATION.finditer(text):
        yield Claim(
            _span_quote(text, m),
            int(m.group(1)),
            (Reading("表四行政复议", (table4_total("reconsideration"),)),),
        )
    litigation = (
        table4_total("litigation_direct"),
        table4_total("litigation_after_reconsideration"),
    )
    for m in _LITIGATION.finditer(text):
        yield Claim(_span_quote(text, m), int(m.group(1)), (Reading("表四行政诉讼", litigation),))
    yield from table2_claims(text)


def table2_claims(text: str) -> Iterator[Claim]:
    """Figures of table 二 the narrative states (“现行有效规范性文件66件”, “行政处罚决定N件”)."""
    for m in _anchored_finditer(_TABLE2_DOCS, _TABLE2_DOC_WORD, _within(_TABLE2_DOC_REACH), text):
        verb, key = m.group(1), "rules" if m.group(2) == "规章" else "normative"
        if verb == "清理":
            continue  # a clean-up count is none of the table's columns
        if verb:
            column, name = _TABLE2_VERBS[verb]
            readings: tuple[Reading, ...] = (Reading(name, (f"table2.{key}.{column}",)),)
        else:
            readings = (
                Reading("表二本年制发件数", (f"table2.{key}.issued",)),
                Reading("表二现行有效件数", (f"table2.{key}.in_force",)),
            )
        yield Claim(_span_quote(text, m), int(m.group(3)), readings)
    for m in _TABLE2_SINGLE.finditer(text):
        key = _TABLE2_SINGLE_KEYS[m.group(1)]
        reading = Reading(f"表二行政{m.group(1)}决定数量", (f"table2.{key}",))
        yield Claim(_span_quote(text, m), int(m.group(2)), (reading,))


def _application_claims(text: str, year: int | None) -> Iterator[Claim]:
    for m in _RECEIVED.finditer(text):
        included = _INCLUDED.match(text, m.end())
        if included:
            yield Claim(_span_quote(text, m), int(m.group(2)), (NEW_AND_CARRIED,))
            yield Claim(_span_quote(text, included), int(included.group(1)), (CARRIED_IN,))
        elif m.group(1).startswith("新收"):
            yield Claim(_span_quote(text, m), int(m.group(2)), (NEW, NEW_AND_CARRIED))
        else:
            yield Claim(_span_quote(text, m), int(m.group(2)), (NEW, NEW_AND_CARRIED))
    for m in _CONCLUDED.finditer(text):
        yield Claim(_span_quote(text, m), int(m.group(1)), (TOTAL,))
        included = _INCLUDED.match(text, m.end())
        if included:
            yield Claim(_span_quote(text, included), int(included.group(1)), (CARRIED_IN,))
    for m in _CARRIED_OUT.finditer(text):
        yield Claim(_span_quote(text, m), int(m.group(1)), (CARRIED_OUT,))
    for m in _CARRIED_PREV.finditer(text):
        yield Claim(_span_quote(text, m), int(m.group(1)), (CARRIED_IN,))
    for m in _anchored_finditer(_CARRIED_YEAR, _CARRIED_TO, _year_before, text):
        to_year = int(m.group(2))
        if year is None:
            readings: tuple[Reading, ...] = (CARRIED_IN, CARRIED_OUT)
        elif to_year == year:
            readings = (CARRIED_IN,)
        elif to_year == year + 1:
            readings = (CARRIED_OUT,)
        else:
            continue
        yield Claim(_span_quote(text, m), int(m.group(3)), readings)


def _sum(report: Report, cells: tuple[str, ...]) -> Number | None:
    values = [report.value(c) for c in cells]
    if any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def percent_of(part: Number, whole: Number, places: int) -> Decimal | None:
    """part/whole as a percentage rounded half up to ``places``; None when not computable.

    Never raises: a zero or absurd whole, a number too long for decimal arithmetic or an
    absurd precision gives None (the caller reports the figure as uncheckable).
    """
    if not whole or not 0 <= places <= 12:
        return None
    try:
        with localcontext() as ctx:
            ctx.prec = 60
            exact = Decimal(part) * 100 / Decimal(whole)
            return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (DecimalException, ValueError, TypeError):
        return None


def _places(printed: str) -> int:
    return len(printed.split(".")[1]) if "." in printed else 0


def _printed(printed: str) -> Decimal | None:
    try:
        return Decimal(printed)
    except (DecimalException, ValueError, TypeError):
        return None


def rounds_to(part: Number, whole: Number, printed: str) -> bool:
    """Whether part/whole, as a percentage rounded half up to the printed precision, is printed.

    False (never an exception) when either side cannot be computed.
    """
    pct, want = percent_of(part, whole, _places(printed)), _printed(printed)
    return pct is not None and want is not None and pct == want


def check_prose(report: Report, text: str) -> list[Finding]:
    """Findings for narrative figures that no reading of the tables supports."""
    findings: list[Finding] = []
    seen: set[tuple[str, str | None]] = set()
    for claim in claims(text, report.year):
        if (claim.quote, claim.percent) in seen:
            continue
        seen.add((claim.quote, claim.percent))
        findings.extend(_check_claim(report, claim))
    return findings


def _check_claim(report: Report, claim: Claim) -> list[Finding]:
    values = [(r, _sum(report, r.cells)) for r in claim.readings]
    known = [(r, v) for r, v in values if v is not None]
    if not known:
        return []
    cells = tuple(c for r, _ in known for c in r.cells)
    out = []
    if all(v != claim.stated for _, v in known):
        table = "，".join(f"{r.name}为{v}" for r, v in known)
        out.append(
            Finding(
                "PROSE_COUNT_MISMATCH",
                Severity.WARNING,
                cells,
                f"正文称“{claim.quote}”，与表格不符：{table}",
            )
        )
    if claim.percent is not None:
        out.extend(_check_percent(report, claim, cells))
    return out


def _check_percent(report: Report, claim: Claim, cells: tuple[str, ...]) -> list[Finding]:
    part, printed = claim.stated, claim.percent or "0"
    bases = [(b, v) for b in _PERCENT_BASES if (v := _sum(report, b.cells))]
    if not bases or any(rounds_to(part, v, printed) for _, v in bases):
        return []
    places = _places(printed)
    shown = [(b, v, percent_of(part, v, places)) for b, v in bases]
    if _printed(printed) is None or any(p is None for _, _, p in shown):
        return [
            Finding(
                "PROSE_NUMBER_UNCHECKED",
                Severity.INFO,
                cells,
                f"正文称“{claim.quote}”，其中的数字无法计算核对（数值过大或格式异常），未作比较",
            )
        ]
    detail = "；".join(f"占{b.name}{v}件的{p}%" for b, v, p in shown)
    base_cells = tuple(c for b, _ in bases for c in b.cells)
    return [
        Finding(
            "PROSE_PERCENT_MISMATCH",
            Severity.WARNING,
            cells + tuple(c for c in base_cells if c not in cells),
            f"正文称“{claim.quote}”，但按表格计算：{detail}，均不是{claim.percent}%",
        )
    ]


_FEE_NONE = re.compile(
    r"未收取|没有收取|无收取|不收取|收取信息处理费的情况\s*[:：]?\s*无|处理费[^。\n\d]{0,10}?0\s*元"
)
#: (“实际收取|收取” is “(?:实际)?收取”, written so that the regex engine skips ahead.)
_FEE_AMOUNT = re.compile(
    r"(?:实际收取|收取)[^。；;\n]{0,14}?处理费(?:共计|合计)?\s*(\d+(?:\.\d+)?)\s*(万?元)"
)


def check_fees(report: Report, other_matters: str) -> list[Finding]:
    """Part 六 says no processing fee was collected yet states an amount collected."""
    if not _FEE_NONE.search(other_matters):
        return []
    amounts = [m for m in _FEE_AMOUNT.finditer(other_matters) if (_printed(m.group(1)) or 0) > 0]
    if not amounts:
        return []
    quote = " ".join(amounts[0].group().split())
    return [
        Finding(
            "FEE_CONTRADICTION",
            Severity.WARNING,
            (),
            f"第六部分称未收取信息处理费，却又写明“{quote}”",
        )
    ]
