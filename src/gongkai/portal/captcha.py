"""A question any person can answer and that works offline and with a screen reader: a sum
of two small numbers, asked in words. The answer is kept in the session and used once.
Together with the hidden honeypot field and the rate limits it stops form-filling robots;
it is not meant to stop a determined person (the limits are)."""

from __future__ import annotations

import secrets
from typing import Any

_DIGITS = "零一二三四五六七八九十"
SESSION_KEY = "portal_captcha"


def _words(n: int) -> str:
    if n <= 10:
        return _DIGITS[n]
    return ("" if n < 20 else _DIGITS[n // 10]) + "十" + (_DIGITS[n % 10] if n % 10 else "")


def new_question(session: Any) -> str:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    session[SESSION_KEY] = a + b
    return f"{_words(a)}加{_words(b)}等于几？（请填写阿拉伯数字）"


def check_answer(session: Any, answer: str) -> bool:
    """True if ``answer`` is right; the question is used up either way."""
    expected = session.pop(SESSION_KEY, None)
    try:
        return expected is not None and int(str(answer).strip()) == expected
    except ValueError:
        return False
