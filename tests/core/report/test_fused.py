"""Digits whose separators were lost are recovered only where the arithmetic is unique."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.core.report import CellState, parse_text
from gongkai.core.report.fused import Shape, Table3Problem, split_row
from gongkai.core.report.schema import OUTCOME_ROWS, TABLE3_COLUMN_KEYS, TABLE3_ROWS, table3_id

GOLDEN = Path(__file__).parent / "golden"


def test_split_row_unique_reading() -> None:
    assert split_row(["610000061"], Shape((7,), sums=True)) == [(61, 0, 0, 0, 0, 0, 61)]


def test_split_row_lists_every_reading_that_sums() -> None:
    readings = split_row(["1026424226312710572"], Shape((7,), sums=True))
    assert (10264, 242, 2, 6, 31, 27, 10572) in readings
    assert len(readings) == 3
    assert all(sum(r[:6]) == r[6] for r in readings)


def test_split_row_respects_surviving_separators() -> None:
    assert split_row(["61", "00000", "61"], Shape((7,), sums=True)) == [(61, 0, 0, 0, 0, 0, 61)]
    assert split_row(["6", "10000061"], Shape((7,), sums=True)) == []


def test_split_row_without_identity_is_ambiguous() -> None:
    assert split_row(["466"], Shape((3,), sums=False)) == [(4, 6, 6)]
    assert sorted(split_row(["4066"], Shape((3,), sums=False))) == [(4, 0, 66), (40, 6, 6)]


def test_table4_groups_decode() -> None:
    digits = "355247752508766822112626193011 7".replace(" ", "")
    assert split_row([digits], Shape((5, 5, 5), sums=True)) == [
        (355, 24, 77, 52, 508, 76, 6, 8, 22, 112, 62, 6, 19, 30, 117)
    ]


def test_cross_row_identities_narrow_the_readings() -> None:
    rows = {k: [tuple([0] * 7)] for k, _, _ in TABLE3_ROWS}
    rows["new"] = [(5, 0, 0, 0, 0, 0, 5), (4, 1, 0, 0, 0, 0, 5)]
    rows["granted"] = [(5, 0, 0, 0, 0, 0, 5)]
    rows["total"] = [(5, 0, 0, 0, 0, 0, 5)]
    solved = Table3Problem(rows, OUTCOME_ROWS).solve()
    assert solved is not None
    assert solved["new"] == [(5, 0, 0, 0, 0, 0, 5)]


def _fused_document(golden: str) -> str:
    """A crawled page of a golden report: every separator inside the tables lost."""
    exp = json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
    t2 = exp["table2"]
    t3 = "".join(
        (group if i in (2,) else "") + label + "".join(map(str, exp["table3"][key]))
        for i, (key, group, label) in enumerate(TABLE3_ROWS)
    )
    t4 = "".join(map(str, exp["table4"]))
    return (
        f"{exp['agency']}{exp['year']}年政府信息公开工作年度报告\n一、总体情况\n略。\n"
        "二、主动公开政府信息情况\n第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数"
        f"规章{''.join(map(str, t2[0:3]))}行政规范性文件{''.join(map(str, t2[3:6]))}"
        f"第二十条第(五)项信息内容本年处理决定数量行政许可{t2[6]}"
        f"第二十条第(六)项信息内容本年处理决定数量行政处罚{t2[7]}行政强制{t2[8]}"
        f"第二十条第(八)项信息内容本年收费金额(单位:万元)行政事业性收费{t2[9]}\n"
        "三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
        f"申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他{t3}\n"
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果"
        f"尚未审结总计{t4}\n五、存在的主要问题及改进情况\n略。\n六、其他需要报告的事项\n无。\n"
    )


def test_fused_boshan_recovers_every_table3_cell() -> None:
    text = _fused_document("boshan-2024.json")
    assert "610000061二、上年结转" in text
    assert "00000002.其他法律" in text
    report = parse_text(text)
    exp = json.loads((GOLDEN / "boshan-2024.json").read_text(encoding="utf-8"))
    for key, row in exp["table3"].items():
        cells = [report.cell(table3_id(key, c)) for c in TABLE3_COLUMN_KEYS]
        assert [c.value for c in cells] == row, key
        assert all(c.state is CellState.RECOVERED for c in cells)
        assert all(c.recovered_by and "分隔丢失" in c.recovered_by for c in cells)
    assert report.layout == "fused"
    assert [
        report.value(f"table4.reconsideration.{c}")
        for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [6, 2, 5, 0, 13]


def test_fused_qingdao_leaves_ambiguous_cells_unknown_with_candidates() -> None:
    report = parse_text(_fused_document("qingdao-2024.json"))
    exp = json.loads((GOLDEN / "qingdao-2024.json").read_text(encoding="utf-8"))
    ambiguous = [c for c in report.cells.values() if c.state is CellState.AMBIGUOUS]
    recovered = {
        cid: c.value
        for cid, c in report.cells.items()
        if c.state is CellState.RECOVERED and cid.startswith("table3.")
    }
    # Every cell that was recovered is right; none was guessed.
    for cid, value in recovered.items():
        _, row, col = cid.split(".")
        cols = list(TABLE3_COLUMN_KEYS)
        assert exp["table3"][row][cols.index(col)] == value, cid
    for cell in ambiguous:
        assert cell.value is None and len(cell.candidates) >= 2
    assert any(f.code == "PARSE_AMBIGUOUS_DIGITS" for f in report.findings)
    # 规章 “27115” has six readings: left unknown, candidates listed.
    assert report.cell("table2.rules.issued").state is CellState.AMBIGUOUS


@pytest.mark.parametrize("golden", ["boshan-2024.json", "jinan-office-2024.json"])
def test_fused_reports_have_no_errors_after_recovery(golden: str) -> None:
    from gongkai.core.report import check

    report = parse_text(_fused_document(golden))
    assert [f for f in check(report) if f.severity.value == "error"] == []
