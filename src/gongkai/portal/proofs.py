"""An identity proof kept for the applicant while they correct the application form.

Browsers never send a chosen file again: when a form comes back with an error, the file
input is empty. So that the applicant need not attach the proof after every mistake, a proof
that passed the upload checks (:func:`gongkai.security.uploads.check_upload`) in a
submission that also passed the robot checks (question and honeypot) is kept:

- the file in the private storage under ``portal/pending/`` with a random name (never the
  uploaded name), not served by any address;
- what is known of it (original name, size, type, SHA-256, when) in this browser's session
  only, so no other visitor can use or see it.

It is used by the next accepted submission of the same session (the draft takes a copy and
the kept file is deleted), replaced by a newly chosen file, and deleted on sign-out. A kept
proof lasts :data:`MAX_AGE` (as long as a question of the form); older ones are deleted by
:func:`purge` and, as files no row refers to, by the hourly housekeeping
(:mod:`gongkai.project.housekeeping`).

An application waiting for confirmation (a draft) already holds its proof; “返回修改” offers
that one (:func:`of_draft`) the same way.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from .models import OnlineApplication

SESSION_KEY = "portal_proof"
FOLDER = "portal/pending"
MAX_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class KeptProof:
    """A stored identity proof and what the upload checks found out about it.

    ``path``: the storage name; ``pending``: a file kept for this session (deleted once
    used), not a draft's own file."""

    path: str
    name: str
    size: int
    content_type: str
    sha256: str
    saved_at: float = 0.0
    pending: bool = True

    @contextmanager
    def open(self) -> Iterator[File]:
        """The stored content under its original name (what the upload checks read)."""
        with default_storage.open(self.path, "rb") as fh:
            yield File(fh, name=self.name)


def pending_name(ext: str) -> str:
    """A fresh storage name in :data:`FOLDER` (random: the uploaded name never becomes a
    path)."""
    return f"{FOLDER}/{secrets.token_hex(16)}{ext}"


def remember(session: Any, proof: KeptProof) -> None:
    """Keep ``proof`` for this session, deleting the one it replaces."""
    old = kept(session)
    if old is not None and old.path != proof.path:
        default_storage.delete(old.path)
    session[SESSION_KEY] = asdict(proof)


def kept(session: Any, now: datetime | None = None) -> KeptProof | None:
    """The proof kept for this session, if it is still there and not older than
    :data:`MAX_AGE` (an expired one is deleted and forgotten)."""
    raw = session.get(SESSION_KEY)
    if not raw:
        return None
    try:
        proof = KeptProof(**{**raw, "pending": True})
    except TypeError:
        session.pop(SESSION_KEY, None)
        return None
    now = now or timezone.now()
    fresh = now.timestamp() - proof.saved_at <= MAX_AGE.total_seconds()
    if not proof.path.startswith(FOLDER + "/") or not fresh:
        forget(session)
        return None
    if not default_storage.exists(proof.path):
        session.pop(SESSION_KEY, None)
        return None
    return proof


def forget(session: Any) -> None:
    """Delete this session's kept proof (after use, on sign-out)."""
    raw = session.pop(SESSION_KEY, None)
    path = str((raw or {}).get("path", ""))
    if path.startswith(FOLDER + "/"):
        default_storage.delete(path)


def of_draft(app: OnlineApplication) -> KeptProof | None:
    """The proof an application waiting for confirmation already holds."""
    if not app.proof or not default_storage.exists(app.proof.name):
        return None
    return KeptProof(
        path=app.proof.name,
        name=app.proof_name,
        size=app.proof_size,
        content_type=app.proof_type,
        sha256=app.proof_sha256,
        pending=False,
    )


def purge(now: datetime | None = None) -> int:
    """Delete kept proofs older than :data:`MAX_AGE` (whatever session they belonged to);
    returns how many."""
    now = now or timezone.now()
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    n = 0
    for f in files:
        name = f"{FOLDER}/{f}"
        if default_storage.get_modified_time(name) <= now - MAX_AGE:
            default_storage.delete(name)
            n += 1
    return n
