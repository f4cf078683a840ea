"""Recording reconsiderations and lawsuits about a case (annual report table 四).

《政府信息公开条例》第五十一条: an applicant who considers a reply unlawful may apply for
administrative reconsideration or bring an administrative lawsuit. The office records each
one against the case and, when it ends, its result: upheld (维持), corrected (纠正: revoked,
changed, confirmed unlawful or ordered to reply again) or other (e.g. withdrawn, dismissed on
procedure).

A remedy is counted in table 四 of the year it was filed (第五十条): recording one, or its
result, dated in a year whose report is published is announced through
:data:`gongkai.cases.signals.figures_changing` (:func:`.base.year_lock`) and refused there
unless ``amend_reason`` says why the published year changes.

:data:`gongkai.cases.signals.locked_years_asked` lets the case page ask which years are
locked without cases knowing the annual reports: the reports app answers it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.workflow import Role

from ..models import Case, Remedy, RemedyKind, RemedyResult
from .base import CaseError, check_day, load_in_scope, year_lock

RECORDERS = frozenset({Role.REGISTRAR, Role.HEAD})


def _office(case: Case | int, actor: Any) -> Case:
    found, _, roles = load_in_scope(case, actor, lock=True)
    if not roles & RECORDERS:
        raise CaseError("只有受理机关的登记员或公开工作机构负责人可以登记复议、诉讼")
    return found


def remedy_record(
    *,
    actor: Any,
    case: Case | int,
    kind: str,
    filed_on: date,
    body: str,
    reference: str = "",
    after_reconsideration: bool = False,
    note: str = "",
    ip: str | None = None,
    amend_reason: str = "",
) -> Remedy:
    """A reconsideration or lawsuit about ``case`` was filed on ``filed_on``.

    ``amend_reason``: why a remedy filed in a year whose annual report is published is
    recorded now (the change is then kept as an amendment of that year's report)."""
    if kind not in RemedyKind.values:
        raise CaseError(f"复议诉讼类型“{kind}”不正确")
    if not body.strip():
        raise CaseError("请填写复议机关或受理法院")
    if after_reconsideration and kind != RemedyKind.LITIGATION:
        raise CaseError("只有行政诉讼才有“复议后起诉”")
    with transaction.atomic():
        c = _office(case, actor)
        check_day(filed_on, c, what="申请复议/起诉日期")
        remedy = Remedy.objects.create(
            case=c,
            kind=kind,
            after_reconsideration=after_reconsideration,
            filed_on=filed_on,
            body=body.strip(),
            reference=reference.strip(),
            note=note.strip(),
            recorded_by=actor,
        )
        what = f"登记{remedy.get_kind_display()}（{filed_on}，{remedy.body}）"
        year_lock(c, [filed_on], what, actor, amend_reason)
        _audit(actor, remedy, c, what, ip)
    return remedy


def remedy_decide(
    *,
    actor: Any,
    remedy: Remedy | int,
    result: str,
    decided_on: date | None,
    note: str = "",
    ip: str | None = None,
    amend_reason: str = "",
) -> Remedy:
    """Record how a reconsideration or lawsuit ended (or set it back to pending).

    ``amend_reason`` as for :func:`remedy_record`: a result dated in the year of filing moves
    that year's table 四."""
    if result not in RemedyResult.values:
        raise CaseError(f"结果“{result}”不正确")
    pending = result == RemedyResult.PENDING
    if pending != (decided_on is None):
        raise CaseError("尚未审结的不填审结日期；已审结的请填写审结日期")
    pk = remedy.pk if isinstance(remedy, Remedy) else remedy
    with transaction.atomic():
        r = Remedy.objects.select_for_update().get(pk=pk)
        c = _office(r.case_id, actor)
        if decided_on is not None and check_day(decided_on, what="审结日期") < r.filed_on:
            raise CaseError(f"审结日期（{decided_on}）不能早于申请复议/起诉日期（{r.filed_on}）")
        moved = [d for d in (decided_on, r.decided_on) if d and d.year == r.filed_on.year]
        r.result, r.decided_on = result, decided_on
        if note.strip():
            r.note = f"{r.note}\n{note.strip()}".strip()
        r.save(update_fields=["result", "decided_on", "note"])
        what = f"{r.get_kind_display()}（{r.filed_on}）结果：{r.get_result_display()}"
        year_lock(c, moved, what, actor, amend_reason)
        _audit(actor, r, c, what, ip)
    return r


def _audit(actor: Any, remedy: Remedy, case: Case, what: str, ip: str | None) -> None:
    audit_record(
        actor=actor,
        action="case.remedy",
        target=remedy,
        agency=case.agency,
        message=f"{case.number}：{what}",
        data={"result": remedy.result, "kind": remedy.kind},
        ip=ip,
    )
