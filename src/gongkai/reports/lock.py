"""The year lock: once an agency's report for a year is published, that year's figures
must not change silently (《政府信息公开条例》第五十条: the report is a public document).

A change to a case that would move a published figure (a receipt, a conclusion or a
reopening dated in the published year) is refused, unless the person making it gives a
reason (the services' ``amend_reason``); the change is then recorded as an
:class:`Amendment` that the agency's office acknowledges. The published report itself keeps
its figures. Cases announces such changes with
:data:`gongkai.cases.signals.figures_changing`; :func:`guard` receives it. The case page
asks which years are locked with :data:`gongkai.cases.signals.locked_years_asked`;
:func:`answer_locked_years` answers it (both connected in
:class:`gongkai.reports.apps.ReportsConfig`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.audit.services import audit_record
from gongkai.cases.services import CaseError

from .models import Amendment, AnnualReport, ReportScope, ReportStatus


class YearLocked(CaseError):
    """A change to a published year without a reason; the message says what to do."""


def published_years(agency_id: int) -> set[int]:
    """The years whose report of this agency is published (its cases are locked)."""
    return set(
        AnnualReport.objects.filter(
            agency_id=agency_id, scope=ReportScope.AGENCY, status=ReportStatus.PUBLISHED
        ).values_list("year", flat=True)
    )


def answer_locked_years(*, agency_id: int, **_signal: Any) -> set[int]:
    """The answer to :data:`gongkai.cases.signals.locked_years_asked`."""
    return published_years(agency_id)


def guard(
    *,
    case: Any,
    days: list[date | None],
    what: str,
    actor: Any,
    amend_reason: str = "",
    **_signal: Any,
) -> None:
    """Refuse (or, with ``amend_reason``, record as an amendment) a change dated on ``days``
    to ``case``."""
    years = {d.year for d in days if d is not None}
    if not years:
        return
    locked = sorted(years & published_years(case.agency_id))
    if not locked:
        return
    reason = amend_reason.strip()
    names = "、".join(f"{y}年" for y in locked)
    if not reason:
        raise YearLocked(
            f"{names}度报告已发布，该年度数据已锁定：“{what}”会改变已发布的统计数字。"
            "如确需更正，请填写“年报更正理由”后重新提交，更正将记入年报更正记录，"
            "由公开工作机构确认。"
        )
    for year in locked:
        amendment = Amendment.objects.create(
            agency_id=case.agency_id,
            year=year,
            case=case,
            what=f"{case.number}：{what}"[:200],
            reason=reason,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="report.amendment",
            target=amendment,
            agency=case.agency,
            message=f"更正已发布的{year}年度数据：{case.number}：{what}（理由：{reason}）",
        )
