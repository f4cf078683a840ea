"""Finding the parts and the row labels of a report in normalised text.

Labels are found by short, distinctive keywords rather than whole labels, because real
reports vary the wording (“本年新收政府信息公开申请数量” / “本年新收申请”), break labels
across lines and spans, put spaces inside them (“本 年 度”) and glue ordinals to the
digits before them (“…00000002.其他法律…”). Every keyword tolerates white space and
cell separators between its characters. When a keyword occurs more than once, the
occurrences that keep the statutory row order win (a longest increasing subsequence), so
a header cell “总计” or a prose mention cannot displace a row.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from functools import cache

from .schema import PART_KEYS

_GAP = r"[\s|\t\"“”'‘’]*"


def _keyword(word: str) -> str:
    """A keyword pattern that tolerates spaces, separators and quotes between characters."""
    return _GAP.join(re.escape(ch) for ch in word)


def _any_keyword(*words: str) -> str:
    return "(?:" + "|".join(_keyword(w) for w in words) + ")"


_CHINESE_ORDINALS = "一二三四五六七八"


def _ordinal(number: int) -> str:
    """An optional ordinal prefix: “3.” “3、” “(三)” “三、”, consumed with the label."""
    chinese = _CHINESE_ORDINALS[number - 1]
    return rf"(?:(?:{number}\s*[.、．]|\(\s*{chinese}\s*\)|{chinese}\s*[、.])\s*)?"


# (row key, ordinal, keyword alternatives). The ordinal is the number printed before the
# label; consuming it keeps it away from the digits of the previous row.
_TABLE3_KEYWORDS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("new", 1, ("本年新收", "新收政府信息公开申请")),
    ("carried_in", 2, ("上年结转",)),
    ("granted", 1, ("予以公开",)),
    ("partial", 2, ("部分公开",)),
    ("denied_1", 1, ("属于国家秘密", "国家秘密")),
    # A character dropped (“其他法律行政止公开”) leaves the head or the tail of the label.
    (
        "denied_2",
        2,
        ("其他法律行政法规禁止公开", "法律行政法规禁止公开", "禁止公开", "其他法律行政"),
    ),
    ("denied_3", 3, ("危及三安全一稳定", "三安全一稳定", "危及三安全")),
    ("denied_4", 4, ("保护第三方合法权益", "第三方合法权益")),
    ("denied_5", 5, ("属于三类内部事务信息", "内部事务信息", "内部事务", "三类内部")),
    ("denied_6", 6, ("属于四类过程性信息", "过程性信息", "四类过程")),
    ("denied_7", 7, ("属于行政执法案卷", "行政执法案卷")),
    ("denied_8", 8, ("属于行政查询事项", "行政查询事项")),
    ("unable_1", 1, ("本机关不掌握相关政府信息", "不掌握相关政府信息", "不掌握")),
    ("unable_2", 2, ("没有现成信息需要另行制作", "另行制作", "没有现成信息")),
    ("unable_3", 3, ("补正后申请内容仍不明确", "仍不明确", "补正后申请")),
    ("not_processed_1", 1, ("信访举报投诉类申请", "信访举报投诉", "信访举报")),
    ("not_processed_2", 2, ("重复申请",)),
    ("not_processed_3", 3, ("要求提供公开出版物", "公开出版物")),
    ("not_processed_4", 4, ("无正当理由大量反复申请", "大量反复申请", "大量反复", "量反复申请")),
    ("not_processed_5", 5, ("要求行政机关确认或重新", "确认或重新出具", "确认或重新")),
    ("other_1", 1, ("申请人无正当理由逾期不补正", "逾期不补正")),
    ("other_2", 2, ("申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知", "缴纳费用")),
    ("other_3", 3, ()),  # “3.其他”: see below, it needs its ordinal
    ("total", 7, ("总计", "合计")),
    ("carried_out", 4, ("结转下年度继续办理", "结转下年度", "结转下年")),
)

#: The ordinal printed before each row's label (“4.保护…” → 4; “（七）总计” → 7).
TABLE3_ORDINALS: tuple[int, ...] = tuple(
    7 if key == "total" else ordinal for key, ordinal, _ in _TABLE3_KEYWORDS
)

_OTHER3 = r"3\s*[.、．]\s*" + _keyword("其他") + r"(?!\s*(?:处理|法律|结果|组织))"

# Table 二: row key, number of cells, keywords.
TABLE2_ROWS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("rules", 3, ("规章",)),
    ("normative", 3, ("行政规范性文件", "规范性文件")),
    ("licensing", 1, ("行政许可",)),
    ("punishment", 1, ("行政处罚",)),
    ("enforcement", 1, ("行政强制",)),
    ("fees_wan_yuan", 1, ("行政事业性收费", "事业性收费")),
)

# The six parts: keyword that must follow the part's ordinal closely.
_PART_KEYWORDS: tuple[tuple[str, int, str], ...] = (
    ("overview", 1, _any_keyword("总体情况", "概述")),
    ("proactive", 2, _any_keyword("主动公开政府信息", "主动公开情况")),
    ("applications", 3, _any_keyword("收到和处理政府信息公开申请", "收到和处理", "依申请公开")),
    ("remedies", 4, _any_keyword("行政复议", "行政诉讼")),
    ("problems", 5, _any_keyword("存在的主要问题", "主要问题")),
    ("other_matters", 6, _any_keyword("其他需要报告的事项", "其他需要报告")),
)


@cache
def _table3_patterns() -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]:
    """Per row: the keyword, and the ordinal that may stand right before it.

    The keyword is searched alone (its first character is a literal, which the regex
    engine scans for quickly); the ordinal is then matched backwards from the keyword.
    """
    patterns = []
    for key, ordinal, words in _TABLE3_KEYWORDS:
        if key == "other_3":
            patterns.append((re.compile(_OTHER3), None))
            continue
        printed = 7 if key == "total" else ordinal
        behind = re.compile(_ordinal(printed).removesuffix("?")[3:-1] + r"$")
        patterns.append((re.compile(_any_keyword(*words)), behind))
    return tuple(patterns)


@cache
def _table3_scan() -> tuple[re.Pattern[str], dict[str, tuple[int, ...]]]:
    """Where any table-三 keyword matches (one pass), and per first character the rows whose
    keyword can start with it.

    Searching each row's keyword over the whole text scans it 25 times, each scan testing
    every character against a set of first characters; one pattern joining them all scans
    once and stops only where some keyword matches.
    """
    # Every alternative starts with a literal character, so the engine skips ahead to the
    # next position holding one of them.
    words = [w for _, _, row_words in _TABLE3_KEYWORDS for w in row_words]
    joined = re.compile("|".join([*map(_keyword, words), _OTHER3]))
    firsts: dict[str, list[int]] = {}
    for index, (_key, _ordinal, row_words) in enumerate(_TABLE3_KEYWORDS):
        for ch in {w[0] for w in row_words} if row_words else {"3"}:  # “3.其他”: its ordinal
            firsts.setdefault(ch, []).append(index)
    return joined, {ch: tuple(rows) for ch, rows in firsts.items()}


@cache
def _table2_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(_any_keyword(*words)) for _, _, words in TABLE2_ROWS)


@cache
def _part_patterns() -> tuple[re.Pattern[str], ...]:
    patterns = []
    for _, ordinal, keyword in _PART_KEYWORDS:
        chinese = _CHINESE_ORDINALS[ordinal - 1]
        # “四、因政府信息公开工作被申请行政复议…”: up to 18 characters may stand between.
        # The ordinal is not preceded by a Chinese character. Written after the ordinal (which
        # it then covers too), the assertion lets the regex engine look for the ordinal alone.
        head = rf"{chinese}(?<![\u4e00-\u9fff]{chinese})\s*[、.]\s*[^、。,;:\d\n]{{0,18}}?"
        # The rest of a heading line (“…及改进情况”) belongs to the heading, not the body.
        patterns.append(re.compile(head + keyword + r"(?:[^\n]{0,25}(?=\n))?", re.MULTILINE))
    return tuple(patterns)


@dataclass(slots=True, frozen=True)
class Match:
    """A label found in the text: which row, where it starts and ends."""

    index: int
    start: int
    end: int


class TooManyLabels(ValueError):
    """More label candidates than :data:`MAX_CANDIDATES`: the table cannot be placed safely."""

    def __init__(self, found: int) -> None:
        super().__init__(f"too many label candidates ({found})")
        self.found = found


#: Most label candidates (keyword occurrences) examined in one search. A real report has a
#: few dozen to a few hundred (every row label once or twice, prose mentions, headers); a
#: text with more is generated or mangled, and is reported instead of searched on.
MAX_CANDIDATES = 5_000


def _ordered(matches: list[Match]) -> list[Match]:
    """The longest run of non-overlapping matches whose row index and position both rise.

    Matches are taken in order of position. A match becomes a possible predecessor once the
    scan passes its end; for each row index the best chain ending in an available match is
    kept, so each match looks at the (few) row indices only: O(n log n), not O(n²). Ties go
    to the latest predecessor in position order, as in the plain quadratic recurrence.
    """
    if len(matches) > MAX_CANDIDATES:
        raise TooManyLabels(len(matches))
    matches.sort(key=lambda match: (match.start, -match.end))
    n = len(matches)
    if not n:
        return []
    best = [1] * n
    prev = [-1] * n
    width = max(m.index for m in matches) + 1
    # per row index: (chain length, position) of the best available chain end
    avail: list[tuple[int, int]] = [(0, -1)] * width
    pending: list[tuple[int, int]] = []  # (end, position) not yet available
    for i, match in enumerate(matches):
        while pending and pending[0][0] <= match.start:
            _, ended = heapq.heappop(pending)
            key = (best[ended], ended)
            if key > avail[matches[ended].index]:
                avail[matches[ended].index] = key
        top = max(avail[: match.index], default=(0, -1))
        if top[0]:
            best[i], prev[i] = top[0] + 1, top[1]
        heapq.heappush(pending, (match.end, i))
    last = max(range(n), key=lambda end: (best[end], matches[end].start))
    chain = []
    while last >= 0:
        chain.append(matches[last])
        last = prev[last]
    return chain[::-1]


def _capped(found: list[Match]) -> None:
    if len(found) > MAX_CANDIDATES:
        raise TooManyLabels(len(found))


def _find(patterns: tuple[re.Pattern[str], ...], text: str, start: int, end: int) -> list[Match]:
    found: list[Match] = []
    for index, pat in enumerate(patterns):
        for m in pat.finditer(text, start, end):
            if m.end() > m.start():
                found.append(Match(index, m.start(), m.end()))
                _capped(found)
    return _ordered(found)


def find_table3_labels(text: str, start: int = 0, end: int | None = None) -> list[Match]:
    """Row labels of table 三 in statutory order (``Match.index`` indexes TABLE3_ROW_KEYS).

    Each row's keyword is found where ``finditer`` would find it (left to right, a match
    never overlapping the row's previous one), but the text is scanned once for all rows
    (:func:`_table3_scan`) instead of once per row.
    """
    stop = len(text) if end is None else end
    patterns = _table3_patterns()
    joined, firsts = _table3_scan()
    per_row: list[list[Match]] = [[] for _ in patterns]
    resume = [start] * len(patterns)  # where each row's next match may start
    count = 0
    pos = start
    while (hit := joined.search(text, pos, stop)) is not None:
        at = hit.start()
        for index in firsts.get(text[at], ()):
            if at < resume[index]:
                continue
            pat, behind = patterns[index]
            m = pat.match(text, at, stop)
            if m is None:
                continue
            resume[index] = m.end()
            begin = at
            if behind is not None:
                ordinal = behind.search(text, max(start, begin - 8), begin)
                if ordinal:
                    begin = ordinal.start()
            per_row[index].append(Match(index, begin, m.end()))
            count += 1
            if count > MAX_CANDIDATES:
                raise TooManyLabels(count)
        pos = at + 1
    return _ordered([m for row in per_row for m in row])


def find_table2_labels(text: str, start: int = 0, end: int | None = None) -> list[Match]:
    """Row labels of table 二 in order (``Match.index`` indexes TABLE2_ROWS)."""
    return _find(_table2_patterns(), text, start, len(text) if end is None else end)


def find_parts(text: str) -> dict[str, Match]:
    """Headings of the six parts, in order; a part whose heading is not found is absent."""
    found = _find(_part_patterns(), text, 0, len(text))
    return {PART_KEYS[m.index]: m for m in found}
