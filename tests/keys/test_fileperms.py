"""Owner-only files: what the platform creates, and tightening an old data directory."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile

from gongkai.project.storage import PrivateStorage
from gongkai.security import crypto, fileperms, keychecks
from tests.factories import register


def mode(p: Path) -> int:
    return p.stat().st_mode & 0o777


@pytest.fixture
def owner_only():
    """The process umask as the settings set it, restored afterwards."""
    old = fileperms.secure_umask()
    yield
    os.umask(old)


def test_secure_umask_makes_the_database_and_directories_owner_only(tmp_path, owner_only):
    db = tmp_path / "gongkai.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    (tmp_path / "files" / "letters").mkdir(parents=True)
    crypto.write_key_file(tmp_path / "keys" / "field_key", ["k"])
    assert mode(db) == 0o600
    assert mode(tmp_path / "files") == mode(tmp_path / "files" / "letters") == 0o700
    assert mode(tmp_path / "keys") == 0o700 and mode(tmp_path / "keys" / "field_key") == 0o600


def test_key_files_are_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        crypto.write_key_file(tmp_path / "index_key", ["k"])
    finally:
        os.umask(old)
    assert mode(tmp_path / "index_key") == 0o600


def test_uploads_and_letters_are_stored_owner_only(tmp_path, owner_only):
    assert django_settings.FILE_UPLOAD_PERMISSIONS == fileperms.FILE_MODE, (
        "settings.py: FILE_UPLOAD_PERMISSIONS = fileperms.FILE_MODE"
    )
    assert django_settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == fileperms.DIR_MODE
    storage = PrivateStorage(location=str(tmp_path / "files"))
    name = storage.save("letters/2025/a.docx", ContentFile(b"docx"))
    assert mode(Path(storage.path(name))) == 0o600
    assert mode(tmp_path / "files" / "letters") == mode(tmp_path / "files" / "letters" / "2025")
    assert mode(tmp_path / "files" / "letters" / "2025") == 0o700


@pytest.mark.django_db
def test_a_letter_file_is_owner_only(w, owner_only):
    case = register(w.registrar, w.d1)
    letter = case.letters.get()
    assert mode(Path(letter.file.path)) == 0o600


def test_readable_data_directory_is_warned_about_and_tightened(tmp_path, settings):
    data = tmp_path / "data"
    (data / "files" / "portal").mkdir(parents=True)
    (data / "field_key").write_text("k")
    (data / "files" / "portal" / "id.png").write_bytes(b"png")
    for p, m in [
        (data, 0o755),
        (data / "files", 0o755),
        (data / "files" / "portal", 0o755),
        (data / "field_key", 0o644),
        (data / "files" / "portal" / "id.png", 0o644),
    ]:
        p.chmod(m)
    settings.DATA_DIR = data
    loose = fileperms.insecure_paths()
    assert {data, data / "files", data / "files" / "portal", data / "field_key"} <= set(loose)
    warnings = keychecks.data_file_modes()
    assert [w.id for w in warnings] == ["gongkai.W013"]
    assert "chmod -R go-rwx" in warnings[0].hint

    assert fileperms.tighten() >= 5
    assert not {p for p in fileperms.insecure_paths() if data in (p, *p.parents)}
    assert mode(data) == mode(data / "files" / "portal") == 0o700
    assert mode(data / "field_key") == mode(data / "files" / "portal" / "id.png") == 0o600
