"""Staff pages for letters: download and print, deliveries, letters made by hand, and the
agency's template wording with its versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.accounts.scope import request_viewer
from gongkai.agencies.models import Agency
from gongkai.cases.forms import run_service
from gongkai.cases.selectors import visible_case_or_404
from gongkai.cases.services import CaseError
from gongkai.core.doctypes import DocType, check_template, fill

from . import forms as lf
from . import services as ls
from .downloads import letter_file
from .models import Delivery, Letter, LetterTemplate
from .selectors import letter_to_open, reply_preview_to_open


def _letter(request: HttpRequest, pk: int, letter_id: int) -> Letter:
    """A letter of a case the viewer may see (letters to the applicant: the office only,
    audited — :func:`gongkai.letters.selectors.letter_to_open`)."""
    case = visible_case_or_404(request, pk)
    letter = letter_to_open(actor=request.user, case=case, letter_id=letter_id, ip=_ip(request))
    if letter is None:
        raise Http404("没有这份文书")
    return letter


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_required
def download(request: HttpRequest, pk: int, letter_id: int) -> FileResponse:
    return letter_file(_letter(request, pk, letter_id))


@login_required
def print_view(request: HttpRequest, pk: int, letter_id: int) -> HttpResponse:
    return render(request, "letters/print.html", {"letter": _letter(request, pk, letter_id)})


@login_required
def preview_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply letter awaiting sign-off as a .docx marked “草稿（预览）” (office only,
    audited); not a letter: no 文号, not kept."""
    case = visible_case_or_404(request, pk)
    try:
        preview = reply_preview_to_open(
            actor=request.user, case=case, day=timezone.localdate(), ip=_ip(request)
        )
    except CaseError as exc:
        messages.error(request, str(exc))
        return redirect("cases:case", pk=pk)
    if preview is None:
        raise Http404("本申请没有待审签的答复稿")
    response = HttpResponse(
        ls.reply_preview_docx(preview),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"{case.number}{preview.title}（草稿预览）.docx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _back(request: HttpRequest, pk: int, form: Any, done: Any, ok: str) -> HttpResponse:
    if done is not None:
        messages.success(request, ok)
    else:
        for errs in form.errors.values():
            messages.error(request, "；".join(errs))
    return redirect("cases:case", pk=pk)


def _post(
    request: HttpRequest, pk: int, form: Any, call: Callable[[dict[str, Any]], Any], ok: str
) -> HttpResponse:
    """Run ``call(cleaned_data)`` if ``form`` is valid; back to the case page either way."""
    done = None
    if form.is_valid():
        done = run_service(form, lambda: call(form.cleaned_data))
    return _back(request, pk, form, done, ok)


@login_required
@require_POST
def deliver(request: HttpRequest, pk: int, letter_id: int) -> HttpResponse:
    letter = _letter(request, pk, letter_id)
    return _post(
        request,
        pk,
        lf.DeliveryForm(request.POST, prefix=f"d{letter.pk}"),
        lambda d: ls.delivery_record(
            actor=request.user,
            letter=letter,
            method=d["method"],
            tracking_number=d["tracking_number"],
            note=d["note"],
            day=d["day"],
            ip=_ip(request),
        ),
        f"已登记送达：{letter.title}",
    )


def _delivery(request: HttpRequest, pk: int, delivery_id: int) -> Delivery:
    case = visible_case_or_404(request, pk)
    return get_object_or_404(Delivery, pk=delivery_id, letter__case=case)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int, delivery_id: int) -> HttpResponse:
    delivery = _delivery(request, pk, delivery_id)
    return _post(
        request,
        pk,
        lf.ConfirmForm(request.POST, request.FILES, prefix=f"c{delivery.pk}"),
        lambda d: ls.delivery_confirm(
            actor=request.user,
            delivery=delivery,
            day=d["day"],
            signed_by=d["signed_by"],
            proof=d["proof"],
            ip=_ip(request),
        ),
        "已登记送达日期",
    )


@login_required
@require_POST
def returned(request: HttpRequest, pk: int, delivery_id: int) -> HttpResponse:
    delivery = _delivery(request, pk, delivery_id)
    return _post(
        request,
        pk,
        lf.ReturnForm(request.POST, prefix=f"r{delivery.pk}"),
        lambda d: ls.delivery_return(
            actor=request.user, delivery=delivery, reason=d["reason"], day=d["day"], ip=_ip(request)
        ),
        "已登记退件，请重新送达",
    )


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case_or_404(request, pk)
    form = lf.ManualLetterForm(request.POST, prefix="letter")
    return _post(
        request,
        pk,
        form,
        lambda d: ls.letter_issue(
            actor=request.user,
            case=case,
            doc_type=d["doc_type"],
            values=form.values(),
            day=d["day"],
            ip=_ip(request),
        ),
        "已制作文书",
    )


@login_required
@require_POST
def reply_basis(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the basis on which the personal information in the reply attachments may be
    released (《中华人民共和国政府信息公开条例》第十五条); back to the case page, with the
    form's errors (the service's refusal among them) as messages when refused."""
    case = visible_case_or_404(request, pk)
    form = lf.ReplyBasisForm(request.POST, prefix=lf.ReplyBasisForm.PREFIX)
    done = None
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: ls.reply_attachments_basis(
                actor=request.user, case=case, basis=d["basis"], note=d["note"], ip=_ip(request)
            ),
        )
    ok = ""
    if done is not None:
        reason = ls.RELEASE_BASES[form.cleaned_data["basis"]]
        ok = f"已记录答复附件的公开依据：{reason}。可以发出答复"
    return _back(request, pk, form, done, ok)


# --- templates ---------------------------------------------------------------------------------


def _editable_agencies(request: HttpRequest) -> Any:
    viewer = request_viewer(request)
    qs = Agency.objects.filter(handles_applications=True)
    if viewer.is_platform_admin:
        return qs
    return qs.filter(pk__in=viewer.template_agency_ids)


SAMPLE = {
    "机关名称": "示范市教育局",
    "公开工作机构": "示范市教育局办公室",
    "机关地址": "示范市人民路1号",
    "联系电话": "0000-12345678",
    "申请人": "张三",
    "申请编号": "SFJY-2026-0001",
    "收到日期": "2026年3月2日",
    "申请内容": "2025年义务教育阶段招生计划",
    "文号": "示教信公〔2026〕1号",
    "成文日期": "2026年3月20日",
}


def _preview(doc: DocType, title: str, body: str) -> tuple[str, list[str]]:
    values = {**SAMPLE, **{k: f"〔{v}〕" for k, v in doc.spec.fields.items()}}
    return fill(title, values), [p for p in fill(body, values).splitlines() if p.strip()]


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    agencies = list(_editable_agencies(request))
    if not agencies:
        raise Http404("您不是任何机关的公开工作机构负责人或管理员")
    agency = next((a for a in agencies if str(a.pk) == request.GET.get("agency")), agencies[0])
    versions: dict[str, LetterTemplate] = {}
    for t in LetterTemplate.objects.filter(agency=agency).order_by("doc_type", "-version"):
        versions.setdefault(t.doc_type, t)
    rows = [(d, versions.get(d.value)) for d in DocType]
    return render(
        request,
        "letters/templates.html",
        {"agencies": agencies, "agency": agency, "rows": rows},
    )


@login_required
def template_edit(request: HttpRequest, agency_id: int, doc_type: str) -> HttpResponse:
    agency = get_object_or_404(_editable_agencies(request), pk=agency_id)
    try:
        doc = DocType(doc_type)
    except ValueError as exc:
        raise Http404("没有这种文书") from exc
    current = ls.template_for(agency, doc)
    form = lf.TemplateForm(
        request.POST or None, initial={"title": current.title, "body": current.body}
    )
    preview, problems = None, []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        problems = check_template(doc, d["title"], d["body"])
        if not problems and "save" in request.POST:
            done = run_service(
                form,
                lambda: ls.template_save(
                    actor=request.user,
                    agency=agency,
                    doc_type=doc,
                    title=d["title"],
                    body=d["body"],
                    note=d["note"],
                    ip=_ip(request),
                ),
            )
            if done is not None:
                messages.success(request, f"已保存为第 {done.version} 版，此后制作的文书使用新版本")
                return redirect("letters:template", agency_id=agency.pk, doc_type=doc.value)
        if not problems:
            preview = _preview(doc, d["title"], d["body"])
    elif request.method != "POST":
        preview = _preview(doc, current.title, current.body)
    history = LetterTemplate.objects.filter(agency=agency, doc_type=doc.value).select_related(
        "created_by"
    )
    return render(
        request,
        "letters/template_edit.html",
        {
            "agency": agency,
            "doc": doc,
            "form": form,
            "current": current,
            "problems": problems,
            "preview": preview,
            "history": history,
            "placeholders": doc.spec.placeholders,
            "required": doc.spec.required,
            "today": timezone.localdate(),
        },
        status=400 if problems else 200,
    )
