"""Reading the three statutory tables out of normalised text, whatever the layout.

Tables 二, 三 and 四 of 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号),
one module each, on two shared steps:

- :mod:`.layout` tells the shape of the text (TAB, “|”, one cell per line, spaces, or every
  separator lost) and cuts the text between two row labels into classified pieces;
- :mod:`.cells` places a row's pieces into its cells, recovering run-together digits only
  where the table's arithmetic leaves exactly one reading (:mod:`..fused`);
- :mod:`.table2`, :mod:`.table3` and :mod:`.table4` anchor the rows of each table on their
  labels (:mod:`..locate`) and report what could not be read.

A published blank stays blank, “/” stays not applicable, and nothing is guessed. The
public names are re-exported here, so ``from .tables import read_table3`` keeps working.
"""

from .cells import (
    RECOVERED_FUSED,
    RECOVERED_OCR,
    TableResult,
    digit_tokens,
    modal_offset,
    place,
    to_cell,
    trim,
)
from .layout import Layout, detect_layout, line_gap, space_unit
from .table2 import read_table2
from .table3 import WIDTH3, read_table3
from .table4 import read_table4

__all__ = [
    "RECOVERED_FUSED",
    "RECOVERED_OCR",
    "WIDTH3",
    "Layout",
    "TableResult",
    "detect_layout",
    "digit_tokens",
    "line_gap",
    "modal_offset",
    "place",
    "read_table2",
    "read_table3",
    "read_table4",
    "space_unit",
    "to_cell",
    "trim",
]
