"""Text handling shared by every layout: decoding, normalisation and cell classification.

Published reports arrive as UTF-8 or GBK/GB18030 files, with full-width digits and
punctuation, non-breaking spaces, zero-width characters, page footers inside tables and,
in OCR output, letters in place of digits. This module turns all of that into one plain
form so that the layout readers only deal with structure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from charset_normalizer import from_bytes

from .schema import Finding, Severity


class UnreadableInput(ValueError):
    """The input cannot be used at all; the message is Chinese and names what is wrong."""


class InputTooComplex(UnreadableInput):
    """The input would take more time or memory to read than allowed (refused, not read)."""


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_ENCODING_CN = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030"}


@dataclass(slots=True, frozen=True)
class Decoded:
    """A decoded text, its encoding and how many bytes could not be decoded (replaced)."""

    text: str
    encoding: str
    bad_bytes: int = 0

    def findings(self, name: str) -> list[Finding]:
        """A warning when bytes were replaced (none when the text decoded cleanly)."""
        if not self.bad_bytes:
            return []
        enc = _ENCODING_CN.get(self.encoding, self.encoding)
        return [
            Finding(
                "DECODE_REPLACED",
                Severity.WARNING,
                (),
                f"{name}：按 {enc} 解码时有 {self.bad_bytes} 个字节无法识别，已替换为“\ufffd”"
                "后继续读取；这些字节附近的文字或数字可能有误，请核对原文",
            )
        ]


def _tolerated(size: int) -> int:
    """Most undecodable bytes accepted (replaced, with a warning): under 1% of the file."""
    return (size - 1) // 100


def _decode_some(data: bytes, encoding: str, most_bad: int) -> Decoded | None:
    """``data`` decoded with every undecodable byte run replaced; None past ``most_bad``.

    Linear: each attempt decodes from just after the previous error, and at most
    ``most_bad`` + 1 errors are met before giving up.
    """
    view = memoryview(data)
    parts: list[str] = []
    pos = bad = 0
    while True:
        try:
            parts.append(str(view[pos:], encoding))
            break
        except UnicodeDecodeError as exc:
            bad += exc.end - exc.start
            if bad > most_bad:
                return None
            parts.append(str(view[pos : pos + exc.start], encoding))
            parts.append("\ufffd")
            pos += exc.end
    return Decoded("".join(parts), encoding, bad)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _is_text(text: str) -> bool:
    """Few control characters: text, not binary data decoded by accident."""
    return len(_CONTROL.findall(text[:200_000])) * 100 <= min(len(text), 200_000)


def _mostly_utf8(decoded: Decoded) -> bool:
    """A UTF-8 reading with a few broken bytes among many good multi-byte characters.

    Such a file may also decode as GB18030 without error, into nonsense; a GBK file read as
    UTF-8 breaks at nearly every Chinese character, so it never passes this test.
    """
    multi = sum(1 for ch in decoded.text if ch > "\x7f") - decoded.bad_bytes
    return multi >= 10 * decoded.bad_bytes


def decode_text(data: bytes, *, name: str = "输入") -> Decoded:
    """Decode a text file published as UTF-8, UTF-16 (with BOM) or GBK/GB18030.

    A few undecodable bytes (under 1% of the file, in the encoding that fits best) are
    replaced and reported by :meth:`Decoded.findings`; bytes that are not text at all are
    refused with :class:`UnreadableInput`.
    """
    most_bad = _tolerated(len(data))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return Decoded(body.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                some = _decode_some(body, encoding, most_bad)
                if some is not None and _is_text(some.text):
                    return some
                raise UnreadableInput(
                    f"{name}：以 {encoding} 解码失败（第 {exc.start} 字节）"
                ) from exc
    if b"\x00" in data[:4096]:
        raise UnreadableInput(f"{name}：不是文本文件（含有二进制零字节），也不是 PDF 或 HTML")
    utf8 = _decode_some(data, "utf-8", most_bad)
    if utf8 is not None and not utf8.bad_bytes:
        return utf8
    gb18030 = _decode_some(data, "gb18030", most_bad)
    if gb18030 is not None and not gb18030.bad_bytes:
        if utf8 is not None and _mostly_utf8(utf8) and _is_text(utf8.text):
            return utf8
        return gb18030
    some = [d for d in (utf8, gb18030) if d is not None and _is_text(d.text)]
    if some:
        return min(some, key=lambda decoded: decoded.bad_bytes)
    best = from_bytes(data).best()
    if best is None or not _is_text(str(best)):
        raise UnreadableInput(f"{name}：无法识别文本编码（既不是 UTF-8，也不是 GBK/GB18030）")
    return Decoded(str(best), best.encoding)


def decode_bytes(data: bytes, *, name: str = "输入") -> str:
    """The text of :func:`decode_text` (a few undecodable bytes replaced)."""
    return decode_text(data, name=name).text


#: Characters removed (zero-width and soft hyphen), then characters replaced after NFKC.
#: No replacement contains a character replaced later, so replacing one character after
#: another gives what one simultaneous mapping would; ``str.replace`` scans in C, where
#: ``str.translate`` with a mapping looks up every character of the text in a dict.
_ZERO_WIDTH: tuple[tuple[str, str], ...] = tuple(
    (ch, "") for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad"
)
_EXTRA: tuple[tuple[str, str], ...] = (("〇", "0"), ("\u3000", " "), ("\xa0", " "), ("\r", "\n"))
#: A page footer line. Matched with the line break before it (the text gets one in front),
#: not from ``^`` in multi-line mode: a literal start lets the regex engine skip from line
#: break to line break instead of trying every position; ``(?=\n|\Z)`` is ``$`` there.
_FOOTER = re.compile(
    r"\n[ \t]*(?:[-—–－─]+[ \t]*\d{1,3}[ \t]*[-—–－─]+"  # — 3 —
    r"|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,，]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?"  # 第3页 共8页
    r"|\d{1,3}[ \t]*/[ \t]*\d{1,3})[ \t]*(?=\n|\Z)",  # 3/8
)


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), line ends, odd spaces; page footers removed.

    NFKC maps full-width digits and punctuation (“１２”, “（一）”, “：”) to their ASCII
    forms, so that labels and numbers compare the same whatever the publisher typed.
    """
    text = _replace_each(text.replace("\r\n", "\n"), _ZERO_WIDTH)
    text = _replace_each(_nfkc(text), _EXTRA)
    return _FOOTER.sub("\n", "\n" + text)[1:]


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, in a fraction of the time on Chinese text.

    Chinese text nearly always holds a full-width character (“，”, “：”), which sends the
    whole text through the slow path of NFKC. Replacing each distinct character that NFKC
    changes by its own NFKC form first changes nothing in the result (the two texts are
    compatibility-equivalent, and equivalent texts have the same NFKC form), and leaves a
    text that usually passes NFKC's quick check, so the final call returns it at once; where
    it does not (combining marks), that call composes what the replacements left.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    for ch, plain in _COMMON_NFKC:  # each a scan in C: far quicker than a set of the text
        if ch in text:
            text = text.replace(ch, plain)
    if unicodedata.is_normalized("NFKC", text):
        return text
    changed = [ch for ch in set(text) if not unicodedata.is_normalized("NFKC", ch)]
    if len(changed) > _MOST_REPLACED:  # each replacement scans the text: keep it linear
        return unicodedata.normalize("NFKC", text)
    for ch in changed:
        text = text.replace(ch, unicodedata.normalize("NFKC", ch))
    return unicodedata.normalize("NFKC", text)


#: Most distinct characters :func:`_nfkc` replaces one by one (a report has a dozen or two).
_MOST_REPLACED = 64
#: The characters NFKC changes that Chinese text is full of, with their NFKC forms: the
#: full-width forms (“，” “：” “（” “１” “￥”), the ideographic, no-break and typographic
#: spaces, and “…”.
_COMMON_NFKC: tuple[tuple[str, str], ...] = tuple(
    (ch, unicodedata.normalize("NFKC", ch))
    for ch in (
        *map(chr, range(0xFF01, 0xFF5F)),
        *map(chr, range(0xFFE0, 0xFFE7)),
        *map(chr, range(0x2000, 0x200B)),
        "\u3000",
        "\xa0",
        "\u2026",
    )
)


def _replace_each(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


# --- cell classification --------------------------------------------------------------


class Kind(Enum):
    NUMBER = "number"
    BLANK = "blank"
    NOT_APPLICABLE = "not_applicable"
    TEXT = "text"


@dataclass(slots=True, frozen=True)
class Piece:
    """One published cell as read from a layout, classified."""

    kind: Kind
    text: str
    value: int | Decimal | None = None
    fixed_by: str | None = None  # set when the number needed an OCR correction


_NA = frozenset(
    {"/", "-", "—", "——", "--", "－", "\\", "—/", "/—", "─", "–", "N/A", "n/a", "不适用"}
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_OCR_DIGITS = re.compile(r"^[0-9OoIl|〇]+(?:\.[0-9OoIl〇]+)?$")
#: A cell of one letter that OCR reads for a lone digit (“O” for 0, “l” for 1).
_OCR_LONE = frozenset({"O", "o", "〇", "I", "l"})
_OCR_MAP = str.maketrans({"O": "0", "o": "0", "〇": "0", "I": "1", "l": "1", "|": "1"})


#: Longest digit string read as a number. Far above any cell (a fused row of table 四 has at
#: most 90 digits) and far below Python's limit on converting digits to int (4300).
MAX_NUMBER_DIGITS = 120


def parse_number(text: str) -> int | Decimal | None:
    """A published number as int (or Decimal when it has a fraction); None if not one."""
    if len(text) > MAX_NUMBER_DIGITS or not _NUMBER.match(text):
        return None
    plain = text.replace(",", "").lstrip("+")
    if "." in plain:
        try:
            return Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid forms
            return None
    return int(plain)


#: Cells up to this length are classified once and remembered (a table repeats “0” and a
#: few other figures hundreds of times; :class:`Piece` is immutable, so sharing is safe).
_REMEMBERED_CELL = 24


def classify(raw: str) -> Piece:
    """Classify one cell's published text: number, blank, not applicable or text."""
    if len(raw) <= _REMEMBERED_CELL:
        return _classify_remembered(raw)
    return _classify(raw)


def _classify(raw: str) -> Piece:
    text = " ".join(raw.split())
    if not text:
        return Piece(Kind.BLANK, "")
    compact = text.replace(" ", "")
    if compact in _NA:
        return Piece(Kind.NOT_APPLICABLE, text)
    value = parse_number(compact)
    if value is not None:
        return Piece(Kind.NUMBER, text, value)
    if _OCR_DIGITS.match(compact) and (any(c.isdigit() for c in compact) or compact in _OCR_LONE):
        fixed = parse_number(compact.translate(_OCR_MAP))
        if fixed is not None:
            return Piece(Kind.NUMBER, text, fixed, fixed_by="ocr")
    return Piece(Kind.TEXT, text)


_classify_remembered = lru_cache(maxsize=8192)(_classify)

_CJK = re.compile(r"[\u4e00-\u9fff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
