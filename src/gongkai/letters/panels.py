"""The letters' part of the case page (registered with :mod:`gongkai.cases.panels`)."""

from __future__ import annotations

from typing import Any

from gongkai.accounts.scope import OFFICE_ROLES
from gongkai.cases.models import Case
from gongkai.core.workflow import Role

from . import forms as lf


def letters_panel(case: Case, roles: set[Role]) -> dict[str, Any]:
    """The letters with their deliveries, and the delivery forms for the office."""
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
    }
