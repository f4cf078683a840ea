"""The registry's public pages: 政府文件库, a text's page, 清理结果, 主动公开事项目录, and
一策一码 (``/p/<code>``, its QR codes).

What the public may see is decided in :mod:`.public` (published and 主动公开 only,
《中华人民共和国政府信息公开条例》第十九条、第二十条); these views only read it. The pages under
``/portal/`` are wrapped by the portal (``gongkai.portal.urls.page``), so a ``Http404`` with a
Chinese reason shows the portal's own 404 page; the short addresses live at the site root
(a printed code stays short) and answer an unknown code with the same page themselves.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from gongkai.agencies.models import Agency
from gongkai.core.validity import DocKind, Validity

from . import public, qr
from .models import Attachment, Document

PER_PAGE = 20
CLEANUPS_PER_PAGE = 10
#: How long a browser or proxy may keep a QR image: the code of a policy never changes.
QR_MAX_AGE = 7 * 24 * 3600
UNKNOWN_CODE = (
    "找不到政策码“{code}”对应的政策文件：该政策码不存在，或其文件尚未公开。"
    "请核对二维码或短链接，也可以在政府文件库中按标题查找。"
)
NO_TEXT = "找不到该文件：文件不存在，或尚未主动公开。"
NO_FILE = "找不到该附件，或其所属文件尚未主动公开。"
FILE_MISSING = "该附件的文件暂时无法读取，请稍后再试，或联系发布机构。"
NO_CATALOGUE = "该机关尚未发布主动公开事项目录。"
_CONTENT_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$", re.ASCII)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\"]')


def _invalid(label: str) -> dict[str, str]:
    return {"invalid_choice": f"所选的{label}不在可选范围内，该条件未使用"}


class FilterForm(forms.Form):
    """The list's filters; a value that is not offered is reported and not used."""

    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=public.MAX_QUERY,
        error_messages={"max_length": f"关键词最多{public.MAX_QUERY}个字，该条件未使用"},
    )
    kind = forms.ChoiceField(label="类别", required=False, error_messages=_invalid("类别"))
    agency = forms.ChoiceField(
        label="发布机构", required=False, error_messages=_invalid("发布机构")
    )
    validity = forms.ChoiceField(
        label="效力状态", required=False, error_messages=_invalid("效力状态")
    )
    year = forms.TypedChoiceField(
        label="年度", required=False, coerce=int, empty_value=None, error_messages=_invalid("年度")
    )
    topic = forms.ChoiceField(label="主题", required=False, error_messages=_invalid("主题"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = public.filter_choices()
        self.agencies = {a.code: a for a in offered["agencies"]}
        every = [("", "全部")]
        self.fields["kind"].choices = every + [(k.value, k.label) for k in DocKind]
        self.fields["agency"].choices = every + [(a.code, a.name) for a in offered["agencies"]]
        self.fields["validity"].choices = every + [(v.value, v.label) for v in Validity]
        self.fields["year"].choices = every + [(str(y), f"{y}年") for y in offered["years"]]
        self.fields["topic"].choices = every + [(t, t) for t in offered["topics"]]

    def filters(self) -> dict[str, Any]:
        """The valid filters as :func:`public.public_documents` takes them."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "kind": data.get("kind") or None,
            "agency": self.agencies.get(data.get("agency") or ""),
            "validity": data.get("validity") or None,
            "year": data.get("year"),
            "topic": data.get("topic") or "",
        }

    def messages(self) -> list[str]:
        """Each refused filter's message (already naming the filter)."""
        return [m for errors in self.errors.values() for m in errors]


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    """政府文件库: the public texts, filtered, 20 a page."""
    form = FilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    rows = public.public_documents(**filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/portal/list.html",
        {
            "form": form,
            "refused": form.messages() if form.is_bound else [],
            "page": page,
            "filtered": any(v for v in filters.values()),
        },
    )


def _public_or_404(pk: int) -> Document:
    document = public.public_document(pk)
    if document is None:
        raise Http404(NO_TEXT)
    return document


@require_safe
def document_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One public text: its facts, validity, full text, files, versions, 解读, chain and code."""
    document = _public_or_404(pk)
    versions = public.versions(document)
    current = public.current_text(document.policy, texts=versions)
    code = document.policy.code
    readings = [{"r": r, "url": public.safe_url(r.url)} for r in public.interpretations(document)]
    return render(
        request,
        "documents/portal/detail.html",
        {
            "d": document,
            "note": public.validity_note(document),
            "current": current,
            "is_current": current is not None and current.pk == document.pk,
            "versions": versions,
            "readings": readings,
            "chain": public.chain(document, texts=versions),
            "attachments": list(document.attachments.all()),
            "code": code,
            "short_url": qr.short_url(code, request),
        },
    )


def _download_name(name: str, pk: int) -> str:
    cleaned = _UNSAFE_NAME.sub("_", name).strip(" .")
    return cleaned or f"附件{pk}"


@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """A file of a public text, streamed as stored (only files of public texts)."""
    document = public.public_document(pk)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, document=document).first()
        if document is not None
        else None
    )
    if attachment is None:
        raise Http404(NO_FILE)
    try:
        handle = attachment.file.open("rb")
    except (OSError, ValueError) as exc:  # missing from the storage, or no file recorded
        raise Http404(FILE_MISSING) from exc
    content_type = attachment.content_type.strip()
    if not _CONTENT_TYPE.match(content_type):
        content_type = "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_download_name(attachment.name, attachment.pk),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def cleanup_list(request: HttpRequest) -> HttpResponse:
    """清理结果: the published results of the 清理 of documents, newest first."""
    page = Paginator(public.public_cleanups(), CLEANUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "documents/portal/cleanups.html", {"page": page})


@require_safe
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """The agencies that have published a 主动公开事项目录."""
    return render(
        request, "documents/portal/catalogues.html", {"agencies": public.catalogue_agencies()}
    )


@require_safe
def catalogue_page(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's latest published 主动公开事项目录, every 要素 a column (a card on a phone)."""
    agency = Agency.objects.filter(code=code.upper()).first()
    catalogue = public.latest_catalogue(agency) if agency is not None else None
    if catalogue is None:
        raise Http404(NO_CATALOGUE)
    texts = public.catalogue_texts(catalogue)
    items = [(item, texts.get(item.pk, [])) for item in catalogue.items.all()]
    return render(
        request,
        "documents/portal/catalogue.html",
        {"agency": agency, "catalogue": catalogue, "items": items},
    )


# --- 一策一码 ------------------------------------------------------------------------------


def _unknown_code(request: HttpRequest, code: str) -> HttpResponse:
    """The portal's 404 page (the short addresses are outside ``/portal/``)."""
    message = UNKNOWN_CODE.format(code=code[:20])
    return render(request, "portal/404.html", {"message": message}, status=404)


@require_safe
def policy_code(request: HttpRequest, code: str) -> HttpResponse:
    """``/p/<code>``: to the policy's current public text (302: it changes with revisions)."""
    document = public.policy_by_code(code)
    if document is None:
        return _unknown_code(request, code)
    return HttpResponseRedirect(reverse("portal:document", args=[document.pk]))


def _qr(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    document = public.policy_by_code(code)
    if document is None:
        return _unknown_code(request, code)
    url = qr.short_url(document.policy.code, request)
    if kind == "svg":
        response = HttpResponse(
            qr.qr_svg(url, title=f"政策码 {document.policy.code}"), content_type="image/svg+xml"
        )
    else:
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


@require_safe
def policy_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    """The policy's QR code (SVG) encoding its absolute short address."""
    return _qr(request, code, "svg")


@require_safe
def policy_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    """The policy's QR code (PNG, for print) encoding its absolute short address."""
    return _qr(request, code, "png")
