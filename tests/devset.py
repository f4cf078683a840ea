"""The development set of real published reports, read where it lies beside the checkout
(``../shared/reports-dev``: text forms, ``pdf/`` and a hand-verified ``truth.json``); it is
never copied into the project. Tests that need it skip with the reason when it is absent,
unless ``GONGKAI_REQUIRE_DEVSET=1`` (CI), where its absence fails them."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "reports-dev"
#: The set's text forms, and the text form whose truth each PDF shares (it was made from it).
TEXTS = (
    "01_huaianshi_2024_pdfplumber.txt",
    "02_huaianshi_2024_ocr.txt",
    "03_hongzequ_2023_pdftotext-layout.txt",
    "04_hongzequ_2023_pdftohtml.txt",
    "05_hongzequ_2024_pdftotext.txt",
    "06_hongzequ_2024_pdfmd.txt",
)
PDF_TRUTH = {
    "huaianshi_2024.pdf": "01_huaianshi_2024_pdfplumber.txt",
    "hongzequ_2023.pdf": "03_hongzequ_2023_pdftotext-layout.txt",
    "hongzequ_2024.pdf": "05_hongzequ_2024_pdftotext.txt",
}


def dev_path(relative: str) -> Path:
    """``relative`` inside the set; skips (or, in CI, fails) when it is not there."""
    path = DEV / relative
    if not path.exists():
        why = f"开发集不在：{path}（只读，不复制进项目）"
        if os.environ.get("GONGKAI_REQUIRE_DEVSET"):
            pytest.fail(why)
        pytest.skip(why)
    return path


@cache
def _truth() -> dict[str, Any]:
    return json.loads(dev_path("truth.json").read_text("utf-8"))


def truth(name: str) -> dict[str, Any]:
    """The hand-verified truth of one text form (null: not knowable from that text)."""
    dev_path("truth.json")
    return _truth()[name]
