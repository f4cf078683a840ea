"""Staff pages of the annual report: list, prepare, edit, review, publish, export, import,
roll-up; and the reconsideration/litigation records on the case page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.scope import viewer_for
from gongkai.agencies.models import Agency
from gongkai.cases.services import CaseError
from gongkai.cases.views.pages import visible_case_or_404
from gongkai.core.report.render import render_report_html, render_tables_html
from gongkai.core.report.schema import PARTS

from . import export
from . import forms as rf
from . import remedies as rm
from . import selectors as sel
from . import services as rs
from .lock import published_years
from .models import Amendment, AnnualReport, Remedy, ReportScope, ReportStatus
from .rollup import rollup

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _visible(request: HttpRequest, pk: int) -> AnnualReport:
    ar = get_object_or_404(AnnualReport.objects.select_related("agency"), pk=pk)
    if not sel.can_view(viewer_for(request.user), ar.agency):
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
    viewer = viewer_for(request.user)
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
            "review": sel.reports_visible(viewer).filter(status=ReportStatus.SUBMITTED),
        },
    )


@login_required
@require_POST
def prepare(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
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


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    ar = _visible(request, pk)
    viewer = viewer_for(request.user)
    doc = rs.report_of(ar)
    amendments = Amendment.objects.filter(agency=ar.agency, year=ar.year).select_related(
        "case", "actor", "acknowledged_by"
    )
    context = {
        "ar": ar,
        "doc": doc,
        "tables": render_tables_html(doc),
        "parts": [(label, doc.narrative.get(key, "")) for key, label in PARTS],
        "findings": doc.findings,
        "steps": ar.steps.select_related("actor"),
        "can_prepare": sel.can_prepare(viewer, ar.agency)
        and ar.editable
        and ar.source == "computed",
        "can_sign": sel.can_sign(viewer, ar.agency),
        "can_review": sel.can_review(viewer, ar.agency) and ar.status == ReportStatus.SUBMITTED,
        "supervisor": sel.supervising_agency(ar.agency),
        "due": sel.due_date(ar.agency, ar.year),
        "table2_form": rf.Table2Form(cells=doc.cells),
        "narrative_form": rf.NarrativeForm(narrative=doc.narrative),
        "comment_form": rf.CommentForm(),
        "upload_form": rf.UploadForm(),
        "amendments": amendments,
        "differences": rs.live_differences(ar) if ar.status == ReportStatus.PUBLISHED else [],
        "part_keys": PARTS,
    }
    return render(request, "reports/report.html", context)


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
    "publish": (lambda r, ar: rs.report_publish(actor=r.user, report=ar, ip=_ip(r)), "已发布"),
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
    stem = f"{ar.agency.code}-{ar.year}" + ("-area" if ar.scope == ReportScope.AREA else "")
    if fmt == "docx":
        body, kind = export.report_docx(doc, issuer=ar.agency.name), DOCX
    elif fmt == "xlsx":
        body, kind = export.report_xlsx(doc), XLSX
    elif fmt == "json":
        body = json.dumps(ar.document, ensure_ascii=False, indent=2).encode()
        kind = "application/json"
    elif fmt == "html":
        body, kind = render_report_html(doc).encode(), "text/html; charset=utf-8"
    else:
        raise Http404("没有这种格式")
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    agencies = sel.visible_agencies(viewer).filter(pk__in=viewer.agencies_with(*sel.PREPARERS))
    form = rf.ImportForm(
        request.POST or None, request.FILES or None, agencies=agencies,
        initial={"year": timezone.localdate().year - 1},
    )  # fmt: skip
    invalid = request.method == "POST" and not form.is_valid()
    if request.method == "POST" and not invalid:
        d = form.cleaned_data
        try:
            done = rs.report_import(
                actor=request.user,
                agency=d["agency"],
                year=d["year"],
                data=d["file"].read(),
                name=d["file"].name,
                ip=_ip(request),
            )
        except (rs.ReportError, CaseError) as exc:
            # a file that cannot be read (or is too complex to read in time) is the
            # upload's fault, not the form's: said on the form, the page answers 200
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已导入{d['agency'].name}{d['year']}年度报告")
            return redirect("reports:report", pk=done.pk)
    return render(request, "reports/import.html", {"form": form}, status=400 if invalid else 200)


@login_required
def rollup_page(request: HttpRequest, agency: int, year: int) -> HttpResponse:
    government = get_object_or_404(Agency, pk=agency)
    viewer = viewer_for(request.user)
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
    a = get_object_or_404(Amendment, pk=pk)
    _run(
        request,
        lambda: rs.amendment_acknowledge(actor=request.user, amendment=a, ip=_ip(request)),
        "已确认更正",
    )
    target = AnnualReport.objects.filter(
        agency=a.agency_id, year=a.year, scope=ReportScope.AGENCY
    ).first()
    return redirect("reports:report", pk=target.pk) if target else redirect("reports:index")


# --- remedies on the case page ------------------------------------------------------------


def remedy_context(case: Any) -> dict[str, Any]:
    """What the case page shows of its reconsiderations and lawsuits."""
    return {
        "remedies": list(case.remedies.all()),
        "remedy_form": rf.RemedyForm(prefix="remedy"),
        "decide_form": rf.DecideForm(prefix="decide"),
        "amend_open": bool(published_years(case.agency_id)),
    }


def _remedy_post(
    request: HttpRequest, pk: int, form: Any, call: Callable[[dict], Any], ok: str
) -> HttpResponse:
    """Validate ``form`` and run ``call`` with its data (as an amendment when a reason for
    changing a published year is given); back to the case page either way."""
    if form.is_valid():
        reason = request.POST.get("amend_reason", "")
        _run(request, lambda: call({**form.cleaned_data, "amend_reason": reason}), ok)
    else:
        _form_errors(request, form)
    return redirect("cases:case", pk=pk)


@login_required
@require_POST
def remedy_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case_or_404(request, pk)
    return _remedy_post(
        request,
        pk,
        rf.RemedyForm(request.POST, prefix="remedy"),
        lambda d: rm.remedy_record(actor=request.user, case=case, ip=_ip(request), **d),
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
        lambda d: rm.remedy_decide(actor=request.user, remedy=r, ip=_ip(request), **d),
        "已登记复议/诉讼结果",
    )
