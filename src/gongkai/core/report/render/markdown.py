"""An annual report as GitHub-flavoured markdown: headings, paragraphs and pipe tables.

A pipe table has a single header line, so the merged headers of the statutory tables
(国办公开办函〔2021〕30号) are flattened into paths joined by “·” (“法人或其他组织·商业企业”,
“行政诉讼·未经复议直接起诉·结果维持”), and so are table 三's grouped row labels
(“三、本年度办理结果·（三）不予公开·1.属于国家秘密”). Table 二 prints as one small table per
block of 条例第二十条, each under its block title in bold.
"""

from __future__ import annotations

from ..schema import PARTS, Report
from .grid import PART_TABLES, Grid, RowKind, grids, report_title

PATH_SEP = "·"


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("|", r"\|")


def gfm_table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table: one header line, the ``|---|`` line, one line per row."""
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(map(_escape, line)) + " |" for line in lines)


def _blocks(grid: Grid) -> str:
    """Table 二: each block title in bold, then its own table."""
    out: list[str] = []
    header: list[str] = []
    rows: list[list[str]] = []
    for row in [*grid.rows, None]:
        if (row is None or row.kind is RowKind.TITLE) and header:
            out.append(gfm_table(header, rows))
        if row is None:
            break
        if row.kind is RowKind.TITLE:
            out.append(f"**{_escape(row.labels[0])}**")
            header, rows = [], []
        elif row.kind is RowKind.HEAD:
            header = [cell.text for cell in row.cells]
        else:
            rows.append([cell.text for cell in row.cells])
    return "\n\n".join(out)


def _flat(grid: Grid) -> str:
    """Tables 三 and 四: flattened header paths, label paths, values."""
    heads = grid.column_headers()
    columns = heads[grid.label_columns :]
    shared = 0  # a header over every value column (“申请人情况”) says nothing: dropped
    while all(len(h) > shared + 1 and h[shared] == columns[0][shared] for h in columns):
        shared += 1
    label_head = [PATH_SEP.join(heads[0])] if grid.label_columns else []
    header = label_head + [PATH_SEP.join(h[shared:]) for h in columns]
    rows = [
        ([PATH_SEP.join(path)] if grid.label_columns else []) + values
        for path, values in grid.flat_rows()
    ]
    return gfm_table(header, rows)


def render_table_markdown(grid: Grid) -> str:
    """One table under its bold caption."""
    body = _blocks(grid) if grid.name == "table2" else _flat(grid)
    return f"**{grid.caption}**\n\n{body}"


def render_tables_markdown(report: Report) -> str:
    """Tables 二, 三 and 四 as markdown, separated by empty lines."""
    return "\n\n".join(render_table_markdown(grid) for grid in grids(report)) + "\n"


def render_report_markdown(report: Report) -> str:
    """The whole report: “# title”, “## 一、总体情况” … with paragraphs and tables."""
    out = [f"# {report_title(report)}"]
    for key, label in PARTS:
        out.append(f"## {label}")
        out.extend(p.strip() for p in report.narrative.get(key, "").split("\n") if p.strip())
        if key in PART_TABLES:
            out.append(render_table_markdown(PART_TABLES[key](report)))
    return "\n\n".join(out) + "\n"
