"""The annual-report engine: read, check, compare and render 政府信息公开工作年度报告.

Typical use::

    from gongkai.core.report import read_report
    report = read_report("qingdao-2024.txt")   # parsed and checked
    report.errors, report.warnings
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .area import check_area, sum_reports
from .checks import check, check_and_attach
from .compare import Comparison, compare
from .draft import DraftFacts, draft_narrative, draft_part
from .jsonio import from_json, to_json
from .parse import parse_bytes, parse_file, parse_text
from .schema import Cell, CellState, Finding, Report, ReportFormat, Severity
from .text import InputTooComplex, UnreadableInput


def read_report(path: str | Path) -> Report:
    """Parse a report file and run every check on it (see :func:`guarded`)."""
    return guarded(Path(path).name, lambda: parse_file(path))


def read_report_bytes(data: bytes, *, name: str = "输入") -> Report:
    """Parse report bytes and run every check on them (see :func:`guarded`)."""
    return guarded(name, lambda: parse_bytes(data, name=name))


def guarded(name: str, read: Callable[[], Report]) -> Report:
    """Read and check a report; an unexpected error becomes an error finding, not a crash.

    :class:`UnreadableInput` (the input cannot be used, with a Chinese reason) still
    propagates, and running out of memory becomes :class:`InputTooComplex`. Any other
    exception — a bug, or an input nobody foresaw — yields a report of no known kind whose
    one finding names the file and the error; an error while checking keeps what was read.
    """
    try:
        report = read()
    except UnreadableInput:
        raise
    except MemoryError as exc:
        raise InputTooComplex(f"{name}：文件过于复杂，读取时内存不足") from exc
    except Exception as exc:  # the very purpose: no crash reaches the caller
        return Report(ReportFormat.NOT_A_REPORT, source=name, findings=[_failure(name, exc)])
    try:
        return check_and_attach(report)
    except MemoryError as exc:
        raise InputTooComplex(f"{name}：文件过于复杂，核查时内存不足") from exc
    except Exception as exc:  # a failing check must not lose what was read
        report.findings.append(_failure(name, exc, "核查"))
        return report


def _failure(name: str, exc: BaseException, step: str = "读取") -> Finding:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Finding("READ_FAILED", Severity.ERROR, (), f"{step} {name} 时出错：{detail[:300]}")


__all__ = [
    "Cell",
    "CellState",
    "Comparison",
    "DraftFacts",
    "Finding",
    "InputTooComplex",
    "Report",
    "ReportFormat",
    "Severity",
    "UnreadableInput",
    "check",
    "check_and_attach",
    "check_area",
    "compare",
    "draft_narrative",
    "draft_part",
    "from_json",
    "guarded",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "read_report",
    "read_report_bytes",
    "sum_reports",
    "to_json",
]
