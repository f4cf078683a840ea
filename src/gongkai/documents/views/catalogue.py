"""Staff pages of the 主动公开事项目录: the versions and items of the viewer's agencies, the
import of a new version, publishing it, and mapping policies to its items.

The office's registrars and heads import and map, the head publishes
(:mod:`gongkai.documents.access`); supervisors read their agencies' catalogues only.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.accounts.scope import Viewer
from gongkai.audit.net import client_ip

from .. import catalogue_forms as cf
from ..access import DECIDING_ROLES, DRAFTING_ROLES, may, visibility
from ..models import Catalogue, CatalogueItem, Policy
from ..services import catalogue as svc
from ..services.base import DocumentError
from .common import drafting_agencies, flash_errors, registry_viewer

#: Items of each agency's catalogue shown on the overview (the rest on the version's page).
PREVIEW_ITEMS = 50
#: Items a page of one version shows.
PAGE_ITEMS = 200
NOT_FOUND = "找不到该目录，或您无权查看"


def _back(request: HttpRequest, fallback: str, *args: Any) -> HttpResponse:
    """Back to the posted ``next`` page (same site only), else to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, *args)


def _map_form(
    viewer: Viewer, agency_ids: list[int] | None = None, data: Any = None
) -> cf.CatalogueMapForm:
    """The mapping form over the policies of ``agency_ids`` (default: all) where the viewer
    drafts, and the items of those agencies' catalogues in force."""
    mine = [
        a for a in viewer.agencies_with(*DRAFTING_ROLES) if agency_ids is None or a in agency_ids
    ]
    current = [c.pk for c in svc.current_catalogues(mine).values()]
    policies = svc.with_titles(Policy.objects.filter(agency_id__in=mine).order_by("-pk"))
    items = CatalogueItem.objects.filter(catalogue_id__in=current).order_by("position")
    # One form per agency on the overview: their fields need ids of their own.
    auto_id = f"id_map{agency_ids[0]}_%s" if agency_ids else "id_%s"
    return cf.CatalogueMapForm(data, policies=policies, items=items, auto_id=auto_id)


def catalogue_choices(catalogue: Catalogue | None) -> list[CatalogueItem]:
    """The items of ``catalogue`` (an agency's catalogue in force) in order, for the mapping
    form of a text's page; none without a catalogue."""
    if catalogue is None:
        return []
    return list(catalogue.items.order_by("position"))


def _agency_blocks(viewer: Viewer) -> list[dict[str, Any]]:
    """For each agency the viewer sees with a catalogue: its versions, the first items of
    the version in force (else the newest draft) and the policies to map again."""
    versions = (
        Catalogue.objects.filter(visibility(viewer))
        .select_related("agency", "created_by")
        .annotate(item_count=Count("items"))
        .order_by("agency__path", "-version")
    )
    by_agency: dict[int, list[Catalogue]] = defaultdict(list)
    for c in versions:
        by_agency[c.agency_id].append(c)
    current = svc.current_catalogues(by_agency)
    for a, cs in by_agency.items():
        newest = current[a].version if a in current else 0
        for c in cs:
            c.publishable = c.published_on is None and c.version > newest
    shown = {a: current.get(a, cs[0]) for a, cs in by_agency.items()}
    items = _preview_items([c.pk for c in shown.values()])
    unmatched: dict[int, list[Policy]] = defaultdict(list)
    for p in svc.unmatched_policies(by_agency):
        unmatched[p.agency_id].append(p)
    return [
        {
            "agency": cs[0].agency,
            "versions": cs,
            "current": current.get(a),
            "shown": shown[a],
            "items": items.get(shown[a].pk, []),
            "unmatched": unmatched.get(a, []),
            "can_map": may(viewer, a, DRAFTING_ROLES),
            "can_publish": may(viewer, a, DECIDING_ROLES),
            "map_form": _unmatched_form(viewer, a, unmatched.get(a, [])),
        }
        for a, cs in by_agency.items()
    ]


def _unmatched_form(
    viewer: Viewer, agency_id: int, unmatched: list[Policy]
) -> cf.CatalogueMapForm | None:
    """The form to map again the policies left unmatched (listing only those)."""
    if not unmatched or not may(viewer, agency_id, DRAFTING_ROLES):
        return None
    form = _map_form(viewer, [agency_id])
    form.fields["policy_id"].queryset = svc.with_titles(
        Policy.objects.filter(pk__in=[p.pk for p in unmatched]).order_by("pk")
    )
    return form


def _preview_items(catalogue_ids: list[int]) -> dict[int, list[CatalogueItem]]:
    """The first :data:`PREVIEW_ITEMS` items of each catalogue (one query)."""
    rows = (
        CatalogueItem.objects.filter(catalogue_id__in=catalogue_ids)
        .annotate(
            n=Window(RowNumber(), partition_by=F("catalogue_id"), order_by=F("position").asc())
        )
        .filter(n__lte=PREVIEW_ITEMS)
        .order_by("catalogue_id", "position")
    )
    found: dict[int, list[CatalogueItem]] = defaultdict(list)
    for item in rows:
        found[item.catalogue_id].append(item)
    return found


@login_required
def catalogue_index(request: HttpRequest) -> HttpResponse:
    """The catalogues of the viewer's agencies, and the import form for those they draft."""
    viewer = registry_viewer(request)
    agencies = drafting_agencies(viewer)
    form = cf.CatalogueImportForm(agencies=agencies) if agencies else None
    return render(
        request,
        "documents/catalogue/index.html",
        {"blocks": _agency_blocks(viewer), "import_form": form, "preview": PREVIEW_ITEMS},
    )


@login_required
@require_POST
def catalogue_import(request: HttpRequest) -> HttpResponse:
    """Import an .xlsx as a new draft version; errors are shown on the overview's form."""
    viewer = registry_viewer(request)
    agencies = drafting_agencies(viewer)
    form = cf.CatalogueImportForm(request.POST, request.FILES, agencies=agencies)
    if form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        try:
            if upload.size > svc.MAX_BYTES:
                raise DocumentError(f"文件“{upload.name}”超过 20 MB 的大小限制")
            catalogue = svc.catalogue_import_xlsx(
                actor=request.user,
                agency=d["agency"],
                data=upload.read(),
                filename=upload.name,
                note=d["note"],
                ip=client_ip(request),
            )
        except DocumentError as exc:
            cf.refuse(form, str(exc), "file")
        else:
            messages.success(
                request,
                f"已导入第{catalogue.version}版目录（草稿），核对无误后由负责人发布",
            )
            return redirect("documents:catalogue_detail", catalogue.pk)
    return render(
        request,
        "documents/catalogue/index.html",
        {"blocks": _agency_blocks(viewer), "import_form": form, "preview": PREVIEW_ITEMS},
        status=400,
    )


def _visible_catalogue(viewer: Viewer, pk: int) -> Catalogue:
    found = Catalogue.objects.filter(visibility(viewer), pk=pk).select_related("agency").first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@login_required
def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version: its items (paged) with their policies, publishing, policies to map."""
    viewer = registry_viewer(request)
    catalogue = _visible_catalogue(viewer, pk)
    items = (
        catalogue.items.annotate(policy_count=Count("policies"))
        .order_by("position")
        .prefetch_related(Prefetch("policies", queryset=svc.with_titles(Policy.objects.all())))
    )
    page = Paginator(items, PAGE_ITEMS).get_page(request.GET.get("page"))
    current = svc.current_catalogue(catalogue.agency_id)
    ctx = {
        "catalogue": catalogue,
        "page": page,
        "current": current,
        "can_publish": may(viewer, catalogue.agency_id, DECIDING_ROLES)
        and catalogue.published_on is None
        and (current is None or current.version < catalogue.version),
        "unmatched": svc.unmatched_policies([catalogue.agency_id]) if catalogue == current else [],
        "can_map": may(viewer, catalogue.agency_id, DRAFTING_ROLES),
    }
    ctx["map_form"] = _unmatched_form(viewer, catalogue.agency_id, list(ctx["unmatched"]))
    return render(request, "documents/catalogue/detail.html", ctx)


@login_required
@require_POST
def catalogue_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft version (the office head)."""
    viewer = registry_viewer(request)
    catalogue = _visible_catalogue(viewer, pk)
    try:
        svc.catalogue_publish(actor=request.user, catalogue=catalogue, ip=client_ip(request))
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        left = svc.unmatched_policies([catalogue.agency_id]).count()
        note = f"；{left}件政策的原目录事项在新版中找不到，请重新对应" if left else ""
        messages.success(request, f"已发布第{catalogue.version}版目录{note}")
    return redirect("documents:catalogue_detail", catalogue.pk)


@login_required
def catalogue_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: its elements, the policies mapped to it, and the form to map another."""
    viewer = registry_viewer(request)
    item = (
        CatalogueItem.objects.filter(visibility(viewer, "catalogue__agency_id"), pk=pk)
        .select_related("catalogue__agency")
        .first()
    )
    if item is None:
        raise Http404("找不到该目录事项，或您无权查看")
    agency_id = item.catalogue.agency_id
    current = svc.current_catalogue(agency_id)
    can_map = may(viewer, agency_id, DRAFTING_ROLES) and item.catalogue == current
    form = _map_form(viewer, [agency_id]) if can_map else None
    if form is not None:
        form.initial["item_id"] = item.pk
    return render(
        request,
        "documents/catalogue/item.html",
        {
            "item": item,
            "current": current,
            "policies": svc.with_titles(item.policies.order_by("pk")),
            "map_form": form,
            "can_map": can_map,
        },
    )


@login_required
@require_POST
def catalogue_map(request: HttpRequest) -> HttpResponse:
    """Map a policy (POST ``policy_id``) to a catalogue item (``item_id``; blank clears it),
    then back to ``next``."""
    viewer = registry_viewer(request)
    form = _map_form(viewer, data=request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return _back(request, "documents:catalogue")
    policy, item = form.cleaned_data["policy_id"], form.cleaned_data["item_id"]
    try:
        svc.policy_map_catalogue(
            actor=request.user, policy=policy, item=item, ip=client_ip(request)
        )
    except DocumentError as exc:
        messages.error(request, str(exc))
    else:
        done = f"已对应目录事项“{item}”" if item else "已取消对应的目录事项"
        messages.success(request, done)
    return _back(request, "documents:catalogue")


urlpatterns = [
    path("documents/catalogue/", catalogue_index, name="catalogue"),
    path("documents/catalogue/import/", catalogue_import, name="catalogue_import"),
    path("documents/catalogue/map/", catalogue_map, name="catalogue_map"),
    path("documents/catalogue/<int:pk>/", catalogue_detail, name="catalogue_detail"),
    path("documents/catalogue/<int:pk>/publish/", catalogue_publish, name="catalogue_publish"),
    path("documents/catalogue/items/<int:pk>/", catalogue_item, name="catalogue_item"),
]
