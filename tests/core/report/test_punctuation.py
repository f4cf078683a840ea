"""Chinese punctuation put back in narrative that the reader normalised to half-width."""

from __future__ import annotations

import pytest

from gongkai.core.report.punctuation import chinese_punctuation


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ("2025年,示范市教育局深入贯彻", "2025年，示范市教育局深入贯彻"),
        ("废止0件,现行有效规章0件;制发", "废止0件，现行有效规章0件；制发"),
        ("(一)存在的主要问题", "（一）存在的主要问题"),
        ("法人或其他组织提出1件(社会公益组织1件)。", "法人或其他组织提出1件（社会公益组织1件）。"),
        ("(请根据本机关实际情况修改)", "（请根据本机关实际情况修改）"),
        ("办结(含(上年)结转2件)", "办结（含（上年）结转2件）"),
        ("主要问题: 一是", "主要问题：一是"),
        ("是否公开?请核实!", "是否公开？请核实！"),
        ("可在青岛政务网(www.qingdao.gov.cn)下载", "可在青岛政务网（www.qingdao.gov.cn）下载"),
    ],
)
def test_chinese_text_gets_full_width_marks(read, shown):
    assert chinese_punctuation(read) == shown


@pytest.mark.parametrize(
    "text",
    [
        "共1,234件",  # a thousands separator
        "10:30",
        "见 https://www.gov.cn/zhengce:1",
        "GB/T 9704 (2012)",
        "第一行,\n第二行",  # the comma follows Chinese; the line break stays
    ],
)
def test_figures_addresses_latin_and_line_breaks_stay(text):
    out = chinese_punctuation(text)
    assert out.count("\n") == text.count("\n")
    if "第一行" in text:
        assert out == "第一行，\n第二行"
    else:
        assert out == text
