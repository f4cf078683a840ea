"""Tables 二 and 四 of the real reports in the development set, cell by cell against the truth.

The development set (../shared/reports-dev beside the checkout) holds six text forms and three
PDFs of three published reports with a hand-verified ``truth.json``; it is read, never
copied. File 05 (pdftotext default mode) prints table 二's fee before its label, a page footer
between 行政许可 and its number and table 四's “总计” among the numbers: its cells come from
the order of the numbers (:mod:`gongkai.core.report.decode_small`).

A null in the truth (not knowable from that text: OCR misreads in file 02) must stay unknown,
unless the cell is recovered by an identity; in the scanned file 02 a known figure may be
left unknown for confirmation, never given wrong.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.core.report import CellState, read_report_bytes
from gongkai.core.report.schema import TABLE2_IDS, TABLE4_IDS
from tests import devset

TEXTS = devset.TEXTS
SCANNED = {"02_huaianshi_2024_ocr.txt"}


def _truth(tables: dict, cid: str) -> object:
    node: object = tables
    for part in cid.split("."):
        node = node[part]  # type: ignore[index]
    return Decimal(str(node)) if isinstance(node, float) else node  # 万元 as printed


@pytest.mark.parametrize("name", TEXTS)
def test_tables_2_and_4_of_each_text_form(name: str) -> None:
    path = devset.dev_path(name)
    truth = devset.truth(name)
    report = read_report_bytes(path.read_bytes(), name=name)
    wrong = []
    for cid in TABLE2_IDS + TABLE4_IDS:
        want = _truth(truth, cid)
        cell = report.cell(cid)
        if want is None:
            if cell.value is not None and cell.state is not CellState.RECOVERED:
                wrong.append((cid, want, cell.value))
        elif cell.value != want and not (name in SCANNED and cell.value is None):
            wrong.append((cid, want, cell.value))
    assert not wrong, wrong


def test_detached_labels_of_file_05_are_read_in_full() -> None:
    name = "05_hongzequ_2024_pdftotext.txt"
    truth = devset.truth(name)
    report = read_report_bytes(devset.dev_path(name).read_bytes(), name=name)
    for cid in TABLE2_IDS + TABLE4_IDS:
        assert report.cell(cid).state is CellState.NUMBER, cid
        assert report.value(cid) == _truth(truth, cid), cid
