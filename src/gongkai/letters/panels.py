"""The letters' part of the case page (registered with :mod:`gongkai.cases.panels`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.accounts.scope import OFFICE_ROLES
from gongkai.cases.models import Case
from gongkai.cases.services import CaseError
from gongkai.core.workflow import Role

from . import forms as lf
from .services.preview import PREVIEW_NUMBER, reply_preview, reply_previewable


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


def letters_panel(case: Case, roles: set[Role]) -> dict[str, Any]:
    """The letters with their deliveries, the delivery forms for the office, and the reply
    letter awaiting sign-off as it will read."""
    can_deliver = bool(roles & {Role.REGISTRAR, Role.HEAD})
    rows = []
    for letter in case.letters.all():
        deliveries = list(letter.deliveries.all())
        for d in deliveries:
            d.confirm_form = lf.ConfirmForm(prefix=f"c{d.pk}")
            d.return_form = lf.ReturnForm(prefix=f"r{d.pk}")
        settled = any(d.delivered_on or not d.returned_on for d in deliveries)
        reply_waiting = letter.doc.is_reply and not case.replied_on
        rows.append(
            {
                "letter": letter,
                "deliver_form": None
                if settled or reply_waiting
                else lf.DeliveryForm(prefix=f"d{letter.pk}"),
            }
        )
    return {
        "letter_rows": rows,
        "can_deliver": can_deliver,
        "can_read_letters": bool(roles & OFFICE_ROLES),
        "manual_form": lf.ManualLetterForm(prefix="letter") if can_deliver else None,
        **_preview(case, roles),
    }
