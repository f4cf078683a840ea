"""Reading table 二 (主动公开政府信息情况): 规章, 行政规范性文件 and four single figures.

The rows are those of 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号),
table 二 (《中华人民共和国政府信息公开条例》第二十条): 规章 and 行政规范性文件 with three cells
each (本年制发, 本年废止, 现行有效), then one figure each for 行政许可, 行政处罚 and 行政强制
decisions and the amount of 行政事业性收费 (万元). A row whose label is not found is left
missing, never zero.

Real reports vary the labels: “规范性文件” for “行政规范性文件”, ordinals (“1、规章”,
“（二）行政许可”), words split by spaces or line breaks, and typos (“行政处昼”, one
character wrong). An ordinal is never taken for a figure; a label found only with one
character wrong is read, with a finding quoting it (:data:`LABEL_VARIANT`), so that the
checks can weigh it (:mod:`..checks`: in scanned text such a row's figure is not trusted).
Table 二 has no identity inside it: its figures can only be confirmed by the report's
prose or by last year's report (:mod:`..compare`).

Where the labels stand apart from their figures (a figure printed before its label, a page
footer between them, a markdown label column apart from the number rows) and the reading at
the labels leaves cells unknown, the ten figures are read in their fixed order, checked
against where the labels stand (:mod:`..decode_small`); where two readings remain the cells
stay unknown.
"""

from __future__ import annotations

import re
from functools import cache

from .. import decode_small, fused
from ..locate import TABLE2_ROWS, Match, find_table2_labels
from ..schema import TABLE2_IDS, Cell, CellState, Finding, Severity, cell_label
from ..text import Kind, Piece
from .cells import TableResult, digit_tokens, fused_cells, place, to_cell, trim
from .layout import Layout

#: Code of the finding for a row label found with one character wrong.
LABEL_VARIANT = "TABLE2_LABEL_VARIANT"

#: An ordinal printed before a row label (“1、” “2.” “（三）” “四、”), at the end of the
#: previous row's text: it belongs to the label, not to the previous row's figures.
_ORDINAL_TAIL = re.compile(
    r"(?:(?<![\d.])\d{1,2}\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]"
    r"|[一二三四五六七八九十]{1,2}\s*[、.．])[\s|]*$"
)
_CJK = "[\u4e00-\u9fff]"
_GAP = r"[ \t|\u3000]*"
#: Labels tried with one character wrong (rows not found as printed), and the characters
#: that may be wrong: the distinctive ones, never the shared “行政”.
_FUZZY: dict[str, tuple[str, range]] = {
    "normative": ("规范性文件", range(5)),
    "licensing": ("行政许可", range(2, 4)),
    "punishment": ("行政处罚", range(2, 4)),
    "enforcement": ("行政强制", range(2, 4)),
    "fees_wan_yuan": ("事业性收费", range(5)),
}


@cache
def _fuzzy_pattern(key: str) -> re.Pattern[str] | None:
    if key not in _FUZZY:
        return None
    word, positions = _FUZZY[key]
    alternatives = []
    for i in positions:
        chars = [re.escape(c) for c in word]
        chars[i] = f"(?!{re.escape(word[i])}){_CJK}"
        alternatives.append(_GAP.join(chars))
    # at a line's start (after an ordinal), followed by a figure on its line or nothing
    return re.compile(
        r"(?m)^[ \t|]*(?:\d{1,2}\s*[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）])?[ \t]*"
        rf"(?P<label>(?:{_CJK}{{0,3}}?)(?:{'|'.join(alternatives)}))"
        r"(?=[ \t|]*(?:[\d.,]+[ \t|]*)*$)"
    )


def read_table2(text: str, start: int, end: int, layout: Layout) -> TableResult:
    """Table 二: 规章 and 行政规范性文件 (three cells each) and four single figures."""
    result = TableResult()
    labels = _with_variants(find_table2_labels(text, start, end), text, start, end, result)
    bounds = [*labels, Match(len(TABLE2_ROWS), end, end)]
    found = {label.index: (label, bounds[i + 1]) for i, label in enumerate(bounds[:-1])}
    for index, (key, width, _) in enumerate(TABLE2_ROWS):
        ids = _table2_ids(key, width)
        if index not in found:
            for cid in ids:
                result.cells[cid] = Cell.missing()
            continue
        label, next_label = found[index]
        segment = text[label.end : next_label.start]
        if next_label.start < end:
            segment = _ORDINAL_TAIL.sub("", segment)
        pieces = trim(layout.pieces(segment))
        cells = _table2_cells(pieces, width, ids, result, splits=layout.splits)
        if _borrowed(segment, width, result, index):
            cells = [Cell.missing() for _ in ids]
        for cid, cell in zip(ids, cells, strict=True):
            result.cells[cid] = cell
    if not layout.splits and any(result.cells[c].state is CellState.MISSING for c in TABLE2_IDS):
        _decode_stream(text, start, end, labels, result)
    return result


_NUMBER = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?")


def _borrowed(segment: str, width: int, result: TableResult, index: int) -> bool:
    """True when an earlier row's label was found without its figures and this row's text
    holds more numbers than this row has cells: the labels stand apart from their numbers
    (all labels first, then all numbers), so the numbers after this label are those of the
    earlier rows too, and taking the first of them would give this row another row's figure
    (or a run of them fused into one)."""
    earlier = [cid for k, w, _ in TABLE2_ROWS[:index] for cid in _table2_ids(k, w)]
    if not any(result.cells[c].state is CellState.MISSING for c in earlier if c in result.cells):
        return False
    return len(_NUMBER.findall(segment)) > width


#: Fewest row labels found for the numbers to be read by their order (fewer: the region
#: may not hold table 二 at all).
MIN_LABELS = 3


def _decode_stream(
    text: str, start: int, end: int, labels: list[Match], result: TableResult
) -> None:
    """Cells the label reading left unknown, read from the numbers in their fixed order.

    When labels stand apart from their numbers (a value printed before its label, a page
    footer between a label and its number, a markdown label column apart from the number
    rows), the ten numbers of the region are assigned to the ten cells in statutory order
    (:mod:`..decode_small`), checked against where the labels stand. A decode that uses
    every number gives its values; one that leaves stray numbers out only fills unknown
    cells, and where it contradicts a figure read at its label the cell stays unknown.
    """
    if len({m.index for m in labels}) < MIN_LABELS:
        return
    if any(result.cells[c].state is CellState.TEXT for c in TABLE2_IDS):
        return  # a cell printed as words: the numbers alone cannot say which cell it is
    decoded = decode_small.decode_table2(text, start, end, labels)
    if decoded is None:
        return
    clean = decoded.skipped == 0
    cells: dict[str, Cell] = {}
    conflicts: list[str] = []
    for i, cid in enumerate(TABLE2_IDS):
        have = result.cells[cid]
        token = decoded.tokens[i]
        if token is None:
            options = decoded.candidates[i]
            if have.state is CellState.NUMBER and have.value not in options:
                options = tuple(sorted({*options, have.value}))  # type: ignore[arg-type]
            elif have.state not in (CellState.MISSING, CellState.BLANK) or not options:
                continue  # the label's reading is one of the decode's: it stands
            cells[cid] = Cell(CellState.AMBIGUOUS, None, have.published, None, options)
            conflicts.append(cid)
            continue
        cell = _token_cell(token)
        if have.state is CellState.NOT_APPLICABLE and cell.state is not have.state:
            return  # “/” read at its label, a number here: the decode does not fit
        if have.state in (CellState.MISSING, CellState.BLANK) or clean:
            cells[cid] = cell
        elif have.value != cell.value and have.state is not CellState.AMBIGUOUS:
            options = tuple(sorted(v for v in (have.value, cell.value) if v is not None))
            cells[cid] = Cell(CellState.AMBIGUOUS, None, have.published, None, options)
            conflicts.append(cid)
    result.cells.update(cells)
    if conflicts:
        result.findings.append(
            Finding(
                "PARSE_AMBIGUOUS_DIGITS",
                Severity.WARNING,
                tuple(conflicts),
                f"表二的数字与行标签分开印出，按各行的固定顺序对应时有不止一种读法"
                f"（{_shown(conflicts, result)}），相关格按未知处理",
            )
        )


def _token_cell(token: decode_small.Token) -> Cell:
    if token.value is None:
        return Cell(CellState.NOT_APPLICABLE, None, token.text)
    return Cell(CellState.NUMBER, token.value, token.text)


def _shown(cids: list[str], result: TableResult) -> str:
    return "；".join(
        f"{cell_label(cid)}可为{'或'.join(map(str, result.cells[cid].candidates))}" for cid in cids
    )


def _with_variants(
    labels: list[Match], text: str, start: int, end: int, result: TableResult
) -> list[Match]:
    """The labels found as printed, with missing rows looked for with one character wrong
    between their neighbours (a row keeps its statutory place)."""
    have = {m.index for m in labels}
    out = list(labels)
    for index, (key, width, _) in enumerate(TABLE2_ROWS):
        pattern = _fuzzy_pattern(key)
        if index in have or pattern is None:
            continue
        lo = max((m.end for m in out if m.index < index), default=start)
        hi = min((m.start for m in out if m.index > index), default=end)
        m = pattern.search(text, lo, hi)
        if m is None:
            continue
        out.append(Match(index, m.start("label"), m.end("label")))
        out.sort(key=lambda x: x.start)
        printed = " ".join(m.group("label").split())
        ids = _table2_ids(key, width)
        result.findings.append(
            Finding(
                "TABLE2_LABEL_VARIANT",  # = LABEL_VARIANT
                Severity.INFO,
                ids,
                f"{cell_label(ids[0]).split('·')[0].rstrip('”')}”行的标签印作“{printed}”"
                f"（应为“{_FUZZY[key][0]}”），按该行读取",
            )
        )
    return out


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
