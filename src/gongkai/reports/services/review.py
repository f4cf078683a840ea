"""The review of a report (submit, return, accept, publish; 第四十九条: departments publish by 31
January, governments by 31 March) and the acknowledgement of amendments to a published year.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scope import viewer_for
from gongkai.audit.services import audit_record
from gongkai.core.report.schema import (
    Finding,
    Report,
    cell_label,
)

from .. import selectors as sel
from ..compute import count_tables
from ..models import (
    Amendment,
    AnnualReport,
    ReportScope,
    ReportSource,
    ReportStatus,
)
from .base import E, ReportError, _load, _must, _save, _user, evaluate, report_of

# --- review -------------------------------------------------------------------------------


def _checked(ar: AnnualReport, doc: Report, step: str) -> list[Finding]:
    """The findings of ``doc``; refuses ``step`` when any is an error."""
    findings = evaluate(ar, doc)
    errors = [f for f in findings if f.severity is E]
    if errors:
        head = "；".join(f.message for f in errors[:3])
        more = f"等{len(errors)}个错误" if len(errors) > 3 else ""
        raise ReportError(f"报告检查发现错误，不能{step}：{head}{more}")
    return findings


def _year_over(ar: AnnualReport, step: str) -> None:
    """Refuse ``step`` while the report's year is still running: its figures are the whole
    year's (《政府信息公开条例》第四十九条、第五十条: the report of the *previous* year, due by
    31 January or 31 March), and publishing locks the year's cases."""
    today = timezone.localdate()
    _must(
        today.year > ar.year,
        f"{ar.year}年尚未结束（今天是{today}），该年度的年度报告须在年度结束后{step}"
        "（《政府信息公开条例》第四十九条：于次年1月31日或3月31日前报送、公布上一年度的报告）",
    )


def report_submit(*, actor: Any, report: AnnualReport | int, ip: str | None = None) -> AnnualReport:
    """The head sends the report to the supervising office (no errors allowed), once its year
    has ended."""
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_sign(viewer, ar.agency), "只有本机关公开工作机构负责人可以报送年度报告")
        _must(ar.editable, f"报告{ar.get_status_display()}，不能报送")
        above = sel.supervising_agency(ar.agency)
        _must(above is not None, "本机关没有上级政府，检查无误后可直接发布")
        doc = report_of(ar)
        findings = _checked(ar, doc, "报送")
        _year_over(ar, "报送")
        ar.status, ar.submitted_at = ReportStatus.SUBMITTED, timezone.now()
        return _save(ar, doc, actor, f"报送{above.name}审核", ip=ip, findings=findings)


def report_return(
    *, actor: Any, report: AnnualReport | int, comment: str, ip: str | None = None
) -> AnnualReport:
    """The supervising office sends the report back with what to change."""
    _must(bool(comment.strip()), "退回时请填写修改意见")
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_review(viewer, ar.agency), "只有上级政府公开工作机构可以审核年度报告")
        _must(ar.status == ReportStatus.SUBMITTED, "只有已报送待审核的报告可以退回")
        ar.status, ar.comment = ReportStatus.RETURNED, comment.strip()
        return _save(ar, report_of(ar), actor, "退回修改", comment=comment.strip(), ip=ip)


def report_accept(
    *, actor: Any, report: AnnualReport | int, comment: str = "", ip: str | None = None
) -> AnnualReport:
    """The supervising office accepts the report (no errors allowed)."""
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_review(viewer, ar.agency), "只有上级政府公开工作机构可以审核年度报告")
        _must(ar.status == ReportStatus.SUBMITTED, "只有已报送待审核的报告可以审核通过")
        doc = report_of(ar)
        findings = _checked(ar, doc, "审核通过")
        comment = comment.strip()
        ar.status, ar.accepted_at, ar.comment = ReportStatus.ACCEPTED, timezone.now(), comment
        return _save(ar, doc, actor, "审核通过", comment=comment, ip=ip, findings=findings)


def report_publish(
    *, actor: Any, report: AnnualReport | int, ip: str | None = None
) -> AnnualReport:
    """The head publishes the accepted report (a top-level government: its checked draft).
    From now on the year's cases are locked (:mod:`gongkai.reports.lock`)."""
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_sign(viewer, ar.agency), "只有本机关公开工作机构负责人可以发布年度报告")
        top = sel.supervising_agency(ar.agency) is None
        ok = ar.status == ReportStatus.ACCEPTED or (top and ar.editable)
        _must(ok, "报告须经上级政府公开工作机构审核通过后才能发布")
        doc = report_of(ar)
        findings = _checked(ar, doc, "发布")
        _year_over(ar, "发布")
        ar.status, ar.published_at = ReportStatus.PUBLISHED, timezone.now()
        return _save(ar, doc, actor, "发布", ip=ip, findings=findings)


# --- amendments ---------------------------------------------------------------------------


def amendment_acknowledge(
    *, actor: Any, amendment: Amendment | int, ip: str | None = None
) -> Amendment:
    """The head of the office acknowledges a change made to a published year."""
    viewer = viewer_for(actor)
    pk = amendment.pk if isinstance(amendment, Amendment) else amendment
    with transaction.atomic():
        a = Amendment.objects.select_for_update().select_related("agency").get(pk=pk)
        _must(sel.can_sign(viewer, a.agency), "只有本机关公开工作机构负责人可以确认年报更正")
        _must(a.acknowledged_at is None, "这条更正已经确认过")
        a.acknowledged_by, a.acknowledged_at = _user(actor), timezone.now()
        a.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=actor,
            action="report.amendment_acknowledged",
            target=a,
            agency=a.agency,
            message=f"确认{a.year}年度年报更正：{a.what}",
            ip=ip,
        )
    return a


def live_differences(ar: AnnualReport) -> list[tuple[str, Any, Any]]:
    """For a published computed report: cells whose count today differs from what was
    published (after amendments), as (label, published, now)."""
    if ar.scope != ReportScope.AGENCY or ar.source != ReportSource.COMPUTED:
        return []
    doc = report_of(ar)
    fresh = count_tables(ar.year, [ar.agency_id]).cells[ar.agency_id]
    return [
        (cell_label(cid), doc.value(cid), cell.value)
        for cid, cell in fresh.items()
        if doc.value(cid) != cell.value
    ]
