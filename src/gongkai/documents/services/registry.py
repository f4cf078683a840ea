"""Writes to the government document registry (政府文件库): texts and their attachments.

Each service is one transaction with its audit entry; the rules themselves (kinds and who may
issue them, the validity state machine, 清理) are :mod:`gongkai.core.validity`, and every
refusal of the core becomes a :class:`DocumentError` with the same Chinese message.

- A new text starts a new :class:`Policy` with a fresh 一策一码 short code, unless it revises
  an earlier text (``revises``): then it is the next 版本 of the same policy, and when it is
  published the earlier text becomes 已修订 (:func:`.decisions.mark_revised`).
- Its 索引号 is made from the agency's :class:`RegistrySettings` ``index_format`` when none is
  given; serials come from :class:`IndexCounter` and are never reused.
- ``validity`` and ``validity_since`` cache the state the core gives for today
  (:func:`cache_validity`); decided changes, 清理 and the daily job that moves texts by date
  are :mod:`.decisions`.
"""

from __future__ import annotations

import logging
import secrets
import string
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency
from gongkai.core import validity as core
from gongkai.core.validity import AgencyLevel, Decision, DocKind, Validity, ValidityError
from gongkai.security.uploads import UploadRejected, check_upload, sha256_of

from ..access import DRAFTING_ROLES
from ..models import (
    Attachment,
    Disclosure,
    Document,
    IndexCounter,
    Policy,
    RegistrySettings,
    ReviewState,
)
from .base import DocumentError, audit, require, today

#: 一策一码: 8 characters from an alphabet without the look-alikes 0/O, 1/I/l.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_ATTEMPTS = 20
#: Texts that were published at some time: published, or published and then taken down.
ISSUED_STATES = (ReviewState.PUBLISHED, ReviewState.TAKEN_DOWN)
EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.RETURNED)
#: What :func:`document_update` may change.
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        "title",
        "doc_number",
        "topic",
        "written_on",
        "effective_on",
        "expires_on",
        "formed_on",
        "disclosure",
        "not_public_reason",
        "text",
        "index_no",
    }
)
#: Text fields and their (Chinese name, longest length).
TEXT_LIMITS = {
    "title": ("标题", 300),
    "doc_number": ("发文字号", 80),
    "topic": ("主题分类", 50),
    "index_no": ("索引号", 80),
    "not_public_reason": ("不公开理由", 300),
}
DATE_NAMES = {"written_on": "成文日期", "effective_on": "施行日期"}
LEVEL_MISSING = "请先在文件库设置中填写本机关的行政层级（决定可否制定规章）"
DOCUMENT_FILE_TYPES = {".pdf", ".docx", ".ofd"}
IMAGE_TYPES = {".jpg", ".jpeg", ".png"}
log = logging.getLogger(__name__)
#: The fields an 索引号 format may use (Chinese, as the office writes the format).
INDEX_FIELDS = {"信用代码", "年度", "序号"}


# --- settings, kinds, codes, 索引号 --------------------------------------------------------


def registry_settings(agency: Agency) -> RegistrySettings:
    """The agency's registry settings, or unsaved defaults when it has none yet."""
    found = RegistrySettings.objects.filter(agency_id=agency.pk).first()
    return found or RegistrySettings(agency=agency)


def check_kind(kind: DocKind | str, agency: Agency) -> DocKind:
    """The kind, if the agency may issue it (规章: 《中华人民共和国立法法》第九十一条、第九十三条).

    The agency's level comes from its registry settings; a 规章 is refused while it is blank.
    """
    try:
        kind = DocKind(kind)
    except ValueError:
        raise DocumentError(f"文件类别“{kind}”无效（应为规章、行政规范性文件或其他文件）") from None
    if kind is not DocKind.RULES:
        return kind
    level_text = registry_settings(agency).level
    if not level_text:
        raise DocumentError(LEVEL_MISSING)
    try:
        level = AgencyLevel(level_text)
    except ValueError:
        raise DocumentError(f"文件库设置中的行政层级“{level_text}”无效，请重新选择") from None
    try:
        core.check_issuer(kind, level)
    except ValidityError as exc:
        raise DocumentError(str(exc)) from exc
    return kind


def _random_code() -> str:
    """Eight characters with at least one digit and one letter: a code of letters only reads
    as a word, and one of digits only as a number."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            return code


def new_policy(agency: Agency, kind: DocKind, topic: str = "") -> Policy:
    """A new policy with a fresh random short code (retried on a collision)."""
    for _ in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Policy.objects.create(
                    agency=agency, kind=kind, code=_random_code(), topic=topic
                )
        except IntegrityError:
            continue
    raise DocumentError("未能生成不重复的政策码，请重试")


def index_format_of(settings_: RegistrySettings) -> str:
    """The agency's 索引号 format, refused unless it uses only its three fields."""
    fmt = settings_.index_format
    help_text = "可用 {信用代码}、{年度}、{序号}，如 {信用代码}/{年度}-{序号:05d}"
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None]
    except ValueError:
        fields = ["?"]
    if not fields or not set(fields) <= INDEX_FIELDS or "序号" not in fields:
        raise DocumentError(f"文件库设置中的索引号格式“{fmt}”无效（{help_text}）")
    return fmt


def _next_serial(agency: Agency, year: int) -> int:
    counter, _ = IndexCounter.objects.select_for_update().get_or_create(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def next_index_no(agency: Agency, year: int, *, skip: Iterable[str] = ()) -> str:
    """The next free 索引号 of ``agency`` for ``year`` (call inside a transaction).

    ``{信用代码}`` is the agency's 统一社会信用代码 from its settings, its platform code while
    that is blank. A serial is never given twice; one whose 索引号 was typed in by hand (or
    is in ``skip``: say, given further down an imported file) is passed over.
    """
    skip = frozenset(skip)
    settings_ = registry_settings(agency)
    fmt = index_format_of(settings_)
    credit_code = settings_.credit_code or agency.code
    for _ in range(1000):
        try:
            value = fmt.format(
                **{"信用代码": credit_code, "年度": year, "序号": _next_serial(agency, year)}
            )
        except (ValueError, TypeError):
            raise DocumentError(f"文件库设置中的索引号格式“{fmt}”无效") from None
        if len(value) > TEXT_LIMITS["index_no"][1]:
            raise DocumentError(f"按文件库设置生成的索引号“{value}”超过 80 个字符")
        if value not in skip and not Document.objects.filter(index_no=value).exists():
            return value
    raise DocumentError("未能生成不重复的索引号，请手工填写")


# --- the core's view of a text ---------------------------------------------------------------


def to_core(document: Document) -> core.Document:
    """The text as the core sees it, with its decided changes (prefetch ``validity_changes``
    for lists). The core's ``ref`` is the text's id (``new`` before it is saved)."""
    events: tuple[core.ValidityEvent, ...] = ()
    if document.pk is not None:
        events = tuple(
            core.ValidityEvent(
                c.day, Validity(c.target), Decision(c.decision_title, c.decision_number)
            )
            for c in document.validity_changes.all()
        )
    return core.Document(
        ref=str(document.pk) if document.pk is not None else "new",
        title=document.title,
        kind=DocKind(document.kind),
        written=document.written_on,
        effective=document.effective_on,
        number=document.doc_number,
        expires=document.expires_on,
        revises=str(document.revises_id) if document.revises_id else None,
        events=events,
    )


def status_on(doc: core.Document, day: date) -> tuple[Validity, date | None]:
    """The state and its first day on ``day``; a text not yet written is 尚未施行."""
    if day < doc.written:
        return Validity.NOT_YET_IN_FORCE, None
    found = core.validity_on(doc, day)
    return found.validity, found.since


def cache_validity(document: Document, doc: core.Document, *, save: bool = True) -> None:
    """Store today's state of ``doc`` (the core text of ``document``) in the cached fields."""
    state, since = status_on(doc, today())
    document.validity, document.validity_since = state.value, since
    if save:
        document.save(update_fields=["validity", "validity_since", "updated_at"])


def issued() -> Any:
    """Texts ever published (published, or published and since taken down)."""
    return Document.objects.filter(review_state__in=ISSUED_STATES)


def core_registry(agency_ids: list[int], *, kind: DocKind | None = None) -> list[core.Document]:
    """The registry of ``agency_ids`` as the core's table 二 reads it, by 成文日期.

    Every text ever published is in it, taken-down ones too: 撤下 removes a text from the
    public site (say, for personal information) but does not undo its issuing — it was 制发
    and stays in force until repealed or expired, and a revision chain must stay whole
    (an 已修订 text needs its revising text in the registry, :func:`core.check_registry`).
    Drafts and texts under review are not issued and are left out.
    """
    rows = issued().filter(agency_id__in=agency_ids)
    if kind is not None:
        rows = rows.filter(kind=DocKind(kind))
    rows = rows.prefetch_related("validity_changes").order_by("written_on", "id")
    return [to_core(d) for d in rows]


# --- checking a text -----------------------------------------------------------------------


def _clean_texts(document: Document) -> None:
    for field, (name, limit) in TEXT_LIMITS.items():
        value = (getattr(document, field) or "").strip()
        if len(value) > limit:
            raise DocumentError(f"{name}不能超过 {limit} 个字（现为 {len(value)} 个字）")
        setattr(document, field, value)
    document.text = document.text or ""
    if not document.title:
        raise DocumentError("标题不能为空")


def _check_dates(document: Document) -> None:
    for field, name in DATE_NAMES.items():
        if not isinstance(getattr(document, field), date):
            raise DocumentError(f"{name}不能为空")
    if document.expires_on is not None and not isinstance(document.expires_on, date):
        raise DocumentError("有效期至应为日期")
    if document.formed_on is None:
        document.formed_on = document.written_on
    if document.formed_on < document.written_on:
        raise DocumentError(
            f"形成或变更日期（{document.formed_on}）不能早于成文日期（{document.written_on}）"
        )


def _check_disclosure(document: Document) -> None:
    if document.disclosure not in Disclosure.values:
        raise DocumentError(f"公开属性“{document.disclosure}”无效")
    if document.disclosure != Disclosure.NOT_PUBLIC:
        document.not_public_reason = ""
    elif not document.not_public_reason:
        raise DocumentError(
            "不予公开的文件须写明不公开理由"
            "（《中华人民共和国政府信息公开条例》第十四条、第十五条、第十六条）"
        )


def _check_index_no(document: Document) -> None:
    if not document.index_no:
        return
    taken = Document.objects.filter(index_no=document.index_no).exclude(pk=document.pk).first()
    if taken is not None:
        raise DocumentError(f"索引号“{document.index_no}”已被{taken.name}使用，请换一个")


def check_revision(
    document: Document, old: Document, doc: core.Document, *, historic: bool = False
) -> None:
    """A revising text: of a published text of the same agency, not yet revised by another,
    of the same kind, written while it was in force (:func:`core.check_registry`), taking
    effect once it is. A new text (not ``historic``, i.e. not imported from the registry of
    record) may not revise a text that is no longer in force today either."""
    if old.agency_id != document.agency_id:
        raise DocumentError("只能修订本机关发布的文件")
    if old.review_state not in ISSUED_STATES:
        raise DocumentError(f"{old.name}尚未发布（{old.get_review_state_display()}），不能修订")
    other = Document.objects.filter(revises=old).exclude(pk=document.pk).first()
    if other is not None:
        raise DocumentError(
            f"{old.name}已有修订文本{other.name}（{other.get_review_state_display()}），"
            "不能再次修订"
        )
    old_doc = to_core(old)
    if old_doc.kind is not doc.kind:
        raise DocumentError(
            f"{doc.name}是{doc.kind.label}，它修订的{old.name}是{old_doc.kind.label}，类别应一致"
        )
    if doc.written < old_doc.written:
        raise DocumentError(
            f"{doc.name}的成文日期 {doc.written} 早于它修订的{old.name}的成文日期 {old_doc.written}"
        )
    then, _ = status_on(old_doc, doc.written)
    if then.is_final:
        raise DocumentError(
            f"{doc.name}成文（{doc.written}）时，它修订的{old.name}已是“{then.label}”；"
            "不再有效的文件不能修订，请作为新文件登记"
        )
    now, _ = status_on(old_doc, today())
    if now.is_final and not historic:
        raise DocumentError(
            f"{old.name}现已是“{now.label}”，不能修订；不再有效的文件不能修订，请作为新文件登记"
        )
    if status_on(old_doc, doc.effective)[0] is Validity.NOT_YET_IN_FORCE:
        raise DocumentError(
            f"{doc.name}的施行日期 {doc.effective} 早于它修订的{old.name}的施行日期 "
            f"{old_doc.effective}；修订文本应在原文件施行后施行"
        )


def _validate(document: Document) -> core.Document:
    """Check every field of ``document`` (normalising them); its core text."""
    _clean_texts(document)
    _check_dates(document)
    _check_disclosure(document)
    document.kind = check_kind(document.kind, document.agency).value
    try:
        doc = to_core(document)
    except ValidityError as exc:
        raise DocumentError(str(exc)) from exc
    if document.revises_id is not None:
        check_revision(document, document.revises, doc)
    _check_index_no(document)
    return doc


def lock_document(document: Document | int) -> Document:
    pk = document.pk if isinstance(document, Document) else document
    return Document.objects.select_for_update(of=("self",)).select_related("agency").get(pk=pk)


def _require_editable(document: Document) -> None:
    if document.review_state not in EDITABLE_STATES:
        raise DocumentError(
            f"{document.name}的审查状态为“{document.get_review_state_display()}”，"
            "只有草稿或已退回的文件可以修改"
        )


# --- drafting -------------------------------------------------------------------------------


def document_create(
    *,
    actor: Any,
    agency: Agency,
    kind: DocKind,
    title: str,
    written_on: date,
    effective_on: date,
    disclosure: str = Disclosure.PROACTIVE,
    doc_number: str = "",
    topic: str = "",
    expires_on: date | None = None,
    formed_on: date | None = None,
    not_public_reason: str = "",
    text: str = "",
    index_no: str = "",
    revises: Document | None = None,
    ip: str | None = None,
) -> Document:
    """Register a new text (草稿) of ``agency``; the registrars and heads of its office do.

    A new policy with a fresh short code, unless the text ``revises`` an earlier one (then the
    same policy). The 公开时限 counts from ``formed_on`` (default: the 成文日期;
    《中华人民共和国政府信息公开条例》第二十六条).
    """
    with transaction.atomic():
        require(actor, agency.pk, DRAFTING_ROLES, "新建政府文件")
        document = Document(
            agency=agency,
            kind=kind,
            title=title,
            written_on=written_on,
            effective_on=effective_on,
            expires_on=expires_on,
            formed_on=formed_on,
            disclosure=disclosure,
            doc_number=doc_number,
            topic=topic,
            not_public_reason=not_public_reason,
            text=text,
            index_no=index_no,
            revises=lock_document(revises) if revises is not None else None,
            review_state=ReviewState.DRAFT,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        doc = _validate(document)
        if not document.index_no:
            document.index_no = next_index_no(agency, written_on.year)
        document.policy = (
            document.revises.policy
            if document.revises is not None
            else new_policy(agency, DocKind(document.kind), document.topic)
        )
        cache_validity(document, doc, save=False)
        document.save()
        revising = f"，修订{document.revises.name}" if document.revises is not None else ""
        audit(
            actor,
            action="document.created",
            target=document,
            agency=agency,
            message=f"新建{doc.kind.label}{document.name}（索引号 {document.index_no}）{revising}",
            data={"index_no": document.index_no, "policy": document.policy.code},
            ip=ip,
        )
    return document


def document_update(
    *, actor: Any, document: Document, ip: str | None = None, **changes: Any
) -> Document:
    """Change a draft or returned text (the fields of :data:`EDITABLE_FIELDS`); the same
    checks as :func:`document_create`. A blank 索引号 keeps the one it has."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise DocumentError("不能修改这些字段：" + "、".join(unknown))
    with transaction.atomic():
        locked = lock_document(document)
        require(actor, locked.agency_id, DRAFTING_ROLES, "修改政府文件")
        _require_editable(locked)
        before = {f: getattr(locked, f) for f in EDITABLE_FIELDS}
        for field, value in changes.items():
            setattr(locked, field, value)
        if not (locked.index_no or "").strip():
            locked.index_no = before["index_no"]
        doc = _validate(locked)
        changed = sorted(f for f in EDITABLE_FIELDS if getattr(locked, f) != before[f])
        if not changed:
            return locked
        if locked.revises_id is None:
            Policy.objects.filter(pk=locked.policy_id).update(kind=locked.kind, topic=locked.topic)
        cache_validity(locked, doc, save=False)
        locked.save()
        names = "、".join(str(Document._meta.get_field(f).verbose_name) for f in changed)
        audit(
            actor,
            action="document.updated",
            target=locked,
            agency=locked.agency,
            message=f"修改{locked.name}：{names}",
            data={"fields": changed},
            ip=ip,
        )
    return locked


# --- attachments ----------------------------------------------------------------------------


def _document_file_type(upload: UploadedFile) -> tuple[str, str]:
    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext in IMAGE_TYPES:
        raise DocumentError(
            f"文件“{name}”是图片，不能作为政府文件的附件；请上传 PDF、DOCX 或 OFD 文件"
        )
    if ext not in DOCUMENT_FILE_TYPES:
        raise DocumentError(f"文件“{name}”的类型不支持；政府文件的附件只能是 PDF、DOCX 或 OFD 文件")
    try:
        return check_upload(upload)
    except UploadRejected as exc:
        raise DocumentError(str(exc)) from exc


def attachment_add(
    *, actor: Any, document: Document, upload: UploadedFile, ip: str | None = None
) -> Attachment:
    """Keep a file (PDF, DOCX, OFD) with a draft or returned text."""
    ext, content_type = _document_file_type(upload)
    sha256 = sha256_of(upload)
    with transaction.atomic():
        locked = lock_document(document)
        require(actor, locked.agency_id, DRAFTING_ROLES, "上传文件附件")
        _require_editable(locked)
        att = Attachment(
            document=locked,
            name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
        )
        att.file.save(f"{sha256[:16]}{ext}", upload, save=False)
        att.save()
        audit(
            actor,
            action="document.attached",
            target=locked,
            agency=locked.agency,
            message=f"{locked.name}：上传附件“{att.name}”",
            data={"attachment": att.pk, "sha256": sha256, "size": att.size},
            ip=ip,
        )
    return att


def attachment_remove(*, actor: Any, attachment: Attachment, ip: str | None = None) -> None:
    """Remove a file of a draft or returned text (the stored file goes once this commits)."""
    with transaction.atomic():
        locked = lock_document(attachment.document_id)
        require(actor, locked.agency_id, DRAFTING_ROLES, "删除文件附件")
        _require_editable(locked)
        att = Attachment.objects.get(pk=attachment.pk, document=locked)
        storage, stored = att.file.storage, att.file.name
        name, pk = att.name, att.pk
        att.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
        audit(
            actor,
            action="document.attachment_removed",
            target=locked,
            agency=locked.agency,
            message=f"{locked.name}：删除附件“{name}”",
            data={"attachment": pk},
            ip=ip,
        )
