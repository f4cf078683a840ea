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

from charset_normalizer import from_bytes


class UnreadableInput(ValueError):
    """The input cannot be used at all; the message is Chinese and names what is wrong."""


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_bytes(data: bytes, *, name: str = "输入") -> str:
    """Decode a text file published as UTF-8, UTF-16 (with BOM) or GBK/GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableInput(
                    f"{name}：以 {encoding} 解码失败（第 {exc.start} 字节）"
                ) from exc
    if b"\x00" in data[:4096]:
        raise UnreadableInput(f"{name}：不是文本文件（含有二进制零字节），也不是 PDF 或 HTML")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableInput(f"{name}：无法识别文本编码（既不是 UTF-8，也不是 GBK/GB18030）")
    return str(best)


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_EXTRA = str.maketrans({"〇": "0", "\u3000": " ", "\xa0": " ", "\r": "\n"})
_FOOTER = re.compile(
    r"^[ \t]*(?:[-—–－─]+[ \t]*\d{1,3}[ \t]*[-—–－─]+"  # — 3 —
    r"|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,，]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?"  # 第3页 共8页
    r"|\d{1,3}[ \t]*/[ \t]*\d{1,3})[ \t]*$",  # 3/8
    re.MULTILINE,
)


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), line ends, odd spaces; page footers removed.

    NFKC maps full-width digits and punctuation (“１２”, “（一）”, “：”) to their ASCII
    forms, so that labels and numbers compare the same whatever the publisher typed.
    """
    text = text.replace("\r\n", "\n").translate(_ZERO_WIDTH)
    text = unicodedata.normalize("NFKC", text).translate(_EXTRA)
    return _FOOTER.sub("", text)


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

    @property
    def is_value(self) -> bool:
        return self.kind is not Kind.TEXT


_NA = frozenset(
    {"/", "-", "—", "——", "--", "－", "\\", "—/", "/—", "─", "–", "N/A", "n/a", "不适用"}
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_OCR_DIGITS = re.compile(r"^[0-9OoIl|〇]+(?:\.[0-9OoIl〇]+)?$")
#: A cell of one letter that OCR reads for a lone digit (“O” for 0, “l” for 1).
_OCR_LONE = frozenset({"O", "o", "〇", "I", "l"})
_OCR_MAP = str.maketrans({"O": "0", "o": "0", "〇": "0", "I": "1", "l": "1", "|": "1"})


def parse_number(text: str) -> int | Decimal | None:
    """A published number as int (or Decimal when it has a fraction); None if not one."""
    if not _NUMBER.match(text):
        return None
    plain = text.replace(",", "").lstrip("+")
    if "." in plain:
        try:
            return Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid forms
            return None
    return int(plain)


def classify(raw: str) -> Piece:
    """Classify one cell's published text: number, blank, not applicable or text."""
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


_CJK = re.compile(r"[\u4e00-\u9fff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
