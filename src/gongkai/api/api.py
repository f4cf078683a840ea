"""The REST API (django-ninja), mounted at ``/api/``: documentation at ``/api/docs``, the
OpenAPI document at ``/api/openapi.json``.

Every operation needs a bearer token (:mod:`gongkai.api.auth`) and sees what the token's
user sees on the staff site. Errors are JSON ``{"detail": "..."}`` in Chinese: 401 for a
missing or refused token, 404 for a case or a registry text out of scope (whether or not it
exists), 400 for a refused step, 422 for a body or query that does not fit its schema, 500
(the error logged, not shown) for a fault of the server.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.operation import Operation

from gongkai.cases.services import CaseError
from gongkai.core.calendar import CalendarError
from gongkai.core.validity import ValidityError
from gongkai.documents.services.base import DocumentError

from . import actions, agencies, cases, documents, reports
from .auth import TokenAuth, auth_message

DESCRIPTION = """\
依申请公开办理的接口：登记申请、查询列表与详情、执行各办理操作（补正、转办、征求意见、延期、
保密审查、拟定答复、审签、送达、撤回、重新办理、归档）；政府文件库的接口：文件列表与详情
（效力状态及其变更、各版本、政策码、解读、附件、审查记录）、登记文件、提交审查、保密审查、
记录公开依据、签发发布、退回、撤下、废止和宣布失效。

认证：请求头 `Authorization: Bearer <令牌>`；令牌由管理员在“接口令牌”中签发。
每个令牌只能看到其所属工作人员有权查看的申请和文件；申请人身份信息和扫描发现的个人信息
只以脱敏形式返回。
"""


class GongkaiAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI operation ids are the plain view names (``list_cases``…)."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__


api = GongkaiAPI(
    title="政府信息公开工作平台 API",
    version="1",
    description=DESCRIPTION,
    docs_url="/docs",
    urls_namespace="api",
    auth=TokenAuth(),
)
api.add_router("/cases", cases.router)
api.add_router("/cases", actions.router)
api.add_router("/agencies", agencies.router)
api.add_router("/reports", reports.router)
api.add_router("/documents", documents.router)


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(CaseError)
def refused_step(request: HttpRequest, exc: CaseError) -> HttpResponse:
    """A service refused the step: 400 with its Chinese message."""
    return _detail(request, str(exc), 400)


@api.exception_handler(DocumentError)
def refused_document_step(request: HttpRequest, exc: DocumentError) -> HttpResponse:
    """A registry service refused the step: 400 with its Chinese message."""
    return _detail(request, str(exc), 400)


@api.exception_handler(ValidityError)
def refused_validity(request: HttpRequest, exc: ValidityError) -> HttpResponse:
    """The validity rules (:mod:`gongkai.core.validity`) refused a text or a change."""
    return _detail(request, str(exc), 400)


@api.exception_handler(CalendarError)
def calendar_error(request: HttpRequest, exc: CalendarError) -> HttpResponse:
    """A date the working calendar cannot answer for (say, years ahead of its data)."""
    return _detail(request, str(exc), 400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, str(exc) or "找不到请求的对象", 404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own errors, in Chinese: refused authentication and unreadable bodies."""
    if isinstance(exc, AuthenticationError):
        response = _detail(request, auth_message(exc), 401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if str(exc).startswith("Cannot parse request body"):
        return _detail(request, "请求体不是有效的 JSON", 400)
    return _detail(request, str(exc), exc.status_code)


@api.exception_handler(SuspiciousOperation)
def refused_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """A request Django refuses as such (a body over the size limit, a malformed header)."""
    if isinstance(exc, RequestDataTooBig):
        return _detail(request, "请求体过大，未予接收", 413)
    return _detail(request, "请求不正确，未予接收", 400)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _detail(request, str(exc) or "无权进行该操作", 403)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen: logged with its traceback; the client gets JSON, never a page."""
    logging.getLogger("gongkai.api").error(
        "接口 %s %s 出错", request.method, request.path, exc_info=exc
    )
    return _detail(request, "服务器内部错误，已记录；请稍后重试或联系平台管理员", 500)
