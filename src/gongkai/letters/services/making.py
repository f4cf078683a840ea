"""Making a letter: the values every letter states, the reply's items, bases and remedy,
the agency's serial number (文号), the .docx in the GB/T 9704 layout, and the case event and
audit entry that record it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.cases.models import Case, EventKind
from gongkai.cases.services import CaseError
from gongkai.cases.services.base import Step, begin_office, bump_counter
from gongkai.core.doctypes import MANUAL, DocType, Recipient, TemplateError, fill
from gongkai.core.docx_writer import OfficialLetter, format_date, render_docx
from gongkai.core.outcomes import (
    Outcome,
    chinese_number,
    cite,
    remedy_notice,
    reply_provisions,
    sentence,
    trim,
)

from ..models import Letter, LetterCounter
from ..notify import notify_applicant
from .wording import template_for

# --- values ---------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """Text typed over several lines as one run of text: each line without its trailing
    punctuation, joined with “；” (the template adds the closing mark)."""
    return "；".join(p for p in (trim(line) for line in text.splitlines()) if p)


def base_values(case: Case, number: str, day: date) -> dict[str, str]:
    a = case.agency
    return {
        "机关名称": a.name,
        "公开工作机构": a.office_name or a.name,
        "机关地址": a.address or "—",
        "联系电话": a.phone or "—",
        "申请人": case.applicant_name,
        "申请编号": case.number,
        "收到日期": format_date(case.received_on),
        "申请内容": _one_line(case.request_text),
        "文号": number,
        "成文日期": format_date(day),
    }


def remedy_for(agency: Agency, outcome: Outcome, day: date) -> str:
    """The remedy paragraph with the agency's reconsideration body, court and time limits."""
    return (
        remedy_notice(
            outcome,
            decided_on=day,
            reconsideration_body=agency.reconsideration_body or "本级人民政府",
            court=agency.court or "有管辖权的人民法院",
            reconsideration_days=agency.reconsideration_days,
            litigation_months=agency.litigation_months,
        )
        or ""
    )


def _ordinal(n: int) -> str:
    """The heading number of the n-th item: 一、二、… (Arabic beyond 99)."""
    return f"{chinese_number(n)}、" if n < 100 else f"{n}. "


#: After the items of a reply that discloses some and withholds others (第三十七条).
PARTIAL_CONCLUSION = (
    "综上，本机关对您申请的政府信息作区分处理：可以公开的内容予以提供，"
    "不予公开的内容已在上文逐项说明理由。"
)


def reply_values(case: Case, outcome: Outcome, day: date) -> dict[str, str]:
    """The reply letter's values, in the words of a 答复书 rather than the office's outcome
    names (《中华人民共和国政府信息公开条例》第三十六条至第三十九条).

    One item (or none, for a lapsed application): the answer itself. Several: one numbered
    paragraph per item, “一、关于您申请获取的“……”：……”; a reply that discloses some and
    withholds others closes with the 区分处理 of 第三十七条 and cites it. The provisions of
    all items are cited once, in statute order, the regulations named once.
    """
    items = list(case.reply_items.all())
    outcomes = [Outcome(i.outcome) for i in items]
    if len(items) > 1:
        lines = [
            f"{_ordinal(n)}关于您申请获取的“{trim(i.description)}”："
            + o.reply_sentence(i.explanation)
            for n, (i, o) in enumerate(zip(items, outcomes, strict=True), start=1)
        ]
        if outcome is Outcome.PARTIAL:
            lines.append(PARTIAL_CONCLUSION)
    elif items:
        lines = [outcomes[0].reply_sentence(items[0].explanation)]
    else:
        lines = [outcome.reply_sentence()]
    summary = [sentence(line) for line in case.reply_summary.splitlines()]
    return {
        "答复事项": "\n".join(lines),
        "答复说明": "\n".join(s for s in summary if s),
        "法律依据": cite(reply_provisions(outcomes, outcome)),
        "救济途径": remedy_for(case.agency, outcome, day),
    }


# --- making a letter ------------------------------------------------------------------------


def _recipient(case: Case, doc_type: DocType, values: dict[str, str]) -> str:
    kind = doc_type.spec.recipient
    if kind is Recipient.APPLICANT:
        return case.applicant_name
    if kind is Recipient.THIRD_PARTY:
        return values.get("第三方", "")
    return values.get("被征求机关") or values.get("协办单位", "")


@dataclass(frozen=True, slots=True)
class Composed:
    """A letter's text as it is (or will be) issued: what the .docx and the stored letter
    hold, made by :func:`letter_compose` for both the letter and its preview."""

    doc_type: DocType
    title: str
    number: str
    recipient: str
    body: tuple[str, ...]  # paragraphs
    issuer: str
    day: date
    template_version: int

    def official(self, *, draft: str = "") -> OfficialLetter:
        return OfficialLetter(
            issuer=self.issuer,
            title=self.title,
            number=self.number,
            recipient=self.recipient,
            body=self.body,
            signature=self.issuer,
            dated=self.day,
            draft=draft,
        )


def letter_compose(
    case: Case,
    doc_type: DocType,
    values: dict[str, str],
    *,
    number: str,
    day: date,
    overrides: dict[str, str] | None = None,
) -> Composed:
    """The text of ``doc_type`` for ``case`` in the agency's current wording, numbered
    ``number`` and dated ``day``; ``overrides`` replace common values (a preview's masked
    name). CaseError when the agency's template cannot be filled."""
    wording = template_for(case.agency, doc_type)
    all_values = {**base_values(case, number, day), **values, **(overrides or {})}
    try:
        title = fill(wording.title, all_values)
        body = fill(wording.body, all_values)
    except TemplateError as exc:
        raise CaseError(f"文书模板“{doc_type.label}”无法使用：{exc}") from exc
    recipient = _recipient(case, doc_type, values)
    if overrides and "申请人" in overrides and doc_type.to_applicant:
        recipient = overrides["申请人"]
    return Composed(
        doc_type=doc_type,
        title=title,
        number=number,
        recipient=recipient,
        body=tuple(p.strip() for p in body.splitlines() if p.strip()),
        issuer=case.agency.name,
        day=day,
        template_version=wording.version,
    )


def letter_make(step: Step, doc_type: DocType, values: dict[str, str]) -> Letter:
    """Make, number and store ``doc_type`` for the locked case of step ``s`` (no permission
    check: the calling step has made it). The 文号 is the agency's next serial this year."""
    case, day = step.case, step.day
    seq = bump_counter(LetterCounter, agency=case.agency, year=day.year)
    prefix = case.agency.letter_prefix or case.agency.short_name or case.agency.code
    number = f"{prefix}〔{day.year}〕{seq}号"
    text = letter_compose(case, doc_type, values, number=number, day=day)
    data = render_docx(text.official())
    digest = hashlib.sha256(data).hexdigest()
    letter = Letter(
        agency=case.agency,
        case=case,
        doc_type=doc_type.value,
        number=number,
        year=day.year,
        seq=seq,
        title=text.title,
        recipient=text.recipient,
        to_applicant=doc_type.to_applicant,
        body="\n".join(text.body),
        template_version=text.template_version,
        issued_on=day,
        issued_by=step.actor,
        sha256=digest,
        size=len(data),
        data=values,
    )
    letter.file.save(f"{digest[:20]}.docx", ContentFile(data), save=False)
    letter.save()
    case.events.create(
        kind=EventKind.LETTER_ISSUED,
        day=day,
        actor=step.actor,
        ref=number,
        data={"letter": letter.pk, "doc_type": doc_type.value},
        note=f"{text.title}（{number}）",
    )
    audit_record(
        actor=step.actor,
        action="letter.issued",
        target=letter,
        agency=case.agency,
        message=f"{case.number}：制作{doc_type.label}（{number}）",
        data={"sha256": digest, "size": len(data), "template_version": text.template_version},
        ip=step.ip,
    )
    return letter


def reply_letter_make(step: Step, outcome: Outcome) -> Letter:
    values = reply_values(step.case, outcome, step.day)
    return letter_make(step, DocType.for_outcome(outcome), values)


def letter_issue(
    *,
    actor: Any,
    case: Case,
    doc_type: str,
    values: dict[str, str],
    day: date | None = None,
    ip: str | None = None,
) -> Letter:
    """Make one of the letters an office writes by hand (:data:`MANUAL`): the request for
    reasons (第三十五条) or the notice to a third party of disclosure over its objection
    (第三十二条)."""
    if doc_type not in MANUAL:
        raise CaseError(f"文书类型“{doc_type}”不能单独制作，它随相应的办理步骤生成")
    dt = DocType(doc_type)
    needed = [*dt.spec.required]
    if dt.spec.recipient is Recipient.THIRD_PARTY:
        needed.insert(0, "第三方")
    missing = [k for k in needed if not str(values.get(k, "")).strip()]
    if missing:
        raise CaseError("请填写：" + "、".join(missing))
    with transaction.atomic():
        step = begin_office(case, actor, what="制作文书", day=day, ip=ip)
        if (
            dt is DocType.DISCLOSURE_NOTICE
            and not step.case.consultations.filter(answer="objection").exists()
        ):
            raise CaseError(
                "只有第三方提出不同意公开的意见后，才需要制作公开决定告知书（第三十二条）"
            )
        clean = {k: str(v).strip() for k, v in values.items() if k in dt.spec.fields}
        letter = letter_make(step, dt, clean)
        if dt.to_applicant:
            notify_applicant(step.case, f"{dt.label}（{letter.number}）", letter=letter)
    return letter
