"""Private query codes: how an applicant, without an account, proves an application is theirs.

A code is 8 characters from an alphabet without look-alikes (31^8 ≈ 8.5×10^11 codes); only a
keyed hash (HMAC with the installation's field key) is stored, so a copy of the database does
not reveal the codes, and guessing online is throttled (:mod:`gongkai.portal.throttle`).
"""

from __future__ import annotations

import hmac
import secrets

from gongkai.security.crypto import blind_index

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_digest(code: str) -> str:
    return blind_index("query-code:" + code)


def code_matches(digest: str, code: str) -> bool:
    """Constant-time comparison; an empty stored digest never matches."""
    return bool(digest) and hmac.compare_digest(digest, code_digest(code))
