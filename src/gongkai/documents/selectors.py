"""Reads of the registry, always through the viewer's scope (:func:`..access.visibility`).

Lists keep a fixed number of queries whatever the number of rows (``select_related``, one
aggregate per figure). The figures the staff pages and the dashboard show come from the
pure rules of :mod:`gongkai.core.validity`:

- the publication clock (《中华人民共和国政府信息公开条例》第二十六条: proactive information is
  published within 20 working days of being formed or changed), red/yellow/green like the
  cases' reply clock;
- the 三同步 flags of a published 行政规范性文件 (its 解读 missing, or later than 3 working
  days — local practice, see the core module);
- the texts whose 有效期 ends within 6 months.

:func:`dashboard_section` is the receiver of
:data:`gongkai.cases.dashboards.dashboard_sections`: the cases app may not import this one,
so the dashboard asks and this app answers.
"""

from __future__ import annotations

import calendar as monthdays
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404

from gongkai.accounts.scope import Viewer
from gongkai.core.calendar import CalendarError, WorkingCalendar
from gongkai.core.deadlines import Colour
from gongkai.core.validity import (
    EXPIRY_WARNING_MONTHS,
    INTERPRETATION_WORKING_DAYS,
    PUBLICATION_WORKING_DAYS,
    DocKind,
    Flag,
    PublicationClock,
    Validity,
    ValidityError,
    interpretation_flags,
    publication_clock,
)
from gongkai.core.validity import Document as CoreDocument
from gongkai.core.workflow import Role
from gongkai.rules.selectors import working_calendar

from .access import DECIDING_ROLES, DRAFTING_ROLES, NOT_VISIBLE, SECRECY_ROLES, roles_on
from .access import visibility as _visibility
from .models import Disclosure, Document, Interpretation, ReviewState

#: Rows a dashboard list shows; its heading gives the full count.
SHOWN = 10
#: Texts still on their way to publication: the 20-working-day clock runs (第二十六条).
UNPUBLISHED_STATES = (
    ReviewState.DRAFT,
    ReviewState.SECRECY,
    ReviewState.SCAN,
    ReviewState.SIGN_OFF,
    ReviewState.RETURNED,
)
#: Texts that were published (taken down ones too): their validity may still be decided.
ISSUED = (ReviewState.PUBLISHED, ReviewState.TAKEN_DOWN)
#: Validity states in which a text still counts (not 已修订, 失效 or 已废止).
IN_STOCK = (Validity.NOT_YET_IN_FORCE.value, Validity.IN_FORCE.value)


def visible_documents(viewer: Viewer) -> QuerySet[Document]:
    """Every text ``viewer`` may see, with its agency and policy loaded."""
    return Document.objects.filter(_visibility(viewer)).select_related("agency", "policy")


def text_match(word: str, *fields: str) -> Q:
    """Rows where one of ``fields`` contains ``word``.

    A word without Latin letters (汉字, digits, 〔〕 …) has no case, so it is matched with
    ``contains`` (a plain ``LIKE``; ``icontains`` makes PostgreSQL fold every row to
    upper case first, twice as slow); a word with Latin letters stays case-insensitive.
    Both find exactly the same rows for such a word.
    """
    lookup = "icontains" if any(c.isascii() and c.isalpha() for c in word) else "contains"
    found = Q()
    for name in fields:
        found |= Q(**{f"{name}__{lookup}": word})
    return found


class AddDays(Func):
    """``expression`` (a date) plus ``days`` calendar days, as a date in SQL (SQLite keeps
    dates as ``YYYY-MM-DD`` text, so Django's date + interval, which gives a datetime
    there, would not compare with a date)."""

    output_field = DateField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression)
        self.days = int(days)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + {self.days})", params  # PostgreSQL: date + integer is a date

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.days:+d} days')", params


class GroupKey(Func):
    """A column to group by, written ``+column`` on SQLite: the same value, but SQLite then
    picks the index that narrows the rows most instead of one that only gives them in the
    grouping's order (it walked every published text to count the missing 解读)."""

    def __init__(self, column: str, output_field: Any) -> None:
        super().__init__(F(column), output_field=output_field)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", params


def _first_true(lo: date, hi: date, holds: Callable[[date], bool]) -> date:
    """The first day in ``lo``–``hi`` for which ``holds`` (false, then true from some day
    on) is true; the day after ``hi`` when it never is."""
    a, b = lo.toordinal(), hi.toordinal() + 1
    while a < b:
        mid = (a + b) // 2
        if holds(date.fromordinal(mid)):
            b = mid
        else:
            a = mid + 1
    return date.fromordinal(a)


def _calendar_end(cal: WorkingCalendar) -> date:
    return cal.provisional_until or cal.coverage[1]


def _raises(count: Callable[[], object]) -> bool:
    try:
        count()
    except CalendarError:
        return True
    return False


@dataclass(frozen=True)
class ClockLimits:
    """The 形成或变更日期 for which a text in hand shows each card on ``today``.

    A text's card depends only on its 形成日期 (20 working days from it, 第二十六条), and
    later-formed texts are never more urgent: red before ``yellow_from``, yellow before
    ``green_from``, green up to ``last``. Texts formed before ``first`` or after ``last``
    have no clock (the calendar cannot count them), as :func:`publication_clock_for` says.
    The limits are found on the calendar by :func:`gongkai.core.validity.publication_clock`
    itself, so the cards counted in SQL are those the core gives each text.
    """

    first: date
    yellow_from: date
    green_from: date
    last: date

    def span(self, colour: str) -> tuple[date, date] | None:
        """The 形成日期 range (inclusive) of ``colour``'s card; None for another word."""
        spans = {
            Colour.RED: (self.first, self.yellow_from - timedelta(days=1)),
            Colour.YELLOW: (self.yellow_from, self.green_from - timedelta(days=1)),
            Colour.GREEN: (self.green_from, self.last),
        }
        return spans.get(colour)  # type: ignore[call-overload]

    def colour(self, formed: date) -> Colour:
        if formed < self.yellow_from:
            return Colour.RED
        return Colour.YELLOW if formed < self.green_from else Colour.GREEN


def clock_limits(today: date, cal: WorkingCalendar) -> ClockLimits | None:
    """The card limits on ``today`` (None when the calendar does not cover ``today`` or
    cannot count any clock)."""
    first, end = cal.coverage[0], _calendar_end(cal)
    if _raises(lambda: cal.working_days_between(today, today)):
        return None
    last = _first_true(
        first, end, lambda d: _raises(lambda: cal.add_working_days(d, PUBLICATION_WORKING_DAYS))
    ) - timedelta(days=1)
    if last < first:
        return None

    def colour(formed: date) -> Colour:
        clock = publication_clock(formed, today, cal, yellow_at=settings.GONGKAI_YELLOW_AT)
        return clock.colour

    yellow_from = _first_true(first, last, lambda d: colour(d) != Colour.RED)
    green_from = _first_true(first, last, lambda d: colour(d) == Colour.GREEN)
    return ClockLimits(first, yellow_from, green_from, last)


def card_filter(card: str, today: date, cal: WorkingCalendar) -> Q:
    """The texts in hand (proactive, not yet published) whose publication card on ``today``
    is ``card`` (``red``/``yellow``/``green``); nothing for another word."""
    limits = clock_limits(today, cal)
    span = limits.span(card) if limits is not None else None
    if span is None:
        return Q(pk__in=[])
    return Q(
        review_state__in=UNPUBLISHED_STATES,
        disclosure=Disclosure.PROACTIVE,
        formed_on__gte=span[0],
        formed_on__lte=span[1],
    )


def missing_limit(today: date, cal: WorkingCalendar) -> tuple[date, date] | None:
    """The publication days (inclusive) of a 行政规范性文件 whose 解读 is missing on
    ``today`` if it has none: the 3 working days after it have passed
    (:func:`gongkai.core.validity.interpretation_flags`); None when no day is."""
    first = cal.coverage[0]
    top = min(today, _calendar_end(cal))
    if top < first:
        return None

    def not_yet(published: date) -> bool:
        try:
            return not cal.add_working_days(published, INTERPRETATION_WORKING_DAYS) < today
        except CalendarError:
            return True

    last = _first_true(first, top, not_yet) - timedelta(days=1)
    return (first, last) if last >= first else None


# --- the list ---------------------------------------------------------------------------------


def documents_for(
    viewer: Viewer,
    *,
    q: str = "",
    kind: str = "",
    validity: str = "",
    review_state: str = "",
    agency: Any = "",
    year: Any = "",
    topic: str = "",
    card: str = "",
    today: date | None = None,
    cal: WorkingCalendar | None = None,
) -> QuerySet[Document]:
    """The texts ``viewer`` sees, filtered; blank filters are not applied.

    ``q`` looks in 标题, 发文字号 and 索引号 (every word must match); ``year`` is the year of
    the 成文日期; ``card`` (``red``/``yellow``/``green``, with ``today`` and ``cal``) keeps the
    unpublished texts whose publication clock shows that colour. ``validity`` keeps texts that
    were published (已发布、已撤下) only: a text not yet published has no validity yet (the
    list says 未发布). Ordered with the texts not yet published first (the office's work in
    hand), then newest publication first.
    """
    qs = visible_documents(viewer)
    for word in q.split():
        qs = qs.filter(text_match(word, "title", "doc_number", "index_no"))
    exact = {"kind": kind, "validity": validity, "review_state": review_state, "topic": topic}
    qs = qs.filter(**{k: v for k, v in exact.items() if v})
    if validity:
        qs = qs.filter(review_state__in=ISSUED)
    if agency not in ("", None):
        qs = qs.filter(agency_id=getattr(agency, "pk", agency))
    if str(year).isdecimal():
        y = int(year)
        if 1 <= y < 9999:
            qs = qs.filter(written_on__gte=date(y, 1, 1), written_on__lt=date(y + 1, 1, 1))
    if card and today is not None and cal is not None:
        qs = qs.filter(card_filter(card, today, cal))
    return qs.order_by(F("published_on").desc(nulls_first=True), "-written_on", "-id")


def cleanup_candidates(
    viewer: Viewer, agency_id: int, *, q: str = "", kind: str = "", year: Any = ""
) -> QuerySet[Document]:
    """The texts of ``agency_id`` a 清理 may change: published and still in stock (尚未施行
    or 现行有效), oldest first, narrowed like the list."""
    return (
        documents_for(viewer, q=q, kind=kind, year=year, agency=agency_id)
        .filter(review_state__in=ISSUED, validity__in=IN_STOCK)
        .order_by("written_on", "id")
    )


def topics_for(viewer: Viewer) -> list[str]:
    """The 主题分类 used by the texts ``viewer`` sees (for the list's filter)."""
    agency_ids = None if viewer.is_platform_admin else _visible_agency_ids(viewer)
    return topics_used(agency_ids)


def _visible_agency_ids(viewer: Viewer) -> list[int]:
    return sorted({*viewer.document_agency_ids, *viewer.supervised_agency_ids})


def topics_used(agency_ids: list[int] | None, *, public_only: bool = False) -> list[str]:
    """The distinct non-blank 主题分类 of the texts of ``agency_ids`` (None: every agency;
    ``public_only``: published 主动公开 texts only), in the database's order.

    One query that skips through the (agency, topic) index from each topic to the next
    (a recursive query: a few steps per agency) instead of reading every text: a registry
    has a handful of topics and many thousand texts.
    """
    table = Document._meta.db_table
    agencies = Document._meta.get_field("agency").related_model._meta.db_table
    params: list[Any] = []
    where = ""
    if public_only:
        where = " AND d.review_state = %s AND d.disclosure = %s"
        params = [ReviewState.PUBLISHED.value, Disclosure.PROACTIVE.value]
    chosen = ""
    if agency_ids is not None:
        if not agency_ids:
            return []
        chosen = f" WHERE a.id IN ({', '.join(['%s'] * len(agency_ids))})"
    # Only table names from the models and placeholders go into the text of the query.
    sql = (
        f"WITH RECURSIVE t(agency_id, topic) AS ("  # noqa: S608
        f" SELECT a.id, (SELECT MIN(d.topic) FROM {table} d"
        f" WHERE d.agency_id = a.id AND d.topic > ''{where}) FROM {agencies} a{chosen}"
        f" UNION ALL"
        f" SELECT t.agency_id, (SELECT MIN(d.topic) FROM {table} d"
        f" WHERE d.agency_id = t.agency_id AND d.topic > t.topic{where})"
        f" FROM t WHERE t.topic IS NOT NULL"
        f") SELECT DISTINCT topic FROM t WHERE topic IS NOT NULL ORDER BY topic"
    )
    args = [*params, *(agency_ids or []), *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]


# --- one text ---------------------------------------------------------------------------------


def document_for(viewer: Viewer, pk: int) -> Document:
    """The text ``pk`` with what its page shows, if ``viewer`` may see it; else 404 with
    :data:`..access.NOT_VISIBLE` (the same whether or not it exists)."""
    found = (
        Document.objects.filter(_visibility(viewer), pk=pk)
        .select_related("agency", "policy", "policy__catalogue_item", "revises", "created_by")
        .prefetch_related("attachments", "interpretations")
        .first()
    )
    if found is None:
        raise Http404(NOT_VISIBLE)
    return found


def versions_of(document: Document) -> list[Document]:
    """The texts of ``document``'s policy, first text first, each followed by the text that
    revises it (texts outside the chain, if any, last by 成文日期)."""
    texts = list(Document.objects.filter(policy_id=document.policy_id).order_by("written_on", "id"))
    successor = {t.revises_id: t for t in texts if t.revises_id is not None}
    known = {t.pk for t in texts}
    ordered: list[Document] = []
    for root in (t for t in texts if t.revises_id is None or t.revises_id not in known):
        current: Document | None = root
        while current is not None and current not in ordered:
            ordered.append(current)
            current = successor.get(current.pk)
    ordered += [t for t in texts if t not in ordered]
    return ordered


def document_actions(viewer: Viewer, document: Document, *, revised: bool = False) -> set[str]:
    """What ``viewer`` may do with ``document`` now (the page offers exactly these; the
    services decide again).

    ``revised``: a later text already revises it (a text is revised once, by one text).
    Codes: ``edit``, ``submit`` (登记员、负责人, 草稿或已退回; ``submit`` only for a 主动公开
    text, the others are never published); ``secrecy`` (保密审查员、负责人,
    待保密审查); ``return`` (the reviewers, once the secrecy review passed: before, 保密审查
    不通过 returns it); ``basis``, ``publish``, ``take_down``, ``validity`` (负责人; 条例第十七条
    审查机制; 废止/失效 of a text published or taken down); ``revise`` (登记员、负责人, a
    published text still in stock).
    """
    roles = roles_on(viewer, document.agency_id)
    state = document.review_state
    out: set[str] = set()
    if roles & DRAFTING_ROLES and state in (ReviewState.DRAFT, ReviewState.RETURNED):
        out.add("edit")
        if document.disclosure == Disclosure.PROACTIVE:  # only 主动公开 is published (第十九条)
            out.add("submit")
    if roles & SECRECY_ROLES and state == ReviewState.SECRECY:
        out.add("secrecy")
    if roles & (SECRECY_ROLES | DECIDING_ROLES) and state in (
        ReviewState.SCAN,
        ReviewState.SIGN_OFF,
    ):
        out.add("return")
    if roles & DECIDING_ROLES:
        if state == ReviewState.SCAN:
            out.add("basis")
        if state == ReviewState.SIGN_OFF:
            out.add("publish")
        if state == ReviewState.PUBLISHED:
            out.add("take_down")
        if state in ISSUED and document.validity in IN_STOCK:
            out.add("validity")
    if (
        roles & DRAFTING_ROLES
        and state == ReviewState.PUBLISHED
        and document.validity in IN_STOCK
        and not revised
    ):
        out.add("revise")
    return out


#: The steps that take a text forward to publication (退回 only sends it back): a text
#: waits for the viewer (待我办理) when they may take one of these.
FORWARD = frozenset({"submit", "secrecy", "basis", "publish"})

#: Who acts next on a text on its way to publication (先审查后公开, 条例第十七条).
NEXT_STEP = {
    ReviewState.DRAFT: "待登记员完善后提交审查",
    ReviewState.RETURNED: "已退回，待登记员按退回意见修改后重新提交审查",
    ReviewState.SECRECY: "待保密审查员进行保密审查",
    ReviewState.SCAN: "待公开工作机构负责人核查个人信息：记录公开依据，或退回修改",
    ReviewState.SIGN_OFF: "待公开工作机构负责人签发并发布",
}


def next_step(document: Document) -> str:
    """Who acts next on ``document`` and how (blank once published or taken down); a text
    that is not 主动公开 stays in the registry and is never published."""
    if document.review_state in (ReviewState.DRAFT, ReviewState.RETURNED) and (
        document.disclosure != Disclosure.PROACTIVE
    ):
        label = Disclosure(document.disclosure).label
        return (
            f"公开属性为“{label}”，本文件只在文件库中登记，不主动发布"
            "（《中华人民共和国政府信息公开条例》第十九条）；如应主动公开，请先修改公开属性"
        )
    return NEXT_STEP.get(ReviewState(document.review_state), "")


def pending_validity(document: Document, today: date) -> str:
    """For a text not yet published: the validity it will have once published, as a note
    (its validity counts only from publication); blank for a published text."""
    if document.review_state in ISSUED:
        return ""
    effective = document.effective_on
    if document.expires_on is not None and document.expires_on < today:
        return f"有效期至 {document.expires_on:%Y-%m-%d}，已届满；发布后即为“失效”"
    if effective > today:
        return f"发布后为“尚未施行”，自 {effective:%Y-%m-%d} 起施行"
    return f"发布后即为“现行有效”（施行日期 {effective:%Y-%m-%d}）"


def validity_targets(document: Document) -> list[Validity]:
    """The changes a decision may make to ``document`` now: 已废止 always (while in stock),
    失效 once in force (:data:`gongkai.core.validity.TRANSITIONS`; 已修订 comes only from a
    revising text)."""
    if document.validity == Validity.IN_FORCE:
        return [Validity.REPEALED, Validity.EXPIRED]
    if document.validity == Validity.NOT_YET_IN_FORCE:
        return [Validity.REPEALED]
    return []


# --- the publication clock (第二十六条) --------------------------------------------------------


def publication_clock_for(
    document: Document, today: date, cal: WorkingCalendar
) -> PublicationClock | None:
    """The 20-working-day clock of a proactive text (None for a text not proactively
    disclosed, one taken down, or one whose dates the calendar cannot count)."""
    if document.disclosure != Disclosure.PROACTIVE:
        return None
    if document.review_state == ReviewState.TAKEN_DOWN:
        return None
    published = document.published_on if document.review_state == ReviewState.PUBLISHED else None
    try:
        return publication_clock(
            document.formed_on,
            today,
            cal,
            published=published,
            yellow_at=settings.GONGKAI_YELLOW_AT,
        )
    except (CalendarError, ValidityError):
        return None


@dataclass(frozen=True)
class ClockRow:
    document: Document
    clock: PublicationClock


@dataclass(frozen=True)
class PublicationCards:
    """The unpublished proactive texts by card colour; ``rows`` red first, then by due date."""

    red: int
    yellow: int
    green: int
    rows: list[ClockRow]

    @property
    def urgent(self) -> list[ClockRow]:
        """The red and yellow rows (what the dashboard lists)."""
        return [r for r in self.rows if r.clock.colour != Colour.GREEN]


_COLOUR_ORDER = {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2}


def publication_cards(viewer: Viewer, today: date, cal: WorkingCalendar) -> PublicationCards:
    """The proactive texts ``viewer`` sees that are not yet published, each with its clock
    counted from its 形成或变更日期 (《中华人民共和国政府信息公开条例》第二十六条). One query."""
    qs = visible_documents(viewer).filter(
        review_state__in=UNPUBLISHED_STATES, disclosure=Disclosure.PROACTIVE
    )
    rows = []
    for doc in qs:
        clock = publication_clock_for(doc, today, cal)
        if clock is not None:
            rows.append(ClockRow(doc, clock))
    rows.sort(key=lambda r: (_COLOUR_ORDER[r.clock.colour], r.clock.due, r.document.pk))
    count = {c: sum(r.clock.colour == c for r in rows) for c in Colour}
    return PublicationCards(count[Colour.RED], count[Colour.YELLOW], count[Colour.GREEN], rows)


# --- 三同步 / 解读 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRow:
    document: Document
    flag: Flag


def _core_for_flags(document: Document) -> CoreDocument | None:
    """The core view of a text as :func:`interpretation_flags` reads it (kind and name: the
    decided changes are not needed, so none are loaded); None for dates the rules refuse."""
    try:
        return CoreDocument(
            ref=str(document.pk),
            title=document.title,
            kind=DocKind(document.kind),
            written=document.written_on,
            effective=document.effective_on,
            number=document.doc_number,
            expires=document.expires_on,
        )
    except (ValidityError, ValueError):
        return None


def flags_of(
    document: Document, interpretation: date | None, today: date, cal: WorkingCalendar
) -> tuple[Flag, ...]:
    """The 三同步 flags of one published text whose first 解读 appeared on ``interpretation``
    (None: none yet); none for a text not published or not a 行政规范性文件."""
    if document.review_state != ReviewState.PUBLISHED or document.published_on is None:
        return ()
    core = _core_for_flags(document)
    if core is None:
        return ()
    try:
        return interpretation_flags(core, document.published_on, interpretation, today, cal)
    except CalendarError:
        return ()


def first_interpretation(document: Document) -> date | None:
    """The day the first published 解读 of ``document`` appeared (None: none yet)."""
    days = [i.published_on for i in document.interpretations.all() if i.published_on]
    return min(days, default=None)


def interpretation_flags_for(viewer: Viewer, today: date, cal: WorkingCalendar) -> list[FlagRow]:
    """The 三同步 flags of the published 行政规范性文件 ``viewer`` sees that are still in stock
    (尚未施行 or 现行有效): 解读 missing, pending, dated before the text, or later than 3
    working days. One query."""
    qs = (
        visible_documents(viewer)
        .filter(
            kind=DocKind.NORMATIVE,
            review_state=ReviewState.PUBLISHED,
            published_on__isnull=False,
            validity__in=IN_STOCK,
        )
        .annotate(first_interpretation=Min("interpretations__published_on"))
        .order_by("-published_on", "-id")
    )
    return [
        FlagRow(doc, flag)
        for doc in qs
        for flag in flags_of(doc, doc.first_interpretation, today, cal)
    ]


# --- 有效期 -------------------------------------------------------------------------------------


def expiry_horizon(today: date) -> date:
    """The last 有效期至 that warns today: the same rule as
    :func:`gongkai.core.validity.validity_on` (a warning from 6 months before the end, the
    day clamped to the end of a shorter month), turned round to bound a query."""
    month0 = today.month - 1 + EXPIRY_WARNING_MONTHS
    year, month = today.year + month0 // 12, month0 % 12 + 1
    last = monthdays.monthrange(year, month)[1]
    at_month_end = today.day == monthdays.monthrange(today.year, today.month)[1]
    return date(year, month, last if at_month_end else min(today.day, last))


def expiring_for(viewer: Viewer, today: date) -> QuerySet[Document]:
    """Published texts still in stock whose 有效期至 falls within the next 6 months
    (inclusive), soonest first."""
    return (
        visible_documents(viewer)
        .filter(
            review_state=ReviewState.PUBLISHED,
            validity__in=IN_STOCK,
            expires_on__gte=today,
            expires_on__lte=expiry_horizon(today),
        )
        .order_by("expires_on", "id")
    )


# --- the dashboard ----------------------------------------------------------------------------

#: What the dashboard reads of a text (and of its agency).
BOARD_FIELDS = (
    "id",
    "agency",
    "title",
    "kind",
    "doc_number",
    "written_on",
    "effective_on",
    "expires_on",
    "published_on",
    "formed_on",
    "disclosure",
    "validity",
    "review_state",
)
_LINK = Interpretation.documents.through


def _read_ids() -> QuerySet:
    """The ids of the texts with a published 解读 (an uncorrelated subquery: the database
    reads it once, not once per text)."""
    return _LINK.objects.filter(interpretation__published_on__isnull=False).values("document_id")


def _read_late_ids(days: int) -> QuerySet:
    """The ids of the texts whose first published 解读 appeared more than ``days`` calendar
    days after the text (one grouped read of the 解读 links)."""
    return (
        _LINK.objects.filter(interpretation__published_on__isnull=False)
        .values("document_id", "document__published_on")
        .annotate(first=Min("interpretation__published_on"))
        .filter(first__gt=AddDays(F("document__published_on"), days))
        .values("document_id")
    )


def _first_reading() -> Subquery:
    """The day the outer text's first published 解读 appeared (NULL: none yet)."""
    return Subquery(
        _LINK.objects.filter(document_id=OuterRef("pk"), interpretation__published_on__isnull=False)
        .order_by("interpretation__published_on")
        .values("interpretation__published_on")[:1],
        output_field=DateField(),
    )


#: The published 行政规范性文件 still in stock: those 三同步 looks at.
FLAGGED = Q(
    kind=DocKind.NORMATIVE,
    review_state=ReviewState.PUBLISHED,
    published_on__isnull=False,
    validity__in=IN_STOCK,
)
#: Texts whose dates the core accepts (:class:`gongkai.core.validity.Document`: a title,
#: 施行 not before 成文, 有效期 not before 施行); the others get no flag.
SOUND = (
    ~Q(title="")
    & Q(effective_on__gte=F("written_on"))
    & (Q(expires_on__isnull=True) | Q(expires_on__gte=F("effective_on")))
)
IN_HAND = Q(review_state__in=UNPUBLISHED_STATES, disclosure=Disclosure.PROACTIVE)


def _shown_keys(counts: Iterable[tuple[Any, Any, int]], shown: int) -> list[Any]:
    """From ``(key, order, rows)``: the keys whose rows a list of the first ``shown`` rows
    (by ``order``, ties broken on the rows' ids) may take: every key whose ``order`` is not
    after the one where ``shown`` rows are reached."""
    ordered = sorted(counts, key=lambda c: c[1])
    total, limit = 0, None
    for _, order, rows in ordered:
        total += rows
        if total >= shown:
            limit = order
            break
    return [key for key, order, _ in ordered if limit is None or order <= limit]


@dataclass(frozen=True)
class Board:
    """The registry's dashboard figures and the rows it lists."""

    cards: PublicationCards  # counts; ``rows``: the red and yellow rows listed
    todo: list[ClockRow]
    todo_count: int
    missing: list[FlagRow]
    missing_count: int
    late: list[FlagRow]
    late_count: int
    expiring: list[Document]
    expiring_count: int


def _sorted_clocks(rows: Iterable[Document], today: date, cal: WorkingCalendar) -> list[ClockRow]:
    out = []
    for doc in rows:
        clock = publication_clock_for(doc, today, cal)
        if clock is not None:
            out.append(ClockRow(doc, clock))
    out.sort(key=lambda r: (_COLOUR_ORDER[r.clock.colour], r.clock.due, r.document.pk))
    return out


def registry_board(
    viewer: Viewer, today: date, cal: WorkingCalendar, *, shown: int = SHOWN
) -> Board:
    """The dashboard's figures, exactly as :func:`publication_cards`,
    :func:`interpretation_flags_for` and :func:`expiring_for` give them, in at most four
    queries whatever the number of texts.

    Three grouped counts (the texts in hand by 形成日期, agency and step; the texts whose
    解读 is missing by 发布日期; the texts about to expire by 有效期至) give every figure
    and tell how far each list must read; one query then loads only the rows the lists
    may show (with the day of each one's first 解读) and the texts whose 解读 came more than
    3 calendar days after them (a superset of the late ones: 3 working days are at least 3
    days), which the core then checks one by one.
    """
    visible = Document.objects.filter(_visibility(viewer))
    wanted: list[Q] = []

    # Publication cards and 待我办理 (条例第二十六条): the card is a function of 形成日期.
    limits = clock_limits(today, cal)
    counts = dict.fromkeys(Colour, 0)
    todo_count = 0
    if limits is not None:
        hand = (
            visible.filter(IN_HAND, formed_on__gte=limits.first, formed_on__lte=limits.last)
            .order_by()
            .values_list("formed_on", "agency_id", "review_state")
            .annotate(n=Count("id"))
        )
        groups = list(hand)
        forward: dict[tuple[int, str], bool] = {}
        for _, agency_id, state, _n in groups:
            if (agency_id, state) not in forward:
                probe = Document(
                    agency_id=agency_id, review_state=state, disclosure=Disclosure.PROACTIVE
                )
                forward[agency_id, state] = bool(document_actions(viewer, probe) & FORWARD)
        due = {}
        for formed, *_ in groups:
            if formed not in due:
                due[formed] = cal.add_working_days(formed, PUBLICATION_WORKING_DAYS)
        for formed, agency_id, state, n in groups:
            counts[limits.colour(formed)] += n
            todo_count += n if forward[agency_id, state] else 0
        urgent_days = _shown_keys(
            ((f, due[f], n) for f, _, _, n in groups if f < limits.green_from), shown
        )
        if urgent_days:
            wanted.append(IN_HAND & Q(formed_on__gte=limits.first, formed_on__lte=max(urgent_days)))
        todo_groups = [(f, a, st, n) for f, a, st, n in groups if forward[a, st]]
        todo_days = _shown_keys(((f, due[f], n) for f, _, _, n in todo_groups), shown)
        if todo_days:
            pairs = Q(pk__in=[])
            for a, st in {(a, st) for _, a, st, _ in todo_groups}:
                pairs |= Q(agency_id=a, review_state=st)
            wanted.append(
                IN_HAND & pairs & Q(formed_on__gte=limits.first, formed_on__lte=max(todo_days))
            )

    # 三同步: 解读 missing once 3 working days have passed, counted by 发布日期.
    missing_count = 0
    days = missing_limit(today, cal)
    if days is not None:
        missing_q = (
            FLAGGED
            & SOUND
            & Q(published_on__gte=days[0], published_on__lte=days[1])
            & ~Q(pk__in=_read_ids())
        )
        by_day = list(
            visible.filter(missing_q)
            .order_by()
            .annotate(day=GroupKey("published_on", DateField()))
            .values_list("day")
            .annotate(n=Count("id"))
        )
        missing_count = sum(n for _, n in by_day)
        missing_days = _shown_keys(((d, -d.toordinal(), n) for d, n in by_day), shown)
        if missing_days:
            wanted.append(missing_q & Q(published_on__gte=min(missing_days)))
    # A first 解读 more than 3 days after the text (maybe more than 3 working days).
    wanted.append(FLAGGED & Q(pk__in=_read_late_ids(INTERPRETATION_WORKING_DAYS)))

    # 有效期 ending within 6 months.
    horizon = expiry_horizon(today)
    expiring_q = Q(
        review_state=ReviewState.PUBLISHED,
        validity__in=IN_STOCK,
        expires_on__gte=today,
        expires_on__lte=horizon,
    )
    by_end = list(
        visible.filter(expiring_q).order_by().values_list("expires_on").annotate(n=Count("id"))
    )
    expiring_count = sum(n for _, n in by_end)
    end_days = _shown_keys(((d, d, n) for d, n in by_end), shown)
    if end_days:
        wanted.append(expiring_q & Q(expires_on__lte=max(end_days)))

    found = Q(pk__in=[])
    for q in wanted:
        found |= q
    rows = list(
        visible.filter(found)
        .select_related("agency")
        .only(*BOARD_FIELDS)
        .annotate(first_interpretation=_first_reading())
        .order_by()
    )

    hand_rows = _sorted_clocks(
        (d for d in rows if d.review_state in UNPUBLISHED_STATES), today, cal
    )
    urgent = [r for r in hand_rows if r.clock.colour != Colour.GREEN][:shown]
    todo = [r for r in hand_rows if document_actions(viewer, r.document) & FORWARD][:shown]
    missing: list[FlagRow] = []
    late: list[FlagRow] = []
    newest_first = sorted(rows, key=lambda d: (d.published_on or date.min, d.pk), reverse=True)
    for doc in newest_first:
        if doc.kind != DocKind.NORMATIVE or doc.validity not in IN_STOCK:
            continue
        for flag in flags_of(doc, doc.first_interpretation, today, cal):
            if flag.code == "interpretation_missing":
                missing.append(FlagRow(doc, flag))
            elif flag.code == "interpretation_late":
                late.append(FlagRow(doc, flag))
    expiring = sorted(
        (
            d
            for d in rows
            if d.review_state == ReviewState.PUBLISHED
            and d.validity in IN_STOCK
            and d.expires_on is not None
            and today <= d.expires_on <= horizon
        ),
        key=lambda d: (d.expires_on, d.pk),
    )
    cards = PublicationCards(
        counts[Colour.RED], counts[Colour.YELLOW], counts[Colour.GREEN], urgent
    )
    return Board(
        cards=cards,
        todo=todo,
        todo_count=todo_count,
        missing=missing[:shown],
        missing_count=missing_count,
        late=late[:shown],
        late_count=len(late),
        expiring=expiring[:shown],
        expiring_count=expiring_count,
    )


def dashboard_section(
    sender: Any, viewer: Viewer, today: date, **kwargs: Any
) -> tuple[str, dict[str, Any]] | None:
    """The registry's part of the staff dashboard, for those who may open the registry:
    publication cards, the texts waiting for the viewer (待我办理), 三同步 flags and texts
    about to expire (at most four queries: :func:`registry_board`).

    Connected in :meth:`gongkai.documents.apps.DocumentsConfig.ready` to
    :data:`gongkai.cases.dashboards.dashboard_sections`.
    """
    if not viewer.may_open_documents:
        return None
    board = registry_board(viewer, today, working_calendar())
    context = {
        "cards": board.cards,
        "urgent": board.cards.rows,
        "todo": board.todo,
        "todo_count": board.todo_count,
        "missing": board.missing,
        "missing_count": board.missing_count,
        "late": board.late,
        "late_count": board.late_count,
        "expiring": board.expiring,
        "expiring_count": board.expiring_count,
        "horizon": expiry_horizon(today),
        "today": today,
        "many_agencies": viewer.is_platform_admin
        or len({*viewer.document_agency_ids, *viewer.supervised_agency_ids}) > 1,
        "may_draft": bool(viewer.agencies_with(Role.REGISTRAR, Role.HEAD)),
    }
    return "documents/staff/dashboard_section.html", context
