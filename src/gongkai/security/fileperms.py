"""Owner-only files: the SQLite database, key files, uploads and letters in the data directory.

One mechanism covers everything the process creates: :func:`secure_umask` (called when the
settings are imported) sets the umask to 0o077, so new files are 0600 and new directories 0700
whoever creates them (SQLite, key files, log files). Django's file storage sets modes of its
own, so the settings also name them (``FILE_UPLOAD_PERMISSIONS = FILE_MODE``,
``FILE_UPLOAD_DIRECTORY_PERMISSIONS = DIR_MODE``).

Data directories made by earlier versions may be group- or world-readable: ``gongkai check``
warns (``gongkai.W002``) and ``gongkai secure-files`` (:func:`tighten`) fixes them, like
``chmod -R go-rwx``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings

UMASK = 0o077
FILE_MODE = 0o600
DIR_MODE = 0o700
#: Group and other permission bits: none may be set on the data directory or in it.
LOOSE = stat.S_IRWXG | stat.S_IRWXO


def secure_umask() -> int:
    """Make files this process creates owner-only; returns the previous umask."""
    return os.umask(UMASK)


def _sqlite_file() -> Path | None:
    db = settings.DATABASES.get("default", {})
    if not str(db.get("ENGINE", "")).endswith("sqlite3"):
        return None
    name = str(db.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def _loose(path: Path) -> bool:
    try:
        return bool(path.lstat().st_mode & LOOSE) and not path.is_symlink()
    except FileNotFoundError:
        return False


def insecure_paths() -> list[Path]:
    """The data directory, its subdirectories and top-level files, and the SQLite database
    (with its journal files), where group or others have any permission. Files below the
    subdirectories are not listed one by one: owner-only directories already shut them off."""
    root = Path(settings.DATA_DIR)
    found: list[Path] = []
    if root.is_dir():
        if _loose(root):
            found.append(root)
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            found.extend(here / d for d in dirnames if _loose(here / d))
            if here == root:
                found.extend(root / f for f in filenames if _loose(root / f))
    db = _sqlite_file()
    if db is not None:
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
            if p not in found and _loose(p):
                found.append(p)
    return found


def tighten(root: Path | None = None) -> int:
    """``chmod -R go-rwx`` on the data directory (and the SQLite file wherever it is); returns
    how many directories and files were changed."""
    root = Path(root or settings.DATA_DIR)
    changed = 0

    def fix(p: Path) -> None:
        nonlocal changed
        if p.is_symlink() or not p.exists():
            return
        mode = p.stat().st_mode
        if mode & LOOSE:
            p.chmod(stat.S_IMODE(mode) & ~LOOSE)
            changed += 1

    if root.exists():
        fix(root)
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            for name in [*dirnames, *filenames]:
                fix(here / name)
    db = _sqlite_file()
    if db is not None:
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
            if root not in p.parents:
                fix(p)
    return changed
