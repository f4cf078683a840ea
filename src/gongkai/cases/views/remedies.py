"""The reconsideration/litigation panel of the case page (《政府信息公开条例》第五十一条):
what it shows, and the two forms that record a remedy and its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import remedy_forms as rf
from .. import services as s
from ..models import Case, Remedy
from ..selectors import locked_years, visible_case_or_404


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def remedy_context(case: Case) -> dict[str, Any]:
    """What the case page shows of its reconsiderations and lawsuits; ``amend_open``: a year
    of the agency is locked (its annual report is published), so the page offers the
    “年报更正理由” field."""
    return {
        "remedies": list(case.remedies.all()),
        "remedy_form": rf.RemedyForm(prefix="remedy"),
        "decide_form": rf.DecideForm(prefix="decide"),
        "amend_open": bool(locked_years(case.agency_id)),
    }


def _remedy_post(
    request: HttpRequest, pk: int, form: Any, call: Callable[[dict], Any], ok: str
) -> HttpResponse:
    """Validate ``form`` and run ``call`` with its data (as an amendment when a reason for
    changing a published year is given); back to the case page either way."""
    if form.is_valid():
        reason = request.POST.get("amend_reason", "")
        try:
            call({**form.cleaned_data, "amend_reason": reason})
        except s.CaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, ok)
    else:
        for errs in form.errors.values():
            messages.error(request, "；".join(errs))
    return redirect("cases:case", pk=pk)


@login_required
@require_POST
def remedy_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case_or_404(request, pk)
    return _remedy_post(
        request,
        pk,
        rf.RemedyForm(request.POST, prefix="remedy"),
        lambda d: s.remedy_record(actor=request.user, case=case, ip=_ip(request), **d),
        "已登记复议/诉讼",
    )


@login_required
@require_POST
def remedy_decide(request: HttpRequest, pk: int, remedy: int) -> HttpResponse:
    case = visible_case_or_404(request, pk)
    r = get_object_or_404(Remedy, pk=remedy, case=case)
    return _remedy_post(
        request,
        pk,
        rf.DecideForm(request.POST, prefix="decide"),
        lambda d: s.remedy_decide(actor=request.user, remedy=r, ip=_ip(request), **d),
        "已登记复议/诉讼结果",
    )
