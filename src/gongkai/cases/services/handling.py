"""Handling an application: routing it to units and departments (转办/协查), consulting third
parties and other agencies (第三十二条、第三十四条) and extending the reply period
(第三十三条第二款).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.core.deadlines import CONSULTATION_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS
from gongkai.core.doctypes import DocType
from gongkai.core.workflow import Action, Role
from gongkai.rules.selectors import working_calendar

from .. import clock
from ..documents import documents
from ..models import (
    Assignment,
    AssignmentKind,
    Case,
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    EventKind,
)
from .base import (
    CaseError,
    begin,
    record,
)


def _ref(prefix: str, n: int) -> str:
    return f"{prefix}{n}"


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
        step = begin(case, actor, Action.ASSIGN, day=day, ip=ip)
        if unit.pk == step.case.agency_id:
            raise CaseError("不能转办给受理机关本身，请选择内设机构或其他部门")
        if kind == AssignmentKind.ROUTE and not step.case.agency.contains(unit):
            raise CaseError(
                f"{unit.name}不是{step.case.agency.name}的内设机构；向其他部门请求协助请选择“协查”"
            )
        if step.case.assignments.filter(unit=unit, answered_on__isnull=True).exists():
            raise CaseError(f"已转办给{unit.name}且尚未回复")
        ref = _ref("Z", step.case.assignments.count() + 1)
        due = working_calendar().add_working_days(step.day, working_days)
        a = Assignment.objects.create(
            case=step.case,
            unit=unit,
            kind=kind,
            ref=ref,
            sent_on=step.day,
            working_days=working_days,
            due_on=due,
            instructions=instructions.strip(),
        )
        record(
            step,
            EventKind.ROUTED,
            f"{AssignmentKind(kind).label}至{unit.name}，{working_days}个工作日内回复",
            ref=ref,
            data={"unit": unit.name, "unit_id": unit.pk, "working_days": working_days},
            note=instructions.strip(),
        )
        if kind == AssignmentKind.ASSIST:
            documents().make(
                step,
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
        step = begin(assignment.case_id, actor, Action.ANSWER_ASSIGNMENT, day=day, ip=ip)
        a = Assignment.objects.select_for_update().get(pk=assignment.pk)
        office = step.roles & {Role.REGISTRAR, Role.HEAD}
        if not office and a.unit_id not in step.viewer.handler_unit_ids:
            raise CaseError(f"该转办事项由{a.unit.name}办理，您不是该单位的承办人")
        if a.answered_on:
            raise CaseError(f"{a.unit.name}已于 {a.answered_on} 回复")
        if step.day < a.sent_on:
            raise CaseError(f"回复日期（{step.day}）不能早于转办日期（{a.sent_on}）")
        a.answered_on, a.opinion, a.answered_by = step.day, opinion.strip(), actor
        a.save(update_fields=["answered_on", "opinion", "answered_by"])
        record(
            step,
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
        step = begin(case, actor, Action.CONSULT, day=day, ip=ip)
        ref = _ref("Q", step.case.consultations.count() + 1)
        due = working_calendar().add_working_days(step.day, CONSULTATION_WORKING_DAYS)
        c = Consultation.objects.create(
            case=step.case, kind=kind, party=party.strip(), ref=ref, sent_on=step.day, due_on=due
        )
        record(
            step,
            EventKind.CONSULTATION_SENT,
            f"征求{party.strip()}意见，{due} 前回复",
            ref=ref,
            data={"kind": kind, "party": party.strip()},
        )
        by = clock.due_wording(due, working_calendar().is_provisional(due))
        if kind == ConsultationKind.THIRD_PARTY:
            documents().make(
                step, DocType.CONSULT_THIRD_PARTY, {"第三方": party.strip(), "回复期限": by}
            )
        else:
            documents().make(
                step, DocType.CONSULT_AGENCY, {"被征求机关": party.strip(), "回复期限": by}
            )
        notice = documents().make(
            step, DocType.CONSULT_NOTICE, {"征求对象": party.strip(), "回复期限": by}
        )
        documents().send(step, notice, f"需要征求{party.strip()}意见，所需时间不计入答复期限")
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
        step = begin(consultation.case_id, actor, Action.ANSWER_CONSULTATION, day=day, ip=ip)
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.answered_on:
            raise CaseError(f"{c.party}的意见已于 {c.answered_on} 记录")
        if step.day < c.sent_on:
            raise CaseError(f"回复日期（{step.day}）不能早于发函日期（{c.sent_on}）")
        c.answered_on, c.answer, c.answer_note = step.day, answer, note.strip()
        c.save(update_fields=["answered_on", "answer", "answer_note"])
        record(
            step,
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
        step = begin(case, actor, Action.EXTEND, day=day, ip=ip)
        approver = str(actor)
        record(
            step,
            EventKind.EXTENDED,
            f"延期 {working_days} 个工作日（{approver}同意）",
            data={"working_days": working_days, "approved_by": approver},
            note=reason.strip(),
        )
        c = step.case
        due = clock.due_wording(c.due_on, c.due_provisional) if c.due_on else "另行告知的日期"
        letter = documents().make(
            step,
            DocType.EXTENSION,
            {"延期天数": str(working_days), "延期理由": reason.strip(), "新答复期限": due},
        )
        until = f"{c.due_on}{'（暂定）' if c.due_provisional else ''}" if c.due_on else "另行告知"
        documents().send(step, letter, f"延期答复，答复期限延至 {until}")
    return step.case
