"""Reply outcomes: legal basis and how it is cited, the letter's wording, report row, remedy
notice."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.outcomes import (
    FEE_MEASURES,
    Outcome,
    Provision,
    chinese_number,
    cite,
    outcomes_for_row,
    remedy_notice,
    reply_provisions,
    sentence,
    trim,
)
from gongkai.core.report.schema import OUTCOME_ROWS


def test_every_outcome_row_of_table_three_has_an_outcome_and_no_outcome_has_two_rows():
    rows = {o.report_row for o in Outcome}
    assert rows == set(OUTCOME_ROWS)


@pytest.mark.parametrize(
    ("outcome", "row", "article"),
    [
        (Outcome.PUBLISHED, "granted", "第三十六条第一项"),
        (Outcome.PARTIAL, "partial", "第三十七条"),
        (Outcome.THIRD_PARTY_RIGHTS, "denied_4", "第十五条"),
        (Outcome.PROCESS_INFORMATION, "denied_6", "第十六条第二款"),
        (Outcome.NOT_THIS_AGENCY, "unable_1", "第三十六条第五项"),
        (Outcome.NEEDS_PROCESSING, "unable_2", "第三十八条"),
        (Outcome.REPEAT, "not_processed_2", "第三十六条第六项"),
        (Outcome.EXCESSIVE, "not_processed_4", "第三十五条"),
        (Outcome.NO_CORRECTION, "other_1", "第三十条"),
        (Outcome.FEE_UNPAID, "other_2", "国办函〔2020〕109号"),
    ],
)
def test_basis_and_row(outcome, row, article):
    assert outcome.report_row == row
    assert article in outcome.basis


def test_partial_counts_only_in_its_own_row():
    assert outcomes_for_row("partial") == (Outcome.PARTIAL,)
    assert Outcome.PARTIAL not in outcomes_for_row("denied_4")
    assert outcomes_for_row("unable_1") == (Outcome.DOES_NOT_EXIST, Outcome.NOT_THIS_AGENCY)


def test_full_grant_needs_no_remedy_notice():
    assert (
        remedy_notice(
            Outcome.DISCLOSED, decided_on=date(2025, 1, 2), reconsideration_body="某市人民政府"
        )
        is None
    )


def test_refusal_since_2024_goes_to_reconsideration_first():
    text = remedy_notice(
        Outcome.STATE_SECRET, decided_on=date(2024, 1, 1), reconsideration_body="青岛市人民政府"
    )
    assert text is not None
    assert "向青岛市人民政府申请行政复议" in text
    assert "应当先申请行政复议" in text and "第二十三条第一款第四项" in text
    assert "6个月内" not in text


def test_refusal_before_2024_and_other_outcomes_offer_both_routes():
    before = remedy_notice(
        Outcome.PARTIAL, decided_on=date(2023, 12, 29), reconsideration_body="青岛市人民政府"
    )
    other = remedy_notice(
        Outcome.DOES_NOT_EXIST, decided_on=date(2025, 3, 3), reconsideration_body="青岛市人民政府"
    )
    for text in (before, other):
        assert text is not None
        assert "60日内" in text and "6个月内" in text and "应当先申请" not in text


@pytest.mark.parametrize(
    ("n", "written"),
    [(1, "一"), (2, "二"), (10, "十"), (14, "十四"), (20, "二十"), (36, "三十六"), (99, "九十九")],
)
def test_article_numbers_in_chinese(n, written):
    assert chinese_number(n) == written


def test_article_numbers_out_of_range_are_refused():
    with pytest.raises(ValueError, match="1到99"):
        chinese_number(0)


REGS = "《中华人民共和国政府信息公开条例》"


def test_a_citation_is_in_statute_order_with_the_law_named_once():
    # The reply staff found: 第三十六条第五项 cited before 第三十六条第四项, the law twice.
    items = [Outcome.NOT_THIS_AGENCY, Outcome.DOES_NOT_EXIST]
    assert cite(p for o in items for p in o.provisions) == f"{REGS}第三十六条第四项、第五项"
    assert cite([Provision(16, 2), Provision(14), Provision(16, 1), Provision(14)]) == (
        f"{REGS}第十四条、第十六条第一款、第二款"
    )


def test_a_whole_article_covers_its_items_and_other_instruments_follow():
    assert cite([Provision(36, 0, 4), Provision(36)]) == f"{REGS}第三十六条"
    assert cite([Provision(law=FEE_MEASURES), Provision(42)]) == (
        f"{REGS}第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
    )


def test_refusals_cite_their_article_and_article_36_item_3():
    assert Outcome.STATE_SECRET.basis == f"{REGS}第十四条、第三十六条第三项"
    assert Outcome.PROCESS_INFORMATION.basis == f"{REGS}第十六条第二款、第三十六条第三项"
    # Full grants keep the label staff choose from (forms show “label（basis）”).
    assert Outcome.DISCLOSED.basis == f"{REGS}第三十六条第二项"


def test_a_partial_reply_cites_article_37_even_when_its_items_do_not():
    items = [Outcome.DISCLOSED, Outcome.THIRD_PARTY_RIGHTS]
    assert cite(reply_provisions(items, Outcome.PARTIAL)) == (
        f"{REGS}第十五条、第三十六条第二项、第三项、第三十七条"
    )
    assert cite(reply_provisions([], Outcome.NO_CORRECTION)) == f"{REGS}第三十条"


def test_letter_wording_is_not_the_staff_label():
    for outcome in Outcome:
        assert outcome.reply_sentence() not in ("", outcome.label), outcome
        assert "告知申请人" not in outcome.reply_sentence(), outcome
    assert Outcome.DOES_NOT_EXIST.reply_sentence() == (
        "经检索，本机关未制作或获取该政府信息，该政府信息不存在。"
    )
    assert Outcome.NOT_THIS_AGENCY.reply_sentence("建议您向测试市自然资源局咨询。") == (
        "经查，该政府信息不属于本机关负责公开的政府信息。建议您向测试市自然资源局咨询。"
    )


def test_typed_text_loses_its_trailing_marks_and_ends_once():
    assert trim(" 批准文件。。 ") == "批准文件"
    assert sentence("第一行。\n\n第二行；") == "第一行；第二行。"
    assert sentence("真的吗？") == "真的吗？"
    assert sentence("（电话：0532-12345678）") == "（电话：0532-12345678）。"
    assert sentence(" 。") == ""
