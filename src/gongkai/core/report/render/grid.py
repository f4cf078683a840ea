"""The three statutory tables as grids of merged cells, shared by every renderer.

The 2021 format (国办公开办函〔2021〕30号) fixes how each table's cells are merged: table 二
is four blocks, one per item of 条例第二十条; table 三 has a three-row header under the
corner cell stating its own identity and a three-column label area whose group labels span
their rows; table 四 has a three-row header over one row of fifteen numbers. Each builder
here returns a :class:`Grid` whose rows hold only the cells that start on them, with their
row and column spans, as in HTML. The HTML renderer prints the spans; the text layouts
print the cells in reading order or :meth:`Grid.expand` them into positions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..schema import (
    PARTS,
    TABLE2_DOC_COLUMNS,
    TABLE2_DOC_ROWS,
    TABLE2_SINGLE_ROWS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_IDS,
    Cell,
    Report,
    table3_id,
)

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
ORGANISATIONS = "法人或其他组织"
OUTCOMES = "三、本年度办理结果"
CONTENT = "信息内容"
TITLE_SUFFIX = "年政府信息公开工作年度报告"

#: Table 二: block title and the rows it holds (keys of ``schema.TABLE2_*``).
TABLE2_BLOCKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("第二十条第（一）项", ("rules", "normative")),
    ("第二十条第（五）项", ("licensing",)),
    ("第二十条第（六）项", ("punishment", "enforcement")),
    ("第二十条第（八）项", ("fees_wan_yuan",)),
)


class RowKind(StrEnum):
    """What a grid row is: a block title (table 二), a header row, or a row of data."""

    TITLE = "title"
    HEAD = "head"
    BODY = "body"


@dataclass(frozen=True, slots=True)
class GridCell:
    """One printed cell: its text, spans, and whether it is a header (label) cell."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    scope: str | None = None  # HTML scope of a header cell
    cell_id: str | None = None  # the schema id of a data cell
    breaks_at: int = 0  # where publishers break this header word across lines (0: never)


@dataclass(frozen=True, slots=True)
class GridRow:
    kind: RowKind
    cells: tuple[GridCell, ...]

    @property
    def labels(self) -> list[str]:
        return [c.text for c in self.cells if c.header]

    @property
    def values(self) -> list[str]:
        return [c.text for c in self.cells if not c.header]


@dataclass(frozen=True, slots=True)
class Grid:
    """A table: its name (“table3”), caption, width in columns, label columns and rows."""

    name: str
    caption: str
    width: int
    label_columns: int
    rows: tuple[GridRow, ...]

    def expand(self, *, fill: bool = False) -> list[list[GridCell | None]]:
        """The cells by position; a position covered by a span is None, or the spanning
        cell again when ``fill``."""
        grid: list[list[GridCell | None]] = [[None] * self.width for _ in self.rows]
        taken = [[False] * self.width for _ in self.rows]
        for top, row in enumerate(self.rows):
            left = 0
            for cell in row.cells:
                while taken[top][left]:
                    left += 1
                for down in range(cell.rowspan):
                    for across in range(cell.colspan):
                        taken[top + down][left + across] = True
                        if fill or (down == across == 0):
                            grid[top + down][left + across] = cell
                left += cell.colspan
        return grid

    def column_headers(self) -> list[list[str]]:
        """For each column, the distinct header texts above it, top down."""
        heads = [
            row
            for row, g in zip(self.expand(fill=True), self.rows, strict=True)
            if g.kind is RowKind.HEAD
        ]
        return [_distinct(row[c] for row in heads) for c in range(self.width)]

    def flat_rows(self) -> list[tuple[list[str], list[str]]]:
        """Body rows as (label path, value texts); spanned labels repeated in the path."""
        out = []
        for cells, row in zip(self.expand(fill=True), self.rows, strict=True):
            if row.kind is RowKind.BODY:
                out.append((_distinct(cells[: self.label_columns]), row.values))
        return out


def _distinct(cells: Iterable[GridCell | None]) -> list[str]:
    seen: list[str] = []
    for cell in cells:
        if cell is not None and cell.text not in seen:
            seen.append(cell.text)
    return seen


# --- text of a cell, a title ------------------------------------------------------------


def cell_text(cell: Cell) -> str:
    """What a cell prints: its published text, else its value, else nothing."""
    if cell.published is not None:
        return cell.published
    return "" if cell.value is None else str(cell.value)


def report_title(report: Report) -> str:
    """“{agency}{year}年政府信息公开工作年度报告”, with what is known of the two."""
    year = "" if report.year is None else str(report.year)
    return f"{report.agency or ''}{year}{TITLE_SUFFIX}" if year else "政府信息公开工作年度报告"


def _th(text: str, scope: str, colspan: int = 1, rowspan: int = 1, breaks: int = 0) -> GridCell:
    return GridCell(text, colspan, rowspan, header=True, scope=scope, breaks_at=breaks)


def _td(report: Report, cell_id: str, colspan: int = 1) -> GridCell:
    return GridCell(cell_text(report.cell(cell_id)), colspan, cell_id=cell_id)


def _caption(part: str) -> str:
    return dict(PARTS)[part].split("、", 1)[1]


# --- table 二 ----------------------------------------------------------------------------


def table2_grid(report: Report) -> Grid:
    """Table 二: four blocks, each a title row, a “信息内容” header row and its rows."""
    rows: list[GridRow] = []
    single = {key: (label, column) for key, label, column in TABLE2_SINGLE_ROWS}
    for title, keys in TABLE2_BLOCKS:
        rows.append(GridRow(RowKind.TITLE, (_th(title, "colgroup", colspan=4),)))
        if keys[0] in single:
            head = (_th(CONTENT, "col"), _th(single[keys[0]][1], "col", colspan=3))
            body = [(single[k][0], (_td(report, f"table2.{k}", colspan=3),)) for k in keys]
        else:
            head = (_th(CONTENT, "col"), *(_th(label, "col") for _, label in TABLE2_DOC_COLUMNS))
            names = dict(TABLE2_DOC_ROWS)
            body = [
                (names[k], tuple(_td(report, f"table2.{k}.{c}") for c, _ in TABLE2_DOC_COLUMNS))
                for k in keys
            ]
        rows.append(GridRow(RowKind.HEAD, head))
        rows.extend(GridRow(RowKind.BODY, (_th(label, "row"), *tds)) for label, tds in body)
    return Grid("table2", _caption("proactive"), 4, 1, tuple(rows))


# --- table 三 ----------------------------------------------------------------------------


def _path(group: str, label: str) -> tuple[str, ...]:
    if not group:
        return (label,)
    return (group, label) if group == OUTCOMES else (OUTCOMES, group, label)


def _table3_head() -> tuple[GridRow, ...]:
    orgs = [label for _, label in TABLE3_COLUMNS[1:6]]
    return (
        GridRow(
            RowKind.HEAD,
            (
                _th(CORNER, "col", colspan=3, rowspan=3, breaks=CORNER.index("，") + 1),
                _th(APPLICANTS, "colgroup", colspan=7),
            ),
        ),
        GridRow(
            RowKind.HEAD,
            (
                _th(TABLE3_COLUMNS[0][1], "col", rowspan=2),
                _th(ORGANISATIONS, "colgroup", colspan=5),
                _th(TABLE3_COLUMNS[6][1], "col", rowspan=2),
            ),
        ),
        GridRow(RowKind.HEAD, tuple(_th(label, "col") for label in orgs)),
    )


def _table3_labels(paths: list[tuple[str, ...]], i: int) -> list[GridCell]:
    """The label cells that start on row ``i``: those not shared with the row above."""
    path = paths[i]
    shared = 0
    if i:
        while shared < min(len(path), len(paths[i - 1])) and path[shared] == paths[i - 1][shared]:
            shared += 1
    cells = []
    for depth in range(shared, len(path)):
        span = 1
        while i + span < len(paths) and paths[i + span][: depth + 1] == path[: depth + 1]:
            span += 1
        last = depth == len(path) - 1
        colspan = 3 - depth if last else 1
        cells.append(_th(path[depth], "row" if last else "rowgroup", colspan, span))
    return cells


def table3_grid(report: Report) -> Grid:
    """Table 三: the merged header and 25 rows of seven numbers."""
    paths = [_path(group, label) for _, group, label in TABLE3_ROWS]
    body = []
    for i, (key, _, _) in enumerate(TABLE3_ROWS):
        values = (_td(report, table3_id(key, col)) for col, _ in TABLE3_COLUMNS)
        body.append(GridRow(RowKind.BODY, (*_table3_labels(paths, i), *values)))
    return Grid("table3", _caption("applications"), 10, 3, (*_table3_head(), *body))


# --- table 四 ----------------------------------------------------------------------------


def table4_grid(report: Report) -> Grid:
    """Table 四: 行政复议 and 行政诉讼 (direct / after reconsideration), five results each."""
    groups = [label.split("·") for _, label in TABLE4_GROUPS]
    results = [label for _, label in TABLE4_COLUMNS]

    def result(label: str, rowspan: int = 1) -> GridCell:
        return _th(label, "col", rowspan=rowspan, breaks=2 if len(label) == 4 else 0)

    rows = (
        GridRow(
            RowKind.HEAD, (_th(groups[0][0], "colgroup", 5), _th(groups[1][0], "colgroup", 10))
        ),
        GridRow(
            RowKind.HEAD,
            (
                *(result(label, rowspan=2) for label in results),
                *(_th(g[1], "colgroup", 5) for g in groups[1:]),
            ),
        ),
        GridRow(RowKind.HEAD, tuple(result(label) for _ in groups[1:] for label in results)),
        GridRow(RowKind.BODY, tuple(_td(report, cid) for cid in TABLE4_IDS)),
    )
    return Grid("table4", _caption("remedies"), 15, 0, rows)


#: The table printed in each part that has one.
PART_TABLES: dict[str, Callable[[Report], Grid]] = {
    "proactive": table2_grid,
    "applications": table3_grid,
    "remedies": table4_grid,
}


def grids(report: Report) -> list[Grid]:
    """The three tables in publication order."""
    return [build(report) for build in PART_TABLES.values()]
