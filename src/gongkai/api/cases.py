"""Case list, registration and detail.

The view docstrings are the operation descriptions shown in ``/api/docs``, hence in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from gongkai.agencies.models import Agency
from gongkai.cases import selectors
from gongkai.cases.services import Applicant, CaseError, case_register
from gongkai.rules.selectors import working_calendar

from . import present
from .common import client_ip, detail_of, viewer_of
from .schemas import MAX_ID, CaseDetailOut, CasePageOut, CaseQuery, ErrorOut, RegisterIn

router = Router(tags=["申请"])

CASE_ID = Path(..., ge=1, le=MAX_ID, description="申请 id")
ERRORS = {400: ErrorOut, 404: ErrorOut}


@router.get("", response=CasePageOut, summary="申请列表")
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> dict[str, Any]:
    """请求者有权查看的申请，按答复期限由近及远排列；可筛选、分页，申请人信息脱敏。"""
    f = selectors.CaseFilter(**filters.model_dump(exclude={"limit", "offset"}, exclude_none=True))
    qs = selectors.case_list(viewer_of(request), f)
    page = list(qs[filters.offset : filters.offset + filters.limit])
    cal, today = working_calendar(), timezone.localdate()
    return {
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [present.case_row(c, cal, today) for c in page],
    }


@router.post("", response={201: CaseDetailOut, 400: ErrorOut}, summary="登记申请")
def register_case(request: HttpRequest, body: RegisterIn) -> Status[dict[str, Any]]:
    """登记收到的申请（第二十九条、第三十一条）；请求者须为受理机关的登记员或公开工作机构负责人。"""
    agency = Agency.objects.filter(pk=body.agency_id).first()
    if agency is None:
        raise CaseError(f"找不到 id 为 {body.agency_id} 的受理机关")
    case = case_register(
        actor=request.auth,  # type: ignore[attr-defined]
        agency=agency,
        applicant=Applicant(**body.applicant.model_dump()),
        ip=client_ip(request),
        **body.model_dump(exclude={"agency_id", "applicant"}),
    )
    return Status(201, detail_of(viewer_of(request), case.pk))


@router.get("/{case_id}", response={200: CaseDetailOut, 404: ErrorOut}, summary="申请详情")
def get_case(request: HttpRequest, case_id: int = CASE_ID) -> dict[str, Any]:
    """一件申请的详情；无权查看或不存在时均返回 404。"""
    return detail_of(viewer_of(request), case_id)
