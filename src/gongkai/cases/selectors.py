"""Reads of cases, always through the viewer's scope (:mod:`gongkai.accounts.scope`).

Lists never load the encrypted identity columns (they show the masked copies) and keep a
fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils import timezone

from gongkai.accounts.scope import Viewer, request_viewer
from gongkai.core.calendar import CalendarError, WorkingCalendar
from gongkai.core.deadlines import card_colour, working_days_left
from gongkai.core.identity import looks_like_phone
from gongkai.core.workflow import Action, Role, Status, allowed_actions
from gongkai.rules.selectors import working_calendar
from gongkai.security.crypto import name_search_digest, phone_search_digest

from .access import case_visibility
from .models import Assignment, Card, Case, CaseEvent, FeeNotice
from .signals import locked_years_asked

# One answer for "no such case" and "not yours": existence is not leaked.
NOT_VISIBLE = "找不到该申请，或您无权查看"
IDENTITY_COLUMNS = ("applicant_name", "contact_person", "id_number", "phone", "email", "address")
OPEN_STATUSES = [s.value for s in Status if s.is_open]


# Free-text search is bounded: every term is one more scan of the request text.
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_TERMS = 6


def search_terms(text: str) -> list[str]:
    """The terms of a search box, refused (``ValueError``, in Chinese) past the bounds."""
    if len(text) > SEARCH_MAX_LENGTH:
        raise ValueError(f"搜索内容过长（{len(text)} 个字符），最多 {SEARCH_MAX_LENGTH} 个字符")
    terms = text.split()
    if len(terms) > SEARCH_MAX_TERMS:
        raise ValueError(f"搜索词过多（{len(terms)} 个），最多 {SEARCH_MAX_TERMS} 个，请用空格分隔")
    return terms


@dataclass(frozen=True)
class ApplicantLookup:
    """A search box's text as an applicant's exact name and, when it looks like one, a
    telephone number: the keyed hashes the cases' search digests are compared with (the
    text itself is not kept). Built by :func:`applicant_lookup`."""

    name_digest: str
    phone_digest: str = ""


def applicant_lookup(text: str) -> ApplicantLookup | None:
    """The lookup of ``text`` as a whole (“孙 明” is one name), or None for blank text."""
    text = text.strip()[:SEARCH_MAX_LENGTH]
    name = name_search_digest(text) if text else ""
    if not name:
        return None
    return ApplicantLookup(name, phone_search_digest(text) if looks_like_phone(text) else "")


def applicant_q(viewer: Viewer, lookup: ApplicantLookup) -> Q:
    """The cases whose applicant is ``lookup``, among those whose identity ``viewer`` may see:
    the office of the case's agency (:data:`gongkai.cases.access.IDENTITY_ROLES`), not
    handlers or supervisors, who see the request but not the person."""
    match = Q(name_digest=lookup.name_digest)
    if lookup.phone_digest:
        match |= Q(phone_digest=lookup.phone_digest)
    return Q(agency_id__in=sorted(viewer.office_agency_ids)) & match


@dataclass(frozen=True)
class CaseFilter:
    """What a list asks for; every field optional. ``applicant``: also match ``q`` as the
    applicant's exact name or telephone number (the staff list, through
    :func:`gongkai.cases.personal.case_search`, which audits what it finds)."""

    status: str = ""
    card: str = ""
    unit: int | None = None
    channel: str = ""
    applicant_kind: str = ""
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""
    agency: int | None = None
    applicant: ApplicantLookup | None = None


def visible_cases(viewer: Viewer) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility(viewer))


def card_thresholds(cal: WorkingCalendar, today: date) -> date | None:
    """The last due date that makes a card yellow today (None if the calendar ends first)."""
    try:
        return cal.add_working_days(today, settings.GONGKAI_YELLOW_AT)
    except CalendarError:
        return None


def _card_q(card: str, today: date, yellow_until: date | None) -> Q:
    running = Q(status__in=OPEN_STATUSES) & ~Q(card__in=[Card.PAUSED, Card.UNKNOWN])
    if card == Card.RED:
        return running & Q(due_on__lt=today)
    if card == Card.YELLOW:
        return (
            running & Q(due_on__gte=today) & (Q(due_on__lte=yellow_until) if yellow_until else Q())
        )
    if card == Card.GREEN:
        return running & (Q(due_on__gt=yellow_until) if yellow_until else Q(pk__in=[]))
    if card == Card.DONE:
        return ~Q(status__in=OPEN_STATUSES)
    return Q(status__in=OPEN_STATUSES, card=card)


def case_list(viewer: Viewer, f: CaseFilter | None = None) -> QuerySet[Case]:
    """The viewer's cases matching ``f``, most urgent first (open cases by due date)."""
    f = f or CaseFilter()
    qs = visible_cases(viewer).select_related("agency").defer(*IDENTITY_COLUMNS)
    if f.status:
        qs = (
            qs.filter(status__in=OPEN_STATUSES)
            if f.status == "open"
            else qs.filter(status=f.status)
        )
    if f.card:
        today = timezone.localdate()
        qs = qs.filter(_card_q(f.card, today, card_thresholds(working_calendar(), today)))
    if f.unit:
        qs = qs.filter(Exists(Assignment.objects.filter(case_id=OuterRef("pk"), unit_id=f.unit)))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.applicant_kind:
        qs = qs.filter(applicant_kind=f.applicant_kind)
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.received_from:
        qs = qs.filter(received_on__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_on__lte=f.received_to)
    # Callers validate with search_terms(); a caller that did not still gets a bounded query.
    text = Q()
    for term in f.q[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_TERMS]:
        text &= Q(request_text__icontains=term) | Q(number__icontains=term)
    if f.applicant is not None:
        text |= applicant_q(viewer, f.applicant)
    if text:
        qs = qs.filter(text)
    return qs.order_by("due_on", "-received_on", "-id")


def case_detail(viewer: Viewer, pk: int) -> Case | None:
    """One case with everything its page shows, or None if the viewer may not see it."""
    return (
        visible_cases(viewer)
        .select_related("agency", "registered_by")
        .prefetch_related(
            Prefetch("events", CaseEvent.objects.select_related("actor").order_by("day", "id")),
            Prefetch("assignments", Assignment.objects.select_related("unit", "answered_by")),
            "consultations",
            "secrecy_reviews__reviewer",
            "reply_items",
            "attachments",
            "fee_notices",
            "letters__deliveries",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Board:
    """The dashboard's numbers for a viewer."""

    red: int
    yellow: int
    green: int
    paused: int
    unknown: int
    open: int
    done_this_year: int


def dashboard_board(viewer: Viewer) -> Board:
    """Counts by card of the viewer's open cases, and the cases closed this year.

    Two aggregate queries, each on an index: open cases by (agency, status, due_on), closed
    ones by (agency, closed_on); closed cases of past years are never read.
    """
    today = timezone.localdate()
    yellow_until = card_thresholds(working_calendar(), today)
    cards = (Card.RED, Card.YELLOW, Card.GREEN, Card.PAUSED, Card.UNKNOWN)
    agg = (
        visible_cases(viewer)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(
            **{c: Count("pk", filter=_card_q(c, today, yellow_until)) for c in cards},
            open=Count("pk"),
        )
    )
    done = (
        visible_cases(viewer)
        .filter(closed_on__gte=date(today.year, 1, 1), closed_on__lte=today)
        .exclude(status__in=OPEN_STATUSES)
        .count()
    )
    return Board(**{str(k): v for k, v in agg.items()}, done_this_year=done)


def row_clock(case: Case, cal: WorkingCalendar, today: date) -> tuple[str, int | None]:
    """A list row's card and working days left, computed for today from the stored due date."""
    if not Status(case.status).is_open:
        return Card.DONE, None
    if case.card in (Card.PAUSED, Card.UNKNOWN) or case.due_on is None:
        return case.card, None
    try:
        left = working_days_left(cal, today, case.due_on)
    except CalendarError:
        return Card.UNKNOWN, None
    return Card(card_colour(left, settings.GONGKAI_YELLOW_AT).value), left


def handler_inbox(viewer: Viewer, *, open_only: bool = True) -> QuerySet[Assignment]:
    """Assignments to the viewer's units, oldest deadline first."""
    qs = (
        Assignment.objects.filter(unit_id__in=viewer.handler_unit_ids)
        .select_related("case", "case__agency", "unit")
        .defer(*(f"case__{c}" for c in IDENTITY_COLUMNS))
    )
    if open_only:
        qs = qs.filter(answered_on__isnull=True)
    return qs.order_by("due_on", "id")


def case_actions(case: Case, roles: Iterable[Role]) -> list[Action]:
    """The actions to offer on ``case``: the core table's, less the fee steps that do not
    apply (a second fee notice, a payment or a lapse without a notice awaiting payment)."""
    actions = allowed_actions(case.status_enum, roles)
    fee_steps = {Action.FEE_NOTICE, Action.FEE_PAID, Action.LAPSE_FEE}
    if not fee_steps & set(actions):
        return actions
    notices = list(case.fee_notices.all())
    unpaid = any(n.paid_on is None for n in notices)
    skip = set()
    if notices:
        skip.add(Action.FEE_NOTICE)
    if not unpaid:
        skip |= {Action.FEE_PAID, Action.LAPSE_FEE}
    return [a for a in actions if a not in skip]


def visible_case_or_404(request: HttpRequest, pk: int) -> Case:
    """The case with everything its page shows, if the request's user may see it; else 404
    (the same whether or not it exists)."""
    case = case_detail(request_viewer(request), pk)
    if case is None:
        raise Http404(NOT_VISIBLE)
    return case


def locked_years(agency_id: int) -> set[int]:
    """The years of ``agency_id`` whose figures are locked (every receiver's answer to
    :data:`gongkai.cases.signals.locked_years_asked`)."""
    years: set[int] = set()
    for _, answer in locked_years_asked.send(sender=Case, agency_id=agency_id):
        years.update(answer or ())
    return years


# --- fees (annual report part 六) ---------------------------------------------------------


@dataclass(frozen=True)
class FeeSummary:
    """Fee notices issued and fees actually paid in a year (annual report part 六)."""

    notices: int
    paid: int
    yuan: int


def fee_summary(agency_ids: list[int], year: int) -> FeeSummary:
    """Notices issued in ``year`` and fees paid in ``year``, in one aggregate query."""
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    paid = Q(paid_on__gte=jan1, paid_on__lte=dec31)
    row = FeeNotice.objects.filter(case__agency_id__in=agency_ids).aggregate(
        notices=Count("id", filter=Q(issued_on__gte=jan1, issued_on__lte=dec31)),
        paid=Count("id", filter=paid),
        yuan=Sum("paid_yuan", filter=paid),
    )
    return FeeSummary(row["notices"], row["paid"], int(row["yuan"] or 0))


def fees_collected(agency_ids: list[int], year: int) -> int:
    """Information processing fees actually paid in ``year`` (annual report part 六)."""
    return fee_summary(agency_ids, year).yuan
