"""Every change to a case goes through these functions (``<entity>_<verb>``).

Each runs in one transaction: it locks the case, checks the viewer's roles and the status
against the core transition table (:mod:`gongkai.core.workflow`), changes the rows, appends a
timeline event and an audit entry, and recomputes the stored clock. Errors are
:class:`CaseError` with a Chinese message; nothing is written when one is raised.
"""

from .attachments import (
    attachment_add,
    attachment_keep,
)
from .base import CaseError
from .correction import (
    case_lapse_correction,
    case_receive_correction,
    case_request_correction,
)
from .endings import (
    case_archive,
    case_refresh_clock,
    case_reopen,
    case_withdraw,
)
from .fees import (
    case_fee_notice,
    case_fee_paid,
    case_lapse_fee,
    fee_calculation,
    nth_request_this_month,
)
from .handling import (
    assignment_answer,
    case_assign,
    case_consult,
    case_extend,
    consultation_answer,
)
from .register import Applicant, case_register, next_number
from .remedies import remedy_decide, remedy_record
from .reply import (
    ItemInput,
    case_approve,
    case_draft_reply,
    case_mark_replied,
    case_return_draft,
    case_secrecy_review,
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
    "case_withdraw",
    "consultation_answer",
    "fee_calculation",
    "next_number",
    "nth_request_this_month",
    "remedy_decide",
    "remedy_record",
]
