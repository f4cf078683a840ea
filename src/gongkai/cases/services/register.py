"""Registering an application (《政府信息公开条例》第二十九条、第三十一条) and viewing its
applicant's full identity data (recorded in the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.accounts.scope import viewer_for
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.core import identity
from gongkai.core.doctypes import DocType
from gongkai.core.receipt import Channel
from gongkai.core.workflow import Role
from gongkai.security.crypto import blind_index

from .. import clock, querycode
from ..documents import documents
from ..models import ApplicantKind, Case, CaseCounter, CaseEvent, EventKind, IdType
from .base import (
    CaseError,
    Step,
    bump_counter,
    check_day,
    refresh_or_raise,
    today,
    year_lock,
)


@dataclass(frozen=True)
class Applicant:
    """Who applies and how to reach them (第二十九条第二款第一项)."""

    kind: str
    name: str
    id_type: str
    id_number: str
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


def check_applicant(a: Applicant, today: date) -> tuple[str, str, str]:
    """Validated (name, id number, phone) or CaseError naming the field."""
    if a.kind not in ApplicantKind.values:
        raise CaseError(f"申请人类型“{a.kind}”无效")
    name = a.name.strip()
    if not name:
        raise CaseError("请填写申请人姓名或名称")
    if a.id_type not in IdType.values:
        raise CaseError(f"证件类型“{a.id_type}”无效")
    natural = a.kind == ApplicantKind.NATURAL_PERSON
    if natural and a.id_type == IdType.CREDIT_CODE:
        raise CaseError("自然人申请人应填写身份证件，不是统一社会信用代码")
    if not natural and a.id_type == IdType.RESIDENT_ID:
        raise CaseError("法人或其他组织申请人应填写统一社会信用代码或其他登记证件")
    try:
        if a.id_type == IdType.RESIDENT_ID:
            number = identity.check_resident_id(a.id_number, today=today)
        elif a.id_type == IdType.CREDIT_CODE:
            number = identity.check_credit_code(a.id_number)
        else:
            number = "".join(a.id_number.split())
            if not number:
                raise CaseError("请填写证件号码")
        phone = a.phone.strip()
        if len(phone) == 11 and phone.startswith("1"):
            phone = identity.check_mobile(phone)
    except identity.IdentityError as exc:
        raise CaseError(str(exc)) from exc
    if not (phone or a.email.strip() or a.address.strip()):
        raise CaseError("请至少填写一种联系方式（电话、电子邮箱或通信地址）")
    return name, number, phone


def natural_person(a: Applicant) -> bool:
    """Only a natural person's name is personal data; organisations' names are shown."""
    return a.kind == ApplicantKind.NATURAL_PERSON


def _mask_id(id_type: str, number: str) -> str:
    if id_type == IdType.RESIDENT_ID:
        return identity.mask_resident_id(number)
    if id_type == IdType.CREDIT_CODE:
        return identity.mask_credit_code(number)
    return identity.mask(number, 1, 2)


def next_number(agency: Agency, year: int) -> tuple[int, str]:
    """The next sequence number of ``agency`` in ``year``, safe under concurrent registration."""
    seq = bump_counter(CaseCounter, agency=agency, year=year)
    return seq, f"{agency.code}-{year}-{seq:04d}"


def case_register(
    *,
    actor: Any,
    agency: Agency,
    channel: str,
    received_on: date,
    applicant: Applicant,
    request_text: str,
    form_wanted: str,
    delivery_wanted: str,
    ip: str | None = None,
    query_code_digest: str = "",
    amend_reason: str = "",
) -> Case:
    """Register an application received by ``agency``; returns the case with its number.

    The applicant gets a receipt (接收回执) with the reply deadline and a private query code
    for the public status page; the code is on the returned case as ``query_code`` (shown
    once) unless the application came from the portal (``query_code_digest``: the code the
    applicant already holds). ``amend_reason``: why an application received in a year whose
    annual report is published is registered now (recorded as an amendment)."""
    viewer = viewer_for(actor)
    if not agency.handles_applications:
        raise CaseError(f"{agency.name}不受理政府信息公开申请")
    if not viewer.roles_in(agency.pk) & {Role.REGISTRAR, Role.HEAD}:
        raise CaseError(f"您不是{agency.name}的登记员或公开工作机构负责人，不能登记申请")
    if channel not in Channel.__members__.values():
        raise CaseError(f"申请方式“{channel}”无效")
    received_on = check_day(received_on, what="收到申请日期")
    name, number, phone = check_applicant(applicant, received_on)
    if not request_text.strip():
        raise CaseError("请填写所需政府信息的名称、文号或特征性描述（第二十九条）")
    with transaction.atomic():
        seq, case_number = next_number(agency, received_on.year)
        case = Case(
            agency=agency,
            number=case_number,
            year=received_on.year,
            seq=seq,
            channel=channel,
            received_on=received_on,
            applicant_kind=applicant.kind,
            applicant_name=name,
            applicant_name_masked=identity.mask_name(name) if natural_person(applicant) else name,
            contact_person=applicant.contact_person.strip(),
            id_type=applicant.id_type,
            id_number=number,
            id_number_masked=_mask_id(applicant.id_type, number),
            id_digest=id_digest(number),
            phone=phone,
            phone_masked=identity.mask_mobile(phone) if len(phone) == 11 else phone[:4] + "****",
            email=applicant.email.strip(),
            address=applicant.address.strip(),
            postcode=applicant.postcode.strip(),
            request_text=request_text.strip(),
            form_wanted=form_wanted,
            delivery_wanted=delivery_wanted,
            registered_by=actor,
        )
        code = "" if query_code_digest else querycode.new_code()
        case.query_code_hash = query_code_digest or querycode.code_digest(code)
        event = CaseEvent(
            case=case,
            kind=EventKind.RECEIVED,
            day=received_on,
            actor=actor,
            data={"channel": channel},
        )
        refresh_or_raise(case, [event])
        case.save()
        event.case = case
        event.save()
        year_lock(case, [received_on], f"登记{received_on}收到的申请", actor, amend_reason)
        audit_record(
            actor=actor,
            action="case.registered",
            target=case,
            agency=agency,
            message=f"登记申请 {case.number}（{Channel(channel).label}，收到日期 {received_on}）",
            data={"channel": channel, "received_on": received_on.isoformat()},
            ip=ip,
        )
        _receipt(case, actor, code, ip)
    case.query_code = code
    return case


def _receipt(case: Case, actor: Any, code: str, ip: str | None) -> None:
    """The receipt letter, sent the way the applicant asked, and the notice."""
    step = Step(case, actor, viewer_for(actor), {Role.REGISTRAR}, today(), ip)
    letter = documents().make(
        step,
        DocType.RECEIPT,
        {
            "申请方式": Channel(case.channel).label,
            "答复期限": (
                clock.due_wording(case.due_on, case.due_provisional) if case.due_on else "法定期限"
            ),
            "查询码": code or "网上提交申请时取得的查询码",
        },
    )
    method = {
        Channel.IN_PERSON: "in_person",  # handed over at the counter
        Channel.ONLINE: "portal",
        Channel.EMAIL: "email" if case.email else "",
    }.get(Channel(case.channel), "")
    if method:
        documents().deliver(step, letter, method)
    mark = "（暂定）" if case.due_provisional else ""
    documents().notify(case, f"已登记，答复期限 {case.due_on}{mark}", letter=letter)


def id_digest(number: str) -> str:
    return blind_index(number)
