"""The case page's 办理时限 panel and the correction (补正, 《政府信息公开条例》第三十条): a
correction deadline shows only while one still runs; once the corrected application is
received the panel says 已补正 and the reply period counts from that day.

Hand counts (2025, no holiday between 9 June and 11 July; 端午 was 31 May–2 June):
- received Monday 9 June: the notice is due on the 7th working day after it —
  10, 11, 12, 13, 16, 17, 18 June → Wednesday 18 June;
- corrected application received Friday 13 June: 20 working days from it — 16–20 June (5),
  23–27 (10), 30 June–4 July (15), 7–11 July (20) → Friday 11 July.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html

from gongkai.cases.clock import correction_state
from gongkai.cases.models import CaseEvent
from gongkai.cases.services import (
    case_assign,
    case_lapse_correction,
    case_receive_correction,
    case_request_correction,
    case_withdraw,
)
from tests.factories import register

pytestmark = pytest.mark.django_db

RECEIVED = date(2025, 6, 9)


def time_panel(user, case) -> tuple[str, dict[str, str]]:
    """The 办理时限 card's text and its facts (term → description)."""
    client = Client()
    client.force_login(user)
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    card = html.fromstring(page.content.decode()).xpath('//section[@aria-labelledby="h-time"]')[0]
    terms = [dt.text_content().strip() for dt in card.xpath(".//dt")]
    values = [" ".join(dd.text_content().split()) for dd in card.xpath(".//dd")]
    return card.text_content(), dict(zip(terms, values, strict=True))


def request(w, case, reply_by=date(2025, 6, 20)):
    return case_request_correction(
        actor=w.registrar,
        case=case,
        what="请写明所需信息的文号或发布时间",
        reply_by=reply_by,
        day=date(2025, 6, 10),
    )


def test_a_new_case_shows_when_the_notice_is_due(w):
    case = register(w.registrar, w.d1, received_on=RECEIVED)
    _, facts = time_panel(w.registrar, case)
    assert facts["补正告知期限"].startswith("2025-06-18（")
    assert "申请人补正期限" not in facts and "补正" not in facts


def test_while_waiting_the_applicants_deadline_shows(w):
    case = request(w, register(w.registrar, w.d1, received_on=RECEIVED))
    _, facts = time_panel(w.registrar, case)
    assert facts["补正告知"] == "2025-06-10 已发出"
    assert facts["申请人补正期限"] == "2025-06-20"
    assert facts["计时起点"] == "等待补正"
    assert "补正告知期限" not in facts  # the notice went out: that deadline is spent


def test_once_corrected_no_correction_deadline_remains(w):
    case = request(w, register(w.registrar, w.d1, received_on=RECEIVED))
    case = case_receive_correction(actor=w.registrar, case=case, day=date(2025, 6, 13))
    text, facts = time_panel(w.registrar, case)
    assert facts["补正"] == (
        "已补正：2025-06-13 收到补正后的申请，答复期限自该日起重新计算（2025-06-10 告知补正）"
    )
    assert "申请人补正期限" not in facts and "补正告知期限" not in facts
    assert "2025-06-20" not in text and "2025-06-18" not in text
    assert facts["计时起点"] == "2025-06-13"
    assert facts["答复期限"].startswith("2025-07-11（")
    # Still so once the case moves on.
    case_assign(actor=w.registrar, case=case, unit=w.u1)
    _, facts = time_panel(w.registrar, case)
    assert facts["补正"].startswith("已补正：2025-06-13")


def test_a_lapsed_correction_says_so_without_a_running_deadline(w):
    case = request(w, register(w.registrar, w.d1, received_on=RECEIVED), date(2025, 6, 13))
    case = case_lapse_correction(actor=w.registrar, case=case, day=date(2025, 6, 16))
    _, facts = time_panel(w.registrar, case)
    assert facts["补正"] == "逾期未补正：2025-06-10 告知补正，期限 2025-06-13，2025-06-16 终止办理"
    assert "申请人补正期限" not in facts and "补正告知期限" not in facts


def test_a_case_past_registration_without_a_correction_shows_none(w):
    case = register(w.registrar, w.d1, received_on=RECEIVED)
    case_assign(actor=w.registrar, case=case, unit=w.u1)  # returns the assignment
    _, facts = time_panel(w.registrar, case)
    assert not [term for term in facts if "补正" in term]


def test_a_reopened_case_starts_a_round_without_correction(w):
    rows = [
        CaseEvent(id=1, kind="received", day=RECEIVED, data={}),
        CaseEvent(
            id=2,
            kind="correction_requested",
            day=date(2025, 6, 10),
            data={"reply_by": "2025-06-20"},
        ),
        CaseEvent(id=3, kind="correction_received", day=date(2025, 6, 13), data={}),
        CaseEvent(id=4, kind="replied", day=date(2025, 7, 1), data={}),
    ]
    done = correction_state("replied", rows, date(2025, 6, 18))
    assert (done.stage, done.received_on, done.shows_deadline) == (
        "received",
        date(2025, 6, 13),
        False,
    )
    reopened = [*rows, CaseEvent(id=5, kind="reopened", day=date(2025, 9, 1), data={})]
    assert correction_state("processing", reopened, date(2025, 9, 10)).stage == "none"


def test_withdrawn_while_waiting_shows_no_deadline(w):
    case = request(w, register(w.registrar, w.d1, received_on=RECEIVED))
    case = case_withdraw(actor=w.registrar, case=case, day=date(2025, 6, 12))
    _, facts = time_panel(w.registrar, case)
    assert facts["补正"] == "2025-06-10 告知补正，未收到补正后的申请"
    assert "申请人补正期限" not in facts
