"""The records of 依申请公开, one module per kind of record: the case and its steps
(:mod:`.case`), its fee notices (:mod:`.fees`), the reminders sent about it (:mod:`.reminder`).

Import them from here (``gongkai.cases.models``); the modules are an arrangement, not an API.
"""

from .case import (
    ApplicantKind,
    Assignment,
    AssignmentKind,
    Attachment,
    AttachmentKind,
    Card,
    Case,
    CaseCounter,
    CaseEvent,
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    DeliveryWanted,
    EventKind,
    IdType,
    InfoForm,
    ReplyItem,
    SecrecyReview,
)
from .fees import FeeNotice
from .remedy import Remedy, RemedyKind, RemedyResult
from .reminder import Reminder, ReminderKind, ReminderLevel

__all__ = [
    "ApplicantKind",
    "Assignment",
    "AssignmentKind",
    "Attachment",
    "AttachmentKind",
    "Card",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "Consultation",
    "ConsultationAnswer",
    "ConsultationKind",
    "DeliveryWanted",
    "EventKind",
    "FeeNotice",
    "IdType",
    "InfoForm",
    "Remedy",
    "RemedyKind",
    "RemedyResult",
    "Reminder",
    "ReminderKind",
    "ReminderLevel",
    "ReplyItem",
    "SecrecyReview",
]
