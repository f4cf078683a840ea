"""Speed work that must not change a single result (issue 16, part 5).

The reader was made faster by searching differently, never by reading differently: each
faster search here is checked against the plain one it replaces (``finditer`` over every
position, NFKC of the whole text, ``^…$`` in multi-line mode) on hand-written text, and the
time is checked to grow linearly with the size of the input.
"""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pytest

from gongkai.core.report import parse_text
from gongkai.core.report import prose as prose_module
from gongkai.core.report.checks import _OCR_TEXT
from gongkai.core.report.locate import _table3_patterns, find_parts, find_table3_labels
from gongkai.core.report.text import _nfkc, normalize

EXAMPLES = Path(__file__).parents[3] / "examples" / "reports"


# --- normalisation ----------------------------------------------------------------------


def test_normalize_removes_footer_lines_and_maps_full_width() -> None:
    # Written for this test: full-width digits and comma, “…”, a zero-width space, and three
    # footer lines (“- 3 -”, “第 4 页 共 8 页”, “5/8”) that become empty lines.
    text = (
        "一、总体情况\r\n全年共收到申请１２件，办结１０件。\n- 3 -\n第 4 页 共 8 页\n"
        "  5/8  \n表格\u200b内容…"
    )
    assert normalize(text) == ("一、总体情况\n全年共收到申请12件,办结10件。\n\n\n\n表格内容...")


def test_normalize_removes_a_footer_on_the_first_and_last_line() -> None:
    assert normalize("- 1 -\n正文\n第2页") == "\n正文\n"


def test_a_number_line_that_is_no_footer_stays() -> None:
    assert normalize("本年新收 12 3\n1234/5\n- 12345 -") == "本年新收 12 3\n1234/5\n- 12345 -"


@pytest.mark.parametrize(
    "text",
    [
        "ｶﾞｷﾞ",  # half-width katakana and their voiced marks compose
        "e\u0301 A\u030a \u212b",  # combining marks compose; the ångström sign is Å
        "（一）予以公开１２件，占３.５％…\u3000\xa0①Ⅳ㎡",
        "\u1100\u1161\u11a8 가",  # Hangul jamo compose into a syllable
        "第\u2002３页",
        "纯中文没有需要变的字",
    ],
)
def test_nfkc_shortcut_is_nfkc(text: str) -> None:
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_shortcut_with_many_distinct_characters_is_nfkc() -> None:
    text = "".join(map(chr, range(0xFF01, 0xFF5F))) + "".join(map(chr, range(0x2460, 0x24A0)))
    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


# --- label search -------------------------------------------------------------------------


def _labels_one_row_at_a_time(text: str) -> list[tuple[int, int, int]]:
    """What :func:`find_table3_labels` searches, row by row over the whole text (the plain
    way), before the longest ordered run is chosen."""
    found = []
    for index, (pat, behind) in enumerate(_table3_patterns()):
        for m in pat.finditer(text):
            begin = m.start()
            if behind is not None and (ordinal := behind.search(text, max(0, begin - 8), begin)):
                begin = ordinal.start()
            found.append((index, begin, m.end()))
    return sorted(found, key=lambda f: (f[1], -f[2]))


# Written for this test: labels split by spaces and bars, a header “总计” before the rows,
# prose mentioning a row, “3.其他” next to “其他处理”, ordinals glued to the previous figures.
TABLE3_EXCERPT = (
    "三、收到和处理政府信息公开申请情况\n申请人情况 自然人 总计\n"
    "一、本 年 新 收 政府信息公开申请数量 | 12 | 12 |\n二、上年结转政府信息公开申请数量 1 1\n"
    "三、本年度办理结果\n(一)予以公开 6 6 (二)部分公开 2 2\n(三)不予公开 1.属于国家秘密 0 0\n"
    "2.其他法律行政法规禁止公开 0 03.危及“三安全一稳定” 0 0\n(六)其他处理 3.其他 0 0\n"
    "(七)总计 12 12\n四、结转下年度继续办理 1 1\n正文：本年予以公开的申请较上年增加。\n"
)


def test_table3_labels_found_in_one_pass_are_those_found_row_by_row() -> None:
    plain = _labels_one_row_at_a_time(TABLE3_EXCERPT)
    assert plain, "the excerpt holds labels"
    labels = find_table3_labels(TABLE3_EXCERPT)
    assert {(m.index, m.start, m.end) for m in labels} <= set(plain)
    # the keywords found, by row: 本年新收, 上年结转, 予以公开 (twice: row and prose), …
    rows = [i for i, _, _ in plain]
    assert rows.count(2) == 2  # 予以公开
    assert rows.count(23) == 2  # 总计: the header and （七）总计


def test_part_headings_after_a_chinese_character_are_not_headings() -> None:
    heading = "三、收到和处理政府信息公开申请情况"
    text = f"一、总体情况\n正文\n其中三、收到和处理申请（不是标题）\n{heading}\n"
    parts = find_parts(text)
    assert text[parts["applications"].start :].startswith(heading)


# --- prose ------------------------------------------------------------------------------------

# Written for this test: each figure below is counted by hand.
PROSE = (
    "本年度制发规范性文件5件，废止行政规范性文件2件，现行有效规范性文件30件；"
    "清理规章3件。作出行政处罚决定1,200件（按决定计）、行政许可决定45件。"
    "“予以公开”12件，占40%；部分公开 3 件。"
    "2024 年 结转至2025年继续办理4件，另有结转到2025年的申请1件。"
    "实际收取信息处理费共计 0 元。"
)


@pytest.mark.parametrize(
    ("pattern", "anchor", "starts"),
    [
        ("_TABLE2_DOCS", "_TABLE2_DOC_WORD", prose_module._within(prose_module._TABLE2_DOC_REACH)),
        ("_CARRIED_YEAR", "_CARRIED_TO", prose_module._year_before),
        ("_GROUP", "_GROUP_NAME", prose_module._quote_before),
    ],
)
def test_anchored_search_finds_what_finditer_finds(pattern: str, anchor: str, starts) -> None:
    regex = getattr(prose_module, pattern)
    plain = [(m.span(), m.groups()) for m in regex.finditer(PROSE)]
    fast = prose_module._anchored_finditer(regex, getattr(prose_module, anchor), starts, PROSE)
    assert plain
    assert [(m.span(), m.groups()) for m in fast] == plain


def test_prose_figures_read_from_the_hand_written_sentences() -> None:
    stated = [(c.quote, c.stated) for c in prose_module.table2_claims(PROSE)]
    assert stated == [
        ("制发规范性文件5件", 5),
        ("废止行政规范性文件2件", 2),
        ("现行有效规范性文件30件", 30),
        ("行政许可决定45件", 45),
    ]
    carried = [c for c in prose_module.claims(PROSE, 2024) if "结转" in c.quote]
    assert [(c.quote, c.stated) for c in carried] == [
        ("2024 年 结转至2025年继续办理4件", 4),
        ("结转到2025年的申请1件", 1),
    ]


def test_rewritten_patterns_match_as_written_before() -> None:
    before = {
        "_TABLE2_SINGLE": r"(?:作出)?行政(许可|处罚|强制)(?:决定|案件)?(?:共|数量为?)?"
        + prose_module._COUNT
        + r"件",
        "_FEE_AMOUNT": r"(?:实际)?收取[^。；;\n]{0,14}?处理费(?:共计|合计)?"
        r"\s*(\d+(?:\.\d+)?)\s*(万?元)",
    }
    text = PROSE + "行政强制数量为 7 件。收取复印费和处理费合计1.5万元。作出行政作出行政处罚决定2件"
    for name, written in before.items():
        plain = [(m.span(), m.groups()) for m in re.finditer(written, text)]
        assert [(m.span(), m.groups()) for m in getattr(prose_module, name).finditer(text)] == plain
        assert plain, name


def test_ocr_marks_pattern_matches_as_written_before() -> None:
    written = re.compile(r"(?<![A-Za-z])(?:\d+[OolISB]\d*|[OolISB]\d{2,})(?![A-Za-z])")
    text = "收到申请1O5件，S5500元，型号A4B12，Office 2024，l23件，10件，O0，IS0 9001，B2B"
    assert [m.span() for m in _OCR_TEXT.finditer(text)] == [
        m.span() for m in written.finditer(text)
    ]
    # “B12” in “A4B12” counts (after a digit); “O0” is too short; “IS0” is a word
    assert [m.group() for m in _OCR_TEXT.finditer(text)] == ["1O5", "S5500", "B12", "l23"]


# --- linear time -----------------------------------------------------------------------------


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        parse_text(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("name", ["qingdao-2024.txt", "boshan-2024.txt", "jinan-office-2024.txt"])
def test_time_grows_linearly_with_the_narrative(name: str) -> None:
    """Part 一 repeated 10 and 100 times: the tables read the same, and the time per
    character does not grow (a quadratic step would make it ten times larger)."""
    text = normalize((EXAMPLES / name).read_text("utf-8"))
    parts = find_parts(text)
    at = parts["proactive"].start
    overview = text[parts["overview"].end : at]
    base = parse_text(text)
    per_char = []
    for times in (10, 100):
        padded = text[:at] + overview * times + text[at:]
        assert parse_text(padded).cells == base.cells
        per_char.append(_seconds(padded) / len(padded))
    assert per_char[1] <= 2.5 * per_char[0]
