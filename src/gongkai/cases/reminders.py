"""Daily deadline reminders (``gongkai remind``, run from cron).

The reply is due within 20 working days of receipt, extendable by at most 20 with the
approval of the head of the disclosure office, and the time a consulted party takes is not
counted (《政府信息公开条例》第三十三条); the clock itself is :func:`gongkai.core.deadlines.
reply_clock`. Each run:

1. refreshes the stored clock of every open case (:func:`case_refresh_clock`);
2. finds, for the day of the run, the cases due within ``GONGKAI_YELLOW_AT`` working days
   (yellow) or overdue (red), unanswered assignments (转办/协查) due soon or overdue,
   consultations past their 15-working-day deadline (第三十二条、第三十四条) and corrections
   whose reply-by date has passed (第三十条: suggest “逾期未补正”);
3. tells the responsible people — the registrars and heads of the case's agency, or the
   handlers of the assigned unit — with one e-mail per person listing their items, and an
   SMS through ``settings.GONGKAI_SMS_HOOK`` (a dotted path to ``send(phone, text)``) when
   one is configured.

Idempotent and safe to run concurrently: every (item, person, day) is claimed by inserting a
:class:`~gongkai.cases.models.Reminder` row inside one transaction; the unique
constraint makes a second or concurrent run skip what is claimed (on PostgreSQL the second
insert waits for the first transaction and then fails; SQLite serialises writers). Messages
go out only after the claim commits (``transaction.on_commit``); a person who could not be
reached at all has their rows released so that the next run tries again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.accounts.models import Membership
from gongkai.audit.services import audit_record
from gongkai.core.calendar import CalendarError, WorkingCalendar
from gongkai.core.deadlines import ClockError, ClockState, Colour, working_days_left
from gongkai.core.workflow import Role, Status
from gongkai.messaging import SmsHook, sms_hook
from gongkai.rules.selectors import working_calendar

from . import clock
from .models import Card, Case, Reminder, ReminderKind, ReminderLevel
from .selectors import IDENTITY_COLUMNS, OPEN_STATUSES
from .services import CaseError, case_lapse_fee, case_refresh_clock
from .signals import daily_run

log = logging.getLogger(__name__)

OFFICE = "office"  # the registrars and heads of the case's agency
UNIT = "unit"  # the handlers of the assigned unit
OFFICE_REMINDED = (Role.REGISTRAR, Role.HEAD)


# --- what to remind of ----------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One deadline to remind of, and who is to hear of it (``audience``)."""

    kind: ReminderKind
    level: ReminderLevel
    case: Case
    text: str
    due: date | None
    audience: tuple[str, int]  # (OFFICE, agency id) or (UNIT, unit id)
    ref: str = ""
    assignment: Any = None

    def key(self, user_id: int) -> tuple[str, int, str, int, str]:
        """The unique key of its :class:`Reminder` row for ``user_id`` (day aside)."""
        return (self.kind.value, self.case.pk, self.ref, user_id, self.level.value)


@dataclass
class Message:
    """Everything one person is told in one run."""

    user: Any
    items: list[Item] = field(default_factory=list)

    @property
    def red(self) -> list[Item]:
        return [i for i in self.items if i.level == ReminderLevel.RED]

    @property
    def yellow(self) -> list[Item]:
        return [i for i in self.items if i.level == ReminderLevel.YELLOW]


@dataclass
class RunResult:
    """What a run found and did; :meth:`summary` puts it in Chinese."""

    day: date
    dry_run: bool = False
    open_cases: int = 0
    refreshed: int = 0
    changed: int = 0
    unknown: int = 0
    found: Counter[str] = field(default_factory=Counter)  # "<kind>.<level>" -> items
    already: int = 0
    emails: int = 0
    sms: int = 0
    no_email: int = 0
    failed: int = 0
    messages: list[Message] = field(default_factory=list)  # new ones only
    calendar_warning: str | None = None
    fee_lapsed: list[str] = field(default_factory=list)  # case numbers ended as other_2
    daily: list[str] = field(default_factory=list)  # the lines of the daily_run receivers

    def summary(self) -> list[str]:
        """The Chinese summary lines printed by the command."""
        f = self.found
        lines = [
            f"期限提醒（{self.day}）" + ("：预演，未发送、未写入任何数据" if self.dry_run else ""),
            f"在办申请 {self.open_cases} 件；"
            + (
                "预演未刷新计时"
                if self.dry_run
                else f"已刷新计时 {self.refreshed} 件（期限有变化 {self.changed} 件）"
            )
            + (f"；无法计算期限 {self.unknown} 件" if self.unknown else ""),
            f"答复期限：黄牌 {f['case.yellow']} 件，红牌 {f['case.red']} 件",
            f"转办/协查未回复：临近期限 {f['assignment.yellow']} 项，"
            f"已超期 {f['assignment.red']} 项",
            f"征求意见逾期未回复 {f['consultation.red']} 项；补正期限已过 {f['correction.red']} 件",
        ]
        lines.append(self._sent_line())
        if self.fee_lapsed:
            lines.append(
                f"逾期未缴费终止处理 {len(self.fee_lapsed)} 件：" + "、".join(self.fee_lapsed)
            )
        lines += self.daily
        if self.calendar_warning:
            lines.append(f"注意：{self.calendar_warning}")
        return lines

    def _sent_line(self) -> str:
        skipped = f"跳过 {self.no_email} 人（无电子邮箱）"
        already = f"今日已提醒过的 {self.already} 项不再重复"
        if self.dry_run:
            return f"将通知 {len(self.messages)} 人；{skipped}；{already}"
        failed = f"；发送失败 {self.failed} 人（下次运行重试）" if self.failed else ""
        return f"已发送邮件 {self.emails} 封、短信 {self.sms} 条；{skipped}；{already}{failed}"


def _when(left: int | None, due: date | None) -> str:
    if left is None:
        return f"期限 {due}"
    if left > 0:
        return f"期限 {due}，还剩 {left} 个工作日"
    if left == 0:
        return f"期限 {due}，今天到期"
    return f"期限 {due}，已超期 {-left} 个工作日"


def case_items(case: Case, state: ClockState) -> list[Item]:
    """The case's own reply deadline (yellow/red card) or a lapsed correction (第三十条)."""
    office = (OFFICE, case.agency_id)
    reply_by = state.correction_reply_by
    if case.status == Status.AWAITING_CORRECTION and reply_by and state.today > reply_by:
        text = (
            f"{case.number}：补正期限 {reply_by} 已过，申请人尚未补正；"
            "无正当理由的，可按“逾期未补正”处理（第三十条）"
        )
        return [Item(ReminderKind.CORRECTION, ReminderLevel.RED, case, text, reply_by, office)]
    card, _ = clock.card_for(state)
    if card not in (Card.YELLOW, Card.RED):
        return []
    text = f"{case.number}（{case.agency.name}）：答复{_when(state.working_days_left, state.due)}"
    level = ReminderLevel(card.value)
    return [Item(ReminderKind.CASE, level, case, text, state.due, office)]


def assignment_items(case: Case, state: ClockState, cal: WorkingCalendar) -> list[Item]:
    """Unanswered assignments (转办/协查) due within the yellow threshold or overdue."""
    rows = {a.ref: a for a in case.assignments.all()}
    out = []
    for d in state.departments:
        a = rows.get(d.ref)
        if a is None or d.answered is not None or d.colour == Colour.GREEN:
            continue
        left = working_days_left(cal, state.today, d.due)
        text = (
            f"{case.number}：{a.get_kind_display()}至{a.unit.name}，"
            f"回复{_when(left, d.due)}，尚未回复办理意见"
        )
        level = ReminderLevel(d.colour.value)
        audience = (UNIT, a.unit_id)
        out.append(Item(ReminderKind.ASSIGNMENT, level, case, text, d.due, audience, d.ref, a))
    return out


def consultation_items(case: Case, state: ClockState) -> list[Item]:
    """Consultations unanswered after their 15 working days (第三十二条、第三十四条)."""
    office = (OFFICE, case.agency_id)
    out = []
    for c in state.consultations:
        if c.answered is None and state.today > c.due:
            text = (
                f"{case.number}：征求{c.name}意见的回复期限 {c.due} 已过，尚未收到回复；"
                "该期间不再扣除，请及时作出决定（第三十三条）"
            )
            kind, red = ReminderKind.CONSULTATION, ReminderLevel.RED
            out.append(Item(kind, red, case, text, c.due, office, c.ref))
    return out


def open_cases(day: date) -> QuerySet[Case]:
    """Open cases received by ``day``, without the encrypted identity columns."""
    return (
        Case.objects.filter(status__in=OPEN_STATUSES, received_on__lte=day)
        .select_related("agency")
        .defer(*IDENTITY_COLUMNS)
        .order_by("agency__path", "number")
    )


def collect_items(day: date, result: RunResult) -> list[Item]:
    """Every item to remind of on ``day``, from each open case's clock for that day."""
    cal = working_calendar()
    result.calendar_warning = cal.coverage_warning(day)
    items: list[Item] = []
    for case in open_cases(day).prefetch_related("events", "assignments__unit"):
        result.open_cases += 1
        try:
            state = clock.clock_for(case.events.all(), day, cal, settings.GONGKAI_YELLOW_AT)
            found = case_items(case, state)
            found += assignment_items(case, state, cal)
            found += consultation_items(case, state)
        except (ClockError, CalendarError):
            result.unknown += 1
            continue
        items += found
    result.found.update(f"{i.kind.value}.{i.level.value}" for i in items)
    return items


# --- who hears of it --------------------------------------------------------------------------


def _people(items: Iterable[Item]) -> dict[tuple[str, int], dict[int, Any]]:
    """Active users by audience: office staff of agencies, handlers of units (one query)."""
    office = {a for kind, a in (i.audience for i in items) if kind == OFFICE}
    units = {a for kind, a in (i.audience for i in items) if kind == UNIT}
    rows = Membership.objects.filter(
        Q(agency_id__in=office, role__in=OFFICE_REMINDED)
        | Q(agency_id__in=units, role=Role.HANDLER),
        user__is_active=True,
    ).select_related("user")
    out: dict[tuple[str, int], dict[int, Any]] = {}
    for m in rows:
        audience = (UNIT if m.role == Role.HANDLER else OFFICE, m.agency_id)
        out.setdefault(audience, {})[m.user_id] = m.user
    return out


def address(items: list[Item]) -> list[Message]:
    """One message per person, listing their items (red first, then by case number)."""
    people = _people(items)
    by_user: dict[int, Message] = {}
    for item in items:
        for pk, user in people.get(item.audience, {}).items():
            by_user.setdefault(pk, Message(user)).items.append(item)
    for m in by_user.values():
        m.items.sort(key=lambda i: (i.level != ReminderLevel.RED, i.case.number, i.ref))
    return sorted(by_user.values(), key=lambda m: m.user.username)


# --- the texts --------------------------------------------------------------------------------


def email_text(message: Message, day: date) -> tuple[str, str]:
    """Subject and body of one person's reminder e-mail."""
    red, yellow = message.red, message.yellow
    subject = f"【期限提醒】{day} 已超期 {len(red)} 项、临近期限 {len(yellow)} 项"
    lines = [f"{message.user}，您好：", "", f"截至 {day}，以下依申请公开事项需要您关注：", ""]
    for title, group in (("已超期", red), ("临近期限", yellow)):
        if group:
            lines.append(f"【{title}】")
            lines += [f"{n}. {i.text}" for n, i in enumerate(group, start=1)]
            lines.append("")
    lines += [
        "答复期限依《政府信息公开条例》第三十三条按工作日计算。",
        "请登录政府信息公开工作平台及时办理。",
        "",
        "（本邮件由系统自动发送，请勿直接回复。）",
    ]
    return subject, "\n".join(lines)


def sms_text(message: Message, day: date) -> str:
    """A short SMS without case details (the e-mail and the platform carry them)."""
    return (
        f"【政府信息公开】{message.user}：截至{day}，您有{len(message.red)}项已超期、"
        f"{len(message.yellow)}项临近期限的依申请公开事项，请登录平台及时办理。"
    )


def _reachable(user: Any, sms: SmsHook | None) -> bool:
    return bool(user.email) or bool(sms and user.phone)


# --- claim, then send -------------------------------------------------------------------------


def _claim_one(item: Item, user: Any, day: date) -> Reminder | None:
    """Insert the item's row for ``user``; None if a run already claimed it today."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                kind=item.kind,
                level=item.level,
                case=item.case,
                assignment=item.assignment,
                ref=item.ref,
                recipient=user,
                day=day,
                due_on=item.due,
            )
    except IntegrityError:
        return None


def _claim(
    messages: list[Message], day: date, sms: SmsHook | None, result: RunResult
) -> list[tuple[Message, list[Reminder]]]:
    """Claim each reachable person's items (call inside a transaction)."""
    claimed = []
    for m in messages:
        if not _reachable(m.user, sms):
            result.no_email += 1
            continue
        pairs = [(i, r) for i in m.items if (r := _claim_one(i, m.user, day)) is not None]
        result.already += len(m.items) - len(pairs)
        if pairs:
            result.no_email += int(not m.user.email)
            claimed.append((Message(m.user, [i for i, _ in pairs]), [r for _, r in pairs]))
    result.messages = [m for m, _ in claimed]
    return claimed


def _send_one(m: Message, day: date, sms: SmsHook | None, result: RunResult) -> bool:
    """E-mail and SMS one person; True if at least one of them went out."""
    sent = False
    if m.user.email:
        try:
            subject, body = email_text(m, day)
            mail.send_mail(subject, body, None, [m.user.email])
            result.emails += 1
            sent = True
        except Exception:
            log.exception("期限提醒邮件发送失败：%s", m.user.username)
    if sms and m.user.phone:
        try:
            sms(m.user.phone, sms_text(m, day))
            result.sms += 1
            sent = True
        except Exception:
            log.exception("期限提醒短信发送失败：%s", m.user.username)
    return sent


def _deliver(
    claimed: list[tuple[Message, list[Reminder]]],
    day: date,
    sms: SmsHook | None,
    result: RunResult,
) -> None:
    """Send the claimed messages (after commit); release the rows of those not reached."""
    delivered: list[Reminder] = []
    for m, rows in claimed:
        if _send_one(m, day, sms, result):
            delivered += rows
        else:
            result.failed += 1
            Reminder.objects.filter(pk__in=[r.pk for r in rows]).delete()
    if delivered:
        _audit(delivered, day, result)


def _audit(rows: list[Reminder], day: date, result: RunResult) -> None:
    audit_record(
        actor=None,
        action="reminders.sent",
        target=rows[0],
        message=(
            f"期限提醒（{day}）：{len(rows)} 项，发送邮件 {result.emails} 封、"
            f"短信 {result.sms} 条，涉及申请 {len({r.case_id for r in rows})} 件"
        ),
        data={
            "day": day.isoformat(),
            "items": len(rows),
            "emails": result.emails,
            "sms": result.sms,
            "no_email": result.no_email,
            "failed": result.failed,
        },
    )


def _unsent(messages: list[Message], day: date, sms: SmsHook | None, result: RunResult) -> None:
    """For a dry run: keep only what a real run would send now."""
    done = set(
        Reminder.objects.filter(day=day).values_list(
            "kind", "case_id", "ref", "recipient_id", "level"
        )
    )
    for m in messages:
        new = [i for i in m.items if i.key(m.user.pk) not in done]
        result.already += len(m.items) - len(new)
        if not new:
            continue
        result.no_email += int(not m.user.email)
        if _reachable(m.user, sms):
            result.messages.append(Message(m.user, new))


# --- the run ----------------------------------------------------------------------------------


def refresh_open_cases() -> tuple[int, int]:
    """Recompute the stored clock of every open case; (cases refreshed, cases changed)."""
    refreshed = changed = 0
    for case in list(Case.objects.filter(status__in=OPEN_STATUSES).only("pk")):
        changed += case_refresh_clock(case)
        refreshed += 1
    return refreshed, changed


def lapse_unpaid_fees() -> list[str]:
    """End the open cases whose fee was not paid within 20 working days of the applicant
    receiving the notice (《政府信息公开信息处理费管理办法》; annual report row other_2)."""
    done = []
    due = Case.objects.filter(
        status__in=OPEN_STATUSES,
        fee_notices__paid_on__isnull=True,
        fee_notices__received_on__isnull=False,
    ).distinct()
    for case in due:
        try:
            case_lapse_fee(actor=None, case=case)
        except CaseError:
            continue  # the payment period has not run out yet
        done.append(case.number)
    return done


def daily_work(day: date, *, dry_run: bool) -> list[str]:
    """Run the other apps' daily work (:data:`~gongkai.cases.signals.daily_run`); their
    summary lines. A receiver that fails is logged and named, and the run goes on."""
    lines: list[str] = []
    for receiver, answer in daily_run.send_robust(sender=None, day=day, dry_run=dry_run):
        if isinstance(answer, Exception):
            log.error("每日任务出错：%r", receiver, exc_info=answer)
            lines.append(f"注意：每日任务 {getattr(receiver, '__module__', '')} 出错（详见日志）")
        else:
            lines += list(answer or [])
    return lines


def run_reminders(day: date | None = None, *, dry_run: bool = False) -> RunResult:
    """One reminder run for ``day`` (default today); see the module docstring.

    The stored clocks are always refreshed for the real today; ``day`` only chooses the
    day the deadlines are judged on (testing, backfill). A dry run changes nothing.
    Call it outside any transaction: the messages go out when the claim commits, and the
    sent counts in the result are filled in then.
    """
    day = day or timezone.localdate()
    result = RunResult(day, dry_run)
    sms = sms_hook()  # a misconfigured hook fails before anything is claimed
    if not dry_run:
        result.fee_lapsed = lapse_unpaid_fees()
        result.refreshed, result.changed = refresh_open_cases()
    result.daily = daily_work(day, dry_run=dry_run)
    messages = address(collect_items(day, result))
    if dry_run:
        _unsent(messages, day, sms, result)
        return result
    with transaction.atomic():
        claimed = _claim(messages, day, sms, result)
        if claimed:
            transaction.on_commit(lambda: _deliver(claimed, day, sms, result))
    return result
