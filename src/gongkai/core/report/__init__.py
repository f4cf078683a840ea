"""The annual-report engine: read, check, compare and render 政府信息公开工作年度报告.

Typical use::

    from gongkai.core.report import read_report
    report = read_report("qingdao-2024.txt")   # parsed and checked
    report.errors, report.warnings
"""

from __future__ import annotations

from pathlib import Path

from .area import check_area, sum_reports
from .checks import check, check_and_attach
from .compare import Comparison, compare
from .draft import DraftFacts, draft_narrative, draft_part
from .jsonio import from_json, to_json
from .parse import parse_bytes, parse_file, parse_text
from .schema import Cell, CellState, Finding, Report, ReportFormat, Severity
from .text import UnreadableInput


def read_report(path: str | Path) -> Report:
    """Parse a report file and run every check on it."""
    return check_and_attach(parse_file(path))


def read_report_bytes(data: bytes, *, name: str = "输入") -> Report:
    """Parse report bytes and run every check on them."""
    return check_and_attach(parse_bytes(data, name=name))


__all__ = [
    "Cell",
    "CellState",
    "Comparison",
    "DraftFacts",
    "Finding",
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
    "parse_bytes",
    "parse_file",
    "parse_text",
    "read_report",
    "read_report_bytes",
    "sum_reports",
    "to_json",
]
