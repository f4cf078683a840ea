"""Public pages of the registry (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def policy_code(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404("找不到该政策码")
