"""The statutory rules of a government document: validity, kind, publication clock, 解读, table 二.

Pure: no database, no clock; every function takes the day it is asked about.

**Validity** (效力状态) is a small state machine over one *text* of a document:

- 尚未施行 → 现行有效 happens by itself on the 施行日期;
- 现行有效 → 失效 happens by itself the day after 有效期至 (practice: many provinces give
  行政规范性文件 a 有效期 of 5 years, 2 for 试行/暂行; the document is valid *through* the
  last day of its period);
- decisions change the rest, each with its date and its deciding document (决定文件: 标题、文号):
  现行有效 → 已修订 / 失效 / 已废止, and 尚未施行 → 已废止 (repealed before taking effect).
  已修订, 失效 and 已废止 are final: a text that is no longer in force cannot be repealed,
  revised or declared expired again (:class:`ValidityError` names both states).

**已修订** follows Chinese practice: a revision (修订/修正) produces a *new text* of the same
document, registered as its own :class:`Document` whose ``revises`` names the earlier text;
the new text is 现行有效 (or 尚未施行) on its own dates, and the earlier text becomes
已修订 (a 历史版本) — the policy itself continues, so a revision is neither 制发 of a new
document nor 废止 of the old one in table 二. The deciding document of an 已修订 event is
the revising text itself. A revision issued as a new document that repeals the old one
(废旧立新) is registered as a new document, and the old one gets 已废止.

**Kinds** (:class:`DocKind`): 规章 may be made only by State Council departments
(《中华人民共和国立法法》第九十一条) and by the people's governments of provinces, autonomous
regions, municipalities, cities with districts (设区的市) and autonomous prefectures (第九十三条);
a county-level body, and any government department below the State Council, has none.

**Publication** (《中华人民共和国政府信息公开条例》第二十六条): information within the scope of
proactive disclosure is published within 20 working days of being formed or changed.

**三同步 / 解读**: 中共中央办公厅、国务院办公厅《关于全面推进政务公开工作的意见》
(中办发〔2016〕8号) and its 实施细则 (国办发〔2016〕80号, 三、做好政策解读) ask that a policy
document and its 解读方案、解读材料 be organised, reviewed and signed, and deployed together
(同步组织、同步审签、同步部署). *Three working days* as the latest day for the 解读 is not in
those texts: it is common local practice (many provinces' 政务公开 rules publish the 解读 with
the document and at the latest within 3 working days after it), so it is one constant here,
:data:`INTERPRETATION_WORKING_DAYS`.

**Table 二** (《政府信息公开工作年度报告格式》, 第二十条第（一）项 rows 规章 and 行政规范性文件):
counted from the registry by the definitions in :func:`table_two`, built so that
上年现行有效 + 本年制发 − 本年废止 = 本年现行有效 holds by construction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from .calendar import WorkingCalendar
from .deadlines import DEFAULT_YELLOW_AT, Colour, card_colour, working_days_left

#: 第二十六条: proactive information is published within 20 working days.
PUBLICATION_WORKING_DAYS = 20
#: Latest 解读 after its document, in working days (local practice, see the module docstring).
INTERPRETATION_WORKING_DAYS = 3
#: Months before the end of a 有效期 from which a warning is shown.
EXPIRY_WARNING_MONTHS = 6


class ValidityError(ValueError):
    """A document, transition or registry the rules refuse (message in Chinese)."""


# --- kinds and issuers -----------------------------------------------------------------------


class DocKind(StrEnum):
    RULES = "rules"
    NORMATIVE = "normative_documents"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DocKind.RULES: "规章",
    DocKind.NORMATIVE: "行政规范性文件",
    DocKind.OTHER: "其他文件",
}


class AgencyLevel(StrEnum):
    """The issuing body's place in the administration (what 《立法法》 looks at)."""

    STATE_COUNCIL_DEPARTMENT = "state_council_department"
    PROVINCIAL_GOVERNMENT = "provincial_government"
    PROVINCIAL_DEPARTMENT = "provincial_department"
    CITY_GOVERNMENT = "city_government"
    CITY_DEPARTMENT = "city_department"
    COUNTY_GOVERNMENT = "county_government"
    COUNTY_DEPARTMENT = "county_department"
    TOWNSHIP_GOVERNMENT = "township_government"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    AgencyLevel.STATE_COUNCIL_DEPARTMENT: "国务院部门",
    AgencyLevel.PROVINCIAL_GOVERNMENT: "省、自治区、直辖市人民政府",
    AgencyLevel.PROVINCIAL_DEPARTMENT: "省级人民政府部门",
    AgencyLevel.CITY_GOVERNMENT: "设区的市、自治州人民政府",
    AgencyLevel.CITY_DEPARTMENT: "设区的市、自治州人民政府部门",
    AgencyLevel.COUNTY_GOVERNMENT: "县级人民政府",
    AgencyLevel.COUNTY_DEPARTMENT: "县级人民政府部门",
    AgencyLevel.TOWNSHIP_GOVERNMENT: "乡镇人民政府",
}

#: Who may make 规章, and the article of 《立法法》 that says so.
RULE_MAKERS: dict[AgencyLevel, str] = {
    AgencyLevel.STATE_COUNCIL_DEPARTMENT: "《中华人民共和国立法法》第九十一条",
    AgencyLevel.PROVINCIAL_GOVERNMENT: "《中华人民共和国立法法》第九十三条",
    AgencyLevel.CITY_GOVERNMENT: "《中华人民共和国立法法》第九十三条",
}


def issue_refusal(kind: DocKind, level: AgencyLevel) -> str | None:
    """Why a body of ``level`` may not issue a document of ``kind``, or None if it may.

    Only 规章 is restricted (《立法法》第九十一条、第九十三条); every administrative body may
    issue 行政规范性文件 and other documents within its powers.
    """
    if kind is DocKind.RULES and level not in RULE_MAKERS:
        return (
            f"{level.label}无权制定规章：规章只能由国务院部门（《中华人民共和国立法法》第九十一条）"
            "和省、自治区、直辖市和设区的市、自治州的人民政府（第九十三条）制定；"
            "请改为行政规范性文件或其他文件"
        )
    return None


def check_issuer(kind: DocKind, level: AgencyLevel) -> None:
    """Raise :class:`ValidityError` when a body of ``level`` may not issue ``kind``."""
    reason = issue_refusal(kind, level)
    if reason is not None:
        raise ValidityError(reason)


# --- validity ---------------------------------------------------------------------------------


class Validity(StrEnum):
    NOT_YET_IN_FORCE = "not_yet_in_force"
    IN_FORCE = "in_force"
    REVISED = "revised"
    EXPIRED = "expired"
    REPEALED = "repealed"

    @property
    def label(self) -> str:
        return _VALIDITY_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in (Validity.REVISED, Validity.EXPIRED, Validity.REPEALED)


_VALIDITY_LABELS = {
    Validity.NOT_YET_IN_FORCE: "尚未施行",
    Validity.IN_FORCE: "现行有效",
    Validity.REVISED: "已修订",
    Validity.EXPIRED: "失效",
    Validity.REPEALED: "已废止",
}

#: Which decided change may happen in which state (the automatic ones are not decisions).
TRANSITIONS: dict[Validity, frozenset[Validity]] = {
    Validity.NOT_YET_IN_FORCE: frozenset({Validity.REPEALED}),
    Validity.IN_FORCE: frozenset({Validity.REVISED, Validity.EXPIRED, Validity.REPEALED}),
    Validity.REVISED: frozenset(),
    Validity.EXPIRED: frozenset(),
    Validity.REPEALED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Decision:
    """The deciding document (决定文件) of a change of validity: its title and 文号."""

    title: str
    number: str = ""

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValidityError("决定文件的标题不能为空")

    def __str__(self) -> str:
        return f"《{self.title}》（{self.number}）" if self.number else f"《{self.title}》"


@dataclass(frozen=True, slots=True)
class ValidityEvent:
    """A decided change of validity: on ``day``, to ``target``, by ``decision``."""

    day: date
    target: Validity
    decision: Decision


@dataclass(frozen=True, slots=True)
class Document:
    """One text of a government document as the registry (文件库) holds it.

    ``written`` is the 成文日期, ``effective`` the 施行日期, ``expires`` the last day of the
    有效期 (None: no fixed period). ``revises`` is the ``ref`` of the earlier text this text
    revises (see the module docstring). ``events`` are the decided changes, in order.
    """

    ref: str
    title: str
    kind: DocKind
    written: date
    effective: date
    number: str = ""
    expires: date | None = None
    revises: str | None = None
    events: tuple[ValidityEvent, ...] = ()

    def __post_init__(self) -> None:
        name = self.name
        if not self.title.strip():
            raise ValidityError(f"文件 {self.ref} 的标题不能为空")
        if self.effective < self.written:
            raise ValidityError(f"{name}的施行日期 {self.effective} 早于成文日期 {self.written}")
        if self.expires is not None and self.expires < self.effective:
            raise ValidityError(f"{name}的有效期至 {self.expires} 早于施行日期 {self.effective}")
        if self.revises == self.ref:
            raise ValidityError(f"{name}不能修订它自己")

    @property
    def name(self) -> str:
        """How messages name the document: 《标题》（文号）."""
        return f"《{self.title}》（{self.number}）" if self.number else f"《{self.title}》"


@dataclass(frozen=True, slots=True)
class ValidityStatus:
    """A document's validity on a day: the state, since when, by which decision, warnings."""

    day: date
    validity: Validity
    since: date | None  # the first day of this state (None: 尚未施行 before the 施行日期)
    decision: Decision | None  # None for the automatic changes
    warnings: tuple[str, ...] = ()


def _automatic(doc: Document, day: date) -> tuple[Validity, date | None]:
    """The state on ``day`` from the dates alone (no decisions)."""
    if day < doc.effective:
        return Validity.NOT_YET_IN_FORCE, None
    if doc.expires is not None and day > doc.expires:
        return Validity.EXPIRED, doc.expires + timedelta(days=1)
    return Validity.IN_FORCE, doc.effective


def _replay(doc: Document, day: date) -> tuple[Validity, date | None, Decision | None]:
    """Replay the decided events up to ``day``; refuse one the state does not allow."""
    for event in doc.events:
        if event.day < doc.written:
            raise ValidityError(f"{doc.name}的效力变更日期 {event.day} 早于成文日期 {doc.written}")
    ordered = sorted(doc.events, key=lambda e: e.day)
    previous: ValidityEvent | None = None
    for event in ordered:
        current = previous.target if previous else _automatic(doc, event.day)[0]
        _check_transition(doc, current, event)
        previous = event
    happened = [e for e in ordered if e.day <= day]
    if happened:
        last = happened[-1]
        return last.target, last.day, last.decision
    state, since = _automatic(doc, day)
    return state, since, None


def _check_transition(doc: Document, current: Validity, event: ValidityEvent) -> None:
    if event.target not in TRANSITIONS[current]:
        allowed = "、".join(f"“{t.label}”" for t in sorted(TRANSITIONS[current])) or "无"
        raise ValidityError(
            f"{doc.name}在 {event.day} 的状态为“{current.label}”，"
            f"不能变更为“{event.target.label}”（该状态下可以变更为：{allowed}）"
        )


def check_document(doc: Document) -> None:
    """Raise :class:`ValidityError` when the document's events are not a valid history."""
    _replay(doc, date.max)


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for dd in (day.day, 30, 29, 28):
        try:
            return date(year, month, dd)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def validity_on(doc: Document, day: date) -> ValidityStatus:
    """The document's validity on ``day``, with a warning from 6 months before its expiry.

    A document whose 有效期至 has passed is 失效 from the next day without any decision.
    """
    if day < doc.written:
        raise ValidityError(f"{doc.name}成文于 {doc.written}，{day} 时尚不存在")
    state, since, decision = _replay(doc, day)
    warnings: list[str] = []
    if (
        doc.expires is not None
        and not state.is_final
        and _add_months(doc.expires, -EXPIRY_WARNING_MONTHS) <= day <= doc.expires
    ):
        days = (doc.expires - day).days
        warnings.append(
            f"{doc.name}有效期至 {doc.expires}，将于 {doc.expires} 到期失效（还有 {days} 天）；"
            "需要继续施行的，请在到期前评估并作出延续或修订决定"
        )
    return ValidityStatus(day, state, since, decision, tuple(warnings))


def apply_decision(doc: Document, target: Validity, day: date, decision: Decision) -> Document:
    """The document with one more decided change; refused with the current and requested state.

    The change must come after every earlier one and not before the 成文日期.
    """
    if day < doc.written:
        raise ValidityError(f"{doc.name}的效力变更日期 {day} 早于成文日期 {doc.written}")
    later = [e for e in doc.events if e.day > day]
    if later:
        raise ValidityError(
            f"{doc.name}在 {later[0].day} 已有效力变更记录，不能再补记更早（{day}）的变更"
        )
    current = validity_on(doc, day).validity
    event = ValidityEvent(day, target, decision)
    _check_transition(doc, current, event)
    return replace(doc, events=(*doc.events, event))


# --- 清理 -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CleanupResult:
    """One document's outcome in a 清理 batch: the updated text, or why it was refused."""

    ref: str
    applied: bool
    document: Document  # the updated text when applied, the unchanged one when refused
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Cleanup:
    """The outcome of one 清理 decision over many documents, one result per document.

    Every document is decided on its own: a refusal does not undo the others. The caller
    who needs all-or-nothing checks :attr:`all_applied` (or calls :meth:`require_all`)
    before saving anything.
    """

    decision: Decision
    target: Validity
    day: date
    results: tuple[CleanupResult, ...] = field(default_factory=tuple)

    @property
    def applied(self) -> tuple[CleanupResult, ...]:
        return tuple(r for r in self.results if r.applied)

    @property
    def refused(self) -> tuple[CleanupResult, ...]:
        return tuple(r for r in self.results if not r.applied)

    @property
    def all_applied(self) -> bool:
        return not self.refused

    def require_all(self) -> tuple[Document, ...]:
        """The updated documents, or :class:`ValidityError` listing every refusal."""
        if self.refused:
            lines = "；".join(f"{r.ref}：{r.reason}" for r in self.refused)
            raise ValidityError(
                f"清理决定{self.decision}有 {len(self.refused)} 件文件不能变更，"
                f"未作任何变更：{lines}"
            )
        return tuple(r.document for r in self.results)


def clean_up(
    documents: Iterable[Document], target: Validity, day: date, decision: Decision
) -> Cleanup:
    """Apply one 清理 decision (宣布失效 or 废止) to many documents, result by result.

    A 清理 decision cannot mark a text 已修订: a revision needs the new text itself, which is
    registered as its own document. A document listed twice is refused the second time.
    """
    if target not in (Validity.EXPIRED, Validity.REPEALED):
        raise ValidityError(
            f"清理决定只能宣布文件“{Validity.EXPIRED.label}”或“{Validity.REPEALED.label}”，"
            f"不能变更为“{target.label}”（修订请登记修订后的文本）"
        )
    results: list[CleanupResult] = []
    seen: set[str] = set()
    for doc in documents:
        if doc.ref in seen:
            results.append(CleanupResult(doc.ref, False, doc, "同一清理决定中重复列出"))
            continue
        seen.add(doc.ref)
        try:
            updated = apply_decision(doc, target, day, decision)
        except ValidityError as refusal:
            results.append(CleanupResult(doc.ref, False, doc, str(refusal)))
        else:
            results.append(CleanupResult(doc.ref, True, updated))
    return Cleanup(decision, target, day, tuple(results))


# --- publication clock ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicationClock:
    """The 20-working-day publication clock of one item (第二十六条)."""

    formed: date
    due: date
    published: date | None
    working_days_left: int | None  # None once published
    colour: Colour
    late: bool | None  # None while not yet published
    provisional: bool  # the due date was counted over days past the official calendar


def publication_clock(
    formed: date,
    today: date,
    calendar: WorkingCalendar,
    *,
    published: date | None = None,
    yellow_at: int = DEFAULT_YELLOW_AT,
) -> PublicationClock:
    """When the item must be public: 20 working days after it was formed or changed.

    《中华人民共和国政府信息公开条例》第二十六条: 属于主动公开范围的政府信息，应当自该政府
    信息形成或者变更之日起20个工作日内及时公开. The day of forming does not count
    (:mod:`.calendar`). Published: green if in time, red if late. Not yet: red when overdue,
    yellow with ``yellow_at`` or fewer working days left.
    """
    if published is not None and published < formed:
        raise ValidityError(f"公开日期 {published} 早于信息形成或变更日期 {formed}")
    due = calendar.add_working_days(formed, PUBLICATION_WORKING_DAYS)
    provisional = calendar.is_provisional(due)
    if published is not None:
        late = published > due
        return PublicationClock(
            formed, due, published, None, Colour.RED if late else Colour.GREEN, late, provisional
        )
    left = working_days_left(calendar, today, due)
    return PublicationClock(
        formed, due, None, left, card_colour(left, yellow_at), None, provisional
    )


# --- 三同步 / 解读 -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flag:
    """A finding about a document: a stable code and a Chinese message."""

    code: str
    message: str


def interpretation_flags(
    doc: Document,
    published: date,
    interpretation: date | None,
    today: date,
    calendar: WorkingCalendar,
) -> tuple[Flag, ...]:
    """三同步 findings for a 行政规范性文件 published on ``published``.

    ``interpretation`` is the day its 解读 was published (None: not yet). Flags: no 解读 once
    the :data:`INTERPRETATION_WORKING_DAYS` have passed (``interpretation_missing``), or still
    missing within them (``interpretation_pending``, with the last day); a 解读 more than 3
    working days after the document (``interpretation_late``); a 解读 dated before the
    document (``interpretation_before_document``, probably a wrong date). Other kinds: none.
    The 3-working-day limit is local practice, not statute (see the module docstring).
    """
    if doc.kind is not DocKind.NORMATIVE:
        return ()
    latest = calendar.add_working_days(published, INTERPRETATION_WORKING_DAYS)
    if interpretation is None:
        if today > latest:
            return (
                Flag(
                    "interpretation_missing",
                    f"{doc.name}于 {published} 公开，至今未发布政策解读"
                    f"（应同步发布，最迟 {latest}）",
                ),
            )
        return (
            Flag(
                "interpretation_pending",
                f"{doc.name}尚未发布政策解读，请与文件同步发布，最迟 {latest}",
            ),
        )
    if interpretation < published:
        return (
            Flag(
                "interpretation_before_document",
                f"{doc.name}的解读发布日期 {interpretation} 早于文件公开日期 {published}，请核对",
            ),
        )
    if interpretation > latest:
        days = calendar.working_days_between(published, interpretation)
        return (
            Flag(
                "interpretation_late",
                f"{doc.name}的解读于 {interpretation} 发布，在文件公开（{published}）后第 {days} "
                f"个工作日，晚于 {INTERPRETATION_WORKING_DAYS} 个工作日（最迟 {latest}）",
            ),
        )
    return ()


# --- registry and table 二 ---------------------------------------------------------------------


def check_registry(
    documents: Sequence[Document], *, level: AgencyLevel | None = None
) -> dict[str, tuple[Document, ...]]:
    """Check a registry and group its texts into documents (修订 chains), keyed by first ref.

    Refused with the document named: a duplicate ``ref``; an invalid history; a 规章 from a
    body that may not make one (when ``level`` is given); a revision of an unknown text, of a
    text of another kind, or of a text already revised by another one; a revision written
    when the text it revises was no longer in force (尚未施行 or 现行有效) — such a text is
    re-issued as a new document (废旧立新); an 已修订 text with no revising text in the
    registry, or whose revising text was written after, or was no longer in force on, the day
    of the 已修订 change.
    """
    by_ref: dict[str, Document] = {}
    for doc in documents:
        if doc.ref in by_ref:
            raise ValidityError(f"登记簿中文件编号 {doc.ref} 重复")
        by_ref[doc.ref] = doc
        check_document(doc)
        if level is not None:
            reason = issue_refusal(doc.kind, level)
            if reason is not None:
                raise ValidityError(f"{doc.name}：{reason}")
    successor: dict[str, Document] = {}
    for doc in by_ref.values():
        if doc.revises is None:
            continue
        old = by_ref.get(doc.revises)
        if old is None:
            raise ValidityError(f"{doc.name}修订的文件 {doc.revises} 不在登记簿中")
        if old.kind is not doc.kind:
            raise ValidityError(
                f"{doc.name}是{doc.kind.label}，它修订的{old.name}是{old.kind.label}，类别应一致"
            )
        if old.ref in successor:
            raise ValidityError(
                f"{old.name}已由{successor[old.ref].name}修订，不能再由{doc.name}修订"
            )
        if doc.written < old.written or not _in_stock(old, doc.written):
            raise ValidityError(
                f"{doc.name}成文（{doc.written}）时，它修订的{old.name}"
                f"{_state_then(old, doc.written)}；不再有效的文件不能修订，请作为新文件登记"
            )
        successor[old.ref] = doc
    for doc in by_ref.values():
        revised = [e for e in doc.events if e.target is Validity.REVISED]
        if not revised:
            continue
        new = successor.get(doc.ref)
        if new is None:
            raise ValidityError(f"{doc.name}标记为已修订，但登记簿中没有修订后的文本")
        day = revised[0].day
        if new.written > day or not _in_stock(new, day):
            raise ValidityError(
                f"{doc.name}于 {day} 标记为已修订，但修订后的{new.name}当日不是尚未施行或现行有效"
            )
    chains: dict[str, tuple[Document, ...]] = {}
    for doc in by_ref.values():
        if doc.revises is not None:
            continue
        chain = [doc]
        while chain[-1].ref in successor:
            chain.append(successor[chain[-1].ref])
        chains[doc.ref] = tuple(chain)
    return chains


def _state_then(doc: Document, day: date) -> str:
    if day < doc.written:
        return f"尚未成文（成文日期 {doc.written}）"
    return f"已是“{_replay(doc, day)[0].label}”"


def _in_stock(doc: Document, day: date) -> bool:
    """Counted in 现行有效 on ``day``: written by then and 尚未施行 or 现行有效."""
    return doc.written <= day and not _replay(doc, day)[0].is_final


def _chain_in_stock(chain: Sequence[Document], day: date) -> bool:
    return any(_in_stock(doc, day) for doc in chain)


@dataclass(frozen=True, slots=True)
class TableTwoRow:
    """One row (规章 or 行政规范性文件) of table 二 for a year."""

    kind: DocKind
    previous_in_force: int  # 上年现行有效 (12-31 of the year before)
    issued: int  # 本年制发
    repealed: int  # 本年废止 (废止 and 失效)
    in_force: int  # 现行有效 on 12-31
    not_yet_in_force: int  # of ``in_force``, the texts still 尚未施行 on 12-31 (统计说明)

    @property
    def balanced(self) -> bool:
        """上年现行有效 + 本年制发 − 本年废止 = 本年现行有效."""
        return self.previous_in_force + self.issued - self.repealed == self.in_force


def table_two(
    documents: Sequence[Document], year: int, *, level: AgencyLevel | None = None
) -> dict[DocKind, TableTwoRow]:
    """Table 二's 规章 and 行政规范性文件 rows for ``year``, counted from the registry.

    The unit is a *document*: a text and the texts that revise it (修订 chains) count once.
    With ``end`` the 12-31 of ``year`` and ``before`` the 12-31 of the year before:

    - 现行有效 (``in_force``): documents with a text 尚未施行 or 现行有效 on ``end``.
      **A document made in the year but not yet in force on 12-31 counts as 现行有效**: it
      was 制发 in the year and has not been repealed, so leaving it out would break the
      identity below unless 制发 were counted by 施行日期 instead of 成文日期; it is a valid
      document awaiting its 施行日期. ``not_yet_in_force`` tells how many, for the 统计说明.
    - 本年制发 (``issued``): documents whose first text's 成文日期 falls in the year (a
      revision is not a new document).
    - 本年废止 (``repealed``): documents counted on some day of the year (on ``before``, or
      made in the year) and not on ``end``: ended by 废止 or 失效 (decided, or by the end of the
      有效期 — valid through 有效期至, so a period ending on 12-31 ends the next year) dated in
      the year. Texts 已修订 are not 废止: the document goes on in the revising text.

    :func:`check_registry` ensures a document is counted over one unbroken stretch of days
    from its first 成文日期 (a revision is written while the text it revises is in force, and
    a text is marked 已修订 only while its revising text is in force), so every document
    counted at ``end`` was counted at ``before`` or made in the year, and
    上年现行有效 + 本年制发 − 本年废止 = 本年现行有效 holds for every year.
    """
    chains = check_registry(documents, level=level)
    end, before, start = date(year, 12, 31), date(year - 1, 12, 31), date(year, 1, 1)
    rows: dict[DocKind, TableTwoRow] = {}
    for kind in (DocKind.RULES, DocKind.NORMATIVE):
        counts: Counter[str] = Counter()
        for chain in chains.values():
            if chain[0].kind is not kind:
                continue
            was = _chain_in_stock(chain, before)
            made = start <= chain[0].written <= end
            now = _chain_in_stock(chain, end)
            counts["previous"] += was
            counts["issued"] += made
            counts["repealed"] += (was or made) and not now
            counts["in_force"] += now
            counts["pending"] += now and not any(
                _replay(d, end)[0] is Validity.IN_FORCE for d in chain if d.written <= end
            )
        rows[kind] = TableTwoRow(
            kind,
            counts["previous"],
            counts["issued"],
            counts["repealed"],
            counts["in_force"],
            counts["pending"],
        )
    return rows
