"""PDF fixtures: a report drawn as PDF text, for the PDF reader tests (needs reportlab).

The ``space`` layout (PDF-like text) is drawn line by line on A4 pages in the built-in
CID font STSong-Light, which pdfplumber reads back as Chinese text. A line wider than
the page continues on the next line; a full page is closed with a footer “第 N 页”.
"""

from __future__ import annotations

import io
import zlib

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from gongkai.core.report.render.layouts import render_space
from gongkai.core.report.schema import Report

FONT = "STSong-Light"
SIZE = 10
LEADING = 15
MARGIN = 56


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _fit(line: str, width: float) -> list[str]:
    """The line cut into pieces no wider than ``width`` points."""
    pieces, current = [], ""
    for ch in line:
        if current and pdfmetrics.stringWidth(current + ch, FONT, SIZE) > width:
            pieces.append(current)
            current = ""
        current += ch
    return [*pieces, current]


def render_pdf(report: Report, *, seed: int = 0) -> bytes:
    """The report's ``space`` layout as a PDF, one text line per PDF line."""
    font = _font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    page_width, page_height = A4
    width = page_width - 2 * MARGIN
    text = render_space(report, seed=seed)
    lines = [piece for line in text.splitlines() for piece in _fit(line, width)]
    page, y = 1, page_height - MARGIN
    canvas.setFont(font, SIZE)
    for line in lines:
        if y < MARGIN + 2 * LEADING:
            _footer(canvas, page)
            canvas.showPage()
            canvas.setFont(font, SIZE)
            page, y = page + 1, page_height - MARGIN
        canvas.drawString(MARGIN, y, line)
        y -= LEADING
    _footer(canvas, page)
    canvas.save()
    return buffer.getvalue()


def _footer(canvas: Canvas, page: int) -> None:
    canvas.drawCentredString(A4[0] / 2, MARGIN / 2, f"第 {page} 页")


def bomb_pdf(inflated_mb: int) -> bytes:
    """A minimal one-page PDF whose content stream inflates to ``inflated_mb`` MB."""
    packed = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    stream = b"".join(packed.compress(chunk) for _ in range(inflated_mb)) + packed.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
