"""Validity, kinds, publication clock, 解读 and table 二 of government documents.

Working days are counted by hand on the State Council's 2025 holiday notice
(国办发明电〔2024〕12号): 劳动节 5-1至5-5 (Sun 4-27 worked), 端午节 5-31至6-2 (no make-up
day), 国庆节、中秋节 10-1至10-8 (Sun 9-28 and Sat 10-11 worked).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.deadlines import Colour
from gongkai.core.validity import (
    AgencyLevel,
    Decision,
    DocKind,
    Document,
    Validity,
    ValidityError,
    apply_decision,
    check_document,
    check_issuer,
    check_registry,
    clean_up,
    interpretation_flags,
    issue_refusal,
    publication_clock,
    table_two,
    validity_on,
)
from tests.core.calendars import official

D = date
REPEAL = Decision("关于废止部分行政规范性文件的决定", "某府发〔2025〕3号")
CLEANUP = Decision("关于公布行政规范性文件清理结果的通知", "某府办发〔2025〕12号")


def doc(
    ref: str = "N1",
    *,
    kind: DocKind = DocKind.NORMATIVE,
    written: date | None = None,
    effective: date | None = None,
    expires: date | None = None,
    revises: str | None = None,
    title: str = "",
) -> Document:
    written = written or D(2024, 3, 1)
    return Document(
        ref,
        title or f"某市行政规范性文件{ref}",
        kind,
        written,
        effective or written,
        number=f"某府规〔{written.year}〕{ref}号",
        expires=expires,
        revises=revises,
    )


# --- kinds and issuers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "level",
    [
        AgencyLevel.STATE_COUNCIL_DEPARTMENT,
        AgencyLevel.PROVINCIAL_GOVERNMENT,
        AgencyLevel.CITY_GOVERNMENT,
    ],
)
def test_rule_makers_may_issue_rules(level):
    check_issuer(DocKind.RULES, level)
    assert issue_refusal(DocKind.RULES, level) is None


@pytest.mark.parametrize(
    "level",
    [
        AgencyLevel.PROVINCIAL_DEPARTMENT,
        AgencyLevel.CITY_DEPARTMENT,
        AgencyLevel.COUNTY_GOVERNMENT,
        AgencyLevel.COUNTY_DEPARTMENT,
        AgencyLevel.TOWNSHIP_GOVERNMENT,
    ],
)
def test_other_bodies_may_not_issue_rules(level):
    with pytest.raises(ValidityError, match="无权制定规章") as refused:
        check_issuer(DocKind.RULES, level)
    assert level.label in str(refused.value)
    assert "第九十三条" in str(refused.value)


def test_county_refusal_names_the_reason():
    reason = issue_refusal(DocKind.RULES, AgencyLevel.COUNTY_GOVERNMENT)
    assert reason is not None
    assert reason.startswith("县级人民政府无权制定规章")
    assert "第九十一条" in reason


@pytest.mark.parametrize("level", list(AgencyLevel))
@pytest.mark.parametrize("kind", [DocKind.NORMATIVE, DocKind.OTHER])
def test_everyone_may_issue_normative_and_other_documents(kind, level):
    check_issuer(kind, level)


def test_labels():
    assert DocKind.RULES.label == "规章"
    assert DocKind.NORMATIVE.label == "行政规范性文件"
    assert [v.label for v in Validity] == ["尚未施行", "现行有效", "已修订", "失效", "已废止"]


# --- validity ---------------------------------------------------------------------------------


def test_not_yet_in_force_then_in_force():
    d = doc(written=D(2025, 5, 20), effective=D(2025, 7, 1))
    assert validity_on(d, D(2025, 5, 20)).validity is Validity.NOT_YET_IN_FORCE
    assert validity_on(d, D(2025, 6, 30)).validity is Validity.NOT_YET_IN_FORCE
    status = validity_on(d, D(2025, 7, 1))
    assert status.validity is Validity.IN_FORCE
    assert status.since == D(2025, 7, 1)
    assert status.decision is None


def test_before_written_does_not_exist():
    with pytest.raises(ValidityError, match="成文于 2025-05-20，2025-05-19 时尚不存在"):
        validity_on(doc(written=D(2025, 5, 20)), D(2025, 5, 19))


def test_expiry_is_automatic_the_day_after_the_period():
    d = doc(written=D(2020, 12, 20), effective=D(2021, 1, 1), expires=D(2025, 12, 31))
    assert validity_on(d, D(2025, 12, 31)).validity is Validity.IN_FORCE
    status = validity_on(d, D(2026, 1, 1))
    assert status.validity is Validity.EXPIRED
    assert status.since == D(2026, 1, 1)
    assert status.decision is None
    assert status.warnings == ()


def test_expiry_warning_from_six_months_before():
    d = doc(written=D(2020, 12, 20), effective=D(2021, 1, 1), expires=D(2025, 12, 31))
    assert validity_on(d, D(2025, 6, 29)).warnings == ()
    (warning,) = validity_on(d, D(2025, 6, 30)).warnings
    assert "将于 2025-12-31 到期失效" in warning
    assert "还有 184 天" in warning  # 1 (6-30) + 31+31+30+31+30+31 - 1 = 184
    (warning,) = validity_on(d, D(2025, 12, 31)).warnings
    assert "还有 0 天" in warning


def test_expiry_warning_month_end():
    # 有效期至 8-31: six months earlier is 2-28 (2025 is not a leap year).
    d = doc(written=D(2023, 9, 1), expires=D(2025, 8, 31))
    assert validity_on(d, D(2025, 2, 27)).warnings == ()
    assert validity_on(d, D(2025, 2, 28)).warnings


def test_no_warning_once_repealed():
    d = doc(written=D(2021, 1, 1), expires=D(2025, 12, 31))
    d = apply_decision(d, Validity.REPEALED, D(2025, 7, 1), REPEAL)
    assert validity_on(d, D(2025, 8, 1)).warnings == ()


@pytest.mark.parametrize("target", [Validity.REVISED, Validity.EXPIRED, Validity.REPEALED])
def test_decisions_allowed_in_force(target):
    d = apply_decision(doc(), target, D(2025, 3, 10), REPEAL)
    assert validity_on(d, D(2025, 3, 9)).validity is Validity.IN_FORCE
    status = validity_on(d, D(2025, 3, 10))
    assert status.validity is target
    assert status.since == D(2025, 3, 10)
    assert status.decision == REPEAL


def test_repealed_before_taking_effect():
    d = doc(written=D(2025, 5, 20), effective=D(2025, 9, 1))
    d = apply_decision(d, Validity.REPEALED, D(2025, 8, 1), REPEAL)
    assert validity_on(d, D(2025, 9, 2)).validity is Validity.REPEALED


@pytest.mark.parametrize("target", [Validity.REVISED, Validity.EXPIRED])
def test_not_yet_in_force_cannot_be_revised_or_expired(target):
    d = doc(written=D(2025, 5, 20), effective=D(2025, 9, 1))
    with pytest.raises(ValidityError) as refused:
        apply_decision(d, target, D(2025, 8, 1), REPEAL)
    message = str(refused.value)
    assert "状态为“尚未施行”" in message
    assert f"不能变更为“{target.label}”" in message
    assert "可以变更为：“已废止”" in message


def test_final_states_refuse_everything():
    d = apply_decision(doc(), Validity.REPEALED, D(2025, 3, 10), REPEAL)
    with pytest.raises(ValidityError, match=r"状态为“已废止”，不能变更为“失效”.*无"):
        apply_decision(d, Validity.EXPIRED, D(2025, 4, 1), CLEANUP)


def test_expired_document_cannot_be_repealed():
    d = doc(written=D(2020, 1, 1), expires=D(2024, 12, 31))
    with pytest.raises(ValidityError, match="状态为“失效”，不能变更为“已废止”"):
        apply_decision(d, Validity.REPEALED, D(2025, 3, 10), REPEAL)


def test_cannot_go_back_to_in_force():
    with pytest.raises(ValidityError, match="不能变更为“现行有效”"):
        apply_decision(doc(), Validity.IN_FORCE, D(2025, 3, 10), REPEAL)


def test_decision_before_written_or_before_an_earlier_change():
    d = doc(written=D(2024, 3, 1))
    with pytest.raises(ValidityError, match="早于成文日期 2024-03-01"):
        apply_decision(d, Validity.REPEALED, D(2024, 2, 1), REPEAL)


def test_history_with_two_final_events_is_refused():
    d = apply_decision(doc(), Validity.REPEALED, D(2025, 3, 10), REPEAL)
    from dataclasses import replace

    from gongkai.core.validity import ValidityEvent

    bad = replace(d, events=(*d.events, ValidityEvent(D(2025, 5, 1), Validity.EXPIRED, CLEANUP)))
    with pytest.raises(ValidityError, match="2025-05-01 的状态为“已废止”"):
        check_document(bad)


def test_bad_dates_are_refused():
    with pytest.raises(ValidityError, match="施行日期 2024-02-01 早于成文日期 2024-03-01"):
        doc(written=D(2024, 3, 1), effective=D(2024, 2, 1))
    with pytest.raises(ValidityError, match="有效期至 2024-02-01 早于施行日期 2024-03-01"):
        doc(written=D(2024, 3, 1), expires=D(2024, 2, 1))
    with pytest.raises(ValidityError, match="决定文件的标题不能为空"):
        Decision("  ", "某府发〔2025〕1号")


# --- 清理 ---------------------------------------------------------------------------------------


def test_cleanup_batch_reports_each_document():
    in_force = doc("A", written=D(2019, 5, 1))
    pending = doc("B", written=D(2025, 6, 1), effective=D(2025, 9, 1))
    expired = doc("C", written=D(2018, 1, 1), expires=D(2022, 12, 31))
    outcome = clean_up(
        [in_force, pending, expired, in_force], Validity.EXPIRED, D(2025, 6, 16), CLEANUP
    )
    assert [(r.ref, r.applied) for r in outcome.results] == [
        ("A", True),
        ("B", False),
        ("C", False),
        ("A", False),
    ]
    assert validity_on(outcome.results[0].document, D(2025, 6, 16)).validity is Validity.EXPIRED
    assert "状态为“尚未施行”，不能变更为“失效”" in outcome.results[1].reason
    assert "状态为“失效”，不能变更为“失效”" in outcome.results[2].reason
    assert outcome.results[3].reason == "同一清理决定中重复列出"
    assert outcome.results[1].document is pending  # refused: unchanged
    assert not outcome.all_applied
    assert [r.ref for r in outcome.applied] == ["A"]
    with pytest.raises(ValidityError, match="有 3 件文件不能变更，未作任何变更：B：") as refused:
        outcome.require_all()
    assert "C：" in str(refused.value)


def test_cleanup_all_applied():
    docs = [
        doc("A", written=D(2019, 5, 1)),
        doc("B", written=D(2025, 6, 1), effective=D(2025, 9, 1)),
    ]
    outcome = clean_up(docs, Validity.REPEALED, D(2025, 6, 16), CLEANUP)
    assert outcome.all_applied
    updated = outcome.require_all()
    assert [validity_on(d, D(2025, 6, 16)).validity for d in updated] == [Validity.REPEALED] * 2


def test_cleanup_cannot_revise():
    with pytest.raises(ValidityError, match="不能变更为“已修订”"):
        clean_up([doc()], Validity.REVISED, D(2025, 6, 16), CLEANUP)


# --- publication clock (第二十六条) -------------------------------------------------------


def test_publication_due_counted_by_hand():
    cal = official()
    # Formed Mon 6-16: 6-17..20 (4), 6-23..27 (9), 6-30..7-4 (14), 7-7..11 (19), 7-14 (20).
    clock = publication_clock(D(2025, 6, 16), D(2025, 6, 16), cal)
    assert clock.due == D(2025, 7, 14)
    assert clock.working_days_left == 20
    assert clock.colour is Colour.GREEN
    assert clock.late is None
    assert not clock.provisional


def test_publication_due_over_national_day():
    # Formed Fri 9-26: Sun 9-28 (1), 9-29, 9-30 (3), 10-1..8 off, 10-9, 10-10 (5), Sat 10-11
    # (6), 10-13..17 (11), 10-20..24 (16), 10-27..30 (20).
    clock = publication_clock(D(2025, 9, 26), D(2025, 9, 26), official())
    assert clock.due == D(2025, 10, 30)


def test_publication_yellow_over_dragon_boat():
    # Formed Tue 5-20: 5-21..23 (3), 5-26..30 (8), 5-31..6-2 端午 off, 6-3..6 (12),
    # 6-9..13 (17), 6-16, 6-17, 6-18 (20). On 6-16, two working days are left.
    clock = publication_clock(D(2025, 5, 20), D(2025, 6, 16), official())
    assert clock.due == D(2025, 6, 18)
    assert clock.working_days_left == 2
    assert clock.colour is Colour.YELLOW


def test_publication_overdue_red():
    # Formed Fri 5-9: 5-12..16 (5), 5-19..23 (10), 5-26..30 (15), 6-3..6 (19), 6-9 (20).
    # On 6-16 it is 5 working days late (6-10, 6-11, 6-12, 6-13, 6-16).
    cal = official()
    clock = publication_clock(D(2025, 5, 9), D(2025, 6, 16), cal)
    assert clock.due == D(2025, 6, 9)
    assert clock.working_days_left == -5
    assert clock.colour is Colour.RED


def test_publication_published_in_time_or_late():
    cal = official()
    on_time = publication_clock(D(2025, 5, 9), D(2025, 6, 16), cal, published=D(2025, 6, 9))
    assert (on_time.colour, on_time.late, on_time.working_days_left) == (Colour.GREEN, False, None)
    late = publication_clock(D(2025, 5, 9), D(2025, 6, 16), cal, published=D(2025, 6, 10))
    assert (late.colour, late.late) == (Colour.RED, True)
    with pytest.raises(
        ValidityError, match="公开日期 2025-05-08 早于信息形成或变更日期 2025-05-09"
    ):
        publication_clock(D(2025, 5, 9), D(2025, 6, 16), cal, published=D(2025, 5, 8))


# --- 三同步 / 解读 -------------------------------------------------------------------------------

# Published Tue 9-30: 10-1..8 off, 10-9 (1), 10-10 (2), Sat 10-11 make-up (3): latest 10-11.
PUBLISHED = D(2025, 9, 30)


def test_interpretation_in_time():
    d = doc(written=D(2025, 9, 25))
    assert interpretation_flags(d, PUBLISHED, PUBLISHED, D(2025, 10, 20), official()) == ()
    assert interpretation_flags(d, PUBLISHED, D(2025, 10, 11), D(2025, 10, 20), official()) == ()


def test_interpretation_late():
    d = doc(written=D(2025, 9, 25))
    (flag,) = interpretation_flags(d, PUBLISHED, D(2025, 10, 13), D(2025, 10, 20), official())
    assert flag.code == "interpretation_late"
    assert "第 4 个工作日" in flag.message
    assert "最迟 2025-10-11" in flag.message


def test_interpretation_missing_or_pending():
    d = doc(written=D(2025, 9, 25))
    (pending,) = interpretation_flags(d, PUBLISHED, None, D(2025, 10, 11), official())
    assert pending.code == "interpretation_pending"
    assert "最迟 2025-10-11" in pending.message
    (missing,) = interpretation_flags(d, PUBLISHED, None, D(2025, 10, 13), official())
    assert missing.code == "interpretation_missing"
    assert "未发布政策解读" in missing.message


def test_interpretation_before_document():
    d = doc(written=D(2025, 9, 25))
    (flag,) = interpretation_flags(d, PUBLISHED, D(2025, 9, 29), D(2025, 10, 13), official())
    assert flag.code == "interpretation_before_document"


def test_interpretation_only_for_normative_documents():
    other = doc(kind=DocKind.OTHER, written=D(2025, 9, 25))
    assert interpretation_flags(other, PUBLISHED, None, D(2025, 12, 1), official()) == ()


# --- registry and table 二 ---------------------------------------------------------------------


def _repealed(d: Document, day: date) -> Document:
    return apply_decision(d, Validity.REPEALED, day, REPEAL)


def registry() -> list[Document]:
    n7 = doc("N7", written=D(2022, 1, 1))
    n7b = doc("N7b", written=D(2025, 5, 10), effective=D(2025, 6, 1), revises="N7")
    n7 = apply_decision(n7, Validity.REVISED, D(2025, 6, 1), Decision(n7b.title, n7b.number))
    return [
        doc("N1", written=D(2020, 3, 1), effective=D(2020, 4, 1)),
        doc("N2", written=D(2020, 5, 1), expires=D(2025, 4, 30)),
        doc("N3", written=D(2021, 1, 1), expires=D(2025, 12, 31)),
        _repealed(doc("N4", written=D(2023, 6, 1)), D(2025, 3, 1)),
        _repealed(doc("N5", written=D(2025, 2, 1)), D(2025, 11, 1)),
        doc("N6", written=D(2025, 12, 20), effective=D(2026, 2, 1)),
        n7,
        n7b,
        _repealed(doc("N8", written=D(2024, 3, 1)), D(2024, 12, 31)),
        doc("N9", written=D(2026, 1, 5)),
        doc("R1", kind=DocKind.RULES, written=D(2025, 7, 1), effective=D(2025, 8, 1)),
        doc("O1", kind=DocKind.OTHER, written=D(2025, 7, 1)),
    ]


def test_table_two_2025_counted_by_hand():
    rows = table_two(registry(), 2025)
    n = rows[DocKind.NORMATIVE]
    # 上年现行有效: N1 N2 N3 N4 N7 (N8 was repealed on 2024-12-31 itself).
    assert n.previous_in_force == 5
    # 本年制发: N5 N6 (N7b revises N7, so it is not a new document).
    assert n.issued == 2
    # 本年废止: N2 (失效 5-1), N4 (废止 3-1), N5 (制发 and 废止 in the year).
    assert n.repealed == 3
    # 现行有效 on 12-31: N1, N3 (valid through 12-31), N6 (尚未施行), N7 in its revised text.
    assert n.in_force == 4
    assert n.not_yet_in_force == 1
    assert n.balanced
    r = rows[DocKind.RULES]
    assert (r.previous_in_force, r.issued, r.repealed, r.in_force) == (0, 1, 0, 1)


def test_table_two_2024_and_2026_counted_by_hand():
    n24 = table_two(registry(), 2024)[DocKind.NORMATIVE]
    # 2023-12-31: N1 N2 N3 N4 N7; 2024: N8 made and repealed.
    assert (n24.previous_in_force, n24.issued, n24.repealed, n24.in_force) == (5, 1, 1, 5)
    n26 = table_two(registry(), 2026)[DocKind.NORMATIVE]
    # 2026: N9 made; N3 失效 on 2026-01-01.
    assert (n26.previous_in_force, n26.issued, n26.repealed, n26.in_force) == (4, 1, 1, 4)
    assert n26.not_yet_in_force == 0


def test_county_registry_with_rules_is_refused():
    with pytest.raises(ValidityError, match=r"R1.*县级人民政府无权制定规章"):
        table_two(registry(), 2025, level=AgencyLevel.COUNTY_GOVERNMENT)
    county = [d for d in registry() if d.kind is not DocKind.RULES]
    r = table_two(county, 2025, level=AgencyLevel.COUNTY_GOVERNMENT)[DocKind.RULES]
    assert (r.previous_in_force, r.issued, r.repealed, r.in_force) == (0, 0, 0, 0)


def test_registry_refusals():
    a = doc("A", written=D(2020, 1, 1), expires=D(2022, 12, 31))
    with pytest.raises(ValidityError, match="文件编号 A 重复"):
        check_registry([a, a])
    with pytest.raises(ValidityError, match="修订的文件 X 不在登记簿中"):
        check_registry([doc("B", revises="X")])
    late = doc("B", written=D(2024, 1, 1), revises="A")
    with pytest.raises(ValidityError, match="已是“失效”；不再有效的文件不能修订"):
        check_registry([a, late])
    rule = doc("B", kind=DocKind.RULES, written=D(2021, 1, 1), revises="A")
    with pytest.raises(ValidityError, match="类别应一致"):
        check_registry([a, rule])
    b = doc("B", written=D(2021, 1, 1), revises="A")
    c = doc("C", written=D(2021, 2, 1), revises="A")
    with pytest.raises(ValidityError, match=r"已由.*B.*修订，不能再由.*C"):
        check_registry([a, b, c])
    marked = apply_decision(
        doc("M", written=D(2021, 1, 1)), Validity.REVISED, D(2022, 1, 1), REPEAL
    )
    with pytest.raises(ValidityError, match="标记为已修订，但登记簿中没有修订后的文本"):
        check_registry([marked])
    later = _repealed(doc("L", written=D(2021, 6, 1), revises="M"), D(2021, 9, 1))
    with pytest.raises(ValidityError, match="于 2022-01-01 标记为已修订，但修订后的"):
        check_registry([marked, later])


def test_chains_group_revisions():
    chains = check_registry(registry())
    assert [d.ref for d in chains["N7"]] == ["N7", "N7b"]
    assert "N7b" not in chains


# --- the identity, for any registry ----------------------------------------------------------

BASE = D(2021, 1, 1)
YEARS = range(2021, 2028)


def _try(chain: list[Document], candidate: list[Document]) -> list[Document]:
    try:
        check_registry(candidate)
    except ValidityError:
        return chain
    return candidate


@st.composite
def chains(draw: st.DrawFn, index: int) -> list[Document]:
    kind = draw(st.sampled_from([DocKind.RULES, DocKind.NORMATIVE]))
    written = BASE + timedelta(draw(st.integers(0, 6 * 365)))
    chain: list[Document] = []
    for k in range(draw(st.integers(1, 3))):
        effective = written + timedelta(draw(st.integers(0, 120)))
        expires = (
            effective + timedelta(draw(st.integers(0, 3 * 365))) if draw(st.booleans()) else None
        )
        new = Document(
            f"{index}-{k}",
            f"文件{index}-{k}",
            kind,
            written,
            effective,
            expires=expires,
            revises=chain[-1].ref if chain else None,
        )
        grown = _try(chain, [*chain, new])
        if grown is chain:
            break
        chain = grown
        if k and draw(st.booleans()):  # mark the earlier text 已修订
            day = new.written + timedelta(draw(st.integers(0, 200)))
            try:
                old = apply_decision(chain[-2], Validity.REVISED, day, Decision(new.title))
            except ValidityError:
                pass
            else:
                chain = _try(chain, [*chain[:-2], old, chain[-1]])
        written = new.written + timedelta(draw(st.integers(0, 700)))
    if draw(st.booleans()):  # end the last text by a decision
        target = draw(st.sampled_from([Validity.REPEALED, Validity.EXPIRED]))
        day = chain[-1].written + timedelta(draw(st.integers(0, 3 * 365)))
        try:
            last = apply_decision(chain[-1], target, day, REPEAL)
        except ValidityError:
            pass
        else:
            chain = _try(chain, [*chain[:-1], last])
    return chain


@st.composite
def registries(draw: st.DrawFn) -> list[Document]:
    n = draw(st.integers(0, 8))
    return [d for i in range(n) for d in draw(chains(i))]


@settings(max_examples=150, deadline=None)
@given(registries())
def test_identity_holds_every_year(documents):
    previous: dict[DocKind, int] = {}
    for year in YEARS:
        rows = table_two(documents, year)
        for kind, row in rows.items():
            assert row.balanced, (year, row)
            assert row.previous_in_force + row.issued - row.repealed == row.in_force
            assert 0 <= row.not_yet_in_force <= row.in_force
            if kind in previous:
                assert row.previous_in_force == previous[kind]
            previous[kind] = row.in_force


@settings(max_examples=100, deadline=None)
@given(registries())
def test_literal_definitions_for_documents_never_revised(documents):
    """Without revisions the counts are exactly the literal definitions of table 二."""
    single = [
        d
        for d in documents
        if d.revises is None and not d.events and not any(o.revises == d.ref for o in documents)
    ]
    for year in YEARS:
        row = table_two(single, year)
        for kind in (DocKind.RULES, DocKind.NORMATIVE):
            mine = [d for d in single if d.kind is kind]
            end = D(year, 12, 31)
            assert row[kind].issued == sum(d.written.year == year for d in mine)
            assert row[kind].repealed == sum(
                d.expires is not None and (d.expires + timedelta(days=1)).year == year for d in mine
            )
            assert row[kind].in_force == sum(
                d.written <= end
                and validity_on(d, end).validity in (Validity.IN_FORCE, Validity.NOT_YET_IN_FORCE)
                for d in mine
            )
