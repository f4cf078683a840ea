"""What the portal does: take an application (draft, then confirmed with a number and a
private query code), let the office register or decline it, find an application by number
and code, and keep optional applicant accounts."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scope import viewer_for
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.cases import querycode
from gongkai.cases.models import Attachment, AttachmentKind, Case
from gongkai.cases.services import Applicant, CaseError, case_register
from gongkai.cases.services.base import AcceptedUpload, accepted_upload, bump_counter, today
from gongkai.cases.services.register import check_applicant, id_digest
from gongkai.core.receipt import Channel
from gongkai.core.workflow import Role
from gongkai.messaging import sms_hook

from . import proofs, throttle
from .models import OnlineApplication, PortalAccount, SubmissionCounter, SubmissionStatus
from .proofs import KeptProof

log = logging.getLogger(__name__)

TOO_OFTEN = "提交过于频繁，请稍后再试；如确有需要，请联系受理机关"
PASSWORD_MIN = 10
NO_PROOF = "请上传身份证明（身份证、营业执照等的照片或扫描件）"


class ProofRefused(CaseError):
    """The identity proof itself is refused (its type, size or content); the form shows
    the message next to the file field."""


@dataclass(frozen=True)
class Request:
    """What is asked, and how the applicant wants it (第二十九条第二款第二、三项)."""

    text: str
    form_wanted: str
    delivery_wanted: str
    purpose: str = ""


def proof_keep(upload: UploadedFile, *, ip: str) -> KeptProof:
    """Check an identity proof and keep it for the applicant's next try
    (:mod:`.proofs`). Counted like every upload before it is looked at, refused or not."""
    try:
        throttle.reserve([(throttle.DRAFT_PER_IP, ip)])
    except throttle.Throttled as exc:
        raise CaseError(TOO_OFTEN) from exc
    try:
        accepted = accepted_upload(upload)
    except CaseError as exc:
        raise ProofRefused(str(exc)) from exc
    path = default_storage.save(proofs.pending_name(accepted.ext), upload)
    return KeptProof(
        path=path,
        name=(upload.name or "")[:200],
        size=upload.size or 0,
        content_type=accepted.content_type,
        sha256=accepted.sha256,
        saved_at=timezone.now().timestamp(),
    )


def submission_draft(
    *,
    agency: Agency,
    applicant: Applicant,
    request: Request,
    proof: UploadedFile | KeptProof | None,
    account: PortalAccount | None = None,
    ip: str,
    replaces: OnlineApplication | None = None,
) -> OnlineApplication:
    """Check and keep an application for the applicant to confirm (nothing is sent yet).

    ``proof``: a file just uploaded (counted and checked here) or one kept earlier
    (:func:`proof_keep`, or the proof of the draft being corrected), checked again and
    copied; a kept file of the session is deleted once copied. ``replaces``: the draft the
    applicant went back to correct (“返回修改”); it is deleted with its proof when the
    corrected one is made."""
    if not agency.handles_applications:
        raise CaseError(f"{agency.name}不受理政府信息公开申请，请选择其他机关")
    check_applicant(applicant, today())
    if not request.text.strip():
        raise CaseError("请填写所需政府信息的名称、文号或便于查询的其他特征性描述")
    if len(request.text) > 4000:
        raise CaseError("所需信息的描述不能超过 4000 字")
    if proof is None:
        raise ProofRefused(NO_PROOF)
    digest_id = id_digest(applicant.id_number)
    for limit, value in (
        (throttle.SUBMIT_PER_IP, ip),
        (throttle.SUBMIT_PER_IP_DAY, ip),
        (throttle.SUBMIT_PER_ID, digest_id),
    ):
        if throttle.blocked(limit, value):
            raise CaseError(TOO_OFTEN)
    app = OnlineApplication(
        agency=agency,
        account=account,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        contact_person=applicant.contact_person.strip(),
        id_type=applicant.id_type,
        id_number="".join(applicant.id_number.split()).upper(),
        id_digest=digest_id,
        phone=applicant.phone.strip(),
        email=applicant.email.strip(),
        address=applicant.address.strip(),
        postcode=applicant.postcode.strip(),
        request_text=request.text.strip(),
        purpose=request.purpose.strip(),
        form_wanted=request.form_wanted,
        delivery_wanted=request.delivery_wanted,
    )
    if isinstance(proof, KeptProof):
        _attach_kept(app, proof)
    else:
        # The upload is counted before it is looked at: refused files (type, size,
        # content) use up the same allowance as accepted ones.
        try:
            throttle.reserve([(throttle.DRAFT_PER_IP, ip)])
        except throttle.Throttled as exc:
            raise CaseError(TOO_OFTEN) from exc
        try:
            accepted = accepted_upload(proof)
        except CaseError as exc:
            raise ProofRefused(str(exc)) from exc
        _attach(app, proof, proof.name or "", accepted)
    app.save()
    if isinstance(proof, KeptProof) and proof.pending:
        default_storage.delete(proof.path)
    if replaces is not None and replaces.pk != app.pk:
        _draft_delete(replaces)
    drafts_purge()
    proofs.purge()
    return app


def _attach(app: OnlineApplication, content: Any, name: str, accepted: AcceptedUpload) -> None:
    """Store ``content`` as the proof of ``app``, under a name made of its hash (the
    uploaded name never becomes a path)."""
    app.proof_name = name[:200]
    app.proof_type = accepted.content_type
    app.proof_size = content.size
    app.proof_sha256 = accepted.sha256
    app.proof.save(f"{accepted.sha256[:16]}{accepted.ext}", content, save=False)


def _attach_kept(app: OnlineApplication, proof: KeptProof) -> None:
    """Copy a kept proof into ``app``, checked again: the same checks as an upload, and the
    content must still be the one checked when it was kept."""
    again = "，请重新选择身份证明文件"
    try:
        with proof.open() as fh:
            accepted = accepted_upload(fh)
            if accepted.sha256 != proof.sha256:
                raise ProofRefused("已保存的身份证明文件与上传时不一致" + again)
            _attach(app, fh, proof.name, accepted)
    except OSError as exc:
        raise ProofRefused("已保存的身份证明文件已不存在" + again) from exc
    except ProofRefused:
        raise
    except CaseError as exc:
        raise ProofRefused(str(exc) + again) from exc


def _draft_delete(app: OnlineApplication) -> None:
    """Delete a draft that was never confirmed, with its proof."""
    stale = OnlineApplication.objects.filter(pk=app.pk, status=SubmissionStatus.DRAFT).first()
    if stale is not None:
        stale.proof.delete(save=False)
        stale.delete()


def drafts_purge(older_than: timedelta = timedelta(days=1)) -> int:
    """Forget applications never confirmed, with their identity proof; returns how many."""
    stale = OnlineApplication.objects.filter(
        status=SubmissionStatus.DRAFT, created_at__lt=timezone.now() - older_than
    )
    n = 0
    for app in stale:
        app.proof.delete(save=False)
        app.delete()
        n += 1
    return n


@dataclass(frozen=True)
class Confirmation:
    """A submitted application: its query code (shown once) and the channels the code was
    also sent by when this returned (``"email"``, ``"sms"``)."""

    code: str
    sent: tuple[str, ...] = ()


def submission_confirm(app: OnlineApplication, *, ip: str) -> Confirmation:
    """Send the confirmed application to the agency; returns the query code (shown once)
    and where it was also sent.

    The submission is counted (per address and per identity number) before it is made, in
    one step with the check; if it then fails, the count is given back."""
    if throttle.blocked(throttle.SUBMIT_PER_ID, app.id_digest):
        raise CaseError("同一证件今日提交的申请过多，请明日再试")
    try:
        reservation = throttle.reserve(
            [
                (throttle.SUBMIT_PER_IP, ip),
                (throttle.SUBMIT_PER_IP_DAY, ip),
                (throttle.SUBMIT_PER_ID, app.id_digest),
            ]
        )
    except throttle.Throttled as exc:
        if exc.limit is throttle.SUBMIT_PER_ID:
            raise CaseError("同一证件今日提交的申请过多，请明日再试") from exc
        raise CaseError(TOO_OFTEN) from exc
    try:
        return _confirm(app, ip=ip)
    except BaseException:
        throttle.release(reservation)
        raise


MOBILE = re.compile(r"1\d{10}")


@dataclass
class _Receipt:
    """The e-mail and SMS telling the applicant their number and code, sent after the
    submission commits; ``sent`` records what was handed over to the mail server and the
    SMS gateway without an error."""

    number: str
    email: str
    phone: str
    subject: str
    body: str
    short: str
    sent: list[str] = field(default_factory=list)

    def __call__(self) -> None:
        if self.email:
            try:
                if send_mail(self.subject, self.body, None, [self.email]):
                    self.sent.append("email")
            except Exception:  # a mail server down must not undo the submission
                log.exception("网上申请回执邮件发送失败：%s", self.number)
        if self.phone:
            try:
                sms = sms_hook()
                if sms is not None:
                    sms(self.phone, self.short)
                    self.sent.append("sms")
            except Exception:
                log.exception("网上申请回执短信发送失败：%s", self.number)


def _confirm(app: OnlineApplication, *, ip: str) -> Confirmation:
    code = querycode.new_code()
    with transaction.atomic():
        app = OnlineApplication.objects.select_for_update().get(pk=app.pk)
        if app.status != SubmissionStatus.DRAFT:
            raise CaseError("该申请已经提交")
        now = timezone.now()
        year = timezone.localdate().year
        seq = bump_counter(SubmissionCounter, year=year)
        app.number = f"WS{year}{seq:06d}"
        app.code_hash = querycode.code_digest(code)
        app.status = SubmissionStatus.SUBMITTED
        app.submitted_at = now
        app.save(update_fields=["number", "code_hash", "status", "submitted_at"])
        audit_record(
            actor=None,
            action="portal.submitted",
            target=app,
            agency=app.agency,
            message=f"网上申请 {app.number} 提交至{app.agency.name}",
            ip=ip,
        )
        number, agency = app.number, app.agency.name
        phone = app.phone.strip()
        receipt = _Receipt(
            number=number,
            email=app.email.strip(),
            phone=phone if MOBILE.fullmatch(phone) else "",
            subject=f"【{agency}】已收到您的政府信息公开申请 {number}",
            body=f"您的网上申请已提交，提交编号 {number}，查询码 {code}。\n"
            "受理机关确认接收之日为收到申请之日，届时将另行告知登记编号和答复期限。\n"
            "请妥善保管查询码，凭编号和查询码可以查询办理进度、下载文书。",
            short=f"【{agency}】您的政府信息公开申请已提交，提交编号{number}，"
            f"查询码{code}。请妥善保管，凭编号和查询码查询办理进度。",
        )
        if receipt.email or receipt.phone:
            transaction.on_commit(receipt)
    # Outside any other transaction (a page's request) the receipt has been sent by now;
    # inside one it goes when that commits, and nothing is claimed here.
    return Confirmation(code, tuple(receipt.sent))


def _office(actor: Any, app: OnlineApplication) -> None:
    if not viewer_for(actor).roles_in(app.agency_id) & {Role.REGISTRAR, Role.HEAD}:
        raise CaseError(f"您不是{app.agency.name}的登记员或公开工作机构负责人")


def _locked(actor: Any, app: OnlineApplication) -> OnlineApplication:
    _office(actor, app)
    locked = OnlineApplication.objects.select_for_update().get(pk=app.pk)
    if locked.status != SubmissionStatus.SUBMITTED:
        raise CaseError(f"网上申请 {locked.number} 已经处理（{locked.get_status_display()}）")
    return locked


def submission_register(
    *, actor: Any, app: OnlineApplication, ip: str | None = None, amend_reason: str = ""
) -> Case:
    """Confirm receipt: register the case, received today (双方确认之日, 《中华人民共和国政府
    信息公开条例》第三十一条第三项); the applicant keeps the query code they have, and their
    identity proof goes with it. ``amend_reason``: why an application is registered in a year
    whose annual report is already published (第五十条; recorded as an amendment of that
    year's figures, as on the registration page)."""
    with transaction.atomic():
        app = _locked(actor, app)
        case = case_register(
            actor=actor,
            agency=app.agency,
            channel=Channel.ONLINE,
            received_on=today(),
            applicant=Applicant(
                kind=app.applicant_kind,
                name=app.applicant_name,
                id_type=app.id_type,
                id_number=app.id_number,
                contact_person=app.contact_person,
                phone=app.phone,
                email=app.email,
                address=app.address,
                postcode=app.postcode,
            ),
            request_text=app.request_text + (f"\n（用途：{app.purpose}）" if app.purpose else ""),
            form_wanted=app.form_wanted,
            delivery_wanted=app.delivery_wanted,
            ip=ip,
            query_code_digest=app.code_hash,
            amend_reason=amend_reason,
        )
        att = Attachment(
            case=case,
            kind=AttachmentKind.IDENTITY_PROOF,
            original_name=app.proof_name,
            content_type=app.proof_type,
            size=app.proof_size,
            sha256=app.proof_sha256,
            uploaded_by=actor,
        )
        with app.proof.open("rb") as fh:
            att.file.save(app.proof.name.rsplit("/", 1)[-1], ContentFile(fh.read()), save=False)
        att.save()
        app.status, app.case, app.handled_at = SubmissionStatus.REGISTERED, case, timezone.now()
        app.save(update_fields=["status", "case", "handled_at"])
        audit_record(
            actor=actor,
            action="portal.registered",
            target=app,
            agency=app.agency,
            message=f"网上申请 {app.number} 登记为 {case.number}",
            ip=ip,
        )
    return case


def submission_reject(
    *, actor: Any, app: OnlineApplication, reason: str, ip: str | None = None
) -> OnlineApplication:
    """Decline to register (a duplicate submission, a test, not an application at all); the
    applicant sees the reason on the status page."""
    if not reason.strip():
        raise CaseError("请写明不予登记的理由，申请人将在查询页面看到")
    with transaction.atomic():
        app = _locked(actor, app)
        app.status, app.rejected_reason = SubmissionStatus.REJECTED, reason.strip()
        app.handled_at = timezone.now()
        app.save(update_fields=["status", "rejected_reason", "handled_at"])
        audit_record(
            actor=actor,
            action="portal.rejected",
            target=app,
            agency=app.agency,
            message=f"网上申请 {app.number} 未予登记：{reason.strip()}",
            ip=ip,
        )
    return app


# --- finding an application ------------------------------------------------------------------

NOT_FOUND = "申请编号或查询码不正确"
TOO_MANY = "查询过于频繁，请稍后再试"


@dataclass(frozen=True)
class Found:
    application: OnlineApplication | None
    case: Case | None


def lookup(number: str, code: str, *, ip: str) -> Found:
    """The application with ``number`` (submission or case number) if ``code`` is its query
    code. Every failure says the same (:data:`NOT_FOUND`).

    Limits (:mod:`.throttle`): per address and per (number, address) with a growing wait.
    A right code is never refused because *others* failed on the same number; an address
    that used up its own allowance is refused even with the right code (:data:`TOO_MANY`),
    or guessing would go on unhindered. The attempt is counted before the code is compared
    (so parallel requests cannot share the last slot) and given back when the code is right.
    """
    number = "".join(number.split()).upper()
    code = "".join(code.split()).upper()
    try:
        reservation = throttle.reserve(
            [
                (throttle.LOOKUP_PER_IP, ip),
                (throttle.LOOKUP_PER_IP_DAY, ip),
                (throttle.LOOKUP_PER_NUMBER_IP, f"{number}|{ip}"),
            ]
        )
    except throttle.Throttled as exc:
        raise CaseError(TOO_MANY) from exc
    app = OnlineApplication.objects.filter(number=number).select_related("case").first()
    case = app.case if app else Case.objects.filter(number=number).first()
    digest = app.code_hash if app else (case.query_code_hash if case else "")
    if code and querycode.code_matches(digest, code):
        throttle.release(reservation)
        return Found(app, case)
    raise CaseError(NOT_FOUND)


# --- applicant accounts ----------------------------------------------------------------------


def account_create(*, email: str, password: str, name: str = "", ip: str) -> PortalAccount:
    email = email.strip().lower()
    if throttle.blocked(throttle.ACCOUNT_PER_IP, ip):
        raise CaseError("注册过于频繁，请稍后再试")
    if len(password) < PASSWORD_MIN:
        raise CaseError(f"密码至少 {PASSWORD_MIN} 位")
    if PortalAccount.objects.filter(email=email).exists():
        raise CaseError("该邮箱已注册，请直接登录")
    throttle.count(throttle.ACCOUNT_PER_IP, ip)
    return PortalAccount.objects.create(
        email=email, password=make_password(password), display_name=name.strip()
    )


def account_login(*, email: str, password: str, ip: str) -> PortalAccount:
    """The account if the password is right; attempts are counted per address and per
    e-mail address before the password is checked, and given back on success."""
    email = email.strip().lower()
    try:
        reservation = throttle.reserve(
            [(throttle.LOGIN_PER_IP, ip), (throttle.LOGIN_PER_EMAIL, email)]
        )
    except throttle.Throttled as exc:
        raise CaseError("登录尝试过于频繁，请稍后再试") from exc
    account = PortalAccount.objects.filter(email=email).first()
    if account is None or not check_password(password, account.password):
        raise CaseError("邮箱或密码不正确")
    throttle.release(reservation)
    account.last_login = timezone.now()
    account.save(update_fields=["last_login"])
    return account


def account_claim(account: PortalAccount, found: Found) -> None:
    """Add an application found by number and code to ``account``."""
    if found.application is not None:
        OnlineApplication.objects.filter(pk=found.application.pk, account=None).update(
            account=account
        )
    elif found.case is not None:
        account.claimed_cases.add(found.case)
