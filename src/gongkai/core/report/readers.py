"""Containers: turning HTML pages and PDF files into text the table reader understands.

HTML tables (including Word-exported HTML with rowspan/colspan and labels split across
``<span>`` and ``<br>``) become one line per ``<tr>`` with cells separated by TAB, so they
read like the ``tab`` layout. PDF files are read with pdfplumber, page by page; their
tables come out as rows of space-separated cells (the ``space`` layout).
"""

from __future__ import annotations

import io
import re

from lxml import etree
from lxml import html as lxml_html

from .text import UnreadableInput

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


def _walk(el: etree._Element, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower().split("}")[-1]
    if tag in _SKIP:
        return
    if tag == "table":
        out.append("\n" + _table_text(el) + "\n")
        return
    block = tag in _BLOCK
    if block:
        out.append("\n")
    if el.text and tag:
        out.append(el.text)
    for child in el:
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
    """The text of a PDF, page after page."""
    import pdfplumber  # imported here: reading PDFs is the only use and it is slow to load
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableInput(f"{name}：PDF 已加密，无法读取文字") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise UnreadableInput(
            f"{name}：PDF 文件已损坏或格式不正确（{type(exc).__name__}）"
        ) from exc
    except Exception as exc:  # pdfminer raises many private error types on broken files
        raise UnreadableInput(f"{name}：PDF 无法读取（{type(exc).__name__}）") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableInput(f"{name}：PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别）")
    return text
