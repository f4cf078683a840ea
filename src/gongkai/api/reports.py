"""Annual reports: one agency's report for a year in the report engine's JSON schema
(``gongkai.annual-report/1``), and a government's roll-up of its members' reports.

The view docstring is the operation description shown in ``/api/docs``, hence in Chinese.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router

from gongkai.agencies.models import Agency
from gongkai.reports import selectors as sel
from gongkai.reports.models import AnnualReport
from gongkai.reports.rollup import rollup
from gongkai.reports.services import report_document

from .common import viewer_of

router = Router(tags=["年度报告"])
NOT_FOUND = "没有这份年度报告，或无权查看"


def _agency(code: str) -> Agency:
    found = Agency.objects.filter(code=code).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@router.get("/{code}/{year}", response=dict[str, Any], summary="机关某年度的年度报告")
def get_report(
    request: HttpRequest, code: str, year: int, scope: Literal["agency", "area"] = "agency"
) -> dict[str, Any]:
    """按报告引擎的 JSON 格式（gongkai.annual-report/1）返回表二、表三、表四、正文和检查结果，
    另附 `status`（draft/submitted/returned/accepted/published）与
    `origin`（computed：平台生成；imported：导入）。
    `scope=area` 取本地区汇总报告。仅返回请求者有权查看的报告；已发布的报告任何令牌均可读取。"""
    agency = _agency(code)
    ar = AnnualReport.objects.filter(agency=agency, year=year, scope=scope).first()
    viewer = viewer_of(request)
    if ar is None or not (ar.status == "published" or sel.can_view(viewer, agency)):
        raise Http404(NOT_FOUND)
    return {**report_document(ar), "status": ar.status, "origin": ar.source}


@router.get("/{code}/{year}/rollup", response=dict[str, Any], summary="政府年报汇总情况")
def get_rollup(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    """本级政府及其部门、下级政府某年度年度报告的报送情况：状态、期限、是否逾期、检查错误数、
    待确认的年报更正数，以及本地区汇总报告的状态。"""
    government = _agency(code)
    if not sel.can_roll_up(viewer_of(request), government):
        raise Http404("没有这个政府的年报汇总，或无权查看")
    return rollup(government, year, timezone.localdate()).as_json()
