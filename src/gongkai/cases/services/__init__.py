"""Every change to a case goes through these functions (``<entity>_<verb>``).

Each runs in one transaction: it locks the case, checks the viewer's roles and the status
against the core transition table (:mod:`gongkai.core.workflow`), changes the rows, appends a
timeline event and an audit entry, and recomputes the stored clock. Errors are
:class:`CaseError` with a Chinese message; nothing is written when one is raised.
"""

from .base import CaseError
from .fees import (
    case_fee_notice,
    case_fee_paid,
    case_lapse_fee,
    fee_calculation,
    nth_request_this_month,
)
from .register import Applicant, case_register, case_view_identity, next_number
from .steps import (
    ItemInput,
    assignment_answer,
    attachment_add,
    attachment_keep,
    case_approve,
    case_archive,
    case_assign,
    case_consult,
    case_draft_reply,
    case_extend,
    case_lapse_correction,
    case_mark_replied,
    case_receive_correction,
    case_refresh_clock,
    case_reopen,
    case_request_correction,
    case_return_draft,
    case_secrecy_review,
    case_withdraw,
    consultation_answer,
)

__all__ = [
    "Applicant",
    "CaseError",
    "ItemInput",
    "assignment_answer",
    "attachment_add",
    "attachment_keep",
    "case_approve",
    "case_archive",
    "case_assign",
    "case_consult",
    "case_draft_reply",
    "case_extend",
    "case_fee_notice",
    "case_fee_paid",
    "case_lapse_correction",
    "case_lapse_fee",
    "case_mark_replied",
    "case_receive_correction",
    "case_refresh_clock",
    "case_register",
    "case_reopen",
    "case_request_correction",
    "case_return_draft",
    "case_secrecy_review",
    "case_view_identity",
    "case_withdraw",
    "consultation_answer",
    "fee_calculation",
    "next_number",
    "nth_request_this_month",
]
