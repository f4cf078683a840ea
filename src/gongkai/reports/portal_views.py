"""Published annual reports on the public portal (《政府信息公开条例》第五十条: reports are
published to the public): a list, each report as a page in the statutory table layout, and
its .docx and .xlsx. Only the published reports of the platform's own agencies exist here
(not those of other agencies imported for analysis); anything else is a 404.

A report withdrawn after publication stays on the list, marked “已撤回” with the date and
the office's reason, without its content: the public saw it, so its withdrawal must be
traceable, but figures the office has withdrawn must not go on being relied on. Its page
says so (410 Gone). Once corrected and published again, the list shows it with a note of the
earlier withdrawal."""

from __future__ import annotations

from django.db.models import Q
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


class Withdrawn(Exception):
    """The report asked for was published and then withdrawn."""

    def __init__(self, report: AnnualReport) -> None:
        super().__init__(str(report))
        self.report = report


def _published(request: HttpRequest, code: str, year: int) -> AnnualReport:
    scope = ReportScope.AREA if request.GET.get("scope") == "area" else ReportScope.AGENCY
    found = (
        AnnualReport.objects.select_related("agency")
        .filter(agency__code=code, year=year, scope=scope)
        .filter(Q(status=ReportStatus.PUBLISHED) | Q(withdrawals__isnull=False))
        .distinct()
        .first()
    )
    if found is None:
        raise Http404("没有这份已发布的年度报告")
    if found.status != ReportStatus.PUBLISHED:
        raise Withdrawn(found)
    return found


def _withdrawn_page(request: HttpRequest, report: AnnualReport) -> HttpResponse:
    return render(
        request,
        "reports/portal_withdrawn.html",
        {"r": report, "w": report.withdrawals.first()},
        status=410,
    )


def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        AnnualReport.objects.filter(agency__isnull=False)
        .filter(Q(status=ReportStatus.PUBLISHED) | Q(withdrawals__isnull=False))
        .distinct()
        .select_related("agency")
        .prefetch_related("withdrawals")
        .order_by("-year", "agency__path", "scope")
    )
    return render(request, "reports/portal_list.html", {"reports": reports})


def report_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The whole report as one HTML document in the statutory layout."""
    try:
        ar = _published(request, code, year)
    except Withdrawn as gone:
        return _withdrawn_page(request, gone.report)
    return HttpResponse(render_report_html(report_of(ar)))


def report_file(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in FILES:
        raise Http404("没有这种格式")
    try:
        ar = _published(request, code, year)
    except Withdrawn as gone:
        return _withdrawn_page(request, gone.report)
    doc = report_of(ar)
    body = (
        export.report_docx(doc, issuer=ar.agency.name)
        if fmt == "docx"
        else (export.report_xlsx(doc))
    )
    response = HttpResponse(body, content_type=FILES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{code}-{year}.{fmt}"'
    return response
