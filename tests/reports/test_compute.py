"""Tables 三 and 四 counted by the database equal a count done case by case here."""

from collections import Counter
from datetime import date

import pytest

from gongkai.cases.models import Remedy, RemedyKind, RemedyResult
from gongkai.core.outcomes import Outcome
from gongkai.core.report.checks import check_table3, check_table4
from gongkai.core.report.schema import OUTCOME_ROWS, TABLE3_COLUMN_KEYS, table3_id, table4_id
from gongkai.reports.compute import count_tables

from .conftest import Row, bulk_cases, random_rows, rng

pytestmark = pytest.mark.django_db


def expected_table3(rows: list[Row], year: int) -> Counter:
    """The definition of table 三, applied to each case in turn."""
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    out: Counter = Counter()
    for r in rows:
        if jan1 <= r.received <= dec31:
            out[("new", r.kind)] += 1
        if r.received < jan1 and (r.closed is None or r.closed >= jan1):
            out[("carried_in", r.kind)] += 1
        if r.closed is not None and jan1 <= r.closed <= dec31:
            out[(Outcome(r.outcome).report_row, r.kind)] += 1
            out[("total", r.kind)] += 1
        if r.received <= dec31 and (r.closed is None or r.closed > dec31):
            out[("carried_out", r.kind)] += 1
    for (row, _), n in list(out.items()):
        out[(row, "total")] += n
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_table3_equals_an_independent_count(w, seed):
    draw = rng(seed)
    rows = random_rows(draw, 400, date(2023, 10, 1), date(2025, 6, 1))
    bulk_cases(w.d1, w.registrar, rows)
    other = random_rows(draw, 50, date(2024, 1, 1), date(2025, 1, 1))
    bulk_cases(w.d2, w.registrar2, other, start=1000)  # another agency: not counted in d1
    for year in (2023, 2024, 2025):
        cells = count_tables(year, [w.d1.pk]).cells[w.d1.pk]
        want = expected_table3(rows, year)
        for row in ("new", "carried_in", "carried_out", "total", *OUTCOME_ROWS):
            for col in TABLE3_COLUMN_KEYS:
                assert cells[table3_id(row, col)].value == want[(row, col)], (year, row, col)


def test_identities_hold_and_carry_over_is_exact(w):
    rows = random_rows(rng(7), 300, date(2023, 1, 1), date(2025, 6, 1))
    bulk_cases(w.d1, w.registrar, rows)
    counted = {y: count_tables(y, [w.d1.pk]).cells[w.d1.pk] for y in (2023, 2024, 2025)}
    for year, cells in counted.items():
        from gongkai.core.report.schema import Report, ReportFormat

        report = Report(ReportFormat.F2021, cells=dict(cells))
        assert check_table3(report) == [] and check_table4(report) == [], year
    for year in (2023, 2024):
        for col in TABLE3_COLUMN_KEYS:
            assert (
                counted[year][table3_id("carried_out", col)].value
                == counted[year + 1][table3_id("carried_in", col)].value
            )


def test_every_agency_in_one_call(w):
    bulk_cases(w.d1, w.registrar, random_rows(rng(1), 40, date(2024, 1, 1), date(2024, 12, 31)))
    bulk_cases(
        w.d2,
        w.registrar2,
        random_rows(rng(2), 30, date(2024, 1, 1), date(2024, 12, 31)),
        start=100,
    )
    every = count_tables(2024).cells
    assert every[w.d1.pk][table3_id("new", "total")].value == 40
    assert every[w.d2.pk][table3_id("new", "total")].value == 30
    assert count_tables(2024, [w.gov.pk]).cells[w.gov.pk][table3_id("new", "total")].value == 0


def test_a_closed_case_without_outcome_is_reported_not_guessed(w):
    bulk_cases(w.d1, w.registrar, [Row(date(2024, 3, 1), date(2024, 3, 20), "", "natural_person")])
    counted = count_tables(2024, [w.d1.pk])
    assert counted.problems[w.d1.pk] == ["1件已办结的申请没有记录办理结果，无法计入表三"]
    assert counted.cells[w.d1.pk][table3_id("total", "total")].value == 0


def test_table4_by_filing_year_and_result_at_year_end(w):
    case = bulk_cases(
        w.d1, w.registrar, [Row(date(2024, 2, 1), date(2024, 2, 20), "disclosed", "natural_person")]
    )[0]

    def remedy(kind, filed, result, decided=None, after=False):
        Remedy.objects.create(
            case=case, kind=kind, filed_on=filed, body="某机关", result=result,
            decided_on=decided, after_reconsideration=after, recorded_by=w.registrar,
        )  # fmt: skip

    remedy(RemedyKind.RECONSIDERATION, date(2024, 3, 1), RemedyResult.UPHELD, date(2024, 5, 1))
    remedy(RemedyKind.RECONSIDERATION, date(2024, 4, 1), RemedyResult.CORRECTED, date(2024, 6, 1))
    # decided next year: pending in 2024's report
    remedy(RemedyKind.RECONSIDERATION, date(2024, 12, 1), RemedyResult.OTHER, date(2025, 1, 10))
    remedy(RemedyKind.LITIGATION, date(2024, 7, 1), RemedyResult.PENDING)
    remedy(
        RemedyKind.LITIGATION, date(2024, 8, 1), RemedyResult.UPHELD, date(2024, 11, 1), after=True
    )
    remedy(RemedyKind.RECONSIDERATION, date(2023, 12, 1), RemedyResult.UPHELD, date(2024, 1, 5))
    cells = count_tables(2024, [w.d1.pk]).cells[w.d1.pk]
    got = {cid: c.value for cid, c in cells.items() if cid.startswith("table4") and c.value}
    assert got == {
        table4_id("reconsideration", "upheld"): 1,
        table4_id("reconsideration", "corrected"): 1,
        table4_id("reconsideration", "pending"): 1,
        table4_id("reconsideration", "total"): 3,
        table4_id("litigation_direct", "pending"): 1,
        table4_id("litigation_direct", "total"): 1,
        table4_id("litigation_after_reconsideration", "upheld"): 1,
        table4_id("litigation_after_reconsideration", "total"): 1,
    }
    assert (
        count_tables(2025, [w.d1.pk]).cells[w.d1.pk][table4_id("reconsideration", "total")].value
        == 0
    )
