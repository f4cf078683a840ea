"""Housekeeping for the scheduled job (``gongkai housekeep``, hourly from cron).

- Expired sessions are deleted (Django keeps them in the database until someone does), and
  so are the portal's and the login's attempt counts that no limit's window reaches any more.
- Stored files that no row refers to are deleted once they are older than ``GRACE``. A file
  is written inside the transaction of the step that makes it (a letter, an attachment);
  when that transaction rolls back, or the process dies before it commits, the file stays
  behind with no row pointing at it. The grace period keeps files of transactions that may
  still be running. Everything goes through Django's storage API, so the same sweep works on
  the local data directory and on an S3-compatible store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

from gongkai.accounts import login_throttle
from gongkai.portal import throttle as portal_throttle

GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Housekeeping:
    sessions_cleared: bool
    orphans: list[str]
    removed: int


def referenced_files() -> tuple[set[str], set[str]]:
    """Every stored name a row refers to, and the top folders the file fields write into."""
    names: set[str] = set()
    roots: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.storage is default_storage:
                upload_to = field.upload_to if isinstance(field.upload_to, str) else ""
                roots.add(upload_to.split("/", 1)[0])
                names.update(
                    n
                    for n in model._default_manager.exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    .iterator()
                    if n
                )
    roots.discard("")
    return names, roots


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for f in files:
        yield f"{folder}/{f}"
    for d in dirs:
        yield from _walk(storage, f"{folder}/{d}")


def orphan_files(now: datetime | None = None, grace: timedelta = GRACE) -> list[str]:
    """Stored files under the file fields' folders that no row refers to and that are older
    than ``grace``."""
    now = now or timezone.now()
    names, roots = referenced_files()
    found = []
    for root in sorted(roots):
        for name in _walk(default_storage, root):
            if name in names:
                continue
            if default_storage.get_modified_time(name) <= now - grace:
                found.append(name)
    return found


def housekeep(*, dry_run: bool = False, grace: timedelta = GRACE) -> Housekeeping:
    """Clear expired sessions and remove orphaned files (nothing is changed on a dry run)."""
    orphans = orphan_files(grace=grace)
    if dry_run:
        return Housekeeping(False, orphans, 0)
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    portal_throttle.purge()
    login_throttle.purge()
    for name in orphans:
        default_storage.delete(name)
    return Housekeeping(True, orphans, len(orphans))
