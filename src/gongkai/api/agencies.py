"""The agencies the requester belongs to, with the units below them (to pick assignment units).

The view docstring is the operation description shown in ``/api/docs``, hence in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from gongkai.agencies.models import Agency

from . import present
from .common import viewer_of
from .schemas import AgencyOut

router = Router(tags=["机关"])


@router.get("", response=list[AgencyOut], summary="我的机关及其内设机构")
def list_agencies(request: HttpRequest) -> list[dict[str, Any]]:
    """请求者担任角色的机关、其角色，以及该机关下属的全部机关与内设机构（可作为转办单位）。"""
    viewer = viewer_of(request)
    if not viewer.paths:
        return []
    rows = list(Agency.subtrees(viewer.paths.values()).order_by("path"))
    return [
        present.agency_with_units(
            a,
            viewer.roles_in(a.pk),
            [u for u in rows if a.contains(u) and u.pk != a.pk],
        )
        for a in rows
        if a.pk in viewer.paths
    ]
