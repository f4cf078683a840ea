"""The public portal: choose an agency, apply, confirm, follow the application and download
the letters. No staff login; what a visitor sees is decided in :mod:`.access`."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.audit.net import client_ip
from gongkai.cases.clock import clock_for
from gongkai.cases.forms import run_service
from gongkai.cases.models import Case, CaseEvent, EventKind
from gongkai.cases.services import CaseError
from gongkai.core import identity
from gongkai.core.calendar import CalendarError
from gongkai.core.deadlines import ClockError
from gongkai.letters.downloads import letter_file
from gongkai.letters.models import Delivery, Letter
from gongkai.rules.selectors import working_calendar

from . import access, proofs, services, throttle
from .forms import ApplyForm, LoginForm, LookupForm, SignupForm, draft_initial, error_summary
from .models import OnlineApplication, SubmissionStatus

DRAFTS = "portal_drafts"
DONE = "portal_done"


def _ip(request: HttpRequest) -> str:
    return client_ip(request)


def home(request: HttpRequest) -> HttpResponse:
    """The agencies that take applications, as a tree, with a search."""
    q = request.GET.get("q", "").strip()[:50]
    agencies = Agency.objects.all()
    if q:
        hits = Agency.objects.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q), handles_applications=True
        )
        agencies = hits
    rows = [
        {"agency": a, "depth": a.depth if not q else 0, "apply": a.handles_applications}
        for a in agencies.order_by("path")
        if a.handles_applications or not q
    ]
    rows = [r for r in rows if r["apply"] or r["agency"].kind == "government"]
    return render(request, "portal/home.html", {"rows": rows, "q": q})


def _captcha_form(form: Any) -> Any:
    """``form`` with a new question (kept in the page, not in a session)."""
    form.set_question()
    return form


def _editing(request: HttpRequest, agency: Agency) -> OnlineApplication | None:
    """The application waiting for confirmation that “返回修改” came back with (``?edit=``):
    only one this session wrote, to this agency, and not yet submitted."""
    raw = request.GET.get("edit", "")
    if not raw.isdigit() or int(raw) not in request.session.get(DRAFTS, []):
        return None
    return OnlineApplication.objects.filter(
        pk=int(raw), agency=agency, status=SubmissionStatus.DRAFT
    ).first()


def _keep_upload(request: HttpRequest, form: ApplyForm, upload: Any) -> None:
    """Keep a proof sent with a form that passed the robot checks, for this session: the
    applicant need not choose it again after correcting another field."""
    try:
        kept = services.proof_keep(upload, ip=_ip(request))
    except services.ProofRefused as exc:
        form.add_error("proof", str(exc))
    except CaseError as exc:
        form.add_error(None, str(exc))
    else:
        proofs.remember(request.session, kept)
        form.keep(kept)


def _draft_from(
    request: HttpRequest,
    form: ApplyForm,
    agency: Agency,
    account: Any,
    editing: OnlineApplication | None,
) -> OnlineApplication | None:
    """The draft made of an accepted form and its kept proof, or None with the form's
    error saying why not."""
    kept = form.kept
    try:
        app = services.submission_draft(
            agency=agency,
            applicant=form.applicant(),
            request=form.request(),
            proof=kept,
            account=account,
            ip=_ip(request),
            replaces=editing,
        )
    except services.ProofRefused as exc:
        form.add_error("proof", str(exc))
        if kept is not None and kept.pending:
            proofs.forget(request.session)
        form.keep(None)
        return None
    except CaseError as exc:
        form.add_error(None, str(exc))
        return None
    if kept is not None and kept.pending:
        request.session.pop(proofs.SESSION_KEY, None)  # the draft has its own copy now
    replaced = editing.pk if editing is not None else None
    drafts = [pk for pk in request.session.get(DRAFTS, []) if pk != replaced]
    request.session[DRAFTS] = [*drafts[-4:], app.pk]
    return app


def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The application form. After an error every value comes back, with a new question;
    a proof that passed the checks is kept (:mod:`.proofs`), otherwise the page says
    plainly that it has to be chosen again."""
    agency = get_object_or_404(Agency, code=code.upper(), handles_applications=True)
    account = access.account_of(request.session)
    editing = _editing(request, agency)
    kept = proofs.kept(request.session) or (proofs.of_draft(editing) if editing else None)
    initial: dict[str, Any] = {}
    if editing is not None:
        initial = draft_initial(editing)
    elif account:
        initial = {"email": account.email}
    form = ApplyForm(request.POST or None, request.FILES or None, initial=initial, kept=kept)
    if request.method == "POST":
        valid = form.is_valid()
        human = form.human()
        upload = request.FILES.get("proof")
        if upload is not None and human and "proof" not in form.errors:
            _keep_upload(request, form, upload)  # counted there, like every upload
        elif upload is not None:
            # A file sent with a form refused before the service still counts as an upload.
            throttle.count(throttle.DRAFT_PER_IP, _ip(request))
        if valid and human and not form.errors and form.kept is not None:
            app = _draft_from(request, form, agency, account, editing)
            if app is not None:
                return redirect("portal:confirm", pk=app.pk)
    return render(
        request,
        "portal/apply.html",
        {
            "agency": agency,
            "form": _captcha_form(form),
            "account": account,
            "errors": error_summary(form),
            "editing": editing,
        },
        status=400 if form.errors else 200,
    )


def _draft(request: HttpRequest, pk: int) -> OnlineApplication:
    if pk not in request.session.get(DRAFTS, []):
        raise Http404("没有这份待确认的申请")
    return get_object_or_404(OnlineApplication, pk=pk)


def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    app = _draft(request, pk)
    if app.status != SubmissionStatus.DRAFT:
        return redirect("portal:status", number=app.number)
    error = ""
    if request.method == "POST":
        try:
            confirmation = services.submission_confirm(app, ip=_ip(request))
        except CaseError as exc:
            error = str(exc)
        else:
            app.refresh_from_db()
            access.grant(request.session, app, None)
            request.session[DONE] = {
                "number": app.number,
                "code": confirmation.code,
                "email": _masked_email(app.email) if "email" in confirmation.sent else "",
                "phone": identity.mask_mobile(app.phone) if "sms" in confirmation.sent else "",
            }
            return redirect("portal:done")
    return render(
        request, "portal/confirm.html", {"app": app, "error": error}, status=400 if error else 200
    )


def _masked_email(email: str) -> str:
    """``z***@example.com``: enough for the applicant to recognise, not to read out."""
    local, _, domain = email.strip().partition("@")
    return f"{local[:1]}***@{domain}"


def done(request: HttpRequest) -> HttpResponse:
    """The number and the query code, shown once; and where the code was also sent."""
    info = request.session.pop(DONE, None)
    if not info:
        return redirect("portal:lookup")
    return render(request, "portal/done.html", info)


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        found = run_service(form, lambda: services.lookup(d["number"], d["code"], ip=_ip(request)))
        if found is not None:
            access.grant(request.session, found.application, found.case)
            account = access.account_of(request.session)
            if account and request.POST.get("keep"):
                services.account_claim(account, found)
            number = found.application.number if found.application else found.case.number
            return redirect("portal:status", number=number)
    return render(
        request,
        "portal/lookup.html",
        {"form": form, "account": access.account_of(request.session)},
        status=400 if form.errors else 200,
    )


def _public_events(events: list[CaseEvent]) -> list[dict[str, Any]]:
    """The steps an applicant is told about (no internal routing, no third parties' names)."""
    shown = {
        EventKind.RECEIVED: "收到申请（登记）",
        EventKind.CORRECTION_REQUESTED: "告知补正",
        EventKind.CORRECTION_RECEIVED: "收到补正后的申请，答复期限重新计算",
        EventKind.CORRECTION_LAPSED: "逾期未补正，终止处理",
        EventKind.CONSULTATION_SENT: "征求意见（所需时间不计入答复期限）",
        EventKind.EXTENDED: "延期答复",
        EventKind.FEE_NOTICE_SENT: "发出收费通知",
        EventKind.FEE_PAID: "收到缴费",
        EventKind.FEE_LAPSED: "逾期未缴费，终止处理",
        EventKind.REPLIED: "作出答复",
        EventKind.WITHDRAWN: "申请已撤回",
        EventKind.REOPENED: "重新办理",
    }
    return [{"day": e.day, "text": shown[EventKind(e.kind)]} for e in events if e.kind in shown]


def stage(case: Case, clock: Any) -> str:
    """Where the application stands, in plain words."""
    s = case.status
    if s == "awaiting_correction":
        return "需要您补正申请：请按补正告知书的要求补正，逾期不补正视为放弃申请"
    if s in ("replied", "archived") and case.replied_on:
        return f"已于 {case.replied_on:%Y-%m-%d} 作出答复：{case.get_outcome_display()}"
    if s in ("closed", "archived"):
        return f"已终止处理：{case.get_outcome_display() or '申请已撤回'}"
    if s == "approved":
        return "答复已签发，正在送达"
    if clock is not None and clock.paused:
        reasons = "、".join(clock.pause_reasons)
        return f"正在办理（{reasons}，这段时间不计入答复期限）"
    return "受理机关正在办理"


def _released_letters(case: Case) -> list[Letter]:
    """The letters the applicant may see, in one query: only the columns the list shows (not
    the encrypted ones), and whether each has been sent."""
    letters = case.letters.only(*LETTER_LIST_COLUMNS).annotate(
        sent=Exists(Delivery.objects.filter(letter_id=OuterRef("pk")))
    )
    return [x for x in letters if released(x, sent=x.sent)]


def released(letter: Letter, *, sent: bool | None = None) -> bool:
    """Letters addressed to the applicant; a reply only once it has been sent (``sent``:
    whether it has a delivery, when the caller already knows)."""
    if not letter.to_applicant:
        return False
    if not letter.doc.is_reply:
        return True
    return letter.deliveries.exists() if sent is None else sent


ONLINE_NUMBER = re.compile(r"WS\d{10}")
# The status page reads only the columns it shows: a case row is wide (and partly encrypted).
CASE_STATUS_COLUMNS = (
    "number",
    "status",
    "received_on",
    "due_on",
    "due_provisional",
    "replied_on",
    "outcome",
    "agency__name",
)
EVENT_COLUMNS = ("case_id", "kind", "day", "ref", "data", "note")
LETTER_LIST_COLUMNS = ("case_id", "doc_type", "number", "title", "to_applicant", "issued_on")


def status(request: HttpRequest, number: str) -> HttpResponse:
    number = number.upper()
    app, case = None, None
    if ONLINE_NUMBER.fullmatch(number):  # a submission number (WS…); case numbers have "-"
        app = (
            access.visible_applications(request.session)
            .select_related("agency", "case__agency")
            .filter(number=number)
            .first()
        )
        case = app.case if app else None
    else:
        case = (
            access.visible_cases(request.session)
            .select_related("agency")
            .only(*CASE_STATUS_COLUMNS)
            .filter(number=number)
            .first()
        )
    if app is None and case is None:
        # The same answer whether the number exists or not. A message needs the session:
        # only a visitor who already has one gets it (no session for anonymous GETs).
        if request.session.session_key:
            messages.error(request, "请输入申请编号和查询码查询")
        return redirect("portal:lookup")
    ctx: dict[str, Any] = {"app": app, "case": case}
    if case is not None:
        # Read once, for the clock, the timeline and the correction notice.
        events = list(case.events.only(*EVENT_COLUMNS))
        clock = None
        try:
            clock = clock_for(
                events, timezone.localdate(), working_calendar(), settings.GONGKAI_YELLOW_AT
            )
        except (ClockError, CalendarError):
            clock = None
        corrections = [e for e in events if e.kind == EventKind.CORRECTION_REQUESTED]
        ctx.update(
            clock=clock,
            stage=stage(case, clock),
            events=_public_events(events),
            letters=_released_letters(case),
            correction=corrections[-1] if corrections else None,
        )
    return render(request, "portal/status.html", ctx)


def _letter(request: HttpRequest, letter_id: int) -> Letter:
    letter = (
        Letter.objects.filter(pk=letter_id, case__in=access.visible_cases(request.session))
        .select_related("agency")
        .first()
    )
    if letter is None or not released(letter):
        raise Http404("没有这份文书，或您无权查看")
    return letter


def letter_view(request: HttpRequest, letter_id: int) -> HttpResponse:
    from django.urls import reverse

    letter = _letter(request, letter_id)
    return render(
        request,
        "letters/print.html",
        {"letter": letter, "download_url": reverse("portal:letter_docx", args=[letter.pk])},
    )


def letter_download(request: HttpRequest, letter_id: int) -> FileResponse:
    return letter_file(_letter(request, letter_id))


# --- accounts ---------------------------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    """An optional applicant account. After an error the e-mail address and the name come
    back with a new question; the passwords are typed again (never sent back to a page)."""
    form = SignupForm(request.POST or None)
    valid = request.method == "POST" and form.is_valid()
    # The question is checked (and used up) on every sending, whatever else is wrong.
    human = request.method == "POST" and form.human()
    if valid and human:
        d = form.cleaned_data
        account = run_service(
            form,
            lambda: services.account_create(
                email=d["email"], password=d["password"], name=d["display_name"], ip=_ip(request)
            ),
        )
        if account is not None:
            request.session.cycle_key()
            request.session[access.ACCOUNT] = account.pk
            messages.success(request, "账户已创建")
            return redirect("portal:mine")
    return render(
        request,
        "portal/signup.html",
        {"form": _captcha_form(form), "errors": error_summary(form)},
        status=400 if form.errors else 200,
    )


def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        account = run_service(
            form,
            lambda: services.account_login(
                email=d["email"], password=d["password"], ip=_ip(request)
            ),
        )
        if account is not None:
            request.session.cycle_key()
            request.session[access.ACCOUNT] = account.pk
            return redirect("portal:mine")
    return render(request, "portal/login.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    for key in (access.ACCOUNT, access.GRANTS, DRAFTS):
        request.session.pop(key, None)
    proofs.forget(request.session)
    return redirect("portal:home")


def mine(request: HttpRequest) -> HttpResponse:
    account = access.account_of(request.session)
    if account is None:
        return redirect("portal:login")
    apps = account.applications.exclude(status="draft").select_related("agency", "case")
    linked = {a.case_id for a in apps if a.case_id}
    cases = account.claimed_cases.exclude(pk__in=linked).select_related("agency")
    return render(
        request,
        "portal/mine.html",
        {"account": account, "apps": apps, "cases": cases, "form": LookupForm()},
    )
