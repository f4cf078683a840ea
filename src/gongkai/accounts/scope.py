"""What a staff member may see and do, derived from their memberships only.

- Office roles (registrar, office head, secrecy reviewer) in an agency: that agency's cases.
- Supervisor of an agency: the cases of that agency and of every agency below it, read only.
- Handler in a unit: the cases routed to that unit (转办/协查), and nothing else.
- Administrator: the agency's users and settings; no case data.
- A platform superuser sees everything (installation administrators).

Which cases that means, and the roles a viewer holds on one case, is the cases app's
(:mod:`gongkai.cases.access`): this module knows memberships and the agency tree only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.agencies.models import Agency
from gongkai.core.workflow import Role

from .models import Membership

OFFICE_ROLES = frozenset({Role.REGISTRAR, Role.HEAD, Role.SECRECY})
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

    def roles_in(self, agency_id: int) -> frozenset[Role]:
        return self.roles_by_agency.get(agency_id, frozenset())

    def supervises(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.supervised_paths)


def viewer_for(user: object) -> Viewer:
    """Load ``user``'s memberships (one query); anonymous users get an empty viewer."""
    if not getattr(user, "is_authenticated", False):
        return Viewer(user)
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
    return frozenset(Agency.subtrees(paths).values_list("pk", flat=True))
