"""Who may see and do what with annual reports, and the deadlines they are held to.

- The agency's office (registrars and heads) prepares its report; the head submits and
  publishes it and acknowledges amendments.
- The supervising office is the nearest government above the agency: its heads and its
  supervisors (and supervisors higher up) review the report and see the roll-up.
- Deadlines (《政府信息公开条例》第四十九条): departments publish by 31 January of the next
  year, governments by 31 March.
- Reports of agencies outside the tree, imported for analysis (every agency publishes its
  report, 第五十条): platform administrators and supervisors import and see them; nobody
  prepares, reviews or rolls them up, so every tree permission is refused on them.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from gongkai.accounts.scope import Viewer
from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core.workflow import Role

from .models import AnnualReport

PREPARERS = frozenset({Role.REGISTRAR, Role.HEAD})
REVIEWERS = frozenset({Role.HEAD, Role.SUPERVISOR})


def supervising_agency(agency: Agency | None) -> Agency | None:
    """The nearest government above ``agency`` (None for a top-level government, or for a
    report outside the tree)."""
    if agency is None:
        return None
    for above in reversed(agency.ancestors()):
        if above.kind == AgencyKind.GOVERNMENT:
            return above
    return None


def due_date(agency: Agency, year: int) -> date:
    """The day the report of ``year`` must be published (第四十九条)."""
    if agency.kind == AgencyKind.GOVERNMENT:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


def can_prepare(viewer: Viewer, agency: Agency | None) -> bool:
    return agency is not None and bool(viewer.roles_in(agency.pk) & PREPARERS)


def can_sign(viewer: Viewer, agency: Agency | None) -> bool:
    return agency is not None and Role.HEAD in viewer.roles_in(agency.pk)


def can_review(viewer: Viewer, agency: Agency | None) -> bool:
    """A head or supervisor of the supervising office, or a supervisor above it."""
    above = supervising_agency(agency)
    if above is None:
        return False
    return bool(viewer.roles_in(above.pk) & REVIEWERS) or viewer.supervises(above.path)


def can_view(viewer: Viewer, agency: Agency) -> bool:
    return (
        viewer.is_platform_admin
        or bool(viewer.roles_in(agency.pk) & (PREPARERS | {Role.SECRECY}))
        or viewer.supervises(agency.path)
        or can_review(viewer, agency)
    )


def can_analyse(viewer: Viewer) -> bool:
    """Who imports and reads the reports of agencies outside the tree: the platform
    administrators and anyone supervising part of the tree."""
    return viewer.is_platform_admin or bool(viewer.agencies_with(Role.SUPERVISOR))


def can_view_report(viewer: Viewer, report: AnnualReport) -> bool:
    """:func:`can_view` for a report of the tree, :func:`can_analyse` for one outside it."""
    if report.agency_id is None:
        return can_analyse(viewer)
    return can_view(viewer, report.agency)


def can_roll_up(viewer: Viewer, government: Agency | None) -> bool:
    """The government's own office, its supervisors and the platform administrators."""
    return (
        government is not None
        and government.kind == AgencyKind.GOVERNMENT
        and (
            viewer.is_platform_admin
            or bool(viewer.roles_in(government.pk) & (PREPARERS | {Role.SUPERVISOR}))
            or viewer.supervises(government.path)
        )
    )


def visible_agencies(viewer: Viewer) -> QuerySet[Agency]:
    """Agencies that publish reports and whose reports ``viewer`` may open."""
    qs = Agency.objects.filter(handles_applications=True)
    if viewer.is_platform_admin:
        return qs
    reviewed = Agency.subtrees(viewer.paths[a] for a in viewer.agencies_with(*REVIEWERS))
    return qs.filter(
        Q(pk__in=viewer.agencies_with(*PREPARERS, Role.SECRECY)) | Q(pk__in=reviewed.values("pk"))
    )


def reports_visible(viewer: Viewer) -> QuerySet[AnnualReport]:
    """The reports ``viewer`` may open: of the agencies of :func:`visible_agencies`, and,
    for :func:`can_analyse`, those of agencies outside the tree."""
    visible = Q(agency__in=visible_agencies(viewer))
    if can_analyse(viewer):
        visible |= Q(agency__isnull=True)
    return AnnualReport.objects.filter(visible).select_related("agency")


def members_of(government: Agency) -> list[Agency]:
    """The agencies whose reports a government's office gathers: its departments and the
    governments directly below it (internal units publish no report of their own)."""
    return list(
        Agency.objects.filter(parent=government, handles_applications=True)
        .exclude(kind=AgencyKind.UNIT)
        .order_by("kind", "path")
    )


def rolled_up(government: Agency) -> list[Agency]:
    """The government itself (when it publishes a report of its own) and its members."""
    own = [government] if government.handles_applications else []
    return [*own, *members_of(government)]


def is_late(report: AnnualReport | None, agency: Agency, year: int, today: date) -> bool:
    """Not submitted (or, with no supervisor, not published) by the statutory date."""
    due = due_date(agency, year)
    if report is None:
        return today > due
    done_at = report.submitted_at or report.published_at
    if done_at is None:
        return today > due
    return done_at.date() > due
