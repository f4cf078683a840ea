"""Recovering cells whose separators were lost (“610000061” for 61|0|0|0|0|0|61).

Crawled pages often lose every separator between table cells. The digits are still
there, in order; what is lost is where one cell ends. The table's own arithmetic tells:
in table 三 the six applicant columns sum to 总计, in table 四 the four results sum to
总计, and across rows the outcome rows sum to the total row and new + carried-in equals
total + carried-out. This module lists every split of the digits that satisfies those
identities. Where exactly one split survives, the cells are recovered; where several do,
the parser leaves the cells unknown and reports the candidates — it never guesses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: Most splits examined for one row before giving up (the row is then left unknown).
ROW_LIMIT = 20_000
#: Most nodes visited when combining rows of one table.
TABLE_LIMIT = 200_000
#: Most search steps (candidate cuts tried) for one row. A real fused row of table 三 (seven
#: cells of up to five digits) needs a few thousand; a long digit run (an OCR'd phone number,
#: a mangled line) could otherwise make the search run for minutes. Past the budget the
#: cells stay unknown, never guessed.
STEP_LIMIT = 200_000
#: Longest digit run split at all (15 cells of table 四 × 6 digits): longer is not a row.
MAX_DIGITS = 90


class TooManyReadings(Exception):
    """More readings than can be examined: the cells stay unknown."""


class _Budget:
    """Steps left for one split; raises :class:`TooManyReadings` when spent."""

    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooManyReadings


@dataclass(frozen=True, slots=True)
class Shape:
    """How the cells of a row are grouped: sizes, and whether each group's last cell is its sum."""

    groups: tuple[int, ...]
    sums: bool

    @property
    def width(self) -> int:
        return sum(self.groups)


def _valid_part(digits: str) -> bool:
    return digits == "0" or not digits.startswith("0")


def split_row(
    tokens: Sequence[str], shape: Shape, limit: int = ROW_LIMIT, steps: int = STEP_LIMIT
) -> list[tuple[int, ...]]:
    """Every way to cut the digit ``tokens`` into ``shape.width`` cells.

    Each token holds one or more whole cells (a token is never shared by two cuts across
    its own boundary); no cell has a leading zero unless it is “0”; when ``shape.sums``,
    the last cell of every group equals the sum of the group's other cells.
    Raises :class:`TooManyReadings` past ``limit`` readings or ``steps`` cuts tried, or
    when the digits are longer than :data:`MAX_DIGITS`.
    """
    text = "".join(tokens)
    if not text.isdigit():
        return []
    if len(text) > MAX_DIGITS:
        raise TooManyReadings
    budget = _Budget(steps)
    bounds = set()
    pos = 0
    for tok in tokens[:-1]:
        pos += len(tok)
        bounds.add(pos)
    out: list[tuple[int, ...]] = []
    for cells in _groups(text, 0, shape.groups, shape.sums, frozenset(bounds), budget):
        out.append(cells)
        if len(out) > limit:
            raise TooManyReadings
    return out


def _groups(
    text: str,
    pos: int,
    groups: tuple[int, ...],
    sums: bool,
    bounds: frozenset[int],
    budget: _Budget,
) -> Iterator[tuple[int, ...]]:
    """Cuts of text[pos:] into the given groups; the last group ends at the end of text."""
    if not groups:
        if pos == len(text):
            yield ()
        return
    size, rest = groups[0], groups[1:]
    later = sum(rest)
    ends = [len(text)] if not rest else range(pos + size, len(text) - later + 1)
    for end in ends:
        budget.spend()
        for cells in _group(text, pos, end, size, sums, bounds, budget):
            for tail in _groups(text, end, rest, sums, bounds, budget):
                yield (*cells, *tail)


def _group(
    text: str, pos: int, end: int, size: int, sums: bool, bounds: frozenset[int], budget: _Budget
) -> Iterator[tuple[int, ...]]:
    """Cuts of text[pos:end] into ``size`` cells (the last being the sum when ``sums``)."""
    if not sums:
        yield from _parts(text, pos, end, size, None, None, bounds, budget)
        return
    for length in range(1, end - pos - size + 2):
        budget.spend()
        total_digits = text[end - length : end]
        if not _valid_part(total_digits) or _crosses(end - length, end, bounds):
            continue
        total = int(total_digits)
        for parts in _parts(text, pos, end - length, size - 1, total, length, bounds, budget):
            yield (*parts, total)


def _parts(
    text: str,
    pos: int,
    end: int,
    count: int,
    target: int | None,
    max_len: int | None,
    bounds: frozenset[int],
    budget: _Budget,
) -> Iterator[tuple[int, ...]]:
    """Cuts of text[pos:end] into ``count`` cells, summing to ``target`` when given."""
    if count == 0:
        if pos == end and (target is None or target == 0):
            yield ()
        return
    if end - pos < count or (max_len is not None and end - pos > count * max_len):
        return
    longest = end - pos - count + 1
    if max_len is not None:
        longest = min(longest, max_len)
    for length in range(1, longest + 1):
        budget.spend()
        cut = pos + length
        part = text[pos:cut]
        if not _valid_part(part) or (bounds and _crosses(pos, cut, bounds)):
            break  # a longer part keeps the leading zero, or crosses the separator too
        value = int(part)
        if target is not None and value > target:
            break
        left = None if target is None else target - value
        for rest in _parts(text, cut, end, count - 1, left, max_len, bounds, budget):
            yield (value, *rest)


def _crosses(start: int, end: int, bounds: frozenset[int]) -> bool:
    """A cell may not span a separator that survived."""
    return any(start < b < end for b in bounds)


# --- combining rows of table 三 -------------------------------------------------------


@dataclass(slots=True)
class Table3Problem:
    """Candidate readings per row and the identities that tie the rows together."""

    candidates: dict[str, list[tuple[int, ...]]]
    outcome_rows: tuple[str, ...]

    def solve(self, limit: int = TABLE_LIMIT) -> dict[str, list[tuple[int, ...]]] | None:
        """Readings per row that take part in at least one reading of the whole table.

        Returns None when no combination satisfies every identity (the caller then falls
        back to per-row readings); raises :class:`TooManyReadings` past ``limit`` nodes.
        """
        rows = [r for r, c in self.candidates.items() if c]
        open_rows = [r for r in rows if len(self.candidates[r]) > 1]
        if not open_rows:
            return dict(self.candidates)
        used: dict[str, set[tuple[int, ...]]] = {r: set() for r in open_rows}
        budget = [limit]
        chosen: dict[str, tuple[int, ...]] = {r: self.candidates[r][0] for r in rows}
        found = self._search(open_rows, 0, chosen, used, budget)
        if not found:
            return None
        result = dict(self.candidates)
        for r in open_rows:
            result[r] = sorted(used[r])
        return result

    def _search(self, open_rows, i, chosen, used, budget) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise TooManyReadings
        if i == len(open_rows):
            if self._holds(chosen):
                for r in open_rows:
                    used[r].add(chosen[r])
                return True
            return False
        any_ok = False
        for cand in self.candidates[open_rows[i]]:
            chosen[open_rows[i]] = cand
            if self._search(open_rows, i + 1, chosen, used, budget):
                any_ok = True
        return any_ok

    def _holds(self, chosen: dict[str, tuple[int, ...]]) -> bool:
        width = len(next(iter(chosen.values())))
        for col in range(width):
            outcomes_known = "total" in chosen and all(r in chosen for r in self.outcome_rows)
            if outcomes_known and (
                sum(chosen[r][col] for r in self.outcome_rows) != chosen["total"][col]
            ):
                return False
            keys = ("new", "carried_in", "total", "carried_out")
            if all(k in chosen for k in keys):
                lhs = chosen["new"][col] + chosen["carried_in"][col]
                if lhs != chosen["total"][col] + chosen["carried_out"][col]:
                    return False
        return True


# --- OCR repair of a row whose cells are all there but some digits were misread ------------
#
# Scanned reports are read by OCR. In a ruled table the OCR takes a vertical rule for a
# character — “|”, “]”, “[”, “!”, the letter “l” or the digit “1” — and glues it to the
# digits beside it (“1178” for “│178”); a thin printed “1” comes out as “]”; and some
# digits are confused with letters (O/0, l/1, S/5, B/8) or with one another (a printed “6”
# read as “0”). These are the standard confusions and the only ones tried here: every
# reading of a token under them is listed, and a group of cells is repaired only when
# exactly one combination of readings satisfies the group's identity (in table 四 of
# 国办公开办函〔2021〕30号: 维持 + 纠正 + 其他 + 尚未审结 = 总计). Several combinations leave the
# cells ambiguous; none leaves the doubtful cells unknown. A group whose printed figures
# already satisfy the identity is read as printed.

#: Characters the OCR makes of a table rule (or of a thin “1”).
RULE_MARKS = frozenset("|][!lI")
#: Letters the OCR reads for a digit.
_LETTER_DIGIT = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "]": "1"}
_LETTER_DIGIT |= {"[": "1", "!": "1", "S": "5", "s": "5", "B": "8"}
#: Most “0”s in one token each tried as a misread “6” (2**n readings).
_MAX_SIX_FOR_ZERO = 4
#: Most ways to tell which lone marks are rules rather than cells.
_MAX_ALIGNMENTS = 64
#: Most combinations examined for one group of cells.
OCR_GROUP_LIMIT = 200_000

RULE_AS_ONE = "表格线误识为“1”并与数字相连"
RULE_MARK = "表格线误识为“{}”并与数字相连"
MARK_AS_ONE = "数字“1”误识为“{}”"
LETTER_AS_DIGIT = "字母误识（{}）"
SIX_AS_ZERO = "数字“6”误识为“0”"


#: What the page showed in place of a misread character, when it was no digit.
RULE = "表格线"


@dataclass(frozen=True, slots=True)
class Confusion:
    """One OCR confusion, in structured form: the page showed ``printed`` (a digit, or
    :data:`RULE` for a table rule) and the OCR gave ``read``. ``kind`` is ``digit`` (one
    digit read as another, “6”→“0”), ``mark`` (a digit read as a mark, “1”→“]”), ``letter``
    (a digit read as a letter, “5”→“S”) or ``rule`` (a table rule read as a character and
    glued to the digits, or standing alone)."""

    printed: str
    read: str
    kind: str


@dataclass(frozen=True, slots=True)
class OcrReading:
    """One way to read an OCR token: a value (None: the token is a table rule) and how —
    in words (``how``) and as the confusions it assumes (``confusions``)."""

    value: int | None
    how: tuple[str, ...] = ()
    confusions: tuple[Confusion, ...] = ()


def _is_plain(token: str) -> bool:
    return token.isdigit() and _valid_part(token)


def ocr_readings(token: str) -> list[OcrReading]:
    """Every reading of one OCR token under the standard confusions, the printed one first.

    A lone mark (“]”) is a digit 1 or a table rule; a mark or a “1” at either end of a
    longer token may be a rule glued to the digits; letters inside are read as the digits
    they resemble; each “0” may be a printed “6”. A token that no confusion turns into a
    number has no reading.
    """
    token = token.strip()
    if not token:
        return []
    if len(token) == 1 and token in RULE_MARKS:
        return [
            OcrReading(1, (MARK_AS_ONE.format(token),), (Confusion("1", token, "mark"),)),
            OcrReading(None, ("表格线",), (Confusion(RULE, token, "rule"),)),
        ]
    out: dict[int, tuple[tuple[str, ...], tuple[Confusion, ...]]] = {}
    for core, how, edge in _edges(token):
        letters = [ch for ch in core if not ch.isdigit()]
        digits = "".join(_LETTER_DIGIT.get(ch, ch) for ch in core)
        if not digits.isdigit():
            continue
        marks = [MARK_AS_ONE.format(c) for c in letters if c in RULE_MARKS]
        others = [f"{c}→{_LETTER_DIGIT[c]}" for c in letters if c not in RULE_MARKS]
        how = (*how, *marks, *((LETTER_AS_DIGIT.format("、".join(others)),) if others else ()))
        seen = (
            *edge,
            *(
                Confusion(_LETTER_DIGIT[c], c, "mark" if c in RULE_MARKS else "letter")
                for c in letters
            ),
        )
        for variant, six in _six_for_zero(digits, core):
            if _valid_part(variant):
                used = (*seen, Confusion("6", "0", "digit")) if six else seen
                out.setdefault(
                    int(variant),
                    (tuple(dict.fromkeys((*how, *six))), tuple(dict.fromkeys(used))),
                )
    readings = [OcrReading(v, h, c) for v, (h, c) in out.items()]
    readings.sort(key=lambda r: len(r.how))  # as printed first
    return readings


def confusions_of(token: str, value: int) -> tuple[Confusion, ...] | None:
    """The confusions a repair of ``token`` to ``value`` assumed (the reading
    :func:`ocr_readings` lists first for that value); None when no reading gives it."""
    for reading in ocr_readings(token):
        if reading.value == value:
            return reading.confusions
    return None


def _edges(token: str) -> list[tuple[str, tuple[str, ...], tuple[Confusion, ...]]]:
    """The token with a rule glued at either end taken off, or kept (a mark read as 1)."""

    def ends(ch: str, rest: int) -> list[tuple[int, tuple[str, ...]]]:
        if ch in RULE_MARKS:
            return [(1, (RULE_MARK.format(ch),)), (0, ())]  # kept: read as 1 below
        if ch == "1" and rest > 1:
            return [(0, ()), (1, (RULE_AS_ONE,))]
        return [(0, ())]

    out = []
    for cut_lo, how_lo in ends(token[0], len(token)):
        for cut_hi, how_hi in ends(token[-1], len(token) - cut_lo):
            core = token[cut_lo : len(token) - cut_hi]
            if core:
                glued = [token[0]] * cut_lo + [token[-1]] * cut_hi
                seen = tuple(dict.fromkeys(Confusion(RULE, ch, "rule") for ch in glued))
                out.append((core, (*how_lo, *how_hi), seen))
    return out


def _six_for_zero(digits: str, printed: str) -> list[tuple[str, tuple[str, ...]]]:
    """``digits`` with each printed “0” (not a letter read as 0) kept or read as a “6”."""
    zeros = [i for i, ch in enumerate(printed) if ch == "0"]
    if not zeros or len(zeros) > _MAX_SIX_FOR_ZERO:
        return [(digits, ())]
    out = []
    for mask in range(1 << len(zeros)):
        chars = list(digits)
        for bit, i in enumerate(zeros):
            if mask >> bit & 1:
                chars[i] = "6"
        out.append(("".join(chars), (SIX_AS_ZERO,) if mask else ()))
    return out


@dataclass(slots=True)
class OcrCell:
    """What the OCR repair makes of one cell.

    ``candidates`` holds every value that takes part in a reading satisfying the cell's
    identity (one: recovered; several: ambiguous; none: unknown). ``as_printed`` is set
    when the cell keeps the printed number, ``how`` says what was repaired.
    """

    token: str
    candidates: tuple[int, ...] = ()
    how: tuple[str, ...] = ()
    as_printed: bool = False


@dataclass(slots=True)
class OcrRepair:
    """The cells of a row after the OCR repair and the groups that could not be repaired."""

    cells: list[OcrCell]
    failed_groups: list[int]
    ambiguous_groups: list[int]


def repair_ocr_row(
    tokens: Sequence[str], shape: Shape, limit: int = OCR_GROUP_LIMIT
) -> OcrRepair | None:
    """The cells of a row of OCR ``tokens`` repaired group by group (see above).

    ``shape.sums`` must hold: each group's last cell is the sum of the others. Returns None
    when the tokens cannot be lined up with the row's cells (too few, or too many to be
    explained by lone marks being table rules). Raises :class:`TooManyReadings` past
    ``limit`` combinations in one group.
    """
    readings = [ocr_readings(t) for t in tokens]
    alignments = _alignments(tokens, readings, shape.width)
    if not alignments:
        return None
    starts = [sum(shape.groups[:g]) for g in range(len(shape.groups))]
    solved: list[tuple[list[int], list[list[tuple[OcrReading, ...]]]]] = []
    for cells in alignments:
        per_group = [
            _solve_group(
                [readings[i] for i in cells[s : s + n]],
                [tokens[i] for i in cells[s : s + n]],
                limit,
            )
            for s, n in zip(starts, shape.groups, strict=True)
        ]
        solved.append((cells, per_group))
    feasible = [(c, g) for c, g in solved if all(g)]
    if feasible or len(solved) == 1:
        chosen = feasible or solved
        return _merge(tokens, readings, chosen, starts, shape)
    return OcrRepair([OcrCell("") for _ in range(shape.width)], list(range(len(shape.groups))), [])


def _alignments(
    tokens: Sequence[str], readings: list[list[OcrReading]], width: int
) -> list[list[int]]:
    """Which tokens are cells: every token, unless lone marks must be rules to fit ``width``."""
    if any(not r for r in readings):
        return []
    extra = len(tokens) - width
    marks = [i for i, r in enumerate(readings) if any(x.value is None for x in r)]
    if extra < 0 or extra > len(marks):
        return []
    out = []
    for rules in _combinations(marks, extra):
        out.append([i for i in range(len(tokens)) if i not in rules])
        if len(out) > _MAX_ALIGNMENTS:
            return []
    return out


def _combinations(items: list[int], k: int) -> Iterator[frozenset[int]]:
    if k == 0:
        yield frozenset()
        return
    for i, item in enumerate(items):
        for rest in _combinations(items[i + 1 :], k - 1):
            yield frozenset((item, *rest))


def _solve_group(
    readings: list[list[OcrReading]], tokens: list[str], limit: int
) -> list[tuple[OcrReading, ...]]:
    """Every combination of readings whose parts add up to its total (the printed one alone
    when the printed figures already do)."""
    cells = [[r for r in rs if r.value is not None] for rs in readings]
    if all(_is_plain(t) for t in tokens):
        printed = [int(t) for t in tokens]
        if sum(printed[:-1]) == printed[-1]:
            return [tuple(c[0] for c in cells)]
    budget = _Budget(limit)
    out: list[tuple[OcrReading, ...]] = []
    for total in cells[-1]:
        for parts in _ocr_parts(cells[:-1], total.value or 0, budget):
            out.append((*parts, total))
    return out


def _ocr_parts(
    cells: list[list[OcrReading]], target: int, budget: _Budget
) -> Iterator[tuple[OcrReading, ...]]:
    if not cells:
        if target == 0:
            yield ()
        return
    for reading in cells[0]:
        budget.spend()
        value = reading.value or 0
        if value <= target:
            for rest in _ocr_parts(cells[1:], target - value, budget):
                yield (reading, *rest)


def _merge(
    tokens: Sequence[str],
    readings: list[list[OcrReading]],
    solved: list[tuple[list[int], list[list[tuple[OcrReading, ...]]]]],
    starts: list[int],
    shape: Shape,
) -> OcrRepair:
    width = shape.width
    values: list[dict[int, tuple[str, ...]]] = [{} for _ in range(width)]
    token_of: list[set[int]] = [set() for _ in range(width)]
    failed: set[int] = set()
    ambiguous: set[int] = set()
    for cells, groups in solved:
        for g, (start, solutions) in enumerate(zip(starts, groups, strict=True)):
            if not solutions:
                failed.add(g)
            elif len(solutions) > 1:
                ambiguous.add(g)
            for offset in range(shape.groups[g]):
                token_of[start + offset].add(cells[start + offset])
                for solution in solutions:
                    reading = solution[offset]
                    values[start + offset].setdefault(reading.value or 0, reading.how)
    out = []
    for i in range(width):
        token = " ".join(tokens[t] for t in sorted(token_of[i]))
        group = next(g for g in range(len(starts) - 1, -1, -1) if starts[g] <= i)
        if group in failed:
            if _clean(i, token_of, tokens, readings) and not all(
                _clean(j, token_of, tokens, readings)
                for j in range(starts[group], starts[group] + shape.groups[group])
            ):  # nothing doubtful here: the doubtful cells beside it are left unknown
                out.append(OcrCell(token, (int(token),), (), True))
            else:  # doubtful, or no cell to blame: unknown, never a broken sum as read
                out.append(OcrCell(token))
            continue
        found = tuple(sorted(values[i]))
        printed = len(token_of[i]) == 1 and _is_plain(token) and found == (int(token),)
        how = values[i][found[0]] if len(found) == 1 else ()
        out.append(OcrCell(token, found, how, printed))
    return OcrRepair(out, sorted(failed), sorted(ambiguous - failed))


def _clean(
    i: int, token_of: list[set[int]], tokens: Sequence[str], readings: list[list[OcrReading]]
) -> bool:
    """Cell ``i`` comes from one plain token that no confusion reads otherwise."""
    if len(token_of[i]) != 1:
        return False
    index = next(iter(token_of[i]))
    return _is_plain(tokens[index]) and len(readings[index]) == 1
