"""``gongkai demo`` loads the demo world on the configured database, PostgreSQL included
(the audit trail's address column is a real address type there), and a second run adds
nothing."""

from __future__ import annotations

import os
import re
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


#: The internal unit each demo application is routed to, by its request (chosen by hand:
#: school catchment areas to 基础教育处, a school building project to 发展规划处, a
#: regulatory plan to 详细规划处).
ROUTED = {
    "2025年度示范市义务教育阶段学校招生划片范围及依据文件": "基础教育处",
    "示范市第一中学新校区建设项目的立项批复、环评批复文件": "发展规划处",
    "示范市南湖片区控制性详细规划调整的批前公示材料及审批文件": "详细规划处",
}
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]")


@pytest.mark.django_db
def test_demo_reports_are_finished_and_assignments_follow_their_requests(pinned):
    """The demo shows what a finished office would have: last year's published reports and
    this year's drafts with every mark of the draft written out and Chinese punctuation; each
    unit is asked about the application actually routed to it."""
    from gongkai.cases.models import Assignment
    from gongkai.core.report.draft import placeholders
    from gongkai.project.demo import load_demo
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.services import report_of

    load_demo()
    reports = AnnualReport.objects.order_by("year", "agency__code")
    assert [(r.agency.code, r.year, r.status) for r in reports] == [
        ("SFJY", 2024, "published"),
        ("SFZR", 2024, "published"),
        ("SFJY", 2025, "draft"),
        ("SFZR", 2025, "draft"),
    ]
    for ar in reports:
        narrative = report_of(ar).narrative
        assert placeholders(narrative) == [], ar
        assert not HALF_WIDTH_IN_CHINESE.search("\n".join(narrative.values())), ar
        assert ar.errors == 0, ar.document["findings"]
    routed = {a.case.request_text: a for a in Assignment.objects.select_related("case", "unit")}
    assert {text: a.unit.name for text, a in routed.items()} == ROUTED
    for text, a in routed.items():
        assert a.instructions.startswith(f"申请人申请公开“{text}”。请检索")
