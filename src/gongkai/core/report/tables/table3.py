"""Reading table 三 (收到和处理政府信息公开申请情况): 25 rows of seven cells.

The rows and columns are those of 《中华人民共和国政府信息公开工作年度报告格式》
(国办公开办函〔2021〕30号), table 三: six kinds of applicant and their 总计, for new and
carried-in applications, every outcome row, the total and the carry-out.

Rows are anchored on their labels (:mod:`..locate`); the text between one label and the
next holds that row's cells. Where labels were lost (OCR) or stand apart from their
numbers, the rows are recovered from the run of values or by position. Rows whose digits
ran together are split only where the table's identities leave exactly one reading
(:mod:`..fused`); otherwise the cells stay unknown and the candidates are reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import decode, fused
from ..locate import Match, find_table3_labels
from ..schema import (
    OUTCOME_ROWS,
    TABLE3_COLUMN_KEYS,
    TABLE3_COLUMNS,
    TABLE3_ROW_KEYS,
    Cell,
    CellState,
    Finding,
    Severity,
    row_label,
    table3_id,
)
from ..text import Kind, Piece, classify
from .cells import (
    GROUP_ONLY,
    RECOVERED_FUSED,
    TableResult,
    count_filled,
    digit_tokens,
    modal_offset,
    place,
    trim,
)
from .layout import Layout

WIDTH3 = len(TABLE3_COLUMN_KEYS)

#: The kinds of piece, bound once: reading ``Kind.BLANK`` goes through the enum class each
#: time (some 0.1 µs), and the kinds are tested for every piece of every row.
_NUMBER, _BLANK, _NOT_APPLICABLE, _TEXT = Kind.NUMBER, Kind.BLANK, Kind.NOT_APPLICABLE, Kind.TEXT
#: The cell ids of each row, in column order (made once, not per cell and per reading).
_ROW_IDS: dict[str, tuple[str, ...]] = {
    key: tuple(table3_id(key, c) for c in TABLE3_COLUMN_KEYS) for key in TABLE3_ROW_KEYS
}

_PAGE = re.compile(r"\s*(?:\|\s*\d{1,3}\s*\||[-—–]\s*\d{1,3}\s*[-—–])\s*")
_LOOSE_PAGE = re.compile(r"[\s|]*\d{1,3}[\s|]*")


def read_table3(
    text: str, start: int, end: int, layout: Layout, labels: list[Match] | None = None
) -> TableResult:
    """Table 三 between ``start`` and ``end`` of ``text`` (``labels``: already found there).

    Rows are first read where their labels stand. When that leaves a cell unknown or
    breaks an identity of the table (labels drifted away from their numbers, rows printed
    column by column, （六） printed as one row), the whole table is decoded from its
    numbers in reading order (:mod:`..decode`): the decode keeps the statutory row order
    and every identity, and a cell is given only where every least-cost decode agrees.
    """
    if labels is None:
        labels = find_table3_labels(text, start, end)
    result = _read_anchored(text, start, end, layout, labels)
    if _trusted(result):
        return result
    tokens, lead = decode.stream(text, start, end, labels)
    decoded = decode.decode_table3(tokens, lead)
    if decoded is None:
        return result
    return _decoded_result(decoded)


def _trusted(result: TableResult) -> bool:
    """Every cell read as a number and every identity of table 三 holds."""
    rows: dict[str, list[int]] = {}
    cells = result.cells
    for key in TABLE3_ROW_KEYS:
        values = [None if (c := cells.get(cid)) is None else c.value for cid in _ROW_IDS[key]]
        if not all(isinstance(v, int) for v in values):
            return False
        if sum(values[:-1]) != values[-1]:  # type: ignore[arg-type]
            return False
        rows[key] = values  # type: ignore[assignment]
    for col in range(WIDTH3):
        if rows["new"][col] + rows["carried_in"][col] != (
            rows["total"][col] + rows["carried_out"][col]
        ):
            return False
        if sum(rows[k][col] for k in OUTCOME_ROWS) != rows["total"][col]:
            return False
    return True


def _decoded_result(decoded: decode.Decoded) -> TableResult:
    """Cells and findings of a whole-table decode."""
    result = TableResult()
    result.recovered_fused = bool(decoded.split_rows)
    group = decoded.other_group
    for key in TABLE3_ROW_KEYS:
        published = decoded.published.get(key, "")
        texts = published.split(" ")
        split = key in decoded.split_rows
        unknown = False
        for col_i, cid in enumerate(_ROW_IDS[key]):
            value = decoded.values[key][col_i]
            candidates = decoded.candidates[key][col_i]
            if value is not None and split:
                cell = Cell(CellState.RECOVERED, value, published, decode.RECOVERED_SPLIT)
            elif value is not None:
                shown = texts[col_i] if len(texts) == WIDTH3 else str(value)
                cell = Cell(CellState.NUMBER, value, shown)
            elif len(candidates) > 1:
                cell = Cell(CellState.AMBIGUOUS, None, published or None, None, candidates)
                unknown = True
            else:
                cell = Cell.missing()
                unknown = True
            result.cells[cid] = cell
        if not unknown or (group is not None and key in decode.OTHER_ITEMS):
            continue
        if any(len(c) > 1 for c in decoded.candidates[key]):
            result.findings.append(_decode_ambiguous(key, decoded))
        else:
            result.findings.append(_row_finding(key, "未找到", None))
    if group is not None:
        shown = " ".join(map(str, group))
        ids = tuple(table3_id(k, c) for k in decode.OTHER_ITEMS for c in TABLE3_COLUMN_KEYS)
        result.findings.append(
            Finding(
                GROUP_ONLY,
                Severity.INFO,
                ids,
                f"表三“（六）其他处理”只印出一行合计（{shown}），第1至3项未分项列出，"
                "这三行按未知处理（不计为0）；该合计已用于核对“（七）总计”",
            )
        )
    return result


def _decode_ambiguous(key: str, decoded: decode.Decoded) -> Finding:
    ids = tuple(table3_id(key, c) for c in TABLE3_COLUMN_KEYS)
    shown = "；".join(
        f"{name}可为{'或'.join(map(str, cands))}"
        for (_, name), cands in zip(TABLE3_COLUMNS, decoded.candidates[key], strict=True)
        if len(cands) > 1
    )
    return Finding(
        "PARSE_AMBIGUOUS_DIGITS",
        Severity.WARNING,
        ids,
        f"表三“{row_label(key)}”行：数字与各行各列的对应不止一种读法符合勾稽关系（{shown}），"
        "相关格按未知处理",
    )


def _read_anchored(
    text: str, start: int, end: int, layout: Layout, labels: list[Match]
) -> TableResult:
    """Rows cut at their labels (the first reading; see :func:`read_table3`)."""
    rows = _anchored_rows(text, labels, start, end, layout)
    anchored = _count_values(rows)
    if anchored < WIDTH3 * len(TABLE3_ROW_KEYS):  # some row short of numbers: labels apart?
        positional = _positional_rows(text, labels, end, layout)
        if positional is not None and _count_values(positional) > anchored:
            rows = positional
    offset = modal_offset([p for p in rows.values() if p is not None], WIDTH3)
    result = TableResult()
    candidates: dict[str, list[tuple[int, ...]]] = {}
    shape = fused.Shape((WIDTH3,), sums=True)
    blank = CellState.BLANK
    for key in TABLE3_ROW_KEYS:
        pieces = rows.get(key)
        cells = None if pieces is None else place(pieces, WIDTH3, offset)
        if cells is not None and sum(c.state is not blank for c in cells) == WIDTH3:
            candidates[key] = [tuple(c.value for c in cells)] if _all_ints(cells) else []
            _store_row(result, key, cells)
            continue
        tokens = digit_tokens(pieces or []) if layout.splits else None
        too_many = False
        if tokens is not None and cells is None:
            try:
                candidates[key] = fused.split_row(tokens, shape)
            except fused.TooManyReadings:
                candidates[key], too_many = [], True
            if candidates[key]:
                continue
        if cells is not None:
            _store_row(result, key, cells)
        else:
            _store_row(result, key, [Cell.missing() for _ in range(WIDTH3)])
            what = "未找到" if not pieces else "无法确定各列数值"
            if too_many:
                what = "的数字连在一起，过长或可能的拆分过多，无法确定各列数值"
            result.findings.append(_row_finding(key, what, pieces))
    _resolve_fused(result, candidates, rows)
    return result


def _all_ints(cells: Sequence[Cell]) -> bool:
    return all(isinstance(c.value, int) for c in cells)


def _store_row(result: TableResult, key: str, cells: Sequence[Cell]) -> None:
    result.cells.update(zip(_ROW_IDS[key], cells, strict=True))


def _row_finding(key: str, what: str, pieces: Sequence[Piece] | None) -> Finding:
    ids = tuple(table3_id(key, c) for c in TABLE3_COLUMN_KEYS)
    label = f"表三“{row_label(key)}”行"
    seen = " ".join(p.text or "空" for p in (pieces or []))[:80]
    detail = f"（读到：{seen}）" if seen else ""
    return Finding(
        "PARSE_ROW_UNREADABLE", Severity.ERROR, ids, f"{label}{what}{detail}，各格按未知处理"
    )


def _anchored_rows(
    text: str, labels: Sequence[Match], start: int, end: int, layout: Layout
) -> dict[str, list[Piece] | None]:
    """Pieces of each row, cut at its label; rows whose labels were lost share a segment."""
    rows: dict[str, list[Piece] | None] = {}
    if labels and labels[0].index > 0:
        # The first labels were lost (OCR): their numbers stand before the first one found.
        labels = [Match(0, start, start), *labels]
    bounds = [*labels, Match(len(TABLE3_ROW_KEYS), end, end)]
    for i, label in enumerate(bounds[:-1]):
        next_label = bounds[i + 1]
        pieces = trim(layout.pieces(text[label.end : next_label.start]))
        span = TABLE3_ROW_KEYS[label.index : next_label.index]
        shared = _split_lost_labels(pieces, len(span)) if len(span) > 1 else None
        if shared is not None:
            rows.update(zip(span, shared, strict=True))
        else:
            rows[span[0]] = _drop_page_numbers(text[label.end : next_label.start], pieces, layout)
    return rows


def _split_lost_labels(pieces: Sequence[Piece], row_count: int) -> list[list[Piece]] | None:
    """The cells of ``row_count`` rows whose labels after the first were not recognised.

    Either the unrecognised labels still stand between the rows as text (an OCR misread
    “2.重复中请”), cutting the stretch into ``row_count`` runs of seven cells, or the stretch
    holds exactly 7×``row_count`` values and nothing else.
    """
    runs: list[list[Piece]] = [[]]
    for piece in pieces:
        if piece.kind is _TEXT:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(piece)
    runs = [trim(r) for r in runs if r]
    if len(runs) == row_count and all(len(r) == WIDTH3 for r in runs):
        return runs
    values = [p for p in pieces if p.kind in (_NUMBER, _NOT_APPLICABLE)]
    if len(values) == WIDTH3 * row_count and len(values) == count_filled(pieces):
        return [values[i * WIDTH3 : (i + 1) * WIDTH3] for i in range(row_count)]
    return None


def _drop_page_numbers(seg: str, pieces: list[Piece], layout: Layout) -> list[Piece]:
    """A lone number on a line of its own inside a row (a page number) is not a cell.

    “| 7 |” and “- 7 -” are page numbers wherever they stand; a bare “7” or “7 |” only
    when the row has more values than cells (in boshan-2024.txt every cell is a line).
    """
    if layout.name in ("fused", "lines"):
        return pieces
    loose = count_filled(pieces) > WIDTH3
    page = _LOOSE_PAGE if loose else _PAGE
    lines = seg.split("\n")
    kept = "\n".join(ln for ln in lines if not page.fullmatch(ln))
    if len(kept) == len(seg):
        return pieces
    again = trim(layout.pieces(kept + ("\n" if seg.endswith("\n") else "")))
    return again if count_filled(again) == WIDTH3 or not loose else pieces


def _positional_rows(
    text: str, labels: Sequence[Match], end: int, layout: Layout
) -> dict[str, list[Piece] | None] | None:
    """Rows of seven numbers in order, when labels stand apart from their numbers."""
    if not labels or layout.name in ("fused", "lines"):
        return None
    body = text[labels[0].start : end]
    full = [row for ln in body.split("\n") if (row := _number_row(ln)) is not None]
    if len(full) != len(TABLE3_ROW_KEYS):
        return None
    return dict(zip(TABLE3_ROW_KEYS, full, strict=True))


def _number_row(line: str) -> list[Piece] | None:
    """A line of exactly seven cells holding numbers and nothing but blanks besides.

    Markdown rows (“|  | 618 |  | 120 | … |”) and TAB rows keep their blank fields; the
    empty fields that stood under the labels are dropped from the left.
    """
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") > 2:
        fields = stripped[1:-1].split("|")
    elif "\t" in stripped:
        fields = stripped.split("\t")
    else:
        fields = stripped.split()
    pieces = [classify(f) for f in fields]
    if not any(p.kind is _NUMBER for p in pieces):
        return None
    if any(p.kind not in (_NUMBER, _BLANK) for p in pieces):
        return None
    while len(pieces) > WIDTH3 and pieces[0].kind is _BLANK:
        pieces.pop(0)
    return pieces if len(pieces) == WIDTH3 else None


def _count_values(rows: dict[str, list[Piece] | None]) -> int:
    return sum(
        min(WIDTH3, sum(p.kind is _NUMBER for p in pieces)) for pieces in rows.values() if pieces
    )


def _resolve_fused(
    result: TableResult,
    candidates: dict[str, list[tuple[int, ...]]],
    rows: dict[str, list[Piece] | None],
) -> None:
    """Rows read from run-together digits: keep what the identities pin down."""
    open_rows = [k for k, c in candidates.items() if c and _is_fused(result, k)]
    if not open_rows:
        return
    result.recovered_fused = True
    problem = fused.Table3Problem(
        {k: c for k, c in candidates.items() if c}, outcome_rows=OUTCOME_ROWS
    )
    try:
        solved = problem.solve()
    except fused.TooManyReadings:
        solved = None
    readings = solved if solved is not None else candidates
    for key in open_rows:
        published = " ".join(p.text for p in rows.get(key) or [])
        for col_i, col in enumerate(TABLE3_COLUMN_KEYS):
            values = sorted({r[col_i] for r in readings[key]})
            cid = table3_id(key, col)
            if len(values) == 1:
                result.cells[cid] = Cell(CellState.RECOVERED, values[0], published, RECOVERED_FUSED)
            else:
                result.cells[cid] = Cell(CellState.AMBIGUOUS, None, published, None, tuple(values))
        if len(readings[key]) > 1:
            result.findings.append(_ambiguous_finding(key, readings[key], published))


def _is_fused(result: TableResult, key: str) -> bool:
    return table3_id(key, "total") not in result.cells


def _ambiguous_finding(key: str, readings: Sequence[tuple[int, ...]], published: str) -> Finding:
    ids = tuple(table3_id(key, c) for c in TABLE3_COLUMN_KEYS)
    label = f"表三“{row_label(key)}”行"
    shown = "；".join("|".join(map(str, r)) for r in readings[:6])
    more = f"等 {len(readings)} 种" if len(readings) > 6 else f"共 {len(readings)} 种"
    return Finding(
        "PARSE_AMBIGUOUS_DIGITS",
        Severity.WARNING,
        ids,
        f"{label}的数字“{published}”分隔符缺失，符合勾稽关系的拆分不止一种（{shown}，{more}），"
        "相关格按未知处理",
    )
