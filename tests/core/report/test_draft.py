"""The pre-drafted narrative restates the tables so that no prose check finds fault with it."""

from __future__ import annotations

import copy
import inspect
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.report import check, compare, parse_text
from gongkai.core.report.draft import (
    EDIT_MARK,
    PENDING,
    DraftFacts,
    change,
    draft_narrative,
    draft_part,
    outcome_sentence,
    percent,
    placeholders,
    placeholders_message,
    received_sentence,
    remedies_sentence,
)
from gongkai.core.report.prose import check_fees
from gongkai.core.report.render import LAYOUTS
from gongkai.core.report.schema import (
    ALL_CELL_IDS,
    PART_KEYS,
    TABLE2_IDS,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_IDS,
    Cell,
    CellState,
    Report,
    empty_2021_report,
    table3_id,
)
from gongkai.core.report.synth import random_report

SEEDS = range(200)
PROSE_CODES = ("PROSE_", "FEE_")


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible test data


def _facts(report: Report, rng: random.Random) -> DraftFacts:
    notices = rng.choice((0, 0, 1, 4))
    yuan = Decimal(rng.choice((0, 100, 250))) if notices else Decimal(0)
    return DraftFacts(
        agency=report.agency or "某机关",
        year=report.year or 2024,
        fee_notices=notices,
        fee_paid_count=min(notices, 1) if yuan else 0,
        fee_yuan=yuan,
        supervisor=rng.choice((None, "青山市人民政府办公室")),
    )


def _pair(seed: int, **kwargs) -> tuple[Report, Report]:
    """This year's report with a drafted narrative, and last year's report."""
    rng = _rng(seed)
    report = random_report(rng, **kwargs)
    previous = random_report(rng, agency=report.agency, year=report.year - 1, **kwargs)
    report.narrative = draft_narrative(report, facts=_facts(report, rng), previous=previous)
    return report, previous


def _prose_findings(report: Report) -> list[str]:
    return [f.message for f in check(report) if f.code.startswith(PROSE_CODES)]


def _yoy_findings(previous: Report, report: Report) -> list[str]:
    return [f.message for f in compare(previous, report).findings if f.code == "PROSE_YOY_MISMATCH"]


# --- random reports ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_the_draft_agrees_with_the_tables(seed):
    report, previous = _pair(seed)
    assert list(report.narrative) == list(PART_KEYS)
    assert _prose_findings(report) == []
    assert _yoy_findings(previous, report) == []
    assert [f for f in check(report) if f.severity.value == "error"] == []


@pytest.mark.parametrize("kwargs", [{"scale": 0.002}, {"scale": 0.05}, {"blank_rate": 0.2}])
def test_small_and_blank_reports_too(kwargs):
    for seed in range(60):
        report, previous = _pair(seed, **kwargs)
        assert _prose_findings(report) == [], seed
        assert _yoy_findings(previous, report) == [], seed


def test_the_draft_states_checkable_figures():
    """The prose checks read the drafted sentences: a wrong table is noticed."""
    compared = 0
    for seed in range(40):
        report, previous = _pair(seed)
        wrong = copy.deepcopy(report)
        wrong.cells[table3_id("new", "total")] = Cell.number(report.t3("new") + 1)
        assert "PROSE_COUNT_MISMATCH" in {f.code for f in check(wrong)}
        stated = re.search(r"申请\d+件，比上年..[\d.]+(%|倍)", report.narrative["applications"])
        if stated and report.t3("new"):
            compared += 1
            unchanged = copy.deepcopy(previous)  # the same as this year: no change at all
            unchanged.cells[table3_id("new", "total")] = Cell.number(report.t3("new"))
            unchanged.cells[table3_id("carried_in", "total")] = Cell.number(0)
            assert _yoy_findings(unchanged, report), seed
    assert compared > 30


def test_synth_uses_the_same_sentences():
    for seed in range(20):
        report = random_report(_rng(seed))
        overview = report.narrative["overview"]
        assert received_sentence(report) + outcome_sentence(report) in overview
        assert report.narrative["remedies"] == remedies_sentence(report)


def test_draft_part_is_one_part_of_the_narrative():
    report, previous = _pair(3)
    facts = DraftFacts("青山市人民政府", 2024)
    whole = draft_narrative(report, facts=facts, previous=previous)
    for key in PART_KEYS:
        assert draft_part(key, report, facts=facts, previous=previous) == whole[key]
    with pytest.raises(ValueError, match="没有“preamble”这一部分"):
        draft_part("preamble", report, facts=facts)


LAYOUTS_READ_BACK = sorted(set(LAYOUTS) - {"fused", "ocr"})


@pytest.mark.parametrize("layout", LAYOUTS_READ_BACK)
def test_a_drafted_report_reads_back(layout):
    """Rendered and parsed again, a drafted report keeps its figures and its agreement."""
    render = LAYOUTS[layout]
    for seed in range(8):
        report, _ = _pair(seed)
        kwargs = {"seed": seed} if "seed" in inspect.signature(render).parameters else {}
        parsed = parse_text(render(report, **kwargs))
        assert [c for c in ALL_CELL_IDS if parsed.value(c) != report.value(c)] == []
        assert _prose_findings(parsed) == []


# --- a small report, word for word -------------------------------------------------------

#: row: (自然人, 商业企业); the other applicant columns are 0.
SMALL_T3 = {
    "new": (8, 2),
    "carried_in": (2, 0),
    "granted": (4, 1),
    "partial": (2, 0),
    "denied_4": (1, 0),
    "unable_1": (2, 0),
    "other_3": (0, 1),
    "total": (9, 2),
    "carried_out": (1, 0),
}
SMALL_T4 = (1, 1, 0, 1, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
SMALL_T2 = {
    "table2.rules.issued": 1,
    "table2.rules.repealed": 0,
    "table2.rules.in_force": 12,
    "table2.normative.repealed": 2,
    "table2.normative.in_force": 30,
    "table2.licensing": 120,
    "table2.punishment": 35,
    "table2.enforcement": 0,
    "table2.fees_wan_yuan": Decimal("1.25"),
}


def _small() -> Report:
    report = empty_2021_report("临河县人民政府", 2024)
    for row in TABLE3_ROW_KEYS:
        natural, commercial = SMALL_T3.get(row, (0, 0))
        values = dict.fromkeys(TABLE3_COLUMN_KEYS, 0)
        values |= {"natural_person": natural, "commercial": commercial}
        values["total"] = natural + commercial
        report.cells.update({table3_id(row, c): Cell.number(v) for c, v in values.items()})
    report.cells.update({c: Cell.number(v) for c, v in zip(TABLE4_IDS, SMALL_T4, strict=True)})
    report.cells.update({c: Cell.number(v) for c, v in SMALL_T2.items()})
    report.cells["table2.normative.issued"] = Cell(CellState.BLANK, None, "")
    return report


def _previous_of_small() -> Report:
    previous = empty_2021_report("临河县人民政府", 2023)
    previous.cells[table3_id("new", "total")] = Cell.number(8)
    previous.cells["table4.reconsideration.total"] = Cell.number(4)
    return previous


SMALL_FACTS = DraftFacts(
    agency="临河县人民政府",
    year=2024,
    fee_notices=2,
    fee_paid_count=1,
    fee_yuan=Decimal("200.00"),
    supervisor="青山市人民政府办公室",
)

EXPECTED = {
    "overview": (
        "2024年，临河县人民政府深入贯彻落实《中华人民共和国政府信息公开条例》和上级政务公开"
        "工作部署要求，坚持以公开为常态、不公开为例外，持续提升政府信息公开工作质效。\n"
        "全年新收到政府信息公开申请10件，共办结11件。"
        "本年度共办理政府信息公开行政复议3件，行政诉讼1件。\n"
        "请在此补充本年度主动公开、政府信息管理、政府信息公开平台建设、监督保障等方面的"
        "工作情况。（请根据本机关实际情况修改）"
    ),
    "proactive": (
        "本年度制发规章1件，废止0件，现行有效规章12件；制发行政规范性文件（待填报），"
        "废止2件，现行有效行政规范性文件30件。\n"
        "全年作出行政许可决定120件、行政处罚决定35件、行政强制决定0件；"
        "行政事业性收费金额1.25万元。"
    ),
    "applications": (
        "全年新收到政府信息公开申请10件，比上年增长25.0%，上年结转2件，共办结11件，"
        "结转至下一年度继续办理1件。\n"
        "从申请人类型看，自然人提出8件，法人或其他组织提出2件（商业企业2件）。\n"
        "从办理结果看，“予以公开”5件，占45.5%；“部分公开”2件，占18.2%；“不予公开”1件，"
        "占9.1%；“无法提供”2件，占18.2%；“不予处理”0件，占0.0%；“其他处理”1件，占9.1%。"
    ),
    "remedies": (
        "本年度共办理政府信息公开行政复议3件，行政诉讼1件。行政复议案件比上年下降25.0%。\n"
        "行政复议中，结果维持1件、结果纠正1件、其他结果0件、尚未审结1件。\n"
        "行政诉讼中，未经复议直接起诉1件、复议后起诉0件；"
        "结果维持1件、结果纠正0件、其他结果0件、尚未审结0件。"
    ),
    "problems": (
        "（一）存在的主要问题\n"
        "一是政策解读的针对性和实效性还需增强，解读形式有待进一步丰富。\n"
        "二是依申请公开答复的规范化水平还需提高，答复文书说理有待加强。\n"
        "三是政务公开标准化规范化建设仍有差距，部分栏目信息更新不够及时。\n"
        "（二）改进情况\n"
        "下一步，将加强业务培训和工作指导，完善信息发布审核和依申请公开会商机制，"
        "持续提升政务公开工作质效。\n"
        "（请根据本机关实际情况修改）"
    ),
    "other_matters": (
        "（一）收取信息处理费的情况\n"
        "本年度共发出收费通知2份，其中已缴费1份，实际收取信息处理费200元。\n"
        "（二）落实上级年度政务公开工作要点情况\n"
        "按照青山市人民政府办公室2024年政务公开工作要点要求，细化分解任务，明确责任单位和"
        "完成时限，逐项抓好落实。（请根据本机关实际情况修改）\n"
        "（三）人大代表建议和政协提案办理结果公开情况\n"
        "本年度承办人大代表建议（待填报）、政协提案（待填报），办理结果已按规定公开。"
        "（请根据本机关实际情况修改）\n"
        "（四）政府信息公开工作年度报告数据统计需要说明的事项\n"
        "本报告中所列数据的统计期限自2024年1月1日至2024年12月31日。"
        "表三、表四数据由政府信息公开申请办理系统按办结日期统计生成（新收申请按收到日期统计，"
        "年底尚未办结的申请计入下一年度继续办理）。"
    ),
}


@pytest.mark.parametrize("key", PART_KEYS)
def test_a_small_report_word_for_word(key):
    drafted = draft_part(key, _small(), facts=SMALL_FACTS, previous=_previous_of_small())
    assert drafted == EXPECTED[key]


def test_the_small_report_passes_its_checks():
    report, previous = _small(), _previous_of_small()
    report.narrative = draft_narrative(report, facts=SMALL_FACTS, previous=previous)
    assert [f.message for f in check(report) if f.severity.value == "error"] == []
    assert _prose_findings(report) == []
    assert _yoy_findings(previous, report) == []


def test_without_last_year_there_is_no_comparison():
    drafted = draft_narrative(_small(), facts=SMALL_FACTS)
    assert drafted["applications"].startswith("全年新收到政府信息公开申请10件，上年结转2件，")
    assert "上年" not in drafted["remedies"]
    zero = empty_2021_report("临河县人民政府", 2023)
    zero.cells[table3_id("new", "total")] = Cell.number(0)
    zero.cells["table4.reconsideration.total"] = Cell.number(0)
    for previous in (zero, empty_2021_report("临河县人民政府", 2023)):
        drafted = draft_narrative(_small(), facts=SMALL_FACTS, previous=previous)
        assert "比上年" not in "".join(drafted.values())
        assert "与上年持平" not in "".join(drafted.values())


# --- unknown cells and zeros -------------------------------------------------------------

UNKNOWN = [
    Cell(CellState.BLANK, None, ""),
    Cell.missing(),
    Cell(CellState.TEXT, None, "见附件"),
    Cell(CellState.NOT_APPLICABLE, None, "/"),
    Cell(CellState.AMBIGUOUS, None, "1 20", candidates=(120, 12)),
]


@pytest.mark.parametrize("cell_id", TABLE2_IDS)
@pytest.mark.parametrize("unknown", UNKNOWN, ids=lambda c: c.state.value)
def test_an_unknown_table2_cell_is_to_be_filled_in(cell_id, unknown):
    report = empty_2021_report("临河县人民政府", 2024)
    report.cells.update({c: Cell.number(7) for c in TABLE2_IDS})
    report.cells["table2.fees_wan_yuan"] = Cell.number(Decimal("7.5"))
    report.cells[cell_id] = unknown
    text = draft_part("proactive", report, facts=SMALL_FACTS)
    assert text.count(PENDING) == 1
    assert "0件" not in text
    counted = 8 if cell_id != "table2.fees_wan_yuan" else 9
    assert text.count("7件") == counted
    assert ("7.5万元" in text) is (cell_id != "table2.fees_wan_yuan")


def test_a_blank_table2_prints_no_number_at_all():
    report = empty_2021_report("临河县人民政府", 2024)
    text = draft_part("proactive", report, facts=SMALL_FACTS)
    assert text.count(PENDING) == 10
    assert not re.search(r"\d", text)


def test_unknown_table3_and_table4_cells_are_never_zero():
    report = _small()
    report.cells[table3_id("denied_4", "total")] = Cell(CellState.BLANK, None, "")
    report.cells[table3_id("new", "research")] = Cell(CellState.BLANK, None, "")
    report.cells["table4.litigation_direct.upheld"] = Cell(CellState.BLANK, None, "")
    drafted = draft_narrative(report, facts=SMALL_FACTS)
    assert "“不予公开”（待填报）；" in drafted["applications"]
    assert "法人或其他组织提出（待填报）。" in drafted["applications"]
    assert (
        "行政诉讼中，未经复议直接起诉1件、复议后起诉0件；结果维持（待填报）、"
        in (drafted["remedies"])
    )
    report.cells[table3_id("total", "total")] = Cell(CellState.BLANK, None, "")
    applications = draft_part("applications", report, facts=SMALL_FACTS)
    assert "%" not in applications.split("\n")[2]
    assert "共办结（待填报）" in applications
    report.narrative = draft_narrative(report, facts=SMALL_FACTS)
    assert _prose_findings(report) == []


def _zeros() -> Report:
    report = empty_2021_report("东湖区人民政府", 2024)
    report.cells = {c: Cell.number(Decimal(0) if c.endswith("yuan") else 0) for c in ALL_CELL_IDS}
    return report


def test_zero_totals_give_no_percent():
    report = _zeros()
    drafted = draft_narrative(report, facts=DraftFacts("东湖区人民政府", 2024), previous=_zeros())
    assert "%" not in "".join(drafted.values())
    assert "“予以公开”0件；“部分公开”0件；" in drafted["applications"]
    assert "比上年" not in drafted["applications"]
    report.narrative = drafted
    assert _prose_findings(report) == []


def test_from_some_to_none_is_a_full_decrease():
    previous = _small()
    drafted = draft_narrative(_zeros(), facts=SMALL_FACTS, previous=previous)
    assert "申请0件，比上年下降100.0%，" in drafted["applications"]
    assert "行政复议案件比上年下降100.0%。" in drafted["remedies"]


def test_changes_in_words():
    """Chinese statistical usage, worked by hand: up to a doubling the change in percent
    (增长/下降), beyond it the increase as a multiple of last year (增长N倍, N = new/old − 1)."""
    assert change(15, 10) == "比上年增长50.0%"  # 5/10
    assert change(10, 8) == "比上年增长25.0%"  # 2/8
    assert change(20, 10) == "比上年增长100.0%"  # exactly doubled: still a percentage
    assert change(23, 2) == "比上年增长10.5倍"  # (23 − 2)/2 = 10.5, i.e. 23 = 2 × 11.5
    assert change(21, 10) == "比上年增长1.1倍"  # 11/10
    assert change(30, 10) == "比上年增长2.0倍"  # tripled is 增长2倍, not 3倍
    assert change(1007, 3) == "比上年增长334.7倍"  # 1004/3 = 334.67
    assert change(6, 8) == "比上年下降25.0%"
    assert change(0, 8) == "比上年下降100.0%"
    assert change(8, 8) == "与上年持平"
    assert change(10_001, 10_000) == "比上年增加1件"  # 0.01% shows as 0.0%: said in 件
    assert change(9_999, 10_000) == "比上年减少1件"
    assert change(10, 0) is None
    assert change(None, 8) is None
    assert change(8, None) is None
    assert [percent(1, 8), percent(1, 16), percent(2, 3)] == ["12.5", "6.3", "66.7"]


def test_a_multiple_is_checked_against_last_year():
    """“增长N倍” is read as an increase of N times last year's figure: 2 → 23 is 10.5倍;
    the common slip of stating the ratio (11.5倍) is noticed."""
    previous = empty_2021_report("西江市自然资源和规划局", 2023)
    previous.cells[table3_id("new", "total")] = Cell.number(2)
    report = empty_2021_report("西江市自然资源和规划局", 2024)
    report.cells[table3_id("new", "total")] = Cell.number(23)
    report.narrative = {"applications": "全年新收到政府信息公开申请23件，比上年增长10.5倍。"}
    assert _yoy_findings(previous, report) == []
    report.narrative = {"applications": "全年新收到政府信息公开申请23件，比上年增长11.5倍。"}
    assert _yoy_findings(previous, report) == [
        "正文称“申请23件，比上年增长11.5倍”，但上年报告新收申请为2件，按此计算变化为增长10.5倍"
    ]


@given(now=st.integers(0, 50_000), before=st.integers(0, 50_000))
def test_compare_accepts_every_stated_change(now, before):
    previous = empty_2021_report("西江市自然资源和规划局", 2023)
    report = empty_2021_report("西江市自然资源和规划局", 2024)
    previous.cells[table3_id("new", "total")] = Cell.number(before)
    report.cells[table3_id("new", "total")] = Cell.number(now)
    report.narrative = {"applications": received_sentence(report, previous)}
    assert _yoy_findings(previous, report) == []
    stated = change(now, before)
    assert (stated is None) is (before == 0)
    if stated and stated.endswith(("%", "倍")):
        assert f"申请{now}件，{stated}，" in report.narrative["applications"]


# --- fees --------------------------------------------------------------------------------


def _fees(notices: int, paid: int, yuan: str) -> str:
    facts = DraftFacts(
        "临河县人民政府", 2024, fee_notices=notices, fee_paid_count=paid, fee_yuan=Decimal(yuan)
    )
    return draft_part("other_matters", _small(), facts=facts)


@pytest.mark.parametrize(
    ("notices", "paid", "yuan", "sentence"),
    [
        (0, 0, "0", "本年度未收取信息处理费。"),
        (3, 0, "0.00", "本年度共发出收费通知3份，实际未收取信息处理费。"),
        (3, 2, "350.50", "本年度共发出收费通知3份，其中已缴费2份，实际收取信息处理费350.5元。"),
        (1, 0, "1500", "本年度共发出收费通知1份，实际收取信息处理费1500元。"),
        (0, 0, "100", "本年度实际收取信息处理费100元。"),
    ],
)
def test_the_fee_statement(notices, paid, yuan, sentence):
    text = _fees(notices, paid, yuan)
    assert f"（一）收取信息处理费的情况\n{sentence}\n" in text
    assert check_fees(_small(), text) == []


def test_the_fee_statement_is_read_by_check_fees_both_ways():
    """“None collected” is read as none, an amount as an amount: either contradicts the other."""
    none = _fees(2, 0, "0")
    assert [f.code for f in check_fees(_small(), none + "\n实际收取信息处理费100元。")] == [
        "FEE_CONTRADICTION"
    ]
    some = _fees(2, 1, "100")
    assert [f.code for f in check_fees(_small(), some + "\n本年度未收取信息处理费。")] == [
        "FEE_CONTRADICTION"
    ]


def test_the_fee_of_table2_is_not_an_information_processing_fee():
    """Table 二's 行政事业性收费 is stated in part 二 in 万元, never in part 六."""
    report = _small()
    report.narrative = draft_narrative(report, facts=DraftFacts("临河县人民政府", 2024))
    assert "1.25万元" in report.narrative["proactive"]
    assert "1.25" not in report.narrative["other_matters"]
    assert _prose_findings(report) == []


def test_templates_are_marked_for_editing():
    drafted = draft_narrative(_small(), facts=SMALL_FACTS)
    assert drafted["problems"].endswith(EDIT_MARK)
    assert drafted["overview"].endswith(EDIT_MARK)
    assert "按照上级机关2024年政务公开工作要点要求" in draft_part(
        "other_matters", _small(), facts=DraftFacts("临河县人民政府", 2024)
    )


# --- what is still to be written ---------------------------------------------------------


def test_every_mark_of_the_draft_is_found_and_named():
    """The small report's draft, read by hand: the overview's prompt and mark, part 二's
    blank 规范性文件 count, part 五's closing mark, and in part 六 the marks of (二) and
    (三) — four parts, five places."""
    drafted = draft_narrative(_small(), facts=SMALL_FACTS)
    assert [str(p) for p in placeholders(drafted)] == [
        "第一部分“总体情况”中的提示语“请在此补充……”、（请根据本机关实际情况修改）",
        "第二部分“主动公开政府信息情况”中的（待填报）",
        "第五部分“存在的主要问题及改进情况”中的（请根据本机关实际情况修改）",
        "第六部分“其他需要报告的事项”之“（二）落实上级年度政务公开工作要点情况”中的"
        "（请根据本机关实际情况修改）",
        "第六部分“其他需要报告的事项”之“（三）人大代表建议和政协提案办理结果公开情况”中的"
        "（待填报）、（请根据本机关实际情况修改）",
    ]
    message = placeholders_message(placeholders(drafted))
    assert message.startswith("正文尚有未按本机关实际情况填写或修改的内容：第一部分“总体情况”")


def test_a_written_narrative_has_no_marks_left():
    written = {
        "overview": "2024年，本机关主动公开政府信息326条。",
        "problems": "（一）存在的主要问题\n一是网站栏目更新不及时。\n（二）改进情况\n加强审核。",
        "other_matters": "（三）人大代表建议和政协提案办理结果公开情况\n承办建议3件、提案2件。",
    }
    assert placeholders(written) == []
    assert placeholders_message([]) == ""


def test_half_width_marks_and_inline_headings_are_found_too():
    """A mark typed half-width (or read back through NFKC) is still a mark; a heading
    followed by text on the same line names its subsection."""
    text = {
        "proactive": "本年度制发规章(待填报)。",
        "other_matters": "(一)收取信息处理费的情况。本年度未收取。\n(二)落实要点情况。逐项落实。"
        "(请根据本机关实际情况修改)",
    }
    assert [str(p) for p in placeholders(text)] == [
        "第二部分“主动公开政府信息情况”中的（待填报）",
        "第六部分“其他需要报告的事项”之“(二)落实要点情况”中的（请根据本机关实际情况修改）",
    ]
