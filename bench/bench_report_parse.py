"""Benchmark: reports per second for parse + check over a corpus of mixed layouts.

Builds a corpus of at least 1,000 report texts from the published examples in their own
layouts (web text one cell per line, pipe cells, PDF tab text) and from crawled variants
with every table separator lost, each with its agency name and figures varied, then times
`parse_bytes` + `check` on one core. Prints the figures; asserts nothing.

    .venv/bin/python bench/bench_report_parse.py [N]
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from gongkai.core.report import check, parse_bytes

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core" / "report"))

from test_fused import _fused_document  # noqa: E402  (the crawled-layout fixture builder)

CITIES = ["青岛市", "烟台市", "潍坊市", "临沂市", "济宁市", "泰安市", "威海市", "日照市"]


def _vary(text: str, rng: random.Random) -> str:
    """Another agency's name; narrative figures changed so prose checks do real work."""
    text = re.sub(r"(青岛市|淄博市博山区|济南市)", rng.choice(CITIES), text, count=3)
    return re.sub(r"发行公报(\d+)期", lambda m: f"发行公报{rng.randint(1, 99)}期", text)


def corpus(n: int, seed: int = 7) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    sources = {
        "lines": (ROOT / "examples/reports/qingdao-2024.txt").read_text(encoding="utf-8"),
        "pipe": (ROOT / "examples/reports/boshan-2024.txt").read_text(encoding="utf-8"),
        "tab": (ROOT / "examples/reports/jinan-office-2024.txt").read_text(encoding="utf-8"),
        "fused-small": _fused_document("boshan-2024.json"),
        "fused-large": _fused_document("qingdao-2024.json"),
    }
    names = list(sources)
    out = []
    for i in range(n):
        layout = names[i % len(names)]
        out.append((layout, _vary(sources[layout], rng).encode("utf-8")))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    docs = corpus(n)
    per_layout: Counter[str] = Counter()
    time_layout: Counter[str] = Counter()
    start = time.perf_counter()
    errors = 0
    for layout, data in docs:
        t0 = time.perf_counter()
        report = parse_bytes(data, name=layout)
        errors += sum(f.severity.value == "error" for f in check(report))
        time_layout[layout] += time.perf_counter() - t0
        per_layout[layout] += 1
    elapsed = time.perf_counter() - start
    print(f"reports: {len(docs)}  time: {elapsed:.2f} s  rate: {len(docs) / elapsed:.0f} reports/s")
    for layout in per_layout:
        rate = per_layout[layout] / time_layout[layout]
        print(f"  {layout:12s} {per_layout[layout]:5d} reports  {rate:7.0f} reports/s")
    print(f"error findings in corpus: {errors}")


if __name__ == "__main__":
    main()
