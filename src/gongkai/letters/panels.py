"""The letters' part of the case page (registered with :mod:`gongkai.cases.panels`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.accounts.scope import OFFICE_ROLES
from gongkai.cases.models import Case
from gongkai.cases.services import CaseError
from gongkai.core.workflow import Role, Status

from . import forms as lf
from .services.preview import PREVIEW_NUMBER, reply_preview, reply_previewable
from .services.release import RELEASE_BASES, recorded_basis, reply_attachment_scan

#: Who may deliver letters (and so release the reply and record a basis for its attachments).
DELIVERING_ROLES = frozenset({Role.REGISTRAR, Role.HEAD})

#: How the case page names each kind of scan entry.
SEVERITY_LABELS = {"block": "须处理", "warn": "请核查", "note": "未能扫描"}


def _preview(case: Case, roles: set[Role]) -> dict[str, Any]:
    """The reply letter awaiting sign-off, for the office (the registrar who drafted it, the
    secrecy reviewer, the head who signs it: 《中华人民共和国政府信息公开条例》第十七条), with
    the applicant's name masked as elsewhere on the page."""
    if not (roles & OFFICE_ROLES and reply_previewable(case)):
        return {"reply_preview": None, "reply_preview_error": ""}
    try:
        preview = reply_preview(case, timezone.localdate(), masked=True)
    except CaseError as exc:
        return {"reply_preview": None, "reply_preview_error": str(exc)}
    return {
        "reply_preview": preview,
        "reply_preview_error": "",
        "reply_preview_number": PREVIEW_NUMBER,
    }


def _reply_scan(case: Case) -> dict[str, Any]:
    """The personal-information scan of the reply attachments as the page shows it: the
    entries masked (never the raw values), how many block the release, the basis recorded for
    exactly these files, and the form to record one when none is
    (《中华人民共和国政府信息公开条例》第十五条)."""
    scan = reply_attachment_scan(case)
    blocking = len(scan.blocking)
    basis = recorded_basis(case, scan) if blocking else None
    rows = [
        {
            "label": e["label"],
            "masked": e["masked"],
            "file": e["file"],
            "where": e["where"],
            "explanation": e["explanation"],
            "severity": e["severity"],
            "severity_label": SEVERITY_LABELS.get(e["severity"], e["severity"]),
        }
        for e in scan.entries
    ]
    form = None
    if blocking and basis is None:
        form = lf.ReplyBasisForm(prefix=lf.ReplyBasisForm.PREFIX)
    return {
        "reply_scan": {
            "files": len(scan.files),
            "rows": rows,
            "blocking": blocking,
            "basis": RELEASE_BASES.get(basis["basis"], "") if basis else "",
            "basis_note": basis.get("note", "") if basis else "",
        },
        "reply_basis_form": form,
    }


def letters_panel(case: Case, roles: set[Role]) -> dict[str, Any]:
    """The letters with their deliveries, the delivery forms for the office, the reply letter
    awaiting sign-off as it will read, and — for those who deliver, while a reply waits to be
    released (已答复送达, or sent again after returned mail) — the personal-information scan of
    the reply attachments."""
    can_deliver = bool(roles & DELIVERING_ROLES)
    rows = []
    resend = False
    for letter in case.letters.all():
        deliveries = list(letter.deliveries.all())
        for d in deliveries:
            d.confirm_form = lf.ConfirmForm(prefix=f"c{d.pk}")
            d.return_form = lf.ReturnForm(prefix=f"r{d.pk}")
        settled = any(d.delivered_on or not d.returned_on for d in deliveries)
        reply_waiting = letter.doc.is_reply and not case.replied_on
        deliver_form = None if settled or reply_waiting else lf.DeliveryForm(prefix=f"d{letter.pk}")
        resend = resend or (letter.doc.is_reply and deliver_form is not None)
        rows.append({"letter": letter, "deliver_form": deliver_form})
    release_pending = case.status == Status.APPROVED or resend
    scan = (
        _reply_scan(case)
        if can_deliver and release_pending
        else {"reply_scan": None, "reply_basis_form": None}
    )
    return {
        "letter_rows": rows,
        "can_deliver": can_deliver,
        "can_read_letters": bool(roles & OFFICE_ROLES),
        "manual_form": lf.ManualLetterForm(prefix="letter") if can_deliver else None,
        **scan,
        **_preview(case, roles),
    }
