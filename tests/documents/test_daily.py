"""The daily job (``gongkai remind``) also moves the registry's texts whose validity changes
by date, through the hook cases declares (cases may not import documents)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from gongkai.audit.models import AuditEntry
from gongkai.cases.reminders import run_reminders
from gongkai.cases.signals import daily_run
from gongkai.core.validity import Validity
from tests.documents.factories import text
from tests.factories import world

TITLE = "测试市教育局关于开展2025年春季学期中小学生研学实践活动的通知"
LINE = "政府文件：1 件按日期变更了效力状态（施行或到期失效）"
#: The first run of a quarter also re-scans what is published (安全巡查, services.patrol).
PATROL = "安全巡查：扫描已发布文件 1 件，发现须整改 0 件"


@pytest.fixture
def pinned():
    with time_machine.travel("2025-07-01 06:00 +0800", tick=False) as t:
        yield t


@pytest.fixture
def w(db, pinned):
    return world()


@pytest.fixture
def expiring(w):
    """A text whose 有效期 ended on 2025-06-30, still cached as 现行有效."""
    return text(
        w.d1,
        title=TITLE,
        doc_number="测教发〔2025〕3号",
        written_on=date(2025, 2, 10),
        effective_on=date(2025, 3, 1),
        expires_on=date(2025, 6, 30),
        validity=Validity.IN_FORCE,
        validity_since=date(2025, 3, 1),
    )


def test_run_reminders_refreshes_the_registry(expiring):
    result = run_reminders()
    expiring.refresh_from_db()
    assert (expiring.validity, expiring.validity_since) == (Validity.EXPIRED, date(2025, 7, 1))
    assert result.daily == [LINE, PATROL]
    assert LINE in result.summary()
    entry = AuditEntry.objects.get(action="document.validity_refreshed")
    assert entry.actor is None
    assert entry.message == (
        f"《{TITLE}》（测教发〔2025〕3号）按日期由“现行有效”变为“失效”（有效期至 2025-06-30）"
    )
    assert run_reminders().daily == []  # done: nothing more to move today, patrolled


def test_dry_run_writes_nothing(expiring):
    result = run_reminders(dry_run=True)
    assert result.daily == [
        "政府文件：将有 1 件按日期变更效力状态（施行或到期失效），预演未写入",
        "安全巡查：本季度巡查到期，将扫描已发布文件 1 件，预演未写入",
    ]
    expiring.refresh_from_db()
    assert expiring.validity == Validity.IN_FORCE
    assert not AuditEntry.objects.filter(action="document.validity_refreshed").exists()


def test_the_day_option_judges_deadlines_but_the_registry_moves_for_today(expiring):
    """Like the case clocks, the cached validity is for the real today, whatever ``day``."""
    result = run_reminders(date(2025, 6, 20))
    assert result.daily == [LINE, PATROL]
    expiring.refresh_from_db()
    assert expiring.validity == Validity.EXPIRED


def test_the_remind_command_prints_the_line(expiring):
    out = StringIO()
    call_command("remind", stdout=out)
    assert LINE in out.getvalue().splitlines()


def test_nothing_to_move_adds_no_line(w):
    assert run_reminders().daily == []


def test_a_failing_receiver_does_not_stop_the_run(expiring):
    def broken(sender, **kwargs):
        raise RuntimeError("boom")

    daily_run.connect(broken, dispatch_uid="test-broken")
    try:
        result = run_reminders()
    finally:
        daily_run.disconnect(dispatch_uid="test-broken")
    assert result.daily == [
        LINE,
        PATROL,
        "注意：每日任务 tests.documents.test_daily 出错（详见日志）",
    ]
    expiring.refresh_from_db()
    assert expiring.validity == Validity.EXPIRED
