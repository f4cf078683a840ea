"""Every read of an applicant's personal data goes through here, and each is audited.

《中华人民共和国个人信息保护法》第十条、第五十一条: personal information is processed only as
the task requires, with access controls and records. An applicant's full identity, the
identity documents and application forms they filed, are shown only to the office of the
case's agency (:func:`gongkai.cases.access.may_view_identity`); each showing writes an audit
entry naming who, which case and what. Lists and pages show the masked columns only.

Finding cases by the applicant's exact name or telephone number (:func:`case_search`) is such
a use too: it compares keyed hashes only, for the office of the case's agency only, and each
search that finds a case by the applicant is audited (who, when, how many, which cases; never
the name or number searched for).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import QuerySet

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record

from . import selectors
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


#: How a search matched the applicant, in the audit message.
MATCHED_BY = {"name": "姓名", "phone": "电话"}
#: Case numbers named in one audit entry (the count is always complete).
AUDIT_NUMBERS = 50


class _ApplicantSearch:
    """The audit entry's target: a search by applicant (no model row of its own)."""

    class _meta:
        model_name = "applicant_search"

    def __init__(self, kinds: list[str]) -> None:
        self.pk = "+".join(kinds)


def case_search(
    *,
    actor: Any,
    f: selectors.CaseFilter,
    viewer: Viewer | None = None,
    ip: str | None = None,
) -> QuerySet[Case]:
    """The staff case list for ``f`` (:func:`gongkai.cases.selectors.case_list`), where the
    search text also finds cases by the applicant's exact name or telephone number.

    Only cases whose identity the searcher may see (the office of the case's agency) are
    matched by applicant; the others keep matching by request text and number alone. When
    the applicant matched at least one case, an audit entry (one per agency whose cases were
    found) records who searched, when, how many cases matched by name or telephone and their
    numbers — not the text searched nor its digest
    (《中华人民共和国个人信息保护法》第五十一条: access to personal information is controlled and
    recorded)."""
    viewer = viewer or viewer_for(actor)
    lookup = selectors.applicant_lookup(f.q) if f.q and viewer.office_agency_ids else None
    if lookup is None:
        return selectors.case_list(viewer, f)
    f = replace(f, applicant=lookup)
    found = selectors.case_list(viewer, f)
    matched = list(
        found.filter(selectors.applicant_q(viewer, lookup))
        .order_by("agency_id", "number")
        .values_list("number", "agency_id", "name_digest", "phone_digest")
    )
    if matched:
        _audit_search(actor, lookup, matched, ip)
    return found


def _audit_search(
    actor: Any, lookup: selectors.ApplicantLookup, matched: list[tuple], ip: str | None
) -> None:
    """One entry per agency whose cases were found (each agency's trail shows its own)."""
    by_agency: dict[int, list[tuple]] = {}
    for row in matched:
        by_agency.setdefault(row[1], []).append(row)
    agencies = Agency.objects.in_bulk(list(by_agency))
    for agency_id, rows in by_agency.items():
        kinds = [
            k
            for k, digest, at in (
                ("name", lookup.name_digest, 2),
                ("phone", lookup.phone_digest, 3),
            )
            if digest and any(row[at] == digest for row in rows)
        ]
        numbers = [row[0] for row in rows]
        shown = "、".join(numbers[:AUDIT_NUMBERS]) + ("等" if len(numbers) > AUDIT_NUMBERS else "")
        audit_record(
            actor=actor,
            action="case.applicant_searched",
            target=_ApplicantSearch(kinds),  # type: ignore[arg-type]
            agency=agencies.get(agency_id),
            message=(
                f"按申请人{'或'.join(MATCHED_BY[k] for k in kinds)}查找申请，"
                f"找到 {len(numbers)} 件：{shown}"
            ),
            data={"matched_by": kinds, "count": len(numbers), "cases": numbers[:AUDIT_NUMBERS]},
            ip=ip,
        )
