"""The shared step of every case service: lock, authorise, transition, record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.audit.services import audit_record
from gongkai.core.deadlines import ClockError, ClockState
from gongkai.core.workflow import Action, Role, Status, TransitionError, transition
from gongkai.rules.selectors import working_calendar
from gongkai.security.uploads import UploadRejected, check_upload, sha256_of

from .. import clock
from ..access import case_roles, case_visibility
from ..models import Case, CaseEvent, EventKind
from ..selectors import NOT_VISIBLE
from ..signals import figures_changing


class CaseError(ValueError):
    """A refused change; the message (Chinese) says what is wrong."""


@dataclass
class Step:
    """A locked case, the actor, their roles on it and the day the step is dated."""

    case: Case
    actor: Any
    viewer: Viewer
    roles: set[Role]
    day: date
    ip: str | None
    #: The case's ``closed_on`` when the step began (a reopening moves a concluded case).
    closed_before: date | None = None
    #: The reason given for changing a year whose annual report is published ("" if none).
    amend_reason: str = ""


def today() -> date:
    return timezone.localdate()


def check_day(day: date | None, case: Case | None = None, *, what: str = "日期") -> date:
    """``day`` (default today) must not be in the future nor before the case was received."""
    now = today()
    day = day or now
    if day > now:
        raise CaseError(f"{what}（{day}）不能晚于今天（{now}）")
    if case is not None and day < case.received_on:
        raise CaseError(f"{what}（{day}）不能早于收到申请的日期（{case.received_on}）")
    return day


def load_in_scope(case: Case | int, actor: Any, *, lock: bool) -> tuple[Case, Viewer, set[Role]]:
    """The case (locked for update if ``lock``) if ``actor`` may see it, with their roles on it."""
    viewer = viewer_for(actor)
    pk = case.pk if isinstance(case, Case) else case
    qs = Case.objects.select_for_update(of=("self",)) if lock else Case.objects
    found = qs.select_related("agency").filter(case_visibility(viewer), pk=pk).first()
    if found is None:
        raise CaseError(NOT_VISIBLE)
    return found, viewer, case_roles(viewer, found)


def begin(
    case: Case | int,
    actor: Any,
    action: Action,
    *,
    day: date | None = None,
    ip: str | None = None,
    amend_reason: str = "",
) -> Step:
    """Lock the case and check that ``actor`` may take ``action`` now (call inside atomic).
    ``amend_reason``: why a year whose report is published may change (see :func:`year_lock`)."""
    locked, viewer, roles = load_in_scope(case, actor, lock=True)
    try:
        new_status = transition(Status(locked.status), action, roles)
    except TransitionError as exc:
        raise CaseError(str(exc)) from exc
    step = Step(
        locked, actor, viewer, roles, check_day(day, locked), ip, locked.closed_on, amend_reason
    )
    step.case.status = new_status.value
    return step


def begin_office(
    case: Case | int, actor: Any, *, what: str, day: date | None = None, ip: str | None = None
) -> Step:
    """Lock the case for a step that does not change its status (letters, deliveries); only
    the registrars and heads of the case's agency take it."""
    locked, viewer, roles = load_in_scope(case, actor, lock=True)
    if not roles & {Role.REGISTRAR, Role.HEAD}:
        raise CaseError(f"只有受理机关的登记员或公开工作机构负责人可以{what}")
    return Step(locked, actor, viewer, roles, check_day(day, locked), ip)


def begin_system(case: Case | int, action: Action, *, day: date) -> Step:
    """Lock the case for a step the platform takes on the office's behalf (``gongkai
    remind``); the transition is checked as for a registrar, the actor is recorded as none."""
    pk = case.pk if isinstance(case, Case) else case
    locked = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=pk)
    try:
        new_status = transition(Status(locked.status), action, {Role.REGISTRAR})
    except TransitionError as exc:
        raise CaseError(str(exc)) from exc
    locked.status = new_status.value
    return Step(locked, None, Viewer(None), {Role.REGISTRAR}, day, None, locked.closed_on)


def record(
    step: Step,
    kind: EventKind,
    message: str,
    *,
    ref: str = "",
    data: dict[str, Any] | None = None,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> CaseEvent:
    """Append the timeline event, recompute the clock, save the case and write the audit entry.

    The clock is recomputed with the new event first: a step the statutory clock rejects
    (say, extensions beyond 20 working days) raises :class:`CaseError` and nothing is saved.
    """
    case = step.case
    if kind in FIGURE_EVENTS:
        moved = [step.day, step.closed_before if kind is EventKind.REOPENED else None]
        year_lock(case, moved, message, step.actor, step.amend_reason)
    event = CaseEvent(
        case=case, kind=kind, day=step.day, ref=ref, data=data or {}, note=note, actor=step.actor
    )
    rows = [*case.events.all(), event]
    refresh_or_raise(case, rows)
    event.save()
    case.save(update_fields=["status", *clock.CLOCK_FIELDS, "updated_at", *fields])
    audit_record(
        actor=step.actor,
        action=f"case.{kind}",
        target=case,
        agency=case.agency,
        message=f"{case.number}：{message}",
        data={"status": case.status, "day": step.day.isoformat(), **(data or {})},
        ip=step.ip,
    )
    return event


#: Events that move a case in or out of the figures of annual-report table 三.
FIGURE_EVENTS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.REPLIED,
        EventKind.CORRECTION_LAPSED,
        EventKind.FEE_LAPSED,
        EventKind.WITHDRAWN,
        EventKind.REOPENED,
    }
)


def year_lock(
    case: Case, days: list[date | None], what: str, actor: Any, amend_reason: str = ""
) -> None:
    """Announce a change of the figures counted on ``days`` (:data:`figures_changing`); the
    annual reports refuse it for a published year unless ``amend_reason`` is given, and then
    record it as an amendment (《政府信息公开条例》第五十条: the report is a public document)."""
    figures_changing.send(
        sender=Case, case=case, days=days, what=what, actor=actor, amend_reason=amend_reason
    )


def refresh_or_raise(case: Case, rows: list[CaseEvent]) -> ClockState | None:
    """Recompute the stored clock; refuse the step if the clock rejects the history.

    A calendar that does not reach far enough is not a reason to refuse a step (the office
    must still record what happened); the case then shows why its deadline is unknown.
    """
    try:
        return clock.refresh(
            case, rows, today(), working_calendar(), settings.GONGKAI_YELLOW_AT, strict=True
        )
    except ClockError as exc:
        raise CaseError(str(exc)) from exc


def bump_counter(model: type[models.Model], **keys: Any) -> int:
    """Increment the ``last`` column of the counter row at ``keys`` and return it.

    The row is incremented with a single UPDATE, which holds its row lock until the
    surrounding transaction commits, so two concurrent callers never get the same number.
    """
    try:
        with transaction.atomic():
            model.objects.get_or_create(**keys)
    except IntegrityError:  # created meanwhile by a concurrent caller
        pass
    model.objects.filter(**keys).update(last=F("last") + 1)
    return model.objects.values_list("last", flat=True).get(**keys)


@dataclass(frozen=True, slots=True)
class AcceptedUpload:
    """An uploaded file that passed the checks: its extension, content type and SHA-256."""

    ext: str
    content_type: str
    sha256: str


def accepted_upload(upload: UploadedFile) -> AcceptedUpload:
    """Check an upload (:func:`gongkai.security.uploads.check_upload`); a refusal becomes a
    :class:`CaseError` with the same message."""
    try:
        ext, content_type = check_upload(upload)
    except UploadRejected as exc:
        raise CaseError(str(exc)) from exc
    return AcceptedUpload(ext, content_type, sha256_of(upload))


atomic = transaction.atomic
