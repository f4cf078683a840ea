"""The wording of each kind of letter an agency uses: the platform's default
(:mod:`gongkai.core.doctypes`) or the agency's own newest version, kept as immutable
versions so that every letter records which wording it was made from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai.accounts.scope import viewer_for
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.cases.services import CaseError
from gongkai.core.doctypes import DocType, check_template
from gongkai.core.workflow import Role

from ..models import LetterTemplate


@dataclass(frozen=True)
class Wording:
    title: str
    body: str
    version: int  # 0: the platform's default


def template_for(agency: Agency, doc_type: DocType) -> Wording:
    """The wording ``agency`` uses for ``doc_type``: its newest version, else the default."""
    t = (
        LetterTemplate.objects.filter(agency=agency, doc_type=doc_type.value)
        .order_by("-version")
        .first()
    )
    if t is None:
        return Wording(doc_type.spec.title, doc_type.spec.body, 0)
    return Wording(t.title, t.body, t.version)


def template_save(
    *,
    actor: Any,
    agency: Agency,
    doc_type: DocType,
    title: str,
    body: str,
    note: str = "",
    ip: str | None = None,
) -> LetterTemplate:
    """Save a new version of ``agency``'s wording (heads and administrators of the agency)."""
    viewer = viewer_for(actor)
    if not (viewer.is_platform_admin or viewer.roles_in(agency.pk) & {Role.HEAD, Role.ADMIN}):
        raise CaseError(f"只有{agency.name}的公开工作机构负责人或管理员可以修改文书模板")
    problems = check_template(doc_type, title, body)
    if problems:
        raise CaseError("；".join(problems))
    body = "\n".join(line.rstrip() for line in body.strip().splitlines())
    with transaction.atomic():
        last = (
            LetterTemplate.objects.select_for_update()
            .filter(agency=agency, doc_type=doc_type.value)
            .order_by("-version")
            .first()
        )
        if last and last.title == title.strip() and last.body == body:
            raise CaseError("模板内容没有变化")
        t = LetterTemplate.objects.create(
            agency=agency,
            doc_type=doc_type.value,
            version=(last.version if last else 0) + 1,
            title=title.strip(),
            body=body,
            note=note.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="letter_template.saved",
            target=t,
            agency=agency,
            message=f"修改文书模板“{doc_type.label}”，第 {t.version} 版",
            data={"doc_type": doc_type.value, "version": t.version},
            ip=ip,
        )
    return t
