"""Which registry texts a staff member sees, and what they may do with them.

Derived from the viewer's memberships (:class:`gongkai.accounts.scope.Viewer`):

- the office of the issuing agency (登记员 drafts, 保密审查员 reviews secrecy, 公开工作机构负责人
  signs off and decides validity) sees and works on that agency's texts
  (《中华人民共和国政府信息公开条例》第十七条: 审查机制);
- a supervisor sees the texts of the agencies at or below theirs, read only;
- a platform administrator sees everything.

The public sees only what is published (:mod:`gongkai.documents.public`).
"""

from __future__ import annotations

from django.db.models import Q

from gongkai.accounts.scope import Viewer
from gongkai.core.workflow import Role

#: Roles that draft and edit texts, attach files, submit them for review and add 解读.
DRAFTING_ROLES = frozenset({Role.REGISTRAR, Role.HEAD})
#: Who does the 保密审查 of a text.
SECRECY_ROLES = frozenset({Role.SECRECY, Role.HEAD})
#: Who records a legal basis for personal information, signs off, publishes, takes down and
#: decides a change of validity (修订、废止、失效、清理).
DECIDING_ROLES = frozenset({Role.HEAD})

NOT_VISIBLE = "找不到该文件，或您无权查看"


def visibility(viewer: Viewer, field: str = "agency_id") -> Q:
    """A filter keeping the rows whose agency (``field``) ``viewer`` may see."""
    if viewer.is_platform_admin:
        return Q()
    ids = sorted({*viewer.document_agency_ids, *viewer.supervised_agency_ids})
    return Q(**{f"{field}__in": ids})


def roles_on(viewer: Viewer, agency_id: int) -> frozenset[Role]:
    """The office roles ``viewer`` holds in ``agency_id`` (a supervisor holds none: read only)."""
    return frozenset(viewer.roles_in(agency_id) & {Role.REGISTRAR, Role.HEAD, Role.SECRECY})


def may(viewer: Viewer, agency_id: int, roles: frozenset[Role]) -> bool:
    """Whether ``viewer`` holds one of ``roles`` in ``agency_id``."""
    return bool(roles_on(viewer, agency_id) & roles)
