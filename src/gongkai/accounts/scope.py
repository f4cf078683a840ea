"""What a staff member may see and do, derived from their memberships only.

- Office roles (registrar, office head, secrecy reviewer) in an agency: that agency's cases.
- Supervisor of an agency: the cases of that agency and of every agency below it, read only.
- Handler in a unit: the cases routed to that unit (转办/协查), and nothing else.
- Administrator: the agency's users and settings; no case data.
- A platform superuser sees everything (installation administrators).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from gongkai.core.workflow import Role

OFFICE_ROLES = frozenset({Role.REGISTRAR, Role.HEAD, Role.SECRECY})
#: Who may see an applicant's full identity data and identity documents: the office of the
#: case's agency. Not handlers (they get the request, not the person), not supervisors.
IDENTITY_ROLES = OFFICE_ROLES


def may_view_identity(roles: set[Role] | frozenset[Role]) -> bool:
    """Whether holding ``roles`` on a case (:func:`case_roles`) allows seeing the applicant's
    full identity: the identity panel and the identity attachments alike."""
    return bool(set(roles) & IDENTITY_ROLES)


@dataclass(frozen=True)
class Viewer:
    """A user with their memberships loaded once per request."""

    user: object
    roles_by_agency: dict[int, frozenset[Role]] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)
    is_platform_admin: bool = False
    #: Every agency at or below one the viewer supervises, loaded with the memberships: a
    #: literal list lets the database use the cases' (agency, …) indexes, which a subquery
    #: on the agency tree defeats.
    supervised_agency_ids: frozenset[int] = frozenset()

    def agencies_with(self, *roles: Role) -> list[int]:
        wanted = set(roles)
        return [a for a, held in self.roles_by_agency.items() if held & wanted]

    @property
    def office_agency_ids(self) -> list[int]:
        return self.agencies_with(*OFFICE_ROLES)

    @property
    def handler_unit_ids(self) -> list[int]:
        return self.agencies_with(Role.HANDLER)

    @property
    def supervised_paths(self) -> list[str]:
        return [self.paths[a] for a in self.agencies_with(Role.SUPERVISOR)]

    @property
    def admin_agency_ids(self) -> list[int]:
        return self.agencies_with(Role.ADMIN)

    def roles_in(self, agency_id: int) -> frozenset[Role]:
        return self.roles_by_agency.get(agency_id, frozenset())

    def supervises(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.supervised_paths)

    @property
    def is_staff_of_any(self) -> bool:
        return bool(self.roles_by_agency) or self.is_platform_admin


def viewer_for(user: object) -> Viewer:
    """Load ``user``'s memberships (one query); anonymous users get an empty viewer."""
    if not getattr(user, "is_authenticated", False):
        return Viewer(user)
    from .models import Membership

    roles: dict[int, set[Role]] = {}
    paths: dict[int, str] = {}
    for m in Membership.objects.filter(user=user).select_related("agency"):
        roles.setdefault(m.agency_id, set()).add(Role(m.role))
        paths[m.agency_id] = m.agency.path
    supervised = [paths[a] for a, held in roles.items() if Role.SUPERVISOR in held]
    return Viewer(
        user,
        {a: frozenset(r) for a, r in roles.items()},
        paths,
        bool(getattr(user, "is_superuser", False)),
        _subtree_ids(supervised),
    )


def _subtree_ids(paths: list[str]) -> frozenset[int]:
    """The ids of the agencies at or below ``paths`` (one query; none without paths)."""
    if not paths:
        return frozenset()
    from gongkai.agencies.models import Agency

    return frozenset(Agency.subtrees(paths).values_list("pk", flat=True))


def case_visibility(viewer: Viewer) -> Q:
    """A filter on ``Case`` that keeps exactly the cases ``viewer`` may see."""
    if viewer.is_platform_admin:
        return Q()
    from gongkai.cases.models import Assignment

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
