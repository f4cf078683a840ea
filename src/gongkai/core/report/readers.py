"""Containers: turning HTML pages and PDF files into text the table reader understands.

HTML tables (including Word-exported HTML with rowspan/colspan and labels split across
``<span>`` and ``<br>``) become one line per ``<tr>`` with cells separated by TAB, so they
read like the ``tab`` layout. PDF files are read with pdfplumber, page by page; their
tables come out as rows of space-separated cells (the ``space`` layout). On request
(:func:`pdf_read`) the ruled tables of the pages are also returned as grids of cells
(:mod:`.pdftables`), which keep blank cells and cell boundaries.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from . import pdfbounds
from .pdftables import Grid, is_table4
from .schema import Finding, Severity
from .text import InputTooComplex, UnreadableInput

_BLOCK = frozenset(
    {"p", "div", "li", "ul", "ol", "section", "article", "header", "footer", "tr", "br", "pre"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "title", "caption", "dt", "dd"}
)
_SKIP = frozenset({"script", "style", "head", "noscript", "template"})
_HTML_SNIFF = re.compile(r"<\s*(?:!doctype\s+html|html|body|table|div|p)\b", re.I)


def looks_like_html(text: str) -> bool:
    """Whether a decoded text is an HTML page rather than plain text."""
    head = text[:4096]
    return bool(_HTML_SNIFF.search(head)) and ("</" in text)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, tables as TAB-separated rows."""
    try:
        root = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableInput(f"HTML 无法解析：{exc}") from exc
    out: list[str] = []
    _walk(root, out)
    text = "".join(out)
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)


def _walk(element: etree._Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.lower().split("}")[-1]
    if tag in _SKIP:
        return
    if tag == "table":
        out.append("\n" + _table_text(element) + "\n")
        return
    block = tag in _BLOCK
    if block:
        out.append("\n")
    if element.text and tag:
        out.append(element.text)
    for child in element:
        _walk(child, out)
        if child.tail:
            out.append(child.tail)
    if block:
        out.append("\n")


def _cell_text(cell: etree._Element) -> str:
    return " ".join("".join(cell.itertext()).split())


def _table_text(table: etree._Element) -> str:
    rows = []
    for tr in table.iter("tr"):
        cells = [
            _cell_text(c) for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")
        ]
        rows.append("\t".join(cells) + "\t")
    return "\n".join(rows)


def pdf_to_text(data: bytes, *, name: str = "PDF") -> str:
    """The text of a PDF, page after page (see :func:`pdf_text`)."""
    return pdf_text(data, name=name)[0]


@dataclass(slots=True)
class PdfContent:
    """What a PDF yields: its text, warnings, and (on request) its ruled tables."""

    text: str
    notes: list[Finding] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)


def pdf_text(data: bytes, *, name: str = "PDF") -> tuple[str, list[Finding]]:
    """The text of a PDF, page after page, and warnings about what was left unread.

    Bounded (:mod:`.pdfbounds`): at most ``MAX_PAGES`` pages; a page whose content inflates
    past ``MAX_PAGE_CONTENT`` is skipped with a warning; a PDF whose streams inflate past
    their budget (a decompression bomb) is refused with :class:`InputTooComplex`.
    """
    content = pdf_read(data, name=name, tables=False)
    return content.text, content.notes


def pdf_read(data: bytes, *, name: str = "PDF", tables: bool = True) -> PdfContent:
    """The text of a PDF and, with ``tables``, the ruled tables of its pages as grids.

    Bounded like :func:`pdf_text`; tables are searched on the first
    ``MAX_TABLE_PAGES`` pages only, at most ``MAX_TABLES_PER_PAGE`` per page and
    ``MAX_TABLE_CELLS`` cells in all, and not on a page drawn with more than
    ``MAX_PAGE_EDGES`` lines and rectangles (a drawing, not a table): such a page is read
    as text only. Table 四 is the last statutory table: the search stops one page after it.
    """
    import pdfplumber  # imported here: reading PDFs is the only use and it is slow to load
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.page import Page

    notes: list[Finding] = []
    pages: list[str] = []
    grids: list[Grid] = []
    cells_left = pdfbounds.MAX_TABLE_CELLS
    last_table_page = pdfbounds.MAX_TABLE_PAGES
    with pdfbounds.bounded() as budget:
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                doctop = 0.0
                for i, page_obj in enumerate(PDFPage.create_pages(pdf.doc)):
                    if i >= pdfbounds.MAX_PAGES:
                        notes.append(
                            _note(
                                "PDF_PAGES_CAPPED",
                                f"{name}：PDF 超过 "
                                f"{pdfbounds.MAX_PAGES} 页，只读取了前 "
                                f"{pdfbounds.MAX_PAGES} 页",
                            )
                        )
                        break
                    size = pdfbounds.page_content_size(page_obj)
                    if size > pdfbounds.MAX_PAGE_CONTENT:
                        notes.append(
                            _note(
                                "PDF_PAGE_SKIPPED",
                                f"{name}：第 {i + 1} 页内容过大"
                                f"（解压后超过 {pdfbounds.MAX_PAGE_CONTENT // 1048576}"
                                " MB），未读取该页",
                            )
                        )
                        continue
                    page = Page(pdf, page_obj, page_number=i + 1, initial_doctop=doctop)
                    doctop += page.height
                    pages.append(page.extract_text() or "")
                    if tables and i < last_table_page and cells_left > 0:
                        found = _page_grids(page, i + 1, cells_left)
                        cells_left -= sum(len(r) for g in found for r in g.rows)
                        grids.extend(found)
                        if any(is_table4(g) for g in found):
                            # table 四 is the last one; its figures may stand on the next page
                            last_table_page = min(last_table_page, i + 2)
                    page.close()
        except MemoryError:
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise UnreadableInput(f"{name}：PDF 已加密，无法读取文字") from exc
        except Exception as exc:  # pdfminer raises many private error types on broken files
            if budget.exceeded:
                raise InputTooComplex(
                    f"{name}：PDF {budget.exceeded}（可能是“压缩炸弹”），为安全起见未读取"
                ) from exc
            if isinstance(exc, (PDFSyntaxError, PSException, ValueError, KeyError, TypeError)):
                raise UnreadableInput(
                    f"{name}：PDF 文件已损坏或格式不正确（{type(exc).__name__}）"
                ) from exc
            raise UnreadableInput(f"{name}：PDF 无法读取（{type(exc).__name__}）") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableInput(f"{name}：PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别）")
    return PdfContent(text, notes, grids)


def _page_grids(page: object, number: int, cells_left: int) -> list[Grid]:
    """The ruled tables of one page as grids, within the bounds of :mod:`.pdfbounds`."""
    drawn = len(page.lines) + len(page.rects)  # type: ignore[attr-defined]
    if not drawn or drawn > pdfbounds.MAX_PAGE_EDGES:
        return []
    out: list[Grid] = []
    for table in page.find_tables()[: pdfbounds.MAX_TABLES_PER_PAGE]:  # type: ignore[attr-defined]
        size = sum(len(r.cells) for r in table.rows)
        if size > cells_left:
            break
        cells_left -= size
        out.append(Grid(number, table.extract()))
    return out


def _note(code: str, message: str) -> Finding:
    return Finding(code, Severity.WARNING, (), message)
