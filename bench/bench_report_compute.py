"""Benchmark: computing every agency's annual-report tables 三 and 四 for a year.

Builds the benchmark's own PostgreSQL database (see :func:`bench_web.configure`: the
database named by ``DATABASE_URL`` only if it starts with ``gongkai_bench``, else
``gongkai_bench``; dropped and created anew), runs the migrations and makes ``--agencies``
departments under one government. It then inserts ``--cases`` cases with one
``INSERT … SELECT … FROM generate_series`` (identity columns copied from one case encrypted
by its fields): received from 1 January of the year before to the end of the year, spread
over the agencies, over the six applicant kinds and over every outcome; about 8 % still
open, the rest concluded 0–90 days after receipt; plus one remedy (复议/诉讼) per 200 cases.
After ``ANALYZE`` it times, ``--repeat`` times each after one warm-up:

- ``count_tables(year)``: tables 三 and 四 of every agency, exactly as the platform
  computes them (two ``GROUP BY`` queries with conditional counts, then the cells);
- the bare ``SELECT agency_id, COUNT(*) FROM cases_case GROUP BY agency_id`` over the same
  table, the floor any per-agency count must pay;

and prints the median and best of each and their ratio. It checks that table 三's
identity holds for every agency and that the agencies' new applications add up to the
cases received in the year. Target (issue): under 2 s for 1,000,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \\
        .venv/bin/python bench/bench_report_compute.py [--cases 1000000] [--agencies 120]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_web import configure

YEAR = 2025
OPEN_PERMILLE = 80


def populate(n: int, agencies: int) -> list[int]:
    """The government, its departments, a clerk and ``n`` cases; the department ids."""
    from django.db import connection, transaction

    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency, AgencyKind
    from gongkai.cases.models import Case
    from gongkai.core.outcomes import Outcome

    with transaction.atomic():
        gov = Agency.objects.create(name="基准市人民政府", code="BGOV", kind=AgencyKind.GOVERNMENT)
        ids = [
            Agency.objects.create(
                name=f"基准市第{i}局", code=f"BD{i:04d}", kind=AgencyKind.DEPARTMENT, parent=gov
            ).pk
            for i in range(agencies)
        ]
        clerk = User.objects.create(username="bench")
        template = Case.objects.create(
            agency_id=ids[0], number="TEMPLATE", year=YEAR, seq=0, status="registered",
            channel="in_person", received_on=date(YEAR, 1, 2), applicant_kind="natural_person",
            applicant_name="基准申请人", applicant_name_masked="基*", id_type="resident_id",
            id_number="110101198506150011", id_number_masked="1101**********0011",
            id_digest="bench", request_text="基准", form_wanted="paper",
            delivery_wanted="in_person", registered_by=clerk,
        )  # fmt: skip
    outcomes = "{" + ",".join(o.value for o in Outcome) + "}"
    kinds = "{natural_person,natural_person,natural_person,commercial,research,public_interest,legal_services,other_org}"  # noqa: E501
    copied = [
        f.column
        for f in Case._meta.concrete_fields
        if f.column not in {"id", "agency_id", "number", "year", "seq", "status",
                            "received_on", "applicant_kind", "outcome", "closed_on"}
    ]  # fmt: skip
    received = f"(date '{YEAR - 1}-01-01' + (g * 7919 % 730)::int)"
    open_ = f"(g * 31 % 1000 < {OPEN_PERMILLE})"
    sql = f"""
        INSERT INTO cases_case (agency_id, number, year, seq, status, received_on,
            applicant_kind, outcome, closed_on, {", ".join(copied)})
        SELECT a.ids[(1 + g % {agencies})::int], 'B' || g, extract(year FROM {received})::int, g,
            CASE WHEN {open_} THEN 'processing' ELSE 'replied' END, {received},
            (%(kinds)s::text[])[(1 + g * 13 % 8)::int],
            CASE WHEN {open_} THEN ''
                ELSE (%(outcomes)s::text[])[(1 + g * 17 % {len(Outcome)})::int] END,
            CASE WHEN {open_} THEN NULL ELSE {received} + (g * 11 % 91)::int END,
            {", ".join(f"t.{c}" for c in copied)}
        FROM generate_series(1::bigint, %(n)s::bigint) g, cases_case t,
            (SELECT %(ids)s::int[] AS ids) a
        WHERE t.id = %(template)s
    """  # noqa: S608 - only our own column names and integers are formatted in
    remedies = """
        INSERT INTO reports_remedy (case_id, kind, after_reconsideration, filed_on, body,
            reference, result, decided_on, note, recorded_by_id, created_at)
        SELECT c.id, CASE WHEN c.seq % 3 = 0 THEN 'litigation' ELSE 'reconsideration' END,
            c.seq % 6 = 0, c.closed_on + 10, '基准复议机关', '',
            (ARRAY['upheld','corrected','other','pending'])[1 + c.seq % 4],
            CASE WHEN c.seq % 4 = 3 THEN NULL ELSE c.closed_on + 40 END, '', %(clerk)s, now()
        FROM cases_case c WHERE c.closed_on IS NOT NULL AND c.seq % 200 = 0
    """
    sql, remedies = sql.replace(" % ", " %% "), remedies.replace(" % ", " %% ")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, {"kinds": kinds, "outcomes": outcomes, "n": n, "ids": ids,
                          "template": template.pk})  # fmt: skip
        cur.execute("DELETE FROM cases_case WHERE id = %s", [template.pk])
        cur.execute(remedies, {"clerk": clerk.pk})
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return ids


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def bare_count() -> list[tuple[int, int]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT agency_id, COUNT(*) FROM cases_case GROUP BY agency_id")
        return cur.fetchall()


def verify(ids: list[int]) -> None:
    from django.db import connection

    from gongkai.core.report.checks import check_table3, check_table4
    from gongkai.core.report.schema import Report, ReportFormat, table3_id
    from gongkai.reports.compute import count_tables

    counted = count_tables(YEAR)
    new = 0
    for agency in ids:
        report = Report(ReportFormat.F2021, cells=dict(counted.cells[agency]))
        findings = check_table3(report) + check_table4(report)
        if findings:
            sys.exit(f"agency {agency}: {findings[0].message}")
        new += report.value(table3_id("new", "total"))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM cases_case WHERE received_on BETWEEN %s AND %s",
            [date(YEAR, 1, 1), date(YEAR, 12, 31)],
        )
        (received,) = cur.fetchone()
    if new != received:
        sys.exit(f"new applications {new} ≠ cases received in {YEAR} {received}")
    print(f"checked: table 三 identities hold for all {len(ids)} agencies; new = {new:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("bench_report_compute: set DATABASE_URL to a PostgreSQL server")
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        where = configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connection

        from gongkai.reports.compute import count_tables

        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        ids = populate(args.cases, args.agencies)
        print(f"database: {where}")
        print(f"{args.cases:,} cases over {args.agencies} agencies inserted in "
              f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
        verify(ids)
        compute = timed(lambda: count_tables(YEAR), args.repeat)
        bare = timed(bare_count, args.repeat)
        ratio = statistics.median(compute) / statistics.median(bare)
        print(f"count_tables({YEAR}), every agency: median {statistics.median(compute):.3f} s, "
              f"best {min(compute):.3f} s")  # fmt: skip
        print(f"bare COUNT(*) GROUP BY agency_id:  median {statistics.median(bare):.3f} s, "
              f"best {min(bare):.3f} s")  # fmt: skip
        print(f"ratio (median): {ratio:.2f}×; target < 2 s: "
              f"{'met' if statistics.median(compute) < 2 else 'NOT met'}")  # fmt: skip
        connection.close()


if __name__ == "__main__":
    main()
