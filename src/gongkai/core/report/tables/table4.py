"""Reading table 四 (政府信息公开行政复议、行政诉讼情况): fifteen figures in three groups.

The groups are those of 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号),
table 四: 行政复议, 行政诉讼 未经复议直接起诉 and 行政诉讼 复议后起诉, each with 结果维持,
结果纠正, 其他结果, 尚未审结 and 总计. The figures follow the header words; when their
separators were lost they are split only where the groups' sums (each 总计 the sum of the
four results) leave exactly one reading (:mod:`..fused`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import fused
from ..schema import TABLE4_IDS, Cell, Finding, Severity
from .cells import TableResult, count_filled, digit_tokens, fused_cells, place, trim
from .layout import Layout

_T4_HEADER = re.compile(
    r"维\s*持|纠\s*正|审\s*结|总\s*计|结\s*果|诉\s*讼|复\s*议|起\s*诉|列\s*\d+|Column\s*\d+", re.I
)


def read_table4(text: str, start: int, end: int, layout: Layout) -> TableResult:
    """Table 四: fifteen figures after the header words."""
    region = text[start:end]
    heads = list(_T4_HEADER.finditer(region))
    if not heads:
        return _all_missing(TABLE4_IDS)
    body = region[heads[-1].start() :]
    pieces = trim(layout.pieces(body + "\n"))
    width = len(TABLE4_IDS)
    result = TableResult()
    cells = place(pieces, width, 0)
    tokens = digit_tokens(pieces) if layout.splits else None
    if tokens is not None and len(tokens) < width:
        cells = fused_cells(tokens, fused.Shape((5, 5, 5), sums=True), TABLE4_IDS, result)
    if cells is None:
        cells = [Cell.missing() for _ in TABLE4_IDS]
        result.findings.append(
            Finding(
                "PARSE_ROW_UNREADABLE",
                Severity.ERROR,
                TABLE4_IDS,
                f"表四应有 15 个数，读到 {count_filled(pieces)} 个，各格按未知处理",
            )
        )
    result.cells.update(zip(TABLE4_IDS, cells, strict=True))
    return result


def _all_missing(ids: Sequence[str]) -> TableResult:
    return TableResult({cid: Cell.missing() for cid in ids})
