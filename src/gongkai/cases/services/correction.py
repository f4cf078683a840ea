"""Correction (补正, 《政府信息公开条例》第三十条): the office tells the applicant once what to
correct and by when; the clock waits; a correction in time restarts it, none ends the case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core.doctypes import DocType
from gongkai.core.docx_writer import format_date
from gongkai.core.outcomes import Outcome
from gongkai.core.workflow import Action

from ..documents import documents
from ..models import (
    Case,
    EventKind,
)
from .base import (
    CaseError,
    Step,
    begin,
    record,
)

# --- correction (第三十条) ----------------------------------------------------------------


def case_request_correction(
    *,
    actor: Any,
    case: Case,
    what: str,
    reply_by: date,
    day: date | None = None,
    ip: str | None = None,
) -> Case:
    """Tell the applicant, once, what to correct and by when; the clock waits."""
    if not what.strip():
        raise CaseError("请写明需要补正的事项（第三十条：一次性告知）")
    with transaction.atomic():
        step = begin(case, actor, Action.REQUEST_CORRECTION, day=day, ip=ip)
        if step.case.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            raise CaseError("补正告知只能发出一次（第三十条：一次性告知）")
        if reply_by <= step.day:
            raise CaseError(f"补正期限（{reply_by}）应晚于告知日期（{step.day}）")
        record(
            step,
            EventKind.CORRECTION_REQUESTED,
            f"告知补正，期限 {reply_by}",
            data={"reply_by": reply_by.isoformat()},
            note=what.strip(),
        )
        letter = documents().make(
            step,
            DocType.CORRECTION,
            {"补正事项": what.strip(), "补正期限": format_date(reply_by)},
        )
        documents().send(step, letter, f"需要补正，请于 {reply_by} 前补正")
    return step.case


def case_receive_correction(
    *, actor: Any, case: Case, day: date | None = None, note: str = "", ip: str | None = None
) -> Case:
    """The corrected application arrived: the reply clock starts afresh from ``day``."""
    with transaction.atomic():
        step = begin(case, actor, Action.RECEIVE_CORRECTION, day=day, ip=ip)
        record(step, EventKind.CORRECTION_RECEIVED, "收到补正后的申请，答复期限重新计算", note=note)
    return step.case


def case_lapse_correction(
    *,
    actor: Any,
    case: Case,
    day: date | None = None,
    note: str = "",
    ip: str | None = None,
    amend_reason: str = "",
) -> Case:
    """No correction in time without good reason: the application is treated as abandoned
    (第三十条; annual report row ``other_1``)."""
    with transaction.atomic():
        step = begin(
            case, actor, Action.LAPSE_CORRECTION, day=day, ip=ip, amend_reason=amend_reason
        )
        reply_by = step.case.events.filter(kind=EventKind.CORRECTION_REQUESTED).last()
        limit = (reply_by.data or {}).get("reply_by") if reply_by else None
        if limit and step.day <= date.fromisoformat(limit):
            raise CaseError(f"补正期限 {limit} 尚未届满，不能按逾期未补正处理")
        close_case(step, Outcome.NO_CORRECTION)
        record(
            step,
            EventKind.CORRECTION_LAPSED,
            "申请人逾期未补正，视为放弃申请",
            note=note,
            fields=("outcome", "closed_on"),
        )
        reply = documents().make_reply(step, Outcome.NO_CORRECTION)
        documents().send(step, reply, "逾期未补正，终止处理")
    return step.case


def close_case(step: Step, outcome: Outcome) -> None:
    step.case.outcome = outcome.value
    step.case.closed_on = step.day
