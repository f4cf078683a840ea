"""Telling applicants what happened to their application (e-mail, and SMS through the hook).

Sent at registration, correction request, extension, fee notice and reply, after the step's
transaction commits; a failed sending is logged and never undoes the step. The e-mail carries
the letter as a .docx attachment; the SMS only says that there is news (no personal data).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.messaging import sms_hook

log = logging.getLogger(__name__)


def _portal_hint() -> str:
    url = (getattr(settings, "GONGKAI_PORTAL_URL", "") or "").rstrip("/")
    where = f"{url}/portal/status/" if url else "本机关政府信息公开申请平台"
    return f"您可以凭申请编号和查询码在{where}查询办理进度、下载文书。"


def notify_applicant(case: Any, what: str, *, letter: Any = None) -> list[str]:
    """Queue the notices for ``case`` (call inside the step's transaction); returns the
    channels used (``email``, ``sms``), which the audit entry records."""
    channels = []
    email = (case.email or "").strip()
    sms = sms_hook() if case.phone else None
    if email:
        channels.append("email")
    if sms:
        channels.append("sms")
    if not channels:
        return channels
    agency, number = case.agency.name, case.number
    subject = f"【{agency}】政府信息公开申请 {number}：{what}"
    body = "\n".join(
        [
            f"{case.applicant_name}：",
            f"您向{agency}提出的政府信息公开申请（编号 {number}）：{what}。",
            f"随信附《{letter.title}》（{letter.number}）。" if letter is not None else "",
            _portal_hint(),
            "本邮件由系统发送，请勿直接回复。",
        ]
    )
    short = f"【{agency}】您的政府信息公开申请{number}有新进展：{what}。请登录申请平台查看。"
    attachment = None
    if letter is not None and email:
        letter.file.open("rb")
        try:
            attachment = (letter.filename, letter.file.read())
        finally:
            letter.file.close()

    def send() -> None:
        if email:
            try:
                msg = EmailMessage(subject, body, to=[email])
                if attachment:
                    msg.attach(
                        attachment[0],
                        attachment[1],
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    )
                msg.send()
            except Exception:  # a mail server down must not undo the step
                log.exception("通知申请人失败（邮件）：%s", number)
        if sms:
            try:
                sms(case.phone, short)
            except Exception:
                log.exception("通知申请人失败（短信）：%s", number)

    transaction.on_commit(send)
    audit_record(
        actor=None,
        action="case.applicant_notified",
        target=case,
        agency=case.agency,
        message=f"{number}：通知申请人（{what}）",
        data={"channels": channels, "letter": letter.number if letter is not None else ""},
    )
    return channels
