"""OCR repair of table 四: a misread figure is repaired only where one reading fits its sum.

The excerpts are written by hand; every expected value is counted by hand from the rule
维持 + 纠正 + 其他 + 尚未审结 = 总计 (国办公开办函〔2021〕30号, table 四).
"""

from __future__ import annotations

from gongkai.core.report import CellState, check, parse_text, read_report_bytes
from gongkai.core.report.checks import identities_of
from gongkai.core.report.fused import Shape, ocr_readings, repair_ocr_row
from gongkai.core.report.schema import TABLE4_IDS
from tests import devset

from .fixtures import TABLE3_PRINTED

SHAPE = Shape((5, 5, 5), sums=True)


def _tokens(row: str) -> list[str]:
    return row.split()


def test_readings_of_one_token() -> None:
    assert [r.value for r in ocr_readings("72")] == [72]
    assert [r.value for r in ocr_readings("1178")] == [1178, 178]  # a rule read as “1”
    assert [r.value for r in ocr_readings("]")] == [1, None]  # a digit 1, or a rule
    assert sorted(r.value for r in ocr_readings("20")) == [20, 26]  # “6” read as “0”
    assert sorted(r.value for r in ocr_readings("l2")) == [2, 12]
    assert ocr_readings("行政") == []


def test_unique_repair_is_recovered() -> None:
    # printed 5 2 1 0 8 | 11 3 0 2 16 | 1 0 0 1 2; OCR: “]” for 1, a rule glued to 8
    row = repair_ocr_row(_tokens("5 2 ] 0 18 11 3 0 2 16 1 0 0 1 2"), SHAPE)
    assert row is not None
    assert [c.candidates for c in row.cells[:5]] == [(5,), (2,), (1,), (0,), (8,)]
    assert row.cells[2].how and row.cells[4].how
    assert row.cells[0].as_printed and not row.cells[4].as_printed
    assert row.failed_groups == [] and row.ambiguous_groups == []


def test_several_repairs_leave_the_cells_ambiguous() -> None:
    # 111 3 0 2 16: 11+3+0+2=16 and 1+3+0+2=6 both fit (rules glued to both ends)
    row = repair_ocr_row(_tokens("5 2 ] 0 18 111 3 0 2 16 1 0 0 1 2"), SHAPE)
    assert row is not None
    assert row.cells[5].candidates == (1, 11)
    assert row.cells[9].candidates == (6, 16)
    assert row.cells[6].candidates == (3,)
    assert row.ambiguous_groups == [1]


def test_no_repair_leaves_doubtful_cells_unknown() -> None:
    # 72 64 1178 137 1331: no reading adds up (72+64+178+37 = 351, not 331 or 1331)
    row = repair_ocr_row(_tokens("72 64 1178 137 1331 1 0 0 1 2 1 0 0 1 2"), SHAPE)
    assert row is not None
    assert [c.candidates for c in row.cells[:5]] == [(72,), (64,), (), (), ()]
    assert row.failed_groups == [0]


def test_clean_group_that_breaks_its_sum_is_not_given_as_read() -> None:
    row = repair_ocr_row(_tokens("7 4 2 9 25 1 0 0 1 2 ] 0 0 0 1"), SHAPE)
    assert row is not None
    assert all(c.candidates == () for c in row.cells[:5])


def test_lone_mark_may_be_a_rule() -> None:
    # sixteen tokens for fifteen cells: the “|”-like mark between groups is a table rule
    row = repair_ocr_row(_tokens("1 0 0 0 1 ] 2 0 0 0 2 0 0 0 0 0"), SHAPE)
    assert row is not None
    assert [c.candidates[0] for c in row.cells] == [1, 0, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0]


def _report(table4_row: str) -> str:
    """A hand-written scanned report: table 三 of 5 applications, and table 四's OCR row."""
    rows3 = [
        ("一、本年新收政府信息公开申请数量", "5 0 0 0 0 0 5"),
        ("二、上年结转政府信息公开申请数量", "0 0 0 0 0 0 0"),
        ("（一）予以公开", "3 0 0 0 0 0 3"),
        ("（二）部分公开", "2 0 0 0 0 0 2"),
        *[(label, "0 0 0 0 0 0 0") for label in TABLE3_PRINTED[4:23]],
        ("（七）总计", "5 0 0 0 0 0 5"),
        ("四、结转下年度继续办理", "0 0 0 0 0 0 0"),
    ]
    table3 = "\n".join(f"{label}  {numbers.replace(' ', '  ')}" for label, numbers in rows3)
    return (
        "某县人民政府2024年政府信息公开工作年度报告\n\n一、总体情况\n本年度工作平稳。\n\n"
        "二、主动公开政府信息情况\n\n规章  0  0  0\n行政规范性文件  2  1  9\n行政许可  40\n"
        "行政处罚  12\n行政强制  3\n行政事业性收费  1.5\n\n"
        "三、收到和处理政府信息公开申请情况\n\n"
        "自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  总计\n"
        f"{table3}\n\n四、政府信息公开行政复议、行政诉讼情况\n\n行政复议  行政诉讼\n"
        "结果维持 结果纠正 其他结果 尚未审结 总计\n\n"
        f"{table4_row}\n\n五、存在的主要问题及改进情况\n无。\n\n六、其他需要报告的事项\n无。\n"
    )


def test_scanned_table4_is_repaired_in_a_report() -> None:
    report = parse_text(_report("5 |2 ] 0 18 11 3 0 2 16 1 0 0 1 2"))
    cells = [report.cell(c) for c in TABLE4_IDS]
    assert [c.value for c in cells] == [5, 2, 1, 0, 8, 11, 3, 0, 2, 16, 1, 0, 0, 1, 2]
    assert cells[2].state is CellState.RECOVERED and "“1”" in (cells[2].recovered_by or "")
    assert cells[4].state is CellState.RECOVERED and "恒等式" in (cells[4].recovered_by or "")
    assert cells[0].state is CellState.NUMBER
    findings = check(report)
    assert not [f for f in findings if f.code == "T4_GROUP_SUM"]
    recovered = [f for f in findings if f.code == "CELL_RECOVERED"]
    assert recovered and "表四“行政复议”合计" in recovered[0].message


def test_typed_table4_that_breaks_its_sum_is_kept_as_printed() -> None:
    # no OCR trace: a printed error stays printed, and the check reports it
    report = parse_text(_report("10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"))
    assert [report.value(c) for c in TABLE4_IDS[:5]] == [10, 1, 0, 0, 0]
    assert [f.code for f in check(report)].count("T4_GROUP_SUM") == 2


def test_identity_of_a_cell_is_named() -> None:
    assert "维持+纠正+其他+尚未审结=总计" in identities_of("table4.reconsideration.total")[0]
    assert len(identities_of("table3.total.natural_person")) == 3
    assert "上年" in identities_of("table2.normative.in_force")[0]


def test_devset_ocr_table4() -> None:
    """File 02's OCR row “72 |64 1178 137 1331 113 14 8 ] 20 |12 |1 ] 0 20”; printed
    72 64 178 37 351 | 13 4 8 1 26 | 12 1 1 6 20 (SOURCES.md, read off the page)."""
    truth = devset.truth("02_huaianshi_2024_ocr.txt")
    printed = [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]
    report = read_report_bytes(devset.dev_path("02_huaianshi_2024_ocr.txt").read_bytes())
    for cid, want in zip(TABLE4_IDS, printed, strict=True):
        group, column = cid.split(".")[1:]
        known = truth["table4"][group][column]
        cell = report.cell(cid)
        if known is not None:
            assert cell.value == known, cid
        elif cell.value is not None:  # a repair where the truth is null must be the printed value
            assert cell.state is CellState.RECOVERED and cell.value == want, cid
    assert report.value("table4.reconsideration.total") is None
    assert not [f for f in report.errors if f.code.startswith("T4")]
