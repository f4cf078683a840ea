"""Renderers: HTML and markdown in the statutory layout, and the text layouts of fixtures."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import html as lxml_html

from gongkai.core.report.render import (
    LAYOUTS,
    cell_text,
    grids,
    render_fused,
    render_lines,
    render_markdown_detached,
    render_ocr,
    render_pipe,
    render_report_html,
    render_report_markdown,
    render_space,
    render_tab,
    render_tables_html,
    render_tables_markdown,
)
from gongkai.core.report.render.grid import RowKind
from gongkai.core.report.render.layouts import DIGIT_MISREADS, MAX_DIGIT_MISREADS, MISREADS
from gongkai.core.report.schema import (
    PARTS,
    TABLE2_IDS,
    TABLE3_COLUMN_KEYS,
    TABLE3_IDS,
    TABLE3_ROW_KEYS,
    TABLE4_IDS,
    Cell,
    CellState,
    table3_id,
)
from tests.core.report.fixtures import boshan_report

TITLE = "淄博市博山区人民政府2024年政府信息公开工作年度报告"
GROUP_SPANS = {
    "三、本年度办理结果": 22,
    "（三）不予公开": 8,
    "（四）无法提供": 3,
    "（五）不予处理": 5,
    "（六）其他处理": 3,
}
NEW_ROW = ["61", "0", "0", "0", "0", "0", "61"]
T4_ROW = ["6", "2", "5", "0", "13", "0", "0", "1", "0", "1", "0", "0", "2", "0", "2"]
ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
LABELS = [label for _, label in PARTS]


def _boshan_with_blank():
    report = boshan_report()
    report.cells[table3_id("new", "commercial")] = Cell(CellState.BLANK, None, "")
    return report


def _table(fragment: str, name: str):
    return lxml_html.fromstring(fragment).xpath(f'//table[@class="gk-{name}"]')[0]


def _spans(tr) -> list[tuple[str, str, int, int]]:
    return [
        (el.tag, el.text or "", int(el.get("rowspan", 1)), int(el.get("colspan", 1))) for el in tr
    ]


# --- the golden fixture -----------------------------------------------------------------------


def test_boshan_fixture_matches_the_golden_file():
    golden = json.loads(
        (Path(__file__).parent / "golden" / "boshan-2024.json").read_text(encoding="utf-8")
    )
    report = boshan_report()
    assert [report.value(c) for c in TABLE2_IDS[:-1]] == golden["table2"][:-1]
    assert report.value("table2.fees_wan_yuan") == Decimal(golden["table2"][-1])
    for row in TABLE3_ROW_KEYS:
        assert [report.t3(row, col) for col in TABLE3_COLUMN_KEYS] == golden["table3"][row]
    assert [report.value(c) for c in TABLE4_IDS] == golden["table4"]


def test_cell_text_prefers_published_then_value():
    assert cell_text(Cell.number(Decimal("1728.59"))) == "1728.59"
    assert cell_text(Cell(CellState.RECOVERED, 61, None)) == "61"
    assert cell_text(Cell(CellState.NOT_APPLICABLE, None, "/")) == "/"
    assert cell_text(Cell.missing()) == ""


# --- HTML ----------------------------------------------------------------------------------


def test_html_table3_has_the_statutory_header():
    t3 = _table(render_tables_html(boshan_report()), "table3")
    assert t3.xpath("./caption")[0].text == "收到和处理政府信息公开申请情况"
    head = [_spans(tr) for tr in t3.xpath("./thead/tr")]
    assert head == [
        [
            ("th", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            ("th", "申请人情况", 1, 7),
        ],
        [("th", "自然人", 2, 1), ("th", "法人或其他组织", 1, 5), ("th", "总计", 2, 1)],
        [("th", org, 1, 1) for org in ORGS],
    ]
    scopes = [th.get("scope") for th in t3.xpath("./thead//th")]
    assert scopes == ["col", "colgroup", "col", "colgroup", "col", *["col"] * 5]


def test_html_table3_body_rows_groups_and_values():
    t3 = _table(render_tables_html(boshan_report()), "table3")
    body = t3.xpath("./tbody/tr")
    assert len(body) == 25
    groups = {th.text: int(th.get("rowspan")) for th in t3.xpath("./tbody//th[@rowspan]")}
    assert groups == GROUP_SPANS
    assert all(th.get("scope") == "rowgroup" for th in t3.xpath("./tbody//th[@rowspan]"))
    assert _spans(body[0])[0] == ("th", "一、本年新收政府信息公开申请数量", 1, 3)
    assert _spans(body[2])[:2] == [
        ("th", "三、本年度办理结果", 22, 1),
        ("th", "（一）予以公开", 1, 2),
    ]
    partial = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert _spans(body[3])[0] == ("th", partial, 1, 2)
    assert _spans(body[4])[:2] == [("th", "（三）不予公开", 8, 1), ("th", "1.属于国家秘密", 1, 1)]
    assert _spans(body[5])[0] == ("th", "2.其他法律行政法规禁止公开", 1, 1)
    assert _spans(body[23])[0] == ("th", "（七）总计", 1, 2)
    assert _spans(body[24])[0] == ("th", "四、结转下年度继续办理", 1, 3)
    assert [len(tr.xpath("./td")) for tr in body] == [7] * 25
    assert [td.text for td in body[0].xpath("./td")] == NEW_ROW
    assert [td.get("data-cell") for td in t3.xpath(".//td")] == list(TABLE3_IDS)


def test_html_table2_blocks():
    t2 = _table(render_tables_html(boshan_report()), "table2")
    blocks = t2.xpath("./tbody")
    assert [b.xpath("./tr[1]/th")[0].text for b in blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert all(_spans(b.xpath("./tr")[0])[0][3] == 4 for b in blocks)
    assert [th.text for th in blocks[0].xpath("./tr[2]/th")] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert _spans(blocks[3].xpath("./tr[2]")[0]) == [
        ("th", "信息内容", 1, 1),
        ("th", "本年收费金额（单位：万元）", 1, 3),
    ]
    assert _spans(blocks[2].xpath("./tr[4]")[0]) == [("th", "行政强制", 1, 1), ("td", "160", 1, 3)]
    assert [td.get("data-cell") for td in t2.xpath(".//td")] == list(TABLE2_IDS)
    assert t2.xpath(".//td")[-1].text == "1728.59"


def test_html_table4_header_and_numbers():
    t4 = _table(render_tables_html(boshan_report()), "table4")
    head = [_spans(tr) for tr in t4.xpath("./thead/tr")]
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert head == [
        [("th", "行政复议", 1, 5), ("th", "行政诉讼", 1, 10)],
        [
            *[("th", r, 2, 1) for r in results],
            ("th", "未经复议直接起诉", 1, 5),
            ("th", "复议后起诉", 1, 5),
        ],
        [("th", r, 1, 1) for r in results * 2],
    ]
    tds = t4.xpath("./tbody/tr/td")
    assert [td.text for td in tds] == T4_ROW
    assert [td.get("data-cell") for td in tds] == list(TABLE4_IDS)


def test_html_document_puts_each_table_in_its_part():
    doc = lxml_html.fromstring(render_report_html(boshan_report()))
    assert doc.xpath("//h1")[0].text == TITLE
    assert doc.xpath("//title")[0].text == TITLE
    assert [h.text for h in doc.xpath("//h2")] == LABELS
    for label, name in ((LABELS[1], "table2"), (LABELS[2], "table3"), (LABELS[3], "table4")):
        assert doc.xpath(f'//section[h2="{label}"]/table/@class') == [f"gk-{name}"]
    paragraphs = doc.xpath(f'//section[h2="{LABELS[0]}"]/p')
    assert paragraphs[0].text.startswith("2024年，博山区")
    assert len(doc.xpath("//table")) == 3


def test_html_escapes_text():
    report = boshan_report()
    report.agency = "<甲&乙>"
    report.narrative["problems"] = '<script>alert("x")</script>'
    report.cells["table2.licensing"] = Cell(CellState.TEXT, None, "<b>无</b>")
    page = render_report_html(report)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<h1>&lt;甲&amp;乙&gt;2024年政府信息公开工作年度报告</h1>" in page
    assert "&lt;b&gt;无&lt;/b&gt;" in page


# --- markdown ------------------------------------------------------------------------------


def _md_rows(text: str, first: str) -> list[list[str]]:
    """The rows of the pipe table whose header starts with ``first``."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {first}"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split(" | ")])
    return rows


def test_markdown_table3_is_a_flat_pipe_table():
    rows = _md_rows(render_tables_markdown(boshan_report()), "（本列")
    assert rows[0][1:] == [
        "自然人",
        "法人或其他组织·商业企业",
        "法人或其他组织·科研机构",
        "法人或其他组织·社会公益组织",
        "法人或其他组织·法律服务机构",
        "法人或其他组织·其他",
        "总计",
    ]
    assert rows[1] == ["---"] * 8
    body = rows[2:]
    assert len(body) == 25
    assert all(len(row) == 8 for row in body)
    assert body[0] == ["一、本年新收政府信息公开申请数量", *NEW_ROW]
    assert body[4][0] == "三、本年度办理结果·（三）不予公开·1.属于国家秘密"
    assert body[23] == ["三、本年度办理结果·（七）总计", "62", "0", "0", "0", "0", "0", "62"]


def test_markdown_table4_and_table2():
    text = render_tables_markdown(boshan_report())
    t4 = _md_rows(text, "行政复议")
    assert len(t4) == 3
    assert t4[0][0] == "行政复议·结果维持"
    assert t4[0][5] == "行政诉讼·未经复议直接起诉·结果维持"
    assert t4[0][14] == "行政诉讼·复议后起诉·总计"
    assert t4[2] == T4_ROW
    assert text.count("**第二十条第") == 4
    assert "| 行政事业性收费 | 1728.59 |" in text
    assert "| 规章 | 0 | 0 | 0 |" in text


def test_markdown_document_headings_and_escaping():
    report = boshan_report()
    report.narrative["problems"] = "甲|乙"
    text = render_report_markdown(report)
    assert text.startswith(f"# {TITLE}\n\n## 一、总体情况\n\n2024年，博山区")
    assert [ln[3:] for ln in text.splitlines() if ln.startswith("## ")] == LABELS
    assert text.index("## 二、") < text.index("**第二十条第（一）项**") < text.index("## 三、")
    report.cells["table2.licensing"] = Cell(CellState.TEXT, None, "a|b")
    assert r"| 行政许可 | a\|b |" in render_tables_markdown(report)


# --- text layouts: shared shape ------------------------------------------------------------


def _all_cell_texts(report) -> list[str]:
    return [cell_text(report.cell(c)) for c in (*TABLE2_IDS, *TABLE3_IDS, *TABLE4_IDS)]


def _in_order(text: str, needles: list[str], start: int) -> bool:
    pos = start
    for needle in needles:
        found = text.find(needle, pos)
        if found < 0:
            return False
        pos = found + len(needle)
    return True


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_has_title_parts_and_every_number_in_order(name):
    report = boshan_report()
    text = LAYOUTS[name](report)
    if name == "pipe":
        assert text.startswith(f"标题: | {TITLE} | ||\n---|---|---|---|\n")
    else:
        assert text.startswith(f"{TITLE}\n")
    lines = text.splitlines()
    heading = "## " if name in ("tab", "markdown_detached") else ""
    positions = [lines.index(heading + label) for label in LABELS]
    assert positions == sorted(positions)
    if name == "ocr":
        text = text.translate(str.maketrans({v: k for k, v in DIGIT_MISREADS.items()}))
    assert _in_order(text, _all_cell_texts(report), text.index(LABELS[1]))


def test_lines_layout():
    text = render_lines(boshan_report())
    row = "\n\n".join(NEW_ROW)
    assert f"\n\n一、本年新收政府信息公开申请数量\n\n{row}\n\n二、" in text
    assert "三、本年度办理结果\n\n（一）予以公开\n\n40\n\n" in text
    assert "（三）不予公开\n\n1.属于国家秘密\n\n0\n\n" in text
    assert "行政复议\n\n行政诉讼\n\n结果\n\n维持\n\n结果\n\n纠正\n\n" in text
    assert "\n\n\n" not in text
    blank = render_lines(_boshan_with_blank())
    assert "申请数量\n\n61\n\n\n\n0\n\n0\n\n0\n\n0\n\n61\n\n" in blank


def test_pipe_layout():
    text = render_pipe(boshan_report())
    rows = "\n".join(f"{v} |" for v in NEW_ROW)
    assert f"\n一、本年新收政府信息公开申请数量 |\n{rows}\n|||\n二、" in text
    assert "\n三、本年度办理结果 |\n（一）予以公开 |\n40 |\n" in text
    assert "\n第二十条第（一）项 |\n|||\n信息内容 |\n" in text
    assert "\n行政许可 |\n19513 |\n||\n" in text
    heads = ("结果 维持", "结果 纠正", "其他 结果", "尚未 审结", "总计", "未经复议直接起诉")
    assert "".join(f"\n{h} |" for h in heads) in text
    assert "\n6 |\n2 |\n5 |\n0 |\n13 |\n" in text
    assert "\n\n" not in text
    assert "\n |\n" not in text
    assert "\n61 |\n |\n0 |\n" in render_pipe(_boshan_with_blank())


def test_tab_layout():
    text = render_tab(boshan_report())
    lines = text.splitlines()
    start = lines.index("## 三、收到和处理政府信息公开申请情况") + 2
    table3 = lines[start : start + 28]
    assert [len(ln.split("\t")) for ln in table3] == [10] * 28
    assert table3[3].split("\t") == ["一、本年新收政府信息公开申请数量", "", "", *NEW_ROW]
    assert table3[5].split("\t")[:3] == ["三、本年度办理结果", "（一）予以公开", ""]
    assert table3[7].split("\t")[:3] == ["", "（三）不予公开", "1.属于国家秘密"]
    assert table3[8].split("\t")[:3] == ["", "", "2.其他法律行政法规禁止公开"]
    assert "第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n" in text
    assert "\n行政许可\t19513\t\t\n" in text
    assert "\n6\t2\t5\t0\t13\t0\t0\t1\t0\t1\t0\t0\t2\t0\t2\n" in text
    blank = render_tab(_boshan_with_blank()).splitlines()
    assert blank[start + 3].split("\t")[3:] == ["61", "", "0", "0", "0", "0", "61"]


def test_space_layout_rows_wraps_and_footers():
    text = render_space(boshan_report())
    lines = text.splitlines()
    assert "一、本年新收政府信息公开申请数量 61 0 0 0 0 0 61" in lines
    assert "三、本年度办理结果 （一）予以公开 40 0 0 0 0 0 40" in lines
    wrapped = lines.index("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关 0 0 0 0 0 0 0")
    assert lines[wrapped + 1] == "不再处理其政府信息公开申请"
    assert "6 2 5 0 13 0 0 1 0 1 0 0 2 0 2" in lines
    footer = re.compile(r"^(— \d+ —|第 \d+ 页 共 \d+ 页)$")
    outputs = [render_space(boshan_report(), seed=s) for s in range(20)]
    assert all(sum(bool(footer.match(ln)) for ln in out.splitlines()) >= 1 for out in outputs[:5])
    assert len(set(outputs)) > 1
    assert render_space(boshan_report(), seed=3) == outputs[3]
    blank = render_space(_boshan_with_blank()).splitlines()
    assert "一、本年新收政府信息公开申请数量 61  0 0 0 0 61" in blank


def test_fused_layout():
    text = render_fused(boshan_report())
    assert "一、本年新收政府信息公开申请数量610000061二、上年结转" in text
    assert "1.属于国家秘密00000002.其他法律行政法规禁止公开10000013.危及" in text
    assert "尚未审结总计6250130010100202\n" in text
    assert "规章000行政规范性文件5312第二十条第（五）项" in text
    t3 = next(ln for ln in text.splitlines() if ln.startswith("（本列"))
    assert t3.endswith("四、结转下年度继续办理2000002")
    assert "数量61000061二、" in render_fused(_boshan_with_blank())


def _detached_table3(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("| （本列"))
    end = lines.index("## 四、政府信息公开行政复议、行政诉讼情况")
    return [ln for ln in lines[start:end] if ln]


def test_markdown_detached_layout():
    orders = set()
    for seed in range(12):
        table = _detached_table3(render_markdown_detached(boshan_report(), seed=seed))
        collapsed = " ".join(("申请人情况", "自然人", "法人或其他组织", *ORGS, "总计"))
        assert table[0].split(" | ")[1] == collapsed
        assert table[1] == "|---|---|---|---|---|---|---|---|"
        pages = [ln for ln in table if re.fullmatch(r"\| \d \||- \d -", ln)]
        assert len(pages) == 1
        rows = [ln for ln in table[2:] if ln not in pages]
        assert len(rows) == 50
        assert all(ln.count("|") == 9 for ln in rows)
        numbers = [i for i, ln in enumerate(rows) if ln.startswith("|  | ")]
        orders.add("grouped" if numbers == list(range(25, 50)) else "paired")
        if numbers == list(range(1, 50, 2)):
            orders.add("paired-ok")
        assert "|  | 61 | 0 | 0 | 0 | 0 | 0 | 61 |" in rows
        assert "| （三）不予公开 1.属于国家秘密 |  |  |  |  |  |  |  |" in rows
    assert orders == {"grouped", "paired", "paired-ok"}
    blank = _detached_table3(render_markdown_detached(_boshan_with_blank()))
    assert "|  | 61 |  | 0 | 0 | 0 | 0 | 61 |" in blank


def _ocr_table_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start, end = lines.index(LABELS[1]) + 1, lines.index(LABELS[4])
    generic = re.compile(r"^(列|Column)1\b")
    return [ln for ln in lines[start:end] if ln not in LABELS and not generic.match(ln)]


def test_ocr_layout_misreads_stay_within_bounds():
    report = boshan_report()
    expected = [row for g in grids(report) for row in g.rows if row.kind is not RowKind.HEAD]
    seps, labels_misread = set(), 0
    for seed in range(30):
        text = render_ocr(report, seed=seed)
        generic = re.search(r"^(列|Column)1( \| |  )(列|Column)2\2", text, re.M)
        assert generic
        sep = generic.group(2)
        seps.add(sep)
        digit_misreads = 0
        for line, row in zip(_ocr_table_lines(text), expected, strict=True):
            for got, cell in zip(line.split(sep), row.cells, strict=True):
                diffs = [(a, b) for a, b in zip(cell.text, got, strict=True) if a != b]
                if cell.header:
                    assert len(diffs) <= 2
                    assert all(MISREADS[a] == b for a, b in diffs)
                    labels_misread += bool(diffs)
                else:
                    assert len(diffs) <= 1
                    assert all(DIGIT_MISREADS[a] == b for a, b in diffs)
                    digit_misreads += len(diffs)
        assert digit_misreads <= MAX_DIGIT_MISREADS
    assert seps == {" | ", "  "}
    assert labels_misread > 0


def test_ocr_blank_cell_is_an_empty_field():
    texts = [render_ocr(_boshan_with_blank(), seed=s) for s in range(6)]
    piped = next(t for t in texts if "列1 | " in t or "Column1 | " in t)
    spaced = next(t for t in texts if "列1  " in t or "Column1  " in t)
    assert re.search(r"请数量 \| 6[1l] \|  \| [0O] \|", piped)
    assert re.search(r"请数量  6[1l]    [0O]  ", spaced)


# --- PDF fixtures ----------------------------------------------------------------------------


def test_pdf_fixture_reads_back_as_chinese_text():
    pytest.importorskip("reportlab")
    import pdfplumber

    from tests.report_pdf import render_pdf

    data = render_pdf(boshan_report())
    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) >= 2
    assert texts[0].splitlines()[0] == TITLE
    lines = "\n".join(texts).splitlines()
    assert "一、本年新收政府信息公开申请数量 61 0 0 0 0 0 61" in lines
    assert "6 2 5 0 13 0 0 1 0 1 0 0 2 0 2" in lines
    assert [f"第 {n} 页" in text for n, text in enumerate(texts, 1)] == [True] * len(texts)
