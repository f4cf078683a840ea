"""Fees (国办函〔2020〕109号): the bracket edges of both methods."""

from __future__ import annotations

import pytest

from gongkai.core.fees import (
    FeeError,
    Method,
    per_page,
    per_request,
    per_request_month,
    request_fee_yuan,
)


@pytest.mark.parametrize(
    ("nth", "yuan"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_per_request_brackets(nth, yuan):
    assert request_fee_yuan(nth) == yuan
    assert per_request(nth).total_yuan == yuan


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),  # 70 pages at 10
        (101, 720),  # + 1 page at 20
        (200, 2700),  # 700 + 100 × 20
        (201, 2740),  # + 1 page at 40
    ],
)
def test_per_page_brackets(pages, yuan):
    assert per_page(pages).total_yuan == yuan


def test_per_page_calculation_is_itemised():
    calc = per_page(201)
    assert calc.method is Method.PER_PAGE
    assert [(ln.description, ln.quantity, ln.unit_yuan, ln.amount_yuan) for ln in calc.lines] == [
        ("第1—30页", 30, 0, 0),
        ("第31—100页", 70, 10, 700),
        ("第101—200页", 100, 20, 2000),
        ("第201页以上", 1, 40, 40),
    ]
    assert calc.explain() == (
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），按量计收。"
        "第1—30页：30×0元=0元；第31—100页：70×10元=700元；第101—200页：100×20元=2000元；"
        "第201页以上：1×40元=40元。合计2740元。"
    )


def test_per_request_names_its_band():
    calc = per_request(41)
    assert calc.lines[0].description == "本月第41件申请（第41—50件档）"
    assert calc.explain().endswith("合计300元。")


def test_a_month_of_requests_adds_up_band_by_band():
    calc = per_request_month(41)
    assert [(ln.description, ln.quantity, ln.unit_yuan) for ln in calc.lines] == [
        ("第1—10件", 10, 0),
        ("第11—30件", 20, 100),
        ("第31—40件", 10, 200),
        ("第41—50件", 1, 300),
    ]
    assert calc.total_yuan == 20 * 100 + 10 * 200 + 300
    assert calc.total_yuan == sum(request_fee_yuan(k) for k in range(1, 42))
    assert per_request_month(0).total_yuan == 0


@pytest.mark.parametrize("bad", [0, -1])
def test_bad_request_numbers(bad):
    with pytest.raises(FeeError, match="申请序号必须是正整数"):
        per_request(bad)


def test_negative_pages():
    with pytest.raises(FeeError, match="页数不能为负数"):
        per_page(-5)
