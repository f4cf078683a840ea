"""Every read of an applicant's personal data goes through here, and each is audited.

《中华人民共和国个人信息保护法》第十条、第五十一条: personal information is processed only as
the task requires, with access controls and records. An applicant's full identity, the
identity documents and application forms they filed, are shown only to the office of the
case's agency (:func:`gongkai.cases.access.may_view_identity`); each showing writes an audit
entry naming who, which case and what. Lists and pages show the masked columns only.
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.scope import viewer_for
from gongkai.audit.services import audit_record

from .access import case_roles, may_view_identity
from .models import Attachment, AttachmentKind, Case
from .services.base import CaseError, load_in_scope

IDENTITY_FIELDS = ("applicant_name", "contact_person", "id_number", "phone", "email", "address")


#: Attachments that show the applicant's identity: only who may see the identity panel may
#: download them. An application form carries the same data (name, ID number, address) as
#: the identity proof.
IDENTITY_KINDS = frozenset({AttachmentKind.IDENTITY_PROOF, AttachmentKind.APPLICATION})


def case_view_identity(*, actor: Any, case: Case, ip: str | None = None) -> dict[str, str]:
    """The applicant's full identity data, for office staff of the case's agency; audited."""
    refused = CaseError("只有受理机关的公开工作人员可以查看申请人的完整身份信息")
    try:
        case, _, roles = load_in_scope(case, actor, lock=False)
    except CaseError as exc:
        raise refused from exc
    if not may_view_identity(roles):
        raise refused
    audit_record(
        actor=actor,
        action="case.identity_viewed",
        target=case,
        agency=case.agency,
        message=f"{case.number}：查看申请人完整身份信息",
        ip=ip,
    )
    return {f: getattr(case, f) for f in IDENTITY_FIELDS}


def attachment_to_download(
    *, actor: Any, case: Case, attachment_id: int, ip: str | None = None
) -> Attachment | None:
    """A file of ``case`` (which ``actor`` may see) to hand out, audited; None when there is
    no such file or it is an identity document ``actor`` may not open (the same answer)."""
    found = Attachment.objects.filter(pk=attachment_id, case=case).first()
    if found is None:
        return None
    if found.kind in IDENTITY_KINDS:
        roles = case_roles(viewer_for(actor), case, {x.unit_id for x in case.assignments.all()})
        if not may_view_identity(roles):
            return None
    audit_record(
        actor=actor,
        action="case.file_downloaded",
        target=found,
        agency=case.agency,
        message=f"{case.number}：下载材料“{found.original_name}”（{found.get_kind_display()}）",
        data={"case": case.pk, "attachment": found.pk, "kind": found.kind},
        ip=ip,
    )
    return found
