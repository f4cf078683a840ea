"""The staff pages (server-rendered; HTMX swaps the case table and the identity panel)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.scope import OFFICE_ROLES, Viewer, request_viewer
from gongkai.agencies.models import Agency
from gongkai.core.calendar import CalendarError
from gongkai.core.deadlines import ClockError
from gongkai.core.workflow import Action, Role
from gongkai.rules.selectors import working_calendar

from .. import forms as f
from .. import personal, services
from .. import selectors as sel
from ..access import case_roles, may_view_identity
from ..actions.forms import action_form
from ..clock import card_for, clock_for
from ..models import Card, Case
from ..panels import case_panels
from ..selectors import visible_case_or_404
from .remedies import remedy_context

PAGE_SIZE = 50


def is_htmx(request: HttpRequest) -> bool:
    """HTMX requests get the fragment, others the full page."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _rows(cases: Any) -> list[dict[str, Any]]:
    cal, today = working_calendar(), timezone.localdate()
    out = []
    for c in cases:
        card, left = sel.row_clock(c, cal, today)
        overdue = -left if left is not None and left < 0 else None
        out.append({"case": c, "card": card, "left": left, "overdue": overdue})
    return out


def _units(viewer: Viewer) -> Any:
    paths = [viewer.paths[a] for a in viewer.roles_by_agency]
    if viewer.is_platform_admin:
        return Agency.objects.all()
    return Agency.subtrees(paths)


def _calendar_warning() -> str | None:
    cal = working_calendar()
    return cal.coverage_warning(timezone.localdate())


def _filter(form: f.FilterForm) -> sel.CaseFilter:
    if not form.is_valid():
        return sel.CaseFilter()
    d = form.cleaned_data
    return sel.CaseFilter(
        status=d["status"],
        card=d["card"],
        unit=d["unit"].pk if d["unit"] else None,
        channel=d["channel"],
        applicant_kind=d["applicant_kind"],
        received_from=d["received_from"],
        received_to=d["received_to"],
        q=d["q"].strip(),
    )


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    viewer = request_viewer(request)
    form = f.FilterForm(
        request.GET or None, units=_units(viewer), by_applicant=bool(viewer.office_agency_ids)
    )
    # A search refused (too long, too many terms) lists nothing rather than everything.
    # The search text also finds cases by the applicant's exact name or telephone number
    # (audited; only where the viewer may see the applicant's identity).
    rows = (
        personal.case_search(
            actor=request.user,
            viewer=viewer,
            f=_filter(form),
            ip=request.META.get("REMOTE_ADDR"),
        )
        if form.is_valid() or not form.is_bound
        else []
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "rows": _rows(page.object_list), "query": query.urlencode()}
    template = "cases/_case_table.html" if is_htmx(request) else "cases/case_list.html"
    return render(request, template, ctx)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    viewer = request_viewer(request)
    if not viewer.has_inbox:
        raise Http404("您不是任何单位的承办人")
    return render(
        request,
        "cases/inbox.html",
        {
            "open": sel.handler_inbox(viewer),
            "answered": sel.handler_inbox(viewer, open_only=False).filter(
                answered_on__isnull=False
            )[:50],
            "today": timezone.localdate(),
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    viewer = request_viewer(request)
    if not viewer.may_register:
        raise Http404("您没有登记申请的权限")
    agencies = Agency.objects.filter(pk__in=viewer.registering_agency_ids)
    form = f.RegisterForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = f.run_service(
            form,
            lambda: services.case_register(
                actor=request.user,
                agency=d["agency"],
                channel=d["channel"],
                received_on=d["received_on"],
                applicant=form.applicant(),
                request_text=d["request_text"],
                form_wanted=d["form_wanted"],
                delivery_wanted=d["delivery_wanted"],
                ip=request.META.get("REMOTE_ADDR"),
                amend_reason=d["amend_reason"],
            ),
        )
        if case is not None:
            messages.success(request, f"已登记，编号 {case.number}")
            return redirect("cases:case", pk=case.pk)
    return render(
        request, "cases/register.html", {"form": form}, status=400 if form.errors else 200
    )


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    failed: tuple[Action, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page; ``failed``: an action whose form comes back with its errors."""
    viewer = request_viewer(request)
    roles = case_roles(viewer, case, {a.unit_id for a in case.assignments.all()})
    forms = [(a, action_form(a, case)) for a in sel.case_actions(case, roles)]
    if failed:
        forms = [(a, failed[1] if a is failed[0] else fm) for a, fm in forms]
        if failed[0] not in dict(forms):  # an action not offered here: say why it failed
            for err in failed[1].non_field_errors():
                messages.error(request, err)
    # The page's card comes from the live clock, the same one the deadline panel shows.
    clock, clock_error, card, left = None, None, Card.UNKNOWN, None
    try:
        clock = clock_for(
            case.events.all(), timezone.localdate(), working_calendar(), settings.GONGKAI_YELLOW_AT
        )
        card, left = card_for(clock)[0], clock.working_days_left
    except (ClockError, CalendarError) as exc:
        clock_error = str(exc)
    panel_templates, panel_values = case_panels(case, roles)
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "clock": clock,
            "clock_error": clock_error,
            "card": card,
            "left": left,
            "overdue": -left if left is not None and left < 0 else None,
            "forms": forms,
            "failed": failed[0].value if failed else "",
            "can_see_identity": may_view_identity(roles),
            # Identity documents are listed only to those who may open them.
            "attachments": [
                a
                for a in case.attachments.all()
                if may_view_identity(roles) or a.kind not in personal.IDENTITY_KINDS
            ],
            "can_upload": bool(roles & (OFFICE_ROLES | {Role.HANDLER})),
            "attachment_form": f.AttachmentForm(),
            **remedy_context(case),
            "roles": sorted(r.label for r in roles),
            "case_panels": panel_templates,
            **panel_values,
        },
        status=status,
    )


@login_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case_or_404(request, pk)
    return render_case(request, case)


@login_required
@require_POST
def case_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's full identity data (audited), as a fragment replacing the masked one."""
    case = visible_case_or_404(request, pk)
    try:
        data = personal.case_view_identity(
            actor=request.user, case=case, ip=request.META.get("REMOTE_ADDR")
        )
    except services.CaseError as exc:
        return HttpResponse(str(exc), status=403)
    return render(request, "cases/_identity.html", {"case": case, "full": data})


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case_or_404(request, pk)
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        done = f.run_service(
            form,
            lambda: services.attachment_add(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                ip=request.META.get("REMOTE_ADDR"),
            ),
        )
        if done is not None:
            messages.success(request, f"已上传：{done.original_name}")
            return redirect("cases:case", pk=pk)
    for err in form.errors.values():
        messages.error(request, "；".join(err))
    return redirect("cases:case", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, att: int) -> FileResponse:
    """A file of a case the viewer may see; an identity document only for those who may see
    the applicant's identity (404 for the others, as for a file that does not exist). Every
    download is audited: who, which case, which file."""
    case = visible_case_or_404(request, pk)
    a = personal.attachment_to_download(
        actor=request.user, case=case, attachment_id=att, ip=request.META.get("REMOTE_ADDR")
    )
    if a is None:
        raise Http404("没有这份材料，或您无权查看")
    return FileResponse(
        a.file.open("rb"), as_attachment=True, filename=a.original_name, content_type=a.content_type
    )
