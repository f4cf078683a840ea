"""The office's side of the portal: online applications waiting to be registered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.accounts.scope import request_viewer
from gongkai.cases.forms import run_service
from gongkai.cases.selectors import locked_years
from gongkai.cases.services.base import today

from . import selectors, services
from .forms import OnlineRegisterForm, RejectForm
from .models import OnlineApplication, SubmissionStatus


def _mine(request: HttpRequest) -> QuerySet[OnlineApplication]:
    qs = selectors.online_applications(request.user, request_viewer(request))
    if qs is None:
        raise Http404("您不是登记员或公开工作机构负责人")
    return qs


@login_required
def online_list(request: HttpRequest) -> HttpResponse:
    qs = _mine(request)
    return render(
        request,
        "portal/staff_list.html",
        {
            "waiting": qs.filter(status=SubmissionStatus.SUBMITTED).order_by("submitted_at"),
            "handled": qs.exclude(status=SubmissionStatus.SUBMITTED).order_by("-handled_at")[:50],
        },
    )


def locked_year(app: OnlineApplication) -> int | None:
    """Today's year, when registering now would change the figures of an annual report
    already published (《中华人民共和国政府信息公开条例》第五十条): the application is
    received today (第三十一条第三项), so the registration needs a “年报更正理由”."""
    year = today().year
    return year if year in locked_years(app.agency_id) else None


@login_required
def online_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(_mine(request), pk=pk)
    posted = request.POST if request.method == "POST" else None
    register_form = OnlineRegisterForm(posted if posted and "register" in posted else None)
    reject_form = RejectForm(posted if posted and "register" not in posted else None)
    ip = request.META.get("REMOTE_ADDR")
    if posted and "register" in posted:
        if register_form.is_valid():
            reason = register_form.cleaned_data["amend_reason"]
            case = run_service(
                register_form,
                lambda: services.submission_register(
                    actor=request.user, app=app, ip=ip, amend_reason=reason
                ),
            )
            if case is not None:
                messages.success(request, f"已登记为 {case.number}，收到申请日期为今天")
                return redirect("cases:case", pk=case.pk)
    elif posted:
        if reject_form.is_valid():
            done = run_service(
                reject_form,
                lambda: services.submission_reject(
                    actor=request.user,
                    app=app,
                    reason=reject_form.cleaned_data["reason"],
                    ip=ip,
                ),
            )
            if done is not None:
                messages.success(request, f"网上申请 {app.number} 未予登记")
                return redirect("online:list")
    else:
        selectors.online_application_viewed(actor=request.user, app=app, ip=ip)
    failed = register_form.errors or reject_form.errors
    return render(
        request,
        "portal/staff_detail.html",
        {
            "app": app,
            "form": reject_form,
            "register_form": register_form,
            # Asked after a refusal too: the report may have been published meanwhile.
            "locked_year": locked_year(app) if app.status == SubmissionStatus.SUBMITTED else None,
        },
        status=400 if failed else 200,
    )


@login_required
def online_proof(request: HttpRequest, pk: int) -> FileResponse:
    app = get_object_or_404(_mine(request), pk=pk)
    selectors.online_proof_opened(actor=request.user, app=app, ip=request.META.get("REMOTE_ADDR"))
    return FileResponse(
        app.proof.open("rb"),
        as_attachment=True,
        filename=app.proof_name,
        content_type=app.proof_type,
    )
