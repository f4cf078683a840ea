"""What a staff member may see and do, derived from their memberships only.

- Office roles (registrar, office head, secrecy reviewer) in an agency: that agency's cases.
- Supervisor of an agency: the cases of that agency and of every agency below it, read only.
- Handler in a unit: the cases routed to that unit (转办/协查), and nothing else.
- Administrator: the agency's users and settings; no case data.
- A platform superuser sees everything (installation administrators).

Which staff pages a viewer may open (the main menu and the pages' own checks) is answered
here too, by the ``may_*`` properties of :class:`Viewer`, from the same memberships: a menu
entry is shown exactly when its page would open.

Which cases that means, and the roles a viewer holds on one case, is the cases app's
(:mod:`gongkai.cases.access`): this module knows memberships and the agency tree only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    #: The viewer's agencies (those they hold a role in) that receive applications
    #: (``Agency.handles_applications``); internal units do not.
    handling_agency_ids: frozenset[int] = frozenset()

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

    # --- which staff pages the viewer may open ---------------------------------------------
    # Each rule is the one its page applies; the main menu shows an entry exactly when it
    # holds, so the menu never leads to 找不到页面.

    @property
    def sees_cases(self) -> bool:
        """Any case at all (申请列表, the deadline board): an office role, a supervised
        agency, a handler's unit, or the whole installation. An agency administrator manages
        users and settings and sees no case data."""
        return self.is_platform_admin or bool(
            self.office_agency_ids or self.supervised_agency_ids or self.handler_unit_ids
        )

    @property
    def registering_agency_ids(self) -> list[int]:
        """The agencies whose applications the viewer registers (登记申请): registrar or office
        head of an agency that receives applications (《中华人民共和国政府信息公开条例》
        第三十一条)."""
        return [
            a
            for a in self.agencies_with(Role.REGISTRAR, Role.HEAD)
            if a in self.handling_agency_ids
        ]

    @property
    def may_register(self) -> bool:
        """登记申请 (``cases.views.pages.register``)."""
        return bool(self.registering_agency_ids)

    @property
    def may_confirm_online(self) -> bool:
        """网上申请: confirming online applications, which is their receipt (第三十一条第三项):
        registrars and office heads, and the platform administrators
        (``portal.selectors.online_applications``)."""
        return self.is_platform_admin or bool(self.agencies_with(Role.REGISTRAR, Role.HEAD))

    @property
    def has_inbox(self) -> bool:
        """承办事项: the work routed to the viewer's units (``cases.views.pages.inbox``)."""
        return bool(self.handler_unit_ids)

    @property
    def template_agency_ids(self) -> list[int]:
        """The agencies whose letter wording the viewer edits (文书模板): office head or
        administrator of an agency that receives applications (``letters.views``)."""
        return [
            a for a in self.agencies_with(Role.HEAD, Role.ADMIN) if a in self.handling_agency_ids
        ]

    @property
    def may_edit_templates(self) -> bool:
        """文书模板 (``letters.views.template_list``); platform administrators edit every
        agency's."""
        return self.is_platform_admin or bool(self.template_agency_ids)

    @property
    def may_open_reports(self) -> bool:
        """年度报告 (``reports.views.index``) lists something: the office prepares and reads
        its agency's reports (registrar, head, secrecy reviewer), heads and supervisors review
        those submitted to them (《中华人民共和国政府信息公开条例》第四十九条)."""
        return self.is_platform_admin or bool(
            self.agencies_with(Role.REGISTRAR, Role.HEAD, Role.SECRECY, Role.SUPERVISOR)
        )

    @property
    def document_agency_ids(self) -> list[int]:
        """The agencies whose government documents the viewer drafts, reviews or publishes
        (文件库): the office roles of an agency (registrar drafts, secrecy reviewer does
        保密审查, head signs off; 《中华人民共和国政府信息公开条例》第十七条)."""
        return self.agencies_with(Role.REGISTRAR, Role.HEAD, Role.SECRECY)

    @property
    def may_open_documents(self) -> bool:
        """文件库 (``documents.views``): the office roles, supervisors (read only, their
        subtree) and platform administrators."""
        return self.is_platform_admin or bool(
            self.document_agency_ids or self.supervised_agency_ids
        )

    @property
    def may_administer(self) -> bool:
        """管理 (the Django admin: ``is_active`` and ``is_staff``): users and roles, agencies,
        API tokens, the working calendar."""
        return bool(
            getattr(self.user, "is_active", False) and getattr(self.user, "is_staff", False)
        )

    @property
    def may_read_api_docs(self) -> bool:
        """接口文档 (``/api/docs``): for those who connect other systems to the platform. An
        API token is issued only in the admin, so the people who can use the documentation are
        those who can open the admin."""
        return self.may_administer


def viewer_for(user: object) -> Viewer:
    """Load ``user``'s memberships (one query); anonymous users get an empty viewer."""
    if not getattr(user, "is_authenticated", False):
        return Viewer(user)
    roles: dict[int, set[Role]] = {}
    paths: dict[int, str] = {}
    handling: set[int] = set()
    for m in Membership.objects.filter(user=user).select_related("agency"):
        roles.setdefault(m.agency_id, set()).add(Role(m.role))
        paths[m.agency_id] = m.agency.path
        if m.agency.handles_applications:
            handling.add(m.agency_id)
    supervised = [paths[a] for a, held in roles.items() if Role.SUPERVISOR in held]
    return Viewer(
        user,
        {a: frozenset(r) for a, r in roles.items()},
        paths,
        bool(getattr(user, "is_superuser", False)),
        _subtree_ids(supervised),
        frozenset(handling),
    )


def request_viewer(request: Any) -> Viewer:
    """The :class:`Viewer` of ``request``'s user, loaded once per request: the page and the
    main menu (:mod:`gongkai.project.context`) share it."""
    cached = getattr(request, "_gongkai_viewer", None)
    if cached is None or cached.user is not request.user:
        cached = viewer_for(request.user)
        request._gongkai_viewer = cached
    return cached


def _subtree_ids(paths: list[str]) -> frozenset[int]:
    """The ids of the agencies at or below ``paths`` (one query; none without paths)."""
    if not paths:
        return frozenset()
    return frozenset(Agency.subtrees(paths).values_list("pk", flat=True))
