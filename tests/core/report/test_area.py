"""Area-wide reports: the cell-wise sum of the members' reports, and the check of a sum."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from gongkai.core.report import check
from gongkai.core.report.area import check_area, sum_reports
from gongkai.core.report.draft import DraftFacts, draft_narrative
from gongkai.core.report.schema import (
    ALL_CELL_IDS,
    Cell,
    CellState,
    Finding,
    Report,
    ReportFormat,
    Severity,
    empty_2021_report,
)
from gongkai.core.report.synth import random_report

AREA = "青山市人民政府（本地区汇总）"
GRANTED = "table3.granted.natural_person"


def _members(seed: int, n: int = 3, **kwargs) -> list[Report]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    return [random_report(rng, year=2024, **kwargs) for _ in range(n)]


def _area(members: list[Report]) -> Report:
    return sum_reports(members, agency=AREA, year=2024)


@pytest.mark.parametrize("seed", range(30))
def test_the_sum_is_cell_by_cell(seed):
    members = _members(seed)
    area = _area(members)
    assert (area.format, area.agency, area.year) == (ReportFormat.F2021, AREA, 2024)
    assert set(area.cells) == set(ALL_CELL_IDS)
    for cid in ALL_CELL_IDS:
        assert area.value(cid) == sum(m.value(cid) for m in members), cid
        assert area.cell(cid).state is CellState.NUMBER
    assert isinstance(area.value("table2.fees_wan_yuan"), Decimal)
    assert area.facts["members"] == [f"{m.agency}2024年度报告" for m in members]


@pytest.mark.parametrize("seed", range(30))
def test_a_true_sum_passes_every_check(seed):
    members = _members(seed)
    area = _area(members)
    assert check_area(area, members) == []
    assert [f for f in check(area) if f.severity is Severity.ERROR] == []
    area.narrative = draft_narrative(area, facts=DraftFacts("青山市人民政府", 2024))
    assert [f.code for f in check(area) if f.severity is Severity.ERROR] == []
    assert [f.code for f in check(area) if f.code.startswith(("PROSE_", "FEE_"))] == []
    assert "表二、表三、表四数据为本地区3份年度报告之和" in area.narrative["other_matters"]


def test_the_fee_is_summed_exactly():
    members = _members(1)
    for member, fee in zip(members, ("0.1", "0.2", "1.0005"), strict=True):
        member.cells["table2.fees_wan_yuan"] = Cell.number(Decimal(fee))
    area = _area(members)
    assert area.value("table2.fees_wan_yuan") == Decimal("1.3005")
    assert area.cell("table2.fees_wan_yuan").published == "1.3005"


@pytest.mark.parametrize("delta", [1, -1])
def test_one_changed_cell_gives_one_finding(delta):
    members = _members(2)
    area = _area(members)
    total = area.value(GRANTED)
    area.cells[GRANTED] = Cell.number(total + delta)
    assert check_area(area, members) == [
        Finding(
            "AREA_SUM",
            Severity.ERROR,
            (GRANTED,),
            f"表三“（一）予以公开”行“自然人”列：汇总报告为{total + delta}，"
            f"各成员报告之和为{total}（相差1）",
        )
    ]


def test_a_wrong_fee_names_both_amounts():
    members = _members(4)
    for member, fee in zip(members, ("1.5", "2", "0.25"), strict=True):
        member.cells["table2.fees_wan_yuan"] = Cell.number(Decimal(fee))
    area = _area(members)
    area.cells["table2.fees_wan_yuan"] = Cell.number(Decimal("3.5"))
    [finding] = check_area(area, members)
    assert finding.message == (
        "表二“行政事业性收费”：汇总报告为3.5，各成员报告之和为3.75（相差0.25）"
    )


UNKNOWN = [
    Cell(CellState.BLANK, None, ""),
    Cell.missing(),
    Cell(CellState.TEXT, None, "见说明"),
    Cell(CellState.NOT_APPLICABLE, None, "/"),
    Cell(CellState.AMBIGUOUS, None, "1 2", candidates=(12, 3)),
]


@pytest.mark.parametrize("unknown", UNKNOWN, ids=lambda c: c.state.value)
def test_an_unknown_member_cell_is_unknown_in_the_area(unknown):
    members = _members(5)
    members[1].cells[GRANTED] = unknown
    area = _area(members)
    assert area.cell(GRANTED) == Cell(CellState.BLANK, None, "")
    warning = Finding(
        "AREA_MEMBER_UNKNOWN",
        Severity.WARNING,
        (GRANTED,),
        "有1项数据在成员报告中未知（空白、缺失、不适用或有歧义），无法核对汇总："
        "表三“（一）予以公开”行“自然人”列",
    )
    assert check_area(area, members) == [warning]
    area.cells[GRANTED] = Cell.number(999_999)  # a figure that cannot be checked is not wrong
    assert check_area(area, members) == [warning]
    assert "CELL_BLANK" in {f.code for f in check(_area(members))}


def test_many_unknown_cells_make_one_warning():
    members = _members(6, blank_rate=0.2)
    unknown = [c for c in ALL_CELL_IDS if any(m.value(c) is None for m in members)]
    area = _area(members)
    assert [c for c in ALL_CELL_IDS if area.value(c) is None] == unknown
    [warning] = check_area(area, members)
    assert (warning.code, warning.severity) == ("AREA_MEMBER_UNKNOWN", Severity.WARNING)
    assert warning.cells == tuple(unknown)
    assert warning.message.startswith(f"有{len(unknown)}项数据在成员报告中未知")
    assert warning.message.endswith(f"等{len(unknown)}项")
    assert [f for f in check(area) if f.severity is Severity.ERROR] == []


def test_nothing_to_sum():
    with pytest.raises(ValueError, match=r"^没有可汇总的成员报告$"):
        sum_reports([], agency=AREA, year=2024)
    assert check_area(_area(_members(7)), []) == []


def test_an_old_format_member_is_refused_by_name():
    old = Report(ReportFormat.PRE_2021, agency="临河县人民政府", year=2024)
    named = "第2份成员报告（临河县人民政府2024年度报告）不是2021年格式"
    with pytest.raises(ValueError, match=named):
        sum_reports([_members(8, n=1)[0], old], agency=AREA, year=2024)


def test_an_empty_member_makes_everything_unknown():
    members = [*_members(9, n=2), empty_2021_report("东湖区人民政府", 2024)]
    area = _area(members)
    assert all(area.value(c) is None for c in ALL_CELL_IDS)
    [warning] = check_area(area, members)
    assert warning.message.startswith(f"有{len(ALL_CELL_IDS)}项数据")
