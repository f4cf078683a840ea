"""Making letters, recording their delivery (送达), fee notices and payments.

Every function runs inside one transaction with the case locked, appends a timeline event
and an audit entry, and raises :class:`~gongkai.cases.services.CaseError` (Chinese) when
refused, writing nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.cases.models import Attachment, AttachmentKind, Case, EventKind
from gongkai.cases.services.base import (
    CaseError,
    Step,
    begin,
    begin_office,
    begin_system,
    bump_counter,
    record,
    today,
)
from gongkai.core import fees
from gongkai.core.deadlines import Stop
from gongkai.core.outcomes import Outcome, remedy_notice
from gongkai.core.workflow import Action, Role

from .doctypes import MANUAL, DocType, Recipient, TemplateError, check_template, fill
from .docx_writer import OfficialLetter, format_date, render_docx
from .models import (
    SAME_DAY,
    Delivery,
    DeliveryMethod,
    FeeNotice,
    Letter,
    LetterCounter,
    LetterTemplate,
)
from .notify import notify_applicant

# --- templates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    title: str
    body: str
    version: int  # 0: the platform's default


def template_for(agency: Agency, doc_type: DocType) -> Wording:
    """The wording ``agency`` uses for ``doc_type``: its newest version, else the default."""
    t = (
        LetterTemplate.objects.filter(agency=agency, doc_type=doc_type.value)
        .order_by("-version")
        .first()
    )
    if t is None:
        return Wording(doc_type.spec.title, doc_type.spec.body, 0)
    return Wording(t.title, t.body, t.version)


def template_save(
    *,
    actor: Any,
    agency: Agency,
    doc_type: DocType,
    title: str,
    body: str,
    note: str = "",
    ip: str | None = None,
) -> LetterTemplate:
    """Save a new version of ``agency``'s wording (heads and administrators of the agency)."""
    from gongkai.accounts.scope import viewer_for

    viewer = viewer_for(actor)
    if not (viewer.is_platform_admin or viewer.roles_in(agency.pk) & {Role.HEAD, Role.ADMIN}):
        raise CaseError(f"只有{agency.name}的公开工作机构负责人或管理员可以修改文书模板")
    problems = check_template(doc_type, title, body)
    if problems:
        raise CaseError("；".join(problems))
    body = "\n".join(line.rstrip() for line in body.strip().splitlines())
    with transaction.atomic():
        last = (
            LetterTemplate.objects.select_for_update()
            .filter(agency=agency, doc_type=doc_type.value)
            .order_by("-version")
            .first()
        )
        if last and last.title == title.strip() and last.body == body:
            raise CaseError("模板内容没有变化")
        t = LetterTemplate.objects.create(
            agency=agency,
            doc_type=doc_type.value,
            version=(last.version if last else 0) + 1,
            title=title.strip(),
            body=body,
            note=note.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="letter_template.saved",
            target=t,
            agency=agency,
            message=f"修改文书模板“{doc_type.label}”，第 {t.version} 版",
            data={"doc_type": doc_type.value, "version": t.version},
            ip=ip,
        )
    return t


# --- values ---------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return "；".join(p.strip() for p in text.splitlines() if p.strip())


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


def reply_values(case: Case, outcome: Outcome, day: date) -> dict[str, str]:
    """The reply letter's values: each item with its outcome and article, basis and remedy."""
    items = list(case.reply_items.all())
    lines, bases = [], []
    for n, i in enumerate(items, start=1):
        o = Outcome(i.outcome)
        extra = f"{i.explanation.strip()}" if i.explanation.strip() else ""
        lines.append(f"{n}. {i.description}：{o.label}。{extra}（依据{o.basis}）")
        if o.basis not in bases:
            bases.append(o.basis)
    if not items:
        lines.append(f"1. {_one_line(case.request_text)}：{outcome.label}。")
        bases.append(outcome.basis)
    return {
        "答复事项": "\n".join(lines),
        "答复说明": case.reply_summary.strip(),
        "法律依据": "、".join(bases),
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


def letter_make(s: Step, doc_type: DocType, values: dict[str, str]) -> Letter:
    """Make, number and store ``doc_type`` for the locked case of step ``s`` (no permission
    check: the calling step has made it). The 文号 is the agency's next serial this year."""
    case, day = s.case, s.day
    wording = template_for(case.agency, doc_type)
    seq = bump_counter(LetterCounter, agency=case.agency, year=day.year)
    prefix = case.agency.letter_prefix or case.agency.short_name or case.agency.code
    number = f"{prefix}〔{day.year}〕{seq}号"
    all_values = {**base_values(case, number, day), **values}
    try:
        title = fill(wording.title, all_values)
        body = fill(wording.body, all_values)
    except TemplateError as exc:
        raise CaseError(f"文书模板“{doc_type.label}”无法使用：{exc}") from exc
    paragraphs = tuple(p.strip() for p in body.splitlines() if p.strip())
    recipient = _recipient(case, doc_type, values)
    data = render_docx(
        OfficialLetter(
            issuer=case.agency.name,
            title=title,
            number=number,
            recipient=recipient,
            body=paragraphs,
            signature=case.agency.name,
            dated=day,
        )
    )
    digest = hashlib.sha256(data).hexdigest()
    letter = Letter(
        agency=case.agency,
        case=case,
        doc_type=doc_type.value,
        number=number,
        year=day.year,
        seq=seq,
        title=title,
        recipient=recipient,
        to_applicant=doc_type.to_applicant,
        body="\n".join(paragraphs),
        template_version=wording.version,
        issued_on=day,
        issued_by=s.actor,
        sha256=digest,
        size=len(data),
        data=values,
    )
    letter.file.save(f"{digest[:20]}.docx", ContentFile(data), save=False)
    letter.save()
    case.events.create(
        kind=EventKind.LETTER_ISSUED,
        day=day,
        actor=s.actor,
        ref=number,
        data={"letter": letter.pk, "doc_type": doc_type.value},
        note=f"{title}（{number}）",
    )
    audit_record(
        actor=s.actor,
        action="letter.issued",
        target=letter,
        agency=case.agency,
        message=f"{case.number}：制作{doc_type.label}（{number}）",
        data={"sha256": digest, "size": len(data), "template_version": wording.version},
        ip=s.ip,
    )
    return letter


def reply_letter_make(s: Step, outcome: Outcome) -> Letter:
    return letter_make(s, DocType.for_outcome(outcome), reply_values(s.case, outcome, s.day))


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
        s = begin_office(case, actor, what="制作文书", day=day, ip=ip)
        if (
            dt is DocType.DISCLOSURE_NOTICE
            and not s.case.consultations.filter(answer="objection").exists()
        ):
            raise CaseError(
                "只有第三方提出不同意公开的意见后，才需要制作公开决定告知书（第三十二条）"
            )
        clean = {k: str(v).strip() for k, v in values.items() if k in dt.spec.fields}
        letter = letter_make(s, dt, clean)
        if dt.to_applicant:
            notify_applicant(s.case, f"{dt.label}（{letter.number}）", letter=letter)
    return letter


# --- delivery (送达) -------------------------------------------------------------------------


def delivery_method_for(case: Case) -> str:
    """The delivery method matching how the applicant asked to get the information (by hand
    when they asked for e-mail but left no address)."""
    if case.delivery_wanted == "email" and not case.email:
        return DeliveryMethod.IN_PERSON
    return {
        "post": DeliveryMethod.POST,
        "email": DeliveryMethod.EMAIL,
        "in_person": DeliveryMethod.IN_PERSON,
        "online": DeliveryMethod.PORTAL,
        "fax": DeliveryMethod.IN_PERSON,
    }.get(case.delivery_wanted, DeliveryMethod.IN_PERSON)


def delivery_make(
    s: Step, letter: Letter, method: str, *, tracking_number: str = "", note: str = ""
) -> Delivery:
    """Record that ``letter`` was sent by ``method`` on the step's day (case locked)."""
    if method not in DeliveryMethod.values:
        raise CaseError(f"送达方式“{method}”无效")
    tracking_number = tracking_number.strip()
    if method == DeliveryMethod.POST and not tracking_number:
        raise CaseError("邮寄送达请填写邮件单号")
    if method == DeliveryMethod.EMAIL and letter.to_applicant and not s.case.email:
        raise CaseError("申请人没有留下电子邮箱，不能电子邮件送达")
    if method == DeliveryMethod.PORTAL and not letter.to_applicant:
        raise CaseError("网上平台只能向申请人送达")
    d = Delivery.objects.create(
        letter=letter,
        method=method,
        sent_on=s.day,
        tracking_number=tracking_number,
        note=note.strip(),
        recorded_by=s.actor,
    )
    _event(s, EventKind.DELIVERED, f"{letter.title}：{d.get_method_display()}", letter, d)
    if method in SAME_DAY:
        _delivered(s, d, s.day)
    return d


def letter_send(s: Step, letter: Letter, what: str) -> Delivery | None:
    """Send a letter to the applicant the way that reaches them at once, when there is one
    (the portal for online applications, e-mail when they asked for it), and notify them.
    Post and hand delivery are recorded by the office when they happen."""
    case = s.case
    method = ""
    if case.channel == "online":
        method = DeliveryMethod.PORTAL
    elif case.delivery_wanted == "email" and case.email:
        method = DeliveryMethod.EMAIL
    d = delivery_make(s, letter, method) if method else None
    notify_applicant(case, what, letter=letter)
    return d


def _event(s: Step, kind: EventKind, text: str, letter: Letter, d: Delivery) -> None:
    extra = f"，单号 {d.tracking_number}" if d.tracking_number else ""
    s.case.events.create(
        kind=kind,
        day=s.day,
        actor=s.actor,
        ref=letter.number,
        data={"letter": letter.pk, "delivery": d.pk},
        note=text + extra,
    )
    audit_record(
        actor=s.actor,
        action=f"letter.{kind}",
        target=d,
        agency=s.case.agency,
        message=f"{s.case.number}：{text}{extra}",
        data={"letter": letter.number, "method": d.method},
        ip=s.ip,
    )


def _delivered(s: Step, d: Delivery, day: date) -> None:
    """``d`` reached the addressee on ``day``: a reply's delivery date goes on the case; a
    fee notice's starts the 20-working-day payment period."""
    d.delivered_on = day
    d.save(update_fields=["delivered_on", "signed_by", "proof"])
    letter = d.letter
    if letter.doc.is_reply and s.case.delivered_on is None:
        s.case.delivered_on = day
        s.case.save(update_fields=["delivered_on"])
    if letter.doc_type == DocType.FEE_NOTICE:
        notice = letter.fee_notice
        if notice.received_on is None:
            notice.received_on = day
            notice.save(update_fields=["received_on"])
            saved_day, s.day = s.day, day
            record(s, EventKind.FEE_NOTICE_RECEIVED, "申请人收到收费通知，缴费期限起算")
            s.day = saved_day


def _letter_in_step(s: Step, letter_id: int) -> Letter:
    letter = s.case.letters.filter(pk=letter_id).first()
    if letter is None:
        raise CaseError("该文书不属于本申请")
    return letter


def delivery_record(
    *,
    actor: Any,
    letter: Letter,
    method: str,
    tracking_number: str = "",
    note: str = "",
    day: date | None = None,
    ip: str | None = None,
) -> Delivery:
    """Send (or send again, after a return) a letter already made."""
    with transaction.atomic():
        s = begin_office(letter.case_id, actor, what="登记送达", day=day, ip=ip)
        letter = _letter_in_step(s, letter.pk)
        if letter.doc.is_reply and not s.case.replied_on:
            raise CaseError("答复书请通过“已答复送达”发出")
        if letter.deliveries.filter(returned_on__isnull=True, delivered_on__isnull=False).exists():
            raise CaseError(f"{letter.title}（{letter.number}）已经送达")
        return delivery_make(s, letter, method, tracking_number=tracking_number, note=note)


def delivery_confirm(
    *,
    actor: Any,
    delivery: Delivery,
    day: date,
    signed_by: str = "",
    proof: UploadedFile | None = None,
    ip: str | None = None,
) -> Delivery:
    """The addressee received it on ``day`` (送达回证, the post's signed receipt, or the
    signature of the person who collected it)."""
    from gongkai.cases.services.steps import check_upload

    if proof is None and not signed_by.strip():
        raise CaseError("请上传送达回证或填写签收人")
    with transaction.atomic():
        s = begin_office(delivery.letter.case_id, actor, what="登记送达", day=day, ip=ip)
        d = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if d.delivered_on or d.returned_on:
            raise CaseError(f"该次送达已于 {d.delivered_on or d.returned_on} {d.state}")
        if day < d.sent_on:
            raise CaseError(f"送达日期（{day}）不能早于发出日期（{d.sent_on}）")
        d.signed_by = signed_by.strip()
        if proof is not None:
            ext, content_type = check_upload(proof)
            d.proof = _keep_proof(s, proof, ext, content_type)
        _event(s, EventKind.DELIVERED, f"{d.letter.title}已送达（{day}）", d.letter, d)
        _delivered(s, d, day)
    return d


def _keep_proof(s: Step, upload: UploadedFile, ext: str, content_type: str) -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    att = Attachment(
        case=s.case,
        kind=AttachmentKind.OTHER,
        original_name=f"送达回证-{(upload.name or '')[:180]}",
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=s.actor,
    )
    att.file.save(f"{digest.hexdigest()[:16]}{ext}", upload, save=False)
    att.save()
    return att


def delivery_return(
    *,
    actor: Any,
    delivery: Delivery,
    reason: str,
    day: date | None = None,
    ip: str | None = None,
) -> Delivery:
    """Returned mail (退件): the letter has not reached the addressee and must be sent again."""
    if not reason.strip():
        raise CaseError("请填写退回原因（如查无此人、地址不详、拒收）")
    with transaction.atomic():
        s = begin_office(delivery.letter.case_id, actor, what="登记退件", day=day, ip=ip)
        d = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if d.delivered_on or d.returned_on:
            raise CaseError(f"该次送达已于 {d.delivered_on or d.returned_on} {d.state}")
        d.returned_on, d.return_reason = s.day, reason.strip()
        d.save(update_fields=["returned_on", "return_reason"])
        _event(
            s, EventKind.DELIVERY_RETURNED, f"{d.letter.title}被退回：{reason.strip()}", d.letter, d
        )
    return d


# --- fees (《政府信息公开信息处理费管理办法》) ---------------------------------------------------


def nth_request_this_month(case: Case) -> int:
    """Which request of the applicant this is, in the case's agency and calendar month
    (按件计收 counts per applicant per month, cumulatively)."""
    first = case.received_on.replace(day=1)
    earlier = Case.objects.filter(
        agency_id=case.agency_id,
        id_digest=case.id_digest,
        received_on__gte=first,
        received_on__lte=case.received_on,
    ).exclude(received_on=case.received_on, id__gt=case.pk)
    return earlier.count()


def fee_calculation(
    case: Case, method: str, pages: int | None = None
) -> tuple[fees.FeeCalculation, int]:
    """The itemised fee and what it counts: the request's place in the applicant's month
    (per request) or its pages (per page)."""
    if method == fees.Method.PER_REQUEST:
        nth = nth_request_this_month(case)
        return fees.per_request(nth), nth
    if method == fees.Method.PER_PAGE:
        if pages is None:
            raise CaseError("按量计收请填写页数")
        try:
            return fees.per_page(pages), pages
        except fees.FeeError as exc:
            raise CaseError(str(exc)) from exc
    raise CaseError(f"收费方式“{method}”无效")


PAY_WITHIN = (
    "请自收到本通知书之日的次日起20个工作日内缴纳（《政府信息公开信息处理费管理办法》第七条）。"
)


def case_fee_notice(
    *,
    actor: Any,
    case: Case,
    method: str,
    payment_instructions: str,
    delivery: str,
    pages: int | None = None,
    tracking_number: str = "",
    day: date | None = None,
    ip: str | None = None,
) -> FeeNotice:
    """Issue the fee notice, computed by the core and itemised, and send it; the reply clock
    waits from the notice to the payment."""
    if not payment_instructions.strip():
        raise CaseError("请填写缴费方式（缴费途径、账户或地点）")
    with transaction.atomic():
        s = begin(case, actor, Action.FEE_NOTICE, day=day, ip=ip)
        if s.case.fee_notices.exists():
            raise CaseError("本申请已发出过收费通知，不能再次收费")
        calc, quantity = fee_calculation(s.case, method, pages)
        if calc.total_yuan == 0:
            raise CaseError(f"按规定本申请不收费：{calc.explain()}")
        record(s, EventKind.FEE_NOTICE_SENT, f"发出收费通知，应缴 {calc.total_yuan} 元")
        letter = letter_make(
            s,
            DocType.FEE_NOTICE,
            {
                "收费方式": calc.method.label,
                "收费明细": calc.explain(),
                "收费金额": str(calc.total_yuan),
                "缴费方式": payment_instructions.strip(),
                "缴费期限": PAY_WITHIN,
            },
        )
        notice = FeeNotice.objects.create(
            case=s.case,
            method=calc.method.value,
            quantity=quantity,
            lines=[
                {
                    "description": ln.description,
                    "quantity": ln.quantity,
                    "unit_yuan": ln.unit_yuan,
                    "amount_yuan": ln.amount_yuan,
                }
                for ln in calc.lines
            ],
            explanation=calc.explain(),
            total_yuan=calc.total_yuan,
            letter=letter,
            issued_on=s.day,
        )
        delivery_make(s, letter, delivery, tracking_number=tracking_number)
        notify_applicant(s.case, f"收费通知书（应缴 {calc.total_yuan} 元）", letter=letter)
    return notice


def case_fee_paid(
    *,
    actor: Any,
    case: Case,
    amount_yuan: int,
    receipt_number: str,
    day: date | None = None,
    ip: str | None = None,
) -> FeeNotice:
    """The applicant paid: amount and receipt (票据) number; the reply clock runs again."""
    if not receipt_number.strip():
        raise CaseError("请填写缴费票据号码")
    with transaction.atomic():
        s = begin(case, actor, Action.FEE_PAID, day=day, ip=ip)
        notice = s.case.fee_notices.select_for_update().filter(paid_on__isnull=True).first()
        if notice is None:
            raise CaseError("本申请没有待缴费的收费通知")
        if notice.received_on is None:
            raise CaseError("请先登记申请人收到收费通知的日期（送达）")
        if s.day < notice.received_on:
            raise CaseError(f"缴费日期（{s.day}）不能早于收到通知日期（{notice.received_on}）")
        if amount_yuan != notice.total_yuan:
            raise CaseError(f"实缴金额 {amount_yuan} 元与通知金额 {notice.total_yuan} 元不符")
        notice.paid_on, notice.paid_yuan = s.day, amount_yuan
        notice.receipt_number = receipt_number.strip()
        notice.save(update_fields=["paid_on", "paid_yuan", "receipt_number"])
        record(
            s,
            EventKind.FEE_PAID,
            f"申请人缴纳信息处理费 {amount_yuan} 元（票据 {notice.receipt_number}）",
            data={"amount_yuan": amount_yuan, "receipt_number": notice.receipt_number},
        )
    return notice


def case_lapse_fee(
    *,
    actor: Any | None,
    case: Case,
    day: date | None = None,
    ip: str | None = None,
    amend_reason: str = "",
) -> Case:
    """Not paid within 20 working days of receiving the notice: processing stops and the
    case ends as row ``other_2``. ``actor`` None: ``gongkai remind`` on the office's behalf."""
    from gongkai.cases.services.base import refresh_or_raise

    with transaction.atomic():
        if actor is None:
            s = begin_system(case, Action.LAPSE_FEE, day=day or today())
        else:
            s = begin(case, actor, Action.LAPSE_FEE, day=day, ip=ip, amend_reason=amend_reason)
        state = refresh_or_raise(s.case, list(s.case.events.all()))
        if state is None or state.stop is not Stop.FEE_UNPAID:
            pay_by = state.fee_pay_by if state else None
            limit = f"（{pay_by}）" if pay_by else ""
            raise CaseError(f"缴费期限{limit}尚未届满或申请人已缴费，不能按逾期未缴费终止")
        s.case.outcome, s.case.closed_on = Outcome.FEE_UNPAID.value, s.day
        record(
            s,
            EventKind.FEE_LAPSED,
            "申请人逾期未缴纳信息处理费，不再处理（年报“其他处理”第2项）",
            fields=("outcome", "closed_on"),
        )
        letter = reply_letter_make(s, Outcome.FEE_UNPAID)
        notify_applicant(s.case, "终止处理告知书", letter=letter)
    return s.case


@dataclass(frozen=True)
class FeeSummary:
    """Fee notices issued and fees actually paid in a year (annual report part 六)."""

    notices: int
    paid: int
    yuan: int


def fee_summary(agency_ids: list[int], year: int) -> FeeSummary:
    """Notices issued in ``year`` and fees paid in ``year``, in one aggregate query."""
    from django.db.models import Count, Q, Sum

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
