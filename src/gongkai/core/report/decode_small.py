"""Decoding tables 二 and 四 from their numbers in reading order, when labels stand apart.

Tables 二 and 四 of 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)
have fixed cells in a fixed order (《中华人民共和国政府信息公开条例》第二十条, 第五十条):

- table 二: 规章 and 行政规范性文件 (本年制发, 本年废止, 现行有效 each), then one figure each
  for 行政许可, 行政处罚, 行政强制 and 行政事业性收费 (万元, the only cell that may be a
  decimal) — ten cells;
- table 四: 行政复议, 行政诉讼 未经复议直接起诉 and 复议后起诉, each 结果维持, 结果纠正,
  其他结果, 尚未审结 and 总计 — fifteen cells, each group's four results adding up to 总计.

Text tools lose where a label stands against its numbers: a value printed before its label
(“本年收费金额（单位：万元） 7545 行政事业性收费”), a page footer between a label and its
number, the label column of a markdown table apart from the number rows, a header word
(“总计”) among the numbers. What survives is the order of the numbers. This module reads
the numbers of a table's region in reading order (without page footers, ordinals, years,
quantities in prose) and assigns them to the cells in their fixed order:

- a number may be skipped (stray text) at a cost of one, at most :data:`MAX_SKIPPED` in all;
  only the assignments of least cost count, and a cell is given only where they all agree;
- table 四: every group's four results must add up to its 总计;
- table 二 has no identity inside it, so the labels decide: the numbers of a row never have
  another row's label inside them, and the labels and rows follow each other in blocks —
  a label before its numbers, after them (vertically centred labels), or several labels
  and then their rows (a markdown label column apart from the number rows).

Where two assignments remain, the cells they disagree on stay unknown with their candidates;
nothing is guessed. The search is small (at most ``C(n, MAX_SKIPPED)`` assignments of
at most :data:`MAX_TOKENS` numbers), so the time stays linear in the size of the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from .locate import Match

#: Most numbers left unassigned (stray numbers in the region) in one decode.
MAX_SKIPPED = 2
#: Most numbers of a region examined (table 四 has 15; a region with far more is not one
#: small table, and is not decoded).
MAX_TOKENS = 40

#: Longest number read as a cell (a table's counts and 万元 amounts are far shorter).
MAX_DIGITS = 24

#: The row of each cell of table 二 (rows: 规章, 行政规范性文件, 行政许可, 行政处罚,
#: 行政强制, 行政事业性收费).
TABLE2_ROW_OF: tuple[int, ...] = (0, 0, 0, 1, 1, 1, 2, 3, 4, 5)
TABLE2_ROWS = 6
#: The cell of table 二 that may be a decimal (行政事业性收费, 万元).
TABLE2_DECIMAL_CELL = 9
TABLE4_WIDTH = 15

_CELL = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)")
_NA = re.compile(r"(?:(?<=[\s|])|^)(?:/|—{1,2}|-{1,2}|─)(?=[\s|]|$)", re.M)
# A number that is not a cell: an ordinal (“3.” “3、”), part of a word (“A4”, “列3”), a
# quantity in prose (“2024 年，…”, “21件”); a lone “年” ending a line is a vertical label's
# character, not a unit.
_NOT_AFTER = re.compile(r"[、A-Za-z_%]|\.(?!\d)|[ \t]?[年月日件个项条元页号次](?![ \t]*(?:\n|$))")
_NOT_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_第列.")
_FOOTER = re.compile(r"(?<![\w-])[-—–－]\s*\d{1,3}\s*[-—–－](?![\w-])|第\s*\d{1,3}\s*页")
# A dash that opens a list item or a phrase (“- 规章”), not a cell of its own.
_WORD_AFTER = re.compile(r"[ \t]*[\u4e00-\u9fffA-Za-z]")
# A line of prose (a sentence): its numbers are not the table's.
_PROSE = re.compile(r"[。;]|[\u4e00-\u9fff],|,[\u4e00-\u9fff]")


@dataclass(slots=True, frozen=True)
class Token:
    """A cell's printed text in the region, in reading order: a number, or “/” (None)."""

    text: str
    value: int | Decimal | None
    start: int
    end: int


def number_stream(text: str, start: int, end: int) -> list[Token] | None:
    """The numbers (and “/” marks) of ``text[start:end]`` that can be cells, in reading order.

    Page footers (“- 2 -”, “第2页”), ordinals, numbers inside words or parentheses
    (“第(1)项”) and numbers on lines of prose are left out. None when the region holds
    more than :data:`MAX_TOKENS` of them (not a small table).
    """
    footers = [(m.start(), m.end()) for m in _FOOTER.finditer(text, start, end)]
    found: list[tuple[int, int]] = []
    for m in _CELL.finditer(text, start, end):
        s, e = m.span()
        if s > 0 and text[s - 1] in _NOT_BEFORE:
            continue
        if _NOT_AFTER.match(text, e):
            continue
        if s > 0 and text[s - 1] == "(" and text.startswith(")", e):
            continue
        found.append((s, e))
    found += [
        m.span() for m in _NA.finditer(text, start, end) if not _WORD_AFTER.match(text, m.end())
    ]
    found.sort()
    tokens: list[Token] = []
    fi = 0  # footers and lines are passed in order: linear in the size of the region
    line_end, prose = -1, False
    for s, e in found:
        while fi < len(footers) and footers[fi][1] <= s:
            fi += 1
        if fi < len(footers) and footers[fi][0] <= s:
            continue
        if s > line_end:
            line = text.rfind("\n", 0, s) + 1
            line_end = text.find("\n", s)
            if line_end < 0:
                line_end = len(text)
            prose = bool(_PROSE.search(text, line, line_end))
        if prose:
            continue
        raw = text[s:e]
        if len(raw) > MAX_DIGITS:
            continue  # no cell is that long (and Python will not convert it)
        value: int | Decimal | None = None
        if raw[0].isdigit():
            plain = raw.replace(",", "")
            value = Decimal(plain) if "." in plain else int(plain)
        tokens.append(Token(raw, value, s, e))
        if len(tokens) > MAX_TOKENS:
            return None
    return tokens


@dataclass(slots=True)
class Decoded:
    """Every least-cost assignment of the numbers to the cells, merged cell by cell."""

    #: per cell: the token every assignment gives it, or None where they disagree …
    tokens: list[Token | None] = field(default_factory=list)
    #: … and then the numbers they give it (sorted)
    candidates: list[tuple[int | Decimal, ...]] = field(default_factory=list)
    #: numbers left unassigned in every assignment
    skipped: int = 0
    #: how many assignments fit
    readings: int = 0


def decode(
    tokens: Sequence[Token], width: int, fits: Callable[[Sequence[Token]], bool]
) -> Decoded | None:
    """The assignments of ``width`` of the tokens, in order, to the cells that ``fits`` accepts.

    All assignments skip the same number of tokens (``len(tokens) - width``, at most
    :data:`MAX_SKIPPED`), so all are of least cost. None when none fits.
    """
    skip = len(tokens) - width
    if skip < 0 or skip > MAX_SKIPPED:
        return None
    readings: list[Sequence[Token]] = []
    for left_out in combinations(range(len(tokens)), skip):
        out = set(left_out)
        chosen = [t for i, t in enumerate(tokens) if i not in out]
        if fits(chosen):
            readings.append(chosen)
    if not readings:
        return None
    result = Decoded(skipped=skip, readings=len(readings))
    for cell in range(width):
        seen = {r[cell] for r in readings}
        values = {t.value for t in seen}
        if len(values) == 1:
            first = min(seen, key=lambda t: t.start)
            result.tokens.append(first)
            result.candidates.append(())
        else:
            result.tokens.append(None)
            result.candidates.append(tuple(sorted(v for v in values if v is not None)))
    return result


# --- table 四 ---------------------------------------------------------------------------


def table4_fits(cells: Sequence[Token]) -> bool:
    """Whole numbers, and in each group the four results add up to 总计."""
    values = [c.value for c in cells]
    if not all(isinstance(v, int) for v in values):
        return False
    return all(sum(values[g : g + 4]) == values[g + 4] for g in (0, 5, 10))  # type: ignore[misc]


def decode_table4(text: str, start: int, end: int) -> Decoded | None:
    """Table 四's fifteen cells from the numbers of its region (see the module docstring)."""
    tokens = number_stream(text, start, end)
    if tokens is None:
        return None
    return decode(tokens, TABLE4_WIDTH, table4_fits)


# --- table 二 ---------------------------------------------------------------------------


def table2_fitter(labels: Sequence[Match]) -> Callable[[Sequence[Token]], bool]:
    """The test an assignment of table 二 must pass, given the row labels found.

    Only 行政事业性收费 may be a decimal; no row's numbers have a label inside them; and
    the labels and the rows' numbers, in reading order, fall into consecutive blocks, each
    either the labels of some consecutive rows followed by those rows' numbers, or the
    numbers followed by the labels (:func:`_in_blocks`).
    """
    found = sorted(labels, key=lambda m: m.start)

    def fits(cells: Sequence[Token]) -> bool:
        for i, cell in enumerate(cells):
            if isinstance(cell.value, Decimal) and i != TABLE2_DECIMAL_CELL:
                return False
        spans: list[tuple[int, int]] = []
        for row in range(TABLE2_ROWS):
            mine = [c for c, r in zip(cells, TABLE2_ROW_OF, strict=True) if r == row]
            spans.append((mine[0].start, mine[-1].end))
        for a, b in spans:
            if any(a < m.start < b for m in found):
                return False
        items = sorted(
            [(m.start, "L", m.index) for m in found]
            + [(a, "R", r) for r, (a, _) in enumerate(spans)]
        )
        have = frozenset(m.index for m in found)
        return _in_blocks(tuple((kind, index) for _, kind, index in items), have)

    return fits


def _in_blocks(items: tuple[tuple[str, int], ...], have: frozenset[int]) -> bool:
    """Whether ``items`` (labels “L” and rows “R” by row index, in reading order) split into
    blocks: rows ``r..b`` with the labels found among them either all before or all after."""

    def ok(p: int, r: int) -> bool:
        if r == TABLE2_ROWS:
            return p == len(items)
        for b in range(r, TABLE2_ROWS):
            labels = [("L", i) for i in range(r, b + 1) if i in have]
            rows = [("R", i) for i in range(r, b + 1)]
            size = len(labels) + len(rows)
            block = list(items[p : p + size])
            if block in (labels + rows, rows + labels) and ok(p + size, b + 1):
                return True
        return False

    return ok(0, 0)


def decode_table2(text: str, start: int, end: int, labels: Sequence[Match]) -> Decoded | None:
    """Table 二's ten cells from the numbers of its region, checked against its labels."""
    tokens = number_stream(text, start, end)
    if tokens is None:
        return None
    return decode(tokens, len(TABLE2_ROW_OF), table2_fitter(labels))
