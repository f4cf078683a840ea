"""Reading the three statutory tables out of normalised text, whatever the layout.

Each layout reader upstream (plain text, HTML, PDF) hands over text in one of these shapes:

``tab``    one table row per line, cells separated by TAB (PDF copies, HTML converted here);
``pipe``   cells ended by “|” (markdown-ish web copies), rows or cells per line;
``lines``  one cell per line, cells separated by a fixed number of empty lines (web copies);
``space``  one table row per line, cells separated by spaces (PDF text, OCR output);
``fused``  every separator between cells lost (crawled text): digits run together.

Rows are anchored on their labels (:mod:`.locate`); the text between one label and the
next holds that row's cells. A published blank stays blank, “/” stays not applicable,
and digits whose separators were lost are recovered only where the table's arithmetic
leaves exactly one reading (:mod:`.fused`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import fused
from .locate import TABLE2_ROWS, Match, find_table2_labels, find_table3_labels
from .schema import (
    OUTCOME_ROWS,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_IDS,
    Cell,
    CellState,
    Finding,
    Severity,
    cell_label,
    row_label,
    table3_id,
)
from .text import Kind, Piece, classify, has_cjk

WIDTH3 = len(TABLE3_COLUMN_KEYS)
RECOVERED_FUSED = (
    "lost-separators: the only split of the digits that satisfies the table's identities"
)
RECOVERED_OCR = "ocr: letters read as digits (O→0, l/I→1)"

_MD_RULE = re.compile(r"^:?-{3,}:?$")
_NUM_RUN = re.compile(r"\d+(?:\.\d+)?")
_PAGE = re.compile(r"\s*(?:\|\s*\d{1,3}\s*\||[-—–]\s*\d{1,3}\s*[-—–])\s*")
_LOOSE_PAGE = re.compile(r"[\s|]*\d{1,3}[\s|]*")
_NUMBER_GAP = re.compile(r"(?<=\d) +(?=\d)")
_TOKEN = re.compile(r"[^\s|]+")
_EMPTY_LINES = re.compile(r"\n[ \u3000]*(?=\n)")


# --- layout ---------------------------------------------------------------------------


def detect_layout(region: str) -> str:
    """The layout of a table region (see the module docstring)."""
    if region.count("\t") >= 20:
        return "tab"
    if region.count("|") >= 20:
        return "pipe"
    if len(re.findall(r"[\u4e00-\u9fff)\]]\d{5,}", region)) >= 4:
        return "fused"
    lines = [ln for ln in region.split("\n") if ln.strip()]
    multi = sum(1 for ln in lines if len(re.findall(r"(?:^|\s)[\dOl]+(?=\s|$)", ln)) >= 3)
    if multi >= 3:
        return "space"
    return "lines"


def line_gap(region: str) -> int:
    """How many empty lines separate two cells in the ``lines`` layout (the usual gap)."""
    gaps: Counter[int] = Counter()
    run = 0
    seen = False
    for ln in region.split("\n"):
        if ln.strip():
            if seen:
                gaps[run] += 1
            seen, run = True, 0
        else:
            run += 1
    return gaps.most_common(1)[0][0] if gaps else 0


def space_unit(region: str) -> int:
    """The usual number of spaces between two numbers of a ``space`` table (0 if none)."""
    gaps = Counter(len(m.group()) for m in _NUMBER_GAP.finditer(region))
    return gaps.most_common(1)[0][0] if gaps else 0


@dataclass(slots=True)
class Layout:
    """How to cut a stretch of text into cells."""

    name: str
    gap: int = 0  # ``lines``: empty lines between cells; ``space``: spaces between cells

    @property
    def splits(self) -> bool:
        """Whether digits may be split into cells: only where every separator was lost.

        Where separators show, a row short of a cell lost a blank (PDF text keeps no trace
        of one); splitting a printed number to fill the gap would invent a value.
        """
        return self.name == "fused"

    def pieces(self, seg: str) -> list[Piece]:
        """Cells of the text between a label and the next one (the label's own cell dropped)."""
        if self.name == "fused":
            return [classify(m.group()) for m in _NUM_RUN.finditer(seg)]
        if self.name == "tab":
            seg = _EMPTY_LINES.sub("", seg)
            if "\n" in seg:  # what follows the last line break opens the next row
                seg = seg[: seg.rindex("\n") + 1]
            raw = re.split(r"[\t\n]", seg)[1:-1]
        elif self.name == "pipe":
            raw = [p for p in _pipe_cells(seg) if not _MD_RULE.match(p.strip())]
        elif self.name == "lines":
            return self._line_pieces(seg)
        else:
            return _space_pieces(seg, self.gap)
        return [classify(" ".join(p.split()) if has_cjk(p) else p) for p in raw]

    def _line_pieces(self, seg: str) -> list[Piece]:
        lines = seg.split("\n")
        out: list[Piece] = []
        run = 0
        for ln in [*lines[1:-1], None]:  # None: the next label's line
            if ln is not None and not ln.strip():
                run += 1
                continue
            if out or ln is not None:
                blanks = (run - self.gap) // (self.gap + 1) if run > self.gap else 0
                out.extend(Piece(Kind.BLANK, "") for _ in range(blanks))
            if ln is not None:
                out.append(classify(ln))
            run = 0
        return out


def _space_pieces(seg: str, table_unit: int) -> list[Piece]:
    """Cells separated by white space; a blank cell shows as one more separator.

    PDF text separates cells with one space and OCR output with two; both print a blank
    cell as an empty string between two separators (“数量  0 0  0 0 22”). ``table_unit`` is the
    table's usual gap between two numbers (0: unknown, then the line's narrowest gap);
    where the gaps are not multiples of it, or it is wider than two spaces (columns
    aligned with padding), spaces say nothing about blanks.
    """
    out: list[Piece] = []
    for i, line in enumerate(seg.split("\n")):
        toks = list(_TOKEN.finditer(line))
        if not toks:
            continue
        pieces = [classify(m.group()) for m in toks]
        gaps: list[int | None] = [toks[0].start() if i == 0 else None]
        gaps += [toks[j].start() - toks[j - 1].end() for j in range(1, len(toks))]
        texts = [j for j, p in enumerate(pieces) if p.kind is Kind.TEXT]
        tail = range(texts[-1] + 1 if texts else 0, len(toks))
        unit = table_unit or min((g for g in gaps if g), default=1)
        tail_gaps = [g for j in tail if (g := gaps[j]) is not None]
        spaced = (
            unit <= 2
            and all(g % unit == 0 for g in tail_gaps)
            and any(pieces[j].kind is Kind.NUMBER for j in tail)
        )
        for j, piece in enumerate(pieces):
            g = gaps[j]
            if spaced and j in tail and g is not None:
                out.extend(Piece(Kind.BLANK, "") for _ in range(g // unit - 1))
            out.append(piece)
    return out


def _pipe_cells(seg: str) -> list[str]:
    """Cells between “|” bars, line by line.

    A line may end every cell with a bar (“61 |”, boshan-2024.txt), separate cells with
    bars (“规章 | 0 | 0 | 0”, OCR output) or wrap them in bars (“| 0 | 0 |”, markdown).
    The first piece of the first line is the label's own cell and the last line is the
    head of the next label's cell; both are dropped.
    """
    lines = seg.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines[:-1] if len(lines) > 1 else lines):
        parts = line.split("|")
        if i == 0:
            parts = parts[1:]
        elif len(parts) > 2 and not parts[0].strip():
            parts = parts[1:]  # “| a | b |”: the bar opens the row
        if len(parts) > 1 and not parts[-1].strip():
            parts = parts[:-1]  # the bar closes the last cell
        if len(lines) == 1:
            parts = parts[:-1]  # a label in the same line: its text is not a cell
        out.extend(parts)
    return out


# --- placing pieces into a row's cells ------------------------------------------------


@dataclass(slots=True)
class RowRead:
    """A row's cells as read, plus what went wrong."""

    cells: list[Cell]
    problem: str | None = None
    fused_tokens: list[str] = field(default_factory=list)


def trim(pieces: Sequence[Piece]) -> list[Piece]:
    """Drop text before the first value (a label's tail) and after the last (next label's head)."""
    values = [i for i, p in enumerate(pieces) if p.kind in (Kind.NUMBER, Kind.NOT_APPLICABLE)]
    if not values:
        return [p for p in pieces if p.kind is Kind.BLANK]
    lo, hi = values[0], values[-1]
    while lo > 0 and pieces[lo - 1].kind is Kind.BLANK:
        lo -= 1
    while hi + 1 < len(pieces) and pieces[hi + 1].kind is Kind.BLANK:
        hi += 1
    return list(pieces[lo : hi + 1])


def to_cell(p: Piece) -> Cell:
    if p.kind is Kind.NUMBER:
        if p.fixed_by:
            return Cell(CellState.RECOVERED, p.value, p.text, RECOVERED_OCR)
        return Cell(CellState.NUMBER, p.value, p.text)
    if p.kind is Kind.BLANK:
        return Cell(CellState.BLANK, None, "")
    if p.kind is Kind.NOT_APPLICABLE:
        return Cell(CellState.NOT_APPLICABLE, None, p.text)
    return Cell(CellState.TEXT, None, p.text)


def place(pieces: Sequence[Piece], width: int, offset: int | None) -> list[Cell] | None:
    """Choose ``width`` consecutive pieces holding every non-blank one; None if ambiguous."""
    filled = [i for i, p in enumerate(pieces) if p.kind is not Kind.BLANK]
    if not filled:
        if len(pieces) >= width:
            return [Cell(CellState.BLANK, None, "") for _ in range(width)]
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
        filled = [i for i, p in enumerate(pieces) if p.kind is not Kind.BLANK]
        if len(filled) == width and filled[-1] - filled[0] == width - 1:
            offsets[filled[0]] += 1
    return offsets.most_common(1)[0][0] if offsets else None


def digit_tokens(pieces: Sequence[Piece]) -> list[str] | None:
    """The pieces as digit strings, if every non-blank piece is a plain whole number."""
    toks = [p.text.replace(" ", "") for p in pieces if p.kind is not Kind.BLANK]
    if toks and all(t.isdigit() for t in toks):
        return toks
    return None


# --- table 三 -------------------------------------------------------------------------


@dataclass(slots=True)
class TableResult:
    """Cells read from a table and the findings the reading produced."""

    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    recovered_fused: bool = False


def read_table3(
    text: str, start: int, end: int, layout: Layout, labels: list[Match] | None = None
) -> TableResult:
    """Table 三 between ``start`` and ``end`` of ``text`` (``labels``: already found there)."""
    if labels is None:
        labels = find_table3_labels(text, start, end)
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
    for key in TABLE3_ROW_KEYS:
        pieces = rows.get(key)
        cells = None if pieces is None else place(pieces, WIDTH3, offset)
        if cells is not None and sum(c.state is not CellState.BLANK for c in cells) == WIDTH3:
            candidates[key] = [tuple(c.value for c in cells)] if _all_ints(cells) else []
            _store_row(result, key, cells)
            continue
        toks = digit_tokens(pieces or []) if layout.splits else None
        too_many = False
        if toks is not None and cells is None:
            try:
                candidates[key] = fused.split_row(toks, shape)
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
    for col, cell in zip(TABLE3_COLUMN_KEYS, cells, strict=True):
        result.cells[table3_id(key, col)] = cell


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
    for i, m in enumerate(bounds[:-1]):
        nxt = bounds[i + 1]
        pieces = trim(layout.pieces(text[m.end : nxt.start]))
        span = TABLE3_ROW_KEYS[m.index : nxt.index]
        shared = _split_lost_labels(pieces, len(span)) if len(span) > 1 else None
        if shared is not None:
            rows.update(zip(span, shared, strict=True))
        else:
            rows[span[0]] = _drop_page_numbers(text[m.end : nxt.start], pieces, layout)
    return rows


def _split_lost_labels(pieces: Sequence[Piece], k: int) -> list[list[Piece]] | None:
    """The cells of ``k`` rows whose labels after the first were not recognised.

    Either the unrecognised labels still stand between the rows as text (an OCR misread
    “2.重复中请”), cutting the stretch into ``k`` runs of seven cells, or the stretch holds
    exactly 7×``k`` values and nothing else.
    """
    runs: list[list[Piece]] = [[]]
    for p in pieces:
        if p.kind is Kind.TEXT:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(p)
    runs = [trim(r) for r in runs if r]
    if len(runs) == k and all(len(r) == WIDTH3 for r in runs):
        return runs
    vals = [p for p in pieces if p.kind in (Kind.NUMBER, Kind.NOT_APPLICABLE)]
    if len(vals) == WIDTH3 * k and len(vals) == _nvalues(pieces):
        return [vals[i * WIDTH3 : (i + 1) * WIDTH3] for i in range(k)]
    return None


def _nvalues(pieces: Sequence[Piece]) -> int:
    return sum(p.kind is not Kind.BLANK for p in pieces)


def _drop_page_numbers(seg: str, pieces: list[Piece], layout: Layout) -> list[Piece]:
    """A lone number on a line of its own inside a row (a page number) is not a cell.

    “| 7 |” and “- 7 -” are page numbers wherever they stand; a bare “7” or “7 |” only
    when the row has more values than cells (in boshan-2024.txt every cell is a line).
    """
    if layout.name in ("fused", "lines"):
        return pieces
    loose = _nvalues(pieces) > WIDTH3
    page = _LOOSE_PAGE if loose else _PAGE
    lines = seg.split("\n")
    kept = "\n".join(ln for ln in lines if not page.fullmatch(ln))
    if len(kept) == len(seg):
        return pieces
    again = trim(layout.pieces(kept + ("\n" if seg.endswith("\n") else "")))
    return again if _nvalues(again) == WIDTH3 or not loose else pieces


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
    s = line.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") > 2:
        fields = s[1:-1].split("|")
    elif "\t" in s:
        fields = s.split("\t")
    else:
        fields = s.split()
    pieces = [classify(f) for f in fields]
    if not any(p.kind is Kind.NUMBER for p in pieces):
        return None
    if any(p.kind not in (Kind.NUMBER, Kind.BLANK) for p in pieces):
        return None
    while len(pieces) > WIDTH3 and pieces[0].kind is Kind.BLANK:
        pieces.pop(0)
    return pieces if len(pieces) == WIDTH3 else None


def _count_values(rows: dict[str, list[Piece] | None]) -> int:
    return sum(
        min(WIDTH3, sum(p.kind is Kind.NUMBER for p in pieces))
        for pieces in rows.values()
        if pieces
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


# --- table 二 -------------------------------------------------------------------------


def read_table2(text: str, start: int, end: int, layout: Layout) -> TableResult:
    """Table 二: 规章 and 行政规范性文件 (three cells each) and four single figures."""
    labels = find_table2_labels(text, start, end)
    result = TableResult()
    bounds = [*labels, Match(len(TABLE2_ROWS), end, end)]
    found = {m.index: (m, bounds[i + 1]) for i, m in enumerate(bounds[:-1])}
    for index, (key, width, _) in enumerate(TABLE2_ROWS):
        ids = _table2_ids(key, width)
        if index not in found:
            for cid in ids:
                result.cells[cid] = Cell.missing()
            continue
        m, nxt = found[index]
        pieces = trim(layout.pieces(text[m.end : nxt.start]))
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
    toks = digit_tokens(pieces) if splits else None
    if toks is not None and len(toks) < width:
        return _fused_cells(toks, fused.Shape((width,), sums=False), ids, result)
    if cells is None:
        return [Cell.missing() for _ in range(width)]
    return cells


def _fused_cells(
    toks: list[str], shape: fused.Shape, ids: Sequence[str], result: TableResult
) -> list[Cell]:
    """Cells of a run-together stretch: recovered when one reading fits, else ambiguous."""
    published = " ".join(toks)
    too_many = False
    try:
        readings = fused.split_row(toks, shape)
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


# --- table 四 -------------------------------------------------------------------------

_T4_HEADER = re.compile(
    r"维\s*持|纠\s*正|审\s*结|总\s*计|结\s*果|诉\s*讼|复\s*议|起\s*诉|列\s*\d+|Column\s*\d+", re.I
)


def read_table4(text: str, start: int, end: int, layout: Layout) -> TableResult:
    """Table 四: fifteen figures after the header words."""
    region = text[start:end]
    heads = list(_T4_HEADER.finditer(region))
    if not heads:
        return _missing(TABLE4_IDS)
    body = region[heads[-1].start() :]
    pieces = trim(layout.pieces(body + "\n"))
    width = len(TABLE4_IDS)
    result = TableResult()
    cells = place(pieces, width, 0)
    toks = digit_tokens(pieces) if layout.splits else None
    if toks is not None and len(toks) < width:
        cells = _fused_cells(toks, fused.Shape((5, 5, 5), sums=True), TABLE4_IDS, result)
    if cells is None:
        cells = [Cell.missing() for _ in TABLE4_IDS]
        result.findings.append(
            Finding(
                "PARSE_ROW_UNREADABLE",
                Severity.ERROR,
                TABLE4_IDS,
                f"表四应有 15 个数，读到 {_nvalues(pieces)} 个，各格按未知处理",
            )
        )
    result.cells.update(zip(TABLE4_IDS, cells, strict=True))
    return result


def _missing(ids: Sequence[str]) -> TableResult:
    return TableResult({cid: Cell.missing() for cid in ids})
