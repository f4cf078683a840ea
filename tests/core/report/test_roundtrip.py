"""Round trip: render a random valid report in a layout, parse it, get the same data back.

Every layout the renderers write is read back by the parser without being told which it
is. Layouts that show a blank cell (all but ``fused``) must return blanks as blanks;
``fused`` text (every separator lost) cannot show a blank, so it is tested on reports
without blanks, where it must never give a wrong value: a cell is either the published
value or unknown with the published value among its candidates.
"""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.report import check, from_json, parse_bytes, parse_text, to_json
from gongkai.core.report.render import (
    LAYOUTS,
    render_fused,
    render_report_html,
    render_report_markdown,
)
from gongkai.core.report.schema import ALL_CELL_IDS, CellState, Report, ReportFormat, Severity
from gongkai.core.report.synth import random_report
from tests.report_pdf import render_pdf

SEEDED = {"space", "markdown_detached", "ocr"}
LOSSLESS = sorted(name for name in LAYOUTS if name != "fused")


def _report(seed: int, blank_rate: float) -> Report:
    return random_report(random.Random(seed), blank_rate=blank_rate)  # noqa: S311 - test data


def _render(name: str, report: Report, seed: int) -> str:
    if name in SEEDED:
        return LAYOUTS[name](report, seed=seed)  # type: ignore[call-arg]
    return LAYOUTS[name](report)


def _differences(original: Report, parsed: Report) -> list[str]:
    """Every cell whose value or published state did not come back, and agency/year."""
    out = []
    for cid in ALL_CELL_IDS:
        want, got = original.cells[cid], parsed.cells.get(cid)
        if got is None:
            out.append(f"{cid}: not read")
            continue
        state_ok = got.state is want.state or (
            want.state is CellState.NUMBER and got.state is CellState.RECOVERED
        )
        if got.value != want.value or not state_ok:
            out.append(
                f"{cid}: {want.state.value} {want.value!r} → {got.state.value} {got.value!r}"
            )
    if (parsed.agency, parsed.year) != (original.agency, original.year):
        out.append(
            f"agency/year: {original.agency} {original.year} → {parsed.agency} {parsed.year}"
        )
    return out


def _errors(report: Report) -> list[str]:
    return [f.code for f in check(report) if f.severity is Severity.ERROR]


seeds = st.integers(min_value=0, max_value=10**6)
blank_rates = st.sampled_from([0.0, 0.0, 0.05, 0.2])
# Derandomized: the same examples on every run, so that CI is not decided by chance; the
# known gap below is kept as its own test.
ROUND_TRIP = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.xfail(
    strict=True,
    reason="已知缺陷：Markdown 分离布局中表三某行空格多于列数时，无法确定各列位置",
)
def test_known_gap_detached_markdown_row_with_leading_blanks():
    original = _report(2775, 0.2)
    parsed = parse_text(_render("markdown_detached", original, 2775))
    assert _differences(original, parsed) == []


@ROUND_TRIP
@given(seed=seeds, blank_rate=blank_rates, layout=st.sampled_from(LOSSLESS))
def test_every_text_layout_round_trips(seed, blank_rate, layout):
    original = _report(seed, blank_rate)
    parsed = parse_text(_render(layout, original, seed))
    assert parsed.format is ReportFormat.F2021
    assert _differences(original, parsed) == []
    if blank_rate == 0.0:
        assert _errors(parsed) == []


@ROUND_TRIP
@given(seed=seeds, blank_rate=blank_rates)
def test_html_page_round_trips(seed, blank_rate):
    original = _report(seed, blank_rate)
    page = render_report_html(original).encode("utf-8")
    parsed = parse_bytes(page, name="report.html")
    assert parsed.layout is not None and parsed.layout.startswith("html")
    assert _differences(original, parsed) == []


@ROUND_TRIP
@given(seed=seeds, blank_rate=blank_rates)
def test_markdown_document_round_trips(seed, blank_rate):
    original = _report(seed, blank_rate)
    parsed = parse_text(render_report_markdown(original))
    assert _differences(original, parsed) == []


@ROUND_TRIP
@given(seed=seeds, blank_rate=blank_rates)
def test_json_round_trips_through_text(seed, blank_rate):
    original = _report(seed, blank_rate)
    doc = json.loads(json.dumps(to_json(original), ensure_ascii=False))
    again = from_json(doc)
    assert _differences(original, again) == []
    assert to_json(again) == doc


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=seeds, blank_rate=blank_rates)
def test_pdf_round_trips(seed, blank_rate):
    """PDF text keeps one space between words, so a blank cell leaves no trace in it.

    Without blanks the PDF reads back exactly; with blanks a row that lost one is unknown,
    never shifted into wrong columns.
    """
    original = _report(seed, blank_rate)
    parsed = parse_bytes(render_pdf(original), name="report.pdf")
    assert parsed.layout is not None and parsed.layout.startswith("pdf")
    if blank_rate == 0.0:
        assert _differences(original, parsed) == []
    else:
        assert _wrong_values(original, parsed) == []


def _wrong_values(original: Report, parsed: Report) -> list[str]:
    """Cells read with a value other than the published one (unknown is not wrong)."""
    return [
        f"{cid}: {original.cells[cid].value!r} → {got.value!r}"
        for cid in ALL_CELL_IDS
        if (got := parsed.cells[cid]).value is not None and got.value != original.cells[cid].value
    ]


@ROUND_TRIP
@given(seed=seeds)
def test_fused_text_never_gives_a_wrong_value(seed):
    original = _report(seed, 0.0)
    parsed = parse_text(render_fused(original))
    assert _wrong_values(original, parsed) == []
    known = sum(parsed.cells[cid].value is not None for cid in ALL_CELL_IDS)
    for cid in ALL_CELL_IDS:
        if parsed.cells[cid].state is CellState.AMBIGUOUS:
            assert original.cells[cid].value in parsed.cells[cid].candidates, cid
    # Table 三 and 四 have identities to solve; most cells come back (98% on average; large
    # tables with many multi-digit cells in every column leave more rows with two readings).
    assert known >= len(ALL_CELL_IDS) * 0.6
