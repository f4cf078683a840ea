"""Delivery (送达) of letters: how each was sent, when it arrived (with the signed receipt)
or came back, and what its arrival starts on the case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.cases.models import AttachmentKind, Case, EventKind
from gongkai.cases.services import CaseError
from gongkai.cases.services.attachments import attachment_keep
from gongkai.cases.services.base import Step, accepted_upload, begin_office
from gongkai.cases.services.fees import fee_notice_received
from gongkai.core.doctypes import DocType

from ..models import SAME_DAY, Delivery, DeliveryMethod, Letter
from ..notify import notify_applicant
from .release import release_check

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
    step: Step, letter: Letter, method: str, *, tracking_number: str = "", note: str = ""
) -> Delivery:
    """Record that ``letter`` was sent by ``method`` on the step's day (case locked)."""
    if method not in DeliveryMethod.values:
        raise CaseError(f"送达方式“{method}”无效")
    tracking_number = tracking_number.strip()
    if method == DeliveryMethod.POST and not tracking_number:
        raise CaseError("邮寄送达请填写邮件单号")
    if method == DeliveryMethod.EMAIL and letter.to_applicant and not step.case.email:
        raise CaseError("申请人没有留下电子邮箱，不能电子邮件送达")
    if method == DeliveryMethod.PORTAL and not letter.to_applicant:
        raise CaseError("网上平台只能向申请人送达")
    d = Delivery.objects.create(
        letter=letter,
        method=method,
        sent_on=step.day,
        tracking_number=tracking_number,
        note=note.strip(),
        recorded_by=step.actor,
    )
    _event(step, EventKind.DELIVERED, f"{letter.title}：{d.get_method_display()}", letter, d)
    if method in SAME_DAY:
        _delivered(step, d, step.day)
    return d


def letter_send(step: Step, letter: Letter, what: str) -> Delivery | None:
    """Send a letter to the applicant the way that reaches them at once, when there is one
    (the portal for online applications, e-mail when they asked for it), and notify them.
    Post and hand delivery are recorded by the office when they happen."""
    case = step.case
    method = ""
    if case.channel == "online":
        method = DeliveryMethod.PORTAL
    elif case.delivery_wanted == "email" and case.email:
        method = DeliveryMethod.EMAIL
    d = delivery_make(step, letter, method) if method else None
    notify_applicant(case, what, letter=letter)
    return d


def _event(step: Step, kind: EventKind, text: str, letter: Letter, d: Delivery) -> None:
    extra = f"，单号 {d.tracking_number}" if d.tracking_number else ""
    step.case.events.create(
        kind=kind,
        day=step.day,
        actor=step.actor,
        ref=letter.number,
        data={"letter": letter.pk, "delivery": d.pk},
        note=text + extra,
    )
    audit_record(
        actor=step.actor,
        action=f"letter.{kind}",
        target=d,
        agency=step.case.agency,
        message=f"{step.case.number}：{text}{extra}",
        data={"letter": letter.number, "method": d.method},
        ip=step.ip,
    )


def _delivered(step: Step, d: Delivery, day: date) -> None:
    """``d`` reached the addressee on ``day``: a reply's delivery date goes on the case; a
    fee notice's starts the 20-working-day payment period."""
    d.delivered_on = day
    d.save(update_fields=["delivered_on", "signed_by", "proof"])
    letter = d.letter
    if letter.doc.is_reply and step.case.delivered_on is None:
        step.case.delivered_on = day
        step.case.save(update_fields=["delivered_on"])
    if letter.doc_type == DocType.FEE_NOTICE:
        fee_notice_received(step, letter.pk, day)


def _letter_in_step(step: Step, letter_id: int) -> Letter:
    letter = step.case.letters.filter(pk=letter_id).first()
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
        step = begin_office(letter.case_id, actor, what="登记送达", day=day, ip=ip)
        letter = _letter_in_step(step, letter.pk)
        if letter.doc.is_reply and not step.case.replied_on:
            raise CaseError("答复书请通过“已答复送达”发出")
        if letter.deliveries.filter(returned_on__isnull=True, delivered_on__isnull=False).exists():
            raise CaseError(f"{letter.title}（{letter.number}）已经送达")
        release_check(step, letter)  # sent again: the attachments may have changed
        return delivery_make(step, letter, method, tracking_number=tracking_number, note=note)


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
    if proof is None and not signed_by.strip():
        raise CaseError("请上传送达回证或填写签收人")
    with transaction.atomic():
        step = begin_office(delivery.letter.case_id, actor, what="登记送达", day=day, ip=ip)
        d = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if d.delivered_on or d.returned_on:
            raise CaseError(f"该次送达已于 {d.delivered_on or d.returned_on} {d.state}")
        if day < d.sent_on:
            raise CaseError(f"送达日期（{day}）不能早于发出日期（{d.sent_on}）")
        d.signed_by = signed_by.strip()
        if proof is not None:
            accepted = accepted_upload(proof)
            d.proof = attachment_keep(
                step.case,
                proof,
                accepted,
                kind=AttachmentKind.OTHER,
                actor=step.actor,
                name=f"送达回证-{(proof.name or '')[:180]}",
            )
        _event(step, EventKind.DELIVERED, f"{d.letter.title}已送达（{day}）", d.letter, d)
        _delivered(step, d, day)
    return d


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
        step = begin_office(delivery.letter.case_id, actor, what="登记退件", day=day, ip=ip)
        d = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if d.delivered_on or d.returned_on:
            raise CaseError(f"该次送达已于 {d.delivered_on or d.returned_on} {d.state}")
        d.returned_on, d.return_reason = step.day, reason.strip()
        d.save(update_fields=["returned_on", "return_reason"])
        text = f"{d.letter.title}被退回：{reason.strip()}"
        _event(step, EventKind.DELIVERY_RETURNED, text, d.letter, d)
    return d
