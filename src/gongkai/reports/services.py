"""Writes on annual reports: prepare from the cases, enter table 二 and the narrative,
review (draft → submitted → returned / accepted → published), import a published report
as a baseline (or, for analysis, the report of an agency outside the tree), build an
area-wide report, acknowledge amendments.

Every step runs the report engine's checks (国办公开办函〔2021〕30号 勾稽关系, the prose
checks, the cross-year checks against the previous year's report) and stores the findings;
submitting, accepting and publishing are refused while any finding is an error. Every step
is audited and shown in the report's history.

A report is stored as its figures (:class:`ReportCell` rows, :func:`report_cells_store`)
and the rest of its document (:attr:`AnnualReport.document`); :func:`report_document`
gives back the whole JSON contract ``gongkai.annual-report/1`` and :func:`report_of` the
engine's report. Every write goes through :func:`_save`, which stores both.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.cases.selectors import fee_summary
from gongkai.core.report import InputTooComplex, UnreadableInput, check, compare, from_json
from gongkai.core.report.area import check_area, sum_reports
from gongkai.core.report.draft import DraftFacts, draft_narrative
from gongkai.core.report.jsonio import to_json
from gongkai.core.report.schema import (
    PART_KEYS,
    TABLE2_IDS,
    Cell,
    CellState,
    Finding,
    Report,
    ReportFormat,
    Severity,
    cell_label,
    empty_2021_report,
)
from gongkai.core.report.worker import read_report_bytes_limited

from . import selectors as sel
from .cells import CellFigureError, content_of, document_of, figures_from_rows, rows_from_document
from .compute import count_tables
from .models import (
    Amendment,
    AnnualReport,
    ReportCell,
    ReportScope,
    ReportSource,
    ReportStatus,
    ReportStep,
    SourceDocument,
)
from .sources import extract_text

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
    """Every finding on ``report``: the engine's checks, table 二 completeness, counting
    problems, staleness, the cross-year checks and, for an area report, the sum check."""
    found = check(report)
    if ar.source == ReportSource.COMPUTED:
        found += _table2_findings(report)
    found += [Finding("COUNT_PROBLEM", E, (), p) for p in report.facts.get("problems", [])]
    found += _stale_findings(ar, report)
    prev = previous_report(ar)
    if prev is not None and prev.format is ReportFormat.F2021:
        found += [f for f in compare(prev, report).findings if f.code != "COMPARE_AGENCY"]
    found += _area_findings(ar, report)
    return found


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


# --- preparing ----------------------------------------------------------------------------


def _facts(agency: Agency, year: int) -> DraftFacts:
    ids = [agency.pk]
    if agency.kind == "government":
        ids = list(agency.subtree().values_list("pk", flat=True))
    fees = fee_summary(ids, year)
    above = sel.supervising_agency(agency)
    return DraftFacts(
        agency=agency.name,
        year=year,
        fee_notices=fees.notices,
        fee_paid_count=fees.paid,
        fee_yuan=Decimal(fees.yuan),
        supervisor=above.name if above else None,
    )


def _redraft(ar: AnnualReport, report: Report, keys: tuple[str, ...] | None = None) -> None:
    """Redraft the parts the office has not edited, or exactly ``keys`` (edited or not)."""
    edited = set(report.facts.get("edited_parts", []))
    drafted = draft_narrative(
        report, facts=_facts(ar.agency, ar.year), previous=previous_report(ar)
    )
    targets = [k for k in PART_KEYS if k not in edited] if keys is None else list(keys)
    for key in targets:
        report.narrative[key] = drafted[key]
    report.facts["edited_parts"] = sorted(edited - set(targets))


def _draft_for(
    viewer: Viewer, agency: Agency, year: int, scope: ReportScope
) -> tuple[AnnualReport, bool]:
    """The report of (agency, year, scope) locked for update, made on first use; an
    existing one must still be editable by ``viewer``."""
    ar, made = AnnualReport.objects.select_for_update().get_or_create(
        agency=agency, year=year, scope=scope, defaults={"source": ReportSource.COMPUTED}
    )
    if not made:
        _editable(ar, viewer)
    return ar, made


def report_prepare(*, actor: Any, agency: Agency, year: int, ip: str | None = None) -> AnnualReport:
    """Count tables 三 and 四 of ``year`` from the cases into the agency's draft (made on
    first use, with table 二 to be entered and the narrative pre-drafted); parts the office
    edited keep their text."""
    viewer = viewer_for(actor)
    _must(sel.can_prepare(viewer, agency), "只有本机关公开工作机构的登记员或负责人可以生成年度报告")
    _must(agency.handles_applications, f"{agency.name}不受理政府信息公开申请，没有年度报告")
    _must(2008 <= year <= timezone.localdate().year, f"不能生成{year}年度的报告")
    with transaction.atomic():
        ar, made = _draft_for(viewer, agency, year, ReportScope.AGENCY)
        report = report_of(ar)
        counted = count_tables(year, [agency.pk])
        report.cells.update(counted.cells[agency.pk])
        report.facts["problems"] = counted.problems.get(agency.pk, [])
        report.facts["computed_on"] = timezone.localdate().isoformat()
        report.source = "平台案件数据"
        _redraft(ar, report)
        ar.computed_at = timezone.now()
        return _save(ar, report, actor, "生成草稿" if made else "重新统计", ip=ip)


def report_table2_save(
    *,
    actor: Any,
    report: AnnualReport | int,
    cells: dict[str, Cell],
    ip: str | None = None,
    action: str = "填报表二",
) -> AnnualReport:
    """Store the table 二 figures the office entered (blank stays unknown, never 0)."""
    unknown = set(cells) - set(TABLE2_IDS)
    _must(not unknown, f"不是表二的栏目：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _editable(ar, viewer)
        doc = report_of(ar)
        doc.cells.update(cells)
        _redraft(ar, doc)
        return _save(ar, doc, actor, action, ip=ip)


def report_table2_import(
    *, actor: Any, report: AnnualReport | int, data: bytes, name: str, ip: str | None = None
) -> AnnualReport:
    """Table 二 from a spreadsheet (:func:`gongkai.reports.export.table2_from_xlsx`)."""
    from .export import Table2ImportError, table2_from_xlsx

    try:
        cells = table2_from_xlsx(data, name=name)
    except Table2ImportError as exc:
        raise ReportError(str(exc)) from exc
    return report_table2_save(
        actor=actor, report=report, cells=cells, ip=ip, action=f"从表格导入表二（{name}）"
    )


def report_narrative_save(
    *, actor: Any, report: AnnualReport | int, parts: dict[str, str], ip: str | None = None
) -> AnnualReport:
    """Store the office's text of the six parts; an edited part is no longer redrafted."""
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _editable(ar, viewer)
        doc = report_of(ar)
        edited = set(doc.facts.get("edited_parts", []))
        for key in PART_KEYS:
            text = parts.get(key, "").replace("\r\n", "\n").strip()
            if text != doc.narrative.get(key, "").strip():
                doc.narrative[key] = text
                edited.add(key)
        doc.facts["edited_parts"] = sorted(edited)
        return _save(ar, doc, actor, "修改正文", ip=ip)


def report_redraft(
    *, actor: Any, report: AnnualReport | int, key: str, ip: str | None = None
) -> AnnualReport:
    """Replace one part with a fresh draft from the current figures."""
    _must(key in PART_KEYS, "没有这一部分")
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _editable(ar, viewer)
        doc = report_of(ar)
        _redraft(ar, doc, (key,))
        return _save(ar, doc, actor, "重新起草正文", ip=ip)


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


def report_submit(*, actor: Any, report: AnnualReport | int, ip: str | None = None) -> AnnualReport:
    """The head sends the report to the supervising office (no errors allowed)."""
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _must(sel.can_sign(viewer, ar.agency), "只有本机关公开工作机构负责人可以报送年度报告")
        _must(ar.editable, f"报告{ar.get_status_display()}，不能报送")
        above = sel.supervising_agency(ar.agency)
        _must(above is not None, "本机关没有上级政府，检查无误后可直接发布")
        doc = report_of(ar)
        findings = _checked(ar, doc, "报送")
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
        ar.status, ar.published_at = ReportStatus.PUBLISHED, timezone.now()
        return _save(ar, doc, actor, "发布", ip=ip, findings=findings)


# --- baseline import --------------------------------------------------------------------


class ImportTooComplex(ReportError):
    """The uploaded file could not be read within the time or memory limit."""


def _read_upload(data: bytes, name: str, year: int | None) -> Report:
    """A published 2021-format report read from an upload (of ``year`` when given)."""
    try:  # in a child process, within a time and a memory limit: an upload cannot hang a worker
        doc = read_report_bytes_limited(
            data,
            name=name,
            timeout=float(getattr(settings, "GONGKAI_IMPORT_TIMEOUT", 20)),
            memory_mb=int(getattr(settings, "GONGKAI_IMPORT_MEMORY_MB", 1024)),
        )
    except InputTooComplex as exc:
        raise ImportTooComplex(str(exc)) from exc
    except UnreadableInput as exc:
        raise ReportError(str(exc)) from exc
    failed = [f.message for f in doc.findings if f.code == "READ_FAILED"]
    _must(not failed, "；".join(failed))
    _must(
        doc.format is ReportFormat.F2021,
        f"“{name}”不是2021年格式的年度报告（识别为：{doc.format}），不能作为比较基准",
    )
    if year is not None:
        _must(doc.year in (None, year), f"“{name}”是{doc.year}年度的报告，与所选年度{year}年不符")
    return doc


def source_document_store(
    *, data: bytes, name: str, origin: str = "", actor: Any = None
) -> SourceDocument:
    """The record of an imported file (one per content: the same file again is the same
    record, its first name and origin kept). Call only after the file was read within the
    limits (:func:`_read_upload`): its text is extracted again here."""
    digest = hashlib.sha256(data).hexdigest()
    found = SourceDocument.objects.filter(sha256=digest).first()
    if found is not None:
        if origin.strip() and not found.origin:
            found.origin = origin.strip()[:500]
            found.save(update_fields=["origin"])
        return found
    return SourceDocument.objects.create(
        sha256=digest,
        name=name[:255],
        size=len(data),
        text=extract_text(data, name=name),
        origin=origin.strip()[:500],
        uploaded_by=_user(actor),
    )


def report_import(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    data: bytes,
    name: str,
    origin: str = "",
    ip: str | None = None,
) -> AnnualReport:
    """A report already published elsewhere (HTML, text, PDF …), read by the report engine
    and kept as that year's published report: the baseline the next year compares with.
    ``origin``: where it was published (an address or a description), kept with the file."""
    viewer = viewer_for(actor)
    _must(sel.can_prepare(viewer, agency), "只有本机关公开工作机构的登记员或负责人可以导入年度报告")
    doc = _read_upload(data, name, year)
    with transaction.atomic():
        ar = (
            AnnualReport.objects.select_for_update()
            .filter(agency=agency, year=year, scope=ReportScope.AGENCY)
            .order_by("pk")  # no join for the ordering: nothing but the report is locked
            .first()
        )
        _must(
            ar is None or ar.source == ReportSource.IMPORTED,
            f"{year}年度已有本平台生成的报告，不能用导入的报告替换",
        )
        action = "导入已发布报告" if ar is None else "重新导入已发布报告"
        ar = ar or AnnualReport(agency=agency, year=year, scope=ReportScope.AGENCY)
        doc = replace(doc, year=year, agency=doc.agency or agency.name, findings=[])
        ar.source, ar.status, ar.source_name = ReportSource.IMPORTED, ReportStatus.PUBLISHED, name
        ar.source_document = source_document_store(data=data, name=name, origin=origin, actor=actor)
        ar.published_at = ar.published_at or timezone.now()
        return _save(ar, doc, actor, action, ip=ip)


def outside_name(text: str) -> str:
    """An agency's name as printed, with its spacing normalised (the key of an outside
    report, with the year and scope)."""
    return "".join(text.split())[:200]


def report_import_outside(
    *,
    actor: Any,
    data: bytes,
    name: str,
    agency_name: str = "",
    year: int | None = None,
    origin: str = "",
    ip: str | None = None,
) -> AnnualReport:
    """The published report of an agency outside the platform's tree, imported for analysis
    (every agency publishes one a year, 《政府信息公开条例》第五十条). The agency is the one
    printed in the report unless ``agency_name`` is given; the year likewise. It is kept as a
    published report of that name: it takes no part in the tree's workflow, roll-ups, reviews
    or year locks. Platform administrators and supervisors may import such reports."""
    viewer = viewer_for(actor)
    _must(sel.can_analyse(viewer), "只有平台管理员或监督人员可以导入其他机关的年度报告")
    doc = _read_upload(data, name, year)
    issuer = outside_name(agency_name or doc.agency or "")
    _must(bool(issuer), f"未能从“{name}”中识别出发布机关，请填写机关名称")
    year = year or doc.year
    _must(year is not None, f"未能从“{name}”中识别出报告年度，请填写年度")
    _must(
        not Agency.objects.filter(name=issuer, handles_applications=True).exists(),
        f"{issuer}是本平台的机关，请由该机关在“导入已发布的年度报告”中导入",
    )
    with transaction.atomic():
        ar = (
            AnnualReport.objects.select_for_update()
            .filter(agency__isnull=True, agency_name=issuer, year=year, scope=ReportScope.AGENCY)
            .order_by("pk")  # no outer join for the ordering (it cannot be locked)
            .first()
        )
        action = "导入其他机关已发布报告" if ar is None else "重新导入其他机关已发布报告"
        ar = ar or AnnualReport(agency=None, agency_name=issuer, year=year)
        doc = replace(doc, year=year, agency=doc.agency or issuer, findings=[])
        ar.source, ar.status, ar.source_name = ReportSource.IMPORTED, ReportStatus.PUBLISHED, name
        ar.source_document = source_document_store(data=data, name=name, origin=origin, actor=actor)
        ar.published_at = ar.published_at or timezone.now()
        return _save(ar, doc, actor, action, ip=ip)


# --- area-wide report ---------------------------------------------------------------------


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


def area_build(*, actor: Any, government: Agency, year: int, ip: str | None = None) -> AnnualReport:
    """The area-wide report of ``government``: its tables are the sum of its own and its
    members' reports (table 二 included); the narrative is pre-drafted from the sum."""
    viewer = viewer_for(actor)
    _must(
        sel.can_roll_up(viewer, government) and sel.can_prepare(viewer, government),
        "只有本级政府公开工作机构可以生成本地区汇总报告",
    )
    members, _ = _area_members(government, year)
    _must(bool(members), f"{year}年度还没有可以汇总的报告")
    with transaction.atomic():
        ar, made = _draft_for(viewer, government, year, ReportScope.AREA)
        old = report_of(ar)
        doc = sum_reports(
            [m for _, m in members], agency=f"{government.name}（本地区汇总）", year=year
        )
        doc.narrative, doc.facts = old.narrative, old.facts
        doc.facts["members"] = [a.name for a, _ in members]
        doc.source = "本地区各单位年度报告汇总"
        _redraft(ar, doc)
        ar.computed_at = timezone.now()
        return _save(ar, doc, actor, "生成本地区汇总" if made else "重新汇总", ip=ip)


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
