"""The personal-information scan of a reply's attachments before it is released.

What an office hands an applicant with its reply (the files it keeps with the case as
“告知书/答复书”: the reply and its enclosures, the disclosed records) may hold third parties'
personal information, which 《中华人民共和国政府信息公开条例》第十五条 keeps from disclosure
unless the third party agrees or the public interest requires it. Before the reply is released
(:func:`release_check`, called when the reply letter is sent: 已答复送达, or sent again after
returned mail) the same scan as before publishing (:func:`gongkai.documents.services.review.
scan_file`, with the agency's own contacts allowed) reads those files; when it finds
information that blocks, the release is refused with a Chinese message listing the hits
(masked, and where they stand) unless the office has recorded a basis for exactly those files
(:func:`reply_attachments_basis`): the applicant's own information being sent to the applicant
is one (it is not a third party's privacy). The scan and the basis are audited as
``letter.attachment_scanned``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.audit.models import AuditEntry
from gongkai.audit.services import audit_record
from gongkai.cases.models import Attachment, AttachmentKind, Case
from gongkai.cases.services import CaseError, case_mark_replied
from gongkai.cases.services.base import Step, begin_office
from gongkai.documents.services.review import (
    allow_list_for,
    blocking_entries,
    describe,
    scan_file,
)

from ..models import Letter

#: The case materials released with a reply: the files the office keeps as 告知书/答复书.
REPLY_ATTACHMENT_KINDS = (AttachmentKind.LETTER,)

#: Why information found in a reply's attachments may be released anyway.
RELEASE_BASES: dict[str, str] = {
    "applicant_own": "申请人本人的信息（不属于条例第十五条所称第三方的个人隐私）",
    "consent": "第三方书面同意公开（条例第十五条、第三十二条）",
    "public_interest": "不公开会对公共利益造成重大影响（条例第十五条）",
    "mandatory": "法律、法规规定应当提供",
}

ACTION = "letter.attachment_scanned"


@dataclass(frozen=True, slots=True)
class AttachmentScan:
    """The scan of a case's reply attachments: every entry (hits and notes, masked), and the
    files it read as ``[id, sha256]`` pairs (a basis holds for exactly these files)."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    files: list[list[Any]] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return blocking_entries(self.entries)


def reply_attachments(case: Case) -> list[Attachment]:
    """The files released with the case's reply."""
    return list(case.attachments.filter(kind__in=REPLY_ATTACHMENT_KINDS).order_by("id"))


def reply_attachment_scan(case: Case) -> AttachmentScan:
    """Scan the case's reply attachments now (what the case page shows the office before it
    releases the reply). A file that cannot be read gives a note, never an exception."""
    allow = allow_list_for(case.agency)
    entries: list[dict[str, Any]] = []
    files: list[list[Any]] = []
    for att in reply_attachments(case):
        entries += scan_file(att.original_name, att.file, att.size, allow)
        files.append([att.pk, att.sha256])
    return AttachmentScan(entries, files)


def recorded_basis(case: Case, scan: AttachmentScan) -> dict[str, Any] | None:
    """The basis the office recorded for exactly the files ``scan`` read, if any (the latest
    one: a new or removed file needs a new basis)."""
    last = (
        AuditEntry.objects.filter(action=ACTION, target_type="case", target_id=str(case.pk))
        .order_by("-id")
        .first()
    )
    if last is None or last.data.get("files") != scan.files:
        return None
    return last.data


def _refusal(scan: AttachmentScan) -> str:
    return (
        f"答复附件中发现须处理的个人信息：{describe(scan.blocking)}。"
        "请删除或打码后重新上传；如属申请人本人的信息或有其他公开依据，"
        "请先记录依据后再发出答复（《中华人民共和国政府信息公开条例》第十五条）"
    )


def _summary(scan: AttachmentScan) -> dict[str, Any]:
    return {
        "files": scan.files,
        "blocking": len(scan.blocking),
        "warnings": sum(e["severity"] == "warn" for e in scan.entries),
        "notes": sum(e["severity"] == "note" for e in scan.entries),
        "hits": [
            {k: e[k] for k in ("kind", "masked", "where", "file")}
            for e in scan.entries
            if e["severity"] != "note"
        ],
    }


def release_check(step: Step, letter: Letter) -> AttachmentScan | None:
    """Before ``letter`` (a reply) is sent: scan the reply attachments and refuse with a
    :class:`CaseError` listing what blocks, unless a basis covers these files. Audited when
    there are attachments; None (and nothing written) when there are none."""
    if not letter.doc.is_reply:
        return None
    case = step.case
    scan = reply_attachment_scan(case)
    if not scan.files:
        return None
    basis = recorded_basis(case, scan) if scan.blocking else None
    if scan.blocking and basis is None:
        raise CaseError(_refusal(scan))
    how = "未发现须处理的个人信息"
    if basis is not None:
        reason = RELEASE_BASES[basis["basis"]]
        how = f"发现须处理的个人信息{len(scan.blocking)}处，已记录依据：{reason}"
    audit_record(
        actor=step.actor,
        action="letter.attachment_scanned",
        target=letter,
        agency=case.agency,
        message=f"{case.number}：发出{letter.title}（{letter.number}）前"
        f"扫描答复附件{len(scan.files)}件，{how}",
        data={**_summary(scan), "basis": basis["basis"] if basis else ""},
        ip=step.ip,
    )
    return scan


def reply_attachments_basis(
    *,
    actor: Any,
    case: Case,
    basis: str,
    note: str = "",
    ip: str | None = None,
) -> AttachmentScan:
    """Record why the personal information in the reply attachments may go to the applicant
    (:data:`RELEASE_BASES`; ``note`` required except for the applicant's own information),
    for the files as they are now. Registrars and heads of the case's agency."""
    if basis not in RELEASE_BASES:
        choices = "、".join(RELEASE_BASES.values())
        raise CaseError(f"公开依据“{basis}”无效，应为以下之一：{choices}")
    note = (note or "").strip()
    if basis != "applicant_own" and not note:
        raise CaseError("请写明依据的具体内容（如第三方同意的书面材料、法律法规的条款）")
    with transaction.atomic():
        step = begin_office(case, actor, what="记录答复附件的公开依据", ip=ip)
        scan = reply_attachment_scan(step.case)
        if not scan.blocking:
            raise CaseError("答复附件中没有须处理的个人信息，无需记录依据")
        audit_record(
            actor=actor,
            action="letter.attachment_scanned",
            target=step.case,
            agency=step.case.agency,
            message=f"{step.case.number}：答复附件含个人信息{len(scan.blocking)}处"
            f"（{describe(scan.blocking)}），依据：{RELEASE_BASES[basis]}"
            + (f"；{note}" if note else ""),
            data={**_summary(scan), "basis": basis, "note": note},
            ip=ip,
        )
    return scan


def reply_release(
    *,
    actor: Any,
    case: Case,
    basis: str = "",
    basis_note: str = "",
    day: date | None = None,
    note: str = "",
    method: str | None = None,
    tracking_number: str = "",
    ip: str | None = None,
    amend_reason: str = "",
) -> Case:
    """已答复送达 with a basis given at once: record ``basis`` for the reply attachments (when
    given and they hold personal information) and release the reply
    (:func:`gongkai.cases.services.case_mark_replied`), in one transaction."""
    with transaction.atomic():
        if basis:
            scan = reply_attachment_scan(case)
            if scan.blocking:
                reply_attachments_basis(actor=actor, case=case, basis=basis, note=basis_note, ip=ip)
        return case_mark_replied(
            actor=actor,
            case=case,
            day=day,
            note=note,
            method=method,
            tracking_number=tracking_number,
            ip=ip,
            amend_reason=amend_reason,
        )
