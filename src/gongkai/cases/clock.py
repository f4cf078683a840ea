"""From a case's stored events to the statutory reply clock of the rules core, and back to
the fields lists filter on (due date, card)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from gongkai.core import events as ev
from gongkai.core.calendar import CalendarError, WorkingCalendar
from gongkai.core.deadlines import ClockError, ClockState, reply_clock
from gongkai.core.docx_writer import format_date
from gongkai.core.workflow import Status

from .models import Card, Case, CaseEvent, EventKind

_CLOSING = {
    EventKind.CORRECTION_LAPSED: "申请人逾期未补正",
    EventKind.WITHDRAWN: "申请人撤回申请",
    EventKind.FEE_LAPSED: "申请人逾期未缴费",
}


def core_events(rows: Iterable[CaseEvent]) -> list[ev.Event]:
    """The clock's events. A reopening (after a reconsideration decision or judgment) starts
    a new round: what came before it no longer runs, and the decision's date for the new
    reply, when it set one, is the deadline (第三十五条-style fixed date)."""
    out: list[ev.Event] = []
    # Same-day events keep the order they were recorded in; an unsaved one is the newest.
    for r in sorted(rows, key=lambda r: (r.day, r.id if r.id is not None else 1 << 62)):
        kind, d = r.kind, r.data
        if kind == EventKind.REOPENED:
            out = [ev.Received(r.day)]
            if d.get("due"):
                out.append(ev.DeadlineSet(r.day, date.fromisoformat(d["due"]), "复议决定确定"))
        elif kind == EventKind.RECEIVED:
            out.append(ev.Received(r.day))
        elif kind == EventKind.CORRECTION_REQUESTED:
            reply_by = date.fromisoformat(d["reply_by"]) if d.get("reply_by") else None
            out.append(ev.CorrectionRequested(r.day, reply_by))
        elif kind == EventKind.CORRECTION_RECEIVED:
            out.append(ev.CorrectionReceived(r.day))
        elif kind in _CLOSING:
            out.append(ev.Closed(r.day, _CLOSING[EventKind(kind)]))
        elif kind == EventKind.ROUTED:
            out.append(ev.Routed(r.day, r.ref, d.get("unit", ""), int(d["working_days"])))
        elif kind == EventKind.DEPARTMENT_ANSWERED:
            out.append(ev.DepartmentAnswered(r.day, r.ref))
        elif kind == EventKind.CONSULTATION_SENT:
            out.append(
                ev.ConsultationSent(r.day, r.ref, ev.PartyKind(d["kind"]), d.get("party", ""))
            )
        elif kind == EventKind.CONSULTATION_ANSWERED:
            out.append(ev.ConsultationAnswered(r.day, r.ref))
        elif kind == EventKind.EXTENDED:
            out.append(ev.Extended(r.day, int(d["working_days"]), d.get("approved_by", "")))
        elif kind == EventKind.FEE_NOTICE_SENT:
            out.append(ev.FeeNoticeSent(r.day))
        elif kind == EventKind.FEE_NOTICE_RECEIVED:
            out.append(ev.FeeNoticeReceived(r.day))
        elif kind == EventKind.FEE_PAID:
            out.append(ev.FeePaid(r.day))
        elif kind == EventKind.REPLIED:
            out.append(ev.Replied(r.day))
    return out


def clock_for(
    rows: Iterable[CaseEvent], today: date, cal: WorkingCalendar, yellow_at: int
) -> ClockState:
    """The clock (raises ClockError or CalendarError with a Chinese message)."""
    return reply_clock(core_events(rows), today, cal, yellow_at=yellow_at)


def card_for(state: ClockState) -> tuple[Card, str]:
    """The list card and a short note for a clock state."""
    if state.stop is not None:
        return Card.DONE, "逾期答复" if state.late else ""
    if state.due is None:
        return Card.PAUSED, "、".join(state.pause_reasons)
    if state.paused:
        return Card.PAUSED, "、".join(state.pause_reasons)
    return Card(state.colour.value), ""


def refresh(
    case: Case,
    rows: Iterable[CaseEvent],
    today: date,
    cal: WorkingCalendar,
    yellow_at: int,
    *,
    strict: bool = False,
) -> ClockState | None:
    """Recompute and set the stored clock fields of ``case`` (not saved).

    Returns the state, or None with the reason in ``clock_note`` when the clock cannot be
    computed. ``strict``: a history the clock rejects (not a short calendar) raises
    :class:`ClockError` instead.
    """
    try:
        state = clock_for(rows, today, cal, yellow_at)
    except (ClockError, CalendarError) as exc:
        if strict and not isinstance(exc, CalendarError):
            raise
        case.card, case.clock_note, case.clock_as_of = Card.UNKNOWN, str(exc)[:200], today
        case.due_provisional = False
        return None
    case.due_on, case.due_provisional = state.due, state.provisional
    case.card, case.clock_note = card_for(state)
    case.clock_as_of = today
    return state


CLOCK_FIELDS = ["due_on", "due_provisional", "card", "clock_note", "clock_as_of"]


PROVISIONAL_LABEL = "暂定"


def due_wording(day: date, provisional: bool) -> str:
    """A deadline as a letter may state it (《政府信息公开条例》第三十三条).

    A date counted over days the official calendar does not cover yet is not certain: the
    State Council's notice for that year may move it (调休). The letter then gives the date
    marked 暂定 and says which rule decides, so it states nothing false and still tells the
    applicant when to expect the answer.
    """
    text = format_date(day)
    if not provisional:
        return text
    return (
        f"{text}（{PROVISIONAL_LABEL}：该日期按周末和法定节假日推算，"
        f"以依照国务院公布的{day.year}年节假日安排计算的期限为准）"
    )


@dataclass(frozen=True, slots=True)
class CorrectionState:
    """Where the correction (补正, 《政府信息公开条例》第三十条) of a case stands, for the case
    page: whether the office may still send the one notice, and once sent, whether the
    applicant answered.

    ``stage``: ``"may_request"`` — no notice yet and the case just registered, the only status
    a notice can go out from (the notice is due within 7 working days of receipt,
    ``notice_due``); ``"none"`` — no notice, and none can be sent any more; ``"waiting"`` —
    the notice went out on ``requested_on``, the applicant has until ``reply_by``;
    ``"received"`` — the corrected application came in on ``received_on`` and the reply
    period runs afresh from it (第三十条), so the correction deadline is spent; ``"lapsed"`` —
    recorded as not corrected in time on ``ended_on`` (视为放弃申请); ``"ended"`` — the case
    ended otherwise (e.g. withdrawn) on ``ended_on`` while the correction was awaited.
    """

    stage: str
    notice_due: date | None = None
    requested_on: date | None = None
    reply_by: date | None = None
    received_on: date | None = None
    ended_on: date | None = None

    @property
    def shows_deadline(self) -> bool:
        """Whether a correction deadline still runs (the office's or the applicant's)."""
        return self.stage in ("may_request", "waiting")


def correction_state(
    status: str, rows: Iterable[CaseEvent], notice_due: date | None
) -> CorrectionState:
    """The correction of a case in ``status`` from its events (see :class:`CorrectionState`).

    As for the reply clock (:func:`core_events`), a reopening after a reconsideration
    decision or a judgment starts a new round, in which no correction notice can be sent.
    ``notice_due``: the office's deadline for the notice (the clock's
    ``correction_notice_due``), shown only while a notice may still go out.
    """
    requested = received = ended = None
    for r in sorted(rows, key=lambda r: (r.day, r.id if r.id is not None else 1 << 62)):
        if r.kind == EventKind.REOPENED:
            return CorrectionState("none")
        if r.kind == EventKind.CORRECTION_REQUESTED and requested is None:
            requested = r  # one notice only (第三十条); a repeated one is warned of elsewhere
        elif r.kind == EventKind.CORRECTION_RECEIVED and requested is not None:
            received = r
        elif r.kind in _CLOSING and requested is not None and received is None:
            ended = r
    if requested is None:
        if status == Status.REGISTERED:
            return CorrectionState("may_request", notice_due=notice_due)
        return CorrectionState("none")
    reply_by = requested.data.get("reply_by")
    common = {
        "requested_on": requested.day,
        "reply_by": date.fromisoformat(reply_by) if reply_by else None,
    }
    if received is not None:
        return CorrectionState("received", received_on=received.day, **common)
    if ended is not None:
        stage = "lapsed" if ended.kind == EventKind.CORRECTION_LAPSED else "ended"
        return CorrectionState(stage, ended_on=ended.day, **common)
    if status == Status.AWAITING_CORRECTION:
        return CorrectionState("waiting", **common)
    return CorrectionState("ended", **common)
