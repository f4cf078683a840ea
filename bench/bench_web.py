"""Benchmark: staff page response times with many cases in the database.

Builds a fresh database (migrations, the demo agencies and users of
:func:`gongkai.project.demo.load_demo`), bulk-inserts N synthetic cases spread over the
demo agencies 示范市教育局 (SFJY), 示范市自然资源和规划局 (SFZR) and 示范市人民政府 (SFGOV):
received over the last two years, about 10 % still open (due dates and cards consistent
with the working calendar: green, yellow, red, paused), the rest replied, closed or
archived. Then it requests each page through Django's test client (the whole middleware
stack, templates included; no HTTP server) as two demo users:

- ``zhang``, registrar of 示范市教育局: sees that department's cases only;
- ``chen``, supervisor at 示范市人民政府: sees every case of the city.

Pages: the dashboard ``/``, the case list of open cases ``/cases/?status=open``, the red
cards ``/cases/?card=red`` and a text search ``/cases/?q=招生``. For each page and user it
prints the rows the page covers (cases on the dashboard, matches of the list), p50, p95
and max of R timed requests after one warm-up, the number of SQL queries of one request
and the time those queries took. Nothing is asserted except that every page answers 200.

    .venv/bin/python bench/bench_web.py [--cases 100000] [--requests 50] [--explain]

Without ``DATABASE_URL`` the database is a SQLite file in a temporary data directory,
deleted afterwards. With ``DATABASE_URL=postgres://user@host:port/name`` the benchmark
uses that server but always its own database: ``name`` if it starts with
``gongkai_bench``, else ``gongkai_bench``; that database is dropped and created anew on
every run (no other database is ever written or dropped) and analysed after the insert,
as autovacuum would do (vacuumed and analysed; the SQLite file is not analysed: nothing in
the project does).
``--explain`` prints the plans of each page's slowest reads (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN ANALYZE on PostgreSQL).

Identity columns are encrypted on insert by their field as in production (a throw-away
key in the temporary data directory), so the insert time includes Fernet encryption.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "gongkai_bench"
BATCH = 5000
#: (agency code, registrar username, share of the cases)
AGENCIES = [("SFJY", "zhang", 0.45), ("SFZR", "liu", 0.35), ("SFGOV", "he", 0.20)]
USERS = ["zhang", "chen"]
#: (label, path, the selectors' filter of the same page; None: the dashboard)
PAGES: list[tuple[str, str, dict[str, str] | None]] = [
    ("dashboard", "/", None),
    ("list open", "/cases/?status=open", {"status": "open"}),
    ("list red", "/cases/?card=red", {"card": "red"}),
    ("search", "/cases/?q=招生", {"q": "招生"}),
]
OPEN_SHARE = 0.10
OPEN_STATUSES = [
    ("registered", 40),
    ("processing", 35),
    ("awaiting_correction", 10),
    ("drafted", 10),
    ("approved", 5),
]
DONE_STATUSES = [("replied", 70), ("archived", 20), ("closed", 10)]
CHANNELS = ["in_person", "signed_post", "ordinary_letter", "online", "email", "fax"]


# --- database set-up (before Django is imported) --------------------------------------------


def _postgres_database(url: str) -> str:
    """Drop and create the benchmark's own database on the server of ``url``; its URL."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(BENCH_DB):
        print(f"note: using database {BENCH_DB!r} on that server, not {name!r}")
        name = BENCH_DB
    with psycopg.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def configure(data_dir: Path) -> str:
    """Environment for the project settings, then ``django.setup()``; names the database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.project.settings"
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ["GONGKAI_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["GONGKAI_DEBUG"] = "0"
    os.environ["GONGKAI_ALLOWED_HOSTS"] = "testserver"  # the test client's host name
    os.environ.pop("GONGKAI_FIELD_KEYS", None)  # a throw-away key in the data directory
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith(("postgres://", "postgresql://")):
        url = os.environ["DATABASE_URL"] = _postgres_database(url)
        parts = urlsplit(url)
        where = f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"
    elif url:
        sys.exit(f"bench_web: unsupported DATABASE_URL {url!r} (PostgreSQL or none)")
    else:
        where = f"SQLite {data_dir / 'gongkai.sqlite3'}"
    import django

    django.setup()
    return where


# --- synthetic cases -----------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    received_on: date
    agency: int  # index into AGENCIES
    open: bool


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _specs(n: int, rng: random.Random, today: date, working_days: list[date]) -> list[Spec]:
    """Receipt dates and agencies; open cases are recent (a few long overdue)."""
    out: list[Spec] = []
    weights = [share for _, _, share in AGENCIES]
    for _ in range(n):
        agency = rng.choices(range(len(AGENCIES)), weights=weights)[0]
        if rng.random() < OPEN_SHARE:
            back = rng.randrange(0, 30) if rng.random() < 0.95 else rng.randrange(30, 200)
            out.append(Spec(working_days[back], agency, True))
        else:
            out.append(Spec(today - timedelta(days=rng.randrange(1, 730)), agency, False))
    out.sort(key=lambda s: s.received_on)
    return out


def _applicant(rng: random.Random, i: int) -> dict[str, str]:
    """Identity columns; the encrypted ones are encrypted by the field on insert."""
    from gongkai.cases.models import ApplicantKind, IdType
    from gongkai.core import identity
    from gongkai.project.demo import NAMES, ORGS
    from gongkai.security.crypto import blind_index

    if rng.random() < 0.3:
        kind, name = ORGS[i % len(ORGS)]
        code = f"91370100MA{i:07d}X"
        phone = f"0531-8{i % 10_000_000:07d}"
        return {
            "applicant_kind": kind,
            "applicant_name": name,
            "applicant_name_masked": name,
            "contact_person": rng.choice(NAMES),
            "id_type": IdType.CREDIT_CODE,
            "id_number": code,
            "id_number_masked": identity.mask_credit_code(code),
            "id_digest": blind_index(code),
            "phone": phone,
            "phone_masked": phone[:4] + "****",
            "email": f"org{i}@example.cn",
        }
    name = NAMES[i % len(NAMES)]
    born = f"{rng.randint(1960, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    number = f"370102{born}{i % 10_000:04d}"
    phone = f"139{i % 100_000_000:08d}"
    return {
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "applicant_name": name,
        "applicant_name_masked": identity.mask_name(name),
        "id_type": IdType.RESIDENT_ID,
        "id_number": number,
        "id_number_masked": identity.mask_resident_id(number),
        "id_digest": blind_index(number),
        "phone": phone,
        "phone_masked": identity.mask_mobile(phone),
        "address": f"示范市东城区幸福路{i % 500 + 1}号",
    }


def _clock(rng: random.Random, spec: Spec, status: str, today: date, cal: Any) -> dict[str, Any]:
    """Due date, card and end dates consistent with the status."""
    from django.conf import settings

    from gongkai.cases.models import Card
    from gongkai.core.deadlines import card_colour, working_days_left
    from gongkai.core.outcomes import Outcome

    due = cal.add_working_days(spec.received_on, 20)
    if not spec.open:
        end = min(today, spec.received_on + timedelta(days=rng.randrange(3, 30)))
        return {
            "due_on": due,
            "card": Card.DONE,
            "outcome": rng.choice(list(Outcome)).value,
            "replied_on": end if status != "closed" else None,
            "closed_on": end,
            "clock_as_of": end,
        }
    if status == "awaiting_correction":
        return {"due_on": None, "card": Card.PAUSED, "clock_note": "补正", "clock_as_of": today}
    if status == "processing" and rng.random() < 0.1:
        return {"due_on": due, "card": Card.PAUSED, "clock_note": "征求意见", "clock_as_of": today}
    left = working_days_left(cal, today, due)
    colour = card_colour(left, settings.GONGKAI_YELLOW_AT)
    return {"due_on": due, "card": Card(colour.value), "clock_as_of": today}


def populate(n: int, seed: int = 2026) -> tuple[int, float, float]:
    """Demo world plus ``n`` cases; (cases in the database, demo seconds, insert seconds)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.cases.models import Case, CaseCounter, DeliveryWanted, InfoForm
    from gongkai.project.demo import REQUESTS, load_demo
    from gongkai.rules.selectors import working_calendar

    t0 = time.perf_counter()
    demo = load_demo()
    demo_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    cal = working_calendar()
    working_days = [
        d for d in (today - timedelta(days=k) for k in range(400)) if cal.is_working_day(d)
    ]
    agencies = [(demo.agencies[code], demo.users[user]) for code, user, _ in AGENCIES]
    last = {(c.agency_id, c.year): c.last for c in CaseCounter.objects.all()}

    def cases() -> Iterator[Case]:
        for i, spec in enumerate(_specs(n, rng, today, working_days)):
            agency, clerk = agencies[spec.agency]
            year = spec.received_on.year
            seq = last[agency.pk, year] = last.get((agency.pk, year), 0) + 1
            status = _weighted(rng, OPEN_STATUSES if spec.open else DONE_STATUSES)
            yield Case(
                agency=agency,
                number=f"{agency.code}-{year}-{seq:06d}",
                year=year,
                seq=seq,
                status=status,
                channel=rng.choice(CHANNELS),
                received_on=spec.received_on,
                request_text=REQUESTS[rng.randrange(len(REQUESTS))],
                form_wanted=rng.choice(InfoForm.values),
                delivery_wanted=rng.choice(DeliveryWanted.values),
                registered_by=clerk,
                **_applicant(rng, i),
                **_clock(rng, spec, status, today, cal),
            )

    with transaction.atomic():
        batch: list[Case] = []
        for case in cases():
            batch.append(case)
            if len(batch) == BATCH:
                Case.objects.bulk_create(batch)
                batch.clear()
        Case.objects.bulk_create(batch)
        for (agency_id, year), value in last.items():
            CaseCounter.objects.update_or_create(
                agency_id=agency_id, year=year, defaults={"last": value}
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")  # as autovacuum would: visibility map and statistics
    return Case.objects.count(), demo_s, time.perf_counter() - t0


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Row:
    page: str
    user: str
    rows: int
    times: list[float]
    queries: int
    sql_s: float


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def _get(client: Any, path: str) -> Any:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"bench_web: GET {path} answered {response.status_code}")
    return response


class QueryTimer:
    """An execute wrapper timing each query of a request precisely (the log keeps ms)."""

    def __init__(self) -> None:
        self.timed: list[tuple[float, str]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timed.append((time.perf_counter() - t0, sql))


def _short(sql: str) -> str:
    """The SQL without its long column list."""
    return re.sub(r"^SELECT .{200,}? FROM ", "SELECT … FROM ", sql, count=1)


def _explain(logged: list[dict[str, str]], timed: list[tuple[float, str]], top: int = 2) -> None:
    """Plans of the ``top`` slowest reads (``logged``: the same queries, parameters bound)."""
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    if len(logged) != len(timed):
        print("  (query log and timings disagree; no plans)")
        return
    reads = [i for i in range(len(timed)) if timed[i][1].lstrip().upper().startswith("SELECT")]
    ranked = sorted(reads, key=lambda i: -timed[i][0])[:top]
    for i in ranked:
        sql = logged[i]["sql"]
        print(f"  {timed[i][0] * 1000:.1f} ms: {_short(sql)}")
        with connection.cursor() as cur:
            cur.execute(prefix + sql)
            for plan in cur.fetchall():
                print("      ", " | ".join(str(x) for x in plan))


def measure(requests: int, explain: bool) -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gongkai.accounts.models import User
    from gongkai.accounts.scope import viewer_for
    from gongkai.cases import selectors as sel

    out: list[Row] = []
    for username in USERS:
        user = User.objects.get(username=username)
        viewer = viewer_for(user)
        client = Client()
        client.force_login(user)
        for label, path, flt in PAGES:
            rows = sel.case_list(viewer, sel.CaseFilter(**(flt or {}))).count()
            _get(client, path)  # warm-up
            timer = QueryTimer()
            with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
                response = _get(client, path)
            logged = list(ctx.captured_queries)  # the log is cleared by the next request
            if flt is not None:
                shown = re.search(r"共 (\d+) 件", response.content.decode())
                if not shown or int(shown.group(1)) != rows:
                    raise SystemExit(
                        f"bench_web: {path} shows {shown and shown.group(0)}, not {rows}"
                    )
            times: list[float] = []
            for _ in range(requests):
                t0 = time.perf_counter()
                _get(client, path)
                times.append(time.perf_counter() - t0)
            sql_s = sum(t for t, _ in timer.timed)
            out.append(Row(label, username, rows, times, len(logged), sql_s))
            if explain:
                print(f"-- {label} ({path}) as {username}: slowest queries")
                _explain(logged, timer.timed)
    return out


def report(rows: list[Row]) -> None:
    head = (
        f"{'page':<12} {'user':<6} {'rows':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'queries':>8} {'sql ms':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        ms = [t * 1000 for t in r.times]
        print(
            f"{r.page:<12} {r.user:<6} {r.rows:>7} {percentile(ms, 0.5):>8.1f} "
            f"{percentile(ms, 0.95):>8.1f} {max(ms):>8.1f} {r.queries:>8} {r.sql_s * 1000:>8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="synthetic cases to insert")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--explain", action="store_true", help="print query plans")
    args = parser.parse_args()
    if args.cases < 0 or args.requests < 1:
        parser.error("--cases must be ≥ 0 and --requests ≥ 1")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        where = configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connection

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_s = time.perf_counter() - t0
        total, demo_s, insert_s = populate(args.cases)
        print(f"database: {where}")
        print(
            f"migrate {migrate_s:.1f} s, demo {demo_s:.1f} s, "
            f"{args.cases:,} cases inserted in {insert_s:.1f} s "
            f"({args.cases / max(insert_s, 1e-9):,.0f} per second)"
        )
        print(f"cases in database: {total:,}; timed requests per page: {args.requests}")
        print("pages: " + ", ".join(f"{label} = {path}" for label, path, _ in PAGES))
        print("rows: cases the user sees (dashboard) or matching the list (50 a page)")
        print()
        report(measure(args.requests, args.explain))
        connection.close()
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
