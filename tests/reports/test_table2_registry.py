"""Table 二's 规章 and 行政规范性文件 rows counted from the government document registry.

The registry below is built by hand (rows made directly, no services) over 2024 and 2025;
the counts every test expects are worked out here, document by document (a 修订 chain counts
once, by the 成文日期 of its first text; 现行有效 on 12-31 includes texts not yet in force).

测试市教育局 (a department: 行政规范性文件 only)
- A 《关于规范校外培训的通知》: written 2024-03-01, in force 2024-04-01, no end.
- B 《学生资助管理办法》: written 2024-05-10, in force 2024-06-01; revised by
  B2 (written 2025-03-01, in force 2025-04-01): B is 已修订 on 2025-04-01.
- C 《中小学收费管理规定》: written and in force 2024-02-01; 废止 on 2025-06-30.
- D 《民办学校年检办法（试行）》: written 2022-06-01, in force 2022-07-01, 有效期至 2024-12-31:
  valid through 12-31, so it ends (失效) on 2025-01-01.
- E 《校园安全管理办法》: written 2025-12-22, published 2025-12-26, in force 2026-02-01.

2024 (before = 2023-12-31, end = 2024-12-31):
  previous: D only → 1; issued: A, B, C → 3; repealed: none → 0;
  in force on 2024-12-31: A, B, C, D → 4; not yet in force: 0.   1 + 3 − 0 = 4.
2025 (before = 2024-12-31, end = 2025-12-31):
  previous: A, B, C, D → 4; issued: E → 1 (B2 is a revision, not a new document);
  repealed: C (废止 2025-06-30), D (失效 2025-01-01) → 2;
  in force on 2025-12-31: A, B (as B2), E → 3, of which E not yet in force → 1.
  4 + 1 − 2 = 3, and 2025's previous (4) is 2024's in force (4).
规章 of 测试市教育局: none (a department may make none) → 0 everywhere.

测试市人民政府 (a city government, level set: it may make 规章)
- R 《养犬管理规定》 (规章): written 2024-09-01, in force 2024-11-01.
  2024: previous 0, issued 1, repealed 0, in force 1.  2025: previous 1, issued 0,
  repealed 0, in force 1, not yet in force 0.
"""

from datetime import date

import pytest
import time_machine
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.core.report.schema import Cell
from gongkai.core.validity import AgencyLevel, DocKind, Validity
from gongkai.core.workflow import Role
from gongkai.documents.models import RegistrySettings, ReviewState, ValidityChange
from gongkai.reports import services as rs
from gongkai.reports.models import ReportStep
from gongkai.reports.table2_registry import FACT, registry_count
from tests.documents.factories import text
from tests.factories import member, world

from .conftest import bulk_cases, random_rows, rng
from .helpers import codes, errors, fill_narrative, published, table2_cells

pytestmark = pytest.mark.django_db

NORMATIVE = ("table2.normative.issued", "table2.normative.repealed", "table2.normative.in_force")
RULES = ("table2.rules.issued", "table2.rules.repealed", "table2.rules.in_force")
#: The four rows of table 二 the registry does not give, entered by hand.
SINGLE = {
    "table2.licensing": Cell.number(120),
    "table2.punishment": Cell.number(15),
    "table2.enforcement": Cell.number(0),
    "table2.fees_wan_yuan": Cell.number(0),
}
#: The counts of the module docstring, as the report's facts keep them.
ZERO = {"previous_in_force": 0, "issued": 0, "repealed": 0, "in_force": 0, "not_yet_in_force": 0}
D1_2024 = {"previous_in_force": 1, "issued": 3, "repealed": 0, "in_force": 4, "not_yet_in_force": 0}
D1_2025 = {"previous_in_force": 4, "issued": 1, "repealed": 2, "in_force": 3, "not_yet_in_force": 1}
#: The 统计说明 sentence of 测试市教育局's 2025 report (one text published, not yet in force).
NOTE_2025 = (
    "表二中规章、行政规范性文件的件数由本机关政府文件库统计生成："
    "本年制发件数为成文日期在2025年1月1日至12月31日之间的文件；"
    "本年废止件数为2025年度内被废止、宣布失效或有效期届满失效的文件；"
    "现行有效件数为截至2025年12月31日现行有效的文件（含已公布但尚未施行的1件）。"
    "文件修订后的文本与原文件按同一件文件统计，不计入本年制发件数或本年废止件数，"
    "因此上年末现行有效件数加本年制发件数、减本年废止件数，等于本年末现行有效件数。"
)


@pytest.fixture
def w(db):
    """The test world on 15 January 2026, when the 2025 reports are being prepared."""
    with time_machine.travel("2026-01-15 10:00 +0800", tick=False):
        yield world()


def build_registry(w) -> None:
    """The texts of the module docstring."""
    text(
        w.d1,
        title="关于规范校外培训的通知",
        doc_number="测教发〔2024〕3号",
        written_on=date(2024, 3, 1),
        effective_on=date(2024, 4, 1),
    )
    b = text(
        w.d1,
        title="学生资助管理办法",
        doc_number="测教发〔2024〕8号",
        written_on=date(2024, 5, 10),
        effective_on=date(2024, 6, 1),
        validity=Validity.REVISED,
    )
    b2 = text(
        w.d1,
        title="学生资助管理办法",
        doc_number="测教发〔2025〕2号",
        revises=b,
        written_on=date(2025, 3, 1),
        effective_on=date(2025, 4, 1),
    )
    ValidityChange.objects.create(
        document=b,
        day=date(2025, 4, 1),
        target=Validity.REVISED,
        decision_title=b2.title,
        decision_number=b2.doc_number,
    )
    c = text(
        w.d1, title="中小学收费管理规定", written_on=date(2024, 2, 1), validity=Validity.REPEALED
    )
    ValidityChange.objects.create(
        document=c,
        day=date(2025, 6, 30),
        target=Validity.REPEALED,
        decision_title="关于废止部分行政规范性文件的决定",
        decision_number="测教发〔2025〕9号",
    )
    text(
        w.d1,
        title="民办学校年检办法（试行）",
        written_on=date(2022, 6, 1),
        effective_on=date(2022, 7, 1),
        expires_on=date(2024, 12, 31),
        validity=Validity.EXPIRED,
    )
    text(
        w.d1,
        title="校园安全管理办法",
        written_on=date(2025, 12, 22),
        effective_on=date(2026, 2, 1),
        published_on=date(2025, 12, 26),
        validity=Validity.NOT_YET_IN_FORCE,
    )
    RegistrySettings.objects.create(agency=w.gov, level=AgencyLevel.CITY_GOVERNMENT)
    text(
        w.gov,
        kind=DocKind.RULES,
        title="养犬管理规定",
        doc_number="测试市人民政府令第5号",
        written_on=date(2024, 9, 1),
        effective_on=date(2024, 11, 1),
    )


def values(ar, ids) -> list:
    doc = rs.report_of(ar)
    return [doc.value(c) for c in ids]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- counting -----------------------------------------------------------------------------


def test_the_registry_counted_across_two_years_keeps_the_identity(w):
    build_registry(w)
    d1 = {y: registry_count(w.d1, y) for y in (2024, 2025)}
    assert d1[2024].rows == {"rules": ZERO, "normative": D1_2024}
    assert d1[2025].rows == {"rules": ZERO, "normative": D1_2025}
    assert d1[2025].counted_on == date(2026, 1, 15) and d1[2025].error == ""
    gov = {y: registry_count(w.gov, y).rows for y in (2024, 2025)}
    assert gov[2024] == {
        "rules": {
            "previous_in_force": 0,
            "issued": 1,
            "repealed": 0,
            "in_force": 1,
            "not_yet_in_force": 0,
        },
        "normative": ZERO,
    }
    assert gov[2025] == {
        "rules": {
            "previous_in_force": 1,
            "issued": 0,
            "repealed": 0,
            "in_force": 1,
            "not_yet_in_force": 0,
        },
        "normative": ZERO,
    }
    # 上年现行有效 + 本年制发 − 本年废止 = 本年现行有效, and one year's end is the next one's start
    for rows in (*(c.rows for c in d1.values()), *gov.values()):
        for row in rows.values():
            assert row["previous_in_force"] + row["issued"] - row["repealed"] == row["in_force"]
    assert d1[2025].rows["normative"]["previous_in_force"] == 4 == D1_2024["in_force"]
    assert gov[2025]["rules"]["previous_in_force"] == 1 == gov[2024]["rules"]["in_force"]


def test_an_agency_that_never_published_a_text_does_not_use_the_registry(w):
    build_registry(w)
    text(w.d2, title="草稿中的文件", review_state=ReviewState.DRAFT)  # never published
    text(w.d2, kind=DocKind.OTHER, title="其他文件")  # published, but not counted in table 二
    assert registry_count(w.d2, 2025) is None


# --- preparing ----------------------------------------------------------------------------


def test_a_prepared_report_takes_the_registry_figures_and_states_the_rule(w):
    build_registry(w)
    bulk_cases(w.d1, w.registrar, random_rows(rng(5), 40, date(2025, 1, 1), date(2025, 11, 1)))
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    assert values(ar, NORMATIVE) == [1, 2, 3]
    assert values(ar, RULES) == [0, 0, 0]
    doc = rs.report_of(ar)
    assert doc.facts[FACT] == {
        "year": 2025,
        "counted_on": "2026-01-15",
        "rows": {"rules": ZERO, "normative": D1_2025},
        "error": "",
        "hand": [],
    }
    # the other rows of table 二 are still the office's to enter
    assert errors(ar)[0] == ("表二“行政许可”、表二“行政处罚”、表二“行政强制”等4项尚未填报")
    assert codes(ar) == ["T2_NOT_ENTERED", "NARRATIVE_PLACEHOLDER"]
    assert doc.narrative["other_matters"].endswith(NOTE_2025)
    assert (
        "本年度制发规章0件，废止0件，现行有效规章0件；制发行政规范性文件1件，废止2件，"
        "现行有效行政规范性文件3件。" in doc.narrative["proactive"]
    )
    ar = rs.report_table2_save(actor=w.registrar, report=ar, cells=SINGLE)
    ar = fill_narrative(w.registrar, ar)
    assert ar.errors == 0 and ar.warnings == 0, codes(ar)


def test_a_government_report_counts_its_rules_and_says_none_is_pending(w):
    build_registry(w)
    registrar = member(w.gov, Role.REGISTRAR, username="reggov")
    ar = rs.report_prepare(actor=registrar, agency=w.gov, year=2025)
    assert values(ar, RULES) == [0, 0, 1]
    assert values(ar, NORMATIVE) == [0, 0, 0]
    assert (
        rs.report_of(ar)
        .narrative["other_matters"]
        .endswith(
            "现行有效件数为截至2025年12月31日现行有效的文件（已公布但尚未施行的文件计入现行有效）。"
            "文件修订后的文本与原文件按同一件文件统计，不计入本年制发件数或本年废止件数，"
            "因此上年末现行有效件数加本年制发件数、减本年废止件数，等于本年末现行有效件数。"
        )
    )


def test_hand_entry_that_differs_is_kept_shown_and_replaced_only_on_request(w):
    build_registry(w)
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    # the page offers the registry's figures: sent back unchanged, they stay the registry's
    offered = {c: Cell.number(v) for c, v in zip(NORMATIVE, [1, 2, 3], strict=True)}
    ar = rs.report_table2_save(actor=w.registrar, report=ar, cells=offered | SINGLE)
    assert rs.report_of(ar).facts[FACT]["hand"] == []
    typed = offered | {"table2.normative.in_force": Cell.number(5)}
    ar = rs.report_table2_save(actor=w.registrar, report=ar, cells=typed)
    assert rs.report_of(ar).facts[FACT]["hand"] == ["table2.normative.in_force"]
    differs = (
        "表二以下栏目为手工填报，与政府文件库的统计不同："
        "表二“行政规范性文件·现行有效件数”填报为5，政府文件库统计为3。"
        "以文件库为准的，请点击“按文件库重新统计”；以填报为准的，请核实文件库的登记，"
        "并在统计说明中说明原因"
    )
    assert [
        f["message"] for f in ar.document["findings"] if f["code"] == "T2_REGISTRY_DIFFERS"
    ] == [differs]
    # refreshing the report keeps the office's figure
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    assert values(ar, NORMATIVE) == [1, 2, 5]
    assert "T2_REGISTRY_DIFFERS" in codes(ar)
    # “按文件库重新统计”: the registry's figure again, audited as a report step
    ar = rs.report_table2_registry(actor=w.registrar, report=ar)
    assert values(ar, NORMATIVE) == [1, 2, 3]
    assert values(ar, ("table2.licensing",)) == [120]  # the other rows are kept
    assert rs.report_of(ar).facts[FACT]["hand"] == []
    assert "T2_REGISTRY_DIFFERS" not in codes(ar)
    assert ReportStep.objects.filter(report=ar).last().action == "按文件库重新统计表二"
    entry = AuditEntry.objects.filter(action="report.按文件库重新统计表二").get()
    assert entry.message == "测试市教育局2025年政府信息公开工作年度报告：按文件库重新统计表二"
    with pytest.raises(rs.ReportError, match="只有本机关公开工作机构的登记员或负责人可以编辑"):
        rs.report_table2_registry(actor=w.secrecy, report=ar)


def test_figures_entered_before_the_registry_was_used_are_not_overwritten(w):
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    assert FACT not in rs.report_of(ar).facts
    # helpers.TABLE2: normative issued 3, repealed 0, in force 40; 规章 0, 0, 0
    ar = rs.report_table2_save(actor=w.registrar, report=ar, cells=table2_cells())
    build_registry(w)
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    assert values(ar, NORMATIVE) == [3, 0, 40]  # kept: they differ from 1, 2, 3
    assert values(ar, RULES) == [0, 0, 0]  # equal to the registry: the registry's now
    assert rs.report_of(ar).facts[FACT]["hand"] == list(NORMATIVE)


def test_the_previous_published_report_is_checked_against_the_registry(w):
    build_registry(w)
    # 2024 published with the office's 现行有效 40 for 行政规范性文件 (the registry says 4)
    ar2024 = published(w, 2024)
    assert values(ar2024, NORMATIVE) == [3, 0, 40]
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    continuity = [f for f in ar.document["findings"] if f["code"] == "IN_FORCE_CONTINUITY"]
    assert continuity == [
        {
            "code": "IN_FORCE_CONTINUITY",
            "severity": "warning",
            "cells": ["old.table2.normative.in_force", "table2.normative.in_force"],
            "message": (
                "行政规范性文件：2024年度已发布的年度报告现行有效40件，政府文件库统计截至"
                "2024年12月31日现行有效4件，相差36件。本年按文件库统计：上年末现行有效4件＋"
                "本年制发1件－本年废止2件＝本年末现行有效3件。上年报告可能为手工统计，"
                "或此后文件库补录、更正了文件，请核实并在统计说明中说明"
            ),
        }
    ]
    html = login(w.registrar).get(f"/reports/{ar.pk}/").content.decode()
    assert "2024年度已发布的年度报告中现行有效为40件，与文件库统计的上年末现行有效4件不同" in html


def test_a_previous_report_counted_from_the_registry_continues_without_finding(w):
    build_registry(w)
    ar2024 = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2024)
    ar2024 = rs.report_table2_save(actor=w.registrar, report=ar2024, cells=SINGLE)
    ar2024 = fill_narrative(w.registrar, ar2024)
    ar2024 = rs.report_submit(actor=w.head, report=ar2024)
    ar2024 = rs.report_accept(actor=w.supervisor, report=ar2024)
    ar2024 = rs.report_publish(actor=w.head, report=ar2024, confirmed=True)
    assert values(ar2024, NORMATIVE) == [3, 0, 4]
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    assert "IN_FORCE_CONTINUITY" not in codes(ar)
    # the published 2024 report is frozen: its registry figures are not checked any more
    assert rs.report_of(ar2024).facts[FACT]["rows"]["normative"] == D1_2024


def test_a_registry_changed_after_the_count_is_said(w):
    build_registry(w)
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    text(w.d1, title="补录的文件", written_on=date(2025, 8, 1))
    ar = rs.report_table2_save(actor=w.registrar, report=ar, cells=SINGLE)
    changed = [f for f in ar.document["findings"] if f["code"] == "T2_REGISTRY_CHANGED"]
    assert [f["message"] for f in changed] == [
        "2026-01-15统计后政府文件库有变化：表二“行政规范性文件·本年制发件数”统计时为1，现为2；"
        "表二“行政规范性文件·现行有效件数”统计时为3，现为4。请点击“按文件库重新统计”"
    ]
    ar = rs.report_table2_registry(actor=w.registrar, report=ar)
    assert values(ar, NORMATIVE) == [2, 2, 4]
    assert "T2_REGISTRY_CHANGED" not in codes(ar)


# --- an invalid registry, and no registry -------------------------------------------------


def test_an_invalid_registry_becomes_a_finding_not_a_crash(w):
    old = text(
        w.d2, title="国土空间规划管理办法", validity=Validity.REVISED, written_on=date(2024, 1, 5)
    )
    ValidityChange.objects.create(
        document=old, day=date(2025, 3, 1), target=Validity.REVISED, decision_title="修订决定"
    )
    ar = rs.report_prepare(actor=w.registrar2, agency=w.d2, year=2025)
    message = (
        "政府文件库的登记有误，表二规章、行政规范性文件的件数未能按文件库统计："
        "《国土空间规划管理办法》标记为已修订，但登记簿中没有修订后的文本。"
        "请在政府文件库中更正后点击“按文件库重新统计”，或手工填报表二这几栏"
    )
    invalid = [f for f in ar.document["findings"] if f["code"] == "T2_REGISTRY_INVALID"]
    assert [(f["severity"], f["message"]) for f in invalid] == [("error", message)]
    page = login(w.registrar2).get(f"/reports/{ar.pk}/")
    assert page.status_code == 200
    assert (
        "政府文件库的登记有误，未能按文件库统计：《国土空间规划管理办法》标记为已修订，"
        "但登记簿中没有修订后的文本" in page.content.decode()
    )
    with pytest.raises(rs.ReportError) as refused:
        rs.report_table2_registry(actor=w.registrar2, report=ar)
    assert str(refused.value) == (
        "政府文件库的登记有误，未能按文件库统计："
        "《国土空间规划管理办法》标记为已修订，但登记簿中没有修订后的文本"
    )
    # once the office has entered all six figures itself, the finding is a warning
    ar = rs.report_table2_save(actor=w.registrar2, report=ar, cells=table2_cells())
    invalid = [f for f in ar.document["findings"] if f["code"] == "T2_REGISTRY_INVALID"]
    assert [(f["severity"], f["message"]) for f in invalid] == [("warning", message)]
    assert values(ar, NORMATIVE) == [3, 0, 40]


def test_hand_entry_is_unchanged_for_an_agency_without_registry_texts(w):
    build_registry(w)  # 测试市自然资源局 has no text in it
    ar = rs.report_prepare(actor=w.registrar2, agency=w.d2, year=2025)
    assert FACT not in rs.report_of(ar).facts
    assert values(ar, NORMATIVE) == [None, None, None]
    ar = rs.report_table2_save(actor=w.registrar2, report=ar, cells=table2_cells())
    assert values(ar, NORMATIVE) == [3, 0, 40]
    assert FACT not in rs.report_of(ar).facts
    assert "政府文件库" not in rs.report_of(ar).narrative["other_matters"]
    assert not [c for c in codes(ar) if c.startswith("T2_REGISTRY")]
    html = login(w.registrar2).get(f"/reports/{ar.pk}/").content.decode()
    assert "来自政府文件库" not in html and "按文件库重新统计" not in html
    with pytest.raises(rs.ReportError) as refused:
        rs.report_table2_registry(actor=w.registrar2, report=ar)
    assert str(refused.value) == (
        "测试市自然资源局未在政府文件库中发布过规章或行政规范性文件，表二请手工填报或从表格导入"
    )


# --- the page -----------------------------------------------------------------------------


def test_the_report_page_shows_the_source_the_identity_and_recounts(w):
    build_registry(w)
    ar = rs.report_prepare(actor=w.registrar, agency=w.d1, year=2025)
    ar = rs.report_table2_save(
        actor=w.registrar, report=ar, cells={"table2.normative.issued": Cell.number(2)}
    )
    client = login(w.registrar)
    html = client.get(f"/reports/{ar.pk}/").content.decode()
    assert "表二规章、行政规范性文件（来自政府文件库）" in html
    assert "（统计于 2026-01-15）" in html
    assert (
        "行政规范性文件：上年末现行有效4件 ＋ 本年制发1件 － 本年废止2件 ＝ 本年末现行有效3件"
        in html
    )
    assert "规章：上年末现行有效0件 ＋ 本年制发0件 － 本年废止0件 ＝ 本年末现行有效0件" in html
    assert '<td data-label="其中尚未施行">1</td>' in html
    assert html.count('<span class="pill green">来自政府文件库</span>') == 5
    hand = '<span class="pill yellow">手工填报</span> <strong>与文件库不同</strong>'
    assert html.count(hand) == 1
    assert '<tr><td>行政规范性文件·本年制发件数</td><td data-label="报告中">2</td>' in html
    assert "行政规范性文件·本年制发件数”（手工填报）" in html
    assert "规章·本年制发件数”（来自政府文件库）" in html
    assert 'style="' not in html and "<script>" not in html
    done = client.post(f"/reports/{ar.pk}/act/table2-registry/", follow=True)
    assert "已按政府文件库重新统计表二规章、行政规范性文件的件数" in done.content.decode()
    assert values(ar, NORMATIVE) == [1, 2, 3]
    supervisor = login(w.supervisor).get(f"/reports/{ar.pk}/").content.decode()
    assert "表二规章、行政规范性文件（来自政府文件库）" in supervisor
    assert "按文件库重新统计</button>" not in supervisor
