"""The office's reads of online applications. An online application carries the applicant's
full identity and an identity document: only registrars and office heads of its agency see
it, and each look is audited (《中华人民共和国个人信息保护法》第五十一条; see
:mod:`gongkai.cases.personal` for the cases' side)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.audit.services import audit_record
from gongkai.core.workflow import Role

from .models import OnlineApplication, SubmissionStatus


def online_applications(
    user: Any, viewer: Viewer | None = None
) -> QuerySet[OnlineApplication] | None:
    """The submitted online applications ``user`` handles (registrar or office head of their
    agency; platform administrators all); None for anyone else. ``viewer``: ``user``'s, when
    the caller has it already."""
    viewer = viewer or viewer_for(user)
    if not viewer.may_confirm_online:
        return None
    agencies = viewer.agencies_with(Role.REGISTRAR, Role.HEAD)
    qs = OnlineApplication.objects.exclude(status=SubmissionStatus.DRAFT).select_related(
        "agency", "case"
    )
    return qs if viewer.is_platform_admin else qs.filter(agency_id__in=agencies)


def online_application_viewed(*, actor: Any, app: OnlineApplication, ip: str | None) -> None:
    """Record that ``actor`` looked at ``app`` with its full identity data."""
    audit_record(
        actor=actor,
        action="portal.viewed",
        target=app,
        agency=app.agency,
        message=f"查看网上申请 {app.number}",
        ip=ip,
    )


def online_proof_opened(*, actor: Any, app: OnlineApplication, ip: str | None) -> None:
    """Record that ``actor`` downloaded ``app``'s identity document."""
    audit_record(
        actor=actor,
        action="portal.proof_downloaded",
        target=app,
        agency=app.agency,
        message=f"下载网上申请 {app.number} 的身份证明",
        ip=ip,
    )
