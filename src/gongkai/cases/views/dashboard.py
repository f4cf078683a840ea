"""The staff dashboard: each role's queue first, then the deadline board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.scope import viewer_for
from gongkai.core.workflow import Role

from .. import selectors as sel
from .pages import _calendar_warning, _rows


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    board = sel.dashboard_board(viewer)
    red = sel.case_list(viewer, sel.CaseFilter(card="red"))[:10]
    yellow = sel.case_list(viewer, sel.CaseFilter(card="yellow"))[:10]
    inbox = sel.handler_inbox(viewer)[:10] if viewer.handler_unit_ids else []
    return render(
        request,
        "cases/dashboard.html",
        {
            "board": board,
            "red": _rows(red),
            "yellow": _rows(yellow),
            "inbox": inbox,
            "can_register": bool(viewer.agencies_with(Role.REGISTRAR, Role.HEAD)),
            "calendar_warning": _calendar_warning(),
        },
    )
