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
