"""Reading table 四 (政府信息公开行政复议、行政诉讼情况): fifteen figures in three groups.

The groups are those of 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号),
table 四: 行政复议, 行政诉讼 未经复议直接起诉 and 行政诉讼 复议后起诉, each with 结果维持,
结果纠正, 其他结果, 尚未审结 and 总计. The figures follow the header words; when their
separators were lost they are split only where the groups' sums (each 总计 the sum of the
four results) leave exactly one reading (:mod:`..fused`).

A scanned table read by OCR shows its rules as “|”, “]” or “1” glued to the digits and
misreads some digits. Where the row shows such traces and a group's printed figures break
its sum, the standard OCR confusions are tried (:func:`..fused.repair_ocr_row`): a repair
that alone satisfies the sum is kept as recovered, saying how; several leave the cells
ambiguous; none leaves the doubtful cells unknown — a number that breaks its sum is never
given as read.

Where the header words stand among the figures (“总计” printed between two of them), a
group is printed per row with its label first, or the table is split in two, the figures
after the last header word are not the fifteen cells: the numbers of the table are then
read in their fixed order, each group adding up to its 总计 (:mod:`..decode_small`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import decode_small, fused
from ..schema import (
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_IDS,
    Cell,
    CellState,
    Finding,
    Severity,
)
from ..text import Kind, Piece
from .cells import TableResult, count_filled, digit_tokens, fused_cells, place, trim
from .layout import Layout

_T4_HEADER = re.compile(
    r"维\s*持|纠\s*正|审\s*结|总\s*计|结\s*果|诉\s*讼|复\s*议|起\s*诉|列\s*\d+|Column\s*\d+", re.I
)
#: A table rule glued to a digit on one side only (“72 |64”), as OCR prints it.
_GLUED_RULE = re.compile(r"(?:(?<=\s)|^)[|\][!](?=\d)|(?<=\d)[|\][!](?=\s|$)", re.M)
_SHAPE = fused.Shape((5, 5, 5), sums=True)


def group_identity(group: str) -> str:
    """The identity binding a group of table 四, in words:
    “表四“行政复议”合计（维持+纠正+其他+尚未审结=总计）”."""
    return f"表四“{dict(TABLE4_GROUPS)[group]}”合计（维持+纠正+其他+尚未审结=总计）"


def read_table4(text: str, start: int, end: int, layout: Layout) -> TableResult:
    """Table 四: fifteen figures after the header words."""
    region = text[start:end]
    heads = list(_T4_HEADER.finditer(region))
    if not heads:
        return _all_missing(TABLE4_IDS)
    body = region[heads[-1].start() :]
    pieces = trim(layout.pieces(body + "\n"))
    width = len(TABLE4_IDS)
    result = TableResult()
    cells = place(pieces, width, 0)
    tokens = digit_tokens(pieces) if layout.splits else None
    if tokens is not None and len(tokens) < width:
        cells = fused_cells(tokens, _SHAPE, TABLE4_IDS, result)
    elif _ocr_traces(pieces, body, layout):
        if not _holds(cells):
            cells = _ocr_cells(pieces, result) or cells
    elif cells is None or not _holds(cells):
        cells = _decoded_cells(text, start + heads[0].start(), end, cells, result) or cells
    if cells is None:
        cells = [Cell.missing() for _ in TABLE4_IDS]
        result.findings.append(
            Finding(
                "PARSE_ROW_UNREADABLE",
                Severity.ERROR,
                TABLE4_IDS,
                f"表四应有 15 个数，读到 {count_filled(pieces)} 个，各格按未知处理",
            )
        )
    result.cells.update(zip(TABLE4_IDS, cells, strict=True))
    return result


def _decoded_cells(
    text: str, start: int, end: int, cells: list[Cell] | None, result: TableResult
) -> list[Cell] | None:
    """The fifteen cells from the numbers after the first header word, in their fixed order.

    Used where the figures after the last header word are not the fifteen cells — a header
    word (“总计”) printed among them, a group per row with its label first, the table split
    in two — so the cells would stay unknown: the numbers of the table are assigned in
    order to the cells, each group's four results adding up to its 总计
    (:mod:`..decode_small`). A cell every fitting assignment agrees on is read; one they
    disagree on stays unknown with its candidates. None when no assignment fits: the cells
    stay as read.

    Where fifteen figures were read but break a group's sum, the decode replaces them only
    when it uses every number of the table and leaves no doubt; a table whose own numbers
    break a sum is kept as printed, and the check reports it.
    """
    decoded = decode_small.decode_table4(text, start, end)
    if decoded is None:
        return None
    if cells is not None and (decoded.skipped or any(t is None for t in decoded.tokens)):
        return None
    out: list[Cell] = []
    for i, token in enumerate(decoded.tokens):
        if token is not None:
            out.append(Cell(CellState.NUMBER, token.value, token.text))
        else:
            out.append(Cell(CellState.AMBIGUOUS, None, None, None, decoded.candidates[i]))
    for g, (group, name) in enumerate(TABLE4_GROUPS):
        group_cells = out[g * 5 : g * 5 + 5]
        if all(c.value is not None for c in group_cells):
            continue
        shown = "；".join(
            f"“{TABLE4_COLUMNS[i][1]}”可为{'或'.join(map(str, c.candidates))}"
            for i, c in enumerate(group_cells)
            if c.state is CellState.AMBIGUOUS
        )
        result.findings.append(
            Finding(
                "PARSE_AMBIGUOUS_DIGITS",
                Severity.WARNING,
                TABLE4_IDS[g * 5 : g * 5 + 5],
                f"表四“{name}”的数字与表头分开印出，按固定顺序对应并符合{group_identity(group)}"
                f"的读法不止一种（{shown}），相关格按未知处理",
            )
        )
    return out


def _ocr_traces(pieces: Sequence[Piece], body: str, layout: Layout) -> bool:
    """Whether the figures show what OCR makes of a ruled table: rule marks beside the
    digits, or letters read for digits."""
    for piece in pieces:
        if piece.kind is Kind.NUMBER and piece.fixed_by:
            return True
        if piece.kind is Kind.TEXT and any(ch in fused.RULE_MARKS for ch in piece.text):
            return True
    return layout.name != "pipe" and bool(_GLUED_RULE.search(body))


def _holds(cells: list[Cell] | None) -> bool:
    """Every group's printed figures known and adding up (nothing to repair)."""
    if cells is None:
        return False
    values = [c.value for c in cells]
    if any(v is None for v in values):
        return False
    return all(sum(values[g : g + 4]) == values[g + 4] for g in (0, 5, 10))  # type: ignore[misc]


def _ocr_cells(pieces: Sequence[Piece], result: TableResult) -> list[Cell] | None:
    """The cells of an OCR'd row repaired group by group; None when the tokens do not line
    up with the fifteen cells (the row is then read as before)."""
    tokens = [p.text.replace(" ", "") for p in pieces if p.kind is not Kind.BLANK]
    try:
        repair = fused.repair_ocr_row(tokens, _SHAPE)
    except fused.TooManyReadings:
        repair = None
    if repair is None:
        return None
    cells: list[Cell] = []
    for index, cell in enumerate(repair.cells):
        group = TABLE4_GROUPS[index // 5][0]
        published = cell.token or None
        if cell.as_printed:
            cells.append(Cell(CellState.NUMBER, cell.candidates[0], cell.token))
        elif len(cell.candidates) == 1:
            how = "；".join(cell.how) or "识别所得数字"
            cells.append(
                Cell(
                    CellState.RECOVERED,
                    cell.candidates[0],
                    published,
                    f"{how}，按{group_identity(group)}恒等式唯一还原",
                )
            )
        elif cell.candidates:
            cells.append(Cell(CellState.AMBIGUOUS, None, published, None, cell.candidates))
        else:
            cells.append(Cell(CellState.MISSING, None, published))
    for g in repair.failed_groups:
        result.findings.append(_group_finding(g, cells, tokens, failed=True))
    for g in repair.ambiguous_groups:
        result.findings.append(_group_finding(g, cells, tokens, failed=False))
    return cells


def _group_finding(g: int, cells: list[Cell], tokens: list[str], *, failed: bool) -> Finding:
    group = TABLE4_GROUPS[g][0]
    ids = TABLE4_IDS[g * 5 : g * 5 + 5]
    name = f"表四“{dict(TABLE4_GROUPS)[group]}”"
    unknown = [
        f"“{TABLE4_COLUMNS[i][1]}”"
        for i, cell in enumerate(cells[g * 5 : g * 5 + 5])
        if cell.value is None
    ]
    printed = " ".join(c.published or "" for c in cells[g * 5 : g * 5 + 5]).strip()
    if failed:
        return Finding(
            "OCR_UNRESOLVED",
            Severity.WARNING,
            ids,
            f"{name}识别所得“{printed}”不满足{group_identity(group)}，按常见识别错误（表格线误识为“1”“|”“]”、"
            f"“6”误识为“0”等）也无法还原；{'、'.join(unknown)}按未知处理，请对照原件",
        )
    shown = "；".join(
        f"“{TABLE4_COLUMNS[i][1]}”可为{'或'.join(map(str, cell.candidates))}"
        for i, cell in enumerate(cells[g * 5 : g * 5 + 5])
        if cell.state is CellState.AMBIGUOUS
    )
    return Finding(
        "OCR_AMBIGUOUS",
        Severity.WARNING,
        ids,
        f"{name}识别所得“{printed}”不满足{group_identity(group)}，按常见识别错误还原有多种读法（{shown}），"
        "相关格按未知处理，请对照原件",
    )


def _all_missing(ids: Sequence[str]) -> TableResult:
    return TableResult({cid: Cell.missing() for cid in ids})
