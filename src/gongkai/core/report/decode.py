"""Decoding table 三 as a whole: the stream of numbers against the fixed rows and identities.

Table 三 of 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号) has 25
rows in a fixed order and seven columns (six kinds of applicant and 总计), and its numbers are bound
by identities the format prints in the table itself: in every row the six applicant
columns add up to 总计; in every column 一 + 二 = 三 + 四 (new + carried-in = total +
carried-out) and （七）总计 is the sum of the 21 numbered outcome rows
(《中华人民共和国政府信息公开条例》第五十条 requires the report to state these figures).

Text tools lose the table's structure in different ways: labels drift away from their
numbers (a PDF's vertically centred labels), a block of rows comes out column by column
(all 自然人 values of nine rows, then all 商业企业 values …), two rows come out as
interleaved pairs, a page footer or a row's ordinal (“4 保护第三方…”) stands among the
numbers, separators between two cells are lost (“0110”). What survives is the order of
the numbers. This module reads the numbers of a table-三 region in reading order and
searches, row by row, for every assignment of numbers to cells that keeps the statutory
row order and satisfies every identity:

- a row is seven consecutive numbers, or a block of ``m`` rows printed column by column
  (``m = 2`` is the interleaved pairs), each row summing to its 总计;
- （六）其他处理 may be printed as one row with items 1–3 not printed: those three rows
  are then unknown (never 0) and the group row stands for them in the outcome sum;
- repairs cost one each: a number skipped (stray OCR junk), a row absent, a run-together
  number split (only where the row's sum fixes the split). An ordinal standing right
  before its label, or a number before the first label (header junk), is skipped freely.

Only the decodes of least cost count. Where they all agree a cell is read; where they
differ the cell is ambiguous and its candidates are kept — nothing is guessed. The search
is bounded (:data:`MAX_COST`, :data:`MAX_BLOCK`, :data:`MAX_TOKENS`, :data:`MAX_STATE_READINGS`,
:data:`MAX_READINGS`), so the time stays linear in the size of the input; past a bound the
decoder gives up and says so, and the caller keeps its own reading.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import add, gt
from typing import NamedTuple

from .locate import TABLE3_ORDINALS, Match
from .schema import OUTCOME_ROWS, TABLE3_COLUMN_KEYS, TABLE3_ROW_KEYS

WIDTH = len(TABLE3_COLUMN_KEYS)
#: The row that stands for （六）其他处理 printed as one line, items 1–3 not printed.
OTHER_GROUP = "other_group"
OTHER_ITEMS: tuple[str, ...] = ("other_1", "other_2", "other_3")
#: Most repairs (skipped numbers, absent rows, split numbers) in one decode.
MAX_COST = 3
#: Most rows of one block printed column by column (a group of the table has at most 8).
MAX_BLOCK = 12
#: Most numbers of a table-三 region examined (a table has 175; a region with far more is
#: not one table, and is not decoded).
MAX_TOKENS = 400
#: Most distinct partial readings kept at one point of the search, and in all.
MAX_STATE_READINGS = 48
MAX_READINGS = 30_000

RECOVERED_SPLIT = "数字连写：按本行“总计”唯一确定的拆分还原"

_CANONICAL: tuple[str, ...] = TABLE3_ROW_KEYS
_GROUPED: tuple[str, ...] = (
    *TABLE3_ROW_KEYS[: TABLE3_ROW_KEYS.index("other_1")],
    OTHER_GROUP,
    *TABLE3_ROW_KEYS[TABLE3_ROW_KEYS.index("other_3") + 1 :],
)

# A number standing as a cell: not part of a decimal, an ordinal (“3.”, “3、”), a word
# (“A4”) or a quantity in prose (“2023年”, “21件”, “第3”).
# A number standing as a cell: a run of digits that is not a decimal, an ordinal (“3.”,
# “3、”), part of a word (“A4”) or a quantity in prose (“2023年”, “21件”, “第3”). A unit
# stands right after the number or after one space, and then the sentence goes on
# (“2023 年，…”); a lone “年” at the end of a line is a vertical row label's character.
_RUN = re.compile(r"\d[\d.,]*")
_WHOLE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_NOT_A_CELL_AFTER = re.compile(r"[、A-Za-z_%]|[ \t]?[年月日件个项条元页号次](?![ \t]*(?:\n|$))")
#: The characters :data:`_NOT_A_CELL_AFTER` can start with, and the units (most numbers are
#: followed by none of them, or by a space and then no unit, and are not matched against it).
_UNITS = frozenset("年月日件个项条元页号次")
_AFTER_FIRST = frozenset("、ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_%") | _UNITS
_NOT_A_CELL_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_第")
# A page footer: “- 3 -” (the dash not after a word character or another dash) or “第3页”.
# Both alternatives start with one of the characters in front, so the regex engine looks
# for those alone; the assertions then say which alternative applies.
_FOOTER = re.compile(
    r"[-—–－第](?:(?<=[-—–－])(?<![\w-].)\s*\d{1,3}\s*[-—–－](?![\w-])|(?<=第)\s*\d{1,3}\s*页)"
)
_SEPARATOR = re.compile(r"[ \t|、,，]*")
# Table 四 follows table 三; its header ends the stream when the part heading was lost.
_TABLE4 = re.compile(r"行\s*政\s*复\s*议")


class Token(NamedTuple):
    """A number in the table region, in reading order (immutable; a named tuple, as a region
    has a few hundred of them and a frozen dataclass takes four times as long to make)."""

    text: str
    value: int
    start: int
    free: bool = False  # an ordinal right before its label: skipped at no cost


def stream(
    text: str, start: int, end: int, labels: Sequence[Match] = ()
) -> tuple[list[Token], int]:
    """The numbers of the region in reading order, and how many stand before the first label.

    Numbers inside a label (its ordinal) are not cells; page footers (“- 3 -”, “第3页”) are
    dropped; a lone number right before a label that equals the label's ordinal (“4 保护
    第三方合法权益”, the dot lost) may be skipped at no cost.
    """
    stop = end
    first = labels[0].start if labels else start
    cut = _TABLE4.search(text, max(start, labels[-1].end if labels else start), end)
    if cut:
        stop = cut.start()
    spans = [(m.start, m.end) for m in labels]
    footers = [(m.start(), m.end()) for m in _FOOTER.finditer(text, start, stop)]
    before: dict[int, int] = {}  # start of a label printed without its ordinal → the ordinal
    for m in labels:
        if not text[m.start].isdigit():
            before[m.start] = TABLE3_ORDINALS[m.index]
    tokens: list[Token] = []
    lead = 0
    si = fi = 0
    n_spans, n_footers = len(spans), len(footers)
    not_after = _NOT_A_CELL_AFTER.match
    for m in _RUN.finditer(text, start, stop):
        raw = m.group()
        grouped = "," in raw
        if (grouped or "." in raw) and not _WHOLE.fullmatch(raw):
            continue  # without “,” or “.” the run is digits only: a whole number
        pos, end_at = m.span()
        if pos > start and text[pos - 1] in _NOT_A_CELL_BEFORE:
            continue
        follows = text[end_at : end_at + 1]
        if follows == " " or follows == "\t":  # a unit may follow after one space
            if text[end_at + 1 : end_at + 2] in _UNITS and not_after(text, end_at):
                continue
        elif follows in _AFTER_FIRST and not_after(text, end_at):
            continue
        while si < n_spans and spans[si][1] <= pos:
            si += 1
        if si < n_spans and spans[si][0] <= pos:
            continue
        while fi < n_footers and footers[fi][1] <= pos:
            fi += 1
        if fi < n_footers and footers[fi][0] <= pos:
            continue
        tokens.append(Token(raw, int(raw.replace(",", "")) if grouped else int(raw), pos))
        if pos < first:
            lead += 1
        if len(tokens) > MAX_TOKENS:
            break
    # The number right before a label (only separators between) that equals its ordinal.
    starts = [t.start for t in tokens]
    for at, ordinal in before.items():
        i = bisect_left(starts, at) - 1
        if i >= 0 and tokens[i].value == ordinal:
            token = tokens[i]
            if _SEPARATOR.match(text, token.start + len(token.text)).end() == at:
                tokens[i] = token._replace(free=True)
    return tokens, lead


@dataclass(slots=True)
class Decoded:
    """The outcome of a decode: per row, the value of each column or its candidates."""

    #: row key → per column: the value (None when unknown) …
    values: dict[str, list[int | None]] = field(default_factory=dict)
    #: … and, for an unknown cell, the values the least-cost decodes give it (≥ 2 numbers
    #: when the cell is ambiguous, empty when no decode gives it a number).
    candidates: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)
    #: rows read from run-together digits in some decode
    split_rows: set[str] = field(default_factory=set)
    #: published text of each row's numbers in the first decode
    published: dict[str, str] = field(default_factory=dict)
    #: the value of （六）其他处理 printed as one row (when every decode says so)
    other_group: tuple[int, ...] | None = None
    #: rows some decode leaves absent
    absent: set[str] = field(default_factory=set)
    moves: int = 0
    cost: int = 0


class TooComplex(Exception):
    """The search would pass one of its bounds: nothing is decoded."""


_Vec = tuple[int, ...]
_Row = tuple[str, "_Vec | None", "_Where", str]  # row key, values (None: absent), where, how
# What the identities still need of the rows read so far: new + carried-in, the sum of the
# outcome rows so far (then the printed 总计). None: unknown (a row absent).
_Sig = tuple["_Vec | None", "_Vec | None"]
_ZERO: _Vec = (0,) * WIDTH


def decode_table3(tokens: Sequence[Token], lead: int = 0) -> Decoded | None:
    """Every least-cost decode of the number stream; None when none fits within the bounds."""
    if not tokens or len(tokens) > MAX_TOKENS:
        return None
    values = [t.value for t in tokens]
    edges: dict[tuple[int, int, int, int], list[_Edge]] = {}  # shared by every search below
    for budget in range(MAX_COST + 1):
        found: list[list[_Row]] = []
        try:
            for rows in (_CANONICAL, _GROUPED):
                found += _search(tokens, values, lead, rows, budget, edges)
        except TooComplex:
            return None
        if found:
            return _merge(found, budget, tokens)
    return None


def _advance(sig: _Sig, key: str, row: _Vec | None, outcomes: frozenset[str]) -> _Sig | None:
    """The identities after one more row; None when the row breaks one of them.

    Counts are never negative, so the outcome rows read so far can never exceed
    new + carried-in (= 总计 + carried-out) in any column.
    """
    base, acc = sig  # every vector has WIDTH entries
    if key in ("new", "carried_in"):
        if base is None or row is None:
            return None, acc
        return tuple(map(add, base, row)), acc
    if key in outcomes:
        if acc is None or row is None:
            return base, None
        acc = tuple(map(add, acc, row))
        if base is not None and any(map(gt, acc, base)):
            return None
        return base, acc
    if key == "total":
        if row is None:
            return base, acc
        if acc is not None and row != acc:
            return None
        if base is not None and any(map(gt, row, base)):
            return None
        return base, row
    if (
        key == "carried_out"
        and row is not None
        and base is not None
        and acc is not None
        and tuple(map(add, acc, row)) != base
    ):
        return None
    return sig


def _search(
    tokens: Sequence[Token],
    values: list[int],
    lead: int,
    rows: tuple[str, ...],
    budget: int,
    edge_cache: dict[tuple[int, int, int, int], list[_Edge]] | None = None,
) -> list[list[_Row]]:
    """The rows of every complete decode of cost ``budget`` at most that keeps every identity.

    A forward pass over (row, token, identity state, cost) builds the graph of partial
    decodes; a backward pass keeps the moves that lie on a complete decode. Each kept move
    is returned as the rows it reads (a decode is a path; the moves of all paths together
    say which values each cell can take). ``edge_cache`` keeps the moves out of each
    (row, token, spare cost) for the searches of one decode (they depend on nothing else).
    """
    n, count = len(tokens), len(rows)
    outcomes = frozenset(_outcome_keys(rows))
    free_after = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        free_after[i] = free_after[i + 1] + tokens[i].free
    index: dict[tuple, int] = {}
    keys: list[tuple] = []
    moves: list[list[tuple[int, list[_Row]]]] = []
    layers: list[dict[int, list[int]]] = [{} for _ in range(count + 1)]
    # per row: the token positions reached, each pushed once, taken in increasing order
    waiting: list[list[int]] = [[] for _ in range(count + 1)]
    cache = {} if edge_cache is None else edge_cache

    def node(r: int, p: int, sig: _Sig, cost: int) -> int:
        key = (r, p, sig, cost)
        found = index.get(key)
        if found is None:
            found = index[key] = len(keys)
            keys.append(key)
            moves.append([])
            at = layers[r].get(p)
            if at is None:
                at = layers[r][p] = []
                heapq.heappush(waiting[r], p)
            at.append(found)
            if len(keys) > MAX_READINGS or len(at) > MAX_STATE_READINGS:
                raise TooComplex
        return found

    node(0, 0, (_ZERO, _ZERO), 0)
    finals: list[int] = []
    for r in range(count + 1):
        layer = layers[r]
        while waiting[r]:  # a skip reaches the next position of the same row: pushed on
            p = heapq.heappop(waiting[r])
            if r == count:
                trailing = sum(not t.free for t in tokens[p:])
                finals += [i for i in layer[p] if keys[i][3] + trailing <= budget]
                continue
            rows_left = count - r
            head = max(0, lead - p) if r == 0 else 0
            for i in list(layer[p]):
                _, _, sig, cost = keys[i]
                spare = budget - cost
                have = n - p
                if have < WIDTH * (rows_left - spare):
                    continue
                if have > WIDTH * rows_left + spare + free_after[p] + head:
                    continue
                edges = cache.get((r, p, spare, count))
                if edges is None:
                    edges = cache[r, p, spare, count] = _edges(
                        tokens, values, r, p, rows, spare, lead
                    )
                for r2, p2, added, how, extra in edges:
                    state: _Sig | None = sig
                    read: list[_Row] = []
                    for k, (row, where) in enumerate(added):
                        key = rows[r + k]
                        state = _advance(state, key, row, outcomes)
                        if state is None:
                            break
                        read.append((key, row, where, how))
                    if state is None:
                        continue
                    moves[i].append((node(r2, p2, state, cost + extra), read))
    alive = [False] * len(keys)
    for i in finals:
        alive[i] = True
    for i in range(len(keys) - 1, -1, -1):
        if not alive[i] and any(alive[j] for j, _ in moves[i]):
            alive[i] = True
    if not alive[0]:
        return []
    return [read for i in range(len(keys)) if alive[i] for j, read in moves[i] if alive[j]]


_Where = tuple[int, int, int]  # the row's numbers: tokens[start:stop:step]
_NOWHERE: _Where = (0, 0, 1)
_Edge = tuple[int, int, list[tuple["_Vec | None", _Where]], str, int]


def _edges(
    tokens: Sequence[Token],
    values: list[int],
    r: int,
    p: int,
    rows: tuple[str, ...],
    spare: int,
    lead: int,
) -> list[_Edge]:
    """Moves from row ``r`` at token ``p``: (row, token, rows added with text, how, cost)."""
    n, count = len(tokens), len(rows)
    out: list[_Edge] = []
    if p < n:
        free = tokens[p].free or (r == 0 and p < lead)
        if free or spare >= 1:
            out.append((r, p + 1, [], "skip", 0 if free else 1))
    if spare >= 1:
        out.append((r + 1, p, [(None, _NOWHERE)], "absent", 1))
    if p + WIDTH <= n:
        row = values[p : p + WIDTH]
        if sum(row[:-1]) == row[-1]:
            out.append((r + 1, p + WIDTH, [(tuple(row), (p, p + WIDTH, 1))], "read", 0))
    for m in range(2, min(MAX_BLOCK, count - r) + 1):
        stop = p + WIDTH * m
        if stop > n:
            break
        got: list[tuple[_Vec | None, _Where]] = []
        for i in range(m):
            row = values[p + i : stop : m]  # the i-th row of the block: seven numbers
            if sum(row) != 2 * row[-1]:  # the six applicant columns add up to 总计
                break
            got.append((tuple(row), (p + i, stop, m)))
        else:
            out.append((r + m, stop, got, "read", 0))
    if spare >= 1 and p + WIDTH - 1 <= n:
        for reading in _one_split(tokens[p : p + WIDTH - 1]):
            out.append((r + 1, p + WIDTH - 1, [(reading, (p, p + WIDTH - 1, 1))], "split", 1))
    return out


def _one_split(tokens: Sequence[Token]) -> list[_Vec]:
    """Seven cells from six numbers, one of which is two cells run together (“0110” = 0|110).

    Only splits where the row's 总计 equals the sum of its six applicant columns; neither
    part may have a leading zero (unless it is “0”). Linear in the number of digits.
    """
    texts = [t.text.replace(",", "") for t in tokens]
    values = [t.value for t in tokens]
    out: list[_Vec] = []
    for i, text in enumerate(texts):
        for cut in range(1, len(text)):
            head, tail = text[:cut], text[cut:]
            if (head[0] == "0" and head != "0") or (tail[0] == "0" and tail != "0"):
                continue
            row = (*values[:i], int(head), int(tail), *values[i + 1 :])
            if sum(row[:-1]) == row[-1]:
                out.append(row)
    return out


def _outcome_keys(rows: tuple[str, ...]) -> tuple[str, ...]:
    if OTHER_GROUP in rows:
        return (*(k for k in OUTCOME_ROWS if k not in OTHER_ITEMS), OTHER_GROUP)
    return OUTCOME_ROWS


def _merge(found: list[list[_Row]], cost: int, tokens: Sequence[Token]) -> Decoded:
    """One result from every least-cost decode: a cell is read where they all agree.

    ``found`` holds the moves of every decode; a row none of them reads (the items of
    （六） when every decode takes the group row) is unknown.
    """
    out = Decoded(cost=cost)
    seen: dict[str, set[_Vec | None]] = {}
    for read in found:
        for key, row, (start, stop, step), how in read:
            seen.setdefault(key, set()).add(row)
            if key not in out.published and row is not None:
                out.published[key] = " ".join(t.text for t in tokens[start:stop:step])
            if how == "split":
                out.split_rows.add(key)
            elif how == "absent":
                out.absent.add(key)
    group = seen.get(OTHER_GROUP)
    if group is not None and not any(k in seen for k in OTHER_ITEMS) and len(group) == 1:
        out.other_group = next(iter(group))
    out.moves = len(found)
    for key in TABLE3_ROW_KEYS:
        readings = seen.get(key, {None})
        if key in OTHER_ITEMS and group is not None:
            readings = readings | {None}
        if len(readings) == 1:  # one reading (or none): nothing ambiguous
            (only,) = readings
            out.values[key] = [None] * WIDTH if only is None else list(only)
            out.candidates[key] = [()] * WIDTH
            continue
        per_col: list[int | None] = []
        cands: list[tuple[int, ...]] = []
        for col in range(WIDTH):
            col_values = {None if r is None else r[col] for r in readings}
            numbers = tuple(sorted(v for v in col_values if v is not None))
            per_col.append(numbers[0] if len(col_values) == 1 and numbers else None)
            cands.append(numbers if len(col_values) > 1 else ())
        out.values[key] = per_col
        out.candidates[key] = cands
    return out
