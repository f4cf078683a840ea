"""The reply clock; every expected date counted by hand on the official calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.deadlines import ClockError, Colour, Stop, card_colour, reply_clock
from gongkai.core.events import (
    Closed,
    ConsultationAnswered,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    DeadlineSet,
    DepartmentAnswered,
    Extended,
    FeeNoticeReceived,
    FeeNoticeSent,
    FeePaid,
    PartyKind,
    Received,
    Replied,
    Routed,
)
from gongkai.core.receipt import Channel, ReceiptError, receipt_date
from tests.core.calendars import official

D = date


def clock(events, today, **kw):
    return reply_clock(events, today, official(), **kw)


# --- receipt date (第三十一条) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "kwargs", "expected"),
    [
        (Channel.IN_PERSON, {"handed_in": D(2025, 9, 30)}, D(2025, 9, 30)),
        (Channel.SIGNED_POST, {"signed_for": D(2025, 10, 9)}, D(2025, 10, 9)),
        (Channel.ORDINARY_LETTER, {"confirmed": D(2025, 10, 10)}, D(2025, 10, 10)),
        (Channel.ONLINE, {"confirmed": D(2025, 9, 27)}, D(2025, 9, 27)),
        (Channel.EMAIL, {"confirmed": D(2025, 9, 28)}, D(2025, 9, 28)),
        (Channel.FAX, {"confirmed": D(2025, 9, 29)}, D(2025, 9, 29)),
    ],
)
def test_receipt_date_by_channel(channel, kwargs, expected):
    assert receipt_date(channel, **kwargs) == expected


def test_receipt_date_names_what_is_missing():
    with pytest.raises(
        ReceiptError, match="邮寄或快递（需签收）的申请以签收日期为收到日期，但未填写签收日期"
    ):
        receipt_date(Channel.SIGNED_POST, handed_in=D(2025, 1, 2))
    with pytest.raises(ReceiptError, match="双方确认日期"):
        receipt_date(Channel.ONLINE)


# --- the plain clock and the card colour ----------------------------------------------------


@pytest.mark.parametrize(
    ("today", "left", "colour"),
    [
        (D(2025, 9, 26), 20, Colour.GREEN),
        (D(2025, 10, 22), 6, Colour.GREEN),
        (D(2025, 10, 23), 5, Colour.YELLOW),  # 10-24, 27, 28, 29, 30 left
        (D(2025, 10, 30), 0, Colour.YELLOW),  # the due day itself
        (D(2025, 10, 31), -1, Colour.RED),
        (D(2025, 11, 3), -2, Colour.RED),
    ],
)
def test_plain_clock_before_national_day(today, left, colour):
    state = clock([Received(D(2025, 9, 26))], today)
    assert state.due == D(2025, 10, 30)
    assert state.working_days_left == left
    assert state.colour is colour
    assert state.correction_notice_due == D(2025, 10, 13)
    assert not state.paused


def test_yellow_threshold_is_configurable():
    state = clock([Received(D(2025, 9, 26))], D(2025, 10, 22), yellow_at=8)
    assert state.colour is Colour.YELLOW
    assert card_colour(9, 8) is Colour.GREEN


def test_overdue_on_a_holiday_counts_whole_working_days():
    # Received Fri 2025-08-29: 9-1..5 (5), 9-8..12 (10), 9-15..19 (15), 9-22..26 (20).
    state = clock([Received(D(2025, 8, 29))], D(2025, 9, 27))
    assert state.due == D(2025, 9, 26)
    assert state.working_days_left == -1  # Saturday 9-27 is no working day, still overdue
    assert state.colour is Colour.RED


# --- correction (第三十条) -----------------------------------------------------------------------


def test_correction_restarts_the_clock_from_the_corrected_application():
    events = [
        Received(D(2025, 3, 3)),
        CorrectionRequested(D(2025, 3, 5), reply_by=D(2025, 3, 19)),
        CorrectionReceived(D(2025, 3, 20)),
    ]
    state = clock(events, D(2025, 3, 24))
    # From 3-21 (1): 3-24..28 (6), 3-31..4-3 (10), 清明 4-4..6 off, 4-7..11 (15), 4-14..18 (20).
    assert state.clock_start == D(2025, 3, 20)
    assert state.due == D(2025, 4, 18)
    assert state.correction_notice_due == D(2025, 3, 12)
    assert state.warnings == ()


def test_waiting_for_correction_runs_no_clock():
    events = [Received(D(2025, 3, 3)), CorrectionRequested(D(2025, 3, 5), reply_by=D(2025, 3, 19))]
    state = clock(events, D(2025, 3, 10))
    assert state.due is None and state.working_days_left is None
    assert state.paused and state.pause_reasons == ("等待申请人补正",)
    assert state.correction_reply_by == D(2025, 3, 19)
    later = clock(events, D(2025, 3, 21))
    assert any("视为放弃申请" in w for w in later.warnings)


def test_late_or_repeated_correction_notice_is_flagged():
    events = [
        Received(D(2025, 9, 26)),
        CorrectionRequested(D(2025, 10, 14)),
        CorrectionRequested(D(2025, 10, 15)),
    ]
    state = clock(events, D(2025, 10, 16))
    assert any("晚于收到申请后 7 个工作日（2025-10-13）" in w for w in state.warnings)
    assert any("一次性" in w for w in state.warnings)


def test_corrected_application_without_a_notice_is_refused():
    with pytest.raises(ClockError, match="没有发出补正告知的记录"):
        clock([Received(D(2025, 3, 3)), CorrectionReceived(D(2025, 3, 6))], D(2025, 3, 7))


# --- consultation (第三十二条、第三十四条) --------------------------------------------------------


def test_consultation_spanning_national_day_is_not_counted():
    events = [
        Received(D(2025, 9, 15)),
        ConsultationSent(D(2025, 9, 22), "C1", PartyKind.THIRD_PARTY, "某科技有限公司"),
        ConsultationAnswered(D(2025, 10, 10), "C1"),
    ]
    state = clock(events, D(2025, 10, 13))
    # Paused: 9-23..26 (4), 9-28 (5), 9-29 (6), 9-30 (7), 10-9 (8), 10-10 (9).
    assert state.paused_working_days == 9
    # 20 + 9 = 29 working days from 9-15: 10-17 is the 20th, 10-30 the 29th.
    assert state.due == D(2025, 10, 30)
    assert not state.paused
    (party,) = state.consultations
    assert party.name == "某科技有限公司"
    # The party's 15 days: 9-23..26 (4), 9-28..30 (7), 10-9..11 (10), 10-13..17 (15).
    assert party.due == D(2025, 10, 17)
    assert party.answered == D(2025, 10, 10) and party.colour is Colour.GREEN


def test_open_consultation_pauses_the_clock():
    events = [Received(D(2025, 9, 15)), ConsultationSent(D(2025, 9, 22), "C1")]
    state = clock(events, D(2025, 10, 1))
    assert state.paused and state.pause_reasons == ("征求第三方意见",)
    # Paused so far: 9-23..26, 9-28..30 = 7; 27 working days from 9-15 = 10-28.
    assert state.paused_working_days == 7
    assert state.due == D(2025, 10, 28)


def test_unanswered_consultation_stops_pausing_at_its_own_deadline():
    events = [Received(D(2025, 9, 15)), ConsultationSent(D(2025, 9, 22), "C1", PartyKind.AGENCY)]
    state = clock(events, D(2025, 11, 10))
    assert not state.paused
    assert state.paused_working_days == 15  # up to the agency's deadline 10-17
    # 35 working days from 9-15: 10-17 (20), 10-24 (25), 10-31 (30), 11-7 (35).
    assert state.due == D(2025, 11, 7)
    assert state.working_days_left == -1 and state.colour is Colour.RED
    assert state.consultations[0].name == "共同制作机关"
    assert state.consultations[0].colour is Colour.RED


def test_overlapping_consultations_count_once():
    events = [
        Received(D(2025, 9, 15)),
        ConsultationSent(D(2025, 9, 22), "C1"),
        ConsultationSent(D(2025, 9, 24), "C2", PartyKind.AGENCY),
        ConsultationAnswered(D(2025, 10, 9), "C2"),
        ConsultationAnswered(D(2025, 10, 10), "C1"),
    ]
    state = clock(events, D(2025, 10, 13))
    assert state.paused_working_days == 9
    assert state.due == D(2025, 10, 30)


def test_answer_to_an_unknown_consultation_is_refused():
    with pytest.raises(ClockError, match="编号 X9"):
        clock(
            [Received(D(2025, 9, 15)), ConsultationAnswered(D(2025, 9, 20), "X9")], D(2025, 10, 1)
        )


# --- extension (第三十三条第二款) and Art. 35 ---------------------------------------------


def test_extension_of_twenty_days_across_new_year_and_spring_festival_make_up():
    events = [
        Received(D(2024, 12, 2)),
        Extended(D(2024, 12, 20), 20, approved_by="信息公开办主任 李明"),
    ]
    state = clock(events, D(2024, 12, 23))
    # 20th working day: 12-30. Then 12-31 (21), 1-1 off, 1-2 (22) … 1-24 (38),
    # Sunday 1-26 make-up (39), 1-27 (40).
    assert state.extension_working_days == 20
    assert state.due == D(2025, 1, 27)


def test_extension_needs_approval_and_is_capped():
    with pytest.raises(ClockError, match="没有记录政府信息公开工作机构负责人的同意"):
        clock(
            [Received(D(2024, 12, 2)), Extended(D(2024, 12, 20), 10, approved_by=" ")],
            D(2024, 12, 23),
        )
    events = [
        Received(D(2024, 12, 2)),
        Extended(D(2024, 12, 20), 15, approved_by="主任"),
        Extended(D(2024, 12, 27), 10, approved_by="主任"),
    ]
    with pytest.raises(
        ClockError, match="延期合计 25 个工作日，超过第三十三条规定的最长 20 个工作日"
    ):
        clock(events, D(2024, 12, 30))


def test_extension_after_the_deadline_is_flagged():
    events = [Received(D(2024, 12, 2)), Extended(D(2024, 12, 31), 5, approved_by="主任")]
    state = clock(events, D(2025, 1, 2))
    assert any("晚于当时的答复期限（2024-12-30）" in w for w in state.warnings)


def test_article_35_deadline_set_by_the_agency():
    events = [
        Received(D(2025, 9, 26)),
        DeadlineSet(D(2025, 10, 9), D(2025, 12, 31), "申请数量巨大"),
    ]
    state = clock(events, D(2025, 10, 10))
    assert state.due == D(2025, 12, 31)
    assert state.colour is Colour.GREEN


# --- fees (国办函〔2020〕109号) -----------------------------------------------------------


def test_fee_window_and_the_pause_until_payment():
    events = [
        Received(D(2025, 4, 14)),
        FeeNoticeSent(D(2025, 4, 24)),
        FeeNoticeReceived(D(2025, 4, 25)),
        FeePaid(D(2025, 5, 8)),
    ]
    state = clock(events, D(2025, 5, 9))
    # Pay by: Sun 4-27 make-up (1), 4-28..30 (4), 劳动节 5-1..5 off, 5-6..9 (8),
    # 5-12..16 (13), 5-19..23 (18), 5-26 (19), 5-27 (20).
    assert state.fee_pay_by == D(2025, 5, 27)
    # Paused 4-25, 4-27, 4-28, 4-29, 4-30, 5-6, 5-7, 5-8 = 8; 28 days from 4-14 = 5-26.
    assert state.paused_working_days == 8
    assert state.due == D(2025, 5, 26)


def test_unpaid_fee_stops_processing():
    events = [
        Received(D(2025, 4, 14)),
        FeeNoticeSent(D(2025, 4, 24)),
        FeeNoticeReceived(D(2025, 4, 25)),
    ]
    waiting = clock(events, D(2025, 5, 20))
    assert waiting.paused and "等待申请人缴纳信息处理费" in waiting.pause_reasons
    stopped = clock(events, D(2025, 5, 28))
    assert stopped.stop is Stop.FEE_UNPAID
    assert stopped.stopped_on == D(2025, 5, 28)
    assert stopped.working_days_left is None and not stopped.paused


# --- replies, departments ---------------------------------------------------------------------


def test_reply_after_the_deadline_is_late():
    state = clock([Received(D(2025, 9, 26)), Replied(D(2025, 10, 31))], D(2025, 11, 5))
    assert state.stop is Stop.REPLIED and state.late is True and state.colour is Colour.RED
    on_time = clock([Received(D(2025, 9, 26)), Replied(D(2025, 10, 30))], D(2025, 11, 5))
    assert on_time.late is False and on_time.colour is Colour.GREEN


def test_events_after_today_are_not_seen():
    events = [Received(D(2025, 9, 26)), Replied(D(2025, 10, 20))]
    assert clock(events, D(2025, 10, 10)).stop is None
    with pytest.raises(ClockError, match="晚于今天"):
        clock(events, D(2025, 9, 25))


def test_closed_without_reply():
    state = clock(
        [Received(D(2025, 9, 26)), Closed(D(2025, 10, 9), "申请人撤回申请")], D(2025, 10, 10)
    )
    assert state.stop is Stop.CLOSED and state.late is None


def test_department_deadlines():
    events = [
        Received(D(2025, 9, 26)),
        Routed(D(2025, 9, 26), "R1", "财政局", 5),
        Routed(D(2025, 9, 26), "R2", "自然资源局", 3),
        DepartmentAnswered(D(2025, 10, 9), "R2"),
    ]
    state = clock(events, D(2025, 10, 9))
    r1, r2 = state.departments
    # 9-28 (1), 9-29 (2), 9-30 (3), 10-9 (4), 10-10 (5).
    assert (r1.name, r1.due, r1.colour) == ("财政局", D(2025, 10, 10), Colour.YELLOW)
    assert (r2.due, r2.answered, r2.colour) == (D(2025, 9, 30), D(2025, 10, 9), Colour.RED)


def test_histories_that_cannot_be_are_refused():
    with pytest.raises(ClockError, match="没有“收到申请”"):
        clock([Replied(D(2025, 1, 2))], D(2025, 1, 3))
    with pytest.raises(ClockError, match="早于收到申请日期"):
        clock([Received(D(2025, 9, 26)), Replied(D(2025, 9, 1))], D(2025, 10, 1))
    with pytest.raises(ClockError, match="只能有一个"):
        clock([Received(D(2025, 9, 26)), Received(D(2025, 9, 29))], D(2025, 10, 1))


# --- properties -----------------------------------------------------------------------------------

received_days = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 6, 30))


@given(received=received_days, start=st.integers(0, 30), length=st.integers(0, 30))
def test_a_pause_never_shortens_the_deadline(received, start, length):
    sent = received + timedelta(days=start)
    answered = sent + timedelta(days=length)
    today = answered + timedelta(days=1)
    plain = clock([Received(received)], today)
    paused = clock(
        [Received(received), ConsultationSent(sent, "C"), ConsultationAnswered(answered, "C")],
        today,
    )
    assert paused.due >= plain.due
    assert official().is_working_day(paused.due)
    assert paused.paused_working_days == official().working_days_between(sent, answered)


@given(received=received_days, ext=st.integers(1, 20))
def test_the_due_date_is_always_a_working_day(received, ext):
    events = [Received(received), Extended(received + timedelta(days=3), ext, approved_by="主任")]
    state = clock(events, received + timedelta(days=3))
    assert official().is_working_day(state.due)
    assert official().working_days_between(received, state.due) == 20 + ext
