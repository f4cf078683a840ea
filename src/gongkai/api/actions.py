"""The workflow actions' routes, one per entry of the registry
(:data:`gongkai.cases.actions.ACTIONS`): ``POST /cases/{case_id}/actions/{action}`` with the
entry's input schema as the body (none for an action without input, such as ``archive``), its
summary and its help as the description shown in ``/api/docs``. Each runs the action in the
requester's scope and returns the updated case; a refused step answers 400 with the
service's Chinese message.
"""

# No ``from __future__ import annotations``: the views' annotations must be the schema
# classes themselves, which django-ninja reads to parse and document the body.

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from gongkai.cases.actions import ACTIONS, ActionEntry

from .cases import CASE_ID, ERRORS
from .common import act
from .schemas import CaseDetailOut

router = Router(tags=["办理操作"])

DETAIL = {200: CaseDetailOut, **ERRORS}


def action_view(entry: ActionEntry) -> Callable[..., dict[str, Any]]:
    """The view of ``entry``'s route, named after the action (the OpenAPI operation id)."""
    schema = entry.schema
    if schema is None:

        def view(request: HttpRequest, case_id: int = CASE_ID) -> dict[str, Any]:
            return act(request, case_id, entry, None)

    else:

        def view(request: HttpRequest, body: schema, case_id: int = CASE_ID) -> dict[str, Any]:  # type: ignore[valid-type]
            return act(request, case_id, entry, body)

    view.__name__ = view.__qualname__ = entry.action.value
    view.__doc__ = entry.help
    return view


def add_routes() -> None:
    """One route per registered action, in the order of the transition table."""
    for entry in ACTIONS.values():
        router.post(
            f"/{{case_id}}/actions/{entry.action.value}",
            response=DETAIL,
            summary=entry.summary,
            description=entry.help,
        )(action_view(entry))


add_routes()
