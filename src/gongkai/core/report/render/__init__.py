"""Rendering annual reports: HTML and markdown for people, text layouts for fixtures.

:mod:`.html` and :mod:`.markdown` print a report with its tables in the statutory layout
(国办公开办函〔2021〕30号); :mod:`.layouts` writes whole documents in the text shapes real
publishers produce, so that tests and benchmarks can feed the parser realistic input.
"""

from __future__ import annotations

from .grid import Grid, GridCell, GridRow, RowKind, cell_text, grids, report_title
from .html import render_report_html, render_table_html, render_tables_html
from .layouts import (
    LAYOUTS,
    render_fused,
    render_lines,
    render_markdown_detached,
    render_ocr,
    render_pipe,
    render_space,
    render_tab,
)
from .markdown import render_report_markdown, render_table_markdown, render_tables_markdown

__all__ = [
    "LAYOUTS",
    "Grid",
    "GridCell",
    "GridRow",
    "RowKind",
    "cell_text",
    "grids",
    "render_fused",
    "render_lines",
    "render_markdown_detached",
    "render_ocr",
    "render_pipe",
    "render_report_html",
    "render_report_markdown",
    "render_space",
    "render_tab",
    "render_table_html",
    "render_table_markdown",
    "render_tables_html",
    "render_tables_markdown",
    "report_title",
]
