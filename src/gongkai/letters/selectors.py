"""Reading letters. A letter to the applicant names them and gives their address: only the
office of the case's agency opens it, and every opening is audited
(《中华人民共和国个人信息保护法》第五十一条; see :mod:`gongkai.cases.personal`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from gongkai.accounts.scope import OFFICE_ROLES, viewer_for
from gongkai.audit.services import audit_record
from gongkai.cases.access import case_roles
from gongkai.cases.models import Case

from .models import Letter


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
