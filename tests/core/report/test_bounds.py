"""Every path of the reader is bounded in time and memory (adversarial inputs).

Each input is generated here; each must be read (or refused with a clear reason) within a
generous time bound and with the right finding, never a crash, a hang or a guessed number.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.report import (
    CellState,
    InputTooComplex,
    ReportFormat,
    UnreadableInput,
    parse_text,
    read_report_bytes,
)
from gongkai.core.report import parse as parse_module
from gongkai.core.report.fused import STEP_LIMIT, Shape, TooManyReadings, split_row
from gongkai.core.report.prose import percent_of, rounds_to
from gongkai.core.report.schema import TABLE3_ROWS, table3_id
from gongkai.core.report.text import decode_text
from tests import devset
from tests.report_pdf import bomb_pdf

from .test_fused import _fused_document

SEEDS = Path("/work/shared/seeds")
EXAMPLES = Path(__file__).parents[3] / "examples" / "reports"
BOUND = 5.0  # seconds; each input here took 20 s to minutes before the bounds


def _timed(call):
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND, f"took {elapsed:.1f} s"
    return result


def _codes(report) -> list[str]:
    return [f.code for f in report.findings]


def test_300_kb_of_repeated_label_lines_is_reported_not_searched() -> None:
    head = "某市人民政府2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
    data = (head + "（七）总计\n" * 50_000).encode()
    assert len(data) >= 300_000
    report = _timed(lambda: read_report_bytes(data, name="labels.txt"))
    (finding,) = [f for f in report.findings if f.code == "LABELS_AMBIGUOUS"]
    assert finding.severity == "error" and "表三的行标签" in finding.message
    assert all(c.value is None for c in report.cells.values())


def test_many_label_blocks_are_ordered_in_linear_time() -> None:
    block = "".join(f"{label}\n" for _, _, label in TABLE3_ROWS)
    data = ("某市人民政府2024年政府信息公开工作年度报告\n" + block * 180).encode()
    report = _timed(lambda: read_report_bytes(data, name="blocks.txt"))
    assert report.format is ReportFormat.F2021


def test_a_60_digit_fused_cell_is_unreadable_not_guessed() -> None:
    text = _fused_document("boshan-2024.json")
    start = text.index("予以公开") + len("予以公开")
    end = start
    while text[end].isdigit():
        end += 1
    text = text[:start] + ("1234567890" * 6) + text[end:]
    report = _timed(lambda: parse_text(text, source="fused.txt"))
    cells = [report.cell(table3_id("granted", c)) for c in ("natural_person", "total")]
    assert all(c.value is None for c in cells)
    (finding,) = [f for f in report.findings if table3_id("granted", "total") in f.cells]
    assert finding.code == "PARSE_ROW_UNREADABLE" and "拆分过多" in finding.message


def test_split_row_search_is_capped_by_steps() -> None:
    with pytest.raises(TooManyReadings):
        _timed(lambda: split_row(["7" * 59], Shape((7,), sums=True)))
    with pytest.raises(TooManyReadings):
        _timed(lambda: split_row(["1234567890" * 5], Shape((5, 5, 5), sums=True)))
    # a real fused row stays well inside the budget
    assert split_row(["610000061"], Shape((7,), sums=True), steps=STEP_LIMIT // 100) == [
        (61, 0, 0, 0, 0, 0, 61)
    ]


def test_pdf_decompression_bomb_is_refused_within_bounds() -> None:
    resource = pytest.importorskip("resource")
    data = bomb_pdf(256)
    assert len(data) < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputTooComplex, match="压缩炸弹"):
        _timed(lambda: read_report_bytes(data, name="bomb.pdf"))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 300  # the stream stops at 64 MB; unbounded it would be 256 MB and more


def test_bounded_decoders_leave_normal_pdfs_alone() -> None:
    pdf = devset.dev_path("pdf/hongzequ_2024.pdf")
    report = _timed(lambda: read_report_bytes(pdf.read_bytes(), name=pdf.name))
    assert report.format is ReportFormat.F2021
    assert report.value("table3.new.total") == 95


def _seed_bytes() -> bytes:
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []
    path = seeds[0] if seeds else EXAMPLES / "qingdao-2024.txt"
    return path.read_bytes()


def test_one_broken_utf8_byte_is_replaced_with_a_warning() -> None:
    data = bytearray(_seed_bytes())
    clean = read_report_bytes(bytes(data), name="seed.txt")
    k = data.index("总体情况".encode()) + 60
    while data[k] < 0x80:
        k += 1
    data[k] = 0xFF
    report = _timed(lambda: read_report_bytes(bytes(data), name="seed.txt"))
    (finding,) = [f for f in report.findings if f.code == "DECODE_REPLACED"]
    assert finding.severity == "warning" and "UTF-8" in finding.message
    assert report.format is clean.format
    assert {k: c.value for k, c in report.cells.items()} == {
        k: c.value for k, c in clean.cells.items()
    }


def test_bytes_that_are_not_text_are_still_refused() -> None:
    noise = bytes((i * 167 + 13) % 256 for i in range(20_000)).replace(b"\x00", b"\x01")
    with pytest.raises(UnreadableInput, match="无法识别文本编码"):
        read_report_bytes(noise, name="noise.bin")
    assert decode_text("中文报告".encode("gbk") * 50).encoding == "gb18030"


def test_bad_percentages_become_findings_not_exceptions() -> None:
    assert rounds_to(10**40, 3, "5.5") is False
    assert rounds_to(1, 3, "33." + "3" * 40) is False
    assert percent_of(1, 0, 1) is None
    assert percent_of(1, 3, 1) == Decimal("33.3")
    text = (EXAMPLES / "qingdao-2024.txt").read_text(encoding="utf-8")
    i = text.index("六、其他需要报告的事项")
    text = text[:i] + "“予以公开”99999999999999999999999999999999件，占5.5%。\n" + text[i:]
    report = read_report_bytes(text.encode(), name="pct.txt")
    assert "PROSE_NUMBER_UNCHECKED" in _codes(report) or "PROSE_PERCENT_MISMATCH" in _codes(report)
    assert "READ_FAILED" not in _codes(report)


def test_unexpected_errors_become_a_finding_naming_the_file(monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(parse_module, "_read_2021", broken)
    data = (EXAMPLES / "qingdao-2024.txt").read_bytes()
    report = read_report_bytes(data, name="q.txt")
    (finding,) = report.findings
    assert finding.code == "READ_FAILED" and finding.severity == "error"
    assert finding.message == "读取 q.txt 时出错：RuntimeError: boom"


def test_long_text_is_cut_with_a_warning() -> None:
    text = "某市2020年政府信息公开工作年度报告\n" + "\n" * 300_000 + "一、概述\n"
    report = _timed(lambda: read_report_bytes(text.encode(), name="long.txt"))
    assert "INPUT_TRUNCATED" in _codes(report)


def test_huge_numbers_do_not_crash_the_reader() -> None:
    text = (EXAMPLES / "qingdao-2024.txt").read_text(encoding="utf-8")
    i = text.index("六、其他需要报告的事项")
    text = text[:i] + "收到申请" + "9" * 5000 + "件。\n" + text[i:]
    report = _timed(lambda: read_report_bytes(text.encode(), name="digits.txt"))
    assert "READ_FAILED" not in _codes(report)
    assert report.cell("table3.new.total").state is CellState.NUMBER
