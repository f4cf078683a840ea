"""Random reports: valid by every identity of the 2021 format, realistic, prose that agrees."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from gongkai.core.report.checks import check
from gongkai.core.report.render import LAYOUTS, cell_text
from gongkai.core.report.schema import (
    ALL_CELL_IDS,
    APPLICANT_COLUMNS,
    OUTCOME_GROUPS,
    OUTCOME_ROWS,
    PART_KEYS,
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_GROUPS,
    CellState,
    ReportFormat,
    Severity,
    table3_id,
    table4_id,
)
from gongkai.core.report.synth import AGENCIES, percent, random_report

SEEDS = range(200)


def _report(seed: int, **kwargs):
    return random_report(random.Random(seed), **kwargs)  # noqa: S311 - reproducible test data


def _identity_errors(report) -> list[str]:
    """Every identity of tables 三 and 四 that does not hold, spelled out."""
    t3, t4 = report.t3, report.value
    errors = []
    for col in TABLE3_COLUMN_KEYS:
        if t3("new", col) + t3("carried_in", col) != t3("total", col) + t3("carried_out", col):
            errors.append(f"balance {col}")
        if sum(t3(row, col) for row in OUTCOME_ROWS) != t3("total", col):
            errors.append(f"outcomes {col}")
    for row in TABLE3_ROW_KEYS:
        if sum(t3(row, col) for col in APPLICANT_COLUMNS) != t3(row, "total"):
            errors.append(f"row {row}")
    for group, _ in TABLE4_GROUPS:
        parts = [t4(table4_id(group, c)) for c in ("upheld", "corrected", "other", "pending")]
        if sum(parts) != t4(table4_id(group, "total")):
            errors.append(f"table4 {group}")
    return errors


@pytest.mark.parametrize("seed", SEEDS)
def test_every_identity_holds(seed):
    report = _report(seed)
    assert report.format is ReportFormat.F2021
    assert set(report.cells) == set(ALL_CELL_IDS)
    assert _identity_errors(report) == []
    for cid, cell in report.cells.items():
        assert cell.state is CellState.NUMBER
        assert cell.published == str(cell.value)
        assert cell.value >= 0
        if cid == "table2.fees_wan_yuan":
            assert isinstance(cell.value, Decimal)
            assert cell.value.as_tuple().exponent >= -4
        else:
            assert isinstance(cell.value, int)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_checks_find_nothing_wrong(seed):
    findings = check(_report(seed))
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert [f.code for f in findings if f.code.startswith(("PROSE", "FEE"))] == []


def test_sizes_look_like_real_reports():
    reports = [_report(seed) for seed in SEEDS]
    new = [r.t3("new") for r in reports]
    assert min(new) == 0
    assert 5_000 < max(new) <= 20_000
    assert sum(r.t3("new", "natural_person") for r in reports) > 0.8 * sum(new)
    org_cells = [r.t3("new", col) for r in reports for col in APPLICANT_COLUMNS[1:]]
    assert sum(v == 0 for v in org_cells) > 0.5 * len(org_cells)
    assert len({r.agency for r in reports}) == len(AGENCIES)
    assert {r.year for r in reports} == {2021, 2022, 2023, 2024, 2025}
    assert any(r.value("table2.fees_wan_yuan") % 1 for r in reports)


def test_scale_agency_year_and_determinism():
    small = [_report(seed, scale=0.01) for seed in range(50)]
    assert max(r.t3("new") for r in small) <= 200
    report = _report(7, agency="某某市人民政府", year=2023)
    assert (report.agency, report.year) == ("某某市人民政府", 2023)
    assert report.narrative["overview"].startswith("2023年，某某市人民政府")
    again = _report(7, agency="某某市人民政府", year=2023)
    assert again.cells == report.cells
    assert again.narrative == report.narrative


def test_narrative_states_the_tables():
    report = next(r for r in map(_report, SEEDS) if r.t3("total") > 100)
    assert list(report.narrative) == list(PART_KEYS)
    overview = report.narrative["overview"]
    assert f"全年新收到政府信息公开申请{report.t3('new')}件" in overview
    assert f"共办结{report.t3('total')}件" in overview
    assert f"结转至下一年度继续办理{report.t3('carried_out')}件" in overview
    total = report.t3("total")
    for group, rows in OUTCOME_GROUPS.items():
        n = sum(report.t3(row) for row in rows)
        assert f"“{group}”{n}件，占{percent(n, total)}%" in overview
    litigation = sum(
        report.value(table4_id(g, "total"))
        for g in ("litigation_direct", "litigation_after_reconsideration")
    )
    reconsideration = report.value(table4_id("reconsideration", "total"))
    stated = f"共办理政府信息公开行政复议{reconsideration}件，行政诉讼{litigation}件"
    assert stated in report.narrative["remedies"]


def test_percent_rounds_half_up_to_one_decimal():
    assert [percent(1, 8), percent(1, 16), percent(1, 3), percent(2, 3)] == [
        "12.5",
        "6.3",
        "33.3",
        "66.7",
    ]
    assert [percent(0, 7), percent(7, 7)] == ["0.0", "100.0"]


def test_no_percentages_when_nothing_was_concluded():
    report = next(r for r in map(_report, SEEDS) if r.t3("total") == 0)
    assert "“予以公开”0件；" in report.narrative["overview"]
    assert "%" not in report.narrative["overview"]


@pytest.mark.parametrize("rate", [0.05, 0.2, 0.5])
def test_blank_cells_at_the_requested_rate(rate):
    applicant_ids = {table3_id(r, c) for r in TABLE3_ROW_KEYS for c in APPLICANT_COLUMNS}
    counts = []
    for seed in range(20):
        report = _report(seed, blank_rate=rate)
        blank = {cid for cid, cell in report.cells.items() if cell.state is CellState.BLANK}
        assert blank <= applicant_ids
        assert all(report.cells[c].published == "" and report.cells[c].value is None for c in blank)
        counts.append(len(blank))
    assert counts == [round(rate * len(applicant_ids))] * 20


def test_blanks_keep_the_narrative_and_totals():
    plain, blanked = _report(3), _report(3, blank_rate=0.3)
    assert plain.narrative == blanked.narrative
    for row in TABLE3_ROW_KEYS:
        assert blanked.t3(row) == plain.t3(row)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_random_reports_render_in_every_layout(name):
    for seed in range(10):
        report = _report(seed, blank_rate=0.1)
        text = LAYOUTS[name](report)
        assert text.startswith(("标题: | ", f"{report.agency}{report.year}年"))
        fee = cell_text(report.cell("table2.fees_wan_yuan"))
        assert fee in text
        assert re.search(rf"行政复议{report.value(table4_id('reconsideration', 'total'))}件", text)
