"""Benchmark: due-date computations per second on the official working-day calendar.

Computes 1,000,000 due dates (20 working days from a receipt date spread over 2024–2026)
with ``WorkingCalendar.add_working_days``, then 100,000 full reply clocks with a
consultation pause and an extension. Prints the figures; asserts nothing.

    .venv/bin/python bench/bench_deadlines.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from gongkai.core.calendar import official_calendar
from gongkai.core.deadlines import (
    ConsultationAnswered,
    ConsultationSent,
    Extended,
    Received,
    reply_clock,
)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    t0 = time.perf_counter()
    cal = official_calendar()
    built = time.perf_counter() - t0
    rng = random.Random(3)
    base = date(2024, 1, 1)
    days = [base + timedelta(days=rng.randrange(0, 1000)) for _ in range(n)]
    add = cal.add_working_days
    t0 = time.perf_counter()
    for d in days:
        add(d, 20)
    elapsed = time.perf_counter() - t0
    print(f"calendar built in {built * 1000:.0f} ms, covering {cal.coverage[0]}..{cal.coverage[1]}")
    print(f"due dates: {n:,} in {elapsed:.3f} s  ({n / elapsed:,.0f} per second, one core)")

    m = n // 10
    today = date(2026, 11, 1)
    histories = []
    for d in days[:m]:
        sent = d + timedelta(days=3)
        histories.append(
            [
                Received(d),
                ConsultationSent(sent, "C"),
                ConsultationAnswered(sent + timedelta(days=12), "C"),
                Extended(d + timedelta(days=20), 10, approved_by="主任"),
            ]
        )
    t0 = time.perf_counter()
    for events in histories:
        reply_clock(events, today, cal)
    elapsed = time.perf_counter() - t0
    print(
        f"reply clocks (pause + extension): {m:,} in {elapsed:.3f} s  "
        f"({m / elapsed:,.0f} per second)"
    )


if __name__ == "__main__":
    main()
