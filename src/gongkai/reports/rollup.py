"""The roll-up a government office sees for a year: which departments and subordinate
governments have submitted their reports, which are late (《政府信息公开条例》第四十九条),
which have check findings or unacknowledged amendments, and its area-wide report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from gongkai.agencies.models import Agency

from . import selectors as sel
from .models import Amendment, AnnualReport, ReportScope, ReportStatus

WAITING = "未提交"


@dataclass(frozen=True)
class MemberStatus:
    agency: Agency
    report: AnnualReport | None
    due: date
    late: bool
    open_amendments: int

    @property
    def status(self) -> str:
        return self.report.get_status_display() if self.report else WAITING

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.ACCEPTED,
            ReportStatus.PUBLISHED,
        )

    def as_json(self) -> dict[str, object]:
        r = self.report
        return {
            "agency": self.agency.code,
            "name": self.agency.name,
            "status": r.status if r else "none",
            "status_label": self.status,
            "due": self.due.isoformat(),
            "late": self.late,
            "errors": r.errors if r else None,
            "warnings": r.warnings if r else None,
            "submitted_at": r.submitted_at.isoformat() if r and r.submitted_at else None,
            "published_at": r.published_at.isoformat() if r and r.published_at else None,
            "open_amendments": self.open_amendments,
        }


@dataclass(frozen=True)
class Rollup:
    government: Agency
    year: int
    members: list[MemberStatus]  # the government itself first, then its members
    area: AnnualReport | None

    @property
    def submitted(self) -> int:
        return sum(m.submitted for m in self.members)

    @property
    def late(self) -> int:
        return sum(m.late for m in self.members)

    @property
    def with_errors(self) -> int:
        return sum(bool(m.report and m.report.errors) for m in self.members)

    def as_json(self) -> dict[str, object]:
        return {
            "government": self.government.code,
            "year": self.year,
            "members": [m.as_json() for m in self.members],
            "submitted": self.submitted,
            "late": self.late,
            "with_errors": self.with_errors,
            "area_report": None if self.area is None else {
                "status": self.area.status, "errors": self.area.errors
            },
        }  # fmt: skip


def rollup(government: Agency, year: int, today: date) -> Rollup:
    """Three queries whatever the number of members."""
    agencies = sel.rolled_up(government)
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(
            agency__in=agencies, year=year, scope=ReportScope.AGENCY
        )
    }
    amendments = dict(
        Amendment.objects.filter(agency__in=agencies, year=year, acknowledged_at__isnull=True)
        .values_list("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    members = [
        MemberStatus(
            a,
            reports.get(a.pk),
            sel.due_date(a, year),
            sel.is_late(reports.get(a.pk), a, year, today),
            amendments.get(a.pk, 0),
        )
        for a in agencies
    ]
    area = AnnualReport.objects.filter(agency=government, year=year, scope=ReportScope.AREA).first()
    return Rollup(government, year, members, area)
