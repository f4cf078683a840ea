"""A question any person can answer and that works offline and with a screen reader: a sum
of two small numbers, asked in words. Together with the hidden honeypot field and the rate
limits it stops form-filling robots; it is not meant to stop a determined person (the
limits are).

The answer is not kept in a session: the form carries it as a keyed hash inside a signed,
timed token that is accepted once (:class:`gongkai.portal.forms.CaptchaMixin`), so showing
a form to an anonymous visitor stores nothing. Every showing of a form, including each one
after an error, asks a new question.
"""

from __future__ import annotations

import secrets

_DIGITS = "零一二三四五六七八九十"


def _words(n: int) -> str:
    if n <= 10:
        return _DIGITS[n]
    return ("" if n < 20 else _DIGITS[n // 10]) + "十" + (_DIGITS[n % 10] if n % 10 else "")


def new_question() -> tuple[str, int]:
    """A new question, in words, and its answer."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    return f"{_words(a)}加{_words(b)}等于几？（请填写阿拉伯数字）", a + b
