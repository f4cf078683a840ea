"""The staff site's “找不到页面” and “不能这样打开” pages.

- :func:`not_found` (``handler404``): the reason a view gave is shown when it was written for
  people — in Chinese, such as “您不是任何单位的承办人” — and never a framework's English
  default (``get_object_or_404``'s “No AnnualReport matches the given query.”), which says
  nothing to a clerk and names an internal model. The portal has its own page
  (:mod:`gongkai.portal.errors`), with the same rule.
- :class:`MethodNotAllowedMiddleware`: Django answers a request in a method a view does not
  take (opening an action's address, which only takes a submitted form, from a bookmark or
  after logging in again) with an empty 405 response, a blank page; the API framework with
  “Method not allowed”. This answers with the site's page, saying why and where to go; an
  API client gets the API's JSON ``detail``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

NOT_FOUND = "您访问的页面不存在，或您无权查看。"
_CJK = re.compile(r"[\u3400-\u9fff]")
API_PREFIX = "/api/"
PORTAL_PREFIX = "/portal/"


def readable_reason(exception: BaseException | None) -> str | None:
    """The reason of a 404 when it is written in Chinese, else None."""
    text = str(exception.args[0]) if exception is not None and exception.args else ""
    return text if _CJK.search(text) else None


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """The 404 page; the view's reason when it is meant for people, else the usual one."""
    message = readable_reason(exception) or NOT_FOUND
    return render(request, "404.html", {"message": message}, status=404)


def not_allowed_text(request: HttpRequest, allowed: list[str]) -> str:
    """Why the address cannot be used this way, in words (no method names)."""
    if request.method in ("GET", "HEAD") and "POST" in allowed:
        return (
            "这个地址用于提交页面上的表单，不能直接打开、刷新或从收藏夹进入。"
            "请回到原来的页面，重新点击相应的按钮。"
        )
    return "这个页面只能打开查看，不接受提交。请从页面上的链接或按钮操作。"


class MethodNotAllowedMiddleware:
    """Answer a 405 with the site's page, or for ``/api/`` with the API's JSON (in place of
    Django's empty response and the API framework's “Method not allowed”). The ``Allow``
    header is kept; a 405 a view wrote itself in Chinese is left as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        if _CJK.search(response.content.decode(errors="replace")):
            return response  # a view's own message, in Chinese
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        text = not_allowed_text(request, allowed)
        if request.path_info.startswith(API_PREFIX):
            page = HttpResponse(
                json.dumps({"detail": f"不支持该请求方式（{request.method}）"}, ensure_ascii=False),
                status=405,
                content_type="application/json; charset=utf-8",
            )
        else:
            portal = request.path_info.startswith(PORTAL_PREFIX)
            page = render(
                request,
                "405.html",
                {
                    "message": text,
                    "base": "portal/base.html" if portal else "base.html",
                    "portal": portal,
                },
                status=405,
            )
        page["Allow"] = response["Allow"]
        return page
