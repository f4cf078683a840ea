"""The registry of workflow actions: for each :class:`~gongkai.core.workflow.Action`, its input
schema, the service that performs it, and the help shown to API clients.

Who may run an action, in which status, and its Chinese label come from the core transition
table (:data:`gongkai.core.workflow.TRANSITIONS`), which every service enforces; the registry
does not repeat them. The staff page's forms (:mod:`gongkai.cases.actions.forms`) and the
API's routes (:mod:`gongkai.api.actions`) are both generated from :data:`ACTIONS`, so adding
an action means one entry here and its service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gongkai.agencies.models import Agency
from gongkai.core.workflow import Action

from .. import services
from ..models import Case
from .fields import In
from .inputs import (
    AnswerAssignmentIn,
    AnswerConsultationIn,
    ApproveIn,
    AssignIn,
    ConsultIn,
    DayIn,
    DayNoteAmendIn,
    DayNoteIn,
    DraftReplyIn,
    ExtendIn,
    FeeNoticeIn,
    FeePaidIn,
    ReopenIn,
    ReplyDeliveryIn,
    RequestCorrectionIn,
    ReturnDraftIn,
    SecrecyReviewIn,
)

#: Runs an action: ``(case, validated input or None, actor, client ip)`` → what the service
#: returns. A refusal raises :class:`~gongkai.cases.services.CaseError`.
Runner = Callable[[Case, Any, Any, str | None], Any]


@dataclass(frozen=True, slots=True)
class ActionEntry:
    """One workflow action as the page and the API offer it.

    ``schema``: the input (None: the action takes none, and the API route has no body).
    ``run``: the service, through its adapter. ``help``: what the action does, in Chinese (the
    API operation's description). ``basis``: the provision it rests on, shown after the label
    in the API operation's summary.
    """

    action: Action
    schema: type[In] | None
    run: Runner
    help: str
    basis: str = ""

    @property
    def label(self) -> str:
        """The Chinese label, from the core transition table."""
        return self.action.label

    @property
    def summary(self) -> str:
        """The label with its legal basis, e.g. “补正告知（第三十条）”."""
        return f"{self.label}（{self.basis}）" if self.basis else self.label


def service_call(service: Callable[..., Any]) -> Runner:
    """The runner of a service that takes the input's fields as keyword arguments, next to
    ``actor``, ``case`` and ``ip``."""

    def run(case: Case, data: In | None, actor: Any, ip: str | None) -> Any:
        fields = data.model_dump() if data is not None else {}
        return service(actor=actor, case=case, ip=ip, **fields)

    run.__doc__ = f"Run :func:`{service.__module__}.{service.__name__}`."
    run.__wrapped__ = service  # type: ignore[attr-defined]  # the service, for checks
    return run


def case_child(rows: Any, pk: int, what: str) -> Any:
    """The row ``pk`` of a case's related manager ``rows``; CaseError if the case has none."""
    found = rows.filter(pk=pk).first()
    if found is None:
        raise services.CaseError(f"该申请下没有 id 为 {pk} 的{what}")
    return found


# --- adapters: the actions whose input does not map one to one onto their service ----------


def run_assign(case: Case, data: AssignIn, actor: Any, ip: str | None) -> Any:
    """Assign to the unit ``unit_id`` (any agency: the service checks it may take the case)."""
    unit = Agency.objects.filter(pk=data.unit_id).first()
    if unit is None:
        raise services.CaseError(f"找不到 id 为 {data.unit_id} 的承办单位")
    fields = data.model_dump(exclude={"unit_id"})
    return services.case_assign(actor=actor, case=case, unit=unit, ip=ip, **fields)


def run_answer_assignment(case: Case, data: AnswerAssignmentIn, actor: Any, ip: str | None) -> Any:
    """Answer the case's assignment ``assignment_id``."""
    assignment = case_child(case.assignments, data.assignment_id, "转办事项")
    fields = data.model_dump(exclude={"assignment_id"})
    return services.assignment_answer(actor=actor, assignment=assignment, ip=ip, **fields)


def run_answer_consultation(
    case: Case, data: AnswerConsultationIn, actor: Any, ip: str | None
) -> Any:
    """Record the answer to the case's consultation ``consultation_id``."""
    consultation = case_child(case.consultations, data.consultation_id, "征求意见")
    fields = data.model_dump(exclude={"consultation_id"})
    return services.consultation_answer(actor=actor, consultation=consultation, ip=ip, **fields)


def run_draft_reply(case: Case, data: DraftReplyIn, actor: Any, ip: str | None) -> Any:
    """Draft the reply from the input's items."""
    items = [services.ItemInput(**item.model_dump()) for item in data.items]
    return services.case_draft_reply(
        actor=actor, case=case, items=items, summary=data.summary, ip=ip
    )


# --- the registry --------------------------------------------------------------------------


def _registry(*entries: ActionEntry) -> dict[Action, ActionEntry]:
    table = {entry.action: entry for entry in entries}
    missing = [action.value for action in Action if action not in table]
    if missing or len(table) != len(entries):
        raise RuntimeError(f"ACTIONS needs one entry per Action: missing {missing}, or repeated")
    return {action: table[action] for action in Action}  # in the order of the transition table


ACTIONS: dict[Action, ActionEntry] = _registry(
    ActionEntry(
        Action.REQUEST_CORRECTION,
        schema=RequestCorrectionIn,
        run=service_call(services.case_request_correction),
        help="一次性告知申请人需要补正的事项和期限；补正期间答复期限暂停计算。",
        basis="第三十条",
    ),
    ActionEntry(
        Action.RECEIVE_CORRECTION,
        schema=DayNoteIn,
        run=service_call(services.case_receive_correction),
        help="收到补正后的申请，答复期限自该日重新计算。",
    ),
    ActionEntry(
        Action.LAPSE_CORRECTION,
        schema=DayNoteAmendIn,
        run=service_call(services.case_lapse_correction),
        help="申请人无正当理由逾期未补正，视为放弃申请，案件终止。",
    ),
    ActionEntry(
        Action.ASSIGN,
        schema=AssignIn,
        run=run_assign,
        help="转办至本机关内设机构，或请其他部门协查；承办单位在规定工作日内回复意见。",
    ),
    ActionEntry(
        Action.ANSWER_ASSIGNMENT,
        schema=AnswerAssignmentIn,
        run=run_answer_assignment,
        help="记录承办单位对某一转办事项的办理意见（承办人只能回复本单位的事项）。",
    ),
    ActionEntry(
        Action.CONSULT,
        schema=ConsultIn,
        run=service_call(services.case_consult),
        help="征求第三方或共同制作机关的意见；征求意见期间不计入答复期限。",
        basis="第三十二条、第三十四条",
    ),
    ActionEntry(
        Action.ANSWER_CONSULTATION,
        schema=AnswerConsultationIn,
        run=run_answer_consultation,
        help="记录被征求意见方的回复。",
    ),
    ActionEntry(
        Action.EXTEND,
        schema=ExtendIn,
        run=service_call(services.case_extend),
        help="延长答复期限（由公开工作机构负责人同意，合计不超过 20 个工作日）。",
        basis="第三十三条第二款",
    ),
    ActionEntry(
        Action.SECRECY_REVIEW,
        schema=SecrecyReviewIn,
        run=service_call(services.case_secrecy_review),
        help="记录对拟公开信息的保密审查结果；未通过时须写明意见。",
        basis="第十七条",
    ),
    ActionEntry(
        Action.DRAFT_REPLY,
        schema=DraftReplyIn,
        run=run_draft_reply,
        help="拟定答复：逐项写明申请事项及处理结果（替换此前的答复稿）。",
    ),
    ActionEntry(
        Action.RETURN_DRAFT,
        schema=ReturnDraftIn,
        run=service_call(services.case_return_draft),
        help="将答复稿退回修改，须写明意见。",
    ),
    ActionEntry(
        Action.APPROVE,
        schema=ApproveIn,
        run=service_call(services.case_approve),
        help="审签答复；最新答复稿须已通过保密审查。",
    ),
    ActionEntry(
        Action.MARK_REPLIED,
        schema=ReplyDeliveryIn,
        run=service_call(services.case_mark_replied),
        help="发出已签发的答复书（记录送达方式），停止计时。",
    ),
    ActionEntry(
        Action.FEE_NOTICE,
        schema=FeeNoticeIn,
        run=service_call(services.case_fee_notice),
        help="按《政府信息公开信息处理费管理办法》计算并发出收费通知书；发出通知至缴费期间不计入答复期限。",
    ),
    ActionEntry(
        Action.FEE_PAID,
        schema=FeePaidIn,
        run=service_call(services.case_fee_paid),
        help="登记申请人缴费金额和票据号码，答复期限继续计算。",
    ),
    ActionEntry(
        Action.LAPSE_FEE,
        schema=DayIn,
        run=service_call(services.case_lapse_fee),
        help="申请人收到收费通知后20个工作日内未缴费，不再处理（年报“其他处理”第2项）。",
    ),
    ActionEntry(
        Action.WITHDRAW,
        schema=DayNoteAmendIn,
        run=service_call(services.case_withdraw),
        help="申请人撤回申请，案件终止。",
    ),
    ActionEntry(
        Action.REOPEN,
        schema=ReopenIn,
        run=service_call(services.case_reopen),
        help="依复议决定或判决重新办理；可填写决定确定的重新答复期限。",
    ),
    ActionEntry(
        Action.ARCHIVE,
        schema=None,
        run=service_call(services.case_archive),
        help="将已答复或已终止的申请归档（无需请求体）。",
    ),
)
