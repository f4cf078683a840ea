"""Decided changes of a government document's validity, 清理 batches and the daily job.

- :func:`validity_decide`: 废止 or 宣布失效 of a published text, by the office head, with its
  deciding document (决定文件); the core (:mod:`gongkai.core.validity`) refuses a change from a
  final state, naming both states.
- :func:`mark_revised`: when a revising text is published, the text it revises becomes 已修订,
  decided by the revising text.
- :func:`cleanup_run` / :func:`cleanup_publish`: a 清理 decides many texts at once; the ones
  the rules refuse are kept with the reason, and the result list (清理结果) is published.
- :func:`refresh_validity`: the daily job (``gongkai remind``) moves the texts whose state
  changes by date alone (施行 reached, 有效期 passed, a decision dated in the future reached).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.core import validity as core
from gongkai.core.validity import Decision, Validity, ValidityError

from ..access import DECIDING_ROLES
from ..models import Cleanup, Document, ValidityChange
from .base import DocumentError, audit, require, today
from .registry import ISSUED_STATES, cache_validity, issued, lock_document, status_on, to_core

log = logging.getLogger(__name__)


# --- decided changes of validity -------------------------------------------------------------


def _target(target: Validity | str) -> Validity:
    try:
        return Validity(target)
    except ValueError:
        raise DocumentError(f"效力状态“{target}”无效") from None


def _decision(title: str, number: str) -> Decision:
    title, number = (title or "").strip(), (number or "").strip()
    if len(title) > 300 or len(number) > 80:
        raise DocumentError("决定文件的标题不能超过 300 个字，文号不能超过 80 个字")
    try:
        return Decision(title, number)
    except ValidityError as exc:
        raise DocumentError(str(exc)) from exc


def _record_change(
    document: Document,
    updated: core.Document,
    event: core.ValidityEvent,
    actor: Any,
    cleanup: Cleanup | None = None,
) -> ValidityChange:
    """Write one decided change and today's state it leads to (inside the caller's step)."""
    change = ValidityChange.objects.create(
        document=document,
        day=event.day,
        target=event.target.value,
        decision_title=event.decision.title,
        decision_number=event.decision.number,
        cleanup=cleanup,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    cache_validity(document, updated)
    return change


def validity_decide(
    *,
    actor: Any,
    document: Document,
    target: Validity,
    day: date,
    decision_title: str,
    decision_number: str = "",
    ip: str | None = None,
) -> ValidityChange:
    """废止 or 宣布失效 of a published text, by the head of its office, with the deciding
    document. 已修订 comes from publishing the revising text (:func:`mark_revised`)."""
    target = _target(target)
    if target not in (Validity.EXPIRED, Validity.REPEALED):
        raise DocumentError(
            "这里只能废止文件或宣布文件失效；修订请新建修订后的文本，"
            "其发布后原文件自动标记为“已修订”"
        )
    decision = _decision(decision_title, decision_number)
    with transaction.atomic():
        locked = lock_document(document)
        require(actor, locked.agency_id, DECIDING_ROLES, "变更文件效力")
        if locked.review_state not in ISSUED_STATES:
            raise DocumentError(f"{locked.name}尚未发布，只能变更已发布文件的效力")
        try:
            updated = core.apply_decision(to_core(locked), target, day, decision)
        except ValidityError as exc:
            raise DocumentError(str(exc)) from exc
        change = _record_change(locked, updated, updated.events[-1], actor)
        audit(
            actor,
            action="document.validity_changed",
            target=locked,
            agency=locked.agency,
            message=f"{locked.name}自 {day} 起{target.label}（决定文件：{decision}）",
            data={"target": target.value, "day": day.isoformat(), "change": change.pk},
            ip=ip,
        )
    return change


def mark_revised(*, document: Document, actor: Any, day: date) -> ValidityChange | None:
    """Mark the text ``document`` revises as 已修订, when ``document`` is published on ``day``
    (call inside the publishing transaction); None when it revises nothing, or when the
    earlier text had already ended (its 有效期 passed, or repealed) by then.

    The earlier text stays in force until the revising one applies: the change is dated the
    later of the revising text's 施行日期 and ``day`` (a text binds no one before it is
    published), and the deciding document is the revising text itself. On that day the
    revising text is in force, as :func:`core.check_registry` requires of every 已修订 mark;
    a date in the future is reached by :func:`refresh_validity`.
    """
    if document.revises_id is None:
        return None
    old = lock_document(document.revises_id)
    new_doc, old_doc = to_core(document), to_core(old)
    when = max(document.effective_on, day)
    if status_on(old_doc, when)[0].is_final:
        return None
    new_state = status_on(new_doc, when)[0]
    if new_state.is_final:
        raise DocumentError(
            f"{document.name}在 {when} 已是“{new_state.label}”，不能据此将{old.name}标记为已修订"
        )
    decision = Decision(document.title, document.doc_number)
    try:
        updated = core.apply_decision(old_doc, Validity.REVISED, when, decision)
    except ValidityError as exc:
        raise DocumentError(str(exc)) from exc
    change = _record_change(old, updated, updated.events[-1], actor)
    audit(
        actor,
        action="document.validity_changed",
        target=old,
        agency=old.agency,
        message=f"{old.name}自 {when} 起已修订（修订文本：{document.name}）",
        data={"target": Validity.REVISED.value, "day": when.isoformat(), "by": document.pk},
    )
    return change


# --- 清理 -------------------------------------------------------------------------------------


def _cleanup_rows(agency: Agency, documents: list[Document]) -> tuple[list[int], dict[int, Any]]:
    ids = [d.pk for d in documents]
    rows = {
        d.pk: d
        for d in Document.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .prefetch_related("validity_changes")
    }
    foreign = [pk for pk in ids if pk not in rows or rows[pk].agency_id != agency.pk]
    if foreign:
        raise DocumentError(f"所选文件中有 {len(foreign)} 件不是本机关的文件，未作清理")
    return ids, rows


def cleanup_run(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    target: Validity,
    day: date,
    decision_title: str,
    decision_number: str = "",
    documents: list[Document],
    ip: str | None = None,
) -> Cleanup:
    """One 清理 decision (宣布失效 or 废止) over many published texts of ``agency``.

    Each text is decided on its own (:func:`core.clean_up`): the ones that may change get a
    :class:`ValidityChange` linked to the batch, the others are listed in ``refused`` with the
    reason. Refused outright when none of them may change.
    """
    title = (title or "").strip()
    if not title:
        raise DocumentError("请填写清理名称")
    target = _target(target)
    decision = _decision(decision_title, decision_number)
    if not documents:
        raise DocumentError("请选择要清理的文件")
    with transaction.atomic():
        require(actor, agency.pk, DECIDING_ROLES, "决定文件清理")
        ids, rows = _cleanup_rows(agency, documents)
        refused = [
            {"document_id": pk, "title": rows[pk].title, "reason": "尚未发布的文件不能清理"}
            for pk in ids
            if rows[pk].review_state not in ISSUED_STATES
        ]
        listed = [to_core(rows[pk]) for pk in ids if rows[pk].review_state in ISSUED_STATES]
        try:
            outcome = core.clean_up(listed, target, day, decision)
        except ValidityError as exc:
            raise DocumentError(str(exc)) from exc
        refused += [
            {"document_id": int(r.ref), "title": rows[int(r.ref)].title, "reason": r.reason}
            for r in outcome.refused
        ]
        if not outcome.applied:
            reasons = "；".join(f"《{r['title']}》：{r['reason']}" for r in refused)
            raise DocumentError(f"所选文件都不能变更，未作清理：{reasons}")
        cleanup = Cleanup.objects.create(
            agency=agency,
            title=title,
            target=target.value,
            day=day,
            decision_title=decision.title,
            decision_number=decision.number,
            refused=refused,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        for result in outcome.applied:
            doc = result.document
            _record_change(rows[int(result.ref)], doc, doc.events[-1], actor, cleanup)
        audit(
            actor,
            action="document.cleanup",
            target=cleanup,
            agency=agency,
            message=(
                f"文件清理“{title}”：{len(outcome.applied)} 件自 {day} 起{target.label}"
                f"（决定文件：{decision}）" + (f"，{len(refused)} 件未能变更" if refused else "")
            ),
            data={
                "applied": [int(r.ref) for r in outcome.applied],
                "refused": [r["document_id"] for r in refused],
            },
            ip=ip,
        )
    return cleanup


def cleanup_publish(*, actor: Any, cleanup: Cleanup, ip: str | None = None) -> Cleanup:
    """Publish a 清理 batch's result list (清理结果) today."""
    with transaction.atomic():
        locked = Cleanup.objects.select_for_update().select_related("agency").get(pk=cleanup.pk)
        require(actor, locked.agency_id, DECIDING_ROLES, "公布文件清理结果")
        if locked.published_on is not None:
            raise DocumentError(f"清理“{locked.title}”的结果已于 {locked.published_on} 公布")
        locked.published_on = today()
        locked.save(update_fields=["published_on"])
        audit(
            actor,
            action="document.cleanup_published",
            target=locked,
            agency=locked.agency,
            message=f"公布文件清理“{locked.title}”的结果（{locked.changes.count()} 件）",
            ip=ip,
        )
    return locked


# --- the daily job --------------------------------------------------------------------------


def _why(doc: core.Document, state: Validity, since: date | None) -> str:
    if state is Validity.IN_FORCE and since == doc.effective:
        return f"施行日期 {doc.effective}"
    if (
        state is Validity.EXPIRED
        and doc.expires is not None
        and since == doc.expires + timedelta(1)
    ):
        return f"有效期至 {doc.expires}"
    decided = [e for e in doc.events if e.day == since and e.target is state]
    return f"决定文件{decided[-1].decision}" if decided else f"自 {since} 起"


def _refresh_one(pk: int, day: date) -> bool:
    """Recompute one text's cached state for ``day`` (its own transaction); True if the state
    changed. A first day that was missing or wrong alone is corrected without an entry."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("agency")
            .prefetch_related("validity_changes")
            .get(pk=pk)
        )
        doc = to_core(document)
        state, since = status_on(doc, day)
        before = Validity(document.validity)
        if (state.value, since) == (document.validity, document.validity_since):
            return False
        document.validity, document.validity_since = state.value, since
        document.save(update_fields=["validity", "validity_since", "updated_at"])
        if state is before:
            return False
        audit(
            None,
            action="document.validity_refreshed",
            target=document,
            agency=document.agency,
            message=(
                f"{document.name}按日期由“{before.label}”变为“{state.label}”"
                f"（{_why(doc, state, since)}）"
            ),
            data={"from": before.value, "to": state.value, "since": str(since or "")},
        )
    return True


def _stale(day: date, rows: Iterable[Document]) -> list[tuple[int, bool]]:
    """(id, whether the state itself changes) of the texts whose cache is out of date."""
    out = []
    for document in rows:
        try:
            state, since = status_on(to_core(document), day)
        except ValidityError:
            # A stored history the core refuses is a data error to fix by hand; the job
            # goes on with the other texts.
            log.exception("政府文件 %s 的效力记录有误，未能按日期刷新", document.pk)
            continue
        if (state.value, since) != (document.validity, document.validity_since):
            out.append((document.pk, state.value != document.validity))
    return out


def refresh_validity(day: date | None = None, *, dry_run: bool = False) -> int:
    """The daily job: store the state of every issued text whose state changed by date
    (施行日期 reached, 有效期 passed, a decision dated in the future reached), one audit
    entry each (no actor); the number of texts changed (or, ``dry_run``, to change).

    Only texts cached as 尚未施行 or 现行有效 can change by date: the others are final.
    """
    day = day or today()
    rows = (
        issued()
        .filter(validity__in=[Validity.NOT_YET_IN_FORCE, Validity.IN_FORCE])
        .prefetch_related("validity_changes")
        .order_by("id")
    )
    stale = _stale(day, rows.iterator(chunk_size=500))
    if dry_run:
        return sum(moved for _, moved in stale)
    return sum(_refresh_one(pk, day) for pk, _ in stale)


def daily_run_receiver(
    sender: Any, *, day: date, dry_run: bool = False, **kwargs: Any
) -> list[str]:
    """``gongkai remind``'s hook (:data:`gongkai.cases.signals.daily_run`): the automatic
    施行 and 失效 of the registry's texts, for the real today like the case clocks."""
    count = refresh_validity(dry_run=dry_run)
    if not count:
        return []
    if dry_run:
        return [f"政府文件：将有 {count} 件按日期变更效力状态（施行或到期失效），预演未写入"]
    return [f"政府文件：{count} 件按日期变更了效力状态（施行或到期失效）"]


def expiring_soon(agency_ids: list[int], day: date | None = None) -> list[Document]:
    """Texts in force whose 有效期 ends within 6 months of ``day`` (the core's
    :data:`~gongkai.core.validity.EXPIRY_WARNING_MONTHS`), soonest first, for the dashboard."""
    day = day or today()
    horizon = day + timedelta(days=31 * core.EXPIRY_WARNING_MONTHS)
    rows = (
        issued()
        .filter(
            agency_id__in=agency_ids,
            validity__in=[Validity.NOT_YET_IN_FORCE, Validity.IN_FORCE],
            expires_on__gte=day,
            expires_on__lte=horizon,
            written_on__lte=day,
        )
        .select_related("agency", "policy")
        .prefetch_related("validity_changes")
        .order_by("expires_on", "id")
    )
    return [d for d in rows if core.validity_on(to_core(d), day).warnings]
