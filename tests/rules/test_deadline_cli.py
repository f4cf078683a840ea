"""`gongkai deadline` counts on the database's notices when there is a database, says when a
date is provisional (暂定), and never stops at the end of the package's calendar.

20 working days from Sunday 2026-12-20: provisionally (no 2027 notice) Monday 2027-01-18 —
see tests/core/test_calendar_provisional.py; with a notice making Saturday 9 Jan a working
day, Friday 2027-01-15.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.cli_rules import database_configured

NOTICE = {
    "year": 2027,
    "title": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
    "holidays": "2027-01-01\n2027-01-02\n2027-01-03",
    "workdays": "2027-01-09",
}


@pytest.fixture
def no_database(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    assert not database_configured()


def test_without_a_database_the_package_calendar_and_provisional_rules(no_database, capsys):
    assert main(["deadline", "2026-12-20"]) == 0
    out, err = capsys.readouterr()
    assert out == "2027-01-18\n"
    assert "暂定" in err and "工作日历只到 2026-12-31" in err
    assert main(["deadline", "2026-12-01"]) == 0
    assert capsys.readouterr() == ("2026-12-29\n", "")


def test_registering_in_2027_is_possible_from_the_command_line_too(no_database, capsys):
    assert main(["deadline", "2027-01-04"]) == 0
    out, err = capsys.readouterr()
    assert out == "2027-02-01\n" and "暂定" in err


def test_the_default_sqlite_file_counts_as_a_database(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    (tmp_path / "gongkai.sqlite3").write_bytes(b"")
    assert database_configured()
    monkeypatch.setenv("DATABASE_URL", "postgres://x@127.0.0.1:5432/y")
    (tmp_path / "gongkai.sqlite3").unlink()
    assert database_configured()


@pytest.mark.django_db
def test_with_a_database_its_notices_count(monkeypatch, capsys):
    from gongkai.rules.models import HolidayNotice

    monkeypatch.setenv("DATABASE_URL", "configured")  # the test database is already set up
    assert main(["deadline", "2026-12-20"]) == 0
    out, err = capsys.readouterr()
    assert out == "2027-01-18\n" and "暂定" in err
    HolidayNotice.objects.create(**NOTICE)
    assert main(["deadline", "2026-12-20"]) == 0
    assert capsys.readouterr() == ("2027-01-15\n", "")


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "gongkai", *argv],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )


def test_an_unmigrated_sqlite_file_falls_back_to_the_package(tmp_path):
    (tmp_path / "gongkai.sqlite3").write_bytes(b"")
    done = _cli(tmp_path, "deadline", "2026-12-20")
    assert (done.returncode, done.stdout) == (0, "2027-01-18\n"), done.stderr
    assert "暂定" in done.stderr and "未能读取" not in done.stderr


def test_a_migrated_sqlite_file_with_the_notice(tmp_path):
    assert _cli(tmp_path, "migrate", "--quiet").returncode == 0
    code = (
        "from gongkai.rules.models import HolidayNotice; "
        f"HolidayNotice.objects.create(**{NOTICE!r})"
    )
    made = _cli(tmp_path, "manage", "shell", "-c", code)
    assert made.returncode == 0, made.stderr
    done = _cli(tmp_path, "deadline", "2026-12-20")
    assert (done.returncode, done.stdout, done.stderr) == (0, "2027-01-15\n", "")
