"""Benchmark: personal-information scan throughput (MB/s of UTF-8 text) on realistic text.

The text is the published annual reports in ``../shared/seeds/`` (read at run time, never
copied), repeated until it reaches the wanted size, scanned once with the agencies'
contacts allow-listed and once without. The figures are printed; nothing is asserted.

    .venv/bin/python bench/bench_pii.py [MB]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from gongkai.core.pii import AllowList, scan_text

ROOT = Path(__file__).parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
#: The contacts the seed reports publish for their offices (public, so never hits).
AGENCY = AllowList.of(
    phones=["0532-85912121", "0532-85913182", "0533-4110087"],
    emails=["zfxxgkb@qd.shandong.cn", "bsqzfb@zb.shandong.cn", "jxwbgs@qd.shandong.cn"],
    addresses=["青岛市市南区香港中路11号", "博山区县前街46号"],
)


def corpus(megabytes: float) -> str:
    """The seed reports, one after another, repeated to about ``megabytes`` MB of UTF-8."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        sys.exit(f"没有找到样本报告：{SEEDS}")
    one = "\n".join(texts)
    size = len(one.encode("utf-8"))
    return "\n".join([one] * max(1, round(megabytes * 1048576 / size)))


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 4.0
    text = corpus(megabytes)
    size = len(text.encode("utf-8")) / 1048576
    print(f"语料：{len(list(SEEDS.glob('*.txt')))} 份年度报告，重复至 {size:.2f} MB")
    for label, allow in (("不带白名单", AllowList()), ("带本机关联系方式白名单", AGENCY)):
        start = time.perf_counter()
        hits = scan_text(text, allow=allow)
        elapsed = time.perf_counter() - start
        kinds = Counter(h.kind.value for h in hits)
        print(
            f"{label}：{elapsed:.2f} s，{size / elapsed:.2f} MB/s，"
            f"命中 {len(hits)} 处 {dict(sorted(kinds.items()))}"
        )


if __name__ == "__main__":
    main()
