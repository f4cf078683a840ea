"""How an application ends otherwise, and what comes after: withdrawal, reopening after a
reconsideration decision or judgment (《行政复议法》第六十四条), archiving; the daily refresh of
the stored clock.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core.outcomes import Outcome
from gongkai.core.workflow import Action

from .. import clock
from ..models import (
    Case,
    EventKind,
)
from .base import (
    CaseError,
    begin,
    record,
    refresh_or_raise,
    today,
)
from .correction import close_case

# --- endings and after -------------------------------------------------------------------


def case_withdraw(
    *,
    actor: Any,
    case: Case,
    note: str = "",
    day: date | None = None,
    ip: str | None = None,
    amend_reason: str = "",
) -> Case:
    """The applicant withdrew the application (row ``other_3``, reason recorded)."""
    with transaction.atomic():
        step = begin(case, actor, Action.WITHDRAW, day=day, ip=ip, amend_reason=amend_reason)
        close_case(step, Outcome.OTHER)
        step.case.reply_summary = "申请人撤回申请" + (f"：{note.strip()}" if note.strip() else "")
        record(
            step,
            EventKind.WITHDRAWN,
            "申请人撤回申请",
            note=note.strip(),
            fields=("outcome", "closed_on", "reply_summary"),
        )
    return step.case


def case_reopen(
    *,
    actor: Any,
    case: Case,
    decision: str,
    due: date | None = None,
    day: date | None = None,
    ip: str | None = None,
    amend_reason: str = "",
) -> Case:
    """Handle again after a reconsideration decision or judgment ordering a new reply
    (《行政复议法》第六十四条); ``due``: the date the decision set, if any."""
    if not decision.strip():
        raise CaseError("请填写复议决定书或判决书的文号与要求")
    with transaction.atomic():
        step = begin(case, actor, Action.REOPEN, day=day, ip=ip, amend_reason=amend_reason)
        if due is not None and due <= step.day:
            raise CaseError(f"重新答复期限（{due}）应晚于重新办理日期（{step.day}）")
        c = step.case
        c.outcome, c.replied_on, c.closed_on, c.reply_summary = "", None, None, ""
        record(
            step,
            EventKind.REOPENED,
            "依复议决定/判决重新办理",
            note=decision.strip(),
            data={"due": due.isoformat() if due else ""},
            fields=("outcome", "replied_on", "closed_on", "reply_summary"),
        )
    return step.case


def case_archive(*, actor: Any, case: Case, ip: str | None = None) -> Case:
    with transaction.atomic():
        step = begin(case, actor, Action.ARCHIVE, ip=ip)
        record(step, EventKind.ARCHIVED, "归档")
    return step.case


# --- the stored clock, refreshed daily ------------------------------------------------------


def case_refresh_clock(case: Case) -> bool:
    """Recompute a case's stored due date and card for today; True if they changed."""
    with transaction.atomic():
        c = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        before = (c.due_on, c.due_provisional, c.card, c.clock_note)
        try:
            refresh_or_raise(c, list(c.events.all()))
        except CaseError as exc:
            c.card, c.clock_note = "unknown", str(exc)[:200]
        c.clock_as_of = today()
        c.save(update_fields=clock.CLOCK_FIELDS)
        return before != (c.due_on, c.due_provisional, c.card, c.clock_note)
