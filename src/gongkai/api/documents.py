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
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from gongkai.accounts.scope import Viewer
from gongkai.agencies.models import Agency
from gongkai.audit.net import client_ip
from gongkai.cases.actions.fields import MAX_ID
from gongkai.core.validity import DocKind, Validity
from gongkai.core.workflow import Role
from gongkai.documents.access import NOT_VISIBLE, visibility
from gongkai.documents.models import (
    Document,
    ReviewStep,
    ValidityChange,
)
from gongkai.documents.selectors import documents_for, visible_documents
from gongkai.documents.services import decisions, registry, review
from gongkai.documents.services.base import DocumentError

from .common import viewer_of
from .document_schemas import (
    BasisIn,
    DecisionIn,
    DocumentDetailOut,
    DocumentIn,
    DocumentPageOut,
    DocumentQuery,
    PublishIn,
    ReturnIn,
    SecrecyIn,
    TakeDownIn,
)
from .present import person_name
from .schemas import ErrorOut

router = Router(tags=["政府文件库"])

DOCUMENT_ID = Path(..., ge=1, le=MAX_ID, description="文件 id")
ERRORS = {400: ErrorOut, 404: ErrorOut}

# --- reading ----------------------------------------------------------------------------------


def listed(viewer: Viewer, f: DocumentQuery) -> QuerySet[Document]:
    """The list's texts: the staff list's own selector (:func:`gongkai.documents.selectors.
    documents_for`), the agency given by its code (an unknown code lists nothing)."""
    agency: Any = ""
    if f.agency.strip():
        agency = Agency.objects.filter(code=f.agency.strip()).values_list("pk", flat=True).first()
        agency = agency or 0
    return documents_for(
        viewer,
        q=f.q,
        kind=f.kind,
        validity=f.status,
        review_state=f.review_state,
        agency=agency,
        year=f.year if f.year is not None else "",
        topic=f.topic.strip(),
    )


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
    qs = listed(viewer_of(request), filters)
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
