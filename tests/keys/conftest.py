"""Key tests run in a data directory of their own: keys and key files are per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from gongkai.security import crypto
from tests.cases.conftest import pinned, w  # noqa: F401 - the same pinned world


@pytest.fixture
def data_dir(tmp_path: Path, settings) -> Path:
    """An empty data directory of the test's own, keys from files in it."""
    d = tmp_path / "data"
    settings.DATA_DIR = d
    settings.GONGKAI_FIELD_KEYS = []
    settings.GONGKAI_INDEX_KEY = ""
    crypto.reset_keys()
    yield d
    crypto.reset_keys()


@pytest.fixture
def env_keys(data_dir: Path, settings):
    """Keys from GONGKAI_FIELD_KEYS (one to begin with); returns a setter for the list."""

    def use(*keys: str) -> None:
        settings.GONGKAI_FIELD_KEYS = list(keys)
        crypto.reset_keys()

    use(Fernet.generate_key().decode("ascii"))
    return use
