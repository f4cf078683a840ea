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


# --- the dashboard's SQL-side figures against the rules text by text ---------------------------
#
# :func:`registry_board` counts the cards and the missing 解读 in SQL from 形成日期 / 发布日期
# limits found on the calendar, and loads only the rows it lists. These tests pin it to the
# text-by-text reading (publication_cards, interpretation_flags_for, expiring_for) around
# the 2025 端午 holiday (31 May – 2 June off), a weekend and the 国庆 holiday
# (1 – 8 October off, 28 September and 11 October worked).


def _grid(w) -> None:
    """Texts on every day around the holidays: in hand (both agencies, every step), and
    published 行政规范性文件 with no 解读, an unpublished one, one the same day, 1–9 days
    later, one dated before the text, and two (the first counts)."""
    from datetime import timedelta

    from gongkai.documents.models import Disclosure

    states = [
        ReviewState.DRAFT,
        ReviewState.SECRECY,
        ReviewState.SCAN,
        ReviewState.SIGN_OFF,
        ReviewState.RETURNED,
    ]
    day = date(2025, 4, 20)
    i = 0
    while day <= date(2025, 10, 20):
        i += 1
        agency = w.d1 if i % 3 else w.d2
        text(
            agency,
            title=f"在办{i}",
            written_on=day,
            review_state=states[i % len(states)],
            validity=Validity.NOT_YET_IN_FORCE,
            disclosure=Disclosure.PROACTIVE if i % 7 else Disclosure.ON_REQUEST,
        )
        if i % 2:  # two on some days: ties within a day and within a due date
            text(
                w.d1,
                title=f"在办{i}乙",
                written_on=day,
                review_state=ReviewState.SIGN_OFF,
                validity=Validity.NOT_YET_IN_FORCE,
            )
        doc = text(agency, title=f"规范{i}", written_on=day)
        offset = [None, 0, 1, 2, 3, 4, 5, 6, 9, -1, "unpublished", "two"][i % 12]
        if offset == "unpublished":
            Interpretation.objects.create(
                agency=agency, kind="text", title="未发布解读", published_on=None
            ).documents.add(doc)
        elif offset == "two":
            for later in (8, 2):
                Interpretation.objects.create(
                    agency=agency, kind="text", title="解读", published_on=day + timedelta(later)
                ).documents.add(doc)
        elif offset is not None:
            Interpretation.objects.create(
                agency=agency, kind="text", title="解读", published_on=day + timedelta(offset)
            ).documents.add(doc)
        if i % 5 == 0:
            text(agency, title=f"其他{i}", kind="other", written_on=day)
        if i % 4 == 0:
            text(
                agency,
                title=f"有期限{i}",
                kind="other",
                written_on=date(2021, 1, 4),
                expires_on=day + timedelta(days=30),
            )
        day += timedelta(days=1)


@pytest.mark.parametrize(
    "today",
    [
        date(2025, 6, 3),  # the first working day after 端午
        date(2025, 6, 4),
        date(2025, 6, 16),
        date(2025, 6, 21),  # a Saturday
        date(2025, 9, 30),
        date(2025, 10, 9),  # the first working day after 国庆
        date(2025, 10, 11),  # a Saturday worked
    ],
)
@pytest.mark.parametrize("shown", [1, 3, 10])
def test_the_board_agrees_with_the_rules_text_by_text(w, today, shown):
    from gongkai.documents import selectors as sel
    from gongkai.rules.selectors import working_calendar

    _grid(w)
    cal = working_calendar()
    for person in ("registrar", "head", "secrecy", "supervisor"):
        viewer = viewer_for(getattr(w, person))
        board = sel.registry_board(viewer, today, cal, shown=shown)
        cards = sel.publication_cards(viewer, today, cal)
        assert (board.cards.red, board.cards.yellow, board.cards.green) == (
            cards.red,
            cards.yellow,
            cards.green,
        )
        ids = [r.document.pk for r in board.cards.rows]
        assert ids == [r.document.pk for r in cards.urgent[:shown]]
        assert [r.clock for r in board.cards.rows] == [r.clock for r in cards.urgent[:shown]]
        todo = [r for r in cards.rows if sel.document_actions(viewer, r.document) & sel.FORWARD]
        assert board.todo_count == len(todo)
        assert [r.document.pk for r in board.todo] == [r.document.pk for r in todo[:shown]]
        for colour in ("red", "yellow", "green"):
            listed = sel.documents_for(viewer, card=colour, today=today, cal=cal)
            expected = {r.document.pk for r in cards.rows if r.clock.colour == colour}
            assert {d.pk for d in listed} == expected
        flags = sel.interpretation_flags_for(viewer, today, cal)
        for code, rows, count in (
            ("interpretation_missing", board.missing, board.missing_count),
            ("interpretation_late", board.late, board.late_count),
        ):
            old = [(f.document.pk, f.flag) for f in flags if f.flag.code == code]
            assert count == len(old)
            assert [(f.document.pk, f.flag) for f in rows] == old[:shown]
        expiring = list(sel.expiring_for(viewer, today))
        assert board.expiring_count == len(expiring)
        assert [d.pk for d in board.expiring] == [d.pk for d in expiring[:shown]]


def test_the_card_and_missing_limits_by_hand(w):
    from gongkai.documents import selectors as sel
    from gongkai.rules.selectors import working_calendar

    cal = working_calendar()
    limits = sel.clock_limits(TODAY, cal)
    # due 13 June (formed 15 May) is overdue; due 16 June (16 May) is today: yellow;
    # formed 23–25 May: due 23 June, 5 left (yellow); formed 26 May: due 24 June, 6 left.
    assert (limits.yellow_from, limits.green_from) == (date(2025, 5, 16), date(2025, 5, 26))
    assert limits.span("red")[1] == date(2025, 5, 15)
    assert limits.span("blue") is None
    # 10 June + 3 working days = 13 June, past on the 16th; 11 June's limit is the 16th.
    assert sel.missing_limit(TODAY, cal)[1] == date(2025, 6, 10)
    # 4 June: 28 May + 3 working days = 3 June (端午 31 May – 2 June off); 29 May's is 4 June.
    assert sel.missing_limit(date(2025, 6, 4), cal)[1] == date(2025, 5, 28)
    # a day the calendar does not cover: no clock, no flag
    assert sel.clock_limits(date(1990, 1, 1), cal) is None
    assert sel.missing_limit(date(1990, 1, 1), cal) is None


def test_the_board_never_reads_more_than_four_queries(w, steady_calendar):
    from gongkai.documents import selectors as sel
    from gongkai.rules.selectors import working_calendar

    _grid(w)
    cal = working_calendar()
    viewer = viewer_for(w.head)
    with CaptureQueriesContext(connection) as ctx:
        board = sel.registry_board(viewer, TODAY, cal, shown=3)
    assert len(ctx.captured_queries) == 4
    assert board.missing_count > 3 and board.late_count > 3 and board.todo_count > 3
