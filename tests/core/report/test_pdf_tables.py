"""PDF reports read by their ruled table structure (:mod:`gongkai.core.report.pdftables`).

Three kinds of test:

- the development set's real PDFs (../shared/reports-dev/pdf), cell by cell against its
  hand-verified truth.json (skipped when the set is absent);
- a small PDF drawn here with reportlab: ruled tables 二, 三 and 四 with blank cells, and
  table 三 split over two pages with no header on the second; every value below was
  written by hand and its sums counted by hand;
- grids written by hand for the mapping rules (a label with a typo placed by its
  position, a group printed as one row, merged positions never taken as values, a
  mis-read grid losing to the text reading).
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from gongkai.core.report import CellState, parse_bytes, read_report_bytes
from gongkai.core.report.jsonio import to_json
from gongkai.core.report.pdftables import Grid, Structure, merge, read_structure
from gongkai.core.report.schema import (
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE3_ROWS,
    Cell,
    empty_2021_report,
    table3_id,
)
from tests import devset

PDF_TRUTH = devset.PDF_TRUTH


def _flat(tables: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in tables.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


# --- the development set's PDFs ------------------------------------------------------------


@pytest.mark.parametrize("pdf", sorted(PDF_TRUTH))
def test_dev_pdf_cell_by_cell(pdf: str) -> None:
    path = devset.dev_path(f"pdf/{pdf}")
    truth = devset.truth(PDF_TRUTH[pdf])
    report = read_report_bytes(path.read_bytes(), name=pdf)
    want = _flat({k: truth[k] for k in ("table2", "table3", "table4")})
    read = _flat({k: to_json(report).get(k, {}) for k in ("table2", "table3", "table4")})
    wrong = {}
    for cid, expected in want.items():
        got = read.get(cid)
        if expected is None:
            # not printed in the report (洪泽 （六） items): must stay unknown, never 0
            if got is not None:
                wrong[cid] = (None, got)
        elif got != expected:
            wrong[cid] = (expected, got)
    assert wrong == {}
    assert report.layout == "pdf/table"
    assert report.narrative.get("overview"), "the narrative still comes from the text layer"


def test_dev_pdf_group_row_and_printed_sums() -> None:
    """洪泽 2023: （六） printed as one row; table 四 sums printed wrong are kept and flagged."""
    path = devset.dev_path("pdf/hongzequ_2023.pdf")
    report = read_report_bytes(path.read_bytes(), name=path.name)
    codes = [f.code for f in report.findings]
    assert codes.count("T4_GROUP_SUM") == 2  # 行政复议 10 1 0 0 总计 0; 复议后起诉 5 0 0 0 总计 0
    unread = [f for f in report.findings if f.code == "T3_GROUP_ONLY"]
    assert len(unread) == 1  # the group row, said once (a way offices print it, not an error)
    assert unread[0].severity == "info" and "只填报了合计一行" in unread[0].message
    assert report.cell("table3.other_1.total").state is CellState.MISSING


# --- a PDF drawn here ------------------------------------------------------------------------

# Hand-written figures of an imaginary county. Table 三 columns: 自然人 商业企业 科研机构
# 社会公益组织 法律服务机构 其他 总计; "" is a cell printed empty.
T3 = {
    "new": ["12", "2", "0", "0", "1", "0", "15"],
    "carried_in": ["1", "0", "0", "0", "0", "0", "1"],
    "granted": ["5", "1", "0", "0", "0", "0", "6"],
    "partial": ["2", "0", "0", "0", "1", "0", "3"],
    "denied_1": ["0", "0", "0", "0", "0", "0", "0"],
    "denied_2": ["0", "0", "", "0", "0", "0", "0"],  # 科研机构 printed empty
    "denied_3": ["0", "0", "0", "0", "0", "0", "0"],
    "denied_4": ["1", "0", "0", "0", "0", "0", "1"],
    "denied_5": ["0", "0", "0", "0", "0", "0", "0"],
    "denied_6": ["0", "0", "0", "0", "0", "0", "0"],
    "denied_7": ["0", "0", "0", "0", "0", "0", "0"],
    "denied_8": ["0", "0", "0", "0", "0", "0", "0"],
    "unable_1": ["2", "1", "0", "0", "0", "0", "3"],
    "unable_2": ["0", "0", "0", "0", "0", "0", "0"],
    "unable_3": ["1", "0", "0", "0", "0", "0", "1"],
    "not_processed_1": ["1", "0", "0", "0", "0", "0", "1"],
    "not_processed_2": ["0", "0", "0", "0", "0", "0", "0"],
    "not_processed_3": ["0", "0", "0", "0", "0", "0", "0"],
    "not_processed_4": ["0", "0", "0", "0", "0", "0", "0"],
    "not_processed_5": ["0", "0", "0", "0", "0", "0", "0"],
    "other_1": ["0", "0", "0", "0", "0", "0", "0"],
    "other_2": ["0", "0", "0", "0", "0", "0", "0"],
    "other_3": ["1", "0", "0", "0", "0", "0", "1"],
    # 自然人 5+2+1+2+1+1+1 = 13, 商业企业 1+1 = 2, 法律服务机构 1, 总计 6+3+1+3+1+1+1 = 16
    "total": ["13", "2", "0", "0", "1", "0", "16"],
    "carried_out": ["0", "0", "0", "0", "0", "0", "0"],  # 15+1 = 16+0
}
T2 = [
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "3"],
    ["行政规范性文件", "2", "1", ""],  # 现行有效件数 printed empty
    ["信息内容", "本年处理决定数量", "", ""],
    ["行政许可", "120", "", ""],
    ["行政处罚", "35", "", ""],
    ["行政强制", "4", "", ""],
    ["信息内容", "本年收费金额（单位：万元）", "", ""],
    ["行政事业性收费", "1.5", "", ""],
]
T4 = ["1", "0", "0", "1", "2", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0"]


def _county_pdf() -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    small = ParagraphStyle("small", fontName=font, fontSize=7, leading=9)
    grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), font, 7)]

    def para(text: str) -> Paragraph:
        return Paragraph(text, body)

    def label(text: str) -> Paragraph:
        return Paragraph(text, small)

    widths3 = [34, 44, 130] + [40] * 7
    rows3 = [
        [label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"), "", "",
         "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", label("社会公益组织"), label("法律服务机构"),
         "其他", ""],
    ]  # fmt: skip
    style3 = [
        *grid,
        ("SPAN", (0, 0), (2, 2)),
        ("SPAN", (3, 0), (9, 0)),
        ("SPAN", (4, 1), (8, 1)),
        ("SPAN", (3, 1), (3, 2)),
        ("SPAN", (9, 1), (9, 2)),
    ]
    first_part = TABLE3_ROW_KEYS[:14]  # new … unable_2; the rest on the next page
    for key, group, text in TABLE3_ROWS:
        if key not in first_part:
            continue
        r = len(rows3)
        if group == "":
            rows3.append([label(text), "", "", *T3[key]])
            style3.append(("SPAN", (0, r), (2, r)))
        elif group == "三、本年度办理结果":
            rows3.append([label("三、本年度办理结果") if key == "granted" else "", label(text), "",
                          *T3[key]])  # fmt: skip
            style3.append(("SPAN", (1, r), (2, r)))
        else:
            first = key.endswith("_1")
            rows3.append(["", label(group) if first else "", label(text), *T3[key]])
    start_result = 3 + TABLE3_ROW_KEYS.index("granted")
    style3.append(("SPAN", (0, start_result), (0, len(rows3) - 1)))
    style3.append(("SPAN", (1, 3 + TABLE3_ROW_KEYS.index("denied_1")), (1, 3 + 11)))
    style3.append(("SPAN", (1, 3 + TABLE3_ROW_KEYS.index("unable_1")), (1, len(rows3) - 1)))
    rows3b: list[list] = []
    style3b = list(grid)
    for key, group, text in TABLE3_ROWS:
        if key in first_part:
            continue
        r = len(rows3b)
        if group == "":
            rows3b.append([label(text), "", "", *T3[key]])
            style3b.append(("SPAN", (0, r), (2, r)))
        elif key == "total":
            rows3b.append(["", label(text), "", *T3[key]])
            style3b.append(("SPAN", (1, r), (2, r)))
        else:
            first = key.endswith("_1")
            rows3b.append(["", label(group) if first else "", label(text), *T3[key]])
    style3b.append(("SPAN", (0, 0), (0, TABLE3_ROW_KEYS.index("total") - 14)))
    style3b.append(("SPAN", (1, 1), (1, 5)))  # （五）不予处理
    style3b.append(("SPAN", (1, 6), (1, 8)))  # （六）其他处理
    story = [
        para("示例县人民政府2024年政府信息公开工作年度报告"),
        para("一、总体情况"),
        para("本县认真贯彻《中华人民共和国政府信息公开条例》，做好政府信息公开工作。"),
        para("二、主动公开政府信息情况"),
        Table(T2, colWidths=[120, 110, 110, 110], style=grid),
        para("三、收到和处理政府信息公开申请情况"),
        Table(rows3, colWidths=widths3, style=style3),
        PageBreak(),
        Table(rows3b, colWidths=widths3, style=style3b),
        para("四、政府信息公开行政复议、行政诉讼情况"),
        Table(
            [
                ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
                [
                    "维持",
                    "纠正",
                    "其他",
                    "未结",
                    "总计",
                    "未经复议直接起诉",
                    *[""] * 4,
                    "复议后起诉",
                    *[""] * 4,
                ],
                ["", "", "", "", "", *["维持", "纠正", "其他", "未结", "总计"] * 2],
                T4,
            ],
            colWidths=[30] * 15,
            style=[
                *grid,
                ("SPAN", (0, 0), (4, 0)),
                ("SPAN", (5, 0), (14, 0)),
                ("SPAN", (5, 1), (9, 1)),
                ("SPAN", (10, 1), (14, 1)),
                *[("SPAN", (c, 1), (c, 2)) for c in range(5)],
            ],
        ),
        Spacer(1, 10),
        para("五、存在的主要问题及改进情况"),
        para("公开工作仍有不足，下一步将加强培训。"),
        para("六、其他需要报告的事项"),
        para("本年度未收取信息处理费。"),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=True).build(story)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def county() -> object:
    return read_report_bytes(_county_pdf(), name="示例县.pdf")


def test_drawn_pdf_table3_across_two_pages(county) -> None:
    for key, values in T3.items():
        for column, printed in zip(TABLE3_COLUMN_KEYS, values, strict=True):
            cell = county.cell(table3_id(key, column))
            if printed == "":
                assert cell.state is CellState.BLANK, (key, column)
                assert cell.value is None
            else:
                assert (cell.state, cell.value) == (CellState.NUMBER, int(printed)), (key, column)
    assert county.layout == "pdf/table"


def test_drawn_pdf_tables_2_and_4(county) -> None:
    assert [county.value(f"table2.rules.{c}") for c in ("issued", "repealed", "in_force")] == [
        0,
        0,
        3,
    ]
    assert county.value("table2.normative.issued") == 2
    assert county.value("table2.normative.repealed") == 1
    assert county.cell("table2.normative.in_force").state is CellState.BLANK
    assert county.value("table2.licensing") == 120
    assert county.value("table2.punishment") == 35
    assert county.value("table2.enforcement") == 4
    assert county.value("table2.fees_wan_yuan") == Decimal("1.5")
    got4 = [county.value(c) for c in county.cells if c.startswith("table4.")]
    assert got4 == [int(v) for v in T4]


def test_drawn_pdf_blank_is_flagged_not_zero(county) -> None:
    blanks = {f.cells[0] for f in county.findings if f.code == "CELL_BLANK"}
    assert blanks == {"table3.denied_2.research", "table2.normative.in_force"}
    assert not county.errors, [f.message for f in county.errors]


def test_pdf_text_only_without_tables() -> None:
    """pdf_text (used to show a PDF's text) does not search tables and returns text."""
    from gongkai.core.report.readers import pdf_read, pdf_text

    data = _county_pdf()
    text, notes = pdf_text(data, name="示例县.pdf")
    assert "行政复议" in text and notes == []
    assert pdf_read(data, name="示例县.pdf", tables=False).grids == []
    assert len(pdf_read(data, name="示例县.pdf").grids) == 4  # 二, 三 (two parts), 四


# --- grids written by hand ------------------------------------------------------------------

_Z = ["0"] * 7


def _grid3(rows: list[list], page: int = 1) -> Grid:
    head = [
        ["（本列数据的勾稽关系为：…）", None, None, "申请人情况", *[None] * 6],
        [None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"],
        [None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
         None],
    ]  # fmt: skip
    return Grid(page, head + rows)


def test_grid_typo_label_placed_by_position() -> None:
    """“2.其他法律行政止公开” (两字漏印) between 1. and 3. is row denied_2."""
    rows = [
        ["一、本年新收政府信息公开申请数量", None, None, *_Z],
        [None, "（三）不予公开", "1.属于国家秘密", *_Z],
        [None, None, "2.其他法律行政止公开", "7", "0", "0", "0", "0", "0", "7"],
        [None, None, "3.危及“三安全一稳定”", *_Z],
    ]
    got = read_structure([_grid3(rows)])
    assert got.cells["table3.denied_2.natural_person"].value == 7
    assert got.cells["table3.denied_3.total"].value == 0


def test_grid_group_row_leaves_items_unknown() -> None:
    rows = [
        ["一、本年新收政府信息公开申请数量", None, None, "9", "0", "0", "0", "0", "0", "9"],
        [None, None, "5.要求行政机关确认或重新出具已获取信息", *_Z],
        [None, "（六）其他处理", "", "2", "0", "0", "0", "0", "0", "2"],
        [None, "（七）总计", "", "9", "0", "0", "0", "0", "0", "9"],
    ]
    got = read_structure([_grid3(rows)])
    assert "table3.other_1.natural_person" not in got.cells
    assert got.cells["table3.total.total"].value == 9
    assert [f.code for f in got.findings] == ["T3_GROUP_ONLY"]
    assert len(got.findings[0].cells) == 21  # other_1..3 × 7 columns
    assert "（六）其他处理" in got.findings[0].message


def test_grid_merged_positions_are_not_values() -> None:
    """A row whose value position is covered by a merged cell (None) is not read."""
    rows = [
        ["一、本年新收政府信息公开申请数量", None, None, "3", None, "0", "0", "0", "0", "3"],
        ["二、上年结转政府信息公开申请数量", None, None, "1", "", "0", "0", "0", "0", "1"],
    ]
    got = read_structure([_grid3(rows)])
    assert "table3.new.natural_person" not in got.cells
    assert got.cells["table3.carried_in.commercial"].state is CellState.BLANK


def test_grid_continuation_on_next_page_joined_not_other_tables() -> None:
    first = _grid3([["一、本年新收政府信息公开申请数量", None, None, *_Z]], page=2)
    rest = Grid(3, [["", "", "2.重复申请", "4", "0", "0", "0", "0", "0", "4"]])
    unrelated = Grid(5, [["", "", "3.要求提供公开出版物", *_Z]])
    got = read_structure([first, rest, unrelated])
    assert got.cells["table3.not_processed_2.total"].value == 4
    assert "table3.not_processed_3.total" not in got.cells


def test_merge_keeps_text_reading_when_grid_breaks_identities() -> None:
    """A grid reading breaking more identities than the text reading is not taken."""
    report = empty_2021_report()
    text_values = {"natural_person": 3, "total": 3}
    for row in ("new", "granted", "total"):
        for col in TABLE3_COLUMN_KEYS:
            report.cells[table3_id(row, col)] = Cell.number(text_values.get(col, 0))
    structure = Structure(found={"table3"})
    for row in ("new", "granted", "total"):
        for col in TABLE3_COLUMN_KEYS:
            structure.cells[table3_id(row, col)] = Cell.number(text_values.get(col, 0))
    structure.cells[table3_id("granted", "natural_person")] = Cell.number(8)  # row sum 8 ≠ 3
    assert merge(report, structure) == []
    assert report.value(table3_id("granted", "natural_person")) == 3


def test_merge_fills_only_cells_that_keep_identities() -> None:
    report = empty_2021_report()
    report.cells["table4.reconsideration.upheld"] = Cell.number(9)  # text: wrong, breaks sum
    report.cells["table4.litigation_direct.total"] = Cell.number(0)
    structure = Structure(found={"table4"})
    for c, v in zip(
        ("upheld", "corrected", "other", "pending", "total"), (1, 0, 0, 0, 1), strict=True
    ):
        if c != "upheld":
            structure.cells[f"table4.reconsideration.{c}"] = Cell.number(v)
    assert merge(report, structure) == ["table4"]
    assert report.value("table4.reconsideration.upheld") is None  # 9 would break 9+0+0+0=1
    assert report.value("table4.litigation_direct.total") == 0


def test_scanned_like_pdf_without_rules_reads_as_text() -> None:
    """No ruled table on the pages: the text reading alone, layout as before."""
    report = parse_bytes(_plain_pdf(), name="plain.pdf")
    assert report.layout is not None and not report.layout.startswith("pdf/table")


def _plain_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setFont("STSong-Light", 10)
    y = 800
    for line in ["示例镇人民政府2024年政府信息公开工作年度报告", "一、总体情况", "无。"]:
        canvas.drawString(56, y, line)
        y -= 15
    canvas.save()
    return buffer.getvalue()
