"""The portal's own “找不到页面”: a citizen who follows a stale link or mistypes an address
under ``/portal/`` stays on the portal (its header, a link back to its home page and to the
progress lookup), not on the staff site's error page with its “返回工作台”.

Two ways in: :func:`portal_pages` wraps each portal view, so an ``Http404`` raised in it
(a letter one may not see, an agency that takes no applications) is answered here; and
:func:`not_found` is the last pattern of the portal's URLs, for addresses that match no
page. Only the portal's URLs are involved; the site's own 404/403/500 pages stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve

NOT_FOUND = "您访问的页面不存在，或您无权查看。请检查网址，或从申请平台首页重新进入。"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def not_found(request: HttpRequest, exception: Exception | None = None, **_: Any) -> HttpResponse:
    """The portal's 404 page. The reason a view gave is shown when it is written for
    people (Chinese), never a framework's English default ("No Agency matches …").

    As the last pattern of the portal it matches every address, so it also does what
    ``APPEND_SLASH`` would: an address that is a page once "/" is added is sent there."""
    if exception is None and _slash_missing(request):
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    text = str(exception) if exception is not None else ""
    message = text if _CJK.search(text) else NOT_FOUND
    return render(request, "portal/404.html", {"message": message}, status=404)


def _slash_missing(request: HttpRequest) -> bool:
    path = request.path_info
    if not settings.APPEND_SLASH or path.endswith("/") or request.method not in ("GET", "HEAD"):
        return False
    try:
        match = resolve(path + "/", getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name != "not_found" or match.namespace != "portal"


def portal_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` answering its ``Http404`` with the portal's page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404 as exc:
            return not_found(request, exc)

    return wrapped
