"""Reading table 二 (主动公开政府信息情况): 规章, 行政规范性文件 and four single figures.

The rows are those of 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号),
table 二: 规章 and 行政规范性文件 with three cells each (本年制发, 本年废止, 现行有效), then
one figure each for 行政许可, 行政处罚 and 行政强制 decisions and the amount of
行政事业性收费 (万元). A row whose label is not found is left missing, never zero.
"""

from __future__ import annotations

from .. import fused
from ..locate import TABLE2_ROWS, Match, find_table2_labels
from ..schema import Cell, CellState
from ..text import Kind, Piece
from .cells import TableResult, digit_tokens, fused_cells, place, to_cell, trim
from .layout import Layout


def read_table2(text: str, start: int, end: int, layout: Layout) -> TableResult:
    """Table 二: 规章 and 行政规范性文件 (three cells each) and four single figures."""
    labels = find_table2_labels(text, start, end)
    result = TableResult()
    bounds = [*labels, Match(len(TABLE2_ROWS), end, end)]
    found = {label.index: (label, bounds[i + 1]) for i, label in enumerate(bounds[:-1])}
    for index, (key, width, _) in enumerate(TABLE2_ROWS):
        ids = _table2_ids(key, width)
        if index not in found:
            for cid in ids:
                result.cells[cid] = Cell.missing()
            continue
        label, next_label = found[index]
        pieces = trim(layout.pieces(text[label.end : next_label.start]))
        cells = _table2_cells(pieces, width, ids, result, splits=layout.splits)
        for cid, cell in zip(ids, cells, strict=True):
            result.cells[cid] = cell
    return result


def _table2_ids(key: str, width: int) -> tuple[str, ...]:
    if width == 1:
        return (f"table2.{key}",)
    return tuple(f"table2.{key}.{c}" for c in ("issued", "repealed", "in_force"))


def _table2_cells(
    pieces: list[Piece], width: int, ids: tuple[str, ...], result: TableResult, *, splits: bool
) -> list[Cell]:
    if width == 1:
        values = [p for p in pieces if p.kind is not Kind.BLANK]
        if values:
            return [to_cell(values[0])]
        return [Cell(CellState.BLANK, None, "")] if pieces else [Cell.missing()]
    cells = place(pieces, width, 0)
    tokens = digit_tokens(pieces) if splits else None
    if tokens is not None and len(tokens) < width:
        return fused_cells(tokens, fused.Shape((width,), sums=False), ids, result)
    if cells is None:
        return [Cell.missing() for _ in range(width)]
    return cells
