"""Benchmark: the platform under load, served by ``gongkai serve`` (gunicorn) over loopback.

Builds the same database as ``bench_web.py`` (the demo world plus N synthetic cases, 10 %
open; PostgreSQL when ``DATABASE_URL`` names a server, in its own ``gongkai_bench``
database), starts ``gongkai serve`` on 127.0.0.1 with that database and data directory,
and drives it with ``wrk`` (Debian's package: a maintained C load generator; the script
installs it with apt-get when it is missing and it runs as root). Every run is bounded:
``--seconds`` per page, a fixed number of connections, loopback only.

Two measurements:

1. **Burst**: ``--clients`` (100) concurrent connections for each page — the login page,
   the staff dashboard and the open-case list (as the registrar ``zhang`` and the
   supervisor ``chen``, who sees every case of the city), the portal status page of one
   application (a session holding the grant the number + query code lookup gives) and the
   API list (``GET /api/cases?status=open``, bearer token). Printed: requests per second,
   p50/p95/p99 latency, and errors (refused or broken connections, time-outs, answers
   other than 200).
2. **Every role, one client**: the dashboard and the open-case list for each demo role
   (registrar, head, secrecy reviewer, handler, supervisor, administrator) with one
   connection, p50/p95/p99 — the time a person waits.

    .venv/bin/python bench/bench_load.py [--cases 100000] [--clients 100] [--seconds 10]

The server runs ``--workers`` processes of 4 threads (default: the ``gongkai serve``
default for this machine); ``wrk`` takes two threads on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import configure, populate

ROOT = Path(__file__).resolve().parents[1]
GONGKAI = ROOT / ".venv" / "bin" / "gongkai"
ROLES = [
    ("zhang", "registrar"),
    ("wang", "head"),
    ("li", "secrecy"),
    ("zhao", "handler"),
    ("chen", "supervisor"),
    ("wu", "admin"),
]

# wrk's report: one JSON line with the percentiles and the error counts.
WRK_SCRIPT = """
local headers = {}
for k, v in string.gmatch(os.getenv("WRK_HEADERS") or "", "([^\\n:]+):%s*([^\\n]+)") do
  headers[k] = v
end
request = function()
  return wrk.format("GET", nil, headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.2f, "p95": %.2f, "p99": %.2f, '
    .. '"max": %.2f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class Result:
    page: str
    who: str
    clients: int
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
        found = shutil.which("wrk")
    if not found:
        sys.exit("bench_load: wrk is needed (apt-get install wrk)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sessions() -> tuple[dict[str, str], str, str, str]:
    """Session cookies of the demo roles, a portal session granted one application's page
    (its number), and an API token of the registrar."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    from gongkai.accounts.models import ApiToken, User
    from gongkai.cases.models import Case
    from gongkai.portal import access

    cookies = {}
    for username, _ in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies["sessionid"].value
    case = Case.objects.filter(agency__code="SFJY", status="replied").order_by("pk").first()
    store = SessionStore()
    access.grant(store, None, case)
    store.create()
    _, token = ApiToken.issue(User.objects.get(username="zhang"), "bench")
    return cookies, store.session_key or "", case.number, token


def settle() -> None:
    """Write the freshly loaded database out (PostgreSQL: a checkpoint) so that the flush of
    the bulk insert does not land in the middle of a measurement, as on a settled server."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("CHECKPOINT")


def start_server(
    port: int, workers: int, threads: int, env: dict[str, str], log: Path
) -> subprocess.Popen:
    """``gongkai serve`` in the background, its output in ``log``; returns once it answers."""
    cmd = [str(GONGKAI), "serve", "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            sys.exit(f"bench_load: the server did not start:\n{log.read_text()}")
        time.sleep(0.5)


def run_wrk(
    wrk: str, script: Path, url: str, headers: dict[str, str], clients: int, seconds: int
) -> dict[str, Any]:
    env = {**os.environ, "WRK_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items())}
    threads = min(2, clients)
    done = subprocess.run(
        [
            wrk,
            "-t",
            str(threads),
            "-c",
            str(clients),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if not line:
        sys.exit(f"bench_load: wrk gave no report for {url}:\n{done.stdout}\n{done.stderr}")
    return json.loads(line[-1])


def measure(
    wrk: str,
    script: Path,
    base: str,
    page: str,
    who: str,
    path: str,
    headers: dict[str, str],
    clients: int,
    seconds: int,
) -> Result:
    r = run_wrk(wrk, script, base + path, headers, clients, seconds)
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    return Result(
        page, who, clients, r["requests"] / r["seconds"], r["p50"], r["p95"], r["p99"], errors
    )


def report(title: str, rows: list[Result]) -> None:
    print(f"\n{title}")
    head = (
        f"{'page':<16} {'who':<11} {'clients':>7} {'req/s':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r.page:<16} {r.who:<11} {r.clients:>7} {r.rps:>8.1f} {r.p50:>8.1f} "
            f"{r.p95:>8.1f} {r.p99:>8.1f} {r.errors:>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="synthetic cases to insert")
    parser.add_argument("--clients", type=int, default=100, help="concurrent connections")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per page (1-120)")
    parser.add_argument("--workers", type=int, default=0, help="server processes (0: default)")
    parser.add_argument("--threads", type=int, default=0, help="threads a process (0: default)")
    parser.add_argument(
        "--pages", default="", help="only these pages, comma-separated (e.g. 'portal status')"
    )
    args = parser.parse_args()
    if not 1 <= args.seconds <= 120 or not 1 <= args.clients <= 1000 or args.cases < 0:
        parser.error("--seconds 1-120, --clients 1-1000, --cases ≥ 0")
    wrk = ensure_wrk()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gongkai-load-") as tmp:
        where = configure(Path(tmp))
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        total, _, insert_s = populate(args.cases)
        cookies, portal_session, number, token = sessions()
        settle()
        connections.close_all()
        print(f"database: {where}; cases: {total:,} (inserted in {insert_s:.0f} s)")

        port = free_port()
        env = {**os.environ, "GONGKAI_ALLOWED_HOSTS": "127.0.0.1"}
        server = start_server(port, args.workers, args.threads, env, Path(tmp) / "server.log")
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        base = f"http://127.0.0.1:{port}"

        def staff(user: str) -> dict[str, str]:
            return {"Cookie": f"sessionid={cookies[user]}"}

        try:
            burst = [
                ("login page", "anonymous", "/login/", {}),
                ("dashboard", "registrar", "/", staff("zhang")),
                ("dashboard", "supervisor", "/", staff("chen")),
                ("case list", "registrar", "/cases/?status=open", staff("zhang")),
                ("case list", "supervisor", "/cases/?status=open", staff("chen")),
                (
                    "portal status",
                    "applicant",
                    f"/portal/status/{number}/",
                    {"Cookie": f"sessionid={portal_session}"},
                ),
                (
                    "API list",
                    "registrar",
                    "/api/cases?status=open",
                    {"Authorization": f"Bearer {token}"},
                ),
            ]
            wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
            rows = [
                measure(wrk, script, base, page, who, path, headers, args.clients, args.seconds)
                for page, who, path, headers in burst
                if not wanted or page in wanted
            ]
            report(f"{args.clients} concurrent clients, {args.seconds} s a page", rows)
            solo = []
            for username, role in ROLES:
                for page, path in (("dashboard", "/"), ("case list", "/cases/?status=open")):
                    if wanted and page not in wanted:
                        continue
                    solo.append(
                        measure(
                            wrk, script, base, page, role, path, staff(username), 1, args.seconds
                        )
                    )
            if solo:
                report(f"one client per role, {args.seconds} s a page", solo)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
