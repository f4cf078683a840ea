"""Letters: their wording (:mod:`.wording`), making them (:mod:`.making`), the reply
letter shown before sign-off (:mod:`.preview`), delivering them (:mod:`.delivery`) and the
personal-information scan of a reply's attachments before it is released (:mod:`.release`).
Case steps ask for letters through :mod:`gongkai.cases.documents`;
:class:`LetterDocuments` answers them.

Every function that changes something runs inside the step's transaction with the case
locked, appends a timeline event and an audit entry, and raises
:class:`~gongkai.cases.services.CaseError` (Chinese) when refused, writing nothing.
"""

from __future__ import annotations

from typing import Any

from gongkai.cases.models import Case
from gongkai.cases.services.base import Step
from gongkai.core.doctypes import DocType
from gongkai.core.outcomes import Outcome

from ..notify import notify_applicant
from .delivery import (
    delivery_confirm,
    delivery_make,
    delivery_method_for,
    delivery_record,
    delivery_return,
    letter_send,
)
from .making import (
    Composed,
    base_values,
    letter_compose,
    letter_issue,
    letter_make,
    remedy_for,
    reply_letter_make,
    reply_values,
)
from .preview import reply_preview, reply_preview_docx, reply_previewable
from .release import (
    RELEASE_BASES,
    AttachmentScan,
    release_check,
    reply_attachment_scan,
    reply_attachments_basis,
    reply_release,
)
from .wording import Wording, template_for, template_save


class LetterDocuments:
    """The letters app's answer to what case steps ask for
    (:class:`gongkai.cases.documents.Documents`)."""

    def make(self, step: Step, doc_type: DocType, values: dict[str, str]) -> Any:
        return letter_make(step, doc_type, values)

    def make_reply(self, step: Step, outcome: Outcome) -> Any:
        return reply_letter_make(step, outcome)

    def send(self, step: Step, letter: Any, what: str) -> Any:
        return letter_send(step, letter, what)

    def deliver(
        self, step: Step, letter: Any, method: str | None, *, tracking_number: str = ""
    ) -> Any:
        method = method or delivery_method_for(step.case)
        release_check(step, letter)  # a reply's attachments: no personal data without a basis
        return delivery_make(step, letter, method, tracking_number=tracking_number)

    def notify(self, case: Case, what: str, *, letter: Any = None) -> list[str]:
        return notify_applicant(case, what, letter=letter)


__all__ = [
    "RELEASE_BASES",
    "AttachmentScan",
    "Composed",
    "LetterDocuments",
    "Wording",
    "base_values",
    "delivery_confirm",
    "delivery_make",
    "delivery_method_for",
    "delivery_record",
    "delivery_return",
    "letter_compose",
    "letter_issue",
    "letter_make",
    "letter_send",
    "release_check",
    "remedy_for",
    "reply_attachment_scan",
    "reply_attachments_basis",
    "reply_letter_make",
    "reply_preview",
    "reply_preview_docx",
    "reply_previewable",
    "reply_release",
    "reply_values",
    "template_for",
    "template_save",
]
