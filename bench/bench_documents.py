"""Benchmark: the document registry's pages with many documents in the database.

Builds a fresh database (migrations and the demo of :func:`gongkai.project.demo.load_demo`),
bulk-inserts N synthetic texts (one policy each; 规章 only at the city government, 行政规范性文件
and 其他文件 everywhere; every validity; about 95 % published over ten years, the rest in hand
and recent; most published 行政规范性文件 with a 解读, see :func:`_texts` and :data:`READINGS`)
spread over the demo's 示范市人民政府 (SFGOV), 示范市教育局 (SFJY) and 示范市自然资源和规划局
(SFZR), then requests each page through Django's test client (the whole middleware stack and
templates; no HTTP server):

- staff, as ``zhang`` (registrar of 示范市教育局: that department's texts) and ``chen``
  (supervisor at 示范市人民政府: every text of the city): the dashboard ``/`` (its registry
  section: publication cards, 三同步 flags, texts about to expire), the registry list
  ``/documents/``, a filtered list (行政规范性文件, 现行有效), a keyword search (招生), the red
  publication cards (``?card=red``) and one text's page;
- the public (not logged in): the portal's registry list ``/portal/documents/``, a filtered
  list, a keyword search and one text's page.

For each page it prints the rows the page covers, p50, p95 and max of R timed requests after
one warm-up, and the number and time of the SQL queries of one request. The rows are, for a
list, the total the page itself prints (“共 N 件”), checked against the count of the
selector behind it (:func:`gongkai.documents.selectors.documents_for` for the staff,
:func:`gongkai.documents.public.public_documents` for the public; the run stops when they
differ); for the dashboard, the texts the user sees; for a text's page, 1. Nothing else is
asserted except that every page answers 200.

    .venv/bin/python bench/bench_documents.py [--documents 100000] [--requests 50] [--explain]

The database is chosen as in ``bench_web.py`` (SQLite in a temporary directory, or the
benchmark's own PostgreSQL database with ``DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import QueryTimer, Row, _explain, _get, configure, report

BATCH = 5000
AGENCIES = [("SFGOV", 0.30), ("SFJY", 0.40), ("SFZR", 0.30)]
TOPICS = ["教育", "城乡建设", "国土资源", "财政", "营商环境", "社会保障", "卫生健康", "交通运输"]
SUBJECTS = [
    "义务教育招生入学",
    "国有建设用地使用权出让",
    "老旧小区改造",
    "普惠性幼儿园扶持",
    "集体土地征收补偿",
    "停车场建设管理",
    "城市绿化管理",
    "中小学教师招聘",
    "优化营商环境",
    "农村宅基地管理",
]
FORMS = ["实施办法", "管理办法", "若干措施", "实施意见", "工作方案", "管理规定"]


#: Where the texts not yet published stand (their share among them).
UNPUBLISHED = [("draft", 60), ("secrecy", 15), ("scan", 5), ("sign_off", 10), ("returned", 10)]
#: A 解读 of a published 行政规范性文件: (days after the text, share); None: no 解读 yet.
READINGS = [(0, 55), (1, 15), (2, 10), (None, 15), ("late", 5)]


def _texts(n: int, rng: random.Random, agencies: list, today: date) -> Iterator[tuple]:
    """(policy, document) pairs, not saved.

    About 95 % are published, over the last ten years; the others are in hand: formed in
    the last 40 days (a few stalled for up to a year), at every step of the review. A
    published text's validity is 现行有效 (70 %), 已修订, 失效 or 已废止 (10 % each), 尚未施行
    before its 施行日期; 30 % of the 行政规范性文件 have an 有效期 of five years (失效 once it
    ended). A text in hand has the validity its dates give (as the registry caches it).
    """
    from gongkai.core.validity import DocKind, Validity
    from gongkai.documents.models import Disclosure, Document, Policy, ReviewState

    weights = [share for _, share in AGENCIES]
    for i in range(n):
        k = rng.choices(range(len(agencies)), weights=weights)[0]
        agency = agencies[k]
        kind = rng.choice(
            [DocKind.RULES, DocKind.NORMATIVE, DocKind.OTHER]
            if k == 0
            else [DocKind.NORMATIVE, DocKind.OTHER, DocKind.OTHER]
        )
        published = rng.random() < 0.95
        if published:
            written = today - timedelta(days=rng.randrange(0, 3650))
            state = ReviewState.PUBLISHED
            published_on = min(written + timedelta(days=rng.randrange(0, 15)), today)
            validity = rng.choices(
                [Validity.IN_FORCE, Validity.REVISED, Validity.EXPIRED, Validity.REPEALED],
                weights=[70, 10, 10, 10],
            )[0]
        else:
            back = rng.randrange(0, 40) if rng.random() < 0.95 else rng.randrange(40, 365)
            written = today - timedelta(days=back)
            state = ReviewState(_weighted(rng, UNPUBLISHED))
            published_on = None
            validity = Validity.IN_FORCE
        effective = written + timedelta(days=rng.choice([0, 0, 30]))
        expires = None
        if kind == DocKind.NORMATIVE and rng.random() < 0.3:
            expires = effective + timedelta(days=5 * 365)
        since = effective
        if validity == Validity.IN_FORCE and effective > today:
            validity, since = Validity.NOT_YET_IN_FORCE, None
        elif validity == Validity.IN_FORCE and expires is not None and expires < today:
            validity, since = Validity.EXPIRED, expires + timedelta(days=1)
        subject = rng.choice(SUBJECTS)
        number = f"示{agency.code[-2:]}发〔{written.year}〕{i % 900 + 1}号"
        policy = Policy(agency=agency, kind=kind, code=f"B{i:07d}", topic=rng.choice(TOPICS))
        yield (
            policy,
            Document(
                agency=agency,
                kind=kind,
                title=f"{agency.name}关于{subject}的{rng.choice(FORMS)}（第{i}号）",
                index_no=f"{agency.code}/{written.year}-{i:07d}",
                doc_number=number if rng.random() < 0.9 else "",
                topic=policy.topic,
                written_on=written,
                effective_on=effective,
                expires_on=expires,
                published_on=published_on,
                formed_on=written,
                disclosure=Disclosure.PROACTIVE,
                text=f"第一条 为规范{subject}工作，制定本办法。\n第二条 本办法自发布之日起施行。",
                validity=validity,
                validity_since=since,
                review_state=state,
            ),
        )


def _weighted(rng: random.Random, table: list[tuple]) -> object:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _readings(documents: list, rng: random.Random, today: date) -> int:
    """解读 of the published 行政规范性文件 among ``documents`` (saved), as :data:`READINGS`
    says: most on the day of the text or within two days, some late, some missing. The
    number made."""
    from gongkai.core.validity import DocKind
    from gongkai.documents.models import Interpretation, InterpretationKind

    pairs = []
    for doc in documents:
        if doc.kind != DocKind.NORMATIVE or doc.published_on is None:
            continue
        after = _weighted(rng, READINGS)
        if after is None:
            continue
        days = rng.randrange(6, 30) if after == "late" else after
        pairs.append(
            (
                doc,
                Interpretation(
                    agency_id=doc.agency_id,
                    kind=InterpretationKind.TEXT,
                    title=f"《{doc.title}》政策解读",
                    body="一、制定背景\n二、主要内容",
                    published_on=min(doc.published_on + timedelta(days=days), today),
                ),
            )
        )
    made = Interpretation.objects.bulk_create([r for _, r in pairs])
    link = Interpretation.documents.through
    link.objects.bulk_create(
        [
            link(interpretation_id=r.pk, document_id=doc.pk)
            for (doc, _), r in zip(pairs, made, strict=True)
        ]
    )
    return len(made)


def populate(n: int, seed: int = 2026) -> tuple[float, float, int]:
    """Demo world plus ``n`` texts and their 解读; (demo seconds, insert seconds, 解读)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.documents.models import Document, Policy
    from gongkai.project.demo import load_demo

    t0 = time.perf_counter()
    demo = load_demo()
    demo_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    agencies = [demo.agencies[code] for code, _ in AGENCIES]
    pairs = _texts(n, rng, agencies, today)
    readings = 0
    while True:
        batch = [p for _, p in zip(range(BATCH), pairs, strict=False)]
        if not batch:
            break
        with transaction.atomic():
            policies = Policy.objects.bulk_create([p for p, _ in batch])
            for policy, doc in zip(policies, (d for _, d in batch), strict=True):
                doc.policy = policy
            documents = Document.objects.bulk_create([d for _, d in batch])
            readings += _readings(documents, rng, today)
    # Statistics as a running database has them: PostgreSQL's autovacuum gathers them, SQLite
    # from ANALYZE (migration 0002 of documents, PRAGMA optimize on opening a connection).
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return demo_s, time.perf_counter() - t0, readings


#: What a list prints above its rows: “共 N 件” (the portal adds “符合条件的文件”).
TOTAL = re.compile(r"共 (\d+) 件")
STAFF = ("zhang", "chen")
FILTERED = {"kind": "normative_documents", "validity": "in_force"}
SEARCH = {"q": "招生"}


@dataclass(frozen=True)
class Page:
    """One page measured: ``rows`` counts what it covers (see the module's docstring);
    ``listed``: the page prints that count as “共 N 件”, which must agree."""

    label: str
    user: str | None  # None: the public, not logged in
    path: str
    rows: Callable[[], int]
    listed: bool = False


def _query(path: str, params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return f"{path}?{urlencode(params)}"


def pages() -> list[Page]:
    from django.urls import reverse
    from django.utils import timezone

    from gongkai.accounts.models import User
    from gongkai.accounts.scope import viewer_for
    from gongkai.documents import public
    from gongkai.documents import selectors as sel
    from gongkai.documents.models import Document
    from gongkai.rules.selectors import working_calendar

    staff_doc = Document.objects.filter(agency__code="SFJY").order_by("-id").first()
    public_doc = public.public_texts().order_by("-id").first()
    if staff_doc is None or public_doc is None:
        raise SystemExit("bench_documents: no text of 示范市教育局, or no public text")
    today, cal = timezone.localdate(), working_calendar()

    def listed(viewer: Any, **flt: str) -> Callable[[], int]:
        return lambda: sel.documents_for(viewer, **flt, today=today, cal=cal).count()

    out: list[Page] = []
    staff_list = reverse("documents:list")
    for username in STAFF:
        viewer = viewer_for(User.objects.get(username=username))
        out += [
            Page("dashboard", username, "/", sel.visible_documents(viewer).count),
            Page("list", username, staff_list, listed(viewer), True),
            Page(
                "filtered", username, _query(staff_list, FILTERED), listed(viewer, **FILTERED), True
            ),
            Page("search", username, _query(staff_list, SEARCH), listed(viewer, **SEARCH), True),
            Page("red cards", username, f"{staff_list}?card=red", listed(viewer, card="red"), True),
            Page(
                "text page", username, reverse("documents:detail", args=[staff_doc.pk]), lambda: 1
            ),
        ]
    public_list = reverse("portal:documents")
    out += [
        Page("list", None, public_list, lambda: public.public_documents().count(), True),
        Page(
            "filtered",
            None,
            _query(public_list, FILTERED),
            lambda: public.public_documents(**FILTERED).count(),
            True,
        ),
        Page(
            "search",
            None,
            _query(public_list, SEARCH),
            lambda: public.public_documents(**SEARCH).count(),
            True,
        ),
        Page("text page", None, reverse("portal:document", args=[public_doc.pk]), lambda: 1),
    ]
    return out


def _shown(page: Page, html: str, rows: int) -> None:
    """Stop unless the list prints ``rows`` as its total."""
    found = TOTAL.search(html)
    if not found or int(found.group(1)) != rows:
        who = page.user or "public"
        raise SystemExit(
            f"bench_documents: {page.path} as {who} shows {found and found.group(0)}, "
            f"the selector counts {rows}"
        )


def measure(requests: int, explain: bool) -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gongkai.accounts.models import User

    out: list[Row] = []
    for page in pages():
        client = Client()
        if page.user:
            client.force_login(User.objects.get(username=page.user))
        rows = page.rows()
        _get(client, page.path)  # warm-up
        timer = QueryTimer()
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
            response = _get(client, page.path)
        logged = list(ctx.captured_queries)  # the log is cleared by the next request
        if page.listed:
            _shown(page, response.content.decode(), rows)
        times: list[float] = []
        for _ in range(requests):
            t0 = time.perf_counter()
            _get(client, page.path)
            times.append(time.perf_counter() - t0)
        sql_s = sum(t for t, _ in timer.timed)
        out.append(Row(page.label, page.user or "public", rows, times, len(logged), sql_s))
        if explain:
            print(f"-- {page.label} ({page.path}) as {page.user or 'public'}: slowest queries")
            _explain(logged, timer.timed)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000, help="texts to insert")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--explain", action="store_true", help="print query plans")
    args = parser.parse_args()
    if args.documents < 1 or args.requests < 1:
        parser.error("--documents and --requests must be ≥ 1")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        where = configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connection

        from gongkai.documents.models import Document

        call_command("migrate", verbosity=0)
        demo_s, insert_s, readings = populate(args.documents)
        print(f"database: {where}")
        print(
            f"demo {demo_s:.1f} s, {args.documents:,} texts and {readings:,} 解读 inserted "
            f"in {insert_s:.1f} s; texts in database: {Document.objects.count():,}; "
            f"timed requests per page: {args.requests}"
        )
        print("rows: the total a list prints (共 N 件, = its selector's count); dashboard: texts")
        print("the user sees; text page: 1")
        print()
        report(measure(args.requests, args.explain))
        connection.close()
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
