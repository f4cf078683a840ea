"""One POST endpoint for every workflow action: the action's form, generated from its input
schema (:func:`gongkai.cases.actions.forms.action_form_class`), and its service, both from the
registry :data:`gongkai.cases.actions.ACTIONS`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.core.workflow import Action

from ..actions.forms import action_form
from ..forms import run_service
from ..selectors import visible_case_or_404
from .pages import render_case


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Perform ``action`` on case ``pk``; errors go back to the case page with the form.

    The fields the page posts outside the action's form (the amendment reason of a published
    year, ``amend_reason``) are read from the POST data by the form."""
    try:
        chosen = Action(action)
    except ValueError as exc:
        raise Http404("没有这个办理操作") from exc
    case = visible_case_or_404(request, pk)
    form = action_form(chosen, case, request.POST)
    if form.is_valid():
        data = form.action_input(request.POST)
        if not form.errors:
            ip = request.META.get("REMOTE_ADDR")
            done = run_service(form, lambda: form.entry.run(case, data, request.user, ip))
            if done is not None:
                messages.success(request, f"已完成：{chosen.label}")
                return redirect("cases:case", pk=pk)
    return render_case(request, case, failed=(chosen, form), status=400)
