"""Secrecy review (第十七条), drafting the reply item by item (第三十六条), returning or
approving the draft, and sending the signed reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core.outcomes import Outcome, combined_outcome
from gongkai.core.workflow import Action

from ..documents import documents
from ..models import (
    Case,
    EventKind,
    ReplyItem,
    SecrecyReview,
)
from .base import (
    CaseError,
    begin,
    record,
)

# --- secrecy review, reply, approval ------------------------------------------------------


def case_secrecy_review(
    *,
    actor: Any,
    case: Case,
    passed: bool,
    note: str = "",
    day: date | None = None,
    ip: str | None = None,
) -> SecrecyReview:
    """Record the secrecy review of what is to be released (第十七条)."""
    if not passed and not note.strip():
        raise CaseError("审查未通过时请写明意见")
    with transaction.atomic():
        step = begin(case, actor, Action.SECRECY_REVIEW, day=day, ip=ip)
        r = SecrecyReview.objects.create(
            case=step.case, reviewer=actor, day=step.day, passed=passed, note=note.strip()
        )
        record(
            step,
            EventKind.SECRECY_REVIEWED,
            "保密审查" + ("通过" if passed else "未通过"),
            data={"passed": passed},
            note=note.strip(),
        )
    return r


@dataclass(frozen=True)
class ItemInput:
    description: str
    outcome: str
    explanation: str = ""


def case_draft_reply(
    *,
    actor: Any,
    case: Case,
    items: Sequence[ItemInput],
    summary: str = "",
    ip: str | None = None,
) -> Case:
    """Draft the reply: each requested item with its outcome from the core taxonomy."""
    if not items:
        raise CaseError("答复至少要有一个申请事项")
    outcomes = []
    for n, item in enumerate(items, start=1):
        if not item.description.strip():
            raise CaseError(f"第 {n} 个答复事项没有填写申请事项")
        if item.outcome not in Outcome.__members__.values():
            raise CaseError(f"第 {n} 个答复事项的处理结果“{item.outcome}”无效")
        outcomes.append(Outcome(item.outcome))
    if Outcome.FEE_UNPAID in outcomes or Outcome.NO_CORRECTION in outcomes:
        raise CaseError("逾期未补正、逾期未缴费不是答复内容，请使用相应的终止操作")
    with transaction.atomic():
        step = begin(case, actor, Action.DRAFT_REPLY, ip=ip)
        step.case.reply_items.all().delete()
        ReplyItem.objects.bulk_create(
            ReplyItem(
                case=step.case,
                position=n,
                description=i.description.strip(),
                outcome=i.outcome,
                explanation=i.explanation.strip(),
            )
            for n, i in enumerate(items, start=1)
        )
        overall = combined_outcome(outcomes)
        step.case.outcome, step.case.reply_summary = overall.value, summary.strip()
        record(
            step,
            EventKind.DRAFTED,
            f"拟定答复：{overall.label}（{len(items)} 个事项）",
            data={"outcome": overall.value},
            note=summary.strip(),
            fields=("outcome", "reply_summary"),
        )
    return step.case


def case_return_draft(*, actor: Any, case: Case, note: str, ip: str | None = None) -> Case:
    if not note.strip():
        raise CaseError("请写明退回修改的意见")
    with transaction.atomic():
        step = begin(case, actor, Action.RETURN_DRAFT, ip=ip)
        record(step, EventKind.DRAFT_RETURNED, "答复稿退回修改", note=note.strip())
    return step.case


def case_approve(*, actor: Any, case: Case, note: str = "", ip: str | None = None) -> Case:
    """Sign off the reply; a passed secrecy review must be on record first (第十七条)."""
    with transaction.atomic():
        step = begin(case, actor, Action.APPROVE, ip=ip)
        last = step.case.secrecy_reviews.order_by("-day", "-id").first()
        if last is None or not last.passed:
            raise CaseError("答复签发前须通过保密审查（第十七条）")
        latest = (
            step.case.events.filter(kind__in=[EventKind.DRAFTED, EventKind.SECRECY_REVIEWED])
            .order_by("-id")
            .first()
        )
        if latest.kind == EventKind.DRAFTED:
            raise CaseError("保密审查早于最新的答复稿，请对修改后的答复重新审查")
        record(step, EventKind.APPROVED, f"审签同意（{actor}）", note=note.strip())
        documents().make_reply(step, Outcome(step.case.outcome))
    return step.case


def case_mark_replied(
    *,
    actor: Any,
    case: Case,
    day: date | None = None,
    note: str = "",
    method: str | None = None,
    tracking_number: str = "",
    ip: str | None = None,
    amend_reason: str = "",
) -> Case:
    """The signed reply letter was sent to the applicant on ``day`` by ``method`` (default:
    the way the applicant asked for); the clock stops. The delivery date goes on the case
    when the letter arrives (at once in person, by e-mail or on the portal)."""
    with transaction.atomic():
        step = begin(case, actor, Action.MARK_REPLIED, day=day, ip=ip, amend_reason=amend_reason)
        approved = step.case.events.filter(kind=EventKind.APPROVED).order_by("-id").first()
        letter = step.case.letters.filter(doc_type__startswith="reply_").order_by("-id").first()
        if letter is None or approved is None or letter.issued_on < approved.day:
            raise CaseError("没有已签发的答复书，请先审签")
        step.case.replied_on = step.case.closed_on = step.day
        record(
            step,
            EventKind.REPLIED,
            f"答复申请人：{Outcome(step.case.outcome).label}",
            note=note,
            fields=("replied_on", "closed_on"),
        )
        documents().deliver(step, letter, method, tracking_number=tracking_number)
        documents().notify(step.case, f"已答复：{Outcome(step.case.outcome).label}", letter=letter)
    return step.case
