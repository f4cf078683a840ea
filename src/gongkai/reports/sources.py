"""The text of an imported report file, as the report engine reads it: a PDF's pages as text
(bounded, :mod:`gongkai.core.report.pdfbounds`), a text file decoded (UTF-8, UTF-16 or
GBK/GB18030), a web page's visible text. Kept with the file's hash in
:class:`gongkai.reports.models.SourceDocument`, so that every imported figure can be traced
to the text it was read from.

Called only on a file the engine has already read within the import's time and memory
limits (:func:`gongkai.core.report.worker.read_report_bytes_limited`): reading it again is
known to fit. Pure: no Django.
"""

from __future__ import annotations

from gongkai.core.report.readers import html_to_text, looks_like_html, pdf_text
from gongkai.core.report.text import UnreadableInput, decode_text


def extract_text(data: bytes, *, name: str = "输入") -> str:
    """The text of ``data`` (the same container detection as
    :func:`gongkai.core.report.parse_bytes`); "" when it cannot be had."""
    try:
        if data.lstrip()[:5] == b"%PDF-":
            return pdf_text(data, name=name)[0]
        text = decode_text(data, name=name).text
        return html_to_text(text) if looks_like_html(text) else text
    except UnreadableInput:
        return ""
