"""Bounds on reading a PDF: pages read, bytes decompressed, content per page.

A PDF stream is stored compressed; pdfminer (under pdfplumber) inflates each stream whole
with ``zlib.decompress``. A 1.5 MB file whose one stream inflates to 1.5 GB then takes
gigabytes of memory before a single character is read (a "decompression bomb"). This
module replaces, in :mod:`pdfminer.pdftypes` only, the decoders of the filters that can
expand without bound (FlateDecode, LZWDecode, RunLengthDecode) with versions that stop at
a budget. The budget is active only while :func:`bounded` is entered (it is a context
variable, so threads and other users of pdfminer are unaffected); outside it the
replacements behave exactly like the originals.
"""

from __future__ import annotations

import io
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

MIB = 1024 * 1024
#: Pages read from one PDF (an annual report has 5 to 30; later pages are not read).
MAX_PAGES = 200
#: Largest single stream once decompressed. Page content is kilobytes; an embedded, not
#: subset CJK font is 10–20 MB, which must still be readable.
MAX_STREAM_BYTES = 64 * MIB
#: All streams of one PDF decompressed together (pdfminer keeps what it decoded).
MAX_TOTAL_BYTES = 192 * MIB
#: Content of one page (its content streams and the forms it draws) once decompressed. A
#: dense page of text and table rules is under 200 KB; pdfminer turns every character into
#: an object of about a kilobyte, so a larger page is skipped, not interpreted.
MAX_PAGE_CONTENT = 4 * MIB
#: Pages searched for ruled tables (the statutory tables stand in the first pages of a
#: report; later pages are read as text only).
MAX_TABLE_PAGES = 60
#: Ruled tables taken from one page.
MAX_TABLES_PER_PAGE = 20
#: Table cells taken from one PDF in all (tables 二, 三 and 四 have some 300).
MAX_TABLE_CELLS = 20_000
#: Lines and rectangles on a page beyond which no table is searched there: a ruled page
#: has a few hundred; many thousands are a drawing, and finding tables in it is slow.
MAX_PAGE_EDGES = 5_000


class PdfTooLarge(Exception):
    """A stream, or the whole PDF, inflates past its budget."""


class Budget:
    """Decompressed bytes left for one PDF; remembers the first time it ran out."""

    def __init__(self, total: int = MAX_TOTAL_BYTES, stream: int = MAX_STREAM_BYTES) -> None:
        self.left = total
        self.total = total
        self.stream = stream
        self.exceeded: str | None = None

    def stream_limit(self) -> int:
        return max(0, min(self.stream, self.left))

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            self.fail(f"解压后的内容超过 {self.total // MIB} MB 上限")

    def fail(self, why: str) -> None:
        self.exceeded = self.exceeded or why
        raise PdfTooLarge(why)


_BUDGET: ContextVar[Budget | None] = ContextVar("gongkai_pdf_budget", default=None)


def _decompress(data: Any, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
    """``zlib.decompress`` that stops at the budget (same errors on a broken stream)."""
    budget = _BUDGET.get()
    if budget is None:
        return zlib.decompress(data, wbits, bufsize or zlib.DEF_BUF_SIZE)
    inflater = zlib.decompressobj(wbits)
    limit = budget.stream_limit()
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        budget.fail(f"有数据流解压后超过 {limit // MIB} MB")
    if not inflater.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    budget.take(len(out))
    return out


class _Inflater:
    """A ``zlib.decompressobj`` whose output counts against the budget."""

    def __init__(self, budget: Budget, *args: Any) -> None:
        self._inner = zlib.decompressobj(*args)
        self._budget = budget

    def decompress(self, data: Any, max_length: int = 0) -> bytes:
        limit = self._budget.stream_limit()
        cap = limit + 1 if not max_length else min(max_length, limit + 1)
        out = self._inner.decompress(data, cap)
        if len(out) > limit:
            self._budget.fail(f"有数据流解压后超过 {limit // MIB} MB")
        self._budget.take(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _decompressobj(*args: Any, **kwargs: Any) -> Any:
    budget = _BUDGET.get()
    if budget is None:
        return zlib.decompressobj(*args, **kwargs)
    return _Inflater(budget, *args)


class _ZlibShim:
    """What :mod:`pdfminer.pdftypes` sees as ``zlib``."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    decompress = staticmethod(_decompress)
    decompressobj = staticmethod(_decompressobj)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's reading of a stream with a bad checksum, in linear time and bounded.

    Like pdfminer: inflate as far as the data allows; an error in the last three bytes
    (the checksum) is ignored, an earlier one is raised.
    """
    budget = _BUDGET.get()
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    step = 4096
    pos, size = 0, len(data)
    while pos < size:
        chunk = data[pos : pos + step]
        saved = inflater.copy()
        try:
            piece = inflater.decompress(chunk)
        except zlib.error:
            inflater = saved
            for k in range(len(chunk)):
                try:
                    piece = inflater.decompress(chunk[k : k + 1])
                except zlib.error:
                    if pos + k < size - 3:
                        raise
                    return b"".join(out)
                _count(budget, piece)
                out.append(piece)
            pos += len(chunk)
            continue
        _count(budget, piece)
        out.append(piece)
        pos += len(chunk)
    return b"".join(out)


def _count(budget: Budget | None, piece: bytes) -> None:
    if budget is not None:
        budget.take(len(piece))


def _lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    budget = _BUDGET.get()
    out: list[bytes] = []
    size = 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        size += len(piece)
        if budget is not None and size > budget.stream_limit():
            budget.fail(f"有数据流解压后超过 {budget.stream_limit() // MIB} MB")
        out.append(piece)
    if budget is not None:
        budget.take(size)
    return b"".join(out)


def _rldecode(data: bytes) -> bytes:
    from pdfminer.runlength import rldecode

    out = rldecode(data)  # at most 128 times the input
    _count(_BUDGET.get(), out)
    return out


_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Put the bounded decoders into :mod:`pdfminer.pdftypes` (once per process)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        from pdfminer import pdftypes

        pdftypes.zlib = _ZlibShim()  # type: ignore[assignment]
        pdftypes.decompress_corrupted = _decompress_corrupted
        pdftypes.lzwdecode = _lzwdecode
        pdftypes.rldecode = _rldecode
        _installed = True


@contextmanager
def bounded(budget: Budget | None = None) -> Iterator[Budget]:
    """Within the block, PDF streams decompress only within ``budget``."""
    install()
    budget = budget or Budget()
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def page_content_size(page_obj: Any, cap: int = MAX_PAGE_CONTENT) -> int:
    """Decompressed size of a page's content streams and of the forms they may draw.

    Stops counting once past ``cap`` (the page is then skipped anyway). Decoding here
    costs nothing extra: pdfminer keeps the decoded data for the interpreter.
    """
    from pdfminer.pdftypes import PDFStream, resolve1

    total = 0
    seen: set[int] = set()
    todo: list[Any] = [resolve1(c) for c in (page_obj.contents or [])]
    resources = [page_obj.resources]
    while todo or resources:
        while resources and total <= cap:
            res = resolve1(resources.pop())
            xobjects = resolve1(res.get("XObject")) if isinstance(res, dict) else None
            if isinstance(xobjects, dict):
                for ref in xobjects.values():
                    key = id(ref) if getattr(ref, "objid", None) is None else ref.objid
                    if key in seen:
                        continue
                    seen.add(key)
                    todo.append(resolve1(ref))
        if not todo or total > cap:
            break
        stream = todo.pop()
        if not isinstance(stream, PDFStream):
            continue
        subtype = resolve1(stream.get("Subtype"))
        if subtype is not None and getattr(subtype, "name", None) != "Form":
            continue  # images are not decoded to read text
        total += len(stream.get_data())
        if subtype is not None:
            resources.append(stream.get("Resources"))
    return total
