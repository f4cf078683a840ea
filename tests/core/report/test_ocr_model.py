"""A scanned report's own OCR confusions, learned from repairs its identities proved, and
applied to table 二 (which has no identity): a figure an observed confusion could have
produced is not given as read.

The excerpts are written by hand (an imaginary 某某县 report); every expected value is
counted by hand: table 四's rule 维持 + 纠正 + 其他 + 尚未审结 = 总计 (国办公开办函〔2021〕30号)
proves the confusion, and each table-二 candidate is the figure with the confused digit
replaced (“30” with “6”→“0” proved: 30 or 36).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.core.report import CellState, from_json, read_report_bytes, to_json
from gongkai.core.report.fused import RULE, Confusion, confusions_of
from gongkai.core.report.ocr_model import FACT_KEY, Observed, readings
from gongkai.core.report.schema import TABLE2_IDS
from tests import devset

from .fixtures import TABLE3_PRINTED

SIX_AS_ZERO = Observed(Confusion("6", "0", "digit"))

_OTHER_ROWS = TABLE3_PRINTED[4:23]


def _report(table2: str, table4_row: str, prose: str = "本年度工作平稳。") -> bytes:
    """A hand-written report of 某某县: 7 applications (4 granted, 3 partly), ``table2`` and
    table 四's row as the OCR gave it."""
    rows3 = [
        ("一、本年新收政府信息公开申请数量", "7 0 0 0 0 0 7"),
        ("二、上年结转政府信息公开申请数量", "0 0 0 0 0 0 0"),
        ("（一）予以公开", "4 0 0 0 0 0 4"),
        ("（二）部分公开", "3 0 0 0 0 0 3"),
        *[(label, "0 0 0 0 0 0 0") for label in _OTHER_ROWS],
        ("（七）总计", "7 0 0 0 0 0 7"),
        ("四、结转下年度继续办理", "0 0 0 0 0 0 0"),
    ]
    table3 = "\n".join(f"{label}  {numbers.replace(' ', '  ')}" for label, numbers in rows3)
    text = (
        "某某县人民政府2024年政府信息公开工作年度报告\n\n一、总体情况\n"
        f"{prose}\n\n二、主动公开政府信息情况\n\n{table2}\n\n"
        "三、收到和处理政府信息公开申请情况\n\n"
        "自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  总计\n"
        f"{table3}\n\n四、政府信息公开行政复议、行政诉讼情况\n\n行政复议  行政诉讼\n"
        "结果维持 结果纠正 其他结果 尚未审结 总计\n\n"
        f"{table4_row}\n\n五、存在的主要问题及改进情况\n无。\n\n六、其他需要报告的事项\n无。\n"
    )
    return text.encode()


TABLE2 = (
    "规章  1  0  4\n行政规范性文件  5  2  30\n行政许可  1257\n"
    "行政处罚  308\n行政强制  47\n行政事业性收费  2.05"
)
#: Printed 3 1 0 2 6 | 2 0 0 0 2 | 0 0 0 0 0. The OCR glued a rule to the “1” (“|1”) and
#: read the total 6 as “0”: only 3 + 1 + 0 + 2 = 6 fits, so “6”→“0” is proved.
TABLE4_SIX_AS_ZERO = "3 |1 0 2 0 2 0 0 0 2 0 0 0 0 0"
#: Printed 25 4 0 0 29 | 0 …: a rule read as “1” glued to the 4 (“14”), one as “|” after 29;
#: of 25 + (14 or 4) + (0 or 6) + (0 or 6) = 29 or 291, only 25 + 4 + 0 + 0 = 29 fits.
TABLE4_RULE_GLUED = "25 14 0 0 29| 0 0 0 0 0 0 0 0 0 0"
PROSE = "全年作出行政处罚决定308件，各项工作平稳推进。"


def _read(table2: str, table4_row: str, prose: str = PROSE):
    return read_report_bytes(_report(table2, table4_row, prose), name="某某县.txt")


# --- the pieces ------------------------------------------------------------------------------


def test_repairs_name_their_confusions() -> None:
    assert confusions_of("20", 26) == (Confusion("6", "0", "digit"),)
    assert confusions_of("113", 13) == (Confusion(RULE, "1", "rule"),)
    assert confusions_of("]", 1) == (Confusion("1", "]", "mark"),)
    assert confusions_of("1O5", 105) == (Confusion("0", "O", "letter"),)
    assert confusions_of("20", 20) == ()  # as read: no confusion
    assert confusions_of("20", 99) is None  # no standard confusion gives it


def test_readings_of_a_figure() -> None:
    swaps = {"0": [SIX_AS_ZERO]}
    assert readings("30", swaps, False) == [30, 36]
    assert readings("600", swaps, False) == [600, 606, 660, 666]
    assert readings("1257", swaps, False) == [1257]  # no “0”: nothing to confuse
    assert readings("0", swaps, False) == [0, 6]
    assert readings("2.05", swaps, False, decimal=True) == [Decimal("2.05"), Decimal("2.65")]
    assert readings("113", {}, True) == [13, 113]  # a rule glued to the front
    assert readings("10000000", swaps, False) is None  # 2**7 readings: too many to list


# --- a scanned report ----------------------------------------------------------------------------


def test_proved_six_as_zero_makes_table2_zeros_ambiguous() -> None:
    report = _read(TABLE2, TABLE4_SIX_AS_ZERO)
    total = report.cell("table4.reconsideration.total")
    assert total.state is CellState.RECOVERED and total.value == 6
    cells = {cid: report.cell(cid) for cid in TABLE2_IDS}
    ambiguous = {cid: c.candidates for cid, c in cells.items() if c.state is CellState.AMBIGUOUS}
    assert ambiguous == {
        "table2.rules.repealed": (0, 6),
        "table2.normative.in_force": (30, 36),
        "table2.fees_wan_yuan": (Decimal("2.05"), Decimal("2.65")),
    }
    # no “0” in them, or the prose states the same figure: kept as read
    assert [report.value(c) for c in TABLE2_IDS if c not in ambiguous] == [
        1,
        4,
        5,
        2,
        1257,
        308,
        47,
    ]
    why = [f for f in report.findings if f.code == "OCR_TABLE2_CONFUSABLE"]
    assert len(why) == 3
    assert "扫描识别文本" in why[0].message and "表四中已查实“6”被识别为“0”" in why[0].message
    assert "含“0”" in why[0].message and "待核" in why[0].message
    confirmed = [f for f in report.findings if f.code == "OCR_TABLE2_CONFIRMED"]
    assert [f.cells for f in confirmed] == [("table2.punishment",)]
    assert not report.errors


def test_confusions_are_recorded_in_the_facts() -> None:
    report = _read(TABLE2, TABLE4_SIX_AS_ZERO)
    facts = {(f["printed"], f["read"]): f for f in report.facts[FACT_KEY]}
    assert facts[("6", "0")]["cells"] == ["table4.reconsideration.total"]
    assert facts[("6", "0")]["examples"] == [["0", "6"]]
    again = from_json(to_json(report))
    assert again.facts[FACT_KEY] == report.facts[FACT_KEY]
    assert again.cell("table2.fees_wan_yuan").candidates == (Decimal("2.05"), Decimal("2.65"))


def test_without_prose_the_same_figure_is_ambiguous() -> None:
    report = _read(TABLE2, TABLE4_SIX_AS_ZERO, "本年度工作平稳。")
    assert report.cell("table2.punishment").candidates == (308, 368)


def test_a_rule_glued_in_table4_does_not_reach_table2_without_marks_there() -> None:
    # the “1” of “14” is a rule (proved), yet table 二's cells show no rule mark, its
    # columns are wide: “1257” and “1” stay as read; no “6”→“0” proved: “30” stays too
    report = _read(TABLE2, TABLE4_RULE_GLUED)
    assert report.cell("table4.reconsideration.corrected").value == 4
    assert report.cell("table4.reconsideration.total").value == 29
    assert [f["read"] for f in report.facts[FACT_KEY]] == ["1"]  # the “|” was dropped as read
    assert {f["kind"] for f in report.facts[FACT_KEY]} == {"rule"}
    assert all(report.cell(c).state is CellState.NUMBER for c in TABLE2_IDS)
    assert not [f for f in report.findings if f.code.startswith("OCR_TABLE2")]


def test_typed_report_is_read_as_printed() -> None:
    # no OCR trace, table 四 adds up: nothing proved, nothing doubted
    report = _read(TABLE2, "3 1 0 2 6 2 0 0 0 2 0 0 0 0 0")
    assert all(report.cell(c).state is CellState.NUMBER for c in TABLE2_IDS)
    assert FACT_KEY not in report.facts
    assert report.value("table2.normative.in_force") == 30


# --- the development set ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["02_huaianshi_2024_ocr.txt"])
def test_devset_ocr_table2_gives_no_wrong_number(name: str) -> None:
    """File 02 (淮安 2024, OCR): table 四's repairs prove “6”→“0”; table 二's 「20」 [printed
    26], 「600」 [66] and 「90171.0」 [96171.6] are not given as read (SOURCES.md)."""
    truth = devset.truth(name)["table2"]
    report = read_report_bytes(devset.dev_path(name).read_bytes(), name=name)
    lost = []
    for cid in TABLE2_IDS:
        keys = cid.split(".")[1:]
        want = truth[keys[0]] if len(keys) == 1 else truth[keys[0]][keys[1]]
        cell = report.cell(cid)
        if want is None:
            assert cell.value is None, cid  # never a number where the truth is unknowable
        elif cell.value is None:
            assert cell.state is CellState.AMBIGUOUS and want in cell.candidates, cid
            lost.append(cid)
        else:
            assert cell.value == want, cid
    assert lost == ["table2.rules.repealed"]  # “0”: could be a misread 6, nothing confirms it
    assert 26 in report.cell("table2.normative.repealed").candidates
    assert Decimal("96171.6") in report.cell("table2.fees_wan_yuan").candidates
    proved = {(f["printed"], f["read"]): f["cells"] for f in report.facts[FACT_KEY]}
    assert proved[("6", "0")] == [
        "table4.litigation_direct.total",
        "table4.litigation_after_reconsideration.pending",
    ]
