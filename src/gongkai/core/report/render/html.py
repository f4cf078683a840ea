"""An annual report as HTML, its tables in the statutory layout with merged header cells.

The tables follow the template of 《中华人民共和国政府信息公开工作年度报告格式》
(国办公开办函〔2021〕30号): table 二 in four blocks, table 三 under its corner cell with
the applicant columns and grouped outcome rows, table 四 with its three-row header. Header
cells are ``<th>`` with a ``scope``; each data cell carries its schema id in ``data-cell``.
"""

from __future__ import annotations

from html import escape

from ..schema import PARTS, Report
from .grid import PART_TABLES, Grid, GridCell, GridRow, RowKind, grids, report_title

STYLE = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC",SimSun,serif;line-height:1.7;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{text-align:center;font-size:1.5rem}
h2{font-size:1.2rem;margin-top:2rem}
p{text-indent:2em}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
caption{font-weight:bold;padding:.5rem}
th,td{border:1px solid #555;padding:.25rem .5rem}
th{font-weight:normal;background:#f4f4f4}
td{text-align:right;font-variant-numeric:tabular-nums}
""".strip()


def _attrs(cell: GridCell) -> str:
    attrs = []
    if cell.scope:
        attrs.append(f' scope="{cell.scope}"')
    if cell.rowspan > 1:
        attrs.append(f' rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f' colspan="{cell.colspan}"')
    if cell.cell_id:
        attrs.append(f' data-cell="{escape(cell.cell_id)}"')
    return "".join(attrs)


def _cell(cell: GridCell) -> str:
    tag = "th" if cell.header else "td"
    return f"<{tag}{_attrs(cell)}>{escape(cell.text)}</{tag}>"


def _row(row: GridRow) -> str:
    return "<tr>" + "".join(_cell(cell) for cell in row.cells) + "</tr>"


def _sections(grid: Grid) -> list[tuple[str, list[GridRow]]]:
    """Leading header rows form the ``thead``; each block title opens a new ``tbody``."""
    sections: list[tuple[str, list[GridRow]]] = []
    for row in grid.rows:
        leading = all(tag == "thead" for tag, _ in sections)
        tag = "thead" if row.kind is RowKind.HEAD and leading else "tbody"
        if not sections or sections[-1][0] != tag or row.kind is RowKind.TITLE:
            sections.append((tag, []))
        sections[-1][1].append(row)
    return sections


def render_table_html(grid: Grid) -> str:
    """One table: caption, header and body sections, merged cells as in the template."""
    out = [f'<table class="gk-{grid.name}">', f"<caption>{escape(grid.caption)}</caption>"]
    for tag, rows in _sections(grid):
        out.append(f"<{tag}>")
        out.extend(_row(row) for row in rows)
        out.append(f"</{tag}>")
    out.append("</table>")
    return "\n".join(out)


def render_tables_html(report: Report) -> str:
    """Tables 二, 三 and 四 as HTML fragments, one after the other."""
    return "\n".join(render_table_html(grid) for grid in grids(report))


def _part(report: Report, key: str, label: str) -> list[str]:
    out = [f"<section>\n<h2>{escape(label)}</h2>"]
    text = report.narrative.get(key, "")
    out.extend(f"<p>{escape(p.strip())}</p>" for p in text.split("\n") if p.strip())
    if key in PART_TABLES:
        out.append(render_table_html(PART_TABLES[key](report)))
    out.append("</section>")
    return out


def render_report_html(report: Report) -> str:
    """A whole HTML document: the title, the six parts with their narrative and tables."""
    title = escape(report_title(report))
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{title}</h1>",
    ]
    for key, label in PARTS:
        out.extend(_part(report, key, label))
    out.extend(["</main>", "</body>", "</html>"])
    return "\n".join(out) + "\n"
