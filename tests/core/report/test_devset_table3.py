"""Table 三 of the real reports in the development set, cell by cell against the truth.

The development set (../shared/reports-dev beside the checkout) holds six text forms and
three PDFs of three published reports with a hand-verified ``truth.json``; it is read, never
copied. A null in the truth (not knowable: （六） items not printed) must stay unknown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.report import read_report_bytes
from gongkai.core.report.schema import TABLE3_COLUMN_KEYS, TABLE3_ROW_KEYS, table3_id
from tests import devset

TEXTS = devset.TEXTS
PDFS = devset.PDF_TRUTH


def _check(path: Path, truth: dict) -> None:
    report = read_report_bytes(path.read_bytes(), name=path.name)
    wrong = []
    for row in TABLE3_ROW_KEYS:
        for col in TABLE3_COLUMN_KEYS:
            want = truth["table3"][row][col]
            got = report.value(table3_id(row, col))
            if got != want:
                wrong.append((row, col, want, got))
    assert not wrong, wrong


@pytest.mark.parametrize("name", TEXTS)
def test_table3_of_each_text_form(name: str) -> None:
    _check(devset.dev_path(name), devset.truth(name))


@pytest.mark.parametrize("pdf", sorted(PDFS))
def test_table3_of_each_pdf(pdf: str) -> None:
    _check(devset.dev_path(f"pdf/{pdf}"), devset.truth(PDFS[pdf]))
