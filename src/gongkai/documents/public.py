"""What the public may see of the registry (政府文件库): the selectors of the portal's pages.

Only texts that are published and whose 公开属性 is 主动公开 are public
(《中华人民共和国政府信息公开条例》第十九条、第二十条: proactive disclosure;
第十七条: 先审查后公开).
Drafts, texts in review, returned or taken-down texts, and texts to be disclosed on request
(依申请公开, 第二十七条) or not at all (不予公开, 第十四—十六条) never appear here: every
function below starts from :func:`public_texts`, so a page cannot forget the rule.

Around a public text the public also sees its policy's other public versions (历次修订文本),
its published 解读 (三同步), the policy's chain (一码通), the published results of 清理
(Cleanup.published_on set) and each agency's latest published 主动公开事项目录
(条例第十二条: 政府信息公开目录, kept up to date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.validity import DocKind, Validity

from .models import (
    Catalogue,
    ChainStep,
    ChainStepKind,
    Cleanup,
    Disclosure,
    Document,
    Interpretation,
    Policy,
    ReviewState,
    ValidityChange,
)
from .selectors import text_match, topics_used

#: The longest keyword searched (a longer one is cut, never refused).
MAX_QUERY = 50


def public_texts() -> QuerySet[Document]:
    """Every public text: published (已发布) and 主动公开."""
    return Document.objects.filter(
        review_state=ReviewState.PUBLISHED, disclosure=Disclosure.PROACTIVE
    )


def public_documents(
    *,
    q: str = "",
    kind: DocKind | str | None = None,
    agency: Agency | None = None,
    validity: Validity | str | None = None,
    year: int | None = None,
    topic: str = "",
) -> QuerySet[Document]:
    """The public texts matching the filters, newest publication first.

    ``q`` is a keyword looked for in the 标题, 发文字号, 索引号 and 正文; ``year`` is the year of
    publication (发布年度); ``agency`` is the issuing body itself (not the bodies below it);
    an empty filter (``""``/None) does not filter.
    """
    rows = public_texts().select_related("agency")
    q = (q or "").strip()[:MAX_QUERY]
    if q:
        rows = rows.filter(text_match(q, "title", "doc_number", "index_no", "text"))
    if kind:
        rows = rows.filter(kind=str(kind))
    if agency is not None:
        rows = rows.filter(agency=agency)
    if validity:
        rows = rows.filter(validity=str(validity))
    if year is not None:
        rows = rows.filter(published_on__year=year)
    if topic:
        rows = rows.filter(topic=topic)
    return rows.order_by("-published_on", "-written_on", "-id")


def public_document(pk: int) -> Document | None:
    """The public text ``pk``, or None when there is none (or it is not public)."""
    return public_texts().select_related("agency", "policy", "revises").filter(pk=pk).first()


def _policy_public_texts(policy_id: int) -> list[Document]:
    """The public texts of a policy, with their agency. Read by the policy alone (a policy
    has a handful of texts) and kept public here, so the database never walks the public
    texts in order looking for the policy's."""
    return [
        d
        for d in Document.objects.filter(policy_id=policy_id).select_related("agency", "policy")
        if d.review_state == ReviewState.PUBLISHED and d.disclosure == Disclosure.PROACTIVE
    ]


def current_text(policy: Policy, *, texts: list[Document] | None = None) -> Document | None:
    """The policy's current public text: the latest published one that is not 已修订, else
    the latest published one (a policy whose every text was revised away, which cannot
    normally happen, still answers); None when no text of it is public. ``texts``: the
    policy's public texts when already read (:func:`versions`)."""
    found = _policy_public_texts(policy.pk) if texts is None else texts
    ordered = sorted(found, key=lambda d: (d.published_on or date.min, d.pk), reverse=True)
    for doc in ordered:
        if doc.validity != Validity.REVISED:
            return doc
    return ordered[0] if ordered else None


def policy_by_code(code: str) -> Document | None:
    """The current public text of the policy whose 政策码 is ``code`` (一策一码), or None.

    The code is matched exactly, then regardless of case (a code typed by hand), so the
    printed code keeps working after every revision."""
    code = (code or "").strip()
    if not code or len(code) > Policy._meta.get_field("code").max_length:
        return None
    policy = Policy.objects.filter(code=code).first()
    if policy is None:
        found = list(Policy.objects.filter(code__iexact=code)[:2])
        policy = found[0] if len(found) == 1 else None
    return current_text(policy) if policy is not None else None


def versions(document: Document) -> list[Document]:
    """The public texts of ``document``'s policy (历次修订文本), oldest first."""
    return sorted(
        _policy_public_texts(document.policy_id),
        key=lambda d: (d.published_on or date.min, d.written_on, d.pk),
    )


def interpretations(document: Document) -> list[Interpretation]:
    """The published 解读 of ``document`` (published on or before today), newest first."""
    return list(
        document.interpretations.filter(
            published_on__isnull=False, published_on__lte=timezone.localdate()
        ).order_by("-published_on", "-id")
    )


@dataclass(frozen=True)
class ValidityNote:
    """Why a text is no longer in force: since when, and by which deciding document."""

    label: str
    since: date | None
    decision: str = ""  # 《标题》（文号）, empty when the change was automatic (有效期届满)
    revised_by: Document | None = None  # the public revising text, for 已修订


def safe_url(url: str) -> str:
    """``url`` when it is an http(s) address (a link the public may follow), else ""."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def decision_name(title: str, number: str = "") -> str:
    """《标题》（文号）, without empty brackets when there is no 文号."""
    return f"《{title}》（{number}）" if number else f"《{title}》"


def validity_note(document: Document) -> ValidityNote | None:
    """For a text that is 已修订, 失效 or 已废止: the date since and the deciding document
    (the latest decided change to that state); None for a text in force or not yet."""
    if document.validity not in (Validity.REVISED, Validity.EXPIRED, Validity.REPEALED):
        return None
    change = (
        ValidityChange.objects.filter(document=document, target=document.validity)
        .order_by("-day", "-id")
        .first()
    )
    revised_by = None
    if document.validity == Validity.REVISED:
        revised_by = public_texts().filter(revises=document).first()
    label = Validity(document.validity).label
    if change is None:
        return ValidityNote(label=label, since=document.validity_since, revised_by=revised_by)
    return ValidityNote(
        label=label,
        since=document.validity_since or change.day,
        decision=decision_name(change.decision_title, change.decision_number),
        revised_by=revised_by,
    )


@dataclass(frozen=True)
class ChainItem:
    """One entry of a chain stage: a step, a publication or a 解读."""

    title: str
    day: date | None = None
    url: str = ""  # an outside address (a step's or a 解读's link)
    body: str = ""
    document: Document | None = None  # a public text of the policy (the 发布 stage)


@dataclass(frozen=True)
class ChainStage:
    """One stage of 一码通, with its entries (only stages that have some are shown)."""

    key: str
    label: str
    items: list[ChainItem] = field(default_factory=list)


#: The order of 一码通: 依据 → 意见征集 → 结果反馈 → 发布 → 解读 → 问答 (→ 兑现).
CHAIN_ORDER = (
    (ChainStepKind.BASIS.value, ChainStepKind.BASIS.label),
    (ChainStepKind.CONSULTATION.value, ChainStepKind.CONSULTATION.label),
    (ChainStepKind.FEEDBACK.value, ChainStepKind.FEEDBACK.label),
    ("publication", "政策发布"),
    ("interpretation", "政策解读"),
    (ChainStepKind.QA.value, ChainStepKind.QA.label),
    (ChainStepKind.FULFILMENT.value, ChainStepKind.FULFILMENT.label),
)


def chain(document: Document, *, texts: list[Document] | None = None) -> list[ChainStage]:
    """The policy's chain (一码通): its recorded steps, the publication of each public text
    and the published 解读 of them, in the order of :data:`CHAIN_ORDER`; stages without an
    entry are left out. ``texts``: :func:`versions` of ``document`` when already read."""
    texts = versions(document) if texts is None else texts
    items: dict[str, list[ChainItem]] = {key: [] for key, _ in CHAIN_ORDER}
    steps = ChainStep.objects.filter(policy_id=document.policy_id).order_by("day", "id")
    for step in steps:
        items[step.kind].append(
            ChainItem(title=step.title, day=step.day, url=safe_url(step.url), body=step.body)
        )
    for text in texts:
        items["publication"].append(
            ChainItem(title=text.name, day=text.published_on, document=text)
        )
    readings = (
        Interpretation.objects.filter(
            documents__in=texts, published_on__isnull=False, published_on__lte=timezone.localdate()
        )
        .distinct()
        .order_by("published_on", "id")
    )
    for r in readings:
        items["interpretation"].append(
            ChainItem(
                title=f"{r.get_kind_display()}：{r.title}",
                day=r.published_on,
                url=safe_url(r.url),
                body=r.body,
            )
        )
    return [ChainStage(key, label, items[key]) for key, label in CHAIN_ORDER if items[key]]


def public_cleanups(agency: Agency | None = None) -> QuerySet[Cleanup]:
    """The published results of 清理 (newest first), each with its changes of public texts
    only (a text that is not public is not named here either)."""
    rows = Cleanup.objects.filter(published_on__isnull=False).select_related("agency")
    if agency is not None:
        rows = rows.filter(agency=agency)
    changes = (
        ValidityChange.objects.filter(document__in=public_texts())
        .select_related("document", "document__agency")
        .order_by("document__written_on", "id")
    )
    return rows.prefetch_related(Prefetch("changes", queryset=changes, to_attr="public_changes"))


def catalogue_agencies() -> QuerySet[Agency]:
    """The agencies with a published 主动公开事项目录."""
    return Agency.objects.filter(
        id__in=Catalogue.objects.filter(published_on__isnull=False).values("agency_id")
    ).order_by("path")


def latest_catalogue(agency: Agency) -> Catalogue | None:
    """The agency's latest published 主动公开事项目录, with its items in order."""
    return (
        Catalogue.objects.filter(agency=agency, published_on__isnull=False)
        .order_by("-version")
        .prefetch_related("items")
        .first()
    )


def catalogue_texts(catalogue: Catalogue) -> dict[int, list[Document]]:
    """The public texts filed under each item of ``catalogue`` (their policy mapped to it)
    that are still in stock (尚未施行 or 现行有效: a revised, repealed or expired text is
    found in the registry, not here), newest first, by item id. One query."""
    rows = (
        public_texts()
        .filter(
            policy__catalogue_item__catalogue=catalogue,
            validity__in=[Validity.NOT_YET_IN_FORCE, Validity.IN_FORCE],
        )
        .select_related("policy")
        .order_by("-published_on", "-id")
    )
    found: dict[int, list[Document]] = {}
    for doc in rows:
        found.setdefault(doc.policy.catalogue_item_id, []).append(doc)
    return found


def filter_choices() -> dict[str, list]:
    """What the list's filters offer: the issuing agencies, the years and the topics that
    public texts have (never an option that finds nothing).

    Each read walks an index only: an agency is offered when one of its texts is public
    (the same query reads the first and last publication days), a year when a public text
    was published in it (the years between the first and the last are asked one by one in
    a single query), a topic from the public texts' topic index."""
    rows = public_texts()
    dated = rows.filter(published_on__isnull=False)
    agencies = list(
        Agency.objects.filter(Exists(rows.filter(agency_id=OuterRef("pk"))))
        .annotate(
            first_day=Subquery(dated.order_by("published_on").values("published_on")[:1]),
            last_day=Subquery(dated.order_by("-published_on").values("published_on")[:1]),
        )
        .order_by("path")
    )
    years: list[int] = []
    bounds = (agencies[0].first_day, agencies[0].last_day) if agencies else (None, None)
    if bounds[0] is not None and bounds[1] is not None:
        asked = range(bounds[1].year, bounds[0].year - 1, -1)
        held = (
            Agency.objects.order_by()
            .annotate(
                **{
                    f"y{y}": Exists(
                        rows.filter(
                            published_on__gte=date(y, 1, 1), published_on__lt=date(y + 1, 1, 1)
                        )
                    )
                    for y in asked
                }
            )
            .values(*(f"y{y}" for y in asked))[:1]
        )
        found = next(iter(held))
        years = [y for y in asked if found[f"y{y}"]]
    topics = sorted(topics_used(None, public_only=True))
    return {"agencies": agencies, "years": years, "topics": topics}
