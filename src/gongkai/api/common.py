"""What every case endpoint shares: the requester's scope, loading a case in it, and running
a service on it then answering with the updated detail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.audit.net import client_ip
from gongkai.cases import selectors
from gongkai.cases.models import Case
from gongkai.cases.services import CaseError
from gongkai.rules.selectors import working_calendar

from . import present

NOT_FOUND = selectors.NOT_VISIBLE


def viewer_of(request: HttpRequest) -> Viewer:
    """The token user's scope (their memberships, loaded once per request)."""
    viewer = getattr(request, "_gongkai_viewer", None)
    if viewer is None:
        viewer = viewer_for(request.auth)  # type: ignore[attr-defined]
        request._gongkai_viewer = viewer  # type: ignore[attr-defined]
    return viewer


def visible_case(viewer: Viewer, case_id: int) -> Case:
    """The case if ``viewer`` may see it; otherwise 404, the same whether or not it exists."""
    case = (
        selectors.visible_cases(viewer)
        .select_related("agency")
        .defer(*selectors.IDENTITY_COLUMNS)
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404(NOT_FOUND)
    return case


def detail_of(viewer: Viewer, case_id: int) -> dict[str, Any]:
    """The case detail as the API returns it, or 404."""
    case = selectors.case_detail(viewer, case_id)
    if case is None:
        raise Http404(NOT_FOUND)
    return present.case_detail(case, viewer, working_calendar(), timezone.localdate())


def act(request: HttpRequest, case_id: int, service: Callable[..., Any], **kwargs: Any) -> dict:
    """Run ``service(actor=…, case=…, ip=…, **kwargs)`` on a case in the requester's scope and
    return the case's updated detail. A refusal raises :class:`CaseError` (answered with 400)."""
    viewer = viewer_of(request)
    case = visible_case(viewer, case_id)
    service(actor=request.auth, case=case, ip=client_ip(request), **kwargs)  # type: ignore[attr-defined]
    return detail_of(viewer, case_id)


def child(rows: Any, pk: int, what: str) -> Any:
    """The row ``pk`` of a case's related manager ``rows``; CaseError if the case has none."""
    found = rows.filter(pk=pk).first()
    if found is None:
        raise CaseError(f"该申请下没有 id 为 {pk} 的{what}")
    return found
