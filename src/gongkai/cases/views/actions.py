"""One POST endpoint per workflow action: the form that collects its input and the service
that performs it, from a single table (:data:`ACTIONS`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.core.workflow import Action

from .. import forms as f
from .. import services as s
from ..models import Case


@dataclass(frozen=True)
class ActionSpec:
    form: type[forms.Form]
    call: Callable[..., Any]  # (case, data, actor, ip) -> object


def _d(data: dict[str, Any], key: str = "day") -> Any:
    return data.get(key) or None


ACTIONS: dict[Action, ActionSpec] = {
    Action.REQUEST_CORRECTION: ActionSpec(
        f.CorrectionForm,
        lambda c, d, u, ip: s.case_request_correction(
            actor=u, case=c, what=d["what"], reply_by=d["reply_by"], day=_d(d), ip=ip
        ),
    ),
    Action.RECEIVE_CORRECTION: ActionSpec(
        f.NoteDayForm,
        lambda c, d, u, ip: s.case_receive_correction(
            actor=u, case=c, day=_d(d), note=d["note"], ip=ip
        ),
    ),
    Action.LAPSE_CORRECTION: ActionSpec(
        f.NoteDayForm,
        lambda c, d, u, ip: s.case_lapse_correction(
            actor=u, case=c, day=_d(d), note=d["note"], ip=ip, amend_reason=d["amend_reason"]
        ),
    ),
    Action.ASSIGN: ActionSpec(
        f.AssignForm,
        lambda c, d, u, ip: s.case_assign(
            actor=u,
            case=c,
            unit=d["unit"],
            kind=d["kind"],
            working_days=d["working_days"],
            instructions=d["instructions"],
            day=_d(d),
            ip=ip,
        ),
    ),
    Action.ANSWER_ASSIGNMENT: ActionSpec(
        f.AnswerAssignmentForm,
        lambda c, d, u, ip: s.assignment_answer(
            actor=u,
            assignment=c.assignments.get(pk=d["assignment"]),
            opinion=d["opinion"],
            day=_d(d),
            ip=ip,
        ),
    ),
    Action.CONSULT: ActionSpec(
        f.ConsultForm,
        lambda c, d, u, ip: s.case_consult(
            actor=u, case=c, kind=d["kind"], party=d["party"], day=_d(d), ip=ip
        ),
    ),
    Action.ANSWER_CONSULTATION: ActionSpec(
        f.AnswerConsultationForm,
        lambda c, d, u, ip: s.consultation_answer(
            actor=u,
            consultation=c.consultations.get(pk=d["consultation"]),
            answer=d["answer"],
            note=d["note"],
            day=_d(d),
            ip=ip,
        ),
    ),
    Action.EXTEND: ActionSpec(
        f.ExtendForm,
        lambda c, d, u, ip: s.case_extend(
            actor=u, case=c, working_days=d["working_days"], reason=d["reason"], day=_d(d), ip=ip
        ),
    ),
    Action.SECRECY_REVIEW: ActionSpec(
        f.SecrecyForm,
        lambda c, d, u, ip: s.case_secrecy_review(
            actor=u, case=c, passed=d["passed"], note=d["note"], day=_d(d), ip=ip
        ),
    ),
    Action.DRAFT_REPLY: ActionSpec(
        f.DraftReplyForm,
        lambda c, d, u, ip: s.case_draft_reply(
            actor=u, case=c, items=d["_items"], summary=d["summary"], ip=ip
        ),
    ),
    Action.RETURN_DRAFT: ActionSpec(
        f.NoteForm, lambda c, d, u, ip: s.case_return_draft(actor=u, case=c, note=d["note"], ip=ip)
    ),
    Action.APPROVE: ActionSpec(
        f.OptionalNoteForm,
        lambda c, d, u, ip: s.case_approve(actor=u, case=c, note=d["note"], ip=ip),
    ),
    Action.MARK_REPLIED: ActionSpec(
        f.ReplyDeliveryForm,
        lambda c, d, u, ip: s.case_mark_replied(
            actor=u,
            case=c,
            day=_d(d),
            note=d["note"],
            method=d["method"] or None,
            tracking_number=d["tracking_number"],
            ip=ip,
            amend_reason=d["amend_reason"],
        ),
    ),
    Action.FEE_NOTICE: ActionSpec(
        f.FeeNoticeForm,
        lambda c, d, u, ip: s.case_fee_notice(
            actor=u,
            case=c,
            method=d["method"],
            pages=d["pages"],
            payment_instructions=d["payment_instructions"],
            delivery=d["delivery"],
            tracking_number=d["tracking_number"],
            day=_d(d),
            ip=ip,
        ),
    ),
    Action.FEE_PAID: ActionSpec(
        f.FeePaidForm,
        lambda c, d, u, ip: s.case_fee_paid(
            actor=u,
            case=c,
            amount_yuan=d["amount_yuan"],
            receipt_number=d["receipt_number"],
            day=_d(d),
            ip=ip,
        ),
    ),
    Action.LAPSE_FEE: ActionSpec(
        f.DayForm, lambda c, d, u, ip: s.case_lapse_fee(
            actor=u, case=c, day=_d(d), ip=ip, amend_reason=d["amend_reason"]
        )
    ),
    Action.WITHDRAW: ActionSpec(
        f.NoteDayForm,
        lambda c, d, u, ip: s.case_withdraw(
            actor=u, case=c, note=d["note"], day=_d(d), ip=ip, amend_reason=d["amend_reason"]
        ),
    ),
    Action.REOPEN: ActionSpec(
        f.ReopenForm,
        lambda c, d, u, ip: s.case_reopen(
            actor=u,
            case=c,
            decision=d["decision"],
            due=d["due"],
            day=_d(d),
            ip=ip,
            amend_reason=d["amend_reason"],
        ),
    ),
    Action.ARCHIVE: ActionSpec(
        f.EmptyForm, lambda c, d, u, ip: s.case_archive(actor=u, case=c, ip=ip)
    ),
}


def action_form(action: Action, case: Case, data: Any = None) -> forms.Form:
    """The form of ``action`` for ``case``, with its choices filled from the case."""
    form = ACTIONS[action].form(data, prefix=action.value)
    if action is Action.ASSIGN:
        form.fields["unit"].queryset = Agency.objects.exclude(pk=case.agency_id).filter(
            path__startswith=case.agency.path[:7]
        )
    elif action is Action.ANSWER_ASSIGNMENT:
        form.fields["assignment"].choices = [
            (a.pk, f"{a.get_kind_display()}至{a.unit.name}（{a.due_on} 前）")
            for a in case.assignments.all()
            if a.answered_on is None
        ]
    elif action is Action.ANSWER_CONSULTATION:
        form.fields["consultation"].choices = [
            (q.pk, f"{q.party}（{q.due_on} 前）")
            for q in case.consultations.all()
            if q.answered_on is None
        ]
    return form


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Perform ``action`` on case ``pk``; errors go back to the case page with the form."""
    try:
        act_enum = Action(action)
    except ValueError as exc:
        raise Http404("没有这个办理操作") from exc
    from .pages import render_case, visible_case_or_404

    case = visible_case_or_404(request, pk)
    form = action_form(act_enum, case, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if isinstance(form, f.DraftReplyForm):
            data["_items"] = form.items()
        data["amend_reason"] = request.POST.get("amend_reason", "")
        ip = request.META.get("REMOTE_ADDR")
        done = f.run_service(form, lambda: ACTIONS[act_enum].call(case, data, request.user, ip))
        if done is not None:
            messages.success(request, f"已完成：{act_enum.label}")
            return redirect("cases:case", pk=pk)
    return render_case(request, case, failed=(act_enum, form), status=400)
