"""Official letters rendered as .docx after GB/T 9704-2012, read back with python-docx."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.docx_writer import OfficialLetter, format_date, render_docx

LETTER = OfficialLetter(
    issuer="示范市教育局",
    title="政府信息公开申请答复书",
    number="示教信公〔2026〕12号",
    recipient="张三",
    body=(
        "你于2026年11月2日提出的政府信息公开申请收悉。",
        "经查，你申请获取的信息属于主动公开范围，现予提供。",
    ),
    signature="示范市教育局",
    dated=date(2026, 11, 23),
    attachments=("2026年度招生计划",),
    note="（联系人：王五，电话：021-12345678）",
)
EXPECTED = [
    "示范市教育局",
    "示教信公〔2026〕12号",
    "政府信息公开申请答复书",
    "张三：",
    "你于2026年11月2日提出的政府信息公开申请收悉。",
    "经查，你申请获取的信息属于主动公开范围，现予提供。",
    "附件：2026年度招生计划",
    "示范市教育局",
    "2026年11月23日",
    "（联系人：王五，电话：021-12345678）",
]


def read(letter: OfficialLetter) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(letter)))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def find(document: docx.document.Document, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text == text)


def east_asia_font(p: Paragraph) -> str | None:
    return p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_format_date_has_no_leading_zeros() -> None:
    assert format_date(date(2026, 1, 5)) == "2026年1月5日"
    assert format_date(date(2026, 11, 23)) == "2026年11月23日"


def test_page_is_a4_with_the_standard_margins() -> None:
    section = read(LETTER).sections[0]
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    for length, mm in zip(measured, [210, 297, 37, 35, 28, 26], strict=True):
        assert length.mm == pytest.approx(mm, abs=0.5)


def test_all_text_in_order() -> None:
    assert texts(read(LETTER)) == EXPECTED


def test_letterhead_is_red_with_a_red_rule_under_the_number() -> None:
    document = read(LETTER)
    head = find(document, "示范市教育局")
    assert head.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(head.runs[0].font.color.rgb) in {"C00000", "FF0000"}
    assert east_asia_font(head) == "方正小标宋简体"
    assert 26 <= head.runs[0].font.size.pt <= 36
    number = find(document, LETTER.number)
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.runs[0].font.size.pt == 16
    (bottom,) = number._p.xpath("w:pPr/w:pBdr/w:bottom")
    assert bottom.get(qn("w:sz")) == "12"
    assert bottom.get(qn("w:color")) in {"C00000", "FF0000"}


def test_title_is_2hao_xiaobiaosong_centered_between_blank_lines() -> None:
    paragraphs = read(LETTER).paragraphs
    i = next(i for i, p in enumerate(paragraphs) if p.text == LETTER.title)
    title = paragraphs[i]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22
    assert east_asia_font(title) == "方正小标宋简体"
    assert paragraphs[i - 1].text == paragraphs[i + 1].text == ""


def test_body_is_3hao_fangsong_indented_two_characters() -> None:
    document = read(LETTER)
    body = find(document, LETTER.body[0])
    assert body.runs[0].font.size.pt == 16
    assert east_asia_font(body) == "仿宋_GB2312"
    assert body.runs[0].font.name == "Times New Roman"
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(32)
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    recipient = find(document, "张三：")
    assert not recipient.paragraph_format.first_line_indent
    assert recipient.alignment in {None, WD_ALIGN_PARAGRAPH.LEFT}
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.space_before == normal.space_after == 0


def test_signature_and_date_right_aligned_four_characters_in() -> None:
    document = read(LETTER)
    for text in (LETTER.signature, "2026年11月23日"):
        p = [p for p in document.paragraphs if p.text == text][-1]  # issuer comes first
        assert p.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert p.paragraph_format.right_indent.pt == pytest.approx(64)


def test_footer_has_a_centered_page_field_between_em_dashes() -> None:
    footer = read(LETTER).sections[0].footer
    (field,) = footer._element.xpath(".//w:fldSimple")
    assert field.get(qn("w:instr")).split() == ["PAGE"]
    (p,) = footer.paragraphs
    assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert p.text.startswith("— ")
    assert p.text.endswith(" —")
    assert p.runs[0].font.size.pt == 14


def test_core_properties() -> None:
    props = read(LETTER).core_properties
    assert props.title == LETTER.title
    assert props.author == LETTER.issuer
    assert props.language == "zh-CN"
    assert props.created.date() == LETTER.dated


def test_no_number_paragraph_when_number_is_empty() -> None:
    document = read(dataclasses.replace(LETTER, number=""))
    assert texts(document) == [t for t in EXPECTED if t != LETTER.number]
    assert find(document, LETTER.issuer)._p.xpath("w:pPr/w:pBdr/w:bottom")  # rule moves up


def test_several_attachments_are_numbered_and_nothing_optional_is_required() -> None:
    letter = dataclasses.replace(LETTER, body=(), attachments=("甲", "乙"), note="")
    assert texts(read(letter)) == [
        "示范市教育局",
        "示教信公〔2026〕12号",
        "政府信息公开申请答复书",
        "张三：",
        "附件：1.甲",
        "2.乙",
        "示范市教育局",
        "2026年11月23日",
    ]


def test_control_characters_are_dropped_not_fatal() -> None:
    letter = dataclasses.replace(LETTER, body=("警\x07告\x00：\x1b", "<b>&amp;</b>"))
    document = read(letter)
    assert "警告：" in texts(document)
    assert "<b>&amp;</b>" in texts(document)  # plain text, no markup interpretation


DROPPED = "\x00\x07\x0b\x1f\ufffe"
LEGAL = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(LEGAL | st.sampled_from("\t\n" + DROPPED), max_size=30), max_size=4))
def test_body_text_survives_the_round_trip(body: list[str]) -> None:
    document = read(dataclasses.replace(LETTER, body=tuple(body)))
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("张三：") + 1
    kept = ["".join(c for c in text if c not in DROPPED) for text in body]
    assert paragraphs[start : start + len(body)] == kept
    assert paragraphs[start + len(body) :].count("2026年11月23日") == 1


def test_a_draft_is_marked_above_the_head_and_on_every_page():
    mark = "答复书草稿（预览）·未经审签，不得作为正式文书发出"
    document = read(dataclasses.replace(LETTER, draft=mark))
    assert texts(document) == [mark, *EXPECTED]
    top = find(document, mark)
    assert top.runs[0].bold and east_asia_font(top) == "黑体"
    assert top.runs[0].font.color.rgb == docx.shared.RGBColor(0xC0, 0x00, 0x00)
    header = document.sections[0].header
    assert [p.text for p in header.paragraphs] == [mark]
    assert document.core_properties.comments == mark
    # The letter itself carries no mark and an empty header.
    plain = read(LETTER)
    assert texts(plain) == EXPECTED
    assert [p.text for p in plain.sections[0].header.paragraphs] == [""]
