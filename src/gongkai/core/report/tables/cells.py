"""Placing the pieces read between two row labels into a row's cells.

Shared by the readers of tables 二, 三 and 四 (《中华人民共和国政府信息公开工作年度报告格式》,
国办公开办函〔2021〕30号). A row's pieces (:mod:`.layout`) are trimmed of label text, then
placed into the row's fixed number of cells only where exactly one placement holds every
value; a blank stays blank, “/” stays not applicable, and an ambiguous row is left unknown.
Digits whose separators were lost are recovered only where the table's arithmetic leaves
exactly one reading (:mod:`..fused`); otherwise every candidate is kept and reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import fused
from ..schema import Cell, CellState, Finding, Severity, cell_label
from ..text import Kind, Piece

#: Code of the finding for a group of table 三 printed as one total row (（六）其他处理 without
#: its items 1–3): the items are unknown, never 0.
GROUP_ONLY = "T3_GROUP_ONLY"
RECOVERED_FUSED = "数字间分隔丢失：按表格恒等式，只有这一种拆分成立"
RECOVERED_OCR = "ocr: letters read as digits (O→0, l/I→1)"

#: The kinds of piece, bound once: reading ``Kind.BLANK`` goes through the enum class each
#: time (some 0.1 µs), and the kinds are tested for every piece of every row.
_NUMBER, _BLANK, _NOT_APPLICABLE = Kind.NUMBER, Kind.BLANK, Kind.NOT_APPLICABLE
_S_NUMBER, _S_RECOVERED, _S_BLANK = CellState.NUMBER, CellState.RECOVERED, CellState.BLANK
_S_NOT_APPLICABLE, _S_TEXT = CellState.NOT_APPLICABLE, CellState.TEXT


@dataclass(slots=True)
class TableResult:
    """Cells read from a table and the findings the reading produced."""

    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    recovered_fused: bool = False


def trim(pieces: Sequence[Piece]) -> list[Piece]:
    """Drop text before the first value (a label's tail) and after the last (next label's head)."""
    values = [i for i, p in enumerate(pieces) if p.kind in (_NUMBER, _NOT_APPLICABLE)]
    if not values:
        return [p for p in pieces if p.kind is _BLANK]
    lo, hi = values[0], values[-1]
    while lo > 0 and pieces[lo - 1].kind is _BLANK:
        lo -= 1
    while hi + 1 < len(pieces) and pieces[hi + 1].kind is _BLANK:
        hi += 1
    return list(pieces[lo : hi + 1])


def to_cell(piece: Piece) -> Cell:
    """The cell a classified piece stands for (an OCR-corrected number as recovered)."""
    kind = piece.kind
    if kind is _NUMBER:
        if piece.fixed_by:
            return Cell(_S_RECOVERED, piece.value, piece.text, RECOVERED_OCR)
        return Cell(_S_NUMBER, piece.value, piece.text)
    if kind is _BLANK:
        return Cell(_S_BLANK, None, "")
    if kind is _NOT_APPLICABLE:
        return Cell(_S_NOT_APPLICABLE, None, piece.text)
    return Cell(_S_TEXT, None, piece.text)


def place(pieces: Sequence[Piece], width: int, offset: int | None) -> list[Cell] | None:
    """Choose ``width`` consecutive pieces holding every non-blank one; None if ambiguous."""
    filled = [i for i, p in enumerate(pieces) if p.kind is not _BLANK]
    if not filled:
        if len(pieces) >= width:
            return [Cell(_S_BLANK, None, "") for _ in range(width)]
        return None
    lo = max(0, filled[-1] - width + 1)
    hi = min(filled[0], len(pieces) - width)
    starts = list(range(lo, hi + 1))
    if not starts:
        return None
    if len(starts) > 1:
        if offset is None or offset not in starts:
            return None
        starts = [offset]
    return [to_cell(p) for p in pieces[starts[0] : starts[0] + width]]


def modal_offset(rows: Sequence[Sequence[Piece]], width: int) -> int | None:
    """Where the values usually start in a row's pieces (rows with every cell filled)."""
    offsets = Counter()
    for pieces in rows:
        filled = [i for i, p in enumerate(pieces) if p.kind is not _BLANK]
        if len(filled) == width and filled[-1] - filled[0] == width - 1:
            offsets[filled[0]] += 1
    return offsets.most_common(1)[0][0] if offsets else None


def digit_tokens(pieces: Sequence[Piece]) -> list[str] | None:
    """The pieces as digit strings, if every non-blank piece is a plain whole number."""
    tokens = [p.text.replace(" ", "") for p in pieces if p.kind is not _BLANK]
    if tokens and all(t.isdigit() for t in tokens):
        return tokens
    return None


def count_filled(pieces: Sequence[Piece]) -> int:
    """How many pieces are not blank."""
    return sum(p.kind is not _BLANK for p in pieces)


def fused_cells(
    tokens: list[str], shape: fused.Shape, ids: Sequence[str], result: TableResult
) -> list[Cell]:
    """Cells of a run-together stretch: recovered when one reading fits, else ambiguous."""
    published = " ".join(tokens)
    too_many = False
    try:
        readings = fused.split_row(tokens, shape)
    except fused.TooManyReadings:
        readings, too_many = [], True
    if not readings:
        why = "过长或可能的拆分过多，无法拆分为" if too_many else "无法拆分为"
        result.findings.append(
            Finding(
                "PARSE_ROW_UNREADABLE",
                Severity.ERROR,
                tuple(ids),
                f"{cell_label(ids[0])}等格的数字“{published[:80]}”{why} {shape.width} 格，"
                "各格按未知处理",
            )
        )
        return [Cell(CellState.MISSING, None, published) for _ in ids]
    result.recovered_fused = True
    cells = []
    for i in range(shape.width):
        values = sorted({r[i] for r in readings})
        if len(values) == 1:
            cells.append(Cell(CellState.RECOVERED, values[0], published, RECOVERED_FUSED))
        else:
            cells.append(Cell(CellState.AMBIGUOUS, None, published, None, tuple(values)))
    if len(readings) > 1:
        shown = "；".join("|".join(map(str, r)) for r in readings[:6])
        result.findings.append(
            Finding(
                "PARSE_AMBIGUOUS_DIGITS",
                Severity.WARNING,
                tuple(ids),
                f"{cell_label(ids[0])}等格的数字“{published}”分隔符缺失，可拆分为多种读法"
                f"（{shown}），相关格按未知处理",
            )
        )
    return cells
