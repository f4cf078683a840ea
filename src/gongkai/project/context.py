"""Template context shared by every page: the site's name, the main menu for the signed-in
person, and the online applications waiting for them.

The menu shows a page only when the person may open it: each entry asks the
:class:`gongkai.accounts.scope.Viewer` rule its page applies (``may_register``,
``has_inbox`` …), so the menu and the pages cannot disagree. Everything is computed when a
template first uses it (the admin's pages and the login page never do), and once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gongkai.accounts.scope import Viewer, request_viewer
from gongkai.portal.models import OnlineApplication, SubmissionStatus
from gongkai.portal.selectors import online_applications

SITE_NAME = "政府信息公开工作平台"
#: Online applications listed on the dashboard (the 网上申请 page lists them all).
ONLINE_SHOWN = 10


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One link of the main menu; ``badge``: a number of things waiting there."""

    label: str
    href: str
    current: bool = False
    badge: int = 0


@dataclass(frozen=True, slots=True)
class _Item:
    label: str
    url_name: str
    query: str
    allowed: Callable[[Viewer], bool]
    #: Pages below this path belong to the entry (for ``aria-current``); "" for the exact path.
    section: bool = True


MENU: tuple[_Item, ...] = (
    _Item("工作台", "cases:dashboard", "", lambda v: True, section=False),
    _Item("申请列表", "cases:list", "?status=open", lambda v: v.sees_cases),
    _Item("登记申请", "cases:register", "", lambda v: v.may_register),
    _Item("网上申请", "online:list", "", lambda v: v.may_confirm_online),
    _Item("承办事项", "cases:inbox", "", lambda v: v.has_inbox),
    _Item("文书模板", "letters:templates", "", lambda v: v.may_edit_templates),
    _Item("文件库", "documents:list", "", lambda v: v.may_open_documents),
    _Item("年度报告", "reports:index", "", lambda v: v.may_open_reports),
    _Item("管理", "admin:index", "", lambda v: v.may_administer),
    _Item("接口文档", "api:openapi-view", "", lambda v: v.may_read_api_docs),
)


class OnlineWaiting:
    """The online applications the person confirms (登记) that are still waiting: the
    portal's own scope (:func:`gongkai.portal.selectors.online_applications`). Submitting
    online is not yet receipt: the application is received on the day the office confirms it
    (《中华人民共和国政府信息公开条例》第三十一条第三项), so it is to be done the same day."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def _waiting(self) -> Any:
        qs = online_applications(self._request.user, _viewer(self._request))
        if qs is None:
            return OnlineApplication.objects.none()
        return qs.filter(status=SubmissionStatus.SUBMITTED)

    @cached_property
    def count(self) -> int:
        return self._waiting.count() if self.allowed else 0

    @cached_property
    def allowed(self) -> bool:
        return _viewer(self._request).may_confirm_online

    @cached_property
    def first(self) -> list[OnlineApplication]:
        """The oldest waiting first (they have waited longest), without identity data."""
        if not self.count:
            return []
        return list(
            self._waiting.select_related(None)
            .select_related("agency")
            .only("pk", "number", "submitted_at", "request_text", "agency__name")
            .order_by("submitted_at", "pk")[:ONLINE_SHOWN]
        )


class Menu:
    """The main menu of ``request``'s user, built on first use."""

    def __init__(self, request: HttpRequest, online: OnlineWaiting) -> None:
        self._request, self._online = request, online

    @cached_property
    def entries(self) -> list[MenuEntry]:
        viewer = _viewer(self._request)
        path = self._request.path
        shown = [(item, reverse(item.url_name)) for item in MENU if item.allowed(viewer)]
        # The page belongs to the entry with the longest matching path (/cases/new/ is
        # 登记申请, /cases/12/ 申请列表).
        matching = [
            target
            for item, target in shown
            if path == target or (item.section and path.startswith(target))
        ]
        here = max(matching, key=len, default=None)
        return [
            MenuEntry(
                item.label,
                target + item.query,
                target == here,
                self._online.count if item.url_name == "online:list" else 0,
            )
            for item, target in shown
        ]

    def __iter__(self) -> Any:
        return iter(self.entries)


def _viewer(request: HttpRequest) -> Viewer:
    """The request user's :class:`Viewer`, shared with the page that is being drawn."""
    return request_viewer(request)


def site(request: HttpRequest | None) -> dict[str, Any]:
    """The site's name; for a signed-in person also ``menu`` and ``online_waiting``."""
    context: dict[str, Any] = {"site_name": SITE_NAME}
    if request is None or not getattr(getattr(request, "user", None), "is_authenticated", False):
        return context
    online = OnlineWaiting(request)
    context.update(menu=Menu(request, online), online_waiting=online)
    return context
