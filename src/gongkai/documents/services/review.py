"""先审查后公开: the review of a text before it is published, and taking it down.

《中华人民共和国政府信息公开条例》第十七条 asks an agency to review what it means to disclose
before disclosing it (审查机制); the steps are those of :class:`ReviewState`::

    草稿/已退回 --提交(登记员、负责人)--> 待保密审查
    待保密审查 --保密审查通过(保密审查员、负责人)--> 个人信息扫描 (at once)
        --> 个人信息核查 when the scan finds information that blocks publication
        --> 待签发 when it finds none
    待保密审查 --保密审查不通过--> 已退回
    个人信息核查 --记录公开依据(负责人)--> 待签发
    个人信息核查/待签发 --退回(保密审查员、负责人)--> 已退回 (corrected, then submitted again)
    待签发 --签发并发布(负责人)--> 已发布
    已发布 --撤下(负责人)--> 已撤下

The personal-information scan (:func:`scan_for`) protects what 第十五条 protects: personal
privacy is not disclosed unless the person agrees or the public interest requires it. It reads
the title, the body and every attachment (:mod:`gongkai.core.pii`), leaving alone the agency's
own published contacts (:func:`allow_list_for`). Information that blocks may stay only with a
legal basis recorded by the head (:class:`LegalBasis`). Only 主动公开 texts are published
(第十九条); a 依申请公开 or 不予公开 text is never put on the public pages.

Each step is one transaction writing a :class:`ReviewStep` and an audit entry; a step the
current state does not allow raises :class:`DocumentError` naming that state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.core.identity import search_phone
from gongkai.core.pii import (
    MAX_DOCUMENT_BYTES,
    AllowList,
    Hit,
    Kind,
    ScanError,
    scan_document,
    scan_text,
)
from gongkai.core.validity import ValidityError

from ..access import DECIDING_ROLES, DRAFTING_ROLES, SECRECY_ROLES
from ..models import (
    Attachment,
    Disclosure,
    Document,
    LegalBasis,
    RegistrySettings,
    ReviewState,
    ReviewStep,
    ReviewStepKind,
)
from .base import DocumentError, audit, require, today
from .decisions import mark_revised
from .registry import lock_document, status_on, to_core

S = ReviewState

#: Who may return a text under review for correction: its reviewers.
RETURNING_ROLES = SECRECY_ROLES | DECIDING_ROLES

#: The severity of a scan entry that is not a hit but a part that could not be read.
NOTE = "note"
BLOCK = "block"
WARN = "warn"

# --- the transition table ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Move:
    """One review step: what it is called, the states it starts from, and for the others
    why it cannot be taken there."""

    verb: str
    allowed: frozenset[ReviewState]
    why: dict[ReviewState, str]


_UNDER_REVIEW = "该文件已在审查中"
_PUBLISHED = "该文件已经发布"
_TAKEN_DOWN = "该文件已撤下，如需重新发布请新建文件"

SUBMIT = _Move(
    "提交审查",
    frozenset({S.DRAFT, S.RETURNED}),
    {
        S.SECRECY: _UNDER_REVIEW,
        S.SCAN: _UNDER_REVIEW,
        S.SIGN_OFF: _UNDER_REVIEW,
        S.PUBLISHED: "已发布的文件不能修改，如需修改请制作修订版本",
        S.TAKEN_DOWN: _TAKEN_DOWN,
    },
)
SECRECY = _Move(
    "进行保密审查",
    frozenset({S.SECRECY}),
    {
        S.DRAFT: "须先提交审查",
        S.RETURNED: "须先修改并重新提交审查",
        S.SCAN: "保密审查已经完成",
        S.SIGN_OFF: "保密审查已经完成",
        S.PUBLISHED: _PUBLISHED,
        S.TAKEN_DOWN: _TAKEN_DOWN,
    },
)
BASIS = _Move(
    "记录公开依据",
    frozenset({S.SCAN}),
    {
        S.DRAFT: "须先通过保密审查，个人信息扫描发现须处理的信息后才需记录",
        S.RETURNED: "须先修改并重新提交审查",
        S.SECRECY: "须先通过保密审查，个人信息扫描发现须处理的信息后才需记录",
        S.SIGN_OFF: "个人信息扫描没有待处理的信息",
        S.PUBLISHED: _PUBLISHED,
        S.TAKEN_DOWN: _TAKEN_DOWN,
    },
)
PUBLISH = _Move(
    "签发",
    frozenset({S.SIGN_OFF}),
    {
        S.DRAFT: "须先通过保密审查和个人信息扫描",
        S.RETURNED: "须先修改并重新提交，通过保密审查和个人信息扫描",
        S.SECRECY: "须先通过保密审查和个人信息扫描",
        S.SCAN: "个人信息扫描发现须处理的信息，须先记录公开依据或退回修改",
        S.PUBLISHED: _PUBLISHED,
        S.TAKEN_DOWN: _TAKEN_DOWN,
    },
)
RETURN = _Move(
    "退回",
    frozenset({S.SCAN, S.SIGN_OFF}),
    {
        S.DRAFT: "该文件尚未提交审查",
        S.RETURNED: "该文件已经退回",
        S.SECRECY: "待保密审查的文件请在保密审查中作出“不通过”的决定",
        S.PUBLISHED: "已发布的文件只能撤下",
        S.TAKEN_DOWN: "该文件已撤下",
    },
)
TAKE_DOWN = _Move(
    "撤下",
    frozenset({S.PUBLISHED}),
    dict.fromkeys(ReviewState, "只有已发布的文件才能撤下"),
)


def _expect(document: Document, move: _Move) -> None:
    """Refuse ``move`` unless the text is in one of its starting states."""
    state = ReviewState(document.review_state)
    if state not in move.allowed:
        raise DocumentError(f"该文件当前为“{state.label}”，不能{move.verb}：{move.why[state]}")


def record_step(
    document: Document,
    kind: ReviewStepKind,
    actor: Any,
    *,
    passed: bool = True,
    note: str = "",
    hits: list[dict[str, Any]] | None = None,
    basis: str = "",
) -> ReviewStep:
    return ReviewStep.objects.create(
        document=document,
        kind=kind,
        passed=passed,
        note=note,
        hits=hits or [],
        basis=basis,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _set_state(document: Document, state: ReviewState, *fields: str) -> None:
    document.review_state = state
    document.save(update_fields=["review_state", *fields, "updated_at"])


def _publishable(document: Document) -> None:
    """Only 主动公开 texts are published (条例第十九条); refuse the others with the reason."""
    if document.disclosure == Disclosure.ON_REQUEST:
        raise DocumentError(
            f"{document.name}的公开属性为“依申请公开”，不能主动发布：依申请公开的信息只向"
            "申请人提供（《中华人民共和国政府信息公开条例》第二十七条）；"
            "如应主动公开，请先将公开属性改为“主动公开”"
        )
    if document.disclosure == Disclosure.NOT_PUBLIC:
        reason = document.not_public_reason.strip() or "未填写"
        raise DocumentError(
            f"{document.name}的公开属性为“不予公开”（理由：{reason}），不能发布"
            "（《中华人民共和国政府信息公开条例》第十四条至第十六条）"
        )


# --- the personal-information scan -------------------------------------------------------

_LABEL = re.compile(r"^[^\d@：:]{1,12}[：:]\s*")
_PHONE_ONLY = re.compile(r"^[\d\s()（）+\-－—转分机]+$")


def _contacts_of(line: str, allow: dict[str, list[str]]) -> None:
    """Sort one line of published contacts into phones, e-mails and addresses: what the
    scanner recognises in it (after a label such as “咨询电话：”), else a bare number as a
    phone (12345) and any other text as an address."""
    value = _LABEL.sub("", line.strip()).strip()
    if not value:
        return
    hits = scan_text(value)
    for h in hits:
        if h.kind is Kind.EMAIL:
            allow["emails"].append(value[h.start : h.end])
        elif h.kind in (Kind.MOBILE, Kind.LANDLINE):
            allow["phones"].append(value[h.start : h.end])
    if any(h.kind is Kind.ADDRESS for h in hits):
        allow["addresses"].append(value)
    elif not hits:
        if _PHONE_ONLY.match(value) and search_phone(value):
            allow["phones"].append(value)
        elif "@" in value:
            allow["emails"].append(value)
        else:
            allow["addresses"].append(value)


def allow_list_for(agency: Agency) -> AllowList:
    """What ``agency`` publishes itself and the scan never reports: its telephone and
    address (:class:`~gongkai.agencies.models.Agency`) and the lines of its registry
    settings' “本机关公开的联系方式”."""
    allow: dict[str, list[str]] = {"phones": [], "emails": [], "addresses": []}
    settings = RegistrySettings.objects.filter(agency=agency).first()
    lines = [
        *re.split(r"[、，,；;/]", agency.phone or ""),
        *(settings.allowed_contacts.splitlines() if settings else []),
    ]
    for line in lines:
        _contacts_of(line, allow)
    if (agency.address or "").strip():
        allow["addresses"].append(agency.address.strip())
    return AllowList.of(allow["phones"], allow["emails"], allow["addresses"])


def _entry(hit: Hit, where: str, file: str = "") -> dict[str, Any]:
    """A hit as stored and shown: masked only, never the raw text."""
    return {
        "kind": hit.kind.value,
        "label": hit.label,
        "masked": hit.masked,
        "where": where,
        "severity": hit.severity.value,
        "explanation": hit.explanation,
        "file": file,
    }


def _note(file: str, message: str) -> dict[str, Any]:
    """A part that could not be scanned: shown to the reviewer to check by hand."""
    return {
        "kind": "unreadable",
        "label": "未能扫描",
        "masked": "",
        "where": "",
        "severity": NOTE,
        "explanation": f"{message}；请人工核查其中是否有个人信息",
        "file": file,
    }


def scan_file(name: str, file: Any, size: int | None, allow: AllowList) -> list[dict[str, Any]]:
    """Scan one stored file (a :class:`~django.db.models.fields.files.FieldFile`) named
    ``name``; a file that cannot be read or scanned gives a note, never an exception."""
    if size is not None and size > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // 1048576
        return [_note(name, f"{name}：文件过大（上限{limit} MB），未能扫描")]
    try:
        with file.open("rb") as fh:
            data = fh.read(MAX_DOCUMENT_BYTES + 1)
    except (OSError, ValueError) as exc:
        return [_note(name, f"{name}：文件无法读取（{type(exc).__name__}）")]
    try:
        result = scan_document(data, name, allow=allow, today=today())
    except ScanError as exc:
        return [_note(name, str(exc))]
    except Exception as exc:  # a reader failing on a malformed file must not stop the review
        return [_note(name, f"{name}：文件无法解析（{type(exc).__name__}）")]
    entries = [_entry(h, h.where, name) for h in result.hits]
    entries += [_note(name, f"{name}：{n}") for n in result.notes]
    return entries


def _attachment_entries(attachment: Attachment, allow: AllowList) -> list[dict[str, Any]]:
    return scan_file(attachment.name, attachment.file, attachment.size, allow)


def scan_for(document: Document, *, allow: AllowList | None = None) -> list[dict[str, Any]]:
    """The personal information in a text: its title, its body and each attachment, with
    the agency's own contacts allowed (``allow``: :func:`allow_list_for` the text's agency,
    given by a caller scanning many). Each entry is a dict ``{kind, label, masked, where,
    severity, explanation, file}``: ``severity`` is ``block`` (stops publication until
    removed or a basis is recorded), ``warn`` (a name: shown, does not block) or ``note``
    (a file that could not be read: to check by hand)."""
    if allow is None:
        allow = allow_list_for(document.agency)
    day = today()
    entries = [_entry(h, "标题") for h in scan_text(document.title, allow=allow, today=day)]
    entries += [
        _entry(h, f"正文{h.where}") for h in scan_text(document.text, allow=allow, today=day)
    ]
    for attachment in document.attachments.all():
        entries += _attachment_entries(attachment, allow)
    return entries


def blocking_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries that stop publication."""
    return [e for e in entries if e["severity"] == BLOCK]


def describe(entries: list[dict[str, Any]], limit: int = 10) -> str:
    """Entries in one line for a message: “居民身份证号码 3702**********1237（正文第2行第10列）”."""

    def one(e: dict[str, Any]) -> str:
        place = "，".join(p for p in (e["file"], e["where"]) if p)
        return f"{e['label']} {e['masked']}（{place}）" if place else f"{e['label']} {e['masked']}"

    shown = "；".join(one(e) for e in entries[:limit])
    more = f"等{len(entries)}处" if len(entries) > limit else ""
    return shown + more


def _key(entry: dict[str, Any]) -> tuple[str, str, str, str]:
    return (entry["kind"], entry["masked"], entry["where"], entry["file"])


def uncovered(document: Document, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The blocking entries not covered by the text's latest recorded legal basis (the hits
    a basis was recorded for stay on its :class:`ReviewStep`)."""
    last = (
        ReviewStep.objects.filter(document=document, kind=ReviewStepKind.BASIS)
        .order_by("-at", "-id")
        .first()
    )
    covered = {_key(e) for e in (last.hits if last else [])}
    return [e for e in blocking_entries(entries) if _key(e) not in covered]


def _counts(entries: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "blocking": sum(e["severity"] == BLOCK for e in entries),
        "warnings": sum(e["severity"] == WARN for e in entries),
        "notes": sum(e["severity"] == NOTE for e in entries),
    }


# --- the steps ----------------------------------------------------------------------------


def document_submit(*, actor: Any, document: Document, ip: str | None = None) -> Document:
    """Submit a draft (or a returned, corrected text) for review: 草稿/已退回 → 待保密审查.
    Registrars and heads of the issuing agency; only a 主动公开 text with a body or an
    attachment."""
    require(actor, document.agency_id, DRAFTING_ROLES, "提交文件审查")
    with transaction.atomic():
        doc = lock_document(document)
        _expect(doc, SUBMIT)
        _publishable(doc)
        if not doc.text.strip() and not doc.attachments.exists():
            raise DocumentError(f"{doc.name}没有正文也没有附件，请填写正文或上传附件后再提交")
        _set_state(doc, S.SECRECY)
        record_step(doc, ReviewStepKind.SUBMIT, actor)
        audit(
            actor,
            action="document.submitted",
            target=doc,
            message=f"{doc.name}提交发布前审查",
            agency=doc.agency,
            ip=ip,
        )
    return doc


def _scan_step(doc: Document, actor: Any, ip: str | None) -> list[dict[str, Any]]:
    """Run the scan now: a SCAN step (not passed when something blocks) and its audit."""
    entries = scan_for(doc)
    counts = _counts(entries)
    blocked = blocking_entries(entries)
    note = f"发现须处理的个人信息{len(blocked)}处" if blocked else "未发现须处理的个人信息"
    if counts["warnings"]:
        note += f"，疑似个人姓名{counts['warnings']}处（请核实）"
    if counts["notes"]:
        note += f"，{counts['notes']}处未能扫描（请人工核查）"
    record_step(doc, ReviewStepKind.SCAN, actor, passed=not blocked, note=note, hits=entries)
    audit(
        actor,
        action="document.scanned",
        target=doc,
        message=f"{doc.name}个人信息扫描：{note}",
        agency=doc.agency,
        data=counts,
        ip=ip,
    )
    return entries


def secrecy_review(
    *, actor: Any, document: Document, passed: bool, note: str = "", ip: str | None = None
) -> Document:
    """Record the 保密审查 (《中华人民共和国保守国家秘密法》; 条例第十七条). Passed: the
    personal-information scan runs at once, leading to 个人信息核查 when something blocks and
    to 待签发 otherwise. Not passed (the opinion required): 已退回."""
    require(actor, document.agency_id, SECRECY_ROLES, "进行保密审查")
    note = (note or "").strip()
    if not passed and not note:
        raise DocumentError("保密审查未通过时请写明意见")
    with transaction.atomic():
        doc = lock_document(document)
        _expect(doc, SECRECY)
        record_step(doc, ReviewStepKind.SECRECY, actor, passed=passed, note=note)
        audit(
            actor,
            action="document.secrecy_reviewed",
            target=doc,
            message=f"{doc.name}保密审查" + ("通过" if passed else f"未通过：{note}"),
            agency=doc.agency,
            data={"passed": passed},
            ip=ip,
        )
        if not passed:
            _set_state(doc, S.RETURNED)
            return doc
        entries = _scan_step(doc, actor, ip)
        _set_state(doc, S.SCAN if blocking_entries(entries) else S.SIGN_OFF)
    return doc


def basis_record(
    *, actor: Any, document: Document, basis: str, note: str, ip: str | None = None
) -> Document:
    """Keep the personal information the scan found, on a legal basis (条例第十五条: the
    person's consent or an overriding public interest; 惩戒公示 and 强制性披露 required by law):
    个人信息核查 → 待签发. The head decides; ``note`` says which provision or consent (e.g.
    the article of the law). The hits stay recorded with the basis."""
    require(actor, document.agency_id, DECIDING_ROLES, "记录个人信息公开依据")
    if basis not in LegalBasis.values:
        choices = "、".join(LegalBasis.labels)
        raise DocumentError(f"公开依据“{basis}”无效，应为以下之一：{choices}")
    note = (note or "").strip()
    if not note:
        raise DocumentError("请写明公开依据的具体内容（如法律法规的条款、权利人同意的书面材料）")
    with transaction.atomic():
        doc = lock_document(document)
        _expect(doc, BASIS)
        scan = (
            ReviewStep.objects.filter(document=doc, kind=ReviewStepKind.SCAN)
            .order_by("-at", "-id")
            .first()
        )
        hits = scan.hits if scan else []
        record_step(doc, ReviewStepKind.BASIS, actor, note=note, hits=hits, basis=basis)
        label = LegalBasis(basis).label
        audit(
            actor,
            action="document.basis_recorded",
            target=doc,
            message=f"{doc.name}记录个人信息公开依据：{label}（{note}）",
            agency=doc.agency,
            data={"basis": basis, "blocking": len(blocking_entries(hits))},
            ip=ip,
        )
        _set_state(doc, S.SIGN_OFF)
    return doc


def _refresh_validity(doc: Document, day: date) -> None:
    """The cached validity of the text, as the registry's rules give it for ``day``."""
    try:
        state, since = status_on(to_core(doc), day)
    except ValidityError as exc:
        raise DocumentError(str(exc)) from exc
    doc.validity, doc.validity_since = state.value, since


def document_publish(
    *, actor: Any, document: Document, day: date | None = None, ip: str | None = None
) -> Document:
    """The head signs off and publishes: 待签发 → 已发布, ``published_on`` = ``day`` (default
    today; not in the future, not before the 成文日期). The cached validity is recomputed and,
    when the text revises another, that one becomes 已修订 (decided by this text). Refused for
    a text that is not 主动公开, and when the text now holds personal information the last
    scan did not find (the scan is run again)."""
    require(actor, document.agency_id, DECIDING_ROLES, "签发和发布文件")
    now = today()
    day = day or now
    with transaction.atomic():
        doc = lock_document(document)
        _expect(doc, PUBLISH)
        _publishable(doc)
        if day > now:
            raise DocumentError(f"发布日期（{day}）不能晚于今天（{now}）")
        if day < doc.written_on:
            raise DocumentError(f"发布日期（{day}）不能早于成文日期（{doc.written_on}）")
        new = uncovered(doc, scan_for(doc))
        if new:
            raise DocumentError(
                f"{doc.name}在个人信息扫描后有变化，发现须处理的个人信息：{describe(new)}；"
                "请退回修改后重新提交审查"
            )
        record_step(doc, ReviewStepKind.SIGN_OFF, actor)
        audit(
            actor,
            action="document.signed_off",
            target=doc,
            message=f"{doc.name}签发",
            agency=doc.agency,
            ip=ip,
        )
        doc.published_on = day
        _refresh_validity(doc, now)
        _set_state(doc, S.PUBLISHED, "published_on", "validity", "validity_since")
        record_step(doc, ReviewStepKind.PUBLISH, actor, note=f"发布日期 {day}")
        audit(
            actor,
            action="document.published",
            target=doc,
            message=f"{doc.name}发布（{day}）",
            agency=doc.agency,
            data={"published_on": day.isoformat(), "validity": doc.validity},
            ip=ip,
        )
        if doc.revises_id:
            mark_revised(document=doc, actor=actor, day=day)
    return doc


def document_return(
    *, actor: Any, document: Document, note: str, ip: str | None = None
) -> Document:
    """Return a text under review to be corrected (个人信息核查/待签发 → 已退回); once
    corrected it is submitted, reviewed and scanned again. Its reviewers (保密审查员、负责人);
    the reason is required."""
    require(actor, document.agency_id, RETURNING_ROLES, "退回文件")
    note = (note or "").strip()
    if not note:
        raise DocumentError("请写明退回的理由和需要修改的内容")
    with transaction.atomic():
        doc = lock_document(document)
        _expect(doc, RETURN)
        _set_state(doc, S.RETURNED)
        record_step(doc, ReviewStepKind.RETURN, actor, passed=False, note=note)
        audit(
            actor,
            action="document.returned",
            target=doc,
            message=f"{doc.name}退回修改：{note}",
            agency=doc.agency,
            ip=ip,
        )
    return doc


def document_take_down(
    *, actor: Any, document: Document, reason: str, ip: str | None = None
) -> Document:
    """Take a published text off the public pages (已发布 → 已撤下), e.g. personal
    information published without a basis (2025年政务公开工作要点: 清理不当公开的信息). The
    head decides; the reason is required and audited. The registry keeps the text."""
    require(actor, document.agency_id, DECIDING_ROLES, "撤下已发布的文件")
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError("请填写撤下的理由")
    with transaction.atomic():
        doc = lock_document(document)
        _expect(doc, TAKE_DOWN)
        _set_state(doc, S.TAKEN_DOWN)
        record_step(doc, ReviewStepKind.TAKE_DOWN, actor, note=reason)
        audit(
            actor,
            action="document.taken_down",
            target=doc,
            message=f"{doc.name}撤下：{reason}",
            agency=doc.agency,
            data={"published_on": doc.published_on.isoformat() if doc.published_on else None},
            ip=ip,
        )
    return doc
