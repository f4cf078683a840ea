"""The annual report as .docx and .xlsx, read back with python-docx and openpyxl, and table 二
imported from spreadsheets (the workbook the platform writes and hand-made sheets)."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date
from decimal import Decimal
from functools import cache

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl.utils import get_column_letter

from gongkai.core.report.render.grid import Grid, cell_text, grids, report_title
from gongkai.core.report.schema import (
    PARTS,
    TABLE2_IDS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_IDS,
    Cell,
    CellState,
    Report,
    table3_id,
)
from gongkai.core.report.synth import random_report
from gongkai.reports.export import (
    SHEETS,
    Table2ImportError,
    report_docx,
    report_xlsx,
    table2_from_xlsx,
)
from tests.core.report.fixtures import BOSHAN_NARRATIVE, BOSHAN_T2, boshan_report

ISSUER = "淄博市博山区人民政府办公室"
DATED = date(2025, 1, 20)
BAD_FILE = "无法读取表格文件“上报.xlsx”：不是有效的 .xlsx 文件"


def hand_report() -> Report:
    """博山区 2024 with a blank applicant cell, a “/” in table 二 and a fee with decimals."""
    report = boshan_report()
    report.cells[table3_id("granted", "commercial")] = Cell(CellState.BLANK, None, "")
    report.cells["table2.rules.issued"] = Cell(CellState.NOT_APPLICABLE, None, "/")
    report.cells["table2.fees_wan_yuan"] = Cell.number(Decimal("0.35"))
    return report


def report_of(seed: int | None) -> Report:
    """The hand-built report (``None``) or a random valid one."""
    if seed is None:
        return hand_report()
    return random_report(random.Random(seed))  # noqa: S311 - reproducible test data


@cache
def docx_of(seed: int | None) -> docx.document.Document:
    report = report_of(seed)
    return docx.Document(io.BytesIO(report_docx(report, issuer=ISSUER, dated=DATED)))


def east_asia_font(p: Paragraph) -> str | None:
    return p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


def word_spans(table: Table) -> set[tuple[int, int, int, int]]:
    """(row, column, rowspan, colspan) of every merged cell, read from the table's XML."""
    spans: list[list[int]] = []
    above: dict[int, list[int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                above[c][2] += 1
            else:
                above[c] = [r, c, 1, tc.grid_span]
                spans.append(above[c])
            c += tc.grid_span
    return {(r, c, rs, cs) for r, c, rs, cs in spans if rs > 1 or cs > 1}


def grid_spans(grid: Grid) -> set[tuple[int, int, int, int]]:
    return {
        (r, c, cell.rowspan, cell.colspan)
        for r, row in enumerate(grid.expand())
        for c, cell in enumerate(row)
        if cell is not None and (cell.rowspan > 1 or cell.colspan > 1)
    }


def text_at(table: Table) -> list[list[str]]:
    """Each position's text, a merged cell's text at every position it covers."""
    return [
        [table.cell(r, c).text for c in range(len(table.columns))] for r in range(len(table.rows))
    ]


# --- .docx ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [None, 1, 7])
def test_docx_paragraphs_are_title_parts_narrative_and_signature(seed: int | None) -> None:
    report = report_of(seed)
    expected = [report_title(report)]
    for key, label in PARTS:
        expected.append(label)
        expected += [t.strip() for t in report.narrative[key].split("\n") if t.strip()]
    expected += [ISSUER, "2025年1月20日"]
    assert [p.text for p in docx_of(seed).paragraphs if p.text] == expected


def test_docx_title_headings_and_body_fonts() -> None:
    paragraphs = [p for p in docx_of(1).paragraphs if p.text]
    title = paragraphs[0]
    assert title.text == report_title(report_of(1))
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (title.runs[0].font.size.pt, east_asia_font(title)) == (22, "方正小标宋简体")
    headings = [p for p in paragraphs if p.text in dict(PARTS).values()]
    assert [p.text for p in headings] == [label for _, label in PARTS]
    assert {(p.runs[0].font.size.pt, east_asia_font(p)) for p in headings} == {(16, "黑体")}
    body = paragraphs[2]
    assert (body.runs[0].font.size.pt, east_asia_font(body)) == (16, "仿宋_GB2312")
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(32)
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"


def test_docx_page_is_a4_with_gbt9704_margins_and_a_page_number() -> None:
    section = docx_of(1).sections[0]
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    for length, mm in zip(measured, [210, 297, 37, 35, 28, 26], strict=True):
        assert length.mm == pytest.approx(mm, abs=0.5)
    footer = section.footer.paragraphs[0]
    assert footer._p.xpath("w:fldSimple/@w:instr") == [" PAGE "]
    assert footer._p.xpath("string(.)") == "— 1 —"


def test_docx_signature_is_right_aligned_and_optional() -> None:
    paragraphs = [p for p in docx_of(None).paragraphs if p.text]
    assert [p.text for p in paragraphs[-2:]] == [ISSUER, "2025年1月20日"]
    assert {p.alignment for p in paragraphs[-2:]} == {WD_ALIGN_PARAGRAPH.RIGHT}
    assert paragraphs[-2].paragraph_format.right_indent.pt == pytest.approx(64)
    bare = docx.Document(io.BytesIO(report_docx(hand_report())))
    texts = [p.text for p in bare.paragraphs if p.text]
    assert texts[-1] == BOSHAN_NARRATIVE["other_matters"]
    only_date = docx.Document(io.BytesIO(report_docx(hand_report(), dated=DATED)))
    assert [p.text for p in only_date.paragraphs if p.text][-1] == "2025年1月20日"


def test_docx_has_the_three_tables_after_parts_two_three_four() -> None:
    document = docx_of(1)
    body = document.element.body
    order = []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            order.append("table")
        elif child.tag == qn("w:p") and Paragraph(child, document).text in dict(PARTS).values():
            order.append(Paragraph(child, document).text)
    assert order == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "table",
        "三、收到和处理政府信息公开申请情况",
        "table",
        "四、政府信息公开行政复议、行政诉讼情况",
        "table",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_docx_table3_holds_every_value_under_its_row_and_column(seed: int | None) -> None:
    report = report_of(seed)
    texts = text_at(docx_of(seed).tables[1])
    columns = texts[2][3:]
    assert columns == [label for _, label in TABLE3_COLUMNS]
    checked = 0
    for key, _, label in TABLE3_ROWS:
        (r,) = [i for i, row in enumerate(texts) if row[2] == label]
        for col, col_label in TABLE3_COLUMNS:
            got = texts[r][3 + columns.index(col_label)]
            value = report.t3(key, col)
            assert got == ("" if value is None else str(value)), (key, col)
            checked += 1
    assert checked == 25 * 7


def test_docx_table3_blank_cell_is_empty_not_zero() -> None:
    texts = text_at(docx_of(None).tables[1])
    (r,) = [i for i, row in enumerate(texts) if row[2] == "（一）予以公开"]
    assert texts[r][3:] == ["40", "", "0", "0", "0", "0", "40"]
    assert texts[r][:3] == ["三、本年度办理结果", "（一）予以公开", "（一）予以公开"]


def test_docx_table2_by_row_labels() -> None:
    texts = text_at(docx_of(None).tables[0])
    rows = {row[0]: row[1:] for row in texts}
    assert rows["规章"] == ["/", "0", "0"]
    assert rows["行政规范性文件"] == ["5", "3", "12"]
    assert rows["行政许可"] == ["19513"] * 3  # one cell merged over three columns
    assert rows["行政处罚"] == ["1394"] * 3
    assert rows["行政强制"] == ["160"] * 3
    assert rows["行政事业性收费"] == ["0.35"] * 3
    assert texts[0] == ["第二十条第（一）项"] * 4
    assert texts[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert texts[-2] == ["信息内容"] + ["本年收费金额（单位：万元）"] * 3


def test_docx_table4_values_under_their_three_row_header() -> None:
    report = report_of(5)
    texts = text_at(docx_of(5).tables[2])
    assert texts[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert texts[1][5:] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert texts[2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert texts[1][:5] == texts[2][:5]
    assert texts[3] == [str(report.value(cid)) for cid in TABLE4_IDS]


@pytest.mark.parametrize("seed", [None, 4])
def test_docx_tables_are_merged_exactly_as_the_grids(seed: int | None) -> None:
    tables = docx_of(seed).tables
    for table, grid in zip(tables, grids(report_of(seed)), strict=True):
        assert (len(table.rows), len(table.columns)) == (len(grid.rows), grid.width)
        assert word_spans(table) == grid_spans(grid)
    corner = word_spans(tables[1])
    assert (0, 0, 3, 3) in corner  # the corner cell over the three label columns
    assert (3 + 2, 0, 22, 1) in corner  # “三、本年度办理结果” over 22 rows


def test_docx_table_cells_are_styled() -> None:
    table = docx_of(None).tables[1]
    assert table.style.name == "Table Grid"
    head = table.cell(2, 4).paragraphs[0]
    assert head.text == "商业企业"
    assert head.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert head.runs[0].bold is True
    assert (head.runs[0].font.size.pt, east_asia_font(head)) == (10.5, "宋体")
    number = table.cell(3, 3).paragraphs[0]
    assert number.text == "61"
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert not number.runs[0].bold
    assert number.runs[0].font.size.pt == 10.5
    widths = [col.width.mm for col in table.columns]
    assert sum(widths) == pytest.approx(156, abs=0.5)
    heads = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
             for row in table.rows]  # fmt: skip
    assert heads == [True] * 3 + [False] * 25


def test_docx_drops_characters_xml_cannot_hold() -> None:
    report = hand_report()
    report.narrative["problems"] = "一是\x00问题\x07。"
    document = docx.Document(io.BytesIO(report_docx(report)))
    assert "一是问题。" in [p.text for p in document.paragraphs]


# --- .xlsx ------------------------------------------------------------------------------


@cache
def book_of(seed: int | None) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(report_xlsx(report_of(seed))))


def test_xlsx_sheets() -> None:
    assert book_of(1).sheetnames == ["表二", "表三", "表四", "说明"]


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_xlsx_every_data_cell_holds_the_reports_value(seed: int | None) -> None:
    report, book = report_of(seed), book_of(seed)
    checked = set()
    for grid in grids(report):
        ws = book[SHEETS[grid.name]]
        for r, row in enumerate(grid.expand(), start=2):
            for c, spec in enumerate(row, start=1):
                if spec is None or spec.cell_id is None:
                    continue
                got, cell = ws.cell(r, c).value, report.cell(spec.cell_id)
                if cell.value is None:
                    assert got == (cell_text(cell) or None)
                elif isinstance(cell.value, Decimal):
                    assert isinstance(got, int | float) and Decimal(str(got)) == cell.value
                else:
                    assert type(got) is int and got == cell.value
                checked.add(spec.cell_id)
    assert len(checked) == 10 + 175 + 15


def test_xlsx_blank_is_empty_and_not_applicable_is_text() -> None:
    book = book_of(None)
    assert book["表二"]["A4"].value == "规章"
    assert [c.value for c in book["表二"][4]] == ["规章", "/", 0, 0]
    assert book["表二"]["B15"].value == 0.35
    t3 = book["表三"]
    assert t3["B7"].value == "（一）予以公开"
    assert [c.value for c in t3[7]][3:] == [40, None, 0, 0, 0, 0, 40]


@pytest.mark.parametrize("seed", [None, 6])
def test_xlsx_merged_ranges_are_the_grid_spans_under_a_caption(seed: int | None) -> None:
    book = book_of(seed)
    for grid in grids(report_of(seed)):
        ws = book[SHEETS[grid.name]]
        expected = {f"A1:{get_column_letter(grid.width)}1"} | {
            f"{get_column_letter(c + 1)}{r + 2}:{get_column_letter(c + cs)}{r + rs + 1}"
            for r, c, rs, cs in grid_spans(grid)
        }
        assert {str(m) for m in ws.merged_cells.ranges} == expected
        assert ws["A1"].value == grid.caption


def test_xlsx_headers_are_bold_wrapped_text() -> None:
    t3 = book_of(1)["表三"]
    assert t3["A2"].value.startswith("（本列数据的勾稽关系为")
    assert [t3.cell(4, c).value for c in range(5, 10)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
    ]  # fmt: skip
    assert t3["D3"].value == "自然人"
    assert (t3["D3"].font.b, t3["D3"].alignment.wrap_text) == (True, True)
    assert t3["D5"].alignment.horizontal == "right"
    assert t3.column_dimensions["C"].width == 40
    assert t3.freeze_panes == "D5"
    t4 = book_of(1)["表四"]
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [t4.cell(3, c).value for c in range(1, 6)] == results
    assert [t4.cell(4, c).value for c in range(6, 16)] == results * 2
    assert "A3:A4" in {str(m) for m in t4.merged_cells.ranges}


def test_xlsx_notes_sheet_has_agency_year_and_cell_ids() -> None:
    notes = book_of(None)["说明"]
    rows = [tuple(c.value for c in row) for row in notes.iter_rows()]
    assert rows[0][:2] == ("单位", "淄博市博山区人民政府")
    assert rows[1][:2] == ("年度", 2024)
    assert ("table2.rules.issued", "表二", "B4", "表二“规章·本年制发件数”") in rows
    assert ("table3.granted.commercial", "表三", "E7", "表三“（一）予以公开”行“商业企业”列") in rows
    assert ("table4.reconsideration.upheld", "表四", "A5", "表四“行政复议·结果维持”") in rows
    assert sum(1 for row in rows if row[0] and str(row[0]).startswith("table")) == 200


def test_xlsx_text_is_never_a_formula() -> None:
    report = hand_report()
    report.agency = '=HYPERLINK("http://x")'
    report.cells["table2.licensing"] = Cell(CellState.TEXT, None, "=1+1")
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    assert book["表二"]["B8"].data_type == "s"
    assert book["表二"]["B8"].value == "=1+1"
    assert book["说明"]["B1"].data_type == "s"


# --- table 二 from a spreadsheet ----------------------------------------------------------


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited(report: Report, **cells: object) -> bytes:
    """The platform's workbook of ``report`` with some cells of 表二 overwritten."""
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    for coordinate, value in cells.items():
        book["表二"][coordinate] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HAND_ROWS: list[list[object]] = [
    ["2024年度主动公开政府信息情况统计"],
    ["序号", "项目", "本年制发", "本年废止", "现行有效"],
    [1, "规 章", "3", 0, 12.0],
    [2, "行政规范性文件", 15, "", "1,234"],
    [3, "行政许可", "１２"],
    [4, "行政处罚（件）", "/"],
    [5, "行政强制", None],
    [6, "行政事业性收费（万元）", "0.35"],
    ["注：收费金额单位为万元。"],
]
HAND_CELLS = {
    "table2.rules.issued": Cell.number(3),
    "table2.rules.repealed": Cell.number(0),
    "table2.rules.in_force": Cell.number(12),
    "table2.normative.issued": Cell.number(15),
    "table2.normative.repealed": Cell(CellState.BLANK, None, ""),
    "table2.normative.in_force": Cell.number(1234, "1,234"),
    "table2.licensing": Cell.number(12),
    "table2.punishment": Cell(CellState.NOT_APPLICABLE, None, "/"),
    "table2.enforcement": Cell(CellState.BLANK, None, ""),
    "table2.fees_wan_yuan": Cell.number(Decimal("0.35")),
}


@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5])
def test_round_trip_gives_back_table2(seed: int | None) -> None:
    report = report_of(seed)
    cells = table2_from_xlsx(report_xlsx(report))
    assert list(cells) == list(TABLE2_IDS)
    for cid in TABLE2_IDS:
        assert (cells[cid].state, cells[cid].value) == (report.cell(cid).state, report.value(cid))
    assert type(cells["table2.fees_wan_yuan"].value) is Decimal
    assert all(type(cells[cid].value) in (int, type(None)) for cid in TABLE2_IDS[:9])


def test_round_trip_of_the_hand_built_report() -> None:
    cells = table2_from_xlsx(report_xlsx(hand_report()))
    expected = {cid: Cell.number(v) for cid, v in BOSHAN_T2.items()}
    expected["table2.rules.issued"] = Cell(CellState.NOT_APPLICABLE, None, "/")
    expected["table2.fees_wan_yuan"] = Cell.number(Decimal("0.35"))
    assert cells == expected


def test_hand_made_sheet_imports() -> None:
    assert table2_from_xlsx(xlsx(("Sheet1", HAND_ROWS))) == HAND_CELLS


def test_sheet_named_biao_er_is_preferred_over_other_sheets() -> None:
    other = [["规章", 9, 9, 9], ["行政许可", 9]]
    data = xlsx(("汇总", other), ("表二（主动公开）", HAND_ROWS), ("备用", other))
    assert table2_from_xlsx(data) == HAND_CELLS


def test_rows_may_be_spread_over_sheets_when_none_is_named_biao_er() -> None:
    data = xlsx(("一", HAND_ROWS[:4]), ("二", HAND_ROWS[4:]))
    assert table2_from_xlsx(data) == HAND_CELLS


def test_merged_label_cell_reads_the_numbers_after_its_range() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx(("表二", HAND_ROWS))))
    ws = book["表二"]
    ws.insert_cols(3)
    ws.merge_cells("B3:C3")
    ws.merge_cells("B4:C4")
    for r in range(5, 9):
        ws.cell(r, 3).value = None
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
    out = io.BytesIO()
    book.save(out)
    assert table2_from_xlsx(out.getvalue()) == HAND_CELLS


def test_fee_keeps_its_decimals_and_counts_accept_integral_floats() -> None:
    cells = table2_from_xlsx(edited(hand_report(), B8=7.0, B15=1728.59, D5="12.0"))
    assert cells["table2.licensing"] == Cell.number(7)
    assert cells["table2.fees_wan_yuan"] == Cell.number(Decimal("1728.59"))
    assert cells["table2.normative.in_force"] == Cell.number(12, "12.0")
    cells = table2_from_xlsx(edited(hand_report(), B15=12))
    assert cells["table2.fees_wan_yuan"] == Cell.number(Decimal(12))
    assert type(cells["table2.fees_wan_yuan"].value) is Decimal


def test_dashes_are_not_applicable() -> None:
    cells = table2_from_xlsx(edited(hand_report(), B4="—", C4="／", B11=" - "))
    assert cells["table2.rules.issued"] == Cell(CellState.NOT_APPLICABLE, None, "—")
    assert cells["table2.rules.repealed"] == Cell(CellState.NOT_APPLICABLE, None, "/")
    assert cells["table2.punishment"] == Cell(CellState.NOT_APPLICABLE, None, "-")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"C4": "十二"},
            "工作表“表二”第4行“规章”：“本年废止件数”应为数字，实为“十二”",
        ),
        (
            {"D5": "12件"},
            "工作表“表二”第5行“行政规范性文件”：“现行有效件数”应为数字，实为“12件”",
        ),
        (
            {"B8": 1.5},
            "工作表“表二”第8行“行政许可”：“本年处理决定数量”应为整数，实为“1.5”",
        ),
        (
            {"B11": -3},
            "工作表“表二”第11行“行政处罚”：“本年处理决定数量”不能为负数，实为“-3”",
        ),
        (
            {"B15": "-0.5"},
            "工作表“表二”第15行“行政事业性收费”：“本年收费金额（单位：万元）”不能为负数，实为“-0.5”",
        ),
        (
            {"B12": "l2"},  # no OCR guessing in a typed sheet
            "工作表“表二”第12行“行政强制”：“本年处理决定数量”应为数字，实为“l2”",
        ),
        (
            {"B12": True},
            "工作表“表二”第12行“行政强制”：“本年处理决定数量”应为数字，实为“True”",
        ),
    ],
)
def test_bad_figures_are_named_by_sheet_row_and_column(
    cells: dict[str, object], message: str
) -> None:
    with pytest.raises(Table2ImportError) as caught:
        table2_from_xlsx(edited(hand_report(), **cells))
    assert str(caught.value) == message


def test_a_label_found_twice_is_an_error() -> None:
    rows = [*HAND_ROWS, ["行政许可", 3]]
    with pytest.raises(Table2ImportError) as caught:
        table2_from_xlsx(xlsx(("表二", rows)))
    assert str(caught.value) == "“行政许可”行出现了两次：工作表“表二”第5行和工作表“表二”第10行"


def test_a_label_on_two_sheets_is_an_error() -> None:
    with pytest.raises(Table2ImportError) as caught:
        table2_from_xlsx(xlsx(("甲", HAND_ROWS), ("乙", [["行政强制", 1]])))
    assert str(caught.value) == "“行政强制”行出现了两次：工作表“甲”第7行和工作表“乙”第1行"


def test_missing_rows_are_listed() -> None:
    with pytest.raises(Table2ImportError) as caught:
        table2_from_xlsx(xlsx(("表二", HAND_ROWS[:5])), name="2024表二.xlsx")
    assert str(caught.value) == (
        "表格“2024表二.xlsx”中找不到表二的这些行：行政处罚、行政强制、行政事业性收费"
    )
    with pytest.raises(Table2ImportError) as caught:
        table2_from_xlsx(xlsx(("Sheet1", [["空表"]])))
    assert str(caught.value) == (
        "表格“表格”中找不到表二的这些行："
        "规章、行政规范性文件、行政许可、行政处罚、行政强制、行政事业性收费"
    )


def test_a_cell_naming_several_labels_is_not_a_row() -> None:
    rows = [["行政许可、行政处罚、行政强制情况"], *HAND_ROWS]
    assert table2_from_xlsx(xlsx(("表二", rows))) == HAND_CELLS


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "不是表格")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xd0\xcf\x11\xe0 an old .xls",
        "规章,1,2,3\n".encode(),
        report_xlsx(boshan_report())[:400],
        _zip_without_workbook(),
        report_docx(boshan_report()),
    ],
    ids=["empty", "xls", "csv", "truncated", "zip", "docx"],
)
def test_a_file_that_is_not_xlsx_is_an_error_not_a_crash(data: bytes) -> None:
    with pytest.raises(Table2ImportError) as caught:
        table2_from_xlsx(data, name="上报.xlsx")
    assert str(caught.value) == BAD_FILE
    assert isinstance(caught.value, ValueError)
