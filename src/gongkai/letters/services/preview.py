"""The reply letter before it is signed: the text the 答复书 will have, for the reviewers.

The head of the disclosure office signs off a reply (审签) and the secrecy reviewer checks
what is to be released (《中华人民共和国政府信息公开条例》第十七条) while the case waits in
“待审签”; the letter itself is made only at sign-off. The preview composes it with the same
wording, values and code as the letter (:func:`~.making.letter_compose`), so what they read
is what will be sent. Two things are settled only at sign-off and say so: the 文号 (the
agency's next serial then) and the 成文日期 (the day of sign-off; the preview uses today).

A preview is not a letter: it gets no 文号, is not stored, and its .docx is marked
“草稿（预览）” on every page.
"""

from __future__ import annotations

from datetime import date

from gongkai.cases.models import Case
from gongkai.core.doctypes import DocType
from gongkai.core.docx_writer import render_docx
from gongkai.core.outcomes import Outcome
from gongkai.core.workflow import Status

from .making import Composed, letter_compose, reply_values

#: Where the 文号 goes until sign-off gives it.
PREVIEW_NUMBER = "（文号审签时编定）"
#: The mark on every page of a preview's .docx.
PREVIEW_MARK = "答复书草稿（预览）·未经审签，不得作为正式文书发出"


def reply_previewable(case: Case) -> bool:
    """Whether ``case`` has a drafted reply awaiting review and sign-off (待审签)."""
    return case.status == Status.DRAFTED and bool(case.outcome)


def reply_preview(case: Case, day: date, *, masked: bool = False) -> Composed | None:
    """The reply letter ``case``'s draft will become if signed off on ``day``; None when
    there is no draft awaiting sign-off. ``masked``: the applicant's name as the lists show
    it (on the case page, where the full name is shown only on request and audited).
    CaseError when the agency's wording cannot be filled."""
    if not reply_previewable(case):
        return None
    outcome = Outcome(case.outcome)
    overrides = {"申请人": case.applicant_name_masked} if masked else None
    return letter_compose(
        case,
        DocType.for_outcome(outcome),
        reply_values(case, outcome, day),
        number=PREVIEW_NUMBER,
        day=day,
        overrides=overrides,
    )


def reply_preview_docx(preview: Composed) -> bytes:
    """The preview as a .docx in the letter's layout, marked as a draft on every page."""
    return render_docx(preview.official(draft=PREVIEW_MARK))
