"""Importing a report when last year's report of the agency is stored: the cross-year
identity of table 二 (上年现行有效 + 本年制发 − 本年废止 = 本年现行有效) is checked and its
finding, naming the cells, is kept with the imported report."""

from __future__ import annotations

import pytest

from gongkai.reports import services as rs
from gongkai.reports.models import AnnualReport
from gongkai.reports.services.base import report_of
from tests.core.report.test_ocr_repair import _report

pytestmark = pytest.mark.django_db

TYPED = "行政规范性文件  2  1  9"


def _data(year: int, normative: str) -> bytes:
    text = _report("1 0 0 0 1 0 0 0 0 0 0 0 0 0 0").replace("2024", str(year))
    return text.replace(TYPED, f"行政规范性文件  {normative}").encode()


def _import(w, year: int, normative: str) -> AnnualReport:
    return rs.report_import(
        actor=w.registrar, agency=w.d1, year=year, data=_data(year, normative), name=f"{year}.txt"
    )


def test_cross_year_break_is_found_on_import(w):
    _import(w, 2023, "3  0  66")
    ar = _import(w, 2024, "2  1  600")  # 66 + 2 − 1 = 67, not 600
    found = [
        f
        for f in report_of(AnnualReport.objects.get(pk=ar.pk)).findings
        if f.code == "IN_FORCE_CONTINUITY"
    ]
    assert len(found) == 1
    assert "table2.normative.in_force" in found[0].cells
    assert "old.table2.normative.in_force" in found[0].cells
    assert "67" in found[0].message


def test_cross_year_holding_gives_no_finding(w):
    _import(w, 2023, "3  0  8")
    ar = _import(w, 2024, "2  1  9")  # 8 + 2 − 1 = 9
    findings = report_of(AnnualReport.objects.get(pk=ar.pk)).findings
    assert not [f for f in findings if f.code == "IN_FORCE_CONTINUITY"]
