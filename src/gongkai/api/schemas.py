"""Request and response shapes of the REST API (pydantic, through django-ninja).

The input bases (``In``, ``Clean``) and the workflow actions' input schemas live with the
actions' registry (:mod:`gongkai.cases.actions`), from which the action routes are generated.
Choice fields take the stable codes of the platform (``Status``, ``Card``, the case models'
choices); every response carrying a code also carries its Chinese label (``*_label``).
Lengths are capped here so that over-long input is refused with 422 instead of failing in
the database. Identity data is only ever returned masked.

The docstrings of the schema classes are the descriptions shown in ``/api/docs``, hence in
Chinese.
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import field_validator

from gongkai.cases.actions.fields import MAX_ID, AmendReason, Clean, Id, In, Note
from gongkai.cases.models import (
    ApplicantKind,
    Card,
    DeliveryWanted,
    IdType,
    InfoForm,
)
from gongkai.cases.selectors import search_terms
from gongkai.core.receipt import Channel
from gongkai.core.workflow import Status

MAX_PAGE = 200


# --- errors ----------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")


# --- list ------------------------------------------------------------------------------------


class CaseQuery(Clean):
    """申请列表的筛选条件与分页。"""

    status: str = Field("", description="状态代码；open 表示所有未办结的申请")
    card: Card | None = Field(None, description="时限牌")
    unit: Id | None = Field(None, description="转办/协查至该单位（机关 id）的申请")
    channel: Channel | None = Field(None, description="申请方式")
    applicant_kind: ApplicantKind | None = Field(None, description="申请人类型")
    received_from: date | None = Field(None, description="收到申请日期不早于")
    received_to: date | None = Field(None, description="收到申请日期不晚于")
    q: str = Field("", max_length=200, description="编号或申请内容中的关键词（空格分隔）")
    agency: Id | None = Field(None, description="受理机关 id")
    limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"每页条数（最多 {MAX_PAGE}）")
    offset: int = Field(0, ge=0, le=MAX_ID, description="跳过的条数")

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value and value != "open" and value not in Status.__members__.values():
            raise ValueError(f"未知的状态“{value}”")
        return value

    @field_validator("q")
    @classmethod
    def _bounded_search(cls, value: str) -> str:
        search_terms(value)
        return value


class AgencyRef(Schema):
    id: int
    name: str


class CaseRowOut(Schema):
    """列表中的一件申请（申请人脱敏，申请内容截短）。"""

    id: int
    number: str = Field(description="申请编号")
    agency: AgencyRef = Field(description="受理机关")
    status: str
    status_label: str
    channel: str
    channel_label: str
    received_on: date = Field(description="收到申请日期（第三十一条）")
    applicant_kind: str
    applicant_kind_label: str
    applicant: str = Field(description="申请人姓名或名称（自然人脱敏）")
    request_text: str
    due_on: date | None = Field(description="答复期限")
    due_provisional: bool = Field(
        description=(
            "答复期限是否为暂定：期限所在年度的国务院节假日安排尚未录入，按周末和法定节假日"
            "推算（未计调休）；录入后自动重新计算"
        )
    )
    working_days_left: int | None = Field(description="距答复期限的工作日数，逾期为负")
    card: str = Field(description="时限牌：green/yellow/red/paused/done/unknown")
    card_label: str


class CasePageOut(Schema):
    count: int = Field(description="符合条件的申请总数")
    limit: int
    offset: int
    items: list[CaseRowOut]


# --- detail ----------------------------------------------------------------------------------


class IdentityOut(Schema):
    """申请人身份信息（脱敏；完整信息仅在工作平台上经授权查看并留痕）。"""

    name: str
    id_type: str
    id_type_label: str
    id_number: str
    phone: str


class ActionOut(Schema):
    action: str = Field(description="操作代码，即 /actions/{action} 路径的最后一段")
    label: str


class AssignmentOut(Schema):
    id: int
    ref: str
    unit: AgencyRef
    kind: str
    kind_label: str
    sent_on: date
    working_days: int
    due_on: date
    instructions: str
    answered_on: date | None
    opinion: str
    answered_by: str


class ConsultationOut(Schema):
    id: int
    ref: str
    kind: str
    kind_label: str
    party: str
    sent_on: date
    due_on: date
    answered_on: date | None
    answer: str
    answer_label: str
    answer_note: str


class SecrecyReviewOut(Schema):
    day: date
    passed: bool
    note: str
    reviewer: str


class ReplyItemOut(Schema):
    position: int
    description: str
    outcome: str
    outcome_label: str
    explanation: str


class EventOut(Schema):
    day: date
    kind: str
    kind_label: str
    note: str
    actor: str
    ref: str
    at: datetime = Field(description="记录时间")


class CaseDetailOut(CaseRowOut):
    """申请详情：时限、转办、征求意见、保密审查、答复事项、办理记录，以及请求者当前可执行的操作。"""

    identity: IdentityOut
    form_wanted: str
    form_wanted_label: str
    delivery_wanted: str
    delivery_wanted_label: str
    clock_note: str
    outcome: str
    outcome_label: str
    reply_summary: str
    replied_on: date | None
    closed_on: date | None
    registered_by: str
    my_roles: list[str] = Field(description="请求者在该申请上的角色")
    allowed_actions: list[ActionOut] = Field(description="请求者现在可以执行的操作")
    assignments: list[AssignmentOut]
    consultations: list[ConsultationOut]
    secrecy_reviews: list[SecrecyReviewOut]
    reply_items: list[ReplyItemOut]
    timeline: list[EventOut]


# --- agencies --------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None


class AgencyOut(UnitOut):
    kind_label: str
    handles_applications: bool
    roles: list[str] = Field(description="请求者在该机关的角色")
    units: list[UnitOut] = Field(description="下级机关与内设机构（可作为转办单位）")


# --- registration ----------------------------------------------------------------------------


class ApplicantIn(In):
    """申请人及其联系方式（第二十九条第二款第一项）；至少填写一种联系方式。"""

    kind: ApplicantKind
    name: str = Field(max_length=100)
    id_type: IdType
    id_number: str = Field(max_length=40)
    contact_person: str = Field("", max_length=100)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    postcode: str = Field("", max_length=6)


class RegisterIn(In):
    agency_id: Id = Field(description="受理机关 id")
    channel: Channel
    received_on: date = Field(description="收到申请日期（第三十一条）")
    applicant: ApplicantIn
    request_text: Note
    form_wanted: InfoForm
    delivery_wanted: DeliveryWanted
    amend_reason: AmendReason = ""
