"""Published annual reports on the public portal (《政府信息公开条例》第五十条: reports are
published to the public): a list, each report as a page in the statutory table layout, and
its .docx and .xlsx. Only the published reports of the platform's own agencies exist here
(not those of other agencies imported for analysis); anything else is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.report.render import render_report_html

from . import export
from .models import AnnualReport, ReportScope, ReportStatus
from .services import report_of

FILES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _published(request: HttpRequest, code: str, year: int) -> AnnualReport:
    scope = ReportScope.AREA if request.GET.get("scope") == "area" else ReportScope.AGENCY
    found = (
        AnnualReport.objects.select_related("agency")
        .filter(agency__code=code, year=year, scope=scope, status=ReportStatus.PUBLISHED)
        .first()
    )
    if found is None:
        raise Http404("没有这份已发布的年度报告")
    return found


def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        AnnualReport.objects.filter(status=ReportStatus.PUBLISHED, agency__isnull=False)
        .select_related("agency")
        .order_by("-year", "agency__path", "scope")
    )
    return render(request, "reports/portal_list.html", {"reports": reports})


def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The whole report as one HTML document in the statutory layout."""
    return HttpResponse(render_report_html(report_of(_published(request, code, year))))


def report_file(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in FILES:
        raise Http404("没有这种格式")
    ar = _published(request, code, year)
    doc = report_of(ar)
    body = (
        export.report_docx(doc, issuer=ar.agency.name)
        if fmt == "docx"
        else (export.report_xlsx(doc))
    )
    response = HttpResponse(body, content_type=FILES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{code}-{year}.{fmt}"'
    return response
