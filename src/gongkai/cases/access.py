"""Which cases a staff member sees, and the roles they hold on one case.

Derived from the viewer's memberships (:class:`gongkai.accounts.scope.Viewer`): office roles
of the case's agency, handler of a unit the case is routed to, supervisor of an agency above
it. The applicant's identity is for the office only (《中华人民共和国个人信息保护法》第十条:
personal information is processed only as the task requires).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from gongkai.accounts.scope import OFFICE_ROLES, Viewer
from gongkai.core.workflow import Role

from .models import Assignment

#: Who may see an applicant's full identity data and identity documents: the office of the
#: case's agency. Not handlers (they get the request, not the person), not supervisors.
IDENTITY_ROLES = OFFICE_ROLES


def may_view_identity(roles: set[Role] | frozenset[Role]) -> bool:
    """Whether holding ``roles`` on a case (:func:`case_roles`) allows seeing the applicant's
    full identity: the identity panel and the identity attachments alike."""
    return bool(set(roles) & IDENTITY_ROLES)


def case_visibility(viewer: Viewer) -> Q:
    """A filter on ``Case`` that keeps exactly the cases ``viewer`` may see."""
    if viewer.is_platform_admin:
        return Q()
    q = Q(agency_id__in=sorted({*viewer.office_agency_ids, *viewer.supervised_agency_ids}))
    if viewer.handler_unit_ids:
        q |= Q(
            Exists(
                Assignment.objects.filter(
                    case_id=OuterRef("pk"), unit_id__in=viewer.handler_unit_ids
                )
            )
        )
    return q  # no membership at all: ``agency_id__in=[]`` matches nothing


def case_roles(
    viewer: Viewer, case: object, assigned_unit_ids: set[int] | None = None
) -> set[Role]:
    """The roles ``viewer`` holds on ``case``: office roles in its agency, handler if routed to
    one of their units, supervisor if the agency is below one they supervise.

    ``assigned_unit_ids``: the units the case is routed to, when the caller has them loaded.
    """
    held = set(viewer.roles_in(case.agency_id)) & OFFICE_ROLES
    if viewer.handler_unit_ids:
        if assigned_unit_ids is None:
            assigned_unit_ids = set(case.assignments.values_list("unit_id", flat=True))
        if assigned_unit_ids & set(viewer.handler_unit_ids):
            held.add(Role.HANDLER)
    if viewer.supervises(case.agency.path):
        held.add(Role.SUPERVISOR)
    if viewer.is_platform_admin and not held:
        held.add(Role.SUPERVISOR)  # installation administrators look, they do not handle
    return held
