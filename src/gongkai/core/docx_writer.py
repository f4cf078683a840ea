"""Official letters (告知书、答复书) as .docx, laid out after GB/T 9704-2012 《党政机关公文格式》.

The layout follows the standard where a word processor can express it: A4 paper with a
156 mm × 225 mm 版心 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), body text in 3号
仿宋 at 22 lines a page (exactly 28.95 pt a line), a red 发文机关标志 in 小标宋 over a red
分隔线, the 标题 in 2号 小标宋, 附件说明, 落款 and 成文日期 four characters from the right
edge, 附注, and the page number “— N —” in 4号 宋体 at the foot of the page.

Pure: no Django. Every text is plain text; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FANGSONG = "仿宋_GB2312"  # 3号仿宋: body text
XIAOBIAOSONG = "方正小标宋简体"  # 发文机关标志 and 标题
SONG = "宋体"  # page number
HEITI = "黑体"  # 份号、密级 position: the draft mark
WESTERN = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
BODY_PT = 16.0  # 3号; also the width of one character for indents
LINE_PT = 28.95  # 225 mm 版心 / 22 lines
ISSUER_PT = 30.0
TITLE_PT = 22.0  # 2号
FOOTER_PT = 14.0  # 4号

# XML 1.0 allows only these characters; python-docx raises on any other.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class OfficialLetter:
    issuer: str  # 发文机关标志
    title: str  # 标题
    number: str  # 发文字号, may be ""
    recipient: str  # 主送
    body: tuple[str, ...]  # 正文 paragraphs
    signature: str  # 落款 (发文机关署名)
    dated: date  # 成文日期
    attachments: tuple[str, ...] = ()  # 附件说明
    note: str = ""  # 附注
    #: Marks a draft shown before sign-off (e.g. “答复书草稿（预览）”): printed above the
    #: 版头 and in every page's header, so a printout is never taken for the sent letter.
    draft: str = ""


def format_date(d: date) -> str:
    """成文日期 in Arabic numerals without leading zeros: ``2026年1月5日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def clean_text(text: str) -> str:
    """Drop characters XML cannot hold; line breaks become ``\\n`` (a soft line break)."""
    return _NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def style_run(
    run: Run, size: float, east_asia: str, western: str = WESTERN, color: RGBColor | None = None
) -> None:
    """Size, Western and East Asian fonts (and colour) of one run."""
    run.font.size = Pt(size)
    run.font.name = western
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    if color is not None:
        run.font.color.rgb = color


def add_para(
    doc: DocxDocument,
    text: str = "",
    *,
    size: float = BODY_PT,
    east_asia: str = FANGSONG,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent_chars: int = 0,
    right_chars: int = 0,
    color: RGBColor | None = None,
) -> Paragraph:
    """A paragraph of one run; indents count 3号 characters, as in the standard."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent_chars:
        fmt.first_line_indent = Pt(BODY_PT * indent_chars)
        p._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))
    if right_chars:
        fmt.right_indent = Pt(BODY_PT * right_chars)
    text = clean_text(text)
    if text:
        style_run(p.add_run(text), size, east_asia, color=color)
    return p


def _red_rule(p: Paragraph) -> None:
    """The 版头 分隔线: a red bottom border under the paragraph, as wide as the 版心."""
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "12"), ("space", "11"), ("color", "C00000")):
        bottom.set(qn(f"w:{name}"), value)
    borders = OxmlElement("w:pBdr")
    borders.append(bottom)
    successors = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
    p._p.get_or_add_pPr().insert_element_before(borders, *successors)  # schema order


def page_setup(doc: DocxDocument) -> None:
    """A4 with the 版心 margins, 3号仿宋 at 28.95 pt a line, the “— N —” page number."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(23)  # the number sits about 7 mm under the 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = WESTERN
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    runs = [p.add_run(text) for text in ("— ", "1", " —")]
    for run in runs:
        style_run(run, FOOTER_PT, SONG, western=SONG)
        run._element.rPr.rFonts.set(qn("w:hint"), "eastAsia")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    runs[1]._r.addprevious(field)
    field.append(runs[1]._r)  # the "1" is the cached result; the field is the page number


def _draft_marks(doc: DocxDocument, mark: str) -> None:
    """``mark`` in red 黑体 where GB/T 9704 puts 份号 and 密级 (top left, above the 版头),
    and in the header of every page."""
    top = add_para(doc, mark, east_asia=HEITI, color=RED)
    top.runs[0].bold = True
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style_run(header.add_run(mark), FOOTER_PT, HEITI, color=RED)


def render_docx(letter: OfficialLetter) -> bytes:
    """The letter as the bytes of a .docx file."""
    doc = Document()
    page_setup(doc)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    draft = clean_text(letter.draft).strip()
    if draft:
        _draft_marks(doc, draft)

    head = add_para(
        doc, letter.issuer, size=ISSUER_PT, east_asia=XIAOBIAOSONG, align=center, color=RED
    )
    head.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # 30 pt exceeds a line
    if clean_text(letter.number).strip():
        head.paragraph_format.space_after = Pt(2 * LINE_PT)  # 发文字号 two lines below
        head = add_para(doc, letter.number, align=center)
    _red_rule(head)

    add_para(doc)
    add_para(doc, letter.title, size=TITLE_PT, east_asia=XIAOBIAOSONG, align=center)
    add_para(doc)
    add_para(doc, f"{letter.recipient}：")
    for text in letter.body:
        add_para(doc, text, indent_chars=2)

    if letter.attachments:
        add_para(doc)
        many = len(letter.attachments) > 1
        for i, name in enumerate(letter.attachments, start=1):
            label = f"{i}.{name}" if many else name
            # Later lines line up under the first attachment's name (2 + len("附件：")).
            add_para(doc, f"附件：{label}" if i == 1 else label, indent_chars=2 if i == 1 else 5)

    add_para(doc)
    add_para(doc, letter.signature, align=right, right_chars=4)
    add_para(doc, format_date(letter.dated), align=right, right_chars=4)
    if letter.note:
        add_para(doc)
        add_para(doc, letter.note, indent_chars=2)

    props = doc.core_properties
    props.title, props.author = clean_text(letter.title), clean_text(letter.issuer)
    props.last_modified_by, props.comments, props.language = (
        clean_text(letter.issuer),
        draft,
        "zh-CN",
    )
    props.created = props.modified = datetime.combine(letter.dated, time(), UTC)  # not 2013's
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
