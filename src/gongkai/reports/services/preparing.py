"""Preparing an agency's report from the platform's data: the computed tables, table 二 entered or
imported — its 规章 and 行政规范性文件 rows counted from the government document registry when
the agency keeps its texts there (:mod:`gongkai.reports.table2_registry`) —, the narrative
drafted and edited (《政府信息公开条例》第五十条).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.agencies.models import Agency
from gongkai.cases.selectors import fee_summary
from gongkai.core.report.draft import DraftFacts, draft_narrative
from gongkai.core.report.schema import (
    PART_KEYS,
    TABLE2_IDS,
    Cell,
    Report,
)

from .. import selectors as sel
from .. import table2_registry as t2r
from ..compute import cases_fingerprint, count_tables
from ..export import Table2ImportError, table2_from_xlsx
from ..models import (
    AnnualReport,
    ReportScope,
    ReportSource,
)
from .base import ReportError, _editable, _load, _must, _save, previous_report, report_of

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
    note = t2r.registry_note(report)
    if note:  # the 统计说明 closes part 六: state how the registry counted table 二
        drafted["other_matters"] += note
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
    edited keep their text. An agency that keeps its texts in the registry gets table 二's
    规章 and 行政规范性文件 rows counted from it, except the cells it entered by hand
    (:func:`gongkai.reports.table2_registry.registry_fill`)."""
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
        t2r.registry_fill(report, t2r.registry_count(agency, year))
        _redraft(ar, report)
        ar.computed_at = timezone.now()
        ar.counted_fingerprint = cases_fingerprint(year, agency.pk)
        return _save(ar, report, actor, "生成草稿" if made else "重新统计", ip=ip)


def report_table2_save(
    *,
    actor: Any,
    report: AnnualReport | int,
    cells: dict[str, Cell],
    ip: str | None = None,
    action: str = "填报表二",
) -> AnnualReport:
    """Store the table 二 figures the office entered (blank stays unknown, never 0). Where
    the registry counts 规章 and 行政规范性文件, a figure that differs from its count is marked
    as entered by hand (:func:`gongkai.reports.table2_registry.registry_mark_entered`)."""
    unknown = set(cells) - set(TABLE2_IDS)
    _must(not unknown, f"不是表二的栏目：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _editable(ar, viewer)
        doc = report_of(ar)
        t2r.registry_mark_entered(doc, cells)
        doc.cells.update(cells)
        _redraft(ar, doc)
        return _save(ar, doc, actor, action, ip=ip)


def report_table2_import(
    *, actor: Any, report: AnnualReport | int, data: bytes, name: str, ip: str | None = None
) -> AnnualReport:
    """Table 二 from a spreadsheet (:func:`gongkai.reports.export.table2_from_xlsx`)."""
    try:
        cells = table2_from_xlsx(data, name=name)
    except Table2ImportError as exc:
        raise ReportError(str(exc)) from exc
    return report_table2_save(
        actor=actor, report=report, cells=cells, ip=ip, action=f"从表格导入表二（{name}）"
    )


def report_table2_registry(
    *, actor: Any, report: AnnualReport | int, ip: str | None = None
) -> AnnualReport:
    """“按文件库重新统计”: table 二's 规章 and 行政规范性文件 rows counted again from the
    registry, replacing the figures the office entered by hand (the other rows are kept).
    Refused for an agency that does not use the registry, or whose registry the rules
    refuse (the reason is said)."""
    with transaction.atomic():
        ar, viewer = _load(report, actor)
        _editable(ar, viewer)
        _must(
            ar.scope == ReportScope.AGENCY, "本地区汇总报告的表二由各单位报告汇总，不按文件库统计"
        )
        count = t2r.registry_count(ar.agency, ar.year)
        if count is None:
            raise ReportError(
                f"{ar.agency.name}未在政府文件库中发布过规章或行政规范性文件，"
                "表二请手工填报或从表格导入"
            )
        _must(count.rows is not None, f"政府文件库的登记有误，未能按文件库统计：{count.error}")
        doc = report_of(ar)
        t2r.registry_apply(doc, count)
        _redraft(ar, doc)
        return _save(ar, doc, actor, t2r.RECOUNT + "表二", ip=ip)


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
