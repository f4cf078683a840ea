"""The reply clock of a disclosure application, as a pure function of its events and today.

Rules, all counted in working days from the day after the event (:mod:`.calendar`):

- Receipt (《政府信息公开条例》第三十一条): the day depends on the channel — see
  :func:`.receipt.receipt_date`; events are in :mod:`.events`.
- Reply within 20 working days of receipt (第三十三条第二款).
- Correction (第三十条): the notice is due within 7 working days of receipt, once; the
  reply clock starts afresh on the day the corrected application is received. While the
  applicant has not answered, nothing runs against the agency.
- Consultation of a third party (第三十二条) or of agencies that made the information jointly
  (第三十四条): the consulted party has 15 working days; the time spent is not counted
  (第三十三条第三款). A consultation left unanswered stops pausing the clock on its own
  deadline (the third party's silence leaves the decision to the agency; an agency's
  silence counts as consent). Overlapping pauses count once.
- Extension (第三十三条第二款): at most 20 working days in all, only with the approval of the
  head of the disclosure office recorded.
- Large or frequent requests (第三十五条): the agency may set a later reply date itself.
- Fees (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号): the applicant pays within 20
  working days counted from the day after receiving the fee notice; the time until payment
  is not counted in the reply period; unpaid in time, processing stops (report row
  ``other_2``).

:func:`reply_clock` turns the history into the current due date, working days left, whether
the clock is paused and why, and the card colour; plus the correction-notice deadline, the
consulted parties' deadlines and the deadlines the office set for departments (转办/协查).

``ClockState.provisional`` says the due date was counted over days past the official calendar
(no State Council notice for that year yet, :mod:`.calendar`): it is shown as 暂定 and
recomputed when the notice is entered. A date the agency fixed itself (第三十五条, or a
reconsideration decision) is never provisional.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .calendar import WorkingCalendar
from .events import (
    Closed,
    ConsultationAnswered,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    DeadlineSet,
    DepartmentAnswered,
    Event,
    Extended,
    FeeNoticeReceived,
    FeeNoticeSent,
    FeePaid,
    Received,
    Replied,
    Routed,
)

REPLY_WORKING_DAYS = 20
CORRECTION_NOTICE_WORKING_DAYS = 7
CONSULTATION_WORKING_DAYS = 15
MAX_EXTENSION_WORKING_DAYS = 20
FEE_PAYMENT_WORKING_DAYS = 20
DEFAULT_YELLOW_AT = 5


class ClockError(ValueError):
    """An event history the clock cannot accept (message in Chinese, naming the event)."""


# --- the state ----------------------------------------------------------------------------------


class Colour(StrEnum):
    """The deadline card: green, yellow (few working days left) or red (overdue)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "绿", "yellow": "黄", "red": "红"}[self.value]


class Stop(StrEnum):
    REPLIED = "replied"
    CLOSED = "closed"
    FEE_UNPAID = "fee_unpaid"


@dataclass(frozen=True, slots=True)
class PartyDeadline:
    """A consulted party's or a department's deadline."""

    ref: str
    name: str
    sent: date
    due: date
    answered: date | None
    colour: Colour


@dataclass(frozen=True, slots=True)
class ClockState:
    """Where a case stands on ``today``."""

    today: date
    received: date
    clock_start: date | None
    due: date | None
    working_days_left: int | None
    colour: Colour
    paused: bool = False
    pause_reasons: tuple[str, ...] = ()
    paused_working_days: int = 0
    extension_working_days: int = 0
    correction_notice_due: date | None = None
    correction_reply_by: date | None = None
    fee_pay_by: date | None = None
    consultations: tuple[PartyDeadline, ...] = ()
    departments: tuple[PartyDeadline, ...] = ()
    stop: Stop | None = None
    stopped_on: date | None = None
    late: bool | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    provisional: bool = False  # ``due`` counted over days past the official calendar


def card_colour(working_days_left: int, yellow_at: int = DEFAULT_YELLOW_AT) -> Colour:
    """Red when overdue (fewer than 0 left), yellow when ``yellow_at`` or fewer are left."""
    if working_days_left < 0:
        return Colour.RED
    if working_days_left <= yellow_at:
        return Colour.YELLOW
    return Colour.GREEN


def working_days_left(cal: WorkingCalendar, today: date, due: date) -> int:
    """Working days left until ``due``: 0 on the due day, negative once it has passed."""
    if today <= due:
        return cal.working_days_between(today, due)
    return -max(1, cal.working_days_between(due, today))


# --- the clock ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Interval:
    start: date
    end: date | None  # None: still open on today
    reason: str


def reply_clock(
    events: Sequence[Event],
    today: date,
    calendar: WorkingCalendar,
    *,
    yellow_at: int = DEFAULT_YELLOW_AT,
) -> ClockState:
    """The reply clock of one application on ``today`` (see the module docstring)."""
    # Stable sort: same-day events keep their order. Events after ``today`` have not
    # happened yet as far as this view is concerned (the clock can be replayed on any day).
    received = _received(events)
    if received > today:
        raise ClockError(f"收到申请的日期（{received}）晚于今天（{today}），尚无期限可算")
    history = [e for e in sorted(events, key=lambda event: event.day) if e.day <= today]
    for e in history:
        if e.day < received:
            raise ClockError(f"事件“{_name(e)}”的日期 {e.day} 早于收到申请日期 {received}")
    warnings: list[str] = []
    notice_due = calendar.add_working_days(received, CORRECTION_NOTICE_WORKING_DAYS)
    start, correction = _correction(history, received, notice_due, today, warnings)
    consultations = _consultations(history, calendar, today, yellow_at)
    departments = _departments(history, calendar, today, yellow_at)
    fee_pay_by, fee_interval, fee_lapsed = _fees(history, calendar, today)
    stop, stopped_on = _stop(history, fee_lapsed, fee_pay_by, calendar)
    common = {
        "today": today,
        "received": received,
        "correction_notice_due": notice_due,
        "correction_reply_by": correction.reply_by if correction else None,
        "fee_pay_by": fee_pay_by,
        "consultations": consultations,
        "departments": departments,
    }
    if start is None:  # waiting for the corrected application: nothing runs against us
        return ClockState(
            **common,
            clock_start=None,
            due=None,
            working_days_left=None,
            colour=Colour.GREEN,
            paused=True,
            pause_reasons=("等待申请人补正",),
            stop=stop,
            stopped_on=stopped_on,
            warnings=tuple(warnings),
        )
    pauses = [
        _Interval(c.sent, c.answered or (c.due if today > c.due else None), f"征求{c.name}意见")
        for c in consultations
    ]
    if fee_interval is not None:
        pauses.append(fee_interval)
    end_of_clock = stopped_on or today
    paused_days, open_reasons = _paused(pauses, start, end_of_clock, calendar)
    extension = _extension(history, start, paused_days, calendar, warnings)
    due = calendar.add_working_days(start, REPLY_WORKING_DAYS + extension + paused_days)
    provisional = calendar.is_provisional(due)
    set_due = [e for e in history if isinstance(e, DeadlineSet)]
    if set_due:
        chosen = set_due[-1]
        if chosen.due < due:
            note = "（法定期限为暂定）" if provisional else ""
            warnings.append(f"第三十五条确定的答复期限 {chosen.due} 早于法定期限 {due}{note}")
        due, provisional = chosen.due, False
    late = stopped_on > due if stop is Stop.REPLIED and stopped_on else None
    if stop is not None:
        left = None
        colour = Colour.RED if late else Colour.GREEN
    else:
        left = working_days_left(calendar, today, due)
        colour = card_colour(left, yellow_at)
    return ClockState(
        **common,
        clock_start=start,
        due=due,
        working_days_left=left,
        colour=colour,
        paused=bool(open_reasons) and stop is None,
        pause_reasons=tuple(open_reasons) if stop is None else (),
        paused_working_days=paused_days,
        extension_working_days=extension,
        stop=stop,
        stopped_on=stopped_on,
        late=late,
        warnings=tuple(warnings),
        provisional=provisional,
    )


def _name(event: Event) -> str:
    return _EVENT_NAMES[type(event)]


_EVENT_NAMES: dict[type, str] = {
    Received: "收到申请",
    CorrectionRequested: "发出补正告知",
    CorrectionReceived: "收到补正后的申请",
    ConsultationSent: "发出征求意见函",
    ConsultationAnswered: "收到征求意见回复",
    Extended: "延期答复",
    DeadlineSet: "确定答复期限（第三十五条）",
    FeeNoticeSent: "发出收费通知",
    FeeNoticeReceived: "申请人收到收费通知",
    FeePaid: "申请人缴费",
    Routed: "转办/协查",
    DepartmentAnswered: "承办部门回复",
    Replied: "答复",
    Closed: "办结",
}


def _received(history: Sequence[Event]) -> date:
    got = [e for e in history if isinstance(e, Received)]
    if not got:
        raise ClockError("事件记录中没有“收到申请”，无法计算答复期限")
    if len(got) > 1:
        raise ClockError(f"事件记录中有 {len(got)} 个“收到申请”，只能有一个")
    return got[0].day


def _correction(
    history: Sequence[Event],
    received: date,
    notice_due: date,
    today: date,
    warnings: list[str],
) -> tuple[date | None, CorrectionRequested | None]:
    """Where the reply clock starts (None while waiting for the correction) (第三十条)."""
    requests = [e for e in history if isinstance(e, CorrectionRequested)]
    answers = [e for e in history if isinstance(e, CorrectionReceived)]
    if not requests:
        if answers:
            raise ClockError(f"{answers[0].day} 收到补正后的申请，但没有发出补正告知的记录")
        return received, None
    first = requests[0]
    if len(requests) > 1:
        warnings.append("补正告知应当一次性发出（第三十条），记录中有多次补正告知")
    if first.day > notice_due:
        warnings.append(
            f"补正告知于 {first.day} 发出，晚于收到申请后 7 个工作日（{notice_due}）（第三十条）"
        )
    if not answers:
        if first.reply_by is not None and today > first.reply_by:
            warnings.append(
                f"申请人未在补正期限（{first.reply_by}）内补正；无正当理由的，视为放弃申请"
            )
        return None, first
    if answers[-1].day < first.day:
        raise ClockError(f"收到补正后的申请（{answers[-1].day}）早于发出补正告知（{first.day}）")
    return answers[-1].day, first


def _party(
    ref: str,
    name: str,
    sent: date,
    due: date,
    answered: date | None,
    today: date,
    yellow_at: int,
    cal: WorkingCalendar,
) -> PartyDeadline:
    if answered is not None:
        colour = Colour.RED if answered > due else Colour.GREEN
    else:
        colour = card_colour(working_days_left(cal, today, due), yellow_at)
    return PartyDeadline(ref, name, sent, due, answered, colour)


def _consultations(
    history: Sequence[Event], cal: WorkingCalendar, today: date, yellow_at: int
) -> tuple[PartyDeadline, ...]:
    answered = {e.ref: e.day for e in history if isinstance(e, ConsultationAnswered)}
    sent = [e for e in history if isinstance(e, ConsultationSent)]
    unknown = set(answered) - {e.ref for e in sent}
    if unknown:
        raise ClockError(f"收到征求意见回复（编号 {min(unknown)}），但没有发出该征求意见函的记录")
    out = []
    for e in sent:
        due = cal.add_working_days(e.day, CONSULTATION_WORKING_DAYS)
        name = e.party or e.kind.label
        out.append(_party(e.ref, name, e.day, due, answered.get(e.ref), today, yellow_at, cal))
    return tuple(out)


def _departments(
    history: Sequence[Event], cal: WorkingCalendar, today: date, yellow_at: int
) -> tuple[PartyDeadline, ...]:
    answered = {e.ref: e.day for e in history if isinstance(e, DepartmentAnswered)}
    out = []
    for e in history:
        if isinstance(e, Routed):
            if e.working_days < 1:
                raise ClockError(f"转办给{e.department}的办理时限必须至少 1 个工作日")
            due = cal.add_working_days(e.day, e.working_days)
            out.append(
                _party(e.ref, e.department, e.day, due, answered.get(e.ref), today, yellow_at, cal)
            )
    return tuple(out)


def _fees(
    history: Sequence[Event], cal: WorkingCalendar, today: date
) -> tuple[date | None, _Interval | None, bool]:
    """The payment deadline, the pause from notice to payment, and whether it lapsed."""
    sent = next((e for e in history if isinstance(e, FeeNoticeSent)), None)
    got = next((e for e in history if isinstance(e, FeeNoticeReceived)), None)
    paid = next((e for e in history if isinstance(e, FeePaid)), None)
    if sent is None:
        if got or paid:
            raise ClockError("记录了收到或缴纳费用，但没有发出收费通知的记录")
        return None, None, False
    pay_by = cal.add_working_days(got.day, FEE_PAYMENT_WORKING_DAYS) if got else None
    lapsed = paid is None and pay_by is not None and today > pay_by
    end = paid.day if paid else (pay_by if lapsed else None)
    return pay_by, _Interval(sent.day, end, "等待申请人缴纳信息处理费"), lapsed


def _stop(
    history: Sequence[Event], fee_lapsed: bool, pay_by: date | None, cal: WorkingCalendar
) -> tuple[Stop | None, date | None]:
    for e in history:
        if isinstance(e, Replied):
            return Stop.REPLIED, e.day
        if isinstance(e, Closed):
            return Stop.CLOSED, e.day
    if fee_lapsed and pay_by is not None:
        return Stop.FEE_UNPAID, cal.next_working_day(pay_by)
    return None, None


def _extension(
    history: Sequence[Event],
    start: date,
    paused_days: int,
    cal: WorkingCalendar,
    warnings: list[str],
) -> int:
    """Working days of extension granted, checked (第三十三条第二款); late decisions flagged."""
    total = 0
    for e in history:
        if not isinstance(e, Extended):
            continue
        if not e.approved_by.strip():
            raise ClockError(
                f"{e.day} 的延期答复没有记录政府信息公开工作机构负责人的同意（第三十三条）"
            )
        if e.working_days < 1:
            raise ClockError(f"{e.day} 的延期答复天数必须至少 1 个工作日")
        before = cal.add_working_days(start, REPLY_WORKING_DAYS + total + paused_days)
        if e.day > before:
            warnings.append(
                f"延期决定（{e.day}）晚于当时的答复期限（{before}），延期应在期限届满前作出"
            )
        total += e.working_days
    if total > MAX_EXTENSION_WORKING_DAYS:
        raise ClockError(
            f"延期合计 {total} 个工作日，"
            f"超过第三十三条规定的最长 {MAX_EXTENSION_WORKING_DAYS} 个工作日"
        )
    return total


def _paused(
    pauses: Sequence[_Interval], start: date, until: date, cal: WorkingCalendar
) -> tuple[int, list[str]]:
    """Working days inside the union of the pauses, after ``start`` up to ``until``.

    A pause covers the working days after its first day up to and including its last; an
    open pause runs to ``until`` (today, or the day the case stopped).
    """
    spans = []
    open_reasons = []
    for pause in pauses:
        end = pause.end
        if end is None:
            open_reasons.append(pause.reason)
            end = until
        lo, hi = max(pause.start, start), min(end, until)
        if hi > lo:
            spans.append((lo, hi))
    total = 0
    merged: tuple[date, date] | None = None
    for lo, hi in sorted(spans):
        if merged is not None and lo <= merged[1]:  # overlapping pauses count once
            merged = (merged[0], max(merged[1], hi))
            continue
        if merged is not None:
            total += cal.working_days_between(*merged)
        merged = (lo, hi)
    if merged is not None:
        total += cal.working_days_between(*merged)
    return total, open_reasons
