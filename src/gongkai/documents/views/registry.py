"""Staff pages (being written)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def document_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("文件库")


urlpatterns: list = [path("documents/", document_list, name="list")]
