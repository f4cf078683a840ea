"""The area-wide report of a government: the sum of its members' reports (本地区汇总)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scope import viewer_for
from gongkai.agencies.models import Agency
from gongkai.core.report.area import sum_reports

from .. import selectors as sel
from ..models import (
    AnnualReport,
    ReportScope,
)
from .base import _area_members, _must, _save, report_of
from .preparing import _draft_for, _redraft

# --- area-wide report ---------------------------------------------------------------------


def area_build(*, actor: Any, government: Agency, year: int, ip: str | None = None) -> AnnualReport:
    """The area-wide report of ``government``: its tables are the sum of its own and its
    members' reports (table 二 included); the narrative is pre-drafted from the sum."""
    viewer = viewer_for(actor)
    _must(
        sel.can_roll_up(viewer, government) and sel.can_prepare(viewer, government),
        "只有本级政府公开工作机构可以生成本地区汇总报告",
    )
    members, _ = _area_members(government, year)
    _must(bool(members), f"{year}年度还没有可以汇总的报告")
    with transaction.atomic():
        ar, made = _draft_for(viewer, government, year, ReportScope.AREA)
        old = report_of(ar)
        doc = sum_reports(
            [m for _, m in members], agency=f"{government.name}（本地区汇总）", year=year
        )
        doc.narrative, doc.facts = old.narrative, old.facts
        doc.facts["members"] = [a.name for a, _ in members]
        doc.source = "本地区各单位年度报告汇总"
        _redraft(ar, doc)
        ar.computed_at = timezone.now()
        return _save(ar, doc, actor, "生成本地区汇总" if made else "重新汇总", ip=ip)
