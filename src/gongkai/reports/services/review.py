"""The review of a report (submit, return, accept, publish; 第四十九条: departments publish by 31
January, governments by 31 March), its withdrawal after publication, and the acknowledgement
of amendments to a published year.

None of submit, accept or publish is allowed while the year is running or the report has an
error — the narrative's unfinished marks included (:func:`.base.evaluate`). Publishing is
irreversible for the public record, so the head confirms it explicitly (``confirmed``); a
published report can be withdrawn only with a reason, which the public list then shows.
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
    ReportWithdrawal,
)
from .base import (
    E,
    ReportError,
    _load,
    _must,
    _save,
    _user,
    evaluate,
    report_document,
    report_of,
)

#: The statement the head ticks before publishing (the publish form's checkbox).
PUBLISH_CONFIRMATION = "我已核对报告内容，确认向社会公开发布"

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
        _year_over(ar, "报送")
        doc = report_of(ar)
        findings = _checked(ar, doc, "报送")
        ar.status, ar.submitted_at = ReportStatus.SUBMITTED, timezone.now()
        return _save(ar, doc, actor, f"报送{above.name}审核", ip=ip, findings=findings)


def report_return(
    *, actor: Any, report: AnnualReport | int, comment: str, ip: str | None = None
) -> AnnualReport:
    """The supervising office sends the report back with what to change: a submitted one,
    or one it accepted that is not yet published (its cases changed meanwhile, say: the
    office can recount only a report it may edit)."""
    _must(bool(comment.strip()), "退回时请填写修改意见")
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_review(viewer, ar.agency), "只有上级政府公开工作机构可以审核年度报告")
        _must(
            ar.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
            "只有已报送待审核、或审核通过尚未发布的报告可以退回",
        )
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
    *, actor: Any, report: AnnualReport | int, confirmed: bool = False, ip: str | None = None
) -> AnnualReport:
    """The head publishes the accepted report (a top-level government: its checked draft),
    once its year has ended and after confirming :data:`PUBLISH_CONFIRMATION`. From now on
    the year's cases are locked (:mod:`gongkai.reports.lock`)."""
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_sign(viewer, ar.agency), "只有本机关公开工作机构负责人可以发布年度报告")
        top = sel.supervising_agency(ar.agency) is None
        ok = ar.status == ReportStatus.ACCEPTED or (top and ar.editable)
        _must(ok, "报告须经上级政府公开工作机构审核通过后才能发布")
        _year_over(ar, "发布")
        doc = report_of(ar)
        findings = _checked(ar, doc, "发布")
        _must(
            confirmed,
            f"发布前请核对报告内容，并勾选“{PUBLISH_CONFIRMATION}”：发布后报告即向社会公开，"
            f"{ar.year}年度的申请数据随之锁定，此后的更正须填写理由并记入年报更正记录",
        )
        ar.status, ar.published_at = ReportStatus.PUBLISHED, timezone.now()
        return _save(ar, doc, actor, "发布", ip=ip, findings=findings)


def report_withdraw(
    *, actor: Any, report: AnnualReport | int, reason: str, ip: str | None = None
) -> AnnualReport:
    """The head withdraws a published report, giving the reason.

    《政府信息公开条例》 has no withdrawal rule, but the report is a public document (第五十条):
    the withdrawal is kept (:class:`ReportWithdrawal`, with the version withdrawn), shown in
    the report's history and on the public list with its reason, and audited. The report is
    editable again (status 已撤回发布) and goes through submission and publication anew; its
    year is no longer locked, and the amendments recorded meanwhile stay on record."""
    reason = reason.strip()
    _must(bool(reason), "撤回发布须填写撤回理由（将记入办理记录，并在门户网站的报告列表中公开）")
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_sign(viewer, ar.agency), "只有本机关公开工作机构负责人可以撤回发布年度报告")
        _must(ar.status == ReportStatus.PUBLISHED, "只有已发布的报告可以撤回发布")
        _must(
            ar.source == ReportSource.COMPUTED,
            "导入的已发布报告是在别处发布的，不能在本平台撤回；如导入有误，请重新导入正确的文件",
        )
        ReportWithdrawal.objects.create(
            report=ar,
            reason=reason,
            published_at=ar.published_at,
            document=report_document(ar),
            actor=_user(actor),
        )
        ar.status, ar.published_at = ReportStatus.WITHDRAWN, None
        return _save(ar, report_of(ar), actor, "撤回发布", comment=reason, ip=ip)


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
