"""Reply outcomes: legal basis, report row, remedy notice."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.outcomes import Outcome, outcomes_for_row, remedy_notice
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
