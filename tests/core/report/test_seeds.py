"""The published seed reports parse to exactly the numbers they publish (golden files)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.report import ReportFormat, Severity, read_report
from gongkai.core.report.schema import (
    TABLE2_IDS,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_IDS,
    table3_id,
)

EXAMPLES = Path(__file__).parents[3] / "examples" / "reports"
GOLDEN = Path(__file__).parent / "golden"
REPORTS_2021 = ["qingdao-2024", "boshan-2024", "jinan-office-2024"]


def _expected(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", REPORTS_2021)
def test_2021_seed_parses_to_published_numbers(name: str) -> None:
    exp = _expected(name)
    report = read_report(EXAMPLES / f"{name}.txt")
    assert report.format is ReportFormat.F2021
    assert (report.agency, report.year) == (exp["agency"], exp["year"])
    got3 = {r: [report.value(table3_id(r, c)) for c in TABLE3_COLUMN_KEYS] for r in TABLE3_ROW_KEYS}
    assert got3 == exp["table3"]
    want2 = [Decimal(v) if isinstance(v, str) else v for v in exp["table2"]]
    assert [report.value(c) for c in TABLE2_IDS] == want2
    assert [report.value(c) for c in TABLE4_IDS] == exp["table4"]


@pytest.mark.parametrize("name", REPORTS_2021)
def test_2021_seed_has_no_error_and_only_expected_warnings(name: str) -> None:
    report = read_report(EXAMPLES / f"{name}.txt")
    assert report.errors == []
    assert [f.code for f in report.warnings] == _expected(name)["warnings"]


def test_qingdao_other_processing_percentage_is_flagged() -> None:
    report = read_report(EXAMPLES / "qingdao-2024.txt")
    (finding,) = [f for f in report.findings if f.code == "PROSE_PERCENT_MISMATCH"]
    assert finding.severity is Severity.WARNING
    assert "583" in finding.message and "5.6%" in finding.message
    assert "占本年度办结总计10509件的5.5%" in finding.message
    assert "table3.other_1.total" in finding.cells
    assert "table3.total.total" in finding.cells


def test_old_format_report_is_recognised_without_tables() -> None:
    report = read_report(EXAMPLES / "qingdao-eitc-2018.txt")
    assert report.format is ReportFormat.PRE_2021
    assert (report.agency, report.year) == ("青岛市经济和信息化委", 2018)
    assert report.cells == {}
    assert [f.code for f in report.findings] == ["FORMAT_PRE_2021"]
    assert report.facts["applications_stated"] == 18


def test_work_plan_is_refused_as_not_a_report() -> None:
    report = read_report(EXAMPLES / "qingdao-workplan-2025.txt")
    assert report.format is ReportFormat.NOT_A_REPORT
    (finding,) = report.findings
    assert finding.code == "NOT_A_REPORT"
    assert "工作要点" in finding.message
