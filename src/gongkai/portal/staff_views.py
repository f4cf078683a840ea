"""The office's side of the portal: online applications waiting to be registered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.cases.forms import run_service

from . import selectors, services
from .forms import RejectForm
from .models import OnlineApplication, SubmissionStatus


def _mine(request: HttpRequest) -> QuerySet[OnlineApplication]:
    qs = selectors.online_applications(request.user)
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


@login_required
def online_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(_mine(request), pk=pk)
    form = RejectForm(request.POST or None)
    ip = request.META.get("REMOTE_ADDR")
    if request.method == "POST":
        if "register" in request.POST:
            case = run_service(
                form, lambda: services.submission_register(actor=request.user, app=app, ip=ip)
            )
            if case is not None:
                messages.success(request, f"已登记为 {case.number}，收到申请日期为今天")
                return redirect("cases:case", pk=case.pk)
        elif form.is_valid():
            done = run_service(
                form,
                lambda: services.submission_reject(
                    actor=request.user, app=app, reason=form.cleaned_data["reason"], ip=ip
                ),
            )
            if done is not None:
                messages.success(request, f"网上申请 {app.number} 未予登记")
                return redirect("online:list")
    else:
        form = RejectForm()
        selectors.online_application_viewed(actor=request.user, app=app, ip=ip)
    return render(
        request,
        "portal/staff_detail.html",
        {"app": app, "form": form},
        status=400 if form.errors else 200,
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
