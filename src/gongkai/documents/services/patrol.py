"""安全巡查: the quarterly re-scan of everything published for personal information.

2025年政务公开工作要点（九）asks agencies to 每季度集中清理不当公开的各类信息; 《中华人民共和国
政府信息公开条例》第十五条 protects personal privacy. A :class:`PatrolRun` scans every
published text again (detectors improve, and texts published before the scan existed were never
scanned) and lists, as :class:`PatrolItem` s, those holding personal information that blocks
publication. A text is left off when a legal basis was recorded for exactly the information it
holds (at publication or by an earlier patrol decision). Each item is then decided by the
agency's head: taken down (:func:`~.review.document_take_down`) or kept with a legal basis.

The platform runs a patrol of all agencies when a quarter has passed since the last one
(:func:`patrol_due`), from the daily job (``gongkai remind``, through
:data:`gongkai.cases.signals.daily_run`; :func:`connect_daily`).
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scope import viewer_for
from gongkai.agencies.models import Agency

from ..access import DECIDING_ROLES, SECRECY_ROLES
from ..models import Document, LegalBasis, PatrolItem, PatrolRun, ReviewState, ReviewStepKind
from .base import DocumentError, audit, require, today
from .review import (
    allow_list_for,
    blocking_entries,
    describe,
    document_take_down,
    record_step,
    scan_for,
    uncovered,
)

#: Who may run a patrol of their agency by hand: the reviewers.
PATROL_ROLES = SECRECY_ROLES | DECIDING_ROLES
#: A patrol is due three months after the last (每季度).
PATROL_MONTHS = 3

Outcome = PatrolItem.Outcome


def _months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def patrol_due(day: date) -> bool:
    """Whether the platform's quarterly patrol (of all agencies) is due on ``day``: none was
    ever run, or three months have passed since the last."""
    last = PatrolRun.objects.filter(agency__isnull=True).order_by("-day", "-id").first()
    return last is None or day >= _months_after(last.day, PATROL_MONTHS)


def _check_runner(actor: Any, agency: Agency | None) -> None:
    if actor is None:
        return  # the platform's own quarterly run
    if agency is None:
        if not viewer_for(actor).is_platform_admin:
            raise DocumentError("只有平台管理员可以对所有机关进行安全巡查")
        return
    require(actor, agency.pk, PATROL_ROLES, "进行安全巡查")


def patrol_run(*, actor: Any = None, agency: Agency | None = None, day: date) -> PatrolRun:
    """Re-scan every published text (of ``agency``, or of all agencies) and list those with
    personal information that blocks publication and no basis covering it. ``actor`` None:
    the platform's quarterly run; else a reviewer of ``agency`` (a platform administrator for
    all agencies). ``day`` may not be in the future."""
    _check_runner(actor, agency)
    if day > today():
        raise DocumentError(f"巡查日期（{day}）不能晚于今天（{today()}）")
    texts = Document.objects.filter(review_state=ReviewState.PUBLISHED).select_related("agency")
    if agency is not None:
        texts = texts.filter(agency=agency)
    # Scanned before the transaction: reading every attachment takes a while, and the
    # database should not stay locked for writing meanwhile.
    scanned, found, allowed = 0, [], {}
    for doc in texts.prefetch_related("attachments").order_by("id").iterator(chunk_size=200):
        scanned += 1
        if doc.agency_id not in allowed:
            allowed[doc.agency_id] = allow_list_for(doc.agency)
        entries = scan_for(doc, allow=allowed[doc.agency_id])
        if uncovered(doc, entries):
            found.append((doc, entries))
    with transaction.atomic():
        run = PatrolRun.objects.create(agency=agency, day=day, actor=actor, scanned=scanned)
        items = [PatrolItem(run=run, document=doc, hits=entries) for doc, entries in found]
        PatrolItem.objects.bulk_create(items)
        scope = agency.name if agency is not None else "全部机关"
        audit(
            actor,
            action="document.patrol",
            target=run,
            message=f"安全巡查（{scope}，{day}）：扫描已发布文件{run.scanned}件，"
            f"发现须整改{len(items)}件",
            agency=agency,
            data={"scanned": run.scanned, "items": len(items)},
        )
    return run


def patrol_decide(
    *,
    actor: Any,
    item: PatrolItem,
    outcome: str,
    note: str,
    basis: str = "",
    ip: str | None = None,
) -> PatrolItem:
    """Decide one item of a patrol (the head of the text's agency): ``taken_down`` takes the
    text off the public pages (``note`` is the reason); ``kept`` keeps it on a legal
    ``basis`` (:class:`LegalBasis`, ``note`` says which provision or consent), recorded on
    the text so later patrols leave the same information alone."""
    document = item.document
    require(actor, document.agency_id, DECIDING_ROLES, "处理巡查整改项")
    note = (note or "").strip()
    if outcome not in (Outcome.TAKEN_DOWN, Outcome.KEPT):
        raise DocumentError(f"处理结果“{outcome}”无效，应为“已撤下”或“有依据保留”")
    if not note:
        raise DocumentError(
            "请写明撤下的理由" if outcome == Outcome.TAKEN_DOWN else "请写明保留的依据内容"
        )
    if outcome == Outcome.KEPT and basis not in LegalBasis.values:
        choices = "、".join(LegalBasis.labels)
        raise DocumentError(f"有依据保留须选择公开依据，应为以下之一：{choices}")
    with transaction.atomic():
        locked = PatrolItem.objects.select_for_update().select_related("document").get(pk=item.pk)
        if locked.outcome != Outcome.OPEN:
            raise DocumentError(f"该整改项已处理（{locked.get_outcome_display()}），不能重复处理")
        doc = locked.document
        if outcome == Outcome.TAKEN_DOWN:
            if doc.review_state != ReviewState.TAKEN_DOWN:
                document_take_down(actor=actor, document=doc, reason=note, ip=ip)
        else:
            record_step(doc, ReviewStepKind.BASIS, actor, note=note, hits=locked.hits, basis=basis)
        locked.outcome, locked.note = outcome, note
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["outcome", "note", "decided_by", "decided_at"])
        found = describe(blocking_entries(locked.hits))
        what = "撤下" if outcome == Outcome.TAKEN_DOWN else f"保留（{LegalBasis(basis).label}）"
        audit(
            actor,
            action="document.patrol_decided",
            target=locked,
            message=f"{doc.name}巡查整改：{what}；{note}；发现：{found}",
            agency=doc.agency,
            data={"outcome": outcome, "basis": basis, "document": doc.pk},
            ip=ip,
        )
    return locked


def daily_run_receiver(
    sender: Any, *, day: date | None = None, dry_run: bool = False, **kwargs: Any
) -> list[str]:
    """The daily job's hook (:data:`gongkai.cases.signals.daily_run`): the quarterly patrol of
    all agencies, when due; the summary lines of the run."""
    day = min(day or today(), today())
    if not patrol_due(day):
        return []
    if dry_run:
        count = Document.objects.filter(review_state=ReviewState.PUBLISHED).count()
        if not count:
            return []
        return [f"安全巡查：本季度巡查到期，将扫描已发布文件 {count} 件，预演未写入"]
    run = patrol_run(day=day)
    if not run.scanned:
        return []  # nothing published yet: the run is recorded, the summary stays short
    return [f"安全巡查：扫描已发布文件 {run.scanned} 件，发现须整改 {run.items.count()} 件"]


def connect_daily() -> None:
    """Hook the quarterly patrol into the daily job (``gongkai remind``); to be called from
    the app's ``ready``."""
    from gongkai.cases.signals import daily_run

    daily_run.connect(daily_run_receiver, dispatch_uid="gongkai.documents.patrol.daily_run")
