"""Reading tables 二, 三 and 四 of a PDF report from the ruled cells of its pages.

A published PDF draws its statutory tables (《中华人民共和国政府信息公开工作年度报告格式》,
国办公开办函〔2021〕30号, issued under 《中华人民共和国政府信息公开条例》第五十条) with ruled
cells. pdfplumber's ``find_tables()`` returns each ruled table as a grid: one string per
cell, ``""`` for a cell printed empty and ``None`` for a position covered by a merged cell
(the vertical row-group labels “三、本年度办理结果”, “（三）不予公开”…). Read this way a
row's cells keep their boundaries, so a blank stays blank and no number slides into the
next column — which the text layer cannot promise.

The grids are mapped to the schema by the fixed row and column order of the format:

- table 二: rows whose first cell is exactly a table-二 label (规章, 行政规范性文件, 行政许可…),
  their value cells in order;
- table 三: the grid holding its row labels, joined with the grids that continue it on
  the next pages (no header is repeated there); every row with seven value cells is a
  data row, placed by its label or, for an unreadable label, by its position between two
  placed rows; a row-group total printed instead of its items (“（六）其他处理” as one
  row) is recognised and its items are left unknown;
- table 四: the one row of fifteen figures under the 行政复议 / 行政诉讼 headers.

A position covered by a merged cell (``None``) is never taken as a value; a printed empty
value cell is :attr:`CellState.BLANK` (unknown, never 0). :func:`merge` then decides, table
by table, whether the structure or the text reading is kept (see there).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .checks import check_table3, check_table4
from .locate import TABLE2_ROWS, TooManyLabels, find_table3_labels
from .schema import (
    ALL_CELL_IDS,
    TABLE2_DOC_COLUMNS,
    TABLE2_IDS,
    TABLE3_COLUMN_KEYS,
    TABLE3_IDS,
    TABLE3_ROW_KEYS,
    TABLE4_IDS,
    Cell,
    CellState,
    Finding,
    Report,
    ReportFormat,
    Severity,
    table3_id,
)
from .tables import to_cell
from .tables.cells import GROUP_ONLY
from .text import classify, normalize

#: Grid = the rows of one ruled table, each a list of cell texts (None: merged position).
Row = list[str | None]

WIDTH3 = len(TABLE3_COLUMN_KEYS)
WIDTH4 = len(TABLE4_IDS)


@dataclass(slots=True)
class Grid:
    """One ruled table found on a page: its page number and rows."""

    page: int
    rows: list[Row]


@dataclass(slots=True)
class Structure:
    """What the grids say: cells read, findings, and which tables were found."""

    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    found: set[str] = field(default_factory=set)


# --- cell text ---------------------------------------------------------------------------


def _text(cell: str | None) -> str:
    return normalize(cell or "").strip()


def _compact(cell: str | None) -> str:
    return "".join(_text(cell).split())


def _value(cell: str | None) -> Cell | None:
    """The schema cell a value cell stands for; None when it cannot be taken as one.

    A merged position (None) is not a value. A number broken over two lines of its cell
    (“44⏎7”) may be one number or two rows run together: it is left to the text reading.
    """
    if cell is None:
        return None
    raw = normalize(cell).strip()
    if "\n" in raw and re.search(r"\d\s*\n\s*\d", raw):
        return None
    return to_cell(classify(raw))


def _is_value_row(cells: Sequence[Cell | None]) -> bool:
    """Every position a value and at least one of them a number (a header row is text)."""
    if any(c is None for c in cells):
        return False
    states = [c.state for c in cells if c is not None]
    return any(s in (CellState.NUMBER, CellState.RECOVERED) for s in states) and all(
        s is not CellState.TEXT for s in states
    )


# --- table 二 -----------------------------------------------------------------------------

_T2_KEYS = {key: i for i, (key, _, _) in enumerate(TABLE2_ROWS)}
_ORDINAL = r"(?:[0-9一二三四五六七八九十]{1,2}[.、．]|\([一二三四五六七八九十0-9]{1,2}\))?"
_T2_LABELS: tuple[tuple[str, int, re.Pattern[str]], ...] = tuple(
    (key, width, re.compile(_ORDINAL + "(?:" + "|".join(map(re.escape, words)) + ")"))
    for key, width, words in TABLE2_ROWS
)


def _table2_ids(key: str) -> tuple[str, ...]:
    if key in ("rules", "normative"):
        return tuple(f"table2.{key}.{c}" for c, _ in TABLE2_DOC_COLUMNS)
    return (f"table2.{key}",)


def read_table2(grids: Iterable[Grid], out: Structure) -> None:
    """Rows whose first cell is exactly a table-二 label; its values the cells after it."""
    for grid in grids:
        for row in grid.rows:
            filled = [c for c in row if c is not None]
            if len(filled) < 2:
                continue
            label = _compact(filled[0])
            entry = next(((k, w) for k, w, p in _T2_LABELS if p.fullmatch(label)), None)
            if entry is None:
                continue
            key, width = entry
            ids = _table2_ids(key)
            if ids[0] in out.cells:
                continue  # the first reading of a row counts
            values = [_value(c) for c in filled[1:]]
            extra = [c for c in values[width:] if c is None or c.state is not CellState.BLANK]
            cells = values[:width]
            if len(cells) < width or extra or not _is_value_row(cells):
                continue
            for cid, cell in zip(ids, cells, strict=True):
                out.cells[cid] = cell  # type: ignore[assignment]
            out.found.add("table2")


# --- table 三 -----------------------------------------------------------------------------

_T3_HEADER = re.compile(r"自然人|商业企业|科研机构|申请人情况")
_T4_HEADER = re.compile(r"行政复议|行政诉讼|复议后起诉|直接起诉")
_GROUP_TOTAL = re.compile(r"其他处理|不予公开|无法提供|不予处理")
_GROUPS = {
    "其他处理": ("other_1", "other_2", "other_3"),
    "不予公开": tuple(f"denied_{i}" for i in range(1, 9)),
    "无法提供": ("unable_1", "unable_2", "unable_3"),
    "不予处理": tuple(f"not_processed_{i}" for i in range(1, 6)),
}


@dataclass(slots=True)
class _DataRow:
    label: str  # the row's own label (its last label cell), normalised
    cells: list[Cell]
    index: int | None = None  # row of TABLE3_ROW_KEYS


def _grid_text(grid: Grid) -> str:
    return "".join(_compact(c) for row in grid.rows for c in row if c)


def _value_columns(grid: Grid, width: int) -> int | None:
    """First value column: the header 自然人, else the last ``width`` columns of the grid."""
    columns = max((len(r) for r in grid.rows), default=0)
    for row in grid.rows[:6]:
        for i, cell in enumerate(row):
            if _compact(cell) == "自然人" and i + width <= columns:
                return i
    return columns - width if columns > width else None


def _data_rows(grid: Grid, first: int) -> list[_DataRow]:
    rows = []
    for row in grid.rows:
        if len(row) < first + WIDTH3:
            continue
        cells = [_value(c) for c in row[first : first + WIDTH3]]
        if not _is_value_row(cells):
            continue
        # the row's own label: its last label cell printed with text (the item column,
        # or the group column when the item column is empty: “（七）总计”, “（六）其他处理”)
        labels = [t for c in row[:first] if (t := _text(c))]
        rows.append(_DataRow(labels[-1] if labels else "", cells))  # type: ignore[arg-type]
    return rows


def _label_index(label: str) -> int | None:
    """The table-三 row a label names (the last row keyword in it), or None."""
    if not label:
        return None
    try:
        found = find_table3_labels(label)
    except TooManyLabels:
        return None
    return found[-1].index if found else None


def _table3_grids(grids: Sequence[Grid]) -> list[Grid]:
    """The grid that holds table 三's header or first rows and the grids continuing it."""
    start = None
    for i, grid in enumerate(grids):
        text = _grid_text(grid)
        if _T3_HEADER.search(text) and ("本年新收" in text or "上年结转" in text):
            start = i
            break
    if start is None:
        return []
    joined = [grids[start]]
    for grid in grids[start + 1 :]:
        text = _grid_text(grid)
        if grid.page != joined[-1].page + 1 or (_T4_HEADER.search(text) and "结转下年" not in text):
            break
        first = _value_columns(grid, WIDTH3)
        if first is None or not _data_rows(grid, first):
            break
        joined.append(grid)
        if "结转下年" in text:
            break
    return joined


def read_table3(grids: Sequence[Grid], out: Structure) -> None:
    """Table 三 from its grid and the grids continuing it on the next pages."""
    parts = _table3_grids(grids)
    if not parts:
        return
    head = _value_columns(parts[0], WIDTH3)
    if head is None:
        return
    rows: list[_DataRow] = []
    for n, grid in enumerate(parts):
        first = head if n == 0 else _value_columns(grid, WIDTH3)
        if first is not None:
            rows.extend(_data_rows(grid, first))
    if not rows:
        return
    out.found.add("table3")
    _place_rows(rows, out)


def _group_total(row: _DataRow) -> str | None:
    """The group a row totals when it stands instead of the group's items, else None."""
    group = _GROUP_TOTAL.search(row.label)
    if group is None or row.index is not None or _label_index(row.label) is not None:
        return None
    return group.group(0)


def _place_rows(rows: list[_DataRow], out: Structure) -> None:
    """Rows placed by their labels in rising order; unlabelled rows by their position."""
    last = -1
    for row in rows:
        index = _label_index(row.label)
        if index is not None and index > last:
            row.index, last = index, index
    # a row between two placed rows whose gap it fills exactly (e.g. a label with a typo)
    placed = [i for i, r in enumerate(rows) if r.index is not None]
    bounds = [(-1, -1), *[(i, rows[i].index) for i in placed], (len(rows), len(TABLE3_ROW_KEYS))]
    for (a, ia), (b, ib) in itertools.pairwise(bounds):
        between = rows[a + 1 : b]
        if between and not any(_group_total(r) for r in between) and ib - ia - 1 == len(between):
            for k, row in enumerate(between, start=ia + 1):
                row.index = k
    for row in rows:
        if row.index is not None:
            key = TABLE3_ROW_KEYS[row.index]
            for col, cell in zip(TABLE3_COLUMN_KEYS, row.cells, strict=True):
                out.cells[table3_id(key, col)] = cell
        elif group := _group_total(row):
            items = _GROUPS[group]
            if any(table3_id(k, "total") in out.cells for k in items):
                continue
            printed = " ".join(c.published or "" for c in row.cells)
            out.findings.append(
                Finding(
                    GROUP_ONLY,
                    Severity.INFO,
                    tuple(table3_id(k, c) for k in items for c in TABLE3_COLUMN_KEYS),
                    f"表三“（{'六三四五'[list(_GROUPS).index(group)]}）"
                    f"{group}”只填报了合计一行（{printed}），未分列第 1—{len(items)} 项，"
                    "各项按未知处理（不计为0）",
                )
            )


# --- table 四 -----------------------------------------------------------------------------


def is_table4(grid: Grid) -> bool:
    """Whether a grid holds the headers of table 四 (行政复议 and 行政诉讼)."""
    text = _grid_text(grid)
    return "行政复议" in text and "行政诉讼" in text


def read_table4(grids: Sequence[Grid], out: Structure) -> None:
    """The row of fifteen figures under the 行政复议 / 行政诉讼 headers."""
    for i, grid in enumerate(grids):
        if not is_table4(grid):
            continue
        candidates = [grid]
        if i + 1 < len(grids) and grids[i + 1].page == grid.page + 1:
            candidates.append(grids[i + 1])  # the figures may stand on the next page
        for part in candidates:
            for row in part.rows:
                filled = [c for c in row if c is not None]
                cells = [_value(c) for c in filled]
                while cells and cells[0] is not None and cells[0].state is CellState.TEXT:
                    cells = cells[1:]  # a row label before the figures
                if len(cells) == WIDTH4 and _is_value_row(cells):
                    out.cells.update(zip(TABLE4_IDS, cells, strict=True))  # type: ignore[arg-type]
                    out.found.add("table4")
                    return
        return


def read_structure(grids: Sequence[Grid]) -> Structure:
    """Tables 二, 三 and 四 as far as the ruled grids show them."""
    out = Structure()
    read_table2(grids, out)
    read_table3(grids, out)
    read_table4(grids, out)
    return out


# --- choosing between the structure and the text reading ---------------------------------

_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("table2", TABLE2_IDS),
    ("table3", TABLE3_IDS),
    ("table4", TABLE4_IDS),
)


def _violations(cells: dict[str, Cell], table: str) -> set[str]:
    """Cells that take part in a broken identity (勾稽关系) of the table."""
    probe = Report(ReportFormat.F2021, cells=cells)
    if table == "table3":
        found = check_table3(probe)
    elif table == "table4":
        found = check_table4(probe)
    else:
        return set()
    return {cid for f in found for cid in f.cells}


def _probe(cells: dict[str, Cell]) -> dict[str, Cell]:
    return {cid: cells.get(cid) or Cell.missing() for cid in ALL_CELL_IDS}


def _sound(cells: dict[str, Cell], ids: Sequence[str], bad: set[str]) -> int:
    """Cells read (a number, or printed blank or “/”) that take part in no broken identity."""
    unread = (CellState.MISSING, CellState.AMBIGUOUS)
    return sum(cid not in bad and cells.get(cid, Cell.missing()).state not in unread for cid in ids)


def merge(report: Report, structure: Structure) -> list[str]:
    """Keep, table by table, the better of the structure and the text reading.

    The structure comes first where it read the table: its cell boundaries are the printed
    ones. A cell it could not place is taken from the text reading only if that breaks no
    identity (勾稽关系) the structure's cells keep: a number that breaks one is never brought
    in. The result is then compared with the text reading by the cells each gives that
    take part in no broken identity (a printed blank counts as read: it is what the cell
    holds); the text reading is kept when it gives more (the grid was mis-read). Returns
    the tables taken from the structure.
    """
    used = []
    for table, ids in _TABLES:
        if table not in structure.found:
            continue
        text_cells = {cid: report.cell(cid) for cid in ids}
        ruled = {cid: structure.cells[cid] for cid in ids if cid in structure.cells}
        bad_ruled = _violations(_probe(ruled), table)
        merged = dict(ruled)
        for cid in ids:
            if cid in merged or text_cells[cid].state is CellState.MISSING:
                continue
            if _violations(_probe({**merged, cid: text_cells[cid]}), table) <= bad_ruled:
                merged[cid] = text_cells[cid]
        bad_merged = _violations(_probe(merged), table)
        bad_text = _violations(_probe(text_cells), table)
        if _sound(merged, ids, bad_merged) < _sound(text_cells, ids, bad_text):
            continue
        for cid in ids:
            report.cells[cid] = merged.get(cid) or Cell.missing()
        own = [
            f
            for f in structure.findings
            if f.cells and set(f.cells) <= set(ids) and not set(f.cells) & set(merged)
        ]
        replaced = set(ruled).union(*(f.cells for f in own))
        report.findings = [f for f in report.findings if not (f.cells and set(f.cells) <= replaced)]
        report.findings.extend(own)
        used.append(table)
    return used
