"""What happens to a disclosure application, as dated events (the input of the reply clock).

Each event records one step the statute gives a time effect (《政府信息公开条例》第三十条、
第三十二条至第三十五条; 国办函〔2020〕109号): receipt, the correction notice and the corrected
application, consultations, extensions, a deadline set under 第三十五条, the fee notice and
payment, routing to departments, the reply or another closing. :func:`..deadlines.reply_clock`
reads a history of them; the case platform stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Received:
    day: date


@dataclass(frozen=True, slots=True)
class CorrectionRequested:
    """The correction notice went out; ``reply_by``: the period given to the applicant."""

    day: date
    reply_by: date | None = None


@dataclass(frozen=True, slots=True)
class CorrectionReceived:
    day: date


class PartyKind(StrEnum):
    THIRD_PARTY = "third_party"  # 第三十二条
    AGENCY = "agency"  # 第三十四条

    @property
    def label(self) -> str:
        return "第三方" if self is PartyKind.THIRD_PARTY else "共同制作机关"


@dataclass(frozen=True, slots=True)
class ConsultationSent:
    day: date
    ref: str
    kind: PartyKind = PartyKind.THIRD_PARTY
    party: str = ""


@dataclass(frozen=True, slots=True)
class ConsultationAnswered:
    day: date
    ref: str


@dataclass(frozen=True, slots=True)
class Extended:
    """An extension of ``working_days``, approved by the head of the disclosure office."""

    day: date
    working_days: int
    approved_by: str


@dataclass(frozen=True, slots=True)
class DeadlineSet:
    """A later reply date set by the agency for a large or frequent request (第三十五条)."""

    day: date
    due: date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class FeeNoticeSent:
    day: date


@dataclass(frozen=True, slots=True)
class FeeNoticeReceived:
    """The day the applicant received the fee notice (the payment period counts from it)."""

    day: date


@dataclass(frozen=True, slots=True)
class FeePaid:
    day: date


@dataclass(frozen=True, slots=True)
class Routed:
    """The office sent the request to a department (转办/协查) with a reply period."""

    day: date
    ref: str
    department: str
    working_days: int


@dataclass(frozen=True, slots=True)
class DepartmentAnswered:
    day: date
    ref: str


@dataclass(frozen=True, slots=True)
class Replied:
    day: date


@dataclass(frozen=True, slots=True)
class Closed:
    """Closed without a reply on the merits (withdrawn, abandoned, …); ``reason`` says why."""

    day: date
    reason: str


Event = (
    Received
    | CorrectionRequested
    | CorrectionReceived
    | ConsultationSent
    | ConsultationAnswered
    | Extended
    | DeadlineSet
    | FeeNoticeSent
    | FeeNoticeReceived
    | FeePaid
    | Routed
    | DepartmentAnswered
    | Replied
    | Closed
)
