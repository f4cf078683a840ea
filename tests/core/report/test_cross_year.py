"""The cross-year identity of table 二: 上年现行有效 + 本年制发 − 本年废止 = 本年现行有效.

Hand-written reports; the figures are counted by hand.
"""

from __future__ import annotations

import pytest

from gongkai.core.report import compare, parse_text
from gongkai.core.report.checks import check_and_attach
from gongkai.core.report.compare import same_agency

from .test_ocr_repair import _report

TYPED = "行政规范性文件  2  1  9"


def _year(year: int, normative: str) -> object:
    text = _report("1 0 0 0 1 0 0 0 0 0 0 0 0 0 0").replace("2024", str(year))
    return check_and_attach(parse_text(text.replace(TYPED, f"行政规范性文件  {normative}")))


def test_in_force_continuity_holds() -> None:
    # 2023: 8 in force; 2024: 8 + 2 issued − 1 repealed = 9
    old, new = _year(2023, "3  0  8"), _year(2024, "2  1  9")
    assert not [f for f in compare(old, new).findings if f.code == "IN_FORCE_CONTINUITY"]


def test_in_force_continuity_broken_names_the_cells() -> None:
    # 2023: 66 in force; 2024 read as 600: 66 + 2 − 1 = 67 ≠ 600
    old, new = _year(2023, "3  0  66"), _year(2024, "2  1  600")
    found = [f for f in compare(old, new).findings if f.code == "IN_FORCE_CONTINUITY"]
    assert len(found) == 1
    assert found[0].cells == (
        "old.table2.normative.in_force",
        "table2.normative.in_force",
        "table2.normative.issued",
        "table2.normative.repealed",
    )
    assert "66+本年制发2−本年废止1=67" in found[0].message and "600" in found[0].message


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("洪泽区人民政府", "淮安市洪泽区人民政府", True),  # the 2023 and 2024 titles of one report
        ("淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府", True),
        ("青岛市人民政府", "青岛市人民政府", True),
        ("洪泽区人民政府", "淮安市淮阴区人民政府", False),
        ("人民政府", "淮安市人民政府", False),  # not a whole name: “人民政府” alone
        ("教育局", "淮安市洪泽区教育局", False),
        ("洪泽区人民政府", "洪泽区人民政府办公室", False),
    ],
)
def test_the_same_agency_with_or_without_its_higher_places(a: str, b: str, same: bool) -> None:
    assert same_agency(a, b) is same
