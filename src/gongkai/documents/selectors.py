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
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import F, Min, Q, QuerySet
from django.http import Http404

from gongkai.accounts.scope import Viewer
from gongkai.core.calendar import CalendarError, WorkingCalendar
from gongkai.core.deadlines import Colour
from gongkai.core.validity import (
    EXPIRY_WARNING_MONTHS,
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
from .models import Disclosure, Document, ReviewState

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
        qs = qs.filter(
            Q(title__icontains=word) | Q(doc_number__icontains=word) | Q(index_no__icontains=word)
        )
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
        cards = publication_cards(viewer, today, cal)
        qs = qs.filter(pk__in=[r.document.pk for r in cards.rows if r.clock.colour == card])
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
    rows = (
        Document.objects.filter(_visibility(viewer))
        .exclude(topic="")
        .values_list("topic", flat=True)
        .distinct()
        .order_by("topic")
    )
    return list(rows)


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


def dashboard_section(
    sender: Any, viewer: Viewer, today: date, **kwargs: Any
) -> tuple[str, dict[str, Any]] | None:
    """The registry's part of the staff dashboard, for those who may open the registry:
    publication cards, the texts waiting for the viewer (待我办理), 三同步 flags and texts
    about to expire (a fixed number of queries).

    Connected in :meth:`gongkai.documents.apps.DocumentsConfig.ready` to
    :data:`gongkai.cases.dashboards.dashboard_sections`.
    """
    if not viewer.may_open_documents:
        return None
    cal = working_calendar()
    cards = publication_cards(viewer, today, cal)
    # The texts on their way that wait for the viewer's step forward (no query: the cards
    # hold every unpublished proactive text the viewer sees).
    todo = [r for r in cards.rows if document_actions(viewer, r.document) & FORWARD]
    flags = interpretation_flags_for(viewer, today, cal)
    missing = [f for f in flags if f.flag.code == "interpretation_missing"]
    late = [f for f in flags if f.flag.code == "interpretation_late"]
    expiring = expiring_for(viewer, today)
    expiring_count = expiring.count()
    context = {
        "cards": cards,
        "urgent": cards.urgent[:SHOWN],
        "todo": todo[:SHOWN],
        "todo_count": len(todo),
        "missing": missing[:SHOWN],
        "missing_count": len(missing),
        "late": late[:SHOWN],
        "late_count": len(late),
        "expiring": list(expiring[:SHOWN]) if expiring_count else [],
        "expiring_count": expiring_count,
        "horizon": expiry_horizon(today),
        "today": today,
        "many_agencies": viewer.is_platform_admin
        or len({*viewer.document_agency_ids, *viewer.supervised_agency_ids}) > 1,
        "may_draft": bool(viewer.agencies_with(Role.REGISTRAR, Role.HEAD)),
    }
    return "documents/staff/dashboard_section.html", context
