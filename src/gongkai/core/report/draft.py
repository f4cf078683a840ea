"""A first draft of the six narrative parts of an annual report, written from its tables.

《中华人民共和国政府信息公开条例》第五十条 says what an annual report contains, and the 2021
format (国办公开办函〔2021〕30号) fixes its six parts and three tables. Offices restate the
tables in prose (“全年新收到政府信息公开申请N件，比上年增加X%……“予以公开”N件，占X%”);
the draft does the same with the report's own figures, so that it starts out agreeing with
the prose checks (:mod:`.prose`) and the year-on-year check (:mod:`.compare`): counts are
copied, percentages are rounded half up to one decimal, and the fee statement of part 六
is worded the way :func:`.prose.check_fees` reads it.

An unknown cell (blank, missing, ambiguous, text, “/”) is never written as 0: its place
says “（待填报）”. What the tables cannot say (problems, the superior work plan, deputies'
proposals) is a neutral template marked “（请根据本机关实际情况修改）”. A report is not
finished while any of these marks is left: :func:`placeholders` finds them, part by part
and subsection by subsection, so that the office is told exactly what is still to be
written before the report is submitted or published (第五十条: the report is published as
the agency's own account of its year).

Year-on-year changes follow Chinese statistical usage: “增长X%”, “下降X%”, and beyond a
doubling “增长N倍”, where N is the increase over last year's figure (from 2 to 23 is
“增长10.5倍”: 23 = 2 × (1 + 10.5)).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .schema import (
    APPLICANT_COLUMNS,
    OUTCOME_GROUPS,
    PART_KEYS,
    PARTS,
    TABLE2_IDS,
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    Number,
    Report,
    table3_id,
    table4_id,
)

#: Written in place of a figure the tables do not give.
PENDING = "（待填报）"
#: Closes a paragraph the office must adapt.
EDIT_MARK = "（请根据本机关实际情况修改）"
#: The overview's request for what the tables cannot say (followed by :data:`EDIT_MARK`).
OVERVIEW_PROMPT = (
    "请在此补充本年度主动公开、政府信息管理、政府信息公开平台建设、监督保障等方面的工作情况。"
)

_LITIGATION = ("litigation_direct", "litigation_after_reconsideration")
#: The four results of table 四 (without 总计).
_RESULTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class DraftFacts:
    """What the draft needs besides the tables: who, which year, the processing fees."""

    agency: str
    year: int
    #: 收费通知 issued in the year.
    fee_notices: int = 0
    #: 收费通知 that were paid.
    fee_paid_count: int = 0
    #: 信息处理费 actually collected, in yuan.
    fee_yuan: Decimal = Decimal(0)
    #: The superior office whose 政务公开工作要点 the office implements.
    supervisor: str | None = None


def draft_narrative(
    report: Report, *, facts: DraftFacts, previous: Report | None = None
) -> dict[str, str]:
    """All six parts (keys :data:`.schema.PART_KEYS`), in order."""
    return {key: draft_part(key, report, facts=facts, previous=previous) for key in PART_KEYS}


def draft_part(
    key: str, report: Report, *, facts: DraftFacts, previous: Report | None = None
) -> str:
    """One part of the draft (``key`` one of :data:`.schema.PART_KEYS`)."""
    if key not in _DRAFTERS:
        raise ValueError(f"年度报告没有“{key}”这一部分")
    return _DRAFTERS[key](report, facts, previous)


# --- figures -----------------------------------------------------------------------------


def percent(part: Number, whole: Number) -> str:
    """part/whole as a percentage rounded half up to one decimal (“33.8”)."""
    exact = Decimal(part) * 100 / Decimal(whole)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def figure(value: Number | None, unit: str = "件") -> str:
    """“12件”, or “（待填报）” for an unknown value (never 0)."""
    if value is None:
        return PENDING
    return f"{format(value, 'f') if isinstance(value, Decimal) else value}{unit}"


def total_of(report: Report, cell_ids: Iterable[str]) -> Number | None:
    """The sum of the cells, or None when any of them is unknown."""
    values = [report.value(c) for c in cell_ids]
    if any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def change(now: Number | None, before: Number | None) -> str | None:
    """“比上年增长X%”, “比上年增长N倍”, “比上年下降X%” or “与上年持平”; None when there is
    nothing to compare.

    X is the change in percent, N the increase as a multiple of last year's figure (used
    beyond a doubling: 2 → 23 is “增长10.5倍”, since 23 − 2 = 10.5 × 2), both rounded half
    up to one decimal, as :func:`.compare.compare` checks them; a change too small to show
    at that precision is stated in 件 instead of as “0.0%”.
    """
    if now is None or before is None or before <= 0:
        return None
    diff = now - before
    if diff == 0:
        return "与上年持平"
    if diff > before:
        return f"比上年增长{times(diff, before)}倍"
    pct = percent(abs(diff), before)
    if Decimal(pct) == 0:
        return f"比上年{'增加' if diff > 0 else '减少'}{figure(abs(diff))}"
    return f"比上年{'增长' if diff > 0 else '下降'}{pct}%"


def times(part: Number, whole: Number) -> str:
    """part/whole as a multiple rounded half up to one decimal (“10.5”)."""
    exact = Decimal(part) / Decimal(whole)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _yuan(amount: Decimal) -> str:
    """An amount in yuan without trailing zeros or exponent (“150.5”, “1500”)."""
    return format(amount.normalize(), "f")


# --- sentences shared with :mod:`.synth` -------------------------------------------------


def received_sentence(report: Report, previous: Report | None = None) -> str:
    """New applications (with the change from ``previous``), carried in, concluded, carried out."""
    table3_value = report.t3
    new = table3_value("new")
    growth = change(new, previous.t3("new") if previous is not None else None)
    head = f"全年新收到政府信息公开申请{figure(new)}" + (f"，{growth}" if growth else "")
    return (
        f"{head}，上年结转{figure(table3_value('carried_in'))}，"
        f"共办结{figure(table3_value('total'))}，"
        f"结转至下一年度继续办理{figure(table3_value('carried_out'))}。"
    )


def outcome_sentence(report: Report) -> str:
    """Each outcome group with its share of the applications concluded (no share of 0)."""
    total = report.t3("total")
    clauses = []
    for group, rows in OUTCOME_GROUPS.items():
        count = total_of(report, (table3_id(r, "total") for r in rows))
        share = f"，占{percent(count, total)}%" if count is not None and total and total > 0 else ""
        clauses.append(f"“{group}”{figure(count)}{share}")
    return "从办理结果看，" + "；".join(clauses) + "。"


def remedies_sentence(report: Report) -> str:
    """The totals of table 四: reconsiderations and lawsuits."""
    reconsideration = report.value(table4_id("reconsideration", "total"))
    litigation = total_of(report, (table4_id(g, "total") for g in _LITIGATION))
    return (
        f"本年度共办理政府信息公开行政复议{figure(reconsideration)}，行政诉讼{figure(litigation)}。"
    )


def fee_sentence(*, notices: int, paid: int, yuan: Decimal) -> str:
    """The fee statement of part 六, worded as :func:`.prose.check_fees` reads it."""
    if yuan <= 0:
        if notices:
            return f"本年度共发出收费通知{notices}份，实际未收取信息处理费。"
        return "本年度未收取信息处理费。"
    sent = f"共发出收费通知{notices}份，" if notices else ""
    of_which = f"其中已缴费{paid}份，" if notices and paid else ""
    return f"本年度{sent}{of_which}实际收取信息处理费{_yuan(yuan)}元。"


def period_sentence(year: int | None) -> str:
    """The statistics period (1 January to 31 December of the report's year)."""
    return f"本报告中所列数据的统计期限自{year}年1月1日至{year}年12月31日。"


def table2_sentences(report: Report) -> str:
    """Table 二 restated: 规章 and 行政规范性文件, decisions, the fee amount in 万元."""
    figures = {cid.removeprefix("table2."): figure(report.value(cid)) for cid in TABLE2_IDS}
    fee = figure(report.value("table2.fees_wan_yuan"), "万元")
    return "\n".join(
        (
            f"本年度制发规章{figures['rules.issued']}，废止{figures['rules.repealed']}，"
            f"现行有效规章{figures['rules.in_force']}；"
            f"制发行政规范性文件{figures['normative.issued']}，"
            f"废止{figures['normative.repealed']}，"
            f"现行有效行政规范性文件{figures['normative.in_force']}。",
            f"全年作出行政许可决定{figures['licensing']}、"
            f"行政处罚决定{figures['punishment']}、"
            f"行政强制决定{figures['enforcement']}；行政事业性收费金额{fee}。",
        )
    )


# --- the six parts -----------------------------------------------------------------------


def _overview(report: Report, facts: DraftFacts, previous: Report | None) -> str:
    table3_value = report.t3
    return "\n".join(
        (
            f"{facts.year}年，{facts.agency}深入贯彻落实《中华人民共和国政府信息公开条例》和"
            "上级政务公开工作部署要求，坚持以公开为常态、不公开为例外，持续提升政府信息公开"
            "工作质效。",
            f"全年新收到政府信息公开申请{figure(table3_value('new'))}，"
            f"共办结{figure(table3_value('total'))}。" + remedies_sentence(report),
            OVERVIEW_PROMPT + EDIT_MARK,
        )
    )


def _proactive(report: Report, facts: DraftFacts, previous: Report | None) -> str:
    return table2_sentences(report)


def _applications(report: Report, facts: DraftFacts, previous: Report | None) -> str:
    return "\n".join(
        (received_sentence(report, previous), applicant_sentence(report), outcome_sentence(report))
    )


def applicant_sentence(report: Report) -> str:
    """New applications by kind of applicant: natural persons, then organisations."""
    orgs = APPLICANT_COLUMNS[1:]
    org_total = total_of(report, (table3_id("new", c) for c in orgs))
    names = dict(TABLE3_COLUMNS)
    detail = [
        f"{names[c]}{figure(n)}" for c in orgs if (n := report.t3("new", c)) is not None and n
    ]
    more = f"（{'、'.join(detail)}）" if org_total and detail else ""
    return (
        f"从申请人类型看，自然人提出{figure(report.t3('new', 'natural_person'))}，"
        f"法人或其他组织提出{figure(org_total)}{more}。"
    )


def _remedies(report: Report, facts: DraftFacts, previous: Report | None) -> str:
    lines = [remedies_sentence(report)]
    before = previous.value(table4_id("reconsideration", "total")) if previous else None
    growth = change(report.value(table4_id("reconsideration", "total")), before)
    if growth:
        lines[0] += f"行政复议案件{growth}。"
    own = [report.value(table4_id("reconsideration", c)) for c in _RESULTS]
    lines.append(f"行政复议中，{_results(own)}。")
    direct, after = (report.value(table4_id(g, "total")) for g in _LITIGATION)
    both = [total_of(report, (table4_id(g, c) for g in _LITIGATION)) for c in _RESULTS]
    lines.append(
        f"行政诉讼中，未经复议直接起诉{figure(direct)}、复议后起诉{figure(after)}；"
        f"{_results(both)}。"
    )
    return "\n".join(lines)


def _results(values: Iterable[Number | None]) -> str:
    """“结果维持N件、结果纠正N件、其他结果N件、尚未审结N件”."""
    labels = dict(TABLE4_COLUMNS)
    return "、".join(f"{labels[c]}{figure(v)}" for c, v in zip(_RESULTS, values, strict=True))


_PROBLEMS = (
    "（一）存在的主要问题",
    "一是政策解读的针对性和实效性还需增强，解读形式有待进一步丰富。",
    "二是依申请公开答复的规范化水平还需提高，答复文书说理有待加强。",
    "三是政务公开标准化规范化建设仍有差距，部分栏目信息更新不够及时。",
    "（二）改进情况",
    "下一步，将加强业务培训和工作指导，完善信息发布审核和依申请公开会商机制，持续提升"
    "政务公开工作质效。",
    EDIT_MARK,
)


def _problems(report: Report, facts: DraftFacts, previous: Report | None) -> str:
    return "\n".join(_PROBLEMS)


def _other_matters(report: Report, facts: DraftFacts, previous: Report | None) -> str:
    fee = fee_sentence(notices=facts.fee_notices, paid=facts.fee_paid_count, yuan=facts.fee_yuan)
    superior = facts.supervisor or "上级机关"
    return "\n".join(
        (
            "（一）收取信息处理费的情况",
            fee,
            "（二）落实上级年度政务公开工作要点情况",
            f"按照{superior}{facts.year}年政务公开工作要点要求，细化分解任务，明确责任单位和"
            f"完成时限，逐项抓好落实。{EDIT_MARK}",
            "（三）人大代表建议和政协提案办理结果公开情况",
            f"本年度承办人大代表建议{PENDING}、政协提案{PENDING}，办理结果已按规定公开。"
            + EDIT_MARK,
            "（四）政府信息公开工作年度报告数据统计需要说明的事项",
            period_sentence(facts.year) + _statistics_note(report),
        )
    )


def _statistics_note(report: Report) -> str:
    members = report.facts.get("members")
    if isinstance(members, list) and members:
        return f"本报告为本地区汇总报告，表二、表三、表四数据为本地区{len(members)}份年度报告之和。"
    return (
        "表三、表四数据由政府信息公开申请办理系统按办结日期统计生成（新收申请按收到日期统计，"
        "年底尚未办结的申请计入下一年度继续办理）。"
    )


_DRAFTERS = {
    "overview": _overview,
    "proactive": _proactive,
    "applications": _applications,
    "remedies": _remedies,
    "problems": _problems,
    "other_matters": _other_matters,
}


# --- what is still to be written ---------------------------------------------------------

#: The marks of a passage not yet written, each as the office sees it named, and the forms
#: it may take (as drafted; half-width, as a reader's NFKC or a half-width keyboard gives).
MARKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (PENDING, (PENDING, "(待填报)")),
    (EDIT_MARK, (EDIT_MARK, "(请根据本机关实际情况修改)")),
    ("提示语“请在此补充……”", ("请在此补充",)),
)
#: A subsection heading at the start of a line: “（三）人大代表建议和政协提案办理结果公开情况”.
_HEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)][^。；;\n]{0,40}")


@dataclass(frozen=True)
class Placeholder:
    """Marks left in one part of the narrative (in one subsection of it, when they sit
    under a heading such as “（三）……”)."""

    part: str
    section: str | None
    marks: tuple[str, ...]

    @property
    def where(self) -> str:
        """“第六部分“其他需要报告的事项”之“（三）人大代表建议和政协提案办理结果公开情况””."""
        label = dict(PARTS)[self.part]
        ordinal, _, title = label.partition("、")
        out = f"第{ordinal}部分“{title}”"
        return f"{out}之“{self.section}”" if self.section else out

    def __str__(self) -> str:
        return f"{self.where}中的{'、'.join(self.marks)}"


def placeholders(narrative: Mapping[str, str]) -> list[Placeholder]:
    """The marks still left in the six parts, in reading order, by part and subsection.

    A mark on a line of its own closes the whole part (as the draft puts it under part 五);
    a mark inside a line belongs to the subsection whose heading came last in that part."""
    found: dict[tuple[str, str | None], list[str]] = {}
    for key in PART_KEYS:
        section: str | None = None
        for raw in narrative.get(key, "").split("\n"):
            line = raw.strip()
            heading = _HEADING.match(line)
            if heading:
                section = heading.group().strip()
            at = {name: min(line.find(f) for f in forms if f in line)
                  for name, forms in MARKS if any(f in line for f in forms)}  # fmt: skip
            if not at:
                continue
            here = sorted(at, key=at.__getitem__)
            alone = any(line in forms for _, forms in MARKS)
            marks = found.setdefault((key, None if alone else section), [])
            marks.extend(m for m in here if m not in marks)
    return [Placeholder(k, s, tuple(m)) for (k, s), m in found.items()]


def placeholders_message(found: list[Placeholder]) -> str:
    """What the office is told while marks are left (empty when none is)."""
    if not found:
        return ""
    return (
        "正文尚有未按本机关实际情况填写或修改的内容："
        + "；".join(str(p) for p in found)
        + "。请填写、修改相应文字并删去这些标记后保存正文"
    )
