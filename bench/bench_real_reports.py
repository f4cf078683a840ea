"""Benchmark: how well real published annual reports are read, cell by cell.

Reads every text form and PDF of a development set of genuine reports (by default
``../shared/reports-dev/`` beside the checkout: text files, ``pdf/`` and a hand-verified
``truth.json`` in the ``gongkai.annual-report/1`` shape) and prints, per file:

- right: cells whose known value was read exactly;
- wrong: a number given where the truth is a different number, or where the truth is not
  knowable (null) and the reader does not say it repaired the cell;
- missing: known cells left unknown;
- recov: numbers given where the truth is null, marked "recovered" (repaired by an identity
  the text breaks, e.g. an OCR misread); truth.json cannot grade them, so they are listed
  below the table with the published text, for a person to compare with the page;

then the totals and the parse + check rate on one core (``read_report_bytes`` parses and
runs every check once, as the import does), and whether the time grows linearly with the
input: each text form is read as published and with its narrative (parts 一, 五 and 六)
repeated 10 and 100 times before part 二, and the time per KB is compared. Nothing is
asserted.

    .venv/bin/python bench/bench_real_reports.py [DEV_DIR] [--repeat N]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from gongkai.core.report import parse_text, read_report_bytes
from gongkai.core.report.jsonio import to_json
from gongkai.core.report.locate import find_parts
from gongkai.core.report.readers import looks_like_html
from gongkai.core.report.text import decode_text, normalize

ROOT = Path(__file__).parents[1]
DEFAULT_DEV = ROOT.parent / "shared" / "reports-dev"
PDF_TRUTH = {  # each PDF is the report two of the text forms were made from
    "huaianshi_2024.pdf": "01_huaianshi_2024_pdfplumber.txt",
    "hongzequ_2023.pdf": "03_hongzequ_2023_pdftotext-layout.txt",
    "hongzequ_2024.pdf": "05_hongzequ_2024_pdftotext.txt",
}


def flat(tables: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"table3.new.total": 3119, …}`` from the nested tables."""
    out: dict[str, Any] = {}
    for key, value in tables.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat(value, name + "."))
        else:
            out[name] = value
    return out


def grade(
    read: dict[str, Any], truth: dict[str, Any], recovered: list[str] | None = None
) -> tuple[int, int, int, int, int]:
    """(known, right, wrong, missing, recov) of one file; the recovered cells given where the
    truth is null are appended to ``recovered`` as text."""
    want = flat({k: truth[k] for k in ("table2", "table3", "table4")})
    got = flat({k: read.get(k, {}) for k in ("table2", "table3", "table4")})
    states = read.get("cells", {})
    known = right = wrong = missing = recov = 0
    for cell, expected in want.items():
        value = got.get(cell)
        if expected is None:
            state = states.get(cell, {})
            if value is not None and state.get("state") == "recovered":
                recov += 1
                if recovered is not None:
                    recovered.append(f"{cell} = {value}（原文“{state.get('published')}”）")
            else:
                wrong += value is not None
            continue
        known += 1
        if value is None:
            missing += 1
        elif value == expected:
            right += 1
        else:
            wrong += 1
    return known, right, wrong, missing, recov


def padded(data: bytes, times: int) -> bytes | None:
    """The report with its narrative (parts 一, 五, 六) repeated ``times`` times before part
    二; None for an HTML page (its text is not edited here)."""
    text = decode_text(data).text
    if looks_like_html(text):
        return None
    text = normalize(text)
    narrative = parse_text(text).narrative
    prose = "\n".join(narrative.get(k, "") for k in ("overview", "problems", "other_matters"))
    parts = find_parts(text)
    at = parts["proactive"].start if "proactive" in parts else len(text)
    return (text[:at] + ("\n" + prose) * times + "\n" + text[at:]).encode("utf-8")


def seconds(data: bytes, name: str, runs: int) -> float:
    """The least time of ``runs`` parse + check runs, in CPU seconds of this process."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        read_report_bytes(data, name=name)
        best = min(best, time.process_time() - start)
    return best


def linearity(texts: list[tuple[bytes, str]]) -> None:
    """Time per KB of each text form as published and padded ×10 and ×100 (see the module
    docstring): linear time keeps the ×100 figure at or below the ×10 one (fixed costs
    weigh less in a longer text)."""
    worst = 0.0
    for data, name in texts:
        sizes: list[bytes] = []
        for times in (0, 10, 100):
            if (text := padded(data, times)) is not None:
                sizes.append(text)
        if len(sizes) < 3:
            continue
        spent = [seconds(s, name, runs) for s, runs in zip(sizes, (5, 3, 2), strict=True)]
        per_kb = [t * 1e3 / (len(s) / 1024) for t, s in zip(spent, sizes, strict=True)]
        growth = per_kb[2] / per_kb[1]
        worst = max(worst, growth)
        shown = "  ".join(
            f"{k}: {len(s) // 1024} KB {t * 1e3:.1f} ms"
            for k, s, t in zip(("as published", "+10×", "+100×"), sizes, spent, strict=True)
        )
        print(f"linearity {name[:24]:24} {shown}  (per KB, +100× / +10×: {growth:.2f})")
    if worst:
        verdict = "linear" if worst <= 1.25 else "NOT linear"
        print(f"linearity: time per KB at +100× is at most {worst:.2f} × that at +10× ({verdict})")


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 20
    if "--repeat" in argv:
        args.remove(str(repeat))
    dev = Path(args[0]) if args else DEFAULT_DEV
    truth_file = dev / "truth.json"
    if not truth_file.exists():
        print(f"没有找到开发集（{truth_file}）")
        return
    truth = json.loads(truth_file.read_text("utf-8"))
    files = [(dev / name, name) for name in truth]
    pdf_dir = dev / "pdf"
    files += [(pdf_dir / pdf, text) for pdf, text in PDF_TRUTH.items() if (pdf_dir / pdf).exists()]
    totals = [0, 0, 0, 0, 0]
    head = f"{'file':44} {'known':>5} {'right':>5} {'wrong':>5} {'miss':>5} {'recov':>5}"
    print(f"{head}  layout")
    recovered: list[str] = []
    for path, truth_name in files:
        report = read_report_bytes(path.read_bytes(), name=path.name)
        mine: list[str] = []
        row = grade(to_json(report), truth[truth_name], mine)
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        label = path.name if path.suffix != ".pdf" else f"pdf/{path.name}"
        recovered += [f"  {label}: {r}" for r in mine]
        cells = " ".join(f"{n:5}" for n in row)
        print(f"{label:44} {cells}  {report.layout}")
    known, right, wrong, _missing, recov = totals
    print(f"{'total':44} {' '.join(f'{n:5}' for n in totals)}")
    print(f"right: {right / known:.1%} of known cells; wrong numbers: {wrong}; recovered where")
    print(f"the truth is null: {recov} (compare with the page):")
    print("\n".join(recovered) if recovered else "  none")

    texts = [(p.read_bytes(), p.name) for p, _ in files if p.suffix != ".pdf"]
    start = time.perf_counter()
    for _ in range(repeat):
        for data, name in texts:
            read_report_bytes(data, name=name)  # parsed and checked (check_and_attach)
    elapsed = time.perf_counter() - start
    n = repeat * len(texts)
    rate = n / elapsed
    print(f"text forms: {n} parse+check in {elapsed:.2f} s = {rate:.0f} reports/s (one core)")
    pdfs = [(p.read_bytes(), p.name) for p, _ in files if p.suffix == ".pdf"]
    if pdfs:
        start = time.perf_counter()
        for data, name in pdfs:
            read_report_bytes(data, name=name)
        elapsed = time.perf_counter() - start
        rate = len(pdfs) / elapsed
        print(f"PDFs: {len(pdfs)} parse+check in {elapsed:.2f} s = {rate:.1f} reports/s")
    linearity(texts)


if __name__ == "__main__":
    main(sys.argv[1:])
