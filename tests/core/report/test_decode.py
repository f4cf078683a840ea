"""Table 三 decoded as a whole: hand-written excerpts of each way text tools mangle it.

Every excerpt below is written by hand for this test (not copied from a published report);
the expected values are counted by hand from the rows as written. The identities used are
those printed in the 2021 format (国办公开办函〔2021〕30号): each row's six applicant columns
add up to 总计, 一 + 二 = 三 + 四 in every column, and （七）总计 is the sum of the outcome rows.
"""

from __future__ import annotations

import pytest

from gongkai.core.report import CellState, parse_text
from gongkai.core.report.decode import (
    MAX_TOKENS,
    Token,
    decode_table3,
    stream,
)
from gongkai.core.report.locate import find_table3_labels
from gongkai.core.report.schema import TABLE3_COLUMN_KEYS, TABLE3_ROWS, table3_id

HEAD = "XX县人民政府2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
COLUMNS = "申请人情况\n自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
TAIL = "\n四、政府信息公开行政复议、行政诉讼情况\n"

# A small table, counted by hand: 12 new (10 natural persons, 2 companies), 1 carried in;
# outcomes 6 granted (5+1), 2 partial, 1 denied_4, 3 unable_1 (2+1); total 12 (10+2);
# 1 carried out (natural person). 10+1 = 10+... column 自然人: new 10 + in 1 = total 10 +
# out 1; column 商业企业: 2 + 0 = 2 + 0; column 总计: 12 + 1 = 12 + 1.
ROWS: dict[str, tuple[int, ...]] = {key: (0,) * 7 for key, _, _ in TABLE3_ROWS}
ROWS.update(
    {
        "new": (10, 2, 0, 0, 0, 0, 12),
        "carried_in": (1, 0, 0, 0, 0, 0, 1),
        "granted": (5, 1, 0, 0, 0, 0, 6),
        "partial": (2, 0, 0, 0, 0, 0, 2),
        "denied_4": (1, 0, 0, 0, 0, 0, 1),
        "unable_1": (2, 1, 0, 0, 0, 0, 3),
        "total": (10, 2, 0, 0, 0, 0, 12),
        "carried_out": (1, 0, 0, 0, 0, 0, 1),
    }
)
LABELS = {key: label for key, _, label in TABLE3_ROWS}
KEYS = [key for key, _, _ in TABLE3_ROWS]


def _line(values: tuple[int, ...]) -> str:
    return " ".join(map(str, values))


def _assert_table(report, rows: dict[str, tuple[int, ...]], unknown: tuple[str, ...] = ()):
    for key, values in rows.items():
        for col, value in zip(TABLE3_COLUMN_KEYS, values, strict=True):
            cell = report.cell(table3_id(key, col))
            if key in unknown:
                assert cell.value is None, (key, col, cell)
            else:
                assert cell.value == value, (key, col, cell)


def test_labels_after_their_numbers_are_decoded_from_the_number_order() -> None:
    # PDF text with vertically centred labels: every number line comes one line early.
    lines = []
    for key in KEYS:
        lines.append(_line(ROWS[key]))
        lines.append(LABELS[key])
    report = parse_text(HEAD + COLUMNS + "\n".join(lines) + TAIL)
    _assert_table(report, ROWS)


def test_block_printed_column_by_column() -> None:
    # The eight 不予公开 rows and unable_1 come out as nine 自然人 values, then nine 商业企业…
    block = KEYS[4:13]
    lines = [_line(ROWS[k]) for k in KEYS[:4]]
    for col in range(7):
        lines += [str(ROWS[k][col]) for k in block]
    lines += [_line(ROWS[k]) for k in KEYS[13:]]
    labels = "\n".join(LABELS[k] for k in KEYS)  # labels detached, all after the numbers
    report = parse_text(HEAD + COLUMNS + "\n".join(lines) + "\n" + labels + TAIL)
    _assert_table(report, ROWS)
    assert report.cell(table3_id("unable_1", "commercial")).value == 1
    assert report.cell(table3_id("denied_4", "natural_person")).value == 1


def test_interleaved_pairs_and_other_as_one_group_row() -> None:
    # （六） printed as one row (items 1–3 not printed), interleaved with （七）总计 in pairs.
    keys = KEYS[:20]
    lines = [f"{LABELS[k]} {_line(ROWS[k])}" for k in keys]
    group, total = (0,) * 7, ROWS["total"]
    pairs = [f"{a} {b}" for a, b in zip(group, total, strict=True)]
    lines += ["（六）其他处理", "（七）总计", *pairs]
    lines.append(f"{LABELS['carried_out']} {_line(ROWS['carried_out'])}")
    report = parse_text(HEAD + COLUMNS + "\n".join(lines) + TAIL)
    _assert_table(report, ROWS, unknown=("other_1", "other_2", "other_3"))
    other = report.cell(table3_id("other_2", "total"))
    assert other.value is None and other.state is CellState.MISSING  # unknown, never 0
    assert any(f.code == "T3_GROUP_ONLY" and "只印出一行合计" in f.message for f in report.findings)


def test_ordinal_without_its_dot_and_a_run_together_total() -> None:
    # OCR: “4 保护第三方合法权益” (the dot lost) and the total row's last two cells fused.
    lines = []
    for key in KEYS:
        label = LABELS[key].replace("4.保护", "4 保护")
        values = _line(ROWS[key])
        if key == "total":
            values = "10 2 0 0 0 012"  # the separator between 0 and 12 lost
        lines.append(f"{label} {values}")
    report = parse_text(HEAD + COLUMNS + "\n".join(lines) + TAIL)
    _assert_table(report, ROWS)
    cell = report.cell(table3_id("total", "total"))
    assert cell.state is CellState.RECOVERED and cell.value == 12
    assert report.cell(table3_id("denied_4", "natural_person")).value == 1


def test_header_words_split_by_spaces_on_one_crawled_line() -> None:
    # A crawled page: the whole table on one line, header words split (“商业 企业”).
    header = "申请人情况 自然人 法人或其他组织 商业 企业 科研 机构 社会 公益 组织"
    header += " 法律 服务 机构 其他 总计"
    body = " ".join(f"{LABELS[k]} {_line(ROWS[k])}" for k in KEYS)
    report = parse_text(HEAD + header + " " + body + TAIL)
    _assert_table(report, ROWS)


def test_typo_in_a_label_does_not_lose_the_row() -> None:
    lines = []
    for key in KEYS:
        label = LABELS[key].replace("其他法律行政法规禁止公开", "其他法律行政止公开")
        values = (0, 1, 0, 0, 0, 0, 1) if key == "denied_2" else ROWS[key]
        lines.append(f"{label} {_line(values)}")
    rows = dict(ROWS)
    rows["denied_2"] = (0, 1, 0, 0, 0, 0, 1)
    rows["new"] = (10, 3, 0, 0, 0, 0, 13)
    rows["total"] = (10, 3, 0, 0, 0, 0, 13)
    text = "\n".join(lines).replace(_line(ROWS["new"]), _line(rows["new"]))
    text = text.replace(f"（七）总计 {_line(ROWS['total'])}", f"（七）总计 {_line(rows['total'])}")
    report = parse_text(HEAD + COLUMNS + text + TAIL)
    _assert_table(report, rows)


def _tokens(values: list[int]) -> list[Token]:
    return [Token(str(v), v, i) for i, v in enumerate(values)]


def test_readings_that_give_the_same_values_are_one_reading() -> None:
    # “0 0 0 0 0 0 0 | 0 0 0 1 0 0 1” (granted, partial) also reads as a column-by-column
    # pair: (0,0,0,0,0,0,0) and (0,0,0,1,0,0,1) again — the same values, so they are read.
    rows = dict.fromkeys(KEYS, (0,) * 7)
    rows["new"] = rows["total"] = rows["partial"] = (0, 0, 0, 1, 0, 0, 1)
    decoded = decode_table3(_tokens([v for key in KEYS for v in rows[key]]))
    assert decoded is not None and decoded.cost == 0
    for key in KEYS:
        assert decoded.values[key] == list(rows[key]), key


def test_a_row_left_out_makes_the_rows_it_could_be_unknown() -> None:
    # No labels, and the zero row denied_2 is not printed (168 numbers for 25 rows). Any
    # outcome row could be the one left out (the rows after it move up one place and every
    # identity still holds), so the outcome rows are not read; new, carried-in, total and
    # carried-out cannot move and are read. denied_4 (1 natural person) could be 0 or 1.
    values = [v for key in KEYS if key != "denied_2" for v in ROWS[key]]
    decoded = decode_table3(_tokens(values))
    assert decoded is not None and decoded.cost == 1
    for key in ("new", "carried_in", "total", "carried_out"):
        assert decoded.values[key] == list(ROWS[key]), key
    assert decoded.values["denied_4"][0] is None
    assert decoded.candidates["denied_4"][0] == (0, 1)
    for key in KEYS:
        for col in range(7):
            value = decoded.values[key][col]
            assert value is None or value == ROWS[key][col], (key, col)


def test_no_decode_when_the_numbers_cannot_be_a_table() -> None:
    tokens = [Token(str(v), v, i) for i, v in enumerate([5, 4, 3, 2, 1] * 30)]
    assert decode_table3(tokens) is None


def test_bounded_input() -> None:
    tokens = [Token("0", 0, i) for i in range(MAX_TOKENS + 1)]
    assert decode_table3(tokens) is None


def test_stream_drops_footers_ordinals_prose_quantities() -> None:
    text = "2023 年，受理 21 件。\n- 3 -\n4.保护第三方合法权益 1 0 0 0 0 0 1\n第 2 页\n5 0.5 A4"
    labels = find_table3_labels(text)
    tokens, lead = stream(text, 0, len(text), labels)
    assert [t.value for t in tokens] == [1, 0, 0, 0, 0, 0, 1, 5]
    assert lead == 0


@pytest.mark.parametrize("numbering", ["1.", "1、", "1．", "1 、"])
def test_item_numbering_variants(numbering: str) -> None:
    lines = []
    for key in KEYS:
        label = LABELS[key]
        if label[:2] in ("1.", "2.", "3."):
            label = label[0] + numbering[1:] + label[2:]
        lines.append(f"{label} {_line(ROWS[key])}")
    report = parse_text(HEAD + COLUMNS + "\n".join(lines) + TAIL)
    _assert_table(report, ROWS)
