"""What every case endpoint shares: the requester's scope, loading a case in it, and running
a workflow action on it then answering with the updated detail."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone

from gongkai.accounts.scope import Viewer, viewer_for
from gongkai.audit.net import client_ip
from gongkai.cases import selectors
from gongkai.cases.actions import ActionEntry
from gongkai.cases.actions.fields import In
from gongkai.cases.models import Case
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


def act(request: HttpRequest, case_id: int, entry: ActionEntry, body: In | None) -> dict:
    """Run the workflow action ``entry`` with the input ``body`` on a case in the requester's
    scope and return the case's updated detail. A refusal raises
    :class:`~gongkai.cases.services.CaseError` (answered with 400)."""
    viewer = viewer_of(request)
    case = visible_case(viewer, case_id)
    entry.run(case, body, request.auth, client_ip(request))  # type: ignore[attr-defined]
    return detail_of(viewer, case_id)
