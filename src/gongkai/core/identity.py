"""Checks and masking of applicants' identity data (第二十九条: name, identity proof, contact).

- 居民身份证号码 (GB 11643-1999): 6-digit address code, 8-digit date of birth, 3-digit
  sequence, check character (ISO 7064 MOD 11-2; 10 is written X).
- 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and 20 capital letters (no I, O,
  Z, S, V); registration department, organisation type, 6-digit address code, 9-character
  organisation code, check character (MOD 31).
- Mainland mobile numbers: 11 digits starting 13–19, optionally with +86 or 86.

Each ``check_*`` returns the normalised value or raises :class:`IdentityError` with a
Chinese message saying what is wrong. Masking helpers show only what staff need to tell
two people apart; a full number is shown only to those allowed to see it.

``search_name`` and ``search_phone`` reduce a name or a telephone number to the one form
that staff finding an application by its applicant and the stored identity are compared in
(as keyed hashes, never in plain text): the same person typed with or without spaces, in
full-width or half-width characters, with or without +86, gives the same form.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
#: First two digits of a mainland address code (provinces) plus 71/81/82 (Taiwan, HK, Macao).
PROVINCES = frozenset(
    ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82")
)  # fmt: skip
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


class IdentityError(ValueError):
    """An identity number or phone number that is not valid (message in Chinese)."""


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def id_check_char(first17: str) -> str:
    """The check character of an 18-digit resident ID number (GB 11643)."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def check_resident_id(value: str, *, today: date | None = None) -> str:
    """A valid 18-character 居民身份证号码, normalised (upper-case X), or IdentityError."""
    number = _compact(value)
    if len(number) != 18:
        raise IdentityError(f"身份证号码应为18位，收到{len(number)}位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError("身份证号码前17位应为数字，最后一位为数字或X")
    if number[:2] not in PROVINCES:
        raise IdentityError(f"身份证号码的地址码“{number[:6]}”不是有效的省级行政区划代码开头")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdentityError(f"身份证号码中的出生日期“{number[6:14]}”不是有效日期") from exc
    if born.year < 1900 or (today is not None and born > today):
        raise IdentityError(f"身份证号码中的出生日期“{number[6:14]}”不合理")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise IdentityError(f"身份证号码校验码错误：最后一位应为{expected}，实际为{number[17]}")
    return number


def uscc_check_char(first17: str) -> str:
    """The check character of a 统一社会信用代码 (GB 32100)."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    """A valid 18-character 统一社会信用代码, normalised to upper case, or IdentityError."""
    code = _compact(value)
    if len(code) != 18:
        raise IdentityError(f"统一社会信用代码应为18位，收到{len(code)}位")
    bad = sorted({c for c in code if c not in USCC_CHARS})
    if bad:
        raise IdentityError(
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V）"
        )
    if not code[2:8].isdigit():
        raise IdentityError(
            f"统一社会信用代码第3—8位（登记管理机关行政区划码）应为数字：{code[2:8]}"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise IdentityError(f"统一社会信用代码校验码错误：最后一位应为{expected}，实际为{code[17]}")
    return code


def check_mobile(value: str) -> str:
    """A mainland mobile number as 11 digits (a +86 prefix dropped), or IdentityError."""
    number = _compact(value)
    match = _MOBILE.match(number)
    if not match:
        raise IdentityError(f"手机号码“{value.strip()}”无效：应为以13—19开头的11位数字")
    return match.group(1)


def mask(value: str, keep_start: int, keep_end: int, char: str = "*") -> str:
    """``value`` with all but its first ``keep_start`` and last ``keep_end`` characters hidden."""
    length = len(value)
    if keep_start + keep_end >= length:
        return char * length
    return value[:keep_start] + char * (length - keep_start - keep_end) + value[length - keep_end :]


def mask_resident_id(value: str) -> str:
    """``3702**********1234``: region prefix and last four kept."""
    return mask(_compact(value), 4, 4)


def mask_mobile(value: str) -> str:
    """``138****5678``."""
    return mask(_compact(value), 3, 4)


def mask_credit_code(value: str) -> str:
    """Registration and region codes and the check character kept (organisations are public)."""
    return mask(_compact(value), 8, 1)


def mask_name(name: str) -> str:
    """``张*`` for two characters, ``张*明`` for three or more (first and last kept)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- search forms of names and telephone numbers ------------------------------------------

#: The separators written inside transliterated names (阿卜杜拉·艾买提): the middle dot, the
#: bullet, the katakana middle dot, the hyphenation point, the dot operator and the full stop
#: typed in their place; all read as the middle dot.
_NAME_DOTS = re.compile("[\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff0e.\u3002]")
#: Where an extension begins in a written telephone number (0532-88886666转123).
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^[\d\s()+\-]+$")
PHONE_MIN_DIGITS = 7  # a local fixed-line number without its area code
PHONE_MAX_DIGITS = 15  # ITU-T E.164


def search_name(value: str) -> str:
    """The form in which an applicant's name is compared: Unicode NFKC (full-width letters,
    digits and brackets become half-width), no white space at all (“孙 明” is “孙明”;
    Chinese names are written without spaces), the middle-dot variants as one, Latin letters
    case-folded. Empty when nothing is left."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(text.split())
    return _NAME_DOTS.sub("\u00b7", text).casefold()


def search_phone(value: str) -> str:
    """The form in which a telephone number is compared: its digits only, an extension
    dropped, the country code +86 / 0086 / 86 dropped (a fixed-line number given with it gets
    its trunk prefix 0 back: +86 531 8123 4567 is 0531 8123 4567). Empty when there are no
    digits."""
    text = unicodedata.normalize("NFKC", value).strip()
    text = _EXTENSION.split(text, maxsplit=1)[0]
    digits = re.sub(r"\D", "", text)
    international = False
    if digits.startswith("0086"):
        digits, international = digits[4:], True
    elif text.startswith("+86") or (digits.startswith("861") and len(digits) == 13):
        digits, international = digits[2:], True
    if international and digits and digits[0] not in "01":
        digits = "0" + digits
    return digits


def looks_like_phone(value: str) -> bool:
    """Whether a search box's text is a telephone number: digits with the usual separators
    (spaces, hyphens, brackets, a leading +) and 7 to 15 digits."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text or not _PHONE_CHARS.match(text):
        return False
    return PHONE_MIN_DIGITS <= sum(c.isdigit() for c in text) <= PHONE_MAX_DIGITS
