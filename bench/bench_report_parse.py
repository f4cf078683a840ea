"""Benchmark: reports per second for parse + check over a corpus of mixed layouts.

The corpus holds at least 1,000 documents: random valid reports (``synth.random_report``,
some with blank cells) written in every text layout the renderers know (one cell per
line, pipe cells, TAB rows, space rows with page footers, PDF-to-markdown with detached
labels, OCR output, crawled text with every separator lost), plus HTML pages and the
published examples in their own layouts. Each document is parsed from bytes and checked
on one core; the figures are printed, nothing is asserted.

    .venv/bin/python bench/bench_report_parse.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

from gongkai.core.report import check, parse_bytes
from gongkai.core.report.render import LAYOUTS, render_report_html
from gongkai.core.report.synth import random_report

ROOT = Path(__file__).parents[1]
SEEDED = {"space", "markdown_detached", "ocr"}
EXAMPLES = ("qingdao-2024.txt", "boshan-2024.txt", "jinan-office-2024.txt")
#: Text layouts (the target applies to these); HTML is timed apart.
TEXT_LAYOUTS = sorted(LAYOUTS)


def _render(layout: str, rng: random.Random, seed: int) -> bytes:
    report = random_report(rng, blank_rate=rng.choice([0.0, 0.0, 0.05]))
    if layout == "html":
        return render_report_html(report).encode("utf-8")
    if layout in SEEDED:
        return LAYOUTS[layout](report, seed=seed).encode("utf-8")  # type: ignore[call-arg]
    return LAYOUTS[layout](report).encode("utf-8")


def corpus(n: int, seed: int = 7) -> list[tuple[str, bytes]]:
    """``n`` documents: the published examples once each, the rest generated, mixed."""
    rng = random.Random(seed)
    docs = [("example", (ROOT / "examples/reports" / name).read_bytes()) for name in EXAMPLES]
    names = [*TEXT_LAYOUTS, "html"]
    for i in range(n - len(docs)):
        layout = names[i % len(names)]
        docs.append((layout, _render(layout, rng, i)))
    return docs


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    docs = corpus(n)
    count: Counter[str] = Counter()
    spent: Counter[str] = Counter()
    errors = 0
    for layout, data in docs:
        t0 = time.perf_counter()
        report = parse_bytes(data, name=layout)
        errors += sum(f.severity.value == "error" for f in check(report))
        spent[layout] += time.perf_counter() - t0
        count[layout] += 1
    total = sum(spent.values())
    text_n = sum(count[k] for k in count if k != "html")
    text_t = sum(spent[k] for k in spent if k != "html")
    print(f"reports: {len(docs)}  time: {total:.2f} s  rate: {len(docs) / total:.0f} reports/s")
    print(f"text layouts: {text_n} reports  {text_n / text_t:.0f} reports/s (one core)")
    for layout in sorted(count):
        rate = count[layout] / spent[layout]
        print(f"  {layout:18s} {count[layout]:5d} reports  {rate:7.0f} reports/s")
    print(f"error findings in corpus: {errors}")


if __name__ == "__main__":
    main()
