"""The shared part of the report services: the error, storing a report's document and cells,
reading it back, evaluating it (checks, staleness, area findings), loading it in the actor's
scope.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.core.report import check, compare, from_json
from gongkai.core.report.area import check_area
from gongkai.core.report.draft import placeholders, placeholders_message
from gongkai.core.report.jsonio import to_json
from gongkai.core.report.schema import (
    TABLE2_IDS,
    CellState,
    Finding,
    Report,
    ReportFormat,
    Severity,
    cell_label,
    empty_2021_report,
)

from .. import selectors as sel
from .. import table2_registry as t2r
from ..cells import CellFigureError, content_of, document_of, figures_from_rows, rows_from_document
from ..compute import count_tables
from ..models import (
    AnnualReport,
    ReportCell,
    ReportScope,
    ReportSource,
    ReportStatus,
    ReportStep,
)

E, W = Severity.ERROR, Severity.WARNING
#: Where a report's tables and figures may be relied on by others.
SETTLED = (ReportStatus.ACCEPTED, ReportStatus.PUBLISHED)


class ReportError(ValueError):
    """A refused step on a report; the message (Chinese) says what is wrong."""


# --- reading and evaluating -------------------------------------------------------------


def report_cells_store(report: AnnualReport, document: dict[str, Any]) -> list[ReportCell]:
    """Make the figures of ``document`` (the JSON contract) the report's :class:`ReportCell`
    rows, replacing the old ones in one transaction (:mod:`gongkai.reports.cells`).

    Raises :class:`ReportError` for a figure the rows cannot hold exactly."""
    try:
        rows = rows_from_document(document)
    except CellFigureError as exc:
        raise ReportError(str(exc)) from exc
    with transaction.atomic():
        ReportCell.objects.filter(report=report).delete()
        made = ReportCell.objects.bulk_create(
            ReportCell(
                report=report,
                cell=r.cell,
                value=r.value,
                state=r.state,
                reading=str(r.reading),
                published=r.published,
                recovered_by=r.recovered_by,
                candidates=r.candidates,
            )
            for r in rows
        )
    if "cells" in getattr(report, "_prefetched_objects_cache", {}):
        del report._prefetched_objects_cache["cells"]
    return made


def report_document(ar: AnnualReport) -> dict[str, Any]:
    """The report in the JSON contract ``gongkai.annual-report/1``: the stored document with
    its figures put back from the :class:`ReportCell` rows ({} for a report not yet saved).
    Equal, as JSON, to what :func:`gongkai.core.report.to_json` gave when it was stored."""
    if not ar.document:
        return {}
    return document_of(ar.document, figures_from_rows(ar.cells.all()))


def report_of(ar: AnnualReport) -> Report:
    """The stored report as an engine report."""
    if not ar.document:
        return empty_2021_report(ar.issuer, ar.year)
    return from_json(report_document(ar))


def previous_report(ar: AnnualReport) -> Report | None:
    """Last year's report of the same agency and scope (generated here or imported; for an
    agency outside the tree, the one imported under the same name)."""
    prev = AnnualReport.objects.filter(year=ar.year - 1, scope=ar.scope)
    if ar.agency_id is not None:
        prev = prev.filter(agency=ar.agency_id)
    else:
        prev = prev.filter(agency__isnull=True, agency_name=ar.agency_name)
    found = prev.first()
    return report_of(found) if found and found.document else None


def _table2_findings(report: Report) -> list[Finding]:
    missing = [cid for cid in TABLE2_IDS if report.cell(cid).state is CellState.MISSING]
    if not missing:
        return []
    names = "、".join(cell_label(c) for c in missing[:3]) + ("等" if len(missing) > 3 else "")
    return [Finding("T2_NOT_ENTERED", E, tuple(missing), f"{names}{len(missing)}项尚未填报")]


def _placeholder_findings(ar: AnnualReport, report: Report) -> list[Finding]:
    """A report drafted here whose narrative still holds the draft's marks (“（待填报）”,
    “（请根据本机关实际情况修改）”, the overview's “请在此补充……”): it is not ready to be
    submitted, accepted or published (《政府信息公开条例》第五十条: the report is the agency's
    own public account of its year)."""
    if ar.source != ReportSource.COMPUTED:
        return []
    message = placeholders_message(placeholders(report.narrative))
    return [Finding("NARRATIVE_PLACEHOLDER", E, (), message)] if message else []


def _stale_findings(ar: AnnualReport, report: Report) -> list[Finding]:
    """A computed report whose cases changed after it was counted."""
    if ar.scope != ReportScope.AGENCY or ar.source != ReportSource.COMPUTED:
        return []
    if ar.status == ReportStatus.PUBLISHED:
        return []
    fresh = count_tables(ar.year, [ar.agency_id]).cells[ar.agency_id]
    moved = [cid for cid, cell in fresh.items() if report.value(cid) != cell.value]
    if not moved:
        return []
    return [
        Finding(
            "STALE_FIGURES",
            E,
            tuple(moved),
            f"统计后案件数据有变化（{cell_label(moved[0])}等{len(moved)}项），请重新统计",
        )
    ]


def _area_findings(ar: AnnualReport, report: Report) -> list[Finding]:
    if ar.scope != ReportScope.AREA:
        return []
    members, missing = _area_members(ar.agency, ar.year)
    out = check_area(report, [m for _, m in members]) if members else []
    if missing:
        names = "、".join(a.name for a in missing)
        out.append(
            Finding(
                "AREA_INCOMPLETE",
                E,
                (),
                f"尚有{len(missing)}个单位的年度报告未审核通过，未计入汇总：{names}",
            )
        )
    return out


def evaluate(ar: AnnualReport, report: Report) -> list[Finding]:
    """Every finding on ``report``: the engine's checks, table 二 completeness, marks left in
    the narrative, counting problems, staleness, the cross-year checks, table 二 from the
    registry and, for an area report, the sum check."""
    found = check(report)
    if ar.source == ReportSource.COMPUTED:
        found += _table2_findings(report)
    found += _placeholder_findings(ar, report)
    found += [Finding("COUNT_PROBLEM", E, (), p) for p in report.facts.get("problems", [])]
    found += _stale_findings(ar, report)
    registry = _registry_findings(ar, report)
    prev = previous_report(ar)
    if prev is not None and prev.format is ReportFormat.F2021:
        compared = [f for f in compare(prev, report).findings if f.code != "COMPARE_AGENCY"]
        found += t2r.merge_continuity(compared, registry, report)
    found += registry
    found += _area_findings(ar, report)
    return found


def _registry_findings(ar: AnnualReport, report: Report) -> list[Finding]:
    """Table 二 from the registry (:mod:`gongkai.reports.table2_registry`): not countable,
    entered differently by hand, changed since counted, not continuing last year's
    published report."""
    if t2r.registry_state(report) is None:
        return []
    fresh = t2r.registry_count(ar.agency, ar.year) if t2r.needs_fresh_count(ar, report) else None
    found = t2r.previous_published(ar)
    previous = report_of(found) if found is not None and found.document else None
    return t2r.registry_findings(ar, report, previous=previous, fresh=fresh)


def _save(
    ar: AnnualReport,
    report: Report,
    actor: Any,
    action: str,
    *,
    comment: str = "",
    ip: str | None = None,
    findings: list[Finding] | None = None,
) -> AnnualReport:
    """Store the report — its figures as rows (:func:`report_cells_store`), the rest as the
    document — with its findings (evaluated here unless the step just did), the history step
    and the audit entry."""
    report.findings = evaluate(ar, report) if findings is None else findings
    document = to_json(report)
    ar.document = content_of(document)
    ar.errors = sum(f.severity is E for f in report.findings)
    ar.warnings = sum(f.severity is W for f in report.findings)
    if ar.agency_id is not None:
        ar.agency_name = ar.agency.name
    ar.save()
    report_cells_store(ar, document)
    ReportStep.objects.create(
        report=ar, action=action, status=ar.status, comment=comment, actor=_user(actor)
    )
    audit_record(
        actor=actor,
        action=f"report.{action}",
        target=ar,
        agency=ar.agency,
        message=f"{ar}：{action}" + (f"（{comment}）" if comment else ""),
        data={"status": ar.status, "errors": ar.errors, "warnings": ar.warnings},
        ip=ip,
    )
    return ar


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _load(ar: AnnualReport | int, actor: Any) -> tuple[AnnualReport, Viewer]:
    """The report locked for update, if ``actor`` may see it."""
    viewer = viewer_for(actor)
    pk = ar.pk if isinstance(ar, AnnualReport) else ar
    found = AnnualReport.objects.select_for_update(of=("self",)).select_related("agency")
    locked = found.filter(pk=pk).first()
    if locked is None or not sel.can_view_report(viewer, locked):
        raise ReportError("没有这份年度报告，或无权查看")
    return locked, viewer


def _must(ok: bool, message: str) -> None:
    if not ok:
        raise ReportError(message)


def _editable(ar: AnnualReport, viewer: Viewer) -> None:
    _must(
        sel.can_prepare(viewer, ar.agency), "只有本机关公开工作机构的登记员或负责人可以编辑年度报告"
    )
    _must(ar.source == ReportSource.COMPUTED, "导入的已发布报告不能修改")
    _must(ar.editable, f"报告{ar.get_status_display()}，不能修改；如需修改请由审核单位退回")


def _area_members(
    government: Agency, year: int
) -> tuple[list[tuple[Agency, Report]], list[Agency]]:
    """(member, its report) for every usable member report, and the members left out.
    A member counts once its report is accepted or published; the government's own
    report counts as soon as it exists."""
    agencies = sel.rolled_up(government)
    found = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(
            agency__in=agencies, year=year, scope=ReportScope.AGENCY
        ).prefetch_related("cells")
    }
    usable, missing = [], []
    for agency in agencies:
        r = found.get(agency.pk)
        if r is not None and (r.status in SETTLED or agency.pk == government.pk):
            usable.append((agency, report_of(r)))
        else:
            missing.append(agency)
    return usable, missing
