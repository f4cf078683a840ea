"""Staff pages of the annual report: list, prepare, edit, review, publish, export, import
(of the agency's own published report, or of an agency outside the tree for analysis),
roll-up."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.scope import request_viewer
from gongkai.agencies.models import Agency
from gongkai.cases.services import CaseError
from gongkai.core.report import from_json
from gongkai.core.report.draft import total_of
from gongkai.core.report.render import render_report_html, render_tables_html
from gongkai.core.report.schema import PARTS, Report, table4_id
from gongkai.core.report.titles import finding_title
from gongkai.core.workflow import Role

from . import export
from . import forms as rf
from . import selectors as sel
from . import services as rs
from . import table2_registry as t2r
from .compute import cases_fingerprint, open_cases
from .models import (
    Amendment,
    AnnualReport,
    ReportScope,
    ReportSource,
    ReportStatus,
    ReportWithdrawal,
)
from .rollup import rollup

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LITIGATION = ("litigation_direct", "litigation_after_reconsideration")


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _visible(request: HttpRequest, pk: int) -> AnnualReport:
    found = AnnualReport.objects.select_related("agency", "source_document")
    ar = found.filter(pk=pk).first()
    if ar is None or not sel.can_view_report(request_viewer(request), ar):
        raise Http404("没有这份年度报告，或无权查看")
    return ar


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errs in form.errors.values():
        messages.error(request, "；".join(errs))


def _run(request: HttpRequest, call: Callable[[], Any], ok: str) -> Any:
    try:
        done = call()
    except (rs.ReportError, CaseError) as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, ok)
    return done


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = request_viewer(request)
    preparable = sel.visible_agencies(viewer).filter(pk__in=viewer.agencies_with(*sel.PREPARERS))
    year = timezone.localdate().year
    governments = [
        a for a in sel.visible_agencies(viewer).filter(kind="government")
        if sel.can_roll_up(viewer, a)
    ]  # fmt: skip
    return render(
        request,
        "reports/index.html",
        {
            "reports": sel.reports_visible(viewer)[:200],
            "prepare_form": rf.PrepareForm(agencies=preparable, initial={"year": year}),
            "can_prepare": preparable.exists(),
            "governments": governments,
            "years": [year, year - 1],
            "review": sel.reports_visible(viewer).filter(
                status=ReportStatus.SUBMITTED, agency__isnull=False
            ),
            "can_analyse": sel.can_analyse(viewer),
        },
    )


@login_required
@require_POST
def prepare(request: HttpRequest) -> HttpResponse:
    viewer = request_viewer(request)
    form = rf.PrepareForm(
        request.POST, agencies=sel.visible_agencies(viewer).filter(
            pk__in=viewer.agencies_with(*sel.PREPARERS)
        )
    )  # fmt: skip
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("reports:index")
    d = form.cleaned_data
    done = _run(
        request,
        lambda: rs.report_prepare(
            actor=request.user, agency=d["agency"], year=d["year"], ip=_ip(request)
        ),
        f"已按案件数据统计{d['year']}年度报告",
    )
    return redirect("reports:report", pk=done.pk) if done else redirect("reports:index")


def _counted_from_cases(ar: AnnualReport) -> bool:
    """An agency's own report counted here from its cases (not imported, not an area sum)."""
    return ar.in_tree and ar.scope == ReportScope.AGENCY and ar.source == ReportSource.COMPUTED


def _changed_since_counted(ar: AnnualReport) -> bool:
    """The year's cases changed after the draft was counted (its figures may be stale)."""
    return (
        _counted_from_cases(ar)
        and ar.status != ReportStatus.PUBLISHED
        and bool(ar.counted_fingerprint)
        and ar.counted_fingerprint != cases_fingerprint(ar.year, ar.agency_id)
    )


def _still_open(ar: AnnualReport) -> int | None:
    """Applications of the report's year still being handled (None when not asked: a
    published, imported or area report)."""
    if not _counted_from_cases(ar) or ar.status == ReportStatus.PUBLISHED:
        return None
    return open_cases(ar.year, ar.agency_id)


def _summary(doc: Report) -> list[tuple[str, Any]]:
    """The headline figures of the report, as shown before publishing it."""
    litigation = total_of(doc, (table4_id(g, "total") for g in LITIGATION))
    return [
        ("本年新收申请", doc.t3("new")),
        ("上年结转", doc.t3("carried_in")),
        ("本年办结", doc.t3("total")),
        ("结转下年度继续办理", doc.t3("carried_out")),
        ("行政复议", doc.value(table4_id("reconsideration", "total"))),
        ("行政诉讼", litigation),
    ]


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    ar = _visible(request, pk)
    viewer = request_viewer(request)
    doc = rs.report_of(ar)
    amendments = Amendment.objects.filter(agency=ar.agency_id, year=ar.year).select_related(
        "case", "actor", "acknowledged_by"
    )
    if not ar.in_tree:
        amendments = amendments.none()
    registry = _registry_panel(ar, doc)
    context = {
        "ar": ar,
        "doc": doc,
        "tables": render_tables_html(doc),
        "parts": [(label, doc.narrative.get(key, "")) for key, label in PARTS],
        "findings": [(f, finding_title(f.code)) for f in doc.findings],
        "steps": ar.steps.select_related("actor"),
        "can_prepare": sel.can_prepare(viewer, ar.agency)
        and ar.editable
        and ar.source == "computed",
        "can_sign": sel.can_sign(viewer, ar.agency),
        "can_review": sel.can_review(viewer, ar.agency) and ar.status == ReportStatus.SUBMITTED,
        "can_return": sel.can_review(viewer, ar.agency) and ar.status == ReportStatus.ACCEPTED,
        "supervisor": sel.supervising_agency(ar.agency),
        "due": sel.due_date(ar.agency, ar.year) if ar.in_tree else None,
        "table2_form": rf.Table2Form(
            cells=doc.cells, sources=registry.sources() if registry else None
        ),
        "registry": registry,
        "narrative_form": rf.NarrativeForm(narrative=doc.narrative),
        "comment_form": rf.CommentForm(),
        "upload_form": rf.UploadForm(),
        "amendments": amendments,
        "differences": rs.live_differences(ar) if ar.status == ReportStatus.PUBLISHED else [],
        "part_keys": PARTS,
        "changed": _changed_since_counted(ar),
        "still_open": _still_open(ar),
        "summary": _summary(doc),
        "confirmation": rs.PUBLISH_CONFIRMATION,
        "withdrawals": ar.withdrawals.select_related("actor"),
        "can_withdraw": sel.can_sign(viewer, ar.agency)
        and ar.status == ReportStatus.PUBLISHED
        and ar.source == ReportSource.COMPUTED,
    }
    return render(request, "reports/report.html", context)


def _registry_panel(ar: AnnualReport, doc: Report) -> t2r.RegistryPanel | None:
    """Table 二 from the registry as the page shows it, with last year's published report
    for the cross-year identity (None: the agency enters table 二 by hand)."""
    if t2r.registry_state(doc) is None:
        return None
    found = t2r.previous_published(ar)
    previous = rs.report_of(found) if found is not None and found.document else None
    return t2r.registry_panel(doc, previous)


def _table2(request: HttpRequest, ar: AnnualReport) -> Any:
    form = rf.Table2Form(request.POST, cells={})
    if not form.is_valid():
        _form_errors(request, form)
        return None
    return _run(
        request,
        lambda: rs.report_table2_save(
            actor=request.user, report=ar, cells=form.cells(), ip=_ip(request)
        ),
        "表二已保存",
    )


def _table2_import(request: HttpRequest, ar: AnnualReport) -> Any:
    form = rf.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return None
    f = form.cleaned_data["file"]
    return _run(
        request,
        lambda: rs.report_table2_import(
            actor=request.user, report=ar, data=f.read(), name=f.name, ip=_ip(request)
        ),
        f"已从“{f.name}”导入表二",
    )


def _comment(request: HttpRequest) -> str:
    return request.POST.get("comment", "").strip()


ACTIONS: dict[str, tuple[Callable[[HttpRequest, AnnualReport], Any], str]] = {
    "recount": (
        lambda r, ar: rs.report_prepare(actor=r.user, agency=ar.agency, year=ar.year, ip=_ip(r)),
        "已按最新案件数据重新统计",
    ),
    "table2-registry": (
        lambda r, ar: rs.report_table2_registry(actor=r.user, report=ar, ip=_ip(r)),
        "已按政府文件库重新统计表二规章、行政规范性文件的件数",
    ),
    "narrative": (
        lambda r, ar: rs.report_narrative_save(
            actor=r.user, report=ar, parts={k: r.POST.get(k, "") for k, _ in PARTS}, ip=_ip(r)
        ),
        "正文已保存",
    ),
    "redraft": (
        lambda r, ar: rs.report_redraft(
            actor=r.user, report=ar, key=r.POST.get("part", ""), ip=_ip(r)
        ),
        "已重新起草该部分",
    ),
    "submit": (lambda r, ar: rs.report_submit(actor=r.user, report=ar, ip=_ip(r)), "已报送审核"),
    "return": (
        lambda r, ar: rs.report_return(actor=r.user, report=ar, comment=_comment(r), ip=_ip(r)),
        "已退回修改",
    ),
    "accept": (
        lambda r, ar: rs.report_accept(actor=r.user, report=ar, comment=_comment(r), ip=_ip(r)),
        "已审核通过",
    ),
    "publish": (
        lambda r, ar: rs.report_publish(
            actor=r.user, report=ar, confirmed=r.POST.get("confirm") == "yes", ip=_ip(r)
        ),
        "已发布，报告已在门户网站公开",
    ),
    "withdraw": (
        lambda r, ar: rs.report_withdraw(
            actor=r.user, report=ar, reason=r.POST.get("reason", ""), ip=_ip(r)
        ),
        "已撤回发布：该年度数据已解除锁定，报告可修改后重新报送、发布",
    ),
    "area": (
        lambda r, ar: rs.area_build(actor=r.user, government=ar.agency, year=ar.year, ip=_ip(r)),
        "已重新汇总",
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ar = _visible(request, pk)
    if action == "table2":
        _table2(request, ar)
    elif action == "table2-import":
        _table2_import(request, ar)
    elif action in ACTIONS:
        call, ok = ACTIONS[action]
        _run(request, lambda: call(request, ar), ok)
    else:
        raise Http404("没有这个操作")
    return redirect("reports:report", pk=pk)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    ar = _visible(request, pk)
    doc = rs.report_of(ar)
    code = ar.agency.code if ar.in_tree else f"report{ar.pk}"
    stem = f"{code}-{ar.year}" + ("-area" if ar.scope == ReportScope.AREA else "")
    if fmt == "docx":
        body, kind = export.report_docx(doc, issuer=ar.issuer), DOCX
    elif fmt == "xlsx":
        body, kind = export.report_xlsx(doc), XLSX
    elif fmt == "json":
        body = json.dumps(rs.report_document(ar), ensure_ascii=False, indent=2).encode()
        kind = "application/json"
    elif fmt == "html":
        body, kind = render_report_html(doc).encode(), "text/html; charset=utf-8"
    else:
        raise Http404("没有这种格式")
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def withdrawn_version(request: HttpRequest, pk: int, wid: int) -> HttpResponse:
    """The version of the report that was published and then withdrawn, as it was."""
    ar = _visible(request, pk)
    withdrawal = ReportWithdrawal.objects.filter(pk=wid, report=ar).first()
    if withdrawal is None:
        raise Http404("没有这条撤回发布记录")
    return HttpResponse(render_report_html(from_json(withdrawal.document)))


def _import_forms(request: HttpRequest, posted: str | None) -> tuple[Any, Any]:
    """The import form of the viewer's agencies (None when they prepare no agency's report)
    and, for :func:`sel.can_analyse`, the form for a report of an agency outside the tree;
    ``posted`` is bound to the request."""
    viewer = request_viewer(request)
    agencies = sel.visible_agencies(viewer).filter(pk__in=viewer.agencies_with(*sel.PREPARERS))
    data = (request.POST, request.FILES)
    own = None  # no agency whose report the viewer prepares: nothing of their own to import
    if agencies.exists():
        own = rf.ImportForm(
            *(data if posted == "own" else ()), agencies=agencies,
            initial={"year": timezone.localdate().year - 1},
        )  # fmt: skip
    outside = None
    if sel.can_analyse(viewer):
        outside = rf.OutsideImportForm(*(data if posted == "outside" else ()), prefix="outside")
    return own, outside


def _import_run(form: Any, run: Callable[[dict], AnnualReport]) -> AnnualReport | None:
    """Run the import of a valid ``form``: the new report, or None with the reason on the
    form (a file that cannot be read, or not in time, is the upload's fault, not the form's:
    said on the form, the page answers 200)."""
    try:
        return run(form.cleaned_data)
    except (rs.ReportError, CaseError) as exc:
        form.add_error(None, str(exc))
        return None


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    posted = "own" if request.method == "POST" else None
    form, outside = _import_forms(request, posted)
    if form is None and (outside is None or posted):
        raise Http404("您没有导入年度报告的权限")
    invalid = posted is not None and not form.is_valid()
    if posted and not invalid:
        done = _import_run(
            form,
            lambda d: rs.report_import(
                actor=request.user,
                agency=d["agency"],
                year=d["year"],
                data=d["file"].read(),
                name=d["file"].name,
                origin=d["origin"],
                ip=_ip(request),
            ),
        )
        if done is not None:
            messages.success(request, f"已导入{done.issuer}{done.year}年度报告")
            return redirect("reports:report", pk=done.pk)
    context = {"form": form, "outside_form": outside}
    return render(request, "reports/import.html", context, status=400 if invalid else 200)


@login_required
@require_POST
def import_outside(request: HttpRequest) -> HttpResponse:
    """The report of an agency outside the tree, imported for analysis."""
    form, outside = _import_forms(request, "outside")
    if outside is None:
        raise Http404("无权导入其他机关的年度报告")
    invalid = not outside.is_valid()
    if not invalid:
        done = _import_run(
            outside,
            lambda d: rs.report_import_outside(
                actor=request.user,
                data=d["file"].read(),
                name=d["file"].name,
                agency_name=d["agency_name"],
                year=d["year"],
                origin=d["origin"],
                ip=_ip(request),
            ),
        )
        if done is not None:
            messages.success(request, f"已导入{done.issuer}{done.year}年度报告（本平台以外的机关）")
            return redirect("reports:report", pk=done.pk)
    context = {"form": form, "outside_form": outside}
    return render(request, "reports/import.html", context, status=400 if invalid else 200)


@login_required
def rollup_page(request: HttpRequest, agency: int, year: int) -> HttpResponse:
    government = Agency.objects.filter(pk=agency).first()
    if government is None:
        raise Http404("没有这个机关")
    viewer = request_viewer(request)
    if not sel.can_roll_up(viewer, government):
        raise Http404("无权查看该政府的年报汇总")
    if request.method == "POST":
        done = _run(
            request,
            lambda: rs.area_build(
                actor=request.user, government=government, year=year, ip=_ip(request)
            ),
            f"已生成{year}年度本地区汇总报告",
        )
        if done is not None:
            return redirect("reports:report", pk=done.pk)
        return redirect("reports:rollup", agency=agency, year=year)
    return render(
        request,
        "reports/rollup.html",
        {"status": rollup(government, year, timezone.localdate()), "government": government,
         "year": year, "can_build": sel.can_prepare(viewer, government)},
    )  # fmt: skip


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the amendments the viewer could acknowledge: whether another agency's exists is
    # not the viewer's to learn.
    heads_of = request_viewer(request).agencies_with(Role.HEAD)
    a = Amendment.objects.filter(pk=pk, agency_id__in=heads_of).select_related("agency").first()
    if a is None:
        raise Http404("没有这条年报更正记录")
    _run(
        request,
        lambda: rs.amendment_acknowledge(actor=request.user, amendment=a, ip=_ip(request)),
        "已确认更正",
    )
    target = AnnualReport.objects.filter(
        agency=a.agency_id, year=a.year, scope=ReportScope.AGENCY
    ).first()
    return redirect("reports:report", pk=target.pk) if target else redirect("reports:index")
