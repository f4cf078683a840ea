"""Materials kept with a case: uploads by the office or an assigned handler, and the files
other steps keep (a delivery's signed receipt).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.workflow import Role

from ..models import (
    Attachment,
    AttachmentKind,
    Case,
    EventKind,
)
from .base import (
    AcceptedUpload,
    CaseError,
    accepted_upload,
    load_in_scope,
    today,
)

# --- attachments ---------------------------------------------------------------------------


def attachment_add(
    *, actor: Any, case: Case, kind: str, upload: UploadedFile, ip: str | None = None
) -> Attachment:
    """Keep a file with the case (office staff or an assigned handler)."""
    if kind not in AttachmentKind.values:
        raise CaseError(f"材料类型“{kind}”无效")
    accepted = accepted_upload(upload)
    with transaction.atomic():
        locked, _, roles = load_in_scope(case, actor, lock=True)
        if not roles & {Role.REGISTRAR, Role.HEAD, Role.SECRECY, Role.HANDLER}:
            raise CaseError("您无权为该申请上传材料")
        att = attachment_keep(locked, upload, accepted, kind=kind, actor=actor)
        locked.events.create(
            kind=EventKind.ATTACHED,
            day=today(),
            actor=actor,
            data={"attachment": att.pk},
            note=att.original_name,
        )
        audit_record(
            actor=actor,
            action="case.attached",
            target=locked,
            agency=locked.agency,
            message=f"{locked.number}：上传{AttachmentKind(kind).label}“{att.original_name}”",
            data={"sha256": att.sha256, "size": att.size},
            ip=ip,
        )
    return att


def attachment_keep(
    case: Case,
    upload: UploadedFile,
    accepted: AcceptedUpload,
    *,
    kind: str,
    actor: Any,
    name: str = "",
) -> Attachment:
    """Store an upload that passed :func:`accepted_upload` as a material of ``case`` (inside
    the caller's step); ``name``: the name shown (default: the uploaded file's name)."""
    att = Attachment(
        case=case,
        kind=kind,
        original_name=(name or upload.name or "")[:200],
        content_type=accepted.content_type,
        size=upload.size,
        sha256=accepted.sha256,
        uploaded_by=actor,
    )
    att.file.save(f"{accepted.sha256[:16]}{accepted.ext}", upload, save=False)
    att.save()
    return att
