"""Staff pages of 政策解读 (list, new, edit) and of a policy's 一码通 chain steps.

The office's registrars and heads write 解读 and chain steps for their agency's texts
(三同步); supervisors and the other office roles read them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from gongkai.accounts.scope import Viewer
from gongkai.audit.net import client_ip

from .. import catalogue_forms as cf
from ..access import DRAFTING_ROLES, NOT_VISIBLE, may, visibility
from ..models import ChainStep, Document, Interpretation, Policy
from ..services import interpretations as svc
from ..services.base import DocumentError
from .common import drafting_agencies, registry_viewer

PAGE_SIZE = 50


def _documents_for(viewer: Viewer) -> QuerySet[Document]:
    """The texts a 解读 of the viewer may be linked to: those of their drafting agencies
    (whether one belongs to the chosen agency is the service's check, with its reason)."""
    drafting = viewer.agencies_with(*DRAFTING_ROLES)
    return Document.objects.filter(agency_id__in=drafting).order_by("-written_on", "-id")


def _visible_interpretation(viewer: Viewer, pk: int) -> Interpretation:
    found = (
        Interpretation.objects.filter(visibility(viewer), pk=pk)
        .select_related("agency", "created_by")
        .prefetch_related("documents")
        .first()
    )
    if found is None:
        raise Http404("找不到该解读，或您无权查看")
    return found


@login_required
def interpretation_list(request: HttpRequest) -> HttpResponse:
    """The 解读 of the agencies the viewer sees, newest first."""
    viewer = registry_viewer(request)
    rows = (
        Interpretation.objects.filter(visibility(viewer))
        .select_related("agency")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("-id")))
        .order_by("-published_on", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/interpretations/list.html",
        {
            "page": page,
            "can_add": bool(viewer.agencies_with(*DRAFTING_ROLES)),
            "drafting": set(viewer.agencies_with(*DRAFTING_ROLES)),
        },
    )


def _save(request: HttpRequest, form: cf.InterpretationForm, item: Interpretation | None) -> Any:
    """Save a valid form through the service; a refusal becomes the form's error."""
    d = form.cleaned_data
    try:
        return svc.interpretation_save(
            actor=request.user,
            agency=item.agency if item else d["agency"],
            kind=d["kind"],
            title=d["title"],
            body=d["body"],
            url=d["url"],
            published_on=d["published_on"],
            documents=list(d["documents"]),
            interpretation=item,
            ip=client_ip(request),
        )
    except DocumentError as exc:
        cf.refuse(form, str(exc))
        return None


def _initial_for(viewer: Viewer, request: HttpRequest) -> dict[str, Any]:
    """The new 解读's agency and text from ``?document=<pk>`` (a text the viewer drafts for)."""
    pk = request.GET.get("document", "")
    if not pk.isdigit():
        return {}
    doc = _documents_for(viewer).filter(pk=int(pk)).first()
    if doc is None:
        raise Http404(NOT_VISIBLE)
    return {"agency": doc.agency_id, "documents": [doc.pk], "title": f"{doc.name}解读"[:300]}


@login_required
def interpretation_new(request: HttpRequest) -> HttpResponse:
    """A new 解读; ``?document=<pk>`` starts it for that text."""
    viewer = registry_viewer(request)
    agencies = drafting_agencies(viewer)
    if not agencies:
        raise PermissionDenied("只有本机关的登记员或公开工作机构负责人可以编写解读")
    kwargs = {"agencies": agencies, "documents": _documents_for(viewer)}
    if request.method == "POST":
        form = cf.InterpretationForm(request.POST, **kwargs)
        if form.is_valid() and (done := _save(request, form, None)):
            messages.success(request, f"已保存解读“{done.title}”")
            return redirect("documents:interpretations")
    else:
        form = cf.InterpretationForm(initial=_initial_for(viewer, request), **kwargs)
    return render(
        request,
        "documents/interpretations/form.html",
        {"form": form, "item": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def interpretation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a 解读 (its agency's registrars and heads); read only for other viewers."""
    viewer = registry_viewer(request)
    item = _visible_interpretation(viewer, pk)
    can_edit = may(viewer, item.agency_id, DRAFTING_ROLES)
    form = None
    if can_edit:
        kwargs = {
            "agencies": drafting_agencies(viewer),
            "documents": _documents_for(viewer),
            "interpretation": item,
        }
        if request.method == "POST":
            form = cf.InterpretationForm(request.POST, **kwargs)
            if form.is_valid() and (done := _save(request, form, item)):
                messages.success(request, f"已保存解读“{done.title}”")
                return redirect("documents:interpretations")
        else:
            form = cf.InterpretationForm(**kwargs)
    elif request.method == "POST":
        raise PermissionDenied("只有本机关的登记员或公开工作机构负责人可以修改解读")
    return render(
        request,
        "documents/interpretations/form.html",
        {"form": form, "item": item},
        status=400 if form is not None and form.is_bound else 200,
    )


def _visible_policy(viewer: Viewer, pk: int) -> Policy:
    found = Policy.objects.filter(visibility(viewer), pk=pk).select_related("agency").first()
    if found is None:
        raise Http404(NOT_VISIBLE)
    return found


def _save_step(request: HttpRequest, policy: Policy, form: cf.ChainStepForm) -> ChainStep | None:
    d = form.cleaned_data
    step = None
    if d["step_id"]:
        step = policy.chain_steps.filter(pk=d["step_id"]).first()
        if step is None:
            cf.refuse(form, "找不到要修改的环节，它可能已不属于本政策")
            return None
    try:
        return svc.chain_step_save(
            actor=request.user,
            policy=policy,
            kind=d["kind"],
            title=d["title"],
            body=d["body"],
            url=d["url"],
            day=d["day"],
            step=step,
            ip=client_ip(request),
        )
    except DocumentError as exc:
        cf.refuse(form, str(exc))
        return None


@login_required
def chain(request: HttpRequest, policy_pk: int) -> HttpResponse:
    """A policy's chain: its texts and 解读 (from the registry) and the steps added here."""
    viewer = registry_viewer(request)
    policy = _visible_policy(viewer, policy_pk)
    can_edit = may(viewer, policy.agency_id, DRAFTING_ROLES)
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有本机关的登记员或公开工作机构负责人可以修改政策环节")
        form = cf.ChainStepForm(request.POST)
        if form.is_valid() and (done := _save_step(request, policy, form)):
            messages.success(request, f"已保存{done.get_kind_display()}环节“{done.title}”")
            return redirect("documents:chain", policy.pk)
    elif can_edit:
        editing = request.GET.get("step", "")
        step = policy.chain_steps.filter(pk=int(editing)).first() if editing.isdigit() else None
        form = cf.ChainStepForm(step=step)
    texts = policy.documents.order_by("written_on", "id")
    return render(
        request,
        "documents/interpretations/chain.html",
        {
            "policy": policy,
            "texts": texts,
            "interpretations": Interpretation.objects.filter(documents__policy=policy)
            .distinct()
            .order_by("published_on", "id"),
            "steps": policy.chain_steps.all(),
            "form": form,
            "editing": form is not None and bool(form["step_id"].value()),
            "can_edit": can_edit,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


urlpatterns = [
    path("documents/interpretations/", interpretation_list, name="interpretations"),
    path("documents/interpretations/new/", interpretation_new, name="interpretation_new"),
    path(
        "documents/interpretations/<int:pk>/edit/",
        interpretation_edit,
        name="interpretation_edit",
    ),
    path("documents/policies/<int:policy_pk>/chain/", chain, name="chain"),
]
