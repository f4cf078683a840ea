"""The government document registry (政府文件库) through the API: list, detail, registration
and the steps of 先审查后公开 and of validity.

Every endpoint sees what the token's user sees on the staff site
(:func:`gongkai.documents.access.visibility`); a text out of scope answers 404 whether or not
it exists. Writes go through the registry's services (:mod:`gongkai.documents.services`), which
check the actor's role; a refused step answers 400 with the service's Chinese message.
Choice fields (``kind``, ``status``/``validity``, ``review_state``, ``disclosure``) accept the
stable code or the Chinese label, and every response carrying a code also carries its label.
Personal information found by the scan is only ever returned masked.

The view and schema docstrings are the descriptions shown in ``/api/docs``, hence in Chinese.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Status
from pydantic import ValidationInfo, field_validator

from gongkai.accounts.scope import Viewer
from gongkai.agencies.models import Agency
from gongkai.audit.net import client_ip
from gongkai.cases.actions.fields import MAX_ID, Clean, In, Note
from gongkai.cases.selectors import search_terms
from gongkai.core.validity import DocKind, Validity
from gongkai.core.workflow import Role
from gongkai.documents.access import NOT_VISIBLE, visibility
from gongkai.documents.models import (
    Disclosure,
    Document,
    LegalBasis,
    ReviewState,
    ReviewStep,
    ValidityChange,
)
from gongkai.documents.services import decisions, registry, review
from gongkai.documents.services.base import DocumentError

from .common import viewer_of
from .present import person_name
from .schemas import ErrorOut

router = Router(tags=["政府文件库"])

DOCUMENT_ID = Path(..., ge=1, le=MAX_ID, description="文件 id")
ERRORS = {400: ErrorOut, 404: ErrorOut}
MAX_PAGE = 200
#: The longest 正文 accepted through the API, in characters.
MAX_TEXT = 2_000_000

# --- choices: a code or its Chinese label ------------------------------------------------------

KINDS = {k.value: k.label for k in DocKind}
VALIDITIES = {v.value: v.label for v in Validity}
REVIEW_STATES = dict(ReviewState.choices)
DISCLOSURES = dict(Disclosure.choices)


def choice_code(value: str, choices: dict[str, str], what: str) -> str:
    """The code of ``value``, given as a code or as its Chinese label; ``""`` stays ``""``.

    An unknown value raises ``ValueError`` naming the field and the accepted labels (422)."""
    value = value.strip()
    if not value or value in choices:
        return value
    for code, label in choices.items():
        if value == label:
            return code
    accepted = "、".join(f"{label}（{code}）" for code, label in choices.items())
    raise ValueError(f"未知的{what}“{value}”，可选：{accepted}")


# --- schemas ----------------------------------------------------------------------------------


class DocumentQuery(Clean):
    """文件列表的筛选条件与分页；空白的参数视为未填写。"""

    q: str = Field("", max_length=200, description="标题、发文字号或索引号中的关键词（空格分隔）")
    kind: str = Field("", description="文件类别：规章、行政规范性文件、其他文件（或其代码）")
    status: str = Field(
        "", description="效力状态：尚未施行、现行有效、已修订、失效、已废止（或其代码）"
    )
    agency: str = Field("", max_length=50, description="发布机构的机关代码")
    year: int | None = Field(None, ge=1000, le=9999, description="成文日期所在年份")
    topic: str = Field("", max_length=50, description="主题分类")
    review_state: str = Field(
        "", description="审查状态：草稿、待保密审查、个人信息核查、待签发、已发布、已退回、已撤下"
    )
    page: int = Field(1, ge=1, le=MAX_ID, description="页码（从 1 开始）")
    limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"每页条数（最多 {MAX_PAGE}）")

    @field_validator("year", "page", "limit", mode="before")
    @classmethod
    def _blank_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """A blank parameter is "not given": its default, never 0."""
        if isinstance(value, str) and not value.strip():
            return cls.model_fields[info.field_name].default
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return choice_code(value, KINDS, "文件类别")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return choice_code(value, VALIDITIES, "效力状态")

    @field_validator("review_state")
    @classmethod
    def _review_state(cls, value: str) -> str:
        return choice_code(value, REVIEW_STATES, "审查状态")

    @field_validator("q")
    @classmethod
    def _bounded_search(cls, value: str) -> str:
        search_terms(value)
        return value


class DocAgencyOut(Clean):
    id: int
    name: str
    code: str = Field(description="机关代码（列表的 agency 筛选条件）")


class DocumentRowOut(Clean):
    """列表中的一份文件（一个版本）。"""

    id: int
    title: str = Field(description="标题")
    name: str = Field(description="《标题》（发文字号）；没有发文字号时只有《标题》")
    doc_number: str | None = Field(description="发文字号；没有时为 null")
    index_no: str = Field(description="索引号")
    kind: str
    kind_label: str
    agency: DocAgencyOut = Field(description="发布机构")
    topic: str = Field(description="主题分类")
    written_on: date = Field(description="成文日期")
    published_on: date | None = Field(description="发布日期")
    effective_on: date = Field(description="施行日期")
    expires_on: date | None = Field(description="有效期至")
    validity: str = Field(description="效力状态代码")
    validity_label: str
    validity_since: date | None = Field(description="当前效力状态的起始日")
    review_state: str = Field(description="审查状态代码")
    review_state_label: str
    policy_code: str = Field(description="政策码（一策一码）")


class DocumentPageOut(Clean):
    count: int = Field(description="符合条件的文件总数")
    page: int
    pages: int = Field(description="总页数")
    limit: int
    offset: int
    items: list[DocumentRowOut]


class DocRefOut(Clean):
    id: int
    title: str
    index_no: str
    doc_number: str | None


class ValidityChangeOut(Clean):
    """一次经决定的效力变更（修订、废止、宣布失效），附决定文件。"""

    day: date
    target: str
    target_label: str
    decision_title: str = Field(description="决定文件标题")
    decision_number: str | None = Field(description="决定文件文号；没有时为 null")
    cleanup_id: int | None = Field(description="所属清理批次 id")
    actor: str


class VersionOut(DocRefOut):
    """同一政策的一个版本。"""

    written_on: date
    published_on: date | None
    validity: str
    validity_label: str
    review_state: str
    review_state_label: str
    revises_id: int | None


class PolicyOut(Clean):
    """政策（一策一码）：稳定的政策码与短链接，及其全部版本（按成文日期排列）。"""

    id: int
    code: str
    path: str = Field(description="短链接路径 /p/<政策码>")
    versions: list[VersionOut]


class InterpretationOut(Clean):
    id: int
    title: str
    kind: str
    kind_label: str
    published_on: date | None


class AttachmentOut(Clean):
    """附件（不提供文件下载地址）。"""

    id: int
    name: str
    content_type: str
    size: int = Field(description="字节数")
    sha256: str
    uploaded_at: datetime


class HitOut(Clean):
    """个人信息扫描的一处发现：只有脱敏后的内容。"""

    kind: str = Field(description="类型代码；unreadable 表示未能扫描的部分")
    label: str
    masked: str = Field(description="脱敏后的内容")
    where: str = Field(description="位置")
    file: str = Field(description="所在附件的文件名；在标题或正文中时为空")
    severity: str = Field(
        description="block：须删除或记录公开依据；warn：提请核实；note：未能扫描，须人工核查"
    )
    explanation: str = Field(description="说明")


class ReviewStepOut(Clean):
    kind: str
    kind_label: str
    passed: bool
    note: str
    basis: str
    basis_label: str
    hits: list[HitOut]
    actor: str
    at: datetime


class DocumentDetailOut(DocumentRowOut):
    """文件详情：全部字段、效力变更记录、政策的各版本、解读、附件与审查记录。"""

    formed_on: date = Field(description="形成或变更日期（公开时限自此起算，条例第二十六条）")
    disclosure: str
    disclosure_label: str
    not_public_reason: str
    text: str = Field(description="正文")
    revises: DocRefOut | None = Field(description="本文件修订的文件")
    revised_by: DocRefOut | None = Field(description="修订本文件的文件")
    created_by: str
    created_at: datetime
    updated_at: datetime
    validity_history: list[ValidityChangeOut]
    policy: PolicyOut
    interpretations: list[InterpretationOut]
    attachments: list[AttachmentOut]
    review_trail: list[ReviewStepOut]


class DocumentIn(In):
    """登记一份文件（字段同 JSON Lines 导入）。日期格式 YYYY-MM-DD。"""

    agency: str = Field(
        "",
        max_length=50,
        description="发布机构的机关代码；只在一个机关担任登记员或公开工作机构负责人时可省略",
    )
    title: str = Field(max_length=300, description="标题")
    index_no: str = Field("", max_length=80, description="索引号；留空则按本机关的索引号格式生成")
    doc_number: str = Field("", max_length=80, description="发文字号")
    kind: str = Field(description="文件类别：规章、行政规范性文件、其他文件（或其代码）")
    written_on: date = Field(description="成文日期")
    effective_on: date = Field(description="施行日期")
    expires_on: date | None = Field(None, description="有效期至")
    formed_on: date | None = Field(None, description="形成或变更日期；留空为成文日期")
    topic: str = Field("", max_length=50, description="主题分类")
    text: str = Field("", max_length=MAX_TEXT, description="正文")
    disclosure: str = Field(
        Disclosure.PROACTIVE.value,
        description="公开属性：主动公开、依申请公开、不予公开（或其代码）",
    )
    not_public_reason: str = Field("", max_length=300, description="不予公开的理由")
    revises: str = Field(
        "", max_length=80, description="本文件修订的文件的索引号或发文字号（修订时填写）"
    )

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        code = choice_code(value, KINDS, "文件类别")
        if not code:
            raise ValueError("请填写文件类别：规章、行政规范性文件或其他文件")
        return code

    @field_validator("disclosure")
    @classmethod
    def _disclosure(cls, value: str) -> str:
        return choice_code(value, DISCLOSURES, "公开属性") or Disclosure.PROACTIVE.value


class SecrecyIn(In):
    """保密审查结论：通过则随即进行个人信息扫描；不通过则退回。"""

    passed: bool = Field(description="是否通过保密审查")
    note: Note = Field("", description="审查意见")


class BasisIn(In):
    """扫描发现个人信息而仍须公开时，记录公开依据（条例第十五条）。"""

    basis: LegalBasis = Field(description="公开依据")
    note: Note = Field(description="说明")


class PublishIn(In):
    """签发并发布；不填日期为今天。"""

    day: date | None = Field(None, description="发布日期")


class ReturnIn(In):
    note: Note = Field(description="退回意见")


class TakeDownIn(In):
    reason: Note = Field(description="撤下理由")


class DecisionIn(In):
    """效力变更的决定：日期与决定文件。"""

    day: date = Field(description="生效日期")
    decision_title: str = Field(max_length=300, description="决定文件标题")
    decision_number: str = Field("", max_length=80, description="决定文件文号")


# --- reading ----------------------------------------------------------------------------------


def visible_documents(viewer: Viewer) -> QuerySet[Document]:
    """The texts ``viewer`` may see, with what a list row shows, unpublished texts first."""
    return (
        Document.objects.filter(visibility(viewer))
        .select_related("agency", "policy")
        .order_by(F("published_on").desc(nulls_first=True), "-written_on", "-id")
    )


def filtered(qs: QuerySet[Document], f: DocumentQuery) -> QuerySet[Document]:
    """``qs`` narrowed by the list's filters (each term of ``q`` in 标题, 发文字号 or 索引号)."""
    for term in search_terms(f.q):
        qs = qs.filter(
            Q(title__icontains=term) | Q(doc_number__icontains=term) | Q(index_no__icontains=term)
        )
    exact = {
        "kind": f.kind,
        "validity": f.status,
        "review_state": f.review_state,
        "agency__code": f.agency.strip(),
        "topic": f.topic.strip(),
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v})
    return qs if f.year is None else qs.filter(written_on__year=f.year)


def _ref(d: Document | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "id": d.pk,
        "title": d.title,
        "index_no": d.index_no,
        "doc_number": d.doc_number or None,
    }


def document_row(d: Document) -> dict[str, Any]:
    """A text as a list row (reads only ``agency`` and ``policy`` beside the row)."""
    return {
        **_ref(d),  # type: ignore[dict-item]
        "name": d.name,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "agency": {"id": d.agency.pk, "name": d.agency.name, "code": d.agency.code},
        "topic": d.topic,
        "written_on": d.written_on,
        "published_on": d.published_on,
        "effective_on": d.effective_on,
        "expires_on": d.expires_on,
        "validity": d.validity,
        "validity_label": d.get_validity_display(),
        "validity_since": d.validity_since,
        "review_state": d.review_state,
        "review_state_label": d.get_review_state_display(),
        "policy_code": d.policy.code,
    }


def _change(c: ValidityChange) -> dict[str, Any]:
    return {
        "day": c.day,
        "target": c.target,
        "target_label": c.get_target_display(),
        "decision_title": c.decision_title,
        "decision_number": c.decision_number or None,
        "cleanup_id": c.cleanup_id,
        "actor": person_name(c.actor),
    }


def _version(d: Document) -> dict[str, Any]:
    return {
        **_ref(d),  # type: ignore[dict-item]
        "written_on": d.written_on,
        "published_on": d.published_on,
        "validity": d.validity,
        "validity_label": d.get_validity_display(),
        "review_state": d.review_state,
        "review_state_label": d.get_review_state_display(),
        "revises_id": d.revises_id,
    }


#: What a stored scan entry (:func:`gongkai.documents.services.review.scan_for`) shows.
HIT_FIELDS = ("kind", "label", "masked", "where", "file", "severity", "explanation")


def masked_hits(hits: Any) -> list[dict[str, str]]:
    """The scan's findings as recorded, keeping only their masked, displayable fields: whatever
    else a stored entry might carry is never returned."""
    if not isinstance(hits, list):
        return []
    return [{k: str(h.get(k, "")) for k in HIT_FIELDS} for h in hits if isinstance(h, dict)]


def _step(s: ReviewStep) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "passed": s.passed,
        "note": s.note,
        "basis": s.basis,
        "basis_label": s.get_basis_display() if s.basis else "",
        "hits": masked_hits(s.hits),
        "actor": person_name(s.actor),
        "at": s.at,
    }


def _detail_query(viewer: Viewer) -> QuerySet[Document]:
    versions = Document.objects.filter(visibility(viewer)).order_by("written_on", "id")
    return (
        visible_documents(viewer)
        .select_related("revises", "revised_by", "created_by")
        .prefetch_related(
            Prefetch("validity_changes", ValidityChange.objects.select_related("actor")),
            Prefetch("policy__documents", versions, to_attr="visible_versions"),
            "interpretations",
            "attachments",
            Prefetch("review_steps", ReviewStep.objects.select_related("actor")),
        )
    )


def document_detail(viewer: Viewer, document_id: int) -> dict[str, Any]:
    """Everything about one text the viewer may see, or 404 (the same whether or not it
    exists)."""
    d = _detail_query(viewer).filter(pk=document_id).first()
    if d is None:
        raise Http404(NOT_VISIBLE)
    revised_by = getattr(d, "revised_by", None)  # the reverse one-to-one raises when absent
    return {
        **document_row(d),
        "formed_on": d.formed_on,
        "disclosure": d.disclosure,
        "disclosure_label": d.get_disclosure_display(),
        "not_public_reason": d.not_public_reason,
        "text": d.text,
        "revises": _ref(d.revises),
        "revised_by": _ref(revised_by),
        "created_by": person_name(d.created_by),
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "validity_history": [_change(c) for c in d.validity_changes.all()],
        "policy": {
            "id": d.policy.pk,
            "code": d.policy.code,
            "path": reverse("policy:code", kwargs={"code": d.policy.code}),
            "versions": [_version(v) for v in d.policy.visible_versions],  # type: ignore[attr-defined]
        },
        "interpretations": [
            {
                "id": i.pk,
                "title": i.title,
                "kind": i.kind,
                "kind_label": i.get_kind_display(),
                "published_on": i.published_on,
            }
            for i in d.interpretations.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
            }
            for a in d.attachments.all()
        ],
        "review_trail": [_step(s) for s in d.review_steps.all()],
    }


def visible_document(viewer: Viewer, document_id: int) -> Document:
    """The text if ``viewer`` may see it; otherwise 404."""
    d = Document.objects.filter(visibility(viewer)).select_related("agency", "policy")
    found = d.filter(pk=document_id).first()
    if found is None:
        raise Http404(NOT_VISIBLE)
    return found


# --- registration -----------------------------------------------------------------------------


def issuing_agency(viewer: Viewer, code: str) -> Agency:
    """The agency named by ``code``, or the only one where the viewer drafts texts."""
    code = code.strip()
    if code:
        found = Agency.objects.filter(code=code).first()
        if found is None:
            raise DocumentError(f"找不到机关代码为“{code}”的机关（agency）")
        return found
    drafting = viewer.agencies_with(Role.REGISTRAR, Role.HEAD)
    if len(drafting) != 1:
        raise DocumentError(
            "请用 agency 填写发布机构的机关代码："
            + ("您在多个机关担任登记员或负责人" if drafting else "您不是任何机关的登记员或负责人")
        )
    return Agency.objects.get(pk=drafting[0])


def revised_text(viewer: Viewer, agency: Agency, ref: str) -> Document | None:
    """The text of ``agency`` named by its 索引号 or 发文字号 that a new text revises (None
    when blank), looked up as the JSON Lines import does: by 索引号 first; a 发文字号 shared by
    several texts is refused, the 索引号 asked for."""
    ref = ref.strip()
    if not ref:
        return None
    candidates = Document.objects.filter(visibility(viewer), agency=agency).order_by("id")
    for field in ("index_no", "doc_number"):
        found = list(candidates.filter(**{field: ref})[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise DocumentError(f"发文字号“{ref}”对应多件文件，请在 revises 中改用索引号")
    raise DocumentError(
        f"找不到要修订的文件（revises）：{agency.name}没有索引号或发文字号为“{ref}”的文件"
    )


# --- routes -----------------------------------------------------------------------------------


@router.get("", response=DocumentPageOut, summary="文件列表")
def list_documents(request: HttpRequest, filters: Query[DocumentQuery]) -> dict[str, Any]:
    """请求者有权查看的文件（各机关的登记员、保密审查员、公开工作机构负责人看本机关的文件，
    监督人员看其下级机关的文件），未发布的在前，其余按发布日期由近及远；可筛选、分页。"""
    qs = filtered(visible_documents(viewer_of(request)), filters)
    count = qs.count()
    offset = (filters.page - 1) * filters.limit
    rows = list(qs[offset : offset + filters.limit]) if offset < count else []
    return {
        "count": count,
        "page": filters.page,
        "pages": math.ceil(count / filters.limit),
        "limit": filters.limit,
        "offset": offset,
        "items": [document_row(d) for d in rows],
    }


@router.post("", response={201: DocumentDetailOut, 400: ErrorOut}, summary="登记文件")
def create_document(request: HttpRequest, body: DocumentIn) -> Status[dict[str, Any]]:
    """登记一份文件（草稿）；请求者须为发布机构的登记员或公开工作机构负责人。
    填写 revises 时登记为该文件的修订版本，属同一政策（一策一码）。"""
    viewer = viewer_of(request)
    agency = issuing_agency(viewer, body.agency)
    revises = revised_text(viewer, agency, body.revises)
    document = registry.document_create(
        actor=request.auth,  # type: ignore[attr-defined]
        agency=agency,
        kind=DocKind(body.kind),
        revises=revises,
        ip=client_ip(request),
        **body.model_dump(exclude={"agency", "kind", "revises"}),
    )
    return Status(201, document_detail(viewer, document.pk))


@router.get("/{document_id}", response={200: DocumentDetailOut, 404: ErrorOut}, summary="文件详情")
def get_document(request: HttpRequest, document_id: int = DOCUMENT_ID) -> dict[str, Any]:
    """一份文件的详情；无权查看或不存在时均返回 404。"""
    return document_detail(viewer_of(request), document_id)


# --- actions ----------------------------------------------------------------------------------

Step = Callable[[Document, Any, str], Any]
DETAIL = {200: DocumentDetailOut, **ERRORS}


def act(request: HttpRequest, document_id: int, step: Step) -> dict[str, Any]:
    """Run ``step(document, actor, ip)`` on a text in the requester's scope; the updated
    detail. A refusal raises :class:`DocumentError` (answered with 400)."""
    viewer = viewer_of(request)
    step(visible_document(viewer, document_id), request.auth, client_ip(request))  # type: ignore[attr-defined]
    return document_detail(viewer, document_id)


def _action(path: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return router.post(f"/{{document_id}}/actions/{path}", response=DETAIL, summary=summary)


@_action("submit", "提交审查")
def document_submit(request: HttpRequest, document_id: int = DOCUMENT_ID) -> dict[str, Any]:
    """草稿或已退回的文件提交保密审查（条例第十七条：先审查后公开）。"""
    return act(
        request,
        document_id,
        lambda d, actor, ip: review.document_submit(actor=actor, document=d, ip=ip),
    )


@_action("secrecy_review", "保密审查")
def document_secrecy_review(
    request: HttpRequest, body: SecrecyIn, document_id: int = DOCUMENT_ID
) -> dict[str, Any]:
    """保密审查员记录审查结论：通过则随即扫描个人信息，发现须处理的个人信息时进入
    “个人信息核查”，否则待签发；不通过则退回。"""
    return act(
        request,
        document_id,
        lambda d, actor, ip: review.secrecy_review(
            actor=actor, document=d, passed=body.passed, note=body.note, ip=ip
        ),
    )


@_action("record_basis", "记录公开依据")
def document_record_basis(
    request: HttpRequest, body: BasisIn, document_id: int = DOCUMENT_ID
) -> dict[str, Any]:
    """扫描发现个人信息而仍须公开时，公开工作机构负责人记录公开依据（条例第十五条），
    文件转入待签发；扫描结果仍留在审查记录中。"""
    return act(
        request,
        document_id,
        lambda d, actor, ip: review.basis_record(
            actor=actor, document=d, basis=body.basis, note=body.note, ip=ip
        ),
    )


@_action("publish", "签发并发布")
def document_publish(
    request: HttpRequest, body: PublishIn, document_id: int = DOCUMENT_ID
) -> dict[str, Any]:
    """公开工作机构负责人签发并发布文件；修订版本发布时，被修订的文件变为“已修订”。"""
    return act(
        request,
        document_id,
        lambda d, actor, ip: review.document_publish(actor=actor, document=d, day=body.day, ip=ip),
    )


@_action("return", "退回")
def document_return(
    request: HttpRequest, body: ReturnIn, document_id: int = DOCUMENT_ID
) -> dict[str, Any]:
    """退回文件修改，附退回意见。"""
    return act(
        request,
        document_id,
        lambda d, actor, ip: review.document_return(actor=actor, document=d, note=body.note, ip=ip),
    )


@_action("take_down", "撤下")
def document_take_down(
    request: HttpRequest, body: TakeDownIn, document_id: int = DOCUMENT_ID
) -> dict[str, Any]:
    """撤下已发布的文件，附撤下理由。"""
    return act(
        request,
        document_id,
        lambda d, actor, ip: review.document_take_down(
            actor=actor, document=d, reason=body.reason, ip=ip
        ),
    )


def _decide(target: Validity, body: DecisionIn) -> Step:
    def step(d: Document, actor: Any, ip: str) -> Any:
        return decisions.validity_decide(
            actor=actor,
            document=d,
            target=target,
            day=body.day,
            decision_title=body.decision_title,
            decision_number=body.decision_number,
            ip=ip,
        )

    return step


@_action("repeal", "废止")
def document_repeal(
    request: HttpRequest, body: DecisionIn, document_id: int = DOCUMENT_ID
) -> dict[str, Any]:
    """公开工作机构负责人决定废止已发布的文件，附决定文件的标题和文号。"""
    return act(request, document_id, _decide(Validity.REPEALED, body))


@_action("expire", "宣布失效")
def document_expire(
    request: HttpRequest, body: DecisionIn, document_id: int = DOCUMENT_ID
) -> dict[str, Any]:
    """公开工作机构负责人宣布已发布的文件失效，附决定文件的标题和文号。"""
    return act(request, document_id, _decide(Validity.EXPIRED, body))
