"""Importing published reports: the baseline of an agency in the tree, or a report of any agency
for analysis, each with its source document.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scope import viewer_for
from gongkai.agencies.models import Agency
from gongkai.core.report import InputTooComplex, UnreadableInput
from gongkai.core.report.punctuation import chinese_punctuation
from gongkai.core.report.schema import (
    Report,
    ReportFormat,
)
from gongkai.core.report.worker import read_report_bytes_limited

from .. import selectors as sel
from ..models import (
    AnnualReport,
    ReportScope,
    ReportSource,
    ReportStatus,
    SourceDocument,
)
from ..sources import extract_text
from .base import ReportError, _must, _save, _user

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
    return _as_published(doc)


def _as_published(doc: Report) -> Report:
    """The narrative with the Chinese punctuation the reader normalised away put back, so
    that it reads (on the report page, the portal, the exports) as it was published."""
    return replace(doc, narrative={k: chinese_punctuation(v) for k, v in doc.narrative.items()})


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
