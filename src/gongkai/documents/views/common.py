"""What every staff page of the registry shares: who may open them, and flashing a posted
form's errors on the page the post returns to."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from gongkai.accounts.scope import Viewer, request_viewer
from gongkai.agencies.models import Agency

from ..access import DRAFTING_ROLES


def registry_viewer(request: HttpRequest) -> Viewer:
    """The viewer, if they may open the registry at all (else 404)."""
    viewer = request_viewer(request)
    if not viewer.may_open_documents:
        raise Http404("您没有查看文件库的权限")
    return viewer


def flash_errors(request: HttpRequest, form: Any) -> None:
    """A form's errors as messages, for a form the page does not show: “标签：错误”."""
    for name, errs in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}：" if field is not None and field.label else ""
        for err in errs:
            messages.error(request, f"{label}{err}")


def drafting_agencies(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies where ``viewer`` drafts (registrar, head), in tree order."""
    return Agency.objects.filter(pk__in=viewer.agencies_with(*DRAFTING_ROLES)).order_by("path")
