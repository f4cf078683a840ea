"""Fees (《政府信息公开信息处理费管理办法》): the fee notice, the payment, and the end of an
application whose fee was not paid in time. Steps of the case like the others; the notice is
a letter the letters app makes (:mod:`gongkai.cases.documents`).

The applicant pays within 20 working days of receiving the notice (第七条); the reply clock
waits from the notice to the payment (:mod:`gongkai.core.deadlines`); unpaid, the application
is no longer processed (annual report row ``other_2``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core import fees
from gongkai.core.deadlines import Stop
from gongkai.core.doctypes import DocType
from gongkai.core.outcomes import Outcome
from gongkai.core.workflow import Action

from ..documents import documents
from ..models import Case, EventKind, FeeNotice
from .base import CaseError, Step, begin, begin_system, record, refresh_or_raise, today


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
        step = begin(case, actor, Action.FEE_NOTICE, day=day, ip=ip)
        if step.case.fee_notices.exists():
            raise CaseError("本申请已发出过收费通知，不能再次收费")
        calc, quantity = fee_calculation(step.case, method, pages)
        if calc.total_yuan == 0:
            raise CaseError(f"按规定本申请不收费：{calc.explain()}")
        record(step, EventKind.FEE_NOTICE_SENT, f"发出收费通知，应缴 {calc.total_yuan} 元")
        letter = documents().make(
            step,
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
            case=step.case,
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
            issued_on=step.day,
        )
        documents().deliver(step, letter, delivery, tracking_number=tracking_number)
        documents().notify(step.case, f"收费通知书（应缴 {calc.total_yuan} 元）", letter=letter)
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
        step = begin(case, actor, Action.FEE_PAID, day=day, ip=ip)
        notice = step.case.fee_notices.select_for_update().filter(paid_on__isnull=True).first()
        if notice is None:
            raise CaseError("本申请没有待缴费的收费通知")
        if notice.received_on is None:
            raise CaseError("请先登记申请人收到收费通知的日期（送达）")
        if step.day < notice.received_on:
            raise CaseError(f"缴费日期（{step.day}）不能早于收到通知日期（{notice.received_on}）")
        if amount_yuan != notice.total_yuan:
            raise CaseError(f"实缴金额 {amount_yuan} 元与通知金额 {notice.total_yuan} 元不符")
        notice.paid_on, notice.paid_yuan = step.day, amount_yuan
        notice.receipt_number = receipt_number.strip()
        notice.save(update_fields=["paid_on", "paid_yuan", "receipt_number"])
        record(
            step,
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
    with transaction.atomic():
        if actor is None:
            step = begin_system(case, Action.LAPSE_FEE, day=day or today())
        else:
            step = begin(case, actor, Action.LAPSE_FEE, day=day, ip=ip, amend_reason=amend_reason)
        state = refresh_or_raise(step.case, list(step.case.events.all()))
        if state is None or state.stop is not Stop.FEE_UNPAID:
            pay_by = state.fee_pay_by if state else None
            limit = f"（{pay_by}）" if pay_by else ""
            raise CaseError(f"缴费期限{limit}尚未届满或申请人已缴费，不能按逾期未缴费终止")
        step.case.outcome, step.case.closed_on = Outcome.FEE_UNPAID.value, step.day
        record(
            step,
            EventKind.FEE_LAPSED,
            "申请人逾期未缴纳信息处理费，不再处理（年报“其他处理”第2项）",
            fields=("outcome", "closed_on"),
        )
        letter = documents().make_reply(step, Outcome.FEE_UNPAID)
        documents().notify(step.case, "终止处理告知书", letter=letter)
    return step.case


def fee_notice_received(step: Step, letter_id: int, day: date) -> None:
    """The fee notice sent as letter ``letter_id`` reached the applicant on ``day``: the
    20-working-day payment period starts (called by the letters app when it records the
    delivery, inside the delivery's step)."""
    notice = FeeNotice.objects.filter(letter_id=letter_id).first()
    if notice is None or notice.received_on is not None:
        return
    notice.received_on = day
    notice.save(update_fields=["received_on"])
    saved_day, step.day = step.day, day
    record(step, EventKind.FEE_NOTICE_RECEIVED, "申请人收到收费通知，缴费期限起算")
    step.day = saved_day
