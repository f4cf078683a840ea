"""Who may see which application on the portal: what this browser session proved with
number and code, and what belongs to the signed-in applicant account. Nothing else."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gongkai.cases.models import Case

from .models import OnlineApplication, PortalAccount

GRANTS = "portal_grants"
ACCOUNT = "portal_account"


def grant(session: Any, app: OnlineApplication | None, case: Case | None) -> None:
    g = session.get(GRANTS) or {"apps": [], "cases": []}
    if app is not None and app.pk not in g["apps"]:
        g["apps"].append(app.pk)
    if case is not None and case.pk not in g["cases"]:
        g["cases"].append(case.pk)
    session[GRANTS] = g


def account_of(session: Any) -> PortalAccount | None:
    pk = session.get(ACCOUNT)
    return PortalAccount.objects.filter(pk=pk).first() if pk else None


def visible_applications(session: Any) -> Any:
    g = session.get(GRANTS) or {"apps": [], "cases": []}
    q = Q(pk__in=g["apps"]) | Q(case_id__in=g["cases"])
    account = session.get(ACCOUNT)
    if account:
        q |= Q(account_id=account)
    return OnlineApplication.objects.filter(q).exclude(status="draft")


def visible_cases(session: Any) -> Any:
    g = session.get(GRANTS) or {"apps": [], "cases": []}
    q = Q(pk__in=g["cases"]) | Q(online_application__pk__in=g["apps"])
    account = session.get(ACCOUNT)
    if account:
        q |= Q(online_application__account_id=account)
        q |= Q(
            pk__in=PortalAccount.claimed_cases.through.objects.filter(
                portalaccount_id=account
            ).values("case_id")
        )
    return Case.objects.filter(q)
