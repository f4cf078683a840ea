"""Staff pages of the registry (文件库): the list, a text's page, new / revise / edit with its
attachments, and 清理 (one decision changing many texts' validity).

Views are thin: the selectors (:mod:`..selectors`) read through the viewer's scope, the
forms (:mod:`..forms`) carry every error, the services of :mod:`..services.registry` write.
A text outside the viewer's scope is 404 (:data:`..access.NOT_VISIBLE`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.scope import Viewer, request_viewer
from gongkai.agencies.models import Agency, AgencyKind
from gongkai.audit.net import client_ip
from gongkai.core.validity import Validity
from gongkai.rules.selectors import working_calendar

from .. import forms as f
from .. import qr
from .. import selectors as sel
from ..access import DECIDING_ROLES, DRAFTING_ROLES, roles_on, visibility
from ..models import Cleanup, Disclosure, Document, ReviewState
from ..services import catalogue as cat
from ..services import decisions
from ..services import registry as reg
from .catalogue import catalogue_choices
from .common import drafting_agencies, flash_errors, registry_viewer

PAGE_SIZE = 50
CLEANUP_NOT_VISIBLE = "找不到该清理记录，或您无权查看"


def run_or_flash(request: HttpRequest, call: Callable[[], Any], ok: str) -> bool:
    """Call a service that takes no input from a form: ``ok`` as a message when it is done,
    its refusal otherwise (the page it redirects to shows either)."""
    form = f.SubmitForm({})
    f.run_service(form, call)
    if form.errors:
        flash_errors(request, form)
        return False
    messages.success(request, ok)
    return True


def _issuing_agencies(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies whose texts ``viewer`` sees (internal units issue none)."""
    return (
        Agency.objects.filter(visibility(viewer, "pk"))
        .exclude(kind=AgencyKind.UNIT)
        .order_by("path")
    )


# --- the list ---------------------------------------------------------------------------------


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    viewer = registry_viewer(request)
    today, cal = timezone.localdate(), working_calendar()
    form = f.FilterForm(
        request.GET or None, agencies=_issuing_agencies(viewer), topics=sel.topics_for(viewer)
    )
    if form.is_bound and not form.is_valid():
        found: Any = Document.objects.none()
    else:
        found = sel.documents_for(viewer, **form.filters(), today=today, cal=cal)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(d, sel.publication_clock_for(d, today, cal)) for d in page.object_list],
        "query": query.urlencode(),
        "may_draft": bool(viewer.agencies_with(*DRAFTING_ROLES)),
        "may_clean": bool(viewer.agencies_with(*DECIDING_ROLES)),
        "filtered": form.is_bound,
    }
    return render(request, "documents/staff/list.html", context)


# --- one text ---------------------------------------------------------------------------------


def _public_url(request: HttpRequest, document: Document) -> str:
    """The policy's stable public address (一策一码, ``/p/<code>``), once published."""
    if document.review_state != ReviewState.PUBLISHED:
        return ""
    return qr.short_url(document.policy.code, request)


def _is_public(document: Document) -> bool:
    """Whether the portal shows this text (published and 主动公开, :mod:`..public`)."""
    return (
        document.review_state == ReviewState.PUBLISHED
        and document.disclosure == Disclosure.PROACTIVE
    )


def _mapping(viewer: Viewer, document: Document) -> dict[str, Any]:
    """The catalogue mapping part of a text's page: the items of its agency's catalogue in
    force for those who map (registrars and heads), and whether the policy's item is out of
    date (an item of an earlier version)."""
    item = document.policy.catalogue_item
    if not roles_on(viewer, document.agency_id) & DRAFTING_ROLES:
        return {"may_map": False, "map_items": [], "current_catalogue": None, "stale_item": False}
    current = cat.current_catalogue(document.agency_id)
    return {
        "may_map": True,
        "map_items": catalogue_choices(current),
        "current_catalogue": current,
        "stale_item": item is not None and (current is None or item.catalogue_id != current.pk),
    }


def _blocking_hits(steps: list[Any]) -> int:
    """How many hits of the latest personal-information scan block publication."""
    scans = [s for s in steps if s.kind == "scan"]
    if not scans:
        return 0
    return sum(1 for h in scans[-1].hits if isinstance(h, dict) and h.get("severity") == "block")


def render_detail(
    request: HttpRequest,
    document: Document,
    *,
    failed: tuple[str, f.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A text's page; ``failed``: an action whose form comes back with its errors."""
    viewer = request_viewer(request)
    today, cal = timezone.localdate(), working_calendar()
    versions = sel.versions_of(document)
    revised_by = next((v for v in versions if v.revises_id == document.pk), None)
    allowed = sel.document_actions(viewer, document, revised=revised_by is not None)
    targets = sel.validity_targets(document)
    steps = list(document.review_steps.select_related("actor"))
    in_stock = document.validity in sel.IN_STOCK
    forms = [
        (action, label, f.action_form(action, targets=targets))
        for action, label in f.ACTION_LABELS.items()
        if action in allowed
    ]
    if failed is not None:
        forms = [(a, lb, failed[1] if a == failed[0] else fm) for a, lb, fm in forms]
        if failed[0] not in allowed:  # not offered here: say why it failed all the same
            flash_errors(request, failed[1])
    context = {
        "document": document,
        "versions": versions,
        "revised_by": revised_by,
        "changes": document.validity_changes.select_related("actor", "cleanup"),
        "steps": steps,
        "blocking": _blocking_hits(steps),
        "last_return": next((s for s in reversed(steps) if s.kind == "return"), None)
        if document.review_state == ReviewState.RETURNED
        else None,
        "interpretations": document.interpretations.all(),
        "attachments": document.attachments.all(),
        "clock": sel.publication_clock_for(document, today, cal),
        # 三同步 matters for a text still in stock; a revised or repealed one is not flagged.
        "flags": sel.flags_of(document, sel.first_interpretation(document), today, cal)
        if in_stock
        else (),
        "next_step": sel.next_step(document),
        "pending_validity": sel.pending_validity(document, today),
        "is_public": _is_public(document),
        "forms": forms,
        "failed": failed[0] if failed else "",
        "allowed": allowed,
        "public_url": _public_url(request, document),
        "roles": sorted(r.label for r in roles_on(viewer, document.agency_id)),
        "may_interpret": bool(roles_on(viewer, document.agency_id) & DRAFTING_ROLES),
        # Who reads without acting: a supervising agency (上级机关) or a platform administrator.
        "supervising": ""
        if roles_on(viewer, document.agency_id)
        else ("平台管理员" if viewer.is_platform_admin else "上级机关"),
        "today": today,
        **_mapping(viewer, document),
    }
    return render(request, "documents/staff/detail.html", context, status=status)


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = registry_viewer(request)
    return render_detail(request, sel.document_for(viewer, pk))


def _revised(viewer: Viewer, raw: str) -> Document:
    """The text a new one is to revise (``?revises=``): one the viewer sees (else 404)."""
    if not raw.isdigit():
        raise Http404("要修订的文件编号不正确")
    return sel.document_for(viewer, int(raw))


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    """新建文件, or 修订 (``?revises=<pk>``: a new text of the same policy, pre-filled)."""
    viewer = registry_viewer(request)
    revises = _revised(viewer, request.GET["revises"]) if "revises" in request.GET else None
    if revises is not None:
        revised = Document.objects.filter(revises=revises).exists()
        if "revise" not in sel.document_actions(viewer, revises, revised=revised):
            messages.error(request, _why_not_revisable(viewer, revises, revised))
            return redirect("documents:detail", pk=revises.pk)
    agencies = drafting_agencies(viewer)
    if revises is None and not agencies.exists():
        raise Http404("只有本机关的登记员、公开工作机构负责人可以新建文件")
    form = f.DocumentForm(request.POST or None, agencies=agencies, revises=revises)
    if request.method == "POST" and form.is_valid():
        done = f.run_service(
            form,
            lambda: reg.document_create(
                actor=request.user, ip=client_ip(request), **form.create_arguments()
            ),
        )
        if done is not None:
            messages.success(request, f"已保存草稿{done.name}，索引号 {done.index_no}")
            return redirect("documents:detail", pk=done.pk)
    context = {"form": form, "revises": revises, "document": None}
    return render(request, "documents/staff/form.html", context, status=400 if form.errors else 200)


def _why_not_revisable(viewer: Viewer, document: Document, revised: bool) -> str:
    if not roles_on(viewer, document.agency_id) & DRAFTING_ROLES:
        return "只有本机关的登记员、公开工作机构负责人可以修订文件"
    if revised:
        return f"{document.name}已有修订稿，请在其页面继续办理"
    if document.review_state != ReviewState.PUBLISHED:
        return f"{document.name}尚未发布，请直接修改该文件"
    return f"{document.name}的效力状态为“{Validity(document.validity).label}”，不能再修订"


def _editable(request: HttpRequest, viewer: Viewer, document: Document) -> bool:
    """Whether ``viewer`` may change ``document`` now; if not, says why (a message)."""
    if "edit" in sel.document_actions(viewer, document):
        return True
    if not roles_on(viewer, document.agency_id) & DRAFTING_ROLES:
        messages.error(request, "只有本机关的登记员、公开工作机构负责人可以修改文件")
    else:
        state = ReviewState(document.review_state).label
        messages.error(request, f"{document.name}处于“{state}”状态，只有草稿或已退回的文件可以修改")
    return False


def render_edit(
    request: HttpRequest,
    document: Document,
    *,
    form: f.DocumentForm | None = None,
    attachment_form: f.AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form or f.DocumentForm(document=document),
        "attachment_form": attachment_form or f.AttachmentForm(),
        "attachments": document.attachments.all(),
        "document": document,
        "revises": document.revises,
    }
    return render(request, "documents/staff/form.html", context, status=status)


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = registry_viewer(request)
    document = sel.document_for(viewer, pk)
    if not _editable(request, viewer, document):
        return redirect("documents:detail", pk=pk)
    form = f.DocumentForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, "没有修改任何内容")
            return redirect("documents:detail", pk=pk)
        done = f.run_service(
            form,
            lambda: reg.document_update(
                actor=request.user, document=document, ip=client_ip(request), **changes
            ),
        )
        if done is not None:
            messages.success(request, f"已保存{done.name}")
            return redirect("documents:detail", pk=pk)
        document = sel.document_for(viewer, pk)  # the refused change left nothing behind
    return render_edit(request, document, form=form, status=400 if form.errors else 200)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = registry_viewer(request)
    document = sel.document_for(viewer, pk)
    if not _editable(request, viewer, document):
        return redirect("documents:detail", pk=pk)
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        done = f.run_service(
            form,
            lambda: reg.attachment_add(
                actor=request.user, document=document, upload=upload, ip=client_ip(request)
            ),
        )
        if done is not None:
            messages.success(request, f"已上传附件“{done.name}”")
            return redirect("documents:edit", pk=pk)
    return render_edit(request, document, attachment_form=form, status=400)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, att: int) -> HttpResponse:
    viewer = registry_viewer(request)
    document = sel.document_for(viewer, pk)
    attachment = document.attachments.filter(pk=att).first()
    if attachment is None:
        raise Http404("没有这个附件")
    if not _editable(request, viewer, document):
        return redirect("documents:detail", pk=pk)
    name = attachment.name
    run_or_flash(
        request,
        lambda: reg.attachment_remove(
            actor=request.user, attachment=attachment, ip=client_ip(request)
        ),
        f"已删除附件“{name}”",
    )
    return redirect("documents:edit", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, att: int) -> FileResponse:
    document = sel.document_for(registry_viewer(request), pk)
    attachment = document.attachments.filter(pk=att).first()
    if attachment is None:
        raise Http404("没有这个附件")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


# --- 清理 ---------------------------------------------------------------------------------------


def _cleanup_forms(
    request: HttpRequest, viewer: Viewer
) -> tuple[f.CleanupFilterForm, f.CleanupForm, Agency, QuerySet[Document]] | None:
    """The filter and decision forms of the agency chosen (None: the viewer decides for no
    agency, and reads the past 清理 only)."""
    deciding = list(
        Agency.objects.filter(pk__in=viewer.agencies_with(*DECIDING_ROLES)).order_by("path")
    )
    if not deciding:
        return None
    filters = f.CleanupFilterForm(request.GET or None, agencies=deciding)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    agency = next((a for a in deciding if a.pk == chosen.get("agency")), deciding[0])
    if not filters.is_bound:
        filters = f.CleanupFilterForm(initial={"agency": agency.pk}, agencies=deciding)
    year = chosen.get("year")
    shown = sel.cleanup_candidates(
        viewer,
        agency.pk,
        q=(chosen.get("q") or "").strip(),
        kind=chosen.get("kind") or "",
        year="" if year is None else year,
    )
    data = request.POST if request.method == "POST" else None
    form = f.CleanupForm(data, candidates=sel.cleanup_candidates(viewer, agency.pk))
    return filters, form, agency, shown


@login_required
def cleanup(request: HttpRequest) -> HttpResponse:
    """清理: choose texts of one agency, the result (已废止 or 失效), its date and decision."""
    viewer = registry_viewer(request)
    built = _cleanup_forms(request, viewer)
    if built is None and request.method == "POST":
        raise Http404("只有本机关的公开工作机构负责人可以作出清理决定")
    context: dict[str, Any] = {
        "past": Cleanup.objects.filter(visibility(viewer))
        .select_related("agency")
        .annotate(applied=Count("changes"))[:50]
    }
    status = 200
    if built is not None:
        filters, form, agency, shown = built
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            done = f.run_service(
                form,
                lambda: decisions.cleanup_run(
                    actor=request.user,
                    agency=agency,
                    title=d["title"],
                    target=Validity(d["target"]),
                    day=d["day"],
                    decision_title=d["decision_title"],
                    decision_number=d["decision_number"],
                    documents=list(d["documents"]),
                    ip=client_ip(request),
                ),
            )
            if done is not None:
                messages.success(request, f"已作出清理决定“{done.title}”")
                return redirect("documents:cleanup_detail", pk=done.pk)
        status = 400 if form.errors else 200
        chosen = {str(v) for v in form.data.getlist("documents")} if form.is_bound else set()
        context.update(filters=filters, form=form, agency=agency, candidates=shown, chosen=chosen)
    return render(request, "documents/staff/cleanup.html", context, status=status)


def _cleanup_or_404(viewer: Viewer, pk: int) -> Cleanup:
    found = Cleanup.objects.filter(visibility(viewer), pk=pk).select_related("agency").first()
    if found is None:
        raise Http404(CLEANUP_NOT_VISIBLE)
    return found


@login_required
def cleanup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A 清理's result: the texts changed and those refused, with the reasons."""
    viewer = registry_viewer(request)
    batch = _cleanup_or_404(viewer, pk)
    context = {
        "cleanup": batch,
        "applied": batch.changes.select_related("document").order_by("id"),
        "refused": batch.refused or [],
        "may_publish": batch.published_on is None
        and bool(roles_on(viewer, batch.agency_id) & DECIDING_ROLES),
    }
    return render(request, "documents/staff/cleanup_detail.html", context)


@login_required
@require_POST
def cleanup_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """公布清理结果."""
    viewer = registry_viewer(request)
    batch = _cleanup_or_404(viewer, pk)
    run_or_flash(
        request,
        lambda: decisions.cleanup_publish(actor=request.user, cleanup=batch, ip=client_ip(request)),
        f"已公布清理结果“{batch.title}”",
    )
    return redirect("documents:cleanup_detail", pk=pk)


urlpatterns: list = [
    path("documents/", document_list, name="list"),
    path("documents/new/", document_new, name="new"),
    path("documents/<int:pk>/", document_detail, name="detail"),
    path("documents/<int:pk>/edit/", document_edit, name="edit"),
    path("documents/<int:pk>/attachments/", attachment_upload, name="attach"),
    path("documents/<int:pk>/attachments/<int:att>/", attachment_download, name="attachment"),
    path("documents/<int:pk>/attachments/<int:att>/remove/", attachment_remove, name="detach"),
    path("documents/cleanup/", cleanup, name="cleanup"),
    path("documents/cleanup/<int:pk>/", cleanup_detail, name="cleanup_detail"),
    path("documents/cleanup/<int:pk>/publish/", cleanup_publish, name="cleanup_publish"),
]
