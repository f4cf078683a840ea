"""One route per workflow action (:mod:`gongkai.core.workflow`): ``POST
/cases/{id}/actions/{action}``. Each runs the matching service in the requester's scope and
returns the updated case; a refused step answers 400 with the service's Chinese message.

The view docstrings are the operation descriptions shown in ``/api/docs``, hence in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from gongkai.agencies.models import Agency
from gongkai.cases import services as s
from gongkai.cases.models import Case

from . import schemas as sc
from .cases import CASE_ID, ERRORS
from .common import act, child

router = Router(tags=["办理操作"])

DETAIL = {200: sc.CaseDetailOut, **ERRORS}
Detail = dict[str, Any]


def _route(action: str, summary: str) -> Any:
    """The decorator of the route of ``action``."""
    return router.post(f"/{{case_id}}/actions/{action}", response=DETAIL, summary=summary)


@_route("request_correction", "补正告知（第三十条）")
def request_correction(
    request: HttpRequest, body: sc.RequestCorrectionIn, case_id: int = CASE_ID
) -> Detail:
    """一次性告知申请人需要补正的事项和期限；补正期间答复期限暂停计算。"""
    return act(request, case_id, s.case_request_correction, **body.model_dump())


@_route("receive_correction", "收到补正")
def receive_correction(request: HttpRequest, body: sc.DayNoteIn, case_id: int = CASE_ID) -> Detail:
    """收到补正后的申请，答复期限自该日重新计算。"""
    return act(request, case_id, s.case_receive_correction, **body.model_dump())


@_route("lapse_correction", "逾期未补正")
def lapse_correction(request: HttpRequest, body: sc.DayNoteIn, case_id: int = CASE_ID) -> Detail:
    """申请人无正当理由逾期未补正，视为放弃申请，案件终止。"""
    return act(request, case_id, s.case_lapse_correction, **body.model_dump())


@_route("assign", "转办/协查")
def assign(request: HttpRequest, body: sc.AssignIn, case_id: int = CASE_ID) -> Detail:
    """转办至本机关内设机构，或请其他部门协查；承办单位在规定工作日内回复意见。"""
    unit = Agency.objects.filter(pk=body.unit_id).first()
    if unit is None:
        raise s.CaseError(f"找不到 id 为 {body.unit_id} 的承办单位")
    return act(request, case_id, s.case_assign, unit=unit, **body.model_dump(exclude={"unit_id"}))


@_route("answer_assignment", "承办意见")
def answer_assignment(
    request: HttpRequest, body: sc.AnswerAssignmentIn, case_id: int = CASE_ID
) -> Detail:
    """记录承办单位对某一转办事项的办理意见（承办人只能回复本单位的事项）。"""

    def answer(*, case: Case, **kw: Any) -> Any:
        assignment = child(case.assignments, body.assignment_id, "转办事项")
        return s.assignment_answer(assignment=assignment, **kw)

    return act(request, case_id, answer, opinion=body.opinion, day=body.day)


@_route("consult", "征求意见（第三十二条、第三十四条）")
def consult(request: HttpRequest, body: sc.ConsultIn, case_id: int = CASE_ID) -> Detail:
    """征求第三方或共同制作机关的意见；征求意见期间不计入答复期限。"""
    return act(request, case_id, s.case_consult, **body.model_dump())


@_route("answer_consultation", "收到意见回复")
def answer_consultation(
    request: HttpRequest, body: sc.AnswerConsultationIn, case_id: int = CASE_ID
) -> Detail:
    """记录被征求意见方的回复。"""

    def answer(*, case: Case, **kw: Any) -> Any:
        consultation = child(case.consultations, body.consultation_id, "征求意见")
        return s.consultation_answer(consultation=consultation, **kw)

    fields = body.model_dump(exclude={"consultation_id"})
    return act(request, case_id, answer, **fields)


@_route("extend", "延期答复（第三十三条第二款）")
def extend(request: HttpRequest, body: sc.ExtendIn, case_id: int = CASE_ID) -> Detail:
    """延长答复期限（由公开工作机构负责人同意，合计不超过 20 个工作日）。"""
    return act(request, case_id, s.case_extend, **body.model_dump())


@_route("secrecy_review", "保密审查（第十七条）")
def secrecy_review(
    request: HttpRequest, body: sc.SecrecyReviewIn, case_id: int = CASE_ID
) -> Detail:
    """记录对拟公开信息的保密审查结果；未通过时须写明意见。"""
    return act(request, case_id, s.case_secrecy_review, **body.model_dump())


@_route("draft_reply", "拟定答复")
def draft_reply(request: HttpRequest, body: sc.DraftReplyIn, case_id: int = CASE_ID) -> Detail:
    """拟定答复：逐项写明申请事项及处理结果（替换此前的答复稿）。"""
    items = [s.ItemInput(**i.model_dump()) for i in body.items]
    return act(request, case_id, s.case_draft_reply, items=items, summary=body.summary)


@_route("return_draft", "退回修改")
def return_draft(request: HttpRequest, body: sc.ReturnDraftIn, case_id: int = CASE_ID) -> Detail:
    """将答复稿退回修改，须写明意见。"""
    return act(request, case_id, s.case_return_draft, **body.model_dump())


@_route("approve", "审签")
def approve(request: HttpRequest, body: sc.ApproveIn, case_id: int = CASE_ID) -> Detail:
    """审签答复；最新答复稿须已通过保密审查。"""
    return act(request, case_id, s.case_approve, **body.model_dump())


@_route("mark_replied", "已答复送达")
def mark_replied(request: HttpRequest, body: sc.ReplyDeliveryIn, case_id: int = CASE_ID) -> Detail:
    """发出已签发的答复书（记录送达方式），停止计时。"""
    return act(request, case_id, s.case_mark_replied, **body.model_dump())


@_route("fee_notice", "收费通知")
def fee_notice(request: HttpRequest, body: sc.FeeNoticeIn, case_id: int = CASE_ID) -> Detail:
    """按《政府信息公开信息处理费管理办法》计算并发出收费通知书；发出通知至缴费期间不计入答复期限。"""
    return act(request, case_id, s.case_fee_notice, **body.model_dump())


@_route("fee_paid", "缴费登记")
def fee_paid(request: HttpRequest, body: sc.FeePaidIn, case_id: int = CASE_ID) -> Detail:
    """登记申请人缴费金额和票据号码，答复期限继续计算。"""
    return act(request, case_id, s.case_fee_paid, **body.model_dump())


@_route("lapse_fee", "逾期未缴费")
def lapse_fee(request: HttpRequest, body: sc.DayIn, case_id: int = CASE_ID) -> Detail:
    """申请人收到收费通知后20个工作日内未缴费，不再处理（年报“其他处理”第2项）。"""
    return act(request, case_id, s.case_lapse_fee, **body.model_dump())


@_route("withdraw", "申请人撤回")
def withdraw(request: HttpRequest, body: sc.DayNoteIn, case_id: int = CASE_ID) -> Detail:
    """申请人撤回申请，案件终止。"""
    return act(request, case_id, s.case_withdraw, **body.model_dump())


@_route("reopen", "复议/诉讼后重新办理")
def reopen(request: HttpRequest, body: sc.ReopenIn, case_id: int = CASE_ID) -> Detail:
    """依复议决定或判决重新办理；可填写决定确定的重新答复期限。"""
    return act(request, case_id, s.case_reopen, **body.model_dump())


@_route("archive", "归档")
def archive(request: HttpRequest, case_id: int = CASE_ID) -> Detail:
    """将已答复或已终止的申请归档（无需请求体）。"""
    return act(request, case_id, s.case_archive)
