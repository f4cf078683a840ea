"""``gongkai demo`` loads the demo world on the configured database, PostgreSQL included
(the audit trail's address column is a real address type there), and a second run adds
nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DEMO_DB = "gongkai_demo_check"


@pytest.fixture
def database_url() -> Iterator[str | None]:
    """A fresh PostgreSQL database when the suite runs on PostgreSQL, else None (SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DEMO_DB}")
        conn.execute(f"CREATE DATABASE {DEMO_DB}")
    yield f"{server}/{DEMO_DB}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DEMO_DB} WITH (FORCE)")


@pytest.mark.db
def test_demo_loads_and_is_idempotent(tmp_path: Path, database_url: str | None):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["GONGKAI_DATA_DIR"] = str(tmp_path / "data")
    if database_url:
        env["DATABASE_URL"] = database_url
    cmd = [sys.executable, "-m", "gongkai.cli", "demo"]
    first = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        cmd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert first.returncode == 0, first.stderr[-3000:]
    assert "示例数据已就绪" in first.stdout
    assert "查询码" in first.stdout
    second = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        cmd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.stdout == first.stdout
