"""The staff dashboard: each role's queue first, then the deadline board and the charts.

Which sections appear follows the roles the person holds (:mod:`gongkai.cases.dashboards`
explains each queue); the online applications waiting to be confirmed come from the
project's template context (``online_waiting``), as they are the portal's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.accounts.scope import Viewer, request_viewer
from gongkai.core.workflow import Role
from gongkai.rules.selectors import working_calendar

from .. import dashboards as dash
from .. import selectors as sel
from .pages import _calendar_warning, _rows


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = request_viewer(request)
    today, cal = timezone.localdate(), working_calendar()
    held = {role for roles in viewer.roles_by_agency.values() for role in roles}
    ctx: dict[str, Any] = {
        "calendar_warning": _calendar_warning(),
        "can_register": viewer.may_register,
        "is_registrar": Role.REGISTRAR in held,
        # The queues name each case's agency only for someone working in several.
        "many_agencies": len(viewer.office_agency_ids) > 1,
        "today": today,
        # Other apps' sections (the registry's publication clock, 解读, 有效期…).
        "sections": dash.other_sections(viewer, today),
    }
    if Role.REGISTRAR in held:
        ctx["routing"] = dash.awaiting_routing(viewer)
        ctx["delivery"] = dash.awaiting_delivery(viewer)
    if Role.HEAD in held:
        ctx["approval"] = dash.awaiting_approval(viewer)
    if Role.SECRECY in held:
        ctx["secrecy"] = dash.awaiting_secrecy_review(viewer)
    if viewer.has_inbox:
        ctx["assignments"] = dash.assignments_due(viewer, today, cal)
    agencies = []
    if viewer.supervised_agency_ids:
        agencies = dash.agency_comparison(viewer, today, cal)
        ctx["agencies"] = agencies
    if viewer.is_platform_admin or Role.ADMIN in held:
        ctx["system"] = dash.system_state(viewer, today, cal)
    if viewer.sees_cases:
        ctx["board"] = sel.dashboard_board(viewer)
        ctx["red"] = _rows(sel.case_list(viewer, sel.CaseFilter(card="red"))[: dash.SHOWN])
        ctx["yellow"] = _rows(sel.case_list(viewer, sel.CaseFilter(card="yellow"))[: dash.SHOWN])
        cases = dash.charted_cases(viewer, sel.visible_cases(viewer))
        trend = dash.monthly_trend(cases, today)
        channels = dash.channel_mix(cases, today)
        outcomes = dash.outcome_mix(cases, today)
        ctx.update(
            trend=trend,
            channels=channels,
            outcomes=outcomes,
            chart_data=dash.chart_data(trend, channels, outcomes, agencies),
            scope=_scope_label(viewer, held),
        )
    return render(request, "cases/dashboard.html", ctx)


def _scope_label(viewer: Viewer, held: set[Role]) -> str:
    """What the charts count, in words."""
    if viewer.is_platform_admin:
        return "全部机关的申请"
    parts = []
    if viewer.office_agency_ids:
        parts.append("本机关受理的申请")
    if viewer.supervised_agency_ids:
        parts.append("所监督机关的申请")
    if Role.HANDLER in held:
        parts.append("转至本单位办理的申请")
    return "、".join(parts)
