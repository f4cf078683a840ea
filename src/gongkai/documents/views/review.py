"""Staff pages of 先审查后公开 (《中华人民共和国政府信息公开条例》第十七条): the actions on a
text's page (one POST endpoint, ``act``) and the 安全巡查 (the re-scan of what is published).

Each action's form (:func:`..forms.action_form`) validates the input; its service
(:mod:`..services.review`, :mod:`..services.registry`) decides; a refusal comes back on the
text's page, in the action's form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.scope import Viewer
from gongkai.agencies.models import Agency
from gongkai.audit.net import client_ip
from gongkai.core.validity import Validity

from .. import forms as f
from .. import selectors as sel
from ..access import DECIDING_ROLES, visibility
from ..models import Document, PatrolItem, PatrolRun, ReviewState
from ..services import decisions
from ..services import patrol as pt
from ..services import review as rv
from .common import flash_errors, registry_viewer
from .registry import render_detail

Call = Callable[[HttpRequest, Document, dict[str, Any]], Any]
#: The changes of validity a decision on one text makes (已修订 comes from a revising text).
DECIDABLE = [Validity.REPEALED, Validity.EXPIRED]

#: Each action's service, called with the form's cleaned data.
ACTIONS: dict[str, Call] = {
    "submit": lambda r, d, c: rv.document_submit(actor=r.user, document=d, ip=client_ip(r)),
    "secrecy": lambda r, d, c: rv.secrecy_review(
        actor=r.user, document=d, passed=c["passed"] == "yes", note=c["note"], ip=client_ip(r)
    ),
    "basis": lambda r, d, c: rv.basis_record(
        actor=r.user, document=d, basis=c["basis"], note=c["note"], ip=client_ip(r)
    ),
    "return": lambda r, d, c: rv.document_return(
        actor=r.user, document=d, note=c["note"], ip=client_ip(r)
    ),
    "publish": lambda r, d, c: rv.document_publish(actor=r.user, document=d, ip=client_ip(r)),
    "take_down": lambda r, d, c: rv.document_take_down(
        actor=r.user, document=d, reason=c["reason"], ip=client_ip(r)
    ),
    "validity": lambda r, d, c: decisions.validity_decide(
        actor=r.user,
        document=d,
        target=Validity(c["target"]),
        day=c["day"],
        decision_title=c["decision_title"],
        decision_number=c["decision_number"],
        ip=client_ip(r),
    ),
}


def _done(action: str, document: Document) -> str:
    """What the page says once ``action`` succeeded (``document`` re-read afterwards)."""
    state = document.review_state
    if action == "secrecy":
        if state == ReviewState.SCAN:
            return "保密审查通过；个人信息扫描发现须处理的个人信息，请核查后记录公开依据或退回修改"
        if state == ReviewState.SIGN_OFF:
            return "保密审查通过；个人信息扫描未发现须处理的个人信息，待签发"
        return "保密审查不通过，已退回修改"
    if action == "publish":
        return f"已签发并发布{document.name}（政策码 {document.policy.code}）"
    if action == "validity":
        return f"已记录效力变更：{document.name}现为“{Validity(document.validity).label}”"
    messages_by_action = {
        "submit": "已提交审查，待保密审查",
        "basis": "已记录公开依据，待签发",
        "return": "已退回修改",
        "take_down": "已撤下，门户网站不再公开该文件",
    }
    return messages_by_action[action]


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Perform ``action`` on text ``pk``; errors go back to the text's page with the form."""
    if action not in ACTIONS:
        raise Http404("没有这个操作")
    viewer = registry_viewer(request)
    document = sel.document_for(viewer, pk)
    # Every decidable change is accepted here: the service says why one is refused now.
    form = f.action_form(action, targets=DECIDABLE, data=request.POST)
    if form.is_valid():
        done = f.run_service(form, lambda: ACTIONS[action](request, document, form.cleaned_data))
        if done is not None:
            messages.success(request, _done(action, sel.document_for(viewer, pk)))
            return redirect("documents:detail", pk=pk)
    # Re-read: a refused service leaves nothing behind, whatever it set on the instance.
    return render_detail(request, sel.document_for(viewer, pk), failed=(action, form), status=400)


# --- 安全巡查 -----------------------------------------------------------------------------------


def _patrol_agencies(viewer: Viewer) -> list[Agency]:
    """The agencies whose published texts ``viewer`` may re-scan (their reviewers)."""
    ids = viewer.agencies_with(*pt.PATROL_ROLES)
    return list(Agency.objects.filter(pk__in=ids).order_by("path"))


def render_patrol(
    request: HttpRequest,
    *,
    failed: tuple[int, f.PatrolDecideForm] | None = None,
    run_form: f.PatrolRunForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = registry_viewer(request)
    runs = (
        PatrolRun.objects.filter(visibility(viewer))
        .select_related("agency", "actor")
        .annotate(found=Count("items"), still_open=Count("items", filter=Q(items__outcome="open")))[
            :20
        ]
    )
    items = (
        PatrolItem.objects.filter(visibility(viewer, "document__agency_id"))
        .filter(outcome=PatrolItem.Outcome.OPEN)
        .select_related("document", "document__agency", "run")
        .order_by("run__day", "id")
    )
    heads = set(viewer.agencies_with(*DECIDING_ROLES))
    rows = []
    for item in items:
        form = None
        if item.document.agency_id in heads:
            form = f.PatrolDecideForm(prefix=f"item{item.pk}")
            if failed is not None and failed[0] == item.pk:
                form = failed[1]
        rows.append((item, form))
    agencies = _patrol_agencies(viewer)
    context = {
        "runs": runs,
        "rows": rows,
        "run_form": run_form or (f.PatrolRunForm(agencies=agencies) if agencies else None),
        "today": timezone.localdate(),
    }
    return render(request, "documents/staff/patrol.html", context, status=status)


@login_required
def patrol(request: HttpRequest) -> HttpResponse:
    """安全巡查: past runs and the texts still to rectify, with the heads' decisions."""
    return render_patrol(request)


@login_required
@require_POST
def patrol_start(request: HttpRequest) -> HttpResponse:
    """立即巡查 of one agency (its reviewers), dated today."""
    viewer = registry_viewer(request)
    agencies = _patrol_agencies(viewer)
    if not agencies:
        raise Http404("只有本机关的保密审查员、公开工作机构负责人可以进行安全巡查")
    form = f.PatrolRunForm(request.POST, agencies=agencies)
    if form.is_valid():
        agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
        run = f.run_service(
            form,
            lambda: pt.patrol_run(actor=request.user, agency=agency, day=timezone.localdate()),
        )
        if run is not None:
            found = run.items.count()
            messages.success(
                request,
                f"已完成{agency.name}的安全巡查：扫描已发布文件 {run.scanned} 件，"
                f"发现须整改 {found} 件",
            )
            return redirect("documents:patrol")
    return render_patrol(request, run_form=form, status=400)


@login_required
@require_POST
def patrol_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """撤下整改 or 有依据保留 of one item (the head of the text's agency)."""
    viewer = registry_viewer(request)
    item = (
        PatrolItem.objects.filter(visibility(viewer, "document__agency_id"), pk=pk)
        .select_related("document", "document__agency")
        .first()
    )
    if item is None:
        raise Http404("找不到该整改项，或您无权查看")
    form = f.PatrolDecideForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        d = form.cleaned_data
        done = f.run_service(
            form,
            lambda: pt.patrol_decide(
                actor=request.user,
                item=item,
                outcome=d["outcome"],
                note=d["note"],
                basis=d["basis"],
                ip=client_ip(request),
            ),
        )
        if done is not None:
            what = "已撤下" if done.outcome == PatrolItem.Outcome.TAKEN_DOWN else "已记录依据并保留"
            messages.success(request, f"{item.document.name}{what}")
            return redirect("documents:patrol")
    if item.outcome != PatrolItem.Outcome.OPEN or item.document.agency_id not in set(
        viewer.agencies_with(*DECIDING_ROLES)
    ):  # the form is not on the page: say why it failed there
        flash_errors(request, form)
    return render_patrol(request, failed=(item.pk, form), status=400)


urlpatterns: list = [
    path("documents/<int:pk>/act/<str:action>/", act, name="act"),
    path("documents/patrol/", patrol, name="patrol"),
    path("documents/patrol/run/", patrol_start, name="patrol_run"),
    path("documents/patrol/items/<int:pk>/", patrol_decide, name="patrol_decide"),
]
