"""Cases, their parts and agencies as the plain dictionaries the API schemas describe.

Rows read only columns that :func:`gongkai.cases.selectors.case_list` loads (never the
encrypted identity columns), so a list costs the same number of queries whatever its length.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.accounts.scope import Viewer
from gongkai.agencies.models import Agency
from gongkai.cases.access import case_roles
from gongkai.cases.models import (
    Assignment,
    Card,
    Case,
    CaseEvent,
    Consultation,
    ReplyItem,
    SecrecyReview,
)
from gongkai.cases.selectors import case_actions, row_clock
from gongkai.core.calendar import WorkingCalendar
from gongkai.core.workflow import Role

SHORT_TEXT = 80


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def person_name(user: Any) -> str:
    """How the timeline names a staff member ("" when nobody)."""
    return str(user) if user is not None else ""


def agency_ref(agency: Agency) -> dict[str, Any]:
    return {"id": agency.pk, "name": agency.name}


def case_row(case: Case, cal: WorkingCalendar, today: date, *, full_text: bool = False) -> dict:
    """A case as a list row; the card and days left are computed for ``today``."""
    card, left = row_clock(case, cal, today)
    return {
        "id": case.pk,
        "number": case.number,
        "agency": agency_ref(case.agency),
        "status": case.status,
        "status_label": case.get_status_display(),
        "channel": case.channel,
        "channel_label": case.get_channel_display(),
        "received_on": case.received_on,
        "applicant_kind": case.applicant_kind,
        "applicant_kind_label": case.get_applicant_kind_display(),
        "applicant": case.applicant_name_masked,
        "request_text": case.request_text if full_text else shorten(case.request_text),
        "due_on": case.due_on,
        "due_provisional": case.due_provisional,
        "working_days_left": left,
        "card": str(card),
        "card_label": Card(card).label,
    }


def case_detail(case: Case, viewer: Viewer, cal: WorkingCalendar, today: date) -> dict:
    """Everything the case page shows, for a case loaded by ``selectors.case_detail``."""
    roles = case_roles(viewer, case, {a.unit_id for a in case.assignments.all()})
    return {
        **case_row(case, cal, today, full_text=True),
        "identity": _identity(case),
        "form_wanted": case.form_wanted,
        "form_wanted_label": case.get_form_wanted_display(),
        "delivery_wanted": case.delivery_wanted,
        "delivery_wanted_label": case.get_delivery_wanted_display(),
        "clock_note": case.clock_note,
        "outcome": case.outcome,
        "outcome_label": case.get_outcome_display(),
        "reply_summary": case.reply_summary,
        "replied_on": case.replied_on,
        "closed_on": case.closed_on,
        "registered_by": person_name(case.registered_by),
        "my_roles": [r.value for r in Role if r in roles],
        "allowed_actions": [
            {"action": a.value, "label": a.label} for a in case_actions(case, roles)
        ],
        "assignments": [_assignment(a) for a in case.assignments.all()],
        "consultations": [_consultation(c) for c in case.consultations.all()],
        "secrecy_reviews": [_review(r) for r in case.secrecy_reviews.all()],
        "reply_items": [_item(i) for i in case.reply_items.all()],
        "timeline": [_event(e) for e in case.events.all()],
    }


def _identity(case: Case) -> dict[str, str]:
    """The masked copies only: the encrypted columns are never read here."""
    return {
        "name": case.applicant_name_masked,
        "id_type": case.id_type,
        "id_type_label": case.get_id_type_display(),
        "id_number": case.id_number_masked,
        "phone": case.phone_masked,
    }


def _assignment(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "ref": a.ref,
        "unit": agency_ref(a.unit),
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "sent_on": a.sent_on,
        "working_days": a.working_days,
        "due_on": a.due_on,
        "instructions": a.instructions,
        "answered_on": a.answered_on,
        "opinion": a.opinion,
        "answered_by": person_name(a.answered_by),
    }


def _consultation(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "ref": c.ref,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "party": c.party,
        "sent_on": c.sent_on,
        "due_on": c.due_on,
        "answered_on": c.answered_on,
        "answer": c.answer,
        "answer_label": c.get_answer_display(),
        "answer_note": c.answer_note,
    }


def _review(r: SecrecyReview) -> dict[str, Any]:
    return {"day": r.day, "passed": r.passed, "note": r.note, "reviewer": person_name(r.reviewer)}


def _item(i: ReplyItem) -> dict[str, Any]:
    return {
        "position": i.position,
        "description": i.description,
        "outcome": i.outcome,
        "outcome_label": i.get_outcome_display(),
        "explanation": i.explanation,
    }


def _event(e: CaseEvent) -> dict[str, Any]:
    return {
        "day": e.day,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "note": e.note,
        "actor": person_name(e.actor),
        "ref": e.ref,
        "at": e.at,
    }


def unit(a: Agency) -> dict[str, Any]:
    return {"id": a.pk, "name": a.name, "code": a.code, "kind": a.kind, "parent_id": a.parent_id}


def agency_with_units(a: Agency, roles: frozenset[Role], below: list[Agency]) -> dict[str, Any]:
    """An agency the requester belongs to, with their roles there and the agencies below it."""
    return {
        **unit(a),
        "kind_label": a.get_kind_display(),
        "handles_applications": a.handles_applications,
        "roles": [r.value for r in Role if r in roles],
        "units": [unit(u) for u in below],
    }
