"""The input schema of each workflow action: what the API takes as the request body and what
the staff page's form is generated from (:mod:`gongkai.cases.actions.forms`).

Field order is the order of the page's form. The class names are the OpenAPI component names
(``AssignIn``, ``DayNoteIn``…); their docstrings are the component descriptions in
``/api/docs``, hence in Chinese.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from ninja import Field

from gongkai.core.outcomes import Outcome

from ..models import AssignmentKind, ConsultationAnswer, ConsultationKind
from .fields import AmendReason, Id, In, Note, Page

#: How a letter reaches the applicant, as the page offers it (短信 is accepted from the API
#: for the reply only).
DELIVERY_LABELS = {
    "in_person": "直接送达（当面领取）",
    "post": "邮寄送达",
    "email": "电子邮件送达",
    "portal": "网上平台送达",
}
FEE_METHOD_LABELS = {"per_request": "按件计收（按本月第几件自动计算）", "per_page": "按量计收"}
#: The outcomes a reply may give, with their legal basis; 逾期未补正 and 逾期未缴费 end a case
#: by their own actions (the service refuses them in a reply).
OUTCOME_LABELS = {
    outcome.value: f"{outcome.label}（{outcome.basis}）"
    for outcome in Outcome
    if outcome not in (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID)
}
MAX_WORKING_DAYS = 20  # of an assignment, and of all extensions together (第三十三条第二款)

Delivery = Literal["in_person", "post", "email", "portal"]


class Dated(In):
    """A step dated by the office: the day it happened, today when left out."""

    day: date | None = Field(None, title="日期", description="不填为今天")


class DayIn(Dated):
    """日期（默认今天），更正已发布年度的数据时另填年报更正理由。"""

    amend_reason: AmendReason = ""


class DayNoteIn(Dated):
    """日期（默认今天）与可选说明。"""

    note: Annotated[Note, Page(rows=2)] = Field("", title="说明")


class DayNoteAmendIn(DayNoteIn):
    """日期（默认今天）与可选说明；更正已发布年度的数据时另填年报更正理由。"""

    amend_reason: AmendReason = ""


class RequestCorrectionIn(Dated):
    """一次性告知的补正事项与补正期限（应晚于告知日期）。"""

    what: Annotated[Note, Page(rows=3)] = Field(title="需要补正的事项（一次性告知）")
    reply_by: date = Field(title="补正期限")


class AssignIn(Dated):
    """承办单位（unit_id 为机关 id）、方式、办理时限（1–20 个工作日）和办理要求。"""

    unit_id: Annotated[Id, Page(ref="unit")] = Field(title="承办单位")
    kind: AssignmentKind = Field(AssignmentKind.ROUTE, title="方式")
    working_days: Annotated[int, Page(min_value=1, max_value=MAX_WORKING_DAYS)] = Field(
        5, title="办理时限（工作日）"
    )
    instructions: Annotated[Note, Page(rows=2)] = Field("", title="办理要求")


class AnswerAssignmentIn(Dated):
    """转办事项（assignment_id：该申请下未回复的转办事项 id）及承办单位的办理意见。"""

    assignment_id: Annotated[Id, Page(ref="assignment")] = Field(title="转办事项")
    opinion: Annotated[Note, Page(rows=3)] = Field(title="办理意见")


class ConsultIn(Dated):
    """征求对象的类别和被征求意见的第三方或机关。"""

    kind: ConsultationKind = Field(title="征求对象")
    party: str = Field(max_length=100, title="第三方或机关名称")


class AnswerConsultationIn(Dated):
    """征求意见事项（consultation_id：该申请下未回复的征求意见 id）及被征求意见方的回复。"""

    consultation_id: Annotated[Id, Page(ref="consultation")] = Field(title="征求意见事项")
    answer: ConsultationAnswer = Field(title="意见")
    note: Annotated[Note, Page(rows=2)] = Field("", title="意见内容")


class ExtendIn(Dated):
    """延长的工作日数（合计不超过 20）与延期理由。"""

    working_days: Annotated[
        int, Page(min_value=1, max_value=MAX_WORKING_DAYS, initial=MAX_WORKING_DAYS)
    ] = Field(title="延期（工作日）")
    reason: Annotated[Note, Page(rows=2)] = Field(title="延期理由")


class SecrecyReviewIn(Dated):
    """保密审查结论（passed）与审查意见；未通过时须写明意见。"""

    passed: bool = Field(title="审查结论")
    note: Annotated[Note, Page(rows=2)] = Field("", title="审查意见")


class ReplyItemIn(In):
    """一个申请事项及其处理结果。"""

    description: Annotated[str, Page(name="item", rows=2)] = Field(max_length=300, title="事项")
    outcome: Annotated[Outcome, Page(choices=OUTCOME_LABELS, blank="—")] = Field(title="处理结果")
    explanation: Annotated[Note, Page(rows=3)] = Field("", title="说明")


class DraftReplyIn(In):
    """答复要点与逐项的申请事项、处理结果（工作平台上最多五项，空行不计）。"""

    summary: Annotated[Note, Page(rows=3)] = Field("", title="答复要点")
    items: Annotated[list[ReplyItemIn], Page(repeat=5)] = Field(max_length=100, title="事项")


class ReturnDraftIn(In):
    """退回修改的意见（必填）。"""

    note: Annotated[Note, Page(rows=2)] = Field(title="意见")


class ApproveIn(In):
    """审签意见（可选）。"""

    note: Annotated[Note, Page(rows=2)] = Field("", title="意见")


class ReplyDeliveryIn(DayNoteAmendIn):
    """答复日期（默认今天）、送达方式（默认按申请人要求的获取方式）和邮件单号。"""

    method: Annotated[
        Literal["in_person", "post", "email", "portal", "sms"] | None,
        Page(choices=DELIVERY_LABELS, blank="按申请人要求的获取方式"),
    ] = Field(None, title="送达方式")
    tracking_number: str = Field("", max_length=40, title="邮件单号", description="邮寄送达必填")


class FeeNoticeIn(Dated):
    """收费方式：per_request（按件计收，按本月第几件自动计算）或 per_page（按量计收，须填页数）。"""

    method: Annotated[Literal["per_request", "per_page"], Page(choices=FEE_METHOD_LABELS)] = Field(
        title="收费方式"
    )
    pages: int | None = Field(None, ge=0, le=1_000_000, title="页数（按量计收）")
    payment_instructions: Annotated[str, Page(rows=2)] = Field(
        min_length=1, max_length=500, title="缴费方式", description="缴费途径、账户或地点"
    )
    delivery: Annotated[Delivery, Page(choices=DELIVERY_LABELS)] = Field(title="通知送达方式")
    tracking_number: str = Field("", max_length=40, title="邮件单号")


class FeePaidIn(Dated):
    """实缴金额与票据号码。"""

    amount_yuan: int = Field(ge=0, title="实缴金额（元）")
    receipt_number: str = Field(min_length=1, max_length=60, title="票据号码")


class ReopenIn(Dated):
    """复议决定书或判决书的文号与要求、重新答复期限（可选）和年报更正理由。"""

    decision: Annotated[Note, Page(rows=2)] = Field(title="复议决定书/判决书文号及要求")
    due: date | None = Field(None, title="重新答复期限（决定书规定的）")
    amend_reason: AmendReason = ""
