"""Refuse oversized requests from their ``Content-Length``, before anything reads the body.

Django reads a multipart body to temporary files while it parses ``request.POST`` (the CSRF
check does that for every POST), so without this a 1,000 MB anonymous POST to the portal is
written to disk before a form says "too big". This middleware answers ``413`` from the
header alone:

- on the portal (``/portal/``): the upload limit (``GONGKAI_UPLOAD_MAX_MB``) plus a margin
  for the form's other fields and the multipart framing;
- elsewhere (staff pages, API): the larger of the upload limit and the annual-report import
  limit (20 MB), plus the same margin; ``GONGKAI_REQUEST_MAX_MB`` overrides this when set.

A body without a length (chunked) is not read by Django at all (it reads ``Content-Length``
bytes), so the header is the only thing to check. A ``Content-Length`` that is not a
non-negative number is refused with ``400``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

MB = 1024 * 1024
#: Room for the form's other fields and the multipart framing around the file.
MARGIN_MB = 1
#: The largest annual-report import the staff pages take (reports.forms.UploadForm.MAX).
REPORT_IMPORT_MB = 20

TOO_LARGE = "提交的内容过大（超过 {mb} MB），未予接收。请压缩或拆分文件后重试。"
BAD_LENGTH = "请求格式不正确。"


def request_limit(path: str) -> int:
    """The largest body, in bytes, a request to ``path`` may announce."""
    upload = int(settings.GONGKAI_UPLOAD_MAX_MB)
    if path.startswith("/portal/"):
        return (upload + MARGIN_MB) * MB
    configured = getattr(settings, "GONGKAI_REQUEST_MAX_MB", None)
    if configured:
        return int(configured) * MB
    return (max(upload, REPORT_IMPORT_MB) + MARGIN_MB) * MB


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path_info.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def _refusal(request: HttpRequest, status: int, text: str) -> HttpResponse:
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": text}, status=status)
    else:
        page = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{status}</title></head><body><h1>未能接收</h1><p>{text}</p></body></html>"
        )
        response = HttpResponse(page, status=status, content_type="text/html; charset=utf-8")
    return response


class RequestSizeMiddleware:
    """``413`` for a request whose ``Content-Length`` exceeds :func:`request_limit`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or ""
        if raw:
            try:
                length = int(raw)
            except ValueError:
                return _refusal(request, 400, BAD_LENGTH)
            if length < 0:
                return _refusal(request, 400, BAD_LENGTH)
            limit = request_limit(request.path_info)
            if length > limit:
                return _refusal(request, 413, TOO_LARGE.format(mb=limit // MB))
        return self.get_response(request)
