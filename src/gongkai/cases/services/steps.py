"""The workflow steps after registration, one function per action of the core table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.core.deadlines import CONSULTATION_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS
from gongkai.core.doctypes import DocType
from gongkai.core.docx_writer import format_date
from gongkai.core.outcomes import Outcome, combined_outcome
from gongkai.core.workflow import Action, Role
from gongkai.rules.selectors import working_calendar

from .. import clock
from ..documents import documents
from ..models import (
    Assignment,
    AssignmentKind,
    Attachment,
    AttachmentKind,
    Case,
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    EventKind,
    ReplyItem,
    SecrecyReview,
)
from .base import (
    AcceptedUpload,
    CaseError,
    Step,
    accepted_upload,
    begin,
    load_in_scope,
    record,
    refresh_or_raise,
    today,
)


def _ref(prefix: str, n: int) -> str:
    return f"{prefix}{n}"


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
        s = begin(case, actor, Action.REQUEST_CORRECTION, day=day, ip=ip)
        if s.case.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            raise CaseError("补正告知只能发出一次（第三十条：一次性告知）")
        if reply_by <= s.day:
            raise CaseError(f"补正期限（{reply_by}）应晚于告知日期（{s.day}）")
        record(
            s,
            EventKind.CORRECTION_REQUESTED,
            f"告知补正，期限 {reply_by}",
            data={"reply_by": reply_by.isoformat()},
            note=what.strip(),
        )
        letter = documents().make(
            s,
            DocType.CORRECTION,
            {"补正事项": what.strip(), "补正期限": format_date(reply_by)},
        )
        documents().send(s, letter, f"需要补正，请于 {reply_by} 前补正")
    return s.case


def case_receive_correction(
    *, actor: Any, case: Case, day: date | None = None, note: str = "", ip: str | None = None
) -> Case:
    """The corrected application arrived: the reply clock starts afresh from ``day``."""
    with transaction.atomic():
        s = begin(case, actor, Action.RECEIVE_CORRECTION, day=day, ip=ip)
        record(s, EventKind.CORRECTION_RECEIVED, "收到补正后的申请，答复期限重新计算", note=note)
    return s.case


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
        s = begin(
            case, actor, Action.LAPSE_CORRECTION, day=day, ip=ip, amend_reason=amend_reason
        )
        reply_by = s.case.events.filter(kind=EventKind.CORRECTION_REQUESTED).last()
        limit = (reply_by.data or {}).get("reply_by") if reply_by else None
        if limit and s.day <= date.fromisoformat(limit):
            raise CaseError(f"补正期限 {limit} 尚未届满，不能按逾期未补正处理")
        _close(s, Outcome.NO_CORRECTION)
        record(
            s,
            EventKind.CORRECTION_LAPSED,
            "申请人逾期未补正，视为放弃申请",
            note=note,
            fields=("outcome", "closed_on"),
        )
        reply = documents().make_reply(s, Outcome.NO_CORRECTION)
        documents().send(s, reply, "逾期未补正，终止处理")
    return s.case


def _close(s: Step, outcome: Outcome) -> None:
    s.case.outcome = outcome.value
    s.case.closed_on = s.day


# --- routing to units and departments (转办/协查) ------------------------------------------


def case_assign(
    *,
    actor: Any,
    case: Case,
    unit: Agency,
    kind: str = AssignmentKind.ROUTE,
    working_days: int = 5,
    instructions: str = "",
    day: date | None = None,
    ip: str | None = None,
) -> Assignment:
    """Ask ``unit`` to search for the information and give its opinion within ``working_days``."""
    if kind not in AssignmentKind.values:
        raise CaseError(f"转办方式“{kind}”无效")
    if not 1 <= working_days <= 20:
        raise CaseError("承办单位的办理时限应为 1 至 20 个工作日")
    with transaction.atomic():
        s = begin(case, actor, Action.ASSIGN, day=day, ip=ip)
        if unit.pk == s.case.agency_id:
            raise CaseError("不能转办给受理机关本身，请选择内设机构或其他部门")
        if kind == AssignmentKind.ROUTE and not unit.path.startswith(s.case.agency.path):
            raise CaseError(
                f"{unit.name}不是{s.case.agency.name}的内设机构；向其他部门请求协助请选择“协查”"
            )
        if s.case.assignments.filter(unit=unit, answered_on__isnull=True).exists():
            raise CaseError(f"已转办给{unit.name}且尚未回复")
        ref = _ref("Z", s.case.assignments.count() + 1)
        due = working_calendar().add_working_days(s.day, working_days)
        a = Assignment.objects.create(
            case=s.case,
            unit=unit,
            kind=kind,
            ref=ref,
            sent_on=s.day,
            working_days=working_days,
            due_on=due,
            instructions=instructions.strip(),
        )
        record(
            s,
            EventKind.ROUTED,
            f"{AssignmentKind(kind).label}至{unit.name}，{working_days}个工作日内回复",
            ref=ref,
            data={"unit": unit.name, "unit_id": unit.pk, "working_days": working_days},
            note=instructions.strip(),
        )
        if kind == AssignmentKind.ASSIST:
                documents().make(
                s,
                DocType.ASSISTANCE,
                {
                    "协办单位": unit.name,
                    "协办要求": instructions.strip() or "检索相关信息并提出是否可以公开的意见",
                    "回复期限": clock.due_wording(due, working_calendar().is_provisional(due)),
                },
            )
    return a


def assignment_answer(
    *,
    actor: Any,
    assignment: Assignment,
    opinion: str,
    day: date | None = None,
    ip: str | None = None,
) -> Assignment:
    """The unit's written opinion (search result, whether it can be disclosed, and why)."""
    if not opinion.strip():
        raise CaseError("请填写办理意见")
    with transaction.atomic():
        s = begin(assignment.case_id, actor, Action.ANSWER_ASSIGNMENT, day=day, ip=ip)
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        office = s.roles & {Role.REGISTRAR, Role.HEAD}
        if not office and a.unit_id not in s.viewer.handler_unit_ids:
            raise CaseError(f"该转办事项由{a.unit.name}办理，您不是该单位的承办人")
        if a.answered_on:
            raise CaseError(f"{a.unit.name}已于 {a.answered_on} 回复")
        if s.day < a.sent_on:
            raise CaseError(f"回复日期（{s.day}）不能早于转办日期（{a.sent_on}）")
        a.answered_on, a.opinion, a.answered_by = s.day, opinion.strip(), actor
        a.save(update_fields=["answered_on", "opinion", "answered_by"])
        record(
            s,
            EventKind.DEPARTMENT_ANSWERED,
            f"{a.unit.name}回复办理意见",
            ref=a.ref,
            data={"unit": a.unit.name},
            note=opinion.strip(),
        )
    return a


# --- consultation (第三十二条、第三十四条) -------------------------------------------------


def case_consult(
    *,
    actor: Any,
    case: Case,
    kind: str,
    party: str,
    day: date | None = None,
    ip: str | None = None,
) -> Consultation:
    """Consult a third party or a co-producing agency; the clock does not run meanwhile."""
    if kind not in ConsultationKind.values:
        raise CaseError(f"征求意见对象类型“{kind}”无效")
    if not party.strip():
        raise CaseError("请填写被征求意见的第三方或机关名称")
    with transaction.atomic():
        s = begin(case, actor, Action.CONSULT, day=day, ip=ip)
        ref = _ref("Q", s.case.consultations.count() + 1)
        due = working_calendar().add_working_days(s.day, CONSULTATION_WORKING_DAYS)
        c = Consultation.objects.create(
            case=s.case, kind=kind, party=party.strip(), ref=ref, sent_on=s.day, due_on=due
        )
        record(
            s,
            EventKind.CONSULTATION_SENT,
            f"征求{party.strip()}意见，{due} 前回复",
            ref=ref,
            data={"kind": kind, "party": party.strip()},
        )
        by = clock.due_wording(due, working_calendar().is_provisional(due))
        if kind == ConsultationKind.THIRD_PARTY:
            documents().make(
                s, DocType.CONSULT_THIRD_PARTY, {"第三方": party.strip(), "回复期限": by}
            )
        else:
            documents().make(
                s, DocType.CONSULT_AGENCY, {"被征求机关": party.strip(), "回复期限": by}
            )
        notice = documents().make(
            s, DocType.CONSULT_NOTICE, {"征求对象": party.strip(), "回复期限": by}
        )
        documents().send(s, notice, f"需要征求{party.strip()}意见，所需时间不计入答复期限")
    return c


def consultation_answer(
    *,
    actor: Any,
    consultation: Consultation,
    answer: str,
    note: str = "",
    day: date | None = None,
    ip: str | None = None,
) -> Consultation:
    if answer not in ConsultationAnswer.values:
        raise CaseError(f"意见类型“{answer}”无效")
    with transaction.atomic():
        s = begin(consultation.case_id, actor, Action.ANSWER_CONSULTATION, day=day, ip=ip)
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.answered_on:
            raise CaseError(f"{c.party}的意见已于 {c.answered_on} 记录")
        if s.day < c.sent_on:
            raise CaseError(f"回复日期（{s.day}）不能早于发函日期（{c.sent_on}）")
        c.answered_on, c.answer, c.answer_note = s.day, answer, note.strip()
        c.save(update_fields=["answered_on", "answer", "answer_note"])
        record(
            s,
            EventKind.CONSULTATION_ANSWERED,
            f"收到{c.party}意见：{ConsultationAnswer(answer).label}",
            ref=c.ref,
            data={"answer": answer},
            note=note.strip(),
        )
    return c


# --- extension (第三十三条第二款) ----------------------------------------------------------


def case_extend(
    *,
    actor: Any,
    case: Case,
    working_days: int,
    reason: str,
    day: date | None = None,
    ip: str | None = None,
) -> Case:
    """Extend the reply deadline; the actor, as head of the disclosure office, approves it."""
    if not reason.strip():
        raise CaseError("请填写延期理由（延期须告知申请人）")
    if not 1 <= working_days <= MAX_EXTENSION_WORKING_DAYS:
        raise CaseError(f"延期天数应为 1 至 {MAX_EXTENSION_WORKING_DAYS} 个工作日（第三十三条）")
    with transaction.atomic():
        s = begin(case, actor, Action.EXTEND, day=day, ip=ip)
        approver = str(actor)
        record(
            s,
            EventKind.EXTENDED,
            f"延期 {working_days} 个工作日（{approver}同意）",
            data={"working_days": working_days, "approved_by": approver},
            note=reason.strip(),
        )
        c = s.case
        due = clock.due_wording(c.due_on, c.due_provisional) if c.due_on else "另行告知的日期"
        letter = documents().make(
            s,
            DocType.EXTENSION,
            {"延期天数": str(working_days), "延期理由": reason.strip(), "新答复期限": due},
        )
        until = f"{c.due_on}{'（暂定）' if c.due_provisional else ''}" if c.due_on else "另行告知"
        documents().send(s, letter, f"延期答复，答复期限延至 {until}")
    return s.case


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
        s = begin(case, actor, Action.SECRECY_REVIEW, day=day, ip=ip)
        r = SecrecyReview.objects.create(
            case=s.case, reviewer=actor, day=s.day, passed=passed, note=note.strip()
        )
        record(
            s,
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
        s = begin(case, actor, Action.DRAFT_REPLY, ip=ip)
        s.case.reply_items.all().delete()
        ReplyItem.objects.bulk_create(
            ReplyItem(
                case=s.case,
                position=n,
                description=i.description.strip(),
                outcome=i.outcome,
                explanation=i.explanation.strip(),
            )
            for n, i in enumerate(items, start=1)
        )
        overall = combined_outcome(outcomes)
        s.case.outcome, s.case.reply_summary = overall.value, summary.strip()
        record(
            s,
            EventKind.DRAFTED,
            f"拟定答复：{overall.label}（{len(items)} 个事项）",
            data={"outcome": overall.value},
            note=summary.strip(),
            fields=("outcome", "reply_summary"),
        )
    return s.case


def case_return_draft(*, actor: Any, case: Case, note: str, ip: str | None = None) -> Case:
    if not note.strip():
        raise CaseError("请写明退回修改的意见")
    with transaction.atomic():
        s = begin(case, actor, Action.RETURN_DRAFT, ip=ip)
        record(s, EventKind.DRAFT_RETURNED, "答复稿退回修改", note=note.strip())
    return s.case


def case_approve(*, actor: Any, case: Case, note: str = "", ip: str | None = None) -> Case:
    """Sign off the reply; a passed secrecy review must be on record first (第十七条)."""
    with transaction.atomic():
        s = begin(case, actor, Action.APPROVE, ip=ip)
        last = s.case.secrecy_reviews.order_by("-day", "-id").first()
        if last is None or not last.passed:
            raise CaseError("答复签发前须通过保密审查（第十七条）")
        latest = (
            s.case.events.filter(kind__in=[EventKind.DRAFTED, EventKind.SECRECY_REVIEWED])
            .order_by("-id")
            .first()
        )
        if latest.kind == EventKind.DRAFTED:
            raise CaseError("保密审查早于最新的答复稿，请对修改后的答复重新审查")
        record(s, EventKind.APPROVED, f"审签同意（{actor}）", note=note.strip())
        documents().make_reply(s, Outcome(s.case.outcome))
    return s.case


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
        s = begin(case, actor, Action.MARK_REPLIED, day=day, ip=ip, amend_reason=amend_reason)
        approved = s.case.events.filter(kind=EventKind.APPROVED).order_by("-id").first()
        letter = s.case.letters.filter(doc_type__startswith="reply_").order_by("-id").first()
        if letter is None or approved is None or letter.issued_on < approved.day:
            raise CaseError("没有已签发的答复书，请先审签")
        s.case.replied_on = s.case.closed_on = s.day
        record(
            s,
            EventKind.REPLIED,
            f"答复申请人：{Outcome(s.case.outcome).label}",
            note=note,
            fields=("replied_on", "closed_on"),
        )
        documents().deliver(s, letter, method, tracking_number=tracking_number)
        documents().notify(s.case, f"已答复：{Outcome(s.case.outcome).label}", letter=letter)
    return s.case


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
        s = begin(case, actor, Action.WITHDRAW, day=day, ip=ip, amend_reason=amend_reason)
        _close(s, Outcome.OTHER)
        s.case.reply_summary = "申请人撤回申请" + (f"：{note.strip()}" if note.strip() else "")
        record(
            s,
            EventKind.WITHDRAWN,
            "申请人撤回申请",
            note=note.strip(),
            fields=("outcome", "closed_on", "reply_summary"),
        )
    return s.case


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
        s = begin(case, actor, Action.REOPEN, day=day, ip=ip, amend_reason=amend_reason)
        if due is not None and due <= s.day:
            raise CaseError(f"重新答复期限（{due}）应晚于重新办理日期（{s.day}）")
        c = s.case
        c.outcome, c.replied_on, c.closed_on, c.reply_summary = "", None, None, ""
        record(
            s,
            EventKind.REOPENED,
            "依复议决定/判决重新办理",
            note=decision.strip(),
            data={"due": due.isoformat() if due else ""},
            fields=("outcome", "replied_on", "closed_on", "reply_summary"),
        )
    return s.case


def case_archive(*, actor: Any, case: Case, ip: str | None = None) -> Case:
    with transaction.atomic():
        s = begin(case, actor, Action.ARCHIVE, ip=ip)
        record(s, EventKind.ARCHIVED, "归档")
    return s.case


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


# --- attachments ---------------------------------------------------------------------------

def attachment_add(
    *, actor: Any, case: Case, kind: str, upload: UploadedFile, ip: str | None = None
) -> Attachment:
    """Keep a file with the case (office staff or an assigned handler)."""
    if kind not in AttachmentKind.values:
        raise CaseError(f"材料类型“{kind}”无效")
    accepted = accepted_upload(upload)
    with transaction.atomic():
        locked, _, roles = load_in_scope(case, actor, lock=True)
        if not roles & {Role.REGISTRAR, Role.HEAD, Role.SECRECY, Role.HANDLER}:
            raise CaseError("您无权为该申请上传材料")
        att = attachment_keep(locked, upload, accepted, kind=kind, actor=actor)
        locked.events.create(
            kind=EventKind.ATTACHED,
            day=today(),
            actor=actor,
            data={"attachment": att.pk},
            note=att.original_name,
        )
        audit_record(
            actor=actor,
            action="case.attached",
            target=locked,
            agency=locked.agency,
            message=f"{locked.number}：上传{AttachmentKind(kind).label}“{att.original_name}”",
            data={"sha256": att.sha256, "size": att.size},
            ip=ip,
        )
    return att


def attachment_keep(
    case: Case,
    upload: UploadedFile,
    accepted: AcceptedUpload,
    *,
    kind: str,
    actor: Any,
    name: str = "",
) -> Attachment:
    """Store an upload that passed :func:`accepted_upload` as a material of ``case`` (inside
    the caller's step); ``name``: the name shown (default: the uploaded file's name)."""
    att = Attachment(
        case=case,
        kind=kind,
        original_name=(name or upload.name or "")[:200],
        content_type=accepted.content_type,
        size=upload.size,
        sha256=accepted.sha256,
        uploaded_by=actor,
    )
    att.file.save(f"{accepted.sha256[:16]}{accepted.ext}", upload, save=False)
    att.save()
    return att
