"""Tables 二 and 四 whose labels stand apart from their numbers, read by the fixed order.

Every excerpt below is written by hand in the shapes text tools give real reports
(pdftotext's default mode, PDF→markdown, crawled web text); the expected values are the
figures written in the excerpt, counted by hand. Table 二 has no identity inside it, so its
numbers are assigned by order and checked against where the labels stand; table 四's each
group adds up to its 总计 (国办公开办函〔2021〕30号, 《中华人民共和国政府信息公开条例》第五十条).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.core.report import CellState, check, parse_text
from gongkai.core.report.schema import TABLE2_IDS, TABLE4_IDS

from .fixtures import TABLE3_PRINTED

_LABELS3 = TABLE3_PRINTED
# 8 new applications from natural persons: 6 granted, 2 partly; none carried over.
_ROWS3 = {0: "8 0 0 0 0 0 8", 2: "6 0 0 0 0 0 6", 3: "2 0 0 0 0 0 2", 23: "8 0 0 0 0 0 8"}


def _table3(form: str) -> str:
    lines = []
    for i, label in enumerate(_LABELS3):
        numbers = _ROWS3.get(i, "0 0 0 0 0 0 0").split()
        if form == "pipe":
            lines.append(f"| {label} | {' | '.join(numbers)} |")
        elif form == "lines":
            lines.append("\n\n".join([label, *numbers]) + "\n")
        else:
            lines.append(f"{label} {' '.join(numbers)}")
    head = {
        "pipe": "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 "
        "| 其他 | 总计 |\n|---|---|---|---|---|---|---|---|",
        "lines": "自然人\n\n商业\n企业\n\n科研\n机构\n\n社会公益组织\n\n法律服务机构\n\n"
        "其他\n\n总计\n",
        "space": "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计",
    }[form]
    return head + "\n" + "\n".join(lines)


def _report(table2: str, table4: str, form: str) -> str:
    """A hand-written report around the two excerpts; table 三 in the same text form."""
    return (
        "某区人民政府2024年政府信息公开工作年度报告\n\n一、总体情况\n本年度工作平稳有序。\n\n"
        f"二、主动公开政府信息情况\n{table2}\n\n三、收到和处理政府信息公开申请情况\n"
        f"{_table3(form)}\n\n四、政府信息公开行政复议、行政诉讼情况\n{table4}\n\n"
        "五、存在的主要问题及改进情况\n无。\n\n六、其他需要报告的事项\n无。\n"
    )


def _values(report, ids) -> list:
    return [report.value(c) for c in ids]


# --- pdftotext default mode: one cell per line, labels detached -------------------------

# Table 二 with every row's figures after its label, except 行政事业性收费, whose figure
# stands before it (the label was centred on two lines); a page footer between 行政许可 and
# its number; the 规章 row's figures separated by empty lines.
_LINES_T2 = """第二十条第（一）项
信息内容

本年制发件数

本年废止件数

现行有效件数

规章

2

0

14

行政规范性文件

5

1

23

第二十条第（五）项
信息内容
行政许可

- 3 -

本年处理决定数量
1260

第二十条第（六）项

信息内容

本年处理决定数量

行政处罚

418

行政强制

37
第二十条第（八）项
信息内容

本年收费金额（单位：万元）
35.8

行政事业性收费
"""
_LINES_T2_WANT = [2, 0, 14, 5, 1, 23, 1260, 418, 37, Decimal("35.8")]

# Table 四 with its header words on many lines and the last group's “总计” printed between
# its 尚未审结 and its total: 3 1 0 1 5 | 2 0 0 1 3 | 1 0 0 0 1.
_LINES_T4 = """行政复议

行政诉讼
未经复议直接起诉

复议后起诉

结果
维持

结果
纠正

其他
结果

尚未
总 计 结果 结果 其他 尚未
结果 结果 其他 尚未
审结
总 计
维持 纠正 结果 审结
维持 纠正 结果 审结

3

1

0

1

5

2

0

0

1

3

1

0

0

0

总计

1
"""
_LINES_T4_WANT = [3, 1, 0, 1, 5, 2, 0, 0, 1, 3, 1, 0, 0, 0, 1]


def test_pdftotext_default_mode_tables_2_and_4() -> None:
    report = parse_text(_report(_LINES_T2, _LINES_T4, "lines"))
    assert _values(report, TABLE2_IDS) == _LINES_T2_WANT
    assert _values(report, TABLE4_IDS) == _LINES_T4_WANT
    assert all(report.cell(c).state is CellState.NUMBER for c in TABLE2_IDS + TABLE4_IDS)
    assert not [f for f in check(report) if f.severity.value == "error"]


def test_every_value_before_its_label() -> None:
    # a label column read after the number column, row by row: the value, then the label
    block = (
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n"
        "0\n0\n3\n规章\n4\n2\n17\n行政规范性文件\n88\n行政许可\n9\n行政处罚\n"
        "0\n行政强制\n0.5\n行政事业性收费\n"
    )
    report = parse_text(_report(block, _LINES_T4, "lines"))
    assert _values(report, TABLE2_IDS) == [0, 0, 3, 4, 2, 17, 88, 9, 0, Decimal("0.5")]


def test_header_words_split_by_spaces() -> None:
    # crawled text: each header character spaced, the numbers one per line
    table4 = (
        "行 政 复 议 行 政 诉 讼\n未 经 复 议 直 接 起 诉 复 议 后 起 诉\n"
        "结 果 维 持 结 果 纠 正 其 他 结 果 尚 未 审 结 总 计\n"
        "4\n2\n0\n1\n7\n总 计\n1\n0\n0\n0\n1\n0\n1\n0\n0\n1\n"
    )
    report = parse_text(_report(_LINES_T2, table4, "lines"))
    assert _values(report, TABLE4_IDS) == [4, 2, 0, 1, 7, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1]


# --- PDF→markdown: number rows apart from their labels, wrapped labels, split tables -----

_MD_T2 = """| 第二十条第（一）项 |  |  |  |
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|---|---|---|---|
| 规章 |  |  |  |
| 行政规范 |  |  |  |
| 性文件 |  |  |  |
|  | 1 | 0 | 6 |
|  | 12 | 3 | 41 |
| 第二十条第（五）项 |  |
| 信息内容 | 本年处理决定数量 |
|---|---|
| 行政许可 |  |
|  | 530 |

- 2 -

| 第二十条第（六）项 |  |
|---|---|
| 行政处罚 |  |
| 行政强制 |  |
|  | 96 |
|  | 4 |
| 信息内容 | 本年收费金额（单位：万元） |
| 行政事业 |  |
| 性收费 |  |
|  | 0 |"""
_MD_T2_WANT = [1, 0, 6, 12, 3, 41, 530, 96, 4, 0]

# Table 四 printed with a group per row, its label in the first column and the number rows
# below the header.
_MD_T4 = """| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|---|---|---|---|---|---|
| 行政复议 | 4 | 2 | 0 | 1 | 7 |
| 行政诉讼 未经复议直接起诉 | 1 | 0 | 0 | 0 | 1 |
| 行政诉讼 复议后起诉 | 0 | 1 | 0 | 0 | 1 |"""
_MD_T4_WANT = [4, 2, 0, 1, 7, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1]


def test_markdown_number_rows_apart_from_wrapped_labels() -> None:
    report = parse_text(_report(_MD_T2, _MD_T4, "pipe"))
    assert _values(report, TABLE2_IDS) == _MD_T2_WANT
    assert _values(report, TABLE4_IDS) == _MD_T4_WANT


def test_markdown_table4_split_in_two_without_header() -> None:
    # the header on one page; the figures on the next, as a table of their own whose
    # first row is the data (the converter made it the header row)
    table4 = (
        "| 行政复议 |  |  |  |  | 行政诉讼 |  |  |  |  |  |  |  |  |  |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "|  |  |  |  |  | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  |  |\n"
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 "
        "| 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n\n- 4 -\n\n"
        "| 6 | 1 | 1 | 2 | 10 | 3 |\n|---|---|---|---|---|---|\n"
        "| 0 | 0 | 1 | 4 | 2 | 0 | 0 | 0 | 2 |"
    )
    report = parse_text(_report(_MD_T2, table4, "pipe"))
    assert _values(report, TABLE4_IDS) == [6, 1, 1, 2, 10, 3, 0, 0, 1, 4, 2, 0, 0, 0, 2]


def test_markdown_table2_split_in_two_without_header() -> None:
    # rows 规章 … 行政许可 on one page; 行政处罚 … on the next with no header row
    block = (
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
        "| 规章 | 0 | 0 | 2 |\n| 规范性文件 | 7 | 1 | 30 |\n| 行政许可 | 2210 |  |  |\n\n- 2 -\n\n"
        "| 行政处罚 | 145 |\n|---|---|\n| 行政强制 | 11 |\n| 行政事业性收费 | 12.35 |"
    )
    report = parse_text(_report(block, _MD_T4, "pipe"))
    assert _values(report, TABLE2_IDS) == [0, 0, 2, 7, 1, 30, 2210, 145, 11, Decimal("12.35")]


# --- nothing guessed ------------------------------------------------------------------


def test_two_readings_of_table4_leave_the_cells_unknown() -> None:
    # a stray “1” among 行政复议's figures: “2 1 0 1 0 3” reads as 2 1 0 0 3 or 2 0 1 0 3,
    # both adding up to 3; the two other groups read the same either way
    table4 = _LINES_T4.replace("3\n\n1\n\n0\n\n1\n\n5\n", "2\n\n1\n\n0\n\n1\n\n0\n\n3\n", 1)
    report = parse_text(_report(_LINES_T2, table4, "lines"))
    cells = [report.cell(c) for c in TABLE4_IDS]
    assert [c.value for c in cells] == [2, None, None, 0, 3, 2, 0, 0, 1, 3, 1, 0, 0, 0, 1]
    assert cells[1].state is CellState.AMBIGUOUS and cells[1].candidates == (0, 1)
    assert cells[2].state is CellState.AMBIGUOUS and cells[2].candidates == (0, 1)
    assert any(
        f.code == "PARSE_AMBIGUOUS_DIGITS" and "行政复议" in f.message for f in report.findings
    )


def test_table4_that_no_reading_fits_gives_no_number() -> None:
    # 行政复议 printed 3 1 0 1 6: no order of the figures adds up, nothing is given
    table4 = _LINES_T4.replace("1\n\n5\n\n2", "1\n\n6\n\n2", 1)
    report = parse_text(_report(_LINES_T2, table4, "lines"))
    values = _values(report, TABLE4_IDS)
    assert values[:14] == [None] * 14 and values[14] in (None, 1)
    for g in range(3):  # no group is given with a broken sum
        group = values[g * 5 : g * 5 + 5]
        assert None in group or sum(group[:4]) == group[4]


def test_two_readings_of_table2_leave_the_cells_unknown() -> None:
    # the label column apart from the numbers, and one number too many (“7”): any of the
    # eleven may be the stray one, so no cell can be told
    block = (
        "规章\n行政规范性文件\n行政许可\n行政处罚\n行政强制\n行政事业性收费\n"
        "1\n0\n6\n12\n3\n41\n530\n96\n4\n0\n7\n"
    )
    report = parse_text(_report(block, _LINES_T4, "lines"))
    cells = [report.cell(c) for c in TABLE2_IDS]
    assert all(c.value is None for c in cells)
    assert cells[0].state is CellState.AMBIGUOUS and cells[0].candidates == (0, 1)


def test_table2_reading_whose_row_straddles_a_label_is_not_given() -> None:
    # 规章 printed with two figures, 行政规范性文件 with four: read in order, 规章 would take
    # “14” from under the next label, so the two rows stay unknown
    block = (
        "规章\n\n2\n\n0\n\n行政规范性文件\n\n14\n\n5\n\n1\n\n23\n\n行政许可\n\n1260\n\n"
        "行政处罚\n\n418\n\n行政强制\n\n37\n\n行政事业性收费\n\n35.8\n"
    )
    report = parse_text(_report(block, _LINES_T4, "lines"))
    assert _values(report, TABLE2_IDS) == [None] * 6 + [1260, 418, 37, Decimal("35.8")]


@pytest.mark.parametrize(
    ("numbers", "want"),
    [
        ("2 0 14 5 1 23 1260 418 37 35.8", [2, 0, 14, 5, 1, 23, 1260, 418, 37, Decimal("35.8")]),
        # a decimal falls on 行政强制, a count of decisions: no reading, nothing given by
        # order (the label reading of the last row is another matter: not tested here)
        ("2 0 14 5 1 23 1260 418 37.5 35", [None] * 9),
    ],
)
def test_table2_label_column_apart_decimal_only_in_fees(numbers: str, want: list) -> None:
    block = (
        "规章\n行政规范性文件\n行政许可\n行政处罚\n行政强制\n行政事业性收费\n"
        + "\n".join(numbers.split())
        + "\n"
    )
    report = parse_text(_report(block, _LINES_T4, "lines"))
    assert _values(report, TABLE2_IDS)[: len(want)] == want


def test_clean_label_reading_is_not_touched() -> None:
    block = (
        "规章 0 0 0\n行政规范性文件 2 1 9\n行政许可 40\n行政处罚 12\n行政强制 3\n行政事业性收费 1.5"
    )
    table4 = (
        "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n"
        "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"
    )
    report = parse_text(_report(block, table4, "space"))
    assert _values(report, TABLE2_IDS) == [0, 0, 0, 2, 1, 9, 40, 12, 3, Decimal("1.5")]
    # a printed error in table 四 stays as printed, and the check names it
    assert _values(report, TABLE4_IDS)[:5] == [10, 1, 0, 0, 0]
    assert [f.code for f in check(report)].count("T4_GROUP_SUM") == 2


@pytest.mark.parametrize(
    ("old", "new", "fees"),
    [
        # the fee printed “/” (not applicable): a cell of its own in the order
        ("35.8", "/", None),
        # ordinals whose dot was lost (“1 规章”): not cells, the rows' figures stay in place
        ("规章\n", "1 规章\n", Decimal("35.8")),
        # the fee's label broken around its figure
        ("35.8\n\n行政事业性收费", "行政事业\n35.8\n性收费", Decimal("35.8")),
    ],
)
def test_detached_table2_variants(old: str, new: str, fees: Decimal | None) -> None:
    block = _LINES_T2.replace(old, new)
    report = parse_text(_report(block, _LINES_T4, "lines"))
    assert _values(report, TABLE2_IDS) == [*_LINES_T2_WANT[:9], fees]
    if fees is None:
        assert report.cell("table2.fees_wan_yuan").state is CellState.NOT_APPLICABLE


def test_number_stream_is_bounded_and_linear() -> None:
    from gongkai.core.report import decode_small

    # one line of 200 000 numbers and footers: refused after MAX_TOKENS, not searched
    text = " ".join(f"{i % 10} - {i % 90 + 1} -" for i in range(200_000))
    assert decode_small.number_stream(text, 0, len(text)) is None
    # a run of 5 000 digits is no cell (and does not hit Python's int conversion limit)
    text = "规章 " + "9" * 5000 + " 1 2"
    assert [t.value for t in decode_small.number_stream(text, 0, len(text)) or []] == [1, 2]


_LABELS_FIRST = """二、主动公开政府信息情况
信息内容 本年制发件数 本年废止件数 现行有效件数
规章
行政规范性文件
行政许可
行政处罚
行政强制
行政事业性收费
{numbers}
三、收到和处理政府信息公开申请情况
"""


@pytest.mark.parametrize(
    "numbers",
    [
        "0 0 3\n5 2 40\n120\n33\n4\n1.5\n7\n8\n9",  # three strays: no decode fits
        "0 0 3\n5 2 40\n120\n33\n4",  # the fee missing: no decode fits
        "0 0 3 5 2 40 120 33 4 1.5 6 7 8",  # all on one line, with strays
    ],
)
def test_labels_first_with_no_fitting_decode_gives_the_last_row_no_borrowed_figure(
    numbers: str,
) -> None:
    """Every label printed first, then numbers that fit no reading: the numbers after
    行政事业性收费 are the earlier rows' too, so neither its first number (规章's 0) nor a run of
    them fused into one is taken as the fee."""
    from gongkai.core.report.tables.layout import Layout
    from gongkai.core.report.tables.table2 import read_table2

    text = _LABELS_FIRST.format(numbers=numbers)
    cells = read_table2(text, 0, len(text), Layout("lines", gap=0)).cells
    assert [cells[c].value for c in TABLE2_IDS] == [None] * 10


def test_labels_first_with_a_fitting_decode_reads_every_figure() -> None:
    from gongkai.core.report.tables.layout import Layout
    from gongkai.core.report.tables.table2 import read_table2

    text = _LABELS_FIRST.format(numbers="0 0 3\n5 2 40\n120\n33\n4\n1.5")
    cells = read_table2(text, 0, len(text), Layout("lines", gap=0)).cells
    assert [cells[c].value for c in TABLE2_IDS] == [0, 0, 3, 5, 2, 40, 120, 33, 4, Decimal("1.5")]
