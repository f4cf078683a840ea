"""Reading letters. A letter to the applicant names them and gives their address: only the
office of the case's agency opens it, and every opening is audited
(《中华人民共和国个人信息保护法》第五十一条; see :mod:`gongkai.cases.personal`). The same holds
for the preview of a reply letter before sign-off."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied

from gongkai.accounts.scope import OFFICE_ROLES, viewer_for
from gongkai.audit.services import audit_record
from gongkai.cases.access import case_roles
from gongkai.cases.models import Case

from .models import Letter
from .services.making import Composed
from .services.preview import reply_preview


def letter_to_open(
    *, actor: Any, case: Case, letter_id: int, ip: str | None = None
) -> Letter | None:
    """Letter ``letter_id`` of ``case`` (which ``actor`` may see), or None if the case has
    none such; PermissionDenied for a letter to the applicant opened by someone outside the
    office. Opening a letter to the applicant is audited."""
    letter = Letter.objects.filter(pk=letter_id, case=case).first()
    if letter is None or not letter.to_applicant:
        return letter
    if not case_roles(viewer_for(actor), case) & OFFICE_ROLES:
        raise PermissionDenied("致申请人的文书含申请人身份信息，仅受理机关公开工作人员可以查看")
    audit_record(
        actor=actor,
        action="letter.opened",
        target=letter,
        agency=case.agency,
        message=f"{case.number}：查看{letter.title}（{letter.number}）",
        ip=ip,
    )
    return letter


def reply_preview_to_open(
    *, actor: Any, case: Case, day: date, ip: str | None = None
) -> Composed | None:
    """The full preview of ``case``'s reply letter (which ``actor`` may see) as it would be
    signed on ``day``, or None when no draft awaits sign-off; PermissionDenied for anyone
    outside the office (it names the applicant, like the letter). Audited."""
    if not case_roles(viewer_for(actor), case) & OFFICE_ROLES:
        raise PermissionDenied("答复书预览含申请人身份信息，仅受理机关公开工作人员可以查看")
    preview = reply_preview(case, day)
    if preview is None:
        return None
    audit_record(
        actor=actor,
        action="letter.previewed",
        target=case,
        agency=case.agency,
        message=f"{case.number}：查看{preview.title}草稿（预览）",
        data={"doc_type": preview.doc_type.value, "template_version": preview.template_version},
        ip=ip,
    )
    return preview
