"""What each role's dashboard shows first: its queue of work, then figures and charts.

Every read goes through the viewer's scope (:mod:`gongkai.accounts.scope`,
:mod:`gongkai.cases.access`) and is a fixed number of queries whatever the number of cases:
lists are cut to :data:`SHOWN` rows and counted by one aggregate, charts are ``GROUP BY``
queries on the cases' (agency, …) indexes, and nothing is read row by row.

- 登记员: applications registered and not yet routed (a correction must be asked for within
  7 working days of receipt, 《中华人民共和国政府信息公开条例》第三十条) and replies signed
  and waiting to be sent (第三十六条); the online applications waiting to be confirmed are
  the portal's and reach the page through the project's context (``online_waiting``).
- 公开工作机构负责人: drafts awaiting sign-off (审签), with the state of their secrecy review.
- 保密审查员: drafts not yet reviewed since they were last drafted (第十七条: nothing is released
  without a review).
- 承办人: work routed to their units (转办/协查), oldest deadline first.
- 上级监督: the agencies they supervise compared (open, overdue, closed this year, average
  working days to reply) — the supervision of 第四十七条.
- 管理员: the working calendar and the state of the installation.
- The apps above this one (the document registry…) add their own sections through
  :data:`dashboard_sections`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.dispatch import Signal

from gongkai.accounts.models import ApiToken, User
from gongkai.accounts.scope import Viewer
from gongkai.agencies.models import Agency
from gongkai.core.calendar import CalendarError, WorkingCalendar
from gongkai.core.outcomes import Outcome
from gongkai.core.receipt import Channel
from gongkai.core.workflow import Role, Status
from gongkai.rules.models import HolidayNotice

from .models import Assignment, Card, Case, CaseEvent, EventKind, Reminder, SecrecyReview
from .selectors import IDENTITY_COLUMNS, OPEN_STATUSES, card_thresholds, handler_inbox

#: Rows a dashboard list shows; its heading gives the full count and links to the rest.
SHOWN = 10

#: Sections of other apps on the dashboard. The cases app may not import the apps above it
#: (documents, reports…), so the dashboard asks: it sends ``viewer`` (a
#: :class:`~gongkai.accounts.scope.Viewer`) and ``today``, and each receiver answers with a
#: ``(template_name, context)`` pair to show (the template gets the context as ``section``)
#: or None when it has nothing for this viewer. A receiver keeps its queries fixed, like the
#: rest of the dashboard.
dashboard_sections = Signal()
#: Months of the received/closed trend, the current one last.
TREND_MONTHS = 12

#: The groups of annual-report table 三's 办理结果 (国办公开办函〔2021〕30号), in its order.
OUTCOME_GROUPS: tuple[tuple[str, str], ...] = (
    ("granted", "予以公开"),
    ("partial", "部分公开"),
    ("denied", "不予公开"),
    ("unable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)


@dataclass(frozen=True)
class Queue:
    """A list of work: how many there are, and the first :data:`SHOWN` of them."""

    count: int
    rows: list[Any]


def other_sections(viewer: Viewer, today: date) -> list[tuple[str, dict[str, Any]]]:
    """The other apps' sections for ``viewer`` (:data:`dashboard_sections`), in the order
    their receivers were connected."""
    answers = dashboard_sections.send(sender=Case, viewer=viewer, today=today)
    return [answer for _, answer in answers if answer]


def _queue(qs: QuerySet[Any]) -> Queue:
    count = qs.count()
    return Queue(count, list(qs[:SHOWN]) if count else [])


def _cases_of(agency_ids: Iterable[int]) -> QuerySet[Case]:
    """Cases of agencies in which the viewer holds an office role: inside their scope
    (:func:`gongkai.cases.access.case_visibility` shows an office its agency's cases)."""
    return (
        Case.objects.filter(agency_id__in=sorted(set(agency_ids)))
        .select_related("agency")
        .defer(*IDENTITY_COLUMNS)
    )


# --- the queues -------------------------------------------------------------------------------


def awaiting_routing(viewer: Viewer) -> Queue:
    """登记员: applications registered and not yet routed or answered, oldest receipt first
    (a correction notice is due within 7 working days of receipt, 第三十条)."""
    qs = _cases_of(viewer.agencies_with(Role.REGISTRAR)).filter(status=Status.REGISTERED)
    return _queue(qs.order_by("received_on", "id"))


def awaiting_delivery(viewer: Viewer) -> Queue:
    """登记员: replies signed off (已签发) and not yet sent to the applicant, most urgent
    first; sending them stops the reply clock (第三十三条)."""
    qs = _cases_of(viewer.agencies_with(Role.REGISTRAR)).filter(status=Status.APPROVED)
    return _queue(qs.order_by("due_on", "id"))


def _latest_draft_step() -> Subquery:
    """The kind of a case's latest draft or secrecy-review event: approval needs the review
    after the draft (:func:`gongkai.cases.services.reply.case_approve`)."""
    return Subquery(
        CaseEvent.objects.filter(
            case_id=OuterRef("pk"), kind__in=[EventKind.DRAFTED, EventKind.SECRECY_REVIEWED]
        )
        .order_by("-id")
        .values("kind")[:1]
    )


@dataclass(frozen=True)
class ApprovalRow:
    """A draft awaiting sign-off and where its secrecy review stands: ``passed`` (it can be
    signed), ``failed`` (return it for changes) or ``pending`` (not reviewed since drafted)."""

    case: Case
    review: str


def awaiting_approval(viewer: Viewer) -> Queue:
    """公开工作机构负责人: drafts awaiting 审签 in the agencies they head, most urgent first.
    A draft is signed only after a passed secrecy review later than it (第十七条)."""
    last_review = Subquery(
        SecrecyReview.objects.filter(case_id=OuterRef("pk"))
        .order_by("-day", "-id")
        .values("passed")[:1]
    )
    qs = (
        _cases_of(viewer.agencies_with(Role.HEAD))
        .filter(status=Status.DRAFTED)
        .annotate(step=_latest_draft_step(), passed=last_review)
        .order_by("due_on", "id")
    )
    queue = _queue(qs)
    rows = [
        ApprovalRow(
            c,
            "pending"
            if c.step != EventKind.SECRECY_REVIEWED
            else ("passed" if c.passed else "failed"),
        )
        for c in queue.rows
    ]
    return Queue(queue.count, rows)


def awaiting_secrecy_review(viewer: Viewer) -> Queue:
    """保密审查员: drafts in their agencies not reviewed since they were last drafted
    (第十七条), most urgent first."""
    qs = (
        _cases_of(viewer.agencies_with(Role.SECRECY))
        .filter(status=Status.DRAFTED)
        .annotate(step=_latest_draft_step())
        .filter(step=EventKind.DRAFTED)
        .order_by("due_on", "id")
    )
    return _queue(qs)


@dataclass(frozen=True)
class AssignmentQueue:
    """承办人: the open assignments to their units; ``overdue`` past the reply date asked for,
    ``due_soon`` due within the yellow-card window (``GONGKAI_YELLOW_AT`` working days)."""

    count: int
    overdue: int
    due_soon: int
    rows: list[Assignment]


def assignments_due(viewer: Viewer, today: date, cal: WorkingCalendar) -> AssignmentQueue:
    """The work routed to the viewer's units and not yet answered (one aggregate on the
    (unit, answered_on) index, and the first :data:`SHOWN`)."""
    if not viewer.handler_unit_ids:
        return AssignmentQueue(0, 0, 0, [])
    soon = card_thresholds(cal, today) or today
    agg = Assignment.objects.filter(
        unit_id__in=viewer.handler_unit_ids, answered_on__isnull=True
    ).aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
    )
    rows = list(handler_inbox(viewer)[:SHOWN]) if agg["count"] else []
    return AssignmentQueue(agg["count"], agg["overdue"], agg["due_soon"], rows)


# --- charts -----------------------------------------------------------------------------------


def charted_cases(viewer: Viewer, visible: QuerySet[Case]) -> QuerySet[Case]:
    """The cases the charts count: ``visible`` (the viewer's), and for a platform
    administrator the agencies' ids spelled out, so the (agency, date) indexes serve."""
    if viewer.is_platform_admin:
        ids = list(Agency.objects.filter(handles_applications=True).values_list("pk", flat=True))
        return Case.objects.filter(agency_id__in=ids)
    return visible


def _month_start(day: date, back: int = 0) -> date:
    n = day.year * 12 + day.month - 1 - back
    return date(n // 12, n % 12 + 1, 1)


@dataclass(frozen=True)
class MonthPoint:
    month: date  # the first of the month
    received: int
    closed: int

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


def monthly_trend(cases: QuerySet[Case], today: date) -> list[MonthPoint]:
    """Applications received (收到申请日期) and closed (办结日期) in each of the last
    :data:`TREND_MONTHS` months, the current month last; two ``GROUP BY`` queries."""
    start = _month_start(today, TREND_MONTHS - 1)
    received = dict(
        cases.filter(received_on__gte=start, received_on__lte=today)
        .annotate(m=TruncMonth("received_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
        .order_by()
    )
    closed = dict(
        cases.filter(closed_on__gte=start, closed_on__lte=today)
        .exclude(status__in=OPEN_STATUSES)
        .annotate(m=TruncMonth("closed_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
        .order_by()
    )
    received = {_as_date(k): v for k, v in received.items()}
    closed = {_as_date(k): v for k, v in closed.items()}
    months = [_month_start(today, back) for back in range(TREND_MONTHS - 1, -1, -1)]
    return [MonthPoint(m, received.get(m, 0), closed.get(m, 0)) for m in months]


def _as_date(value: Any) -> date:
    """``TruncMonth`` of a date column: a date (a datetime on some backends)."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@dataclass(frozen=True)
class Share:
    """One slice of a mix: its label and how many."""

    label: str
    count: int


def channel_mix(cases: QuerySet[Case], today: date) -> list[Share]:
    """Applications received this year by channel (第二十九条、第三十一条), in the channels'
    order; channels with none are left out."""
    counts = dict(
        cases.filter(received_on__gte=date(today.year, 1, 1), received_on__lte=today)
        .values("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
        .order_by()
    )
    return [Share(c.label, counts[c.value]) for c in Channel if counts.get(c.value)]


def outcome_group(outcome: str) -> str:
    """The 办理结果 group of table 三 an outcome counts in (``denied_3`` → ``denied``)."""
    row = Outcome(outcome).report_row
    head, _, tail = row.rpartition("_")
    return head if tail.isdigit() else row


def outcome_mix(cases: QuerySet[Case], today: date) -> list[Share]:
    """Applications closed this year by the groups of annual-report table 三; groups with
    none are left out."""
    counts = (
        cases.filter(closed_on__gte=date(today.year, 1, 1), closed_on__lte=today)
        .exclude(status__in=OPEN_STATUSES)
        .exclude(outcome="")
        .values("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
        .order_by()
    )
    groups: dict[str, int] = defaultdict(int)
    for outcome, n in counts:
        groups[outcome_group(outcome)] += n
    return [Share(label, groups[key]) for key, label in OUTCOME_GROUPS if groups.get(key)]


# --- supervision ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyRow:
    """One supervised agency's figures. ``average_days``: the mean working days from the
    day after receipt to the reply, over this year's replies (None without any)."""

    agency: Agency
    open: int
    overdue: int
    closed: int
    replied: int
    average_days: float | None


def agency_comparison(viewer: Viewer, today: date, cal: WorkingCalendar) -> list[AgencyRow]:
    """The agencies the viewer supervises that receive applications, in tree order, each
    with its open and overdue applications and this year's closed ones (three queries).

    The average counts working days as the reply deadline does (第三十三条: 20 working days
    from receipt): after the recorded receipt date up to and including the reply date,
    including time the clock stood still (补正, 征求意见). It is computed from the distinct
    (agency, received, replied) dates and their counts, never case by case."""
    agencies = list(
        Agency.objects.filter(pk__in=viewer.supervised_agency_ids, handles_applications=True)
        .only("pk", "name", "short_name", "path")
        .order_by("path")
    )
    ids = [a.pk for a in agencies]
    if not ids:
        return []
    running = ~Q(card__in=[Card.PAUSED, Card.UNKNOWN])
    open_rows = (
        Case.objects.filter(agency_id__in=ids, status__in=OPEN_STATUSES)
        .values("agency_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=running & Q(due_on__lt=today)))
        .order_by()
    )
    opened = {r["agency_id"]: r for r in open_rows}
    pairs = (
        Case.objects.filter(
            agency_id__in=ids, closed_on__gte=date(today.year, 1, 1), closed_on__lte=today
        )
        .exclude(status__in=OPEN_STATUSES)
        .values_list("agency_id", "received_on", "replied_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    closed: dict[int, int] = defaultdict(int)
    replied: dict[int, int] = defaultdict(int)
    days: dict[int, int] = defaultdict(int)
    for agency_id, received_on, replied_on, n in pairs:
        closed[agency_id] += n
        if replied_on is None:
            continue
        try:
            spent = cal.working_days_between(received_on, replied_on)
        except CalendarError:
            continue  # a date the calendar does not cover: left out of the average
        replied[agency_id] += n
        days[agency_id] += spent * n
    return [
        AgencyRow(
            a,
            opened.get(a.pk, {}).get("open", 0),
            opened.get(a.pk, {}).get("overdue", 0),
            closed[a.pk],
            replied[a.pk],
            round(days[a.pk] / replied[a.pk], 1) if replied[a.pk] else None,
        )
        for a in agencies
    ]


# --- the installation -------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemState:
    """What an administrator watches: the working calendar's range and the years entered by
    hand, the accounts and API tokens in use, and the last day reminders went out."""

    calendar_first: date
    calendar_last: date
    calendar_warning: str | None
    notice_years: list[int]
    active_users: int
    active_tokens: int
    last_reminder: date | None


def system_state(viewer: Viewer, today: date, cal: WorkingCalendar) -> SystemState:
    """For a platform administrator, the whole installation; for an agency's administrator
    (管理员), the accounts holding a role in the agencies they administer (four queries)."""
    users = User.objects.filter(is_active=True)
    tokens = ApiToken.objects.filter(revoked=False, user__is_active=True)
    if not viewer.is_platform_admin:
        mine = viewer.agencies_with(Role.ADMIN)
        users = users.filter(memberships__agency_id__in=mine).distinct()
        tokens = tokens.filter(user__memberships__agency_id__in=mine).distinct()
    last = Reminder.objects.order_by("-id").values_list("day", flat=True).first()
    first_day, last_day = cal.coverage
    return SystemState(
        calendar_first=first_day,
        calendar_last=last_day,
        calendar_warning=cal.coverage_warning(today),
        notice_years=list(HolidayNotice.objects.order_by("year").values_list("year", flat=True)),
        active_users=users.count(),
        active_tokens=tokens.count(),
        last_reminder=last,
    )


# --- for the page's script --------------------------------------------------------------------


def chart_data(
    trend: list[MonthPoint],
    channels: list[Share],
    outcomes: list[Share],
    agencies: list[AgencyRow],
) -> dict[str, Any]:
    """The charts' numbers as plain JSON for ``json_script`` (the page's tables carry the
    same numbers for those who do not see the charts)."""
    return {
        "trend": {
            "labels": [p.label for p in trend],
            "received": [p.received for p in trend],
            "closed": [p.closed for p in trend],
        },
        "channels": [{"name": s.label, "value": s.count} for s in channels],
        "outcomes": [{"name": s.label, "value": s.count} for s in outcomes],
        "agencies": {
            "names": [r.agency.short_name or r.agency.name for r in agencies],
            "open": [r.open for r in agencies],
            "overdue": [r.overdue for r in agencies],
        },
    }
