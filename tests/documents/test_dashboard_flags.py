"""The registry's section of the staff dashboard (:func:`gongkai.documents.selectors.
dashboard_section`, sent by :data:`gongkai.cases.dashboards.dashboard_sections`): publication
cards, 三同步 flags and texts about to expire, for those who may open the registry.

Today is pinned to Monday 2025-06-16 (端午 31 May – 2 June 2025 off): 20 working days after
15 May is 13 June (overdue), after 23 May 23 June (5 left: yellow), after 10 June 8 July.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.scope import viewer_for
from gongkai.cases.dashboards import dashboard_sections, other_sections
from gongkai.core.validity import Validity
from gongkai.documents.models import Interpretation, ReviewState
from gongkai.documents.selectors import dashboard_section
from tests.documents.factories import text
from tests.factories import world

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 16)
UID = "gongkai.documents.selectors.dashboard_section"


@pytest.fixture(autouse=True)
def connected():
    """The receiver as :meth:`gongkai.documents.apps.DocumentsConfig.ready` connects it (left
    as found when the app connected it already)."""
    already = dashboard_sections.has_listeners()
    if not already:
        dashboard_sections.connect(dashboard_section, dispatch_uid=UID)
    yield
    if not already:
        dashboard_sections.disconnect(dispatch_uid=UID)


@pytest.fixture
def w():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield world()


def unpublished(agency, title: str, formed_on: date) -> None:
    text(
        agency,
        title=title,
        written_on=formed_on,
        review_state=ReviewState.SIGN_OFF,
        validity=Validity.NOT_YET_IN_FORCE,
    )


def registry(agency) -> None:
    """One of each: red, yellow, green; 解读 missing and late; one expiring, one not."""
    unpublished(agency, "逾期未公开", date(2025, 5, 15))
    unpublished(agency, "即将到期", date(2025, 5, 23))
    unpublished(agency, "刚形成", date(2025, 6, 10))
    text(agency, title="缺少解读的文件", written_on=date(2025, 6, 10))
    late = text(agency, title="解读迟的文件", written_on=date(2025, 5, 26))
    i = Interpretation.objects.create(
        agency=agency, kind="text", title="解读", published_on=date(2025, 6, 4)
    )
    i.documents.add(late)
    text(
        agency,
        title="年底到期的文件",
        kind="other",
        written_on=date(2021, 1, 4),
        expires_on=date(2025, 12, 16),
    )
    text(
        agency,
        title="明年到期的文件",
        kind="other",
        written_on=date(2021, 1, 4),
        expires_on=date(2026, 1, 4),
    )


def section(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("cases:dashboard")).content.decode()
    found = html.split('<section id="documents"', 1)
    return found[1].split("</section>", 1)[0] if len(found) == 2 else ""


def board(html: str) -> dict[str, int]:
    cards = re.findall(r'<a class="(\w+)" href="/documents/\?card=\1"><strong>(\d+)</strong>', html)
    return {colour: int(n) for colour, n in cards}


def test_the_registry_section(client, w):
    registry(w.d1)
    html = section(client, w.registrar)
    assert board(html) == {"red": 1, "yellow": 1, "green": 1}
    assert 'class="queue-card urgent"' in html
    assert re.findall(r'<td><a href="/documents/\d+/">([^<]+)</a>', html) == [
        "逾期未公开",
        "即将到期",
    ]
    assert '<span class="pill red">红牌 · 逾期 1 个工作日</span>' in html
    assert '<span class="pill yellow">黄牌 · 剩 5 个工作日</span>' in html
    missing = html.split("缺少解读 <strong>")[1].split("</li>")[0]
    assert missing.startswith("1</strong> 件：") and ">缺少解读的文件</a>" in missing
    late = html.split("解读晚于3个工作日 <strong>")[1].split("</li>")[0]
    assert late.startswith("1</strong> 件：") and ">解读迟的文件</a>" in late
    assert "《解读迟的文件》的解读于 2025-06-04 发布" in late  # the flag's message as title
    expiring = html.split('id="documents-expiring"')[1]
    assert "1 件" in expiring
    assert '年底到期的文件</a> <span class="muted">有效期至 2025-12-16' in expiring
    assert "明年到期的文件" not in expiring
    assert "测试市教育局" not in html  # one agency: not named on each row


def test_each_viewer_sees_their_scope(client, w):
    registry(w.d1)
    registry(w.d2)
    assert board(section(client, w.registrar2)) == {"red": 1, "yellow": 1, "green": 1}
    html = section(client, w.supervisor)
    assert board(html) == {"red": 2, "yellow": 2, "green": 2}
    assert "测试市自然资源局" in html and "测试市教育局" in html
    assert "缺少解读 <strong>2</strong> 件" in html
    assert section(client, w.handler1) == ""  # no registry for a handler
    assert section(client, w.admin) == ""
    assert other_sections(viewer_for(w.outsider), TODAY) == []


def test_an_empty_registry(client, w):
    html = section(client, w.secrecy)
    assert board(html) == {"red": 0, "yellow": 0, "green": 0}
    assert 'class="queue-card"' in html
    assert "缺少解读 <strong>0</strong> 件" in html
    assert "2025-12-16 前没有到期的文件。" in html


@pytest.mark.parametrize("person", ["registrar", "head", "secrecy", "supervisor"])
def test_the_section_keeps_its_queries_fixed(client, w, person, steady_calendar):
    user = getattr(w, person)
    registry(w.d1)
    client.force_login(user)
    client.get(reverse("cases:dashboard"))  # warm the calendar and the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:dashboard")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(6):
        registry(w.d1)
        registry(w.d2)
    assert count() == few
    viewer = viewer_for(user)
    with CaptureQueriesContext(connection) as ctx:
        other_sections(viewer, TODAY)
    assert len(ctx.captured_queries) <= 4  # cards, flags, expiring (count and rows)


def test_the_texts_waiting_for_the_viewer(client, w):
    registry(w.d1)  # three texts 待签发: the head's
    text(
        w.d1,
        title="待保密审查的通知",
        written_on=date(2025, 6, 12),
        review_state=ReviewState.SECRECY,
        validity=Validity.NOT_YET_IN_FORCE,
    )
    html = section(client, w.head)
    todo = html.split('id="documents-todo"')[1].split("</ul>")[0]
    assert '>待我办理 <span class="muted">4 件</span>' in todo
    assert re.findall(r'<a href="/documents/\d+/">([^<]+)</a>', todo) == [
        "逾期未公开",
        "即将到期",
        "刚形成",
        "待保密审查的通知",
    ]
    todo = section(client, w.secrecy).split('id="documents-todo"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="/documents/\d+/">([^<]+)</a>', todo) == ["待保密审查的通知"]
    assert 'id="documents-todo"' not in section(client, w.registrar)  # nothing of theirs
    assert 'id="documents-todo"' not in section(client, w.supervisor)
    assert '<h2 id="documents-h">政府文件 <span class="count">2<span class="visually-hidden">' in (
        section(client, w.head)
    )


def test_no_alarm_when_nothing_is_late(client, w):
    html = section(client, w.registrar)
    assert '<h2 id="documents-h">政府文件</h2>' in html
    assert 'href="/documents/new/">新建文件</a>' in html
