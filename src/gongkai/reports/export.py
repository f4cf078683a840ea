"""The annual report as a .docx and an .xlsx, and table 二 imported from a spreadsheet.

The three statutory tables keep the merged-cell layout of 《中华人民共和国政府信息公开工作
年度报告格式》(国办公开办函〔2021〕30号) exactly as :mod:`gongkai.core.report.render.grid`
builds it, in Word (``cell.merge``) and in Excel (merged ranges). The .docx is laid out like
the platform's letters after GB/T 9704-2012 (A4, 3号仿宋 body at 28.95 pt a line, 2号小标宋
title, page number in the footer); its tables are set in 五号宋体.

An office fills in table 二 (主动公开政府信息情况, 条例第二十条) by hand: :func:`table2_from_xlsx`
reads it back from the workbook :func:`report_xlsx` writes or from a plain sheet of label
rows, and never turns an empty cell into 0.

Pure: no Django.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as XlsxWorkbook
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.core.docx_writer import (
    SONG,
    TITLE_PT,
    XIAOBIAOSONG,
    add_para,
    clean_text,
    format_date,
    page_setup,
    style_run,
)
from gongkai.core.report.render.grid import (
    PART_TABLES,
    Grid,
    GridCell,
    RowKind,
    cell_text,
    grids,
    report_title,
)
from gongkai.core.report.schema import (
    DECIMAL_CELLS,
    PARTS,
    SCHEMA_ID,
    TABLE2_DOC_COLUMNS,
    TABLE2_DOC_ROWS,
    TABLE2_IDS,
    TABLE2_SINGLE_ROWS,
    Cell,
    CellState,
    Number,
    Report,
    cell_label,
)
from gongkai.core.report.text import Kind, classify

HEITI = "黑体"  # 一级标题
TABLE_PT = 10.5  # 五号
#: Sheet names of the three tables, by grid name.
SHEETS = {"table2": "表二", "table3": "表三", "table4": "表四"}
NOTES_SHEET = "说明"
TEMPLATE = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
#: Column widths in the .docx (mm, 156 mm 版心 in all) and in the .xlsx (characters).
DOCX_WIDTHS = {
    "table2": (42.0, 38.0, 38.0, 38.0),
    "table3": (10.0, 14.0, 48.0, *(12.0,) * 7),
    "table4": (10.4,) * 15,
}
XLSX_WIDTHS = {
    "table2": (18, 16, 16, 16),
    "table3": (7, 9, 40, *(10,) * 7),
    "table4": (9,) * 15,
}
CELL_MARGIN_TWIPS = 57  # 1 mm left and right inside a table cell, so that 5 digits fit


# --- .docx -------------------------------------------------------------------------------


def report_docx(report: Report, *, issuer: str | None = None, dated: date | None = None) -> bytes:
    """The whole annual report as the bytes of a .docx file.

    The title, then the six parts (国办公开办函〔2021〕30号): each a 黑体 heading, its
    narrative one paragraph a line, and after parts 二, 三 and 四 their statutory table with
    the template's merged cells. ``issuer`` and ``dated`` make the signature block (落款、
    成文日期) at the end; either may be left out.
    """
    doc = Document()
    page_setup(doc)
    title = report_title(report)
    add_para(doc, title, size=TITLE_PT, east_asia=XIAOBIAOSONG, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_para(doc)
    for key, label in PARTS:
        add_para(doc, label, east_asia=HEITI, indent_chars=2)
        for text in report.narrative.get(key, "").split("\n"):
            if text.strip():
                add_para(doc, text.strip(), indent_chars=2)
        if key in PART_TABLES:
            docx_table(doc, PART_TABLES[key](report))
            add_para(doc)
    _signature(doc, issuer, dated)
    _properties(doc, title, issuer or report.agency or "", dated)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_table(doc: DocxDocument, grid: Grid) -> Table:
    """One statutory table as a Word table: 'Table Grid' borders, the grid's merged cells,
    header cells bold, numbers right-aligned, 五号宋体, fixed column widths."""
    table = doc.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    widths = [Mm(w) for w in DOCX_WIDTHS[grid.name]]
    for i, width in enumerate(widths):
        table.columns[i].width = width
    at = [list(row.cells) for row in table.rows]  # once: table.cell() rescans the table
    for row in at:
        for cell, width in zip(row, widths, strict=True):
            cell.width = width
    for r, specs in enumerate(grid.expand()):
        for c, spec in enumerate(specs):
            if spec is None:
                continue
            cell = at[r][c]
            if spec.rowspan > 1 or spec.colspan > 1:  # spans never overlap: `at` stays valid
                cell = cell.merge(at[r + spec.rowspan - 1][c + spec.colspan - 1])
            _fill(cell, spec)
    _repeat_header(table, grid)
    return table


def _fill(cell: _Cell, spec: GridCell) -> None:
    """Write one grid cell: labels bold (row labels flush left, others centred), values
    flush right; single line spacing off the document grid so that rows stay compact."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    if not spec.header:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif spec.scope != "row":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(0)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().insert_element_before(snap, "w:spacing", "w:ind", "w:jc", "w:rPr")
    text = clean_text(spec.text)
    if text:
        run = p.add_run(text)
        style_run(run, TABLE_PT, SONG)
        run.bold = spec.header or None


def _cell_margins(table: Table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblPrChange")


def _repeat_header(table: Table, grid: Grid) -> None:
    """The leading header rows repeat at the top of every page the table runs onto."""
    for row, spec in zip(table.rows, grid.rows, strict=True):
        if spec.kind is not RowKind.HEAD:
            break
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _signature(doc: DocxDocument, issuer: str | None, dated: date | None) -> None:
    """落款 and 成文日期, four characters from the right edge, as in the letters."""
    lines = [text for text in (issuer, dated and format_date(dated)) if text]
    if lines:
        add_para(doc)
    for text in lines:
        add_para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)


def _properties(doc: DocxDocument, title: str, author: str, dated: date | None) -> None:
    props = doc.core_properties
    props.title, props.author = clean_text(title), clean_text(author)
    props.last_modified_by, props.comments, props.language = clean_text(author), "", "zh-CN"
    when = datetime.combine(dated, time(), UTC) if dated else datetime.now(UTC)
    props.created = props.modified = when


# --- .xlsx -------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LABEL = Alignment(horizontal="left", vertical="center", wrap_text=True)
_VALUE = Alignment(horizontal="right", vertical="center")


def report_xlsx(report: Report) -> bytes:
    """The three tables as a workbook: sheets 表二, 表三 and 表四 laid out and merged as in
    the template (国办公开办函〔2021〕30号) under a caption row, and a sheet 说明.

    Numbers are numeric cells (the fee a Decimal, written as a number); a blank or unknown
    cell stays empty, never 0; “/” and other published text are kept as text.
    """
    book = Workbook()
    book.remove(book.active)
    for grid in grids(report):
        grid_sheet(book, grid, report)
    _notes_sheet(book, report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def grid_sheet(book: XlsxWorkbook, grid: Grid, report: Report) -> Worksheet:
    """One table as a sheet: the caption in row 1, the grid from row 2 with its spans."""
    ws = book.create_sheet(SHEETS[grid.name])
    _put(ws, 1, 1, grid.caption).font = Font(bold=True, size=12)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.width)
    for r, cells in enumerate(grid.expand(), start=2):
        for c, spec in enumerate(cells, start=1):
            if spec is not None:
                _grid_cell(ws, r, c, spec, report)
    for i, width in enumerate(XLSX_WIDTHS[grid.name], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    lead = next(i for i, row in enumerate(grid.rows) if row.kind is not RowKind.HEAD)
    if lead:
        ws.freeze_panes = ws.cell(lead + 2, grid.label_columns + 1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.width > 4 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    return ws


def _grid_cell(ws: Worksheet, r: int, c: int, spec: GridCell, report: Report) -> None:
    """One grid cell, styled, then merged over its span (the border reaches every edge)."""
    value = sheet_value(report.cell(spec.cell_id)) if spec.cell_id else spec.text
    cell = _put(ws, r, c, value)
    cell.border = _BORDER
    cell.font = Font(name="宋体", size=TABLE_PT, bold=spec.header)
    if spec.header:
        cell.alignment = _LABEL if spec.scope == "row" else _HEAD
    else:
        cell.alignment = _VALUE
    if spec.rowspan > 1 or spec.colspan > 1:
        bottom, right = r + spec.rowspan - 1, c + spec.colspan - 1
        ws.merge_cells(start_row=r, start_column=c, end_row=bottom, end_column=right)


def _put(ws: Worksheet, r: int, c: int, value: object) -> object:
    """Write a value; text is always text (never a formula), cleaned of XML-illegal
    characters."""
    if isinstance(value, str):
        value = clean_text(value) or None
    cell = ws.cell(r, c, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def sheet_value(cell: Cell) -> Number | str | None:
    """What a data cell holds in a sheet: its value, else its published text, else None."""
    if cell.value is not None:
        return cell.value
    return cell_text(cell).strip() or None


def _notes_sheet(book: XlsxWorkbook, report: Report) -> None:
    """Agency, year, the template, and where each schema cell id sits in the workbook."""
    ws = book.create_sheet(NOTES_SHEET)
    facts = (
        ("单位", report.agency or ""),
        ("年度", report.year),
        ("报告格式", TEMPLATE),
        ("数据格式", SCHEMA_ID),
        ("填写说明", "空白单元格表示未填报（不是0）；“/”表示不适用；收费金额单位为万元。"),
    )
    for r, (name, value) in enumerate(facts, start=1):
        _put(ws, r, 1, name).font = Font(bold=True)
        _put(ws, r, 2, value)
    top = len(facts) + 2
    for c, head in enumerate(("单元格编号", "工作表", "单元格", "名称"), start=1):
        _put(ws, top, c, head).font = Font(bold=True)
    for r, (cell_id, sheet, coordinate) in enumerate(cell_positions(report), start=top + 1):
        for c, value in enumerate((cell_id, sheet, coordinate, cell_label(cell_id)), start=1):
            _put(ws, r, c, value)
    for letter, width in zip("ABCD", (40, 10, 10, 48), strict=True):
        ws.column_dimensions[letter].width = width


def cell_positions(report: Report) -> Iterator[tuple[str, str, str]]:
    """(cell id, sheet, coordinate such as “D7”) of every data cell :func:`report_xlsx`
    writes, table by table in reading order."""
    for grid in grids(report):
        for r, cells in enumerate(grid.expand(), start=2):
            for c, spec in enumerate(cells, start=1):
                if spec is not None and spec.cell_id:
                    yield spec.cell_id, SHEETS[grid.name], f"{get_column_letter(c)}{r}"


# --- table 二 from a spreadsheet ---------------------------------------------------------


class Table2ImportError(ValueError):
    """A spreadsheet whose table 二 cannot be read; the message says where and why."""


@dataclass(frozen=True, slots=True)
class _Row:
    """A row of table 二: its label and its (cell id, column label) pairs."""

    label: str
    columns: tuple[tuple[str, str], ...]


_ROWS: tuple[_Row, ...] = (
    *(
        _Row(label, tuple((f"table2.{key}.{c}", name) for c, name in TABLE2_DOC_COLUMNS))
        for key, label in TABLE2_DOC_ROWS
    ),
    *(_Row(label, ((f"table2.{key}", column),)) for key, label, column in TABLE2_SINGLE_ROWS),
)


@dataclass(frozen=True, slots=True)
class _Found:
    """Where a label was found: its sheet, its row, the first column after the label."""

    sheet: Worksheet
    row: int
    column: int

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet.title}”第{self.row}行"


def table2_from_xlsx(data: bytes, *, name: str = "表格") -> dict[str, Cell]:
    """The ten cells of table 二 (``schema.TABLE2_IDS``) read from an .xlsx workbook.

    Reads the 表二 sheet that :func:`report_xlsx` writes, or any sheet where a row holds a
    label (规章, 行政规范性文件, 行政许可, 行政处罚, 行政强制, 行政事业性收费; found as a
    word inside the cell, spaces ignored) followed by its figures: 本年制发, 本年废止 and
    现行有效 for the first two, one figure for the others, the fee in 万元 with decimals.
    A sheet named 表二 is read alone when there is one; otherwise every sheet is searched.
    An empty cell is a blank (never 0), “/” or “—” not applicable. Raises
    :class:`Table2ImportError` with a Chinese message naming the sheet, row and column.
    """
    found = _find_rows(_open_book(data, name), name)
    cells: dict[str, Cell] = {}
    for row in _ROWS:
        place = found[row.label]
        for i, (cell_id, column) in enumerate(row.columns):
            raw = place.sheet.cell(place.row, place.column + i).value
            where = f"{place.where}“{row.label}”：“{column}”"
            cells[cell_id] = _import_cell(raw, cell_id in DECIMAL_CELLS, where)
    return {cell_id: cells[cell_id] for cell_id in TABLE2_IDS}


def _find_rows(book: XlsxWorkbook, name: str) -> dict[str, _Found]:
    """Where each table-二 row is: in the sheets named 表二 if any, else in every sheet."""
    sheets = [ws for ws in book.worksheets if "表二" in _compact(ws.title)]
    found: dict[str, _Found] = {}
    for ws in sheets or book.worksheets:
        for label, place in _label_rows(ws):
            if label in found:
                first = found[label].where
                raise Table2ImportError(f"“{label}”行出现了两次：{first}和{place.where}")
            found[label] = place
    missing = [row.label for row in _ROWS if row.label not in found]
    if missing:
        raise Table2ImportError(f"表格“{name}”中找不到表二的这些行：{'、'.join(missing)}")
    return found


def _open_book(data: bytes, name: str) -> XlsxWorkbook:
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises anything on a damaged file: report it all alike
        raise Table2ImportError(f"无法读取表格文件“{name}”：不是有效的 .xlsx 文件") from exc


def _compact(text: str) -> str:
    """Full-width forms folded (NFKC) and every space removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _label_rows(ws: Worksheet) -> Iterator[tuple[str, _Found]]:
    """Each row with a label: the first cell, left to right, whose text contains exactly one
    of the six labels (a cell naming several, such as a heading, is no label)."""
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            labels = [r.label for r in _ROWS if r.label in _compact(cell.value)]
            if len(labels) == 1:
                yield labels[0], _Found(ws, cell.row, _after(ws, cell.row, cell.column))
                break


def _after(ws: Worksheet, row: int, column: int) -> int:
    """The first column after a label cell, past its merged range if it has one."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col == column:
            return merged.max_col + 1
    return column + 1


def _text(raw: object) -> str:
    """A cell's value as text: numbers without a float's noise (12.0 → “12”)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and math.isfinite(raw):
        exact = Decimal(repr(raw))
        return str(int(exact)) if exact == exact.to_integral_value() else format(exact, "f")
    return str(raw)


def _import_cell(raw: object, decimal: bool, where: str) -> Cell:
    """One imported figure: blank, not applicable, or a non-negative number (an integer
    unless ``decimal``); anything else raises with ``where`` (sheet, row, column)."""
    text = _text(raw).strip()
    piece = classify(unicodedata.normalize("NFKC", text))
    if piece.kind is Kind.BLANK:
        return Cell(CellState.BLANK, None, "")
    if piece.kind is Kind.NOT_APPLICABLE:
        return Cell(CellState.NOT_APPLICABLE, None, piece.text)
    value = piece.value
    if piece.kind is not Kind.NUMBER or piece.fixed_by or isinstance(raw, bool) or value is None:
        raise Table2ImportError(f"{where}应为数字，实为“{text}”")
    if value < 0:
        raise Table2ImportError(f"{where}不能为负数，实为“{text}”")
    if decimal:
        return Cell.number(Decimal(value), piece.text)
    if value != int(value):
        raise Table2ImportError(f"{where}应为整数，实为“{text}”")
    return Cell.number(int(value), piece.text)
