"""The registry's reads (:mod:`gongkai.documents.selectors`): scope, filters, versions, the
publication clock cards, the 三同步 flags and the texts about to expire.

Today is pinned to Monday 2025-06-16. Working days are counted by hand on the 2025 calendar
(国务院办公厅 2025 年放假安排): 端午 31 May – 2 June off, so 2 June (a Monday) is no working
day. 20 working days after 15 May is 13 June, after 16 May 16 June, after 23 May 23 June,
after 26 May 24 June, after 16 June 14 July.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.http import Http404

from gongkai.accounts.scope import viewer_for
from gongkai.core.deadlines import Colour
from gongkai.core.validity import DocKind, Validity
from gongkai.documents import selectors as sel
from gongkai.documents.models import Disclosure, Interpretation, ReviewState
from gongkai.rules.selectors import working_calendar
from tests.documents.factories import text
from tests.factories import UserFactory, world

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 16)


@pytest.fixture
def w():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False):
        yield world()


def titles(rows) -> list[str]:
    return [getattr(r, "document", r).title for r in rows]


def draft(agency, title: str, formed_on: date, **kw):
    return text(
        agency,
        title=title,
        written_on=formed_on,
        formed_on=formed_on,
        review_state=kw.pop("review_state", ReviewState.DRAFT),
        validity=Validity.NOT_YET_IN_FORCE,
        **kw,
    )


# --- scope ------------------------------------------------------------------------------------


def test_each_viewer_sees_only_their_scope(w):
    a = text(w.d1, title="教育局文件")
    b = text(w.d2, title="自然资源局文件")
    assert titles(sel.documents_for(viewer_for(w.registrar))) == ["教育局文件"]
    assert titles(sel.documents_for(viewer_for(w.registrar2))) == ["自然资源局文件"]
    assert sorted(titles(sel.documents_for(viewer_for(w.supervisor)))) == [
        "教育局文件",
        "自然资源局文件",
    ]
    assert titles(sel.documents_for(viewer_for(w.outsider))) == []
    assert titles(sel.documents_for(viewer_for(w.handler1))) == []
    root = UserFactory(username="root", is_superuser=True)
    assert len(sel.documents_for(viewer_for(root))) == 2
    assert sel.document_for(viewer_for(w.supervisor), b.pk) == b
    with pytest.raises(Http404, match="找不到该文件，或您无权查看"):
        sel.document_for(viewer_for(w.registrar), b.pk)
    with pytest.raises(Http404, match="找不到该文件，或您无权查看"):
        sel.document_for(viewer_for(w.outsider), a.pk)
    with pytest.raises(Http404, match="找不到该文件，或您无权查看"):
        sel.document_for(viewer_for(w.registrar), 999_999)


def test_filters(w):
    text(
        w.d1,
        title="关于做好义务教育招生工作的通知",
        doc_number="测教发〔2025〕3号",
        written_on=date(2025, 3, 1),
        topic="教育",
    )
    text(
        w.d1,
        title="校车安全管理办法",
        kind=DocKind.OTHER,
        written_on=date(2024, 5, 1),
        validity=Validity.REPEALED,
        index_no="CSJY/2024-00077",
    )
    draft(w.d1, "教育收费公示", date(2025, 6, 10))
    text(w.d2, title="国土空间规划", written_on=date(2025, 2, 1))
    sup = viewer_for(w.supervisor)

    def found(**kw) -> list[str]:
        return sorted(titles(sel.documents_for(sup, **kw)))

    assert found(q="招生") == ["关于做好义务教育招生工作的通知"]
    assert found(q="〔2025〕3号") == ["关于做好义务教育招生工作的通知"]
    assert found(q="2024-00077") == ["校车安全管理办法"]
    assert found(q="教育 通知") == ["关于做好义务教育招生工作的通知"]
    assert found(q="教育 规划") == []
    assert found(kind="other") == ["校车安全管理办法"]
    assert found(validity="repealed") == ["校车安全管理办法"]
    assert found(review_state="draft") == ["教育收费公示"]
    assert found(agency=w.d2.pk) == ["国土空间规划"]
    assert found(agency=str(w.d2.pk)) == ["国土空间规划"]
    assert found(year=2024) == ["校车安全管理办法"]
    assert found(year="2025") == ["关于做好义务教育招生工作的通知", "国土空间规划", "教育收费公示"]
    assert found(year="二〇二五") == found()  # not a year: not applied (the form refuses it)
    assert found(topic="教育") == ["关于做好义务教育招生工作的通知"]
    assert sel.topics_for(sup) == ["教育"]
    assert sel.topics_for(viewer_for(w.registrar2)) == []


def test_versions_follow_the_revision_chain(w):
    first = text(w.d1, title="办法（2020）", written_on=date(2020, 1, 1), validity=Validity.REVISED)
    second = text(
        w.d1,
        title="办法（2023）",
        written_on=date(2023, 1, 1),
        revises=first,
        validity=Validity.REVISED,
    )
    third = text(w.d1, title="办法（2025）", written_on=date(2025, 1, 1), revises=second)
    other = text(w.d1, title="另一政策")
    assert sel.versions_of(second) == [first, second, third]
    assert sel.versions_of(third) == [first, second, third]
    assert sel.versions_of(other) == [other]


# --- what each role may do --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "person", "expected"),
    [
        ("draft", "registrar", {"edit", "submit"}),
        ("draft", "head", {"edit", "submit"}),
        ("draft", "secrecy", set()),
        ("draft", "supervisor", set()),
        ("returned", "registrar", {"edit", "submit"}),
        ("secrecy", "secrecy", {"secrecy"}),
        ("secrecy", "head", {"secrecy"}),
        ("secrecy", "registrar", set()),
        ("scan", "head", {"basis", "return"}),
        ("scan", "secrecy", {"return"}),
        ("sign_off", "head", {"publish", "return"}),
        ("sign_off", "registrar", set()),
        ("published", "head", {"take_down", "validity", "revise"}),
        ("published", "registrar", {"revise"}),
        ("published", "supervisor", set()),
        ("published", "registrar2", set()),
        ("taken_down", "head", {"validity"}),
        # only a 主动公开 text goes to review and publication (条例第十九条)
        ("draft/on_request", "registrar", {"edit"}),
        ("returned/not_public", "head", {"edit"}),
    ],
)
def test_document_actions(w, state, person, expected):
    state, _, disclosure = state.partition("/")
    doc = text(w.d1, review_state=ReviewState(state), disclosure=disclosure or "proactive")
    assert sel.document_actions(viewer_for(getattr(w, person)), doc) == expected


def test_a_text_no_longer_in_force_or_already_revised_is_not_revised_again(w):
    head = viewer_for(w.head)
    repealed = text(w.d1, validity=Validity.REPEALED)
    assert sel.document_actions(head, repealed) == {"take_down"}
    in_force = text(w.d1)
    assert "revise" not in sel.document_actions(head, in_force, revised=True)
    assert sel.validity_targets(in_force) == [Validity.REPEALED, Validity.EXPIRED]
    assert sel.validity_targets(text(w.d1, validity=Validity.NOT_YET_IN_FORCE)) == [
        Validity.REPEALED
    ]
    assert sel.validity_targets(repealed) == []


# --- the publication clock (第二十六条) --------------------------------------------------------


def test_publication_cards(w):
    draft(w.d1, "逾期一天", date(2025, 5, 15))  # due 13 June: 1 working day overdue
    draft(w.d1, "今天到期", date(2025, 5, 16), review_state=ReviewState.SIGN_OFF)  # due today
    draft(w.d1, "剩五天", date(2025, 5, 23), review_state=ReviewState.RETURNED)  # due 23 June
    draft(w.d1, "剩六天", date(2025, 5, 26), review_state=ReviewState.SECRECY)  # due 24 June
    draft(w.d1, "今天形成", TODAY)  # due 14 July: 20 left
    draft(w.d1, "不予公开", date(2025, 1, 2), disclosure=Disclosure.NOT_PUBLIC)
    draft(w.d1, "依申请公开", date(2025, 1, 2), disclosure=Disclosure.ON_REQUEST)
    text(w.d1, title="已发布", written_on=date(2025, 1, 2))
    draft(w.d2, "别的机关", date(2025, 1, 2))
    cards = sel.publication_cards(viewer_for(w.registrar), TODAY, working_calendar())
    assert (cards.red, cards.yellow, cards.green) == (1, 2, 2)
    assert titles(cards.rows) == ["逾期一天", "今天到期", "剩五天", "剩六天", "今天形成"]
    got = [(r.clock.due, r.clock.working_days_left, r.clock.colour) for r in cards.rows]
    assert got == [
        (date(2025, 6, 13), -1, Colour.RED),
        (date(2025, 6, 16), 0, Colour.YELLOW),
        (date(2025, 6, 23), 5, Colour.YELLOW),
        (date(2025, 6, 24), 6, Colour.GREEN),
        (date(2025, 7, 14), 20, Colour.GREEN),
    ]
    assert titles(cards.urgent) == ["逾期一天", "今天到期", "剩五天"]
    supervisor = sel.publication_cards(viewer_for(w.supervisor), TODAY, working_calendar())
    assert (supervisor.red, supervisor.yellow, supervisor.green) == (2, 2, 2)
    cal = working_calendar()
    reg = viewer_for(w.registrar)
    assert titles(sel.documents_for(reg, card="red", today=TODAY, cal=cal)) == ["逾期一天"]
    assert sorted(titles(sel.documents_for(reg, card="yellow", today=TODAY, cal=cal))) == [
        "今天到期",
        "剩五天",
    ]


def test_a_published_text_shows_whether_it_was_in_time(w):
    cal = working_calendar()
    on_time = text(w.d1, written_on=date(2025, 5, 16), published_on=date(2025, 6, 16))
    late = text(w.d1, written_on=date(2025, 5, 15), published_on=date(2025, 6, 16))
    clock = sel.publication_clock_for(on_time, TODAY, cal)
    assert (clock.due, clock.late, clock.colour) == (date(2025, 6, 16), False, Colour.GREEN)
    clock = sel.publication_clock_for(late, TODAY, cal)
    assert (clock.due, clock.late, clock.colour) == (date(2025, 6, 13), True, Colour.RED)
    taken_down = text(w.d1, review_state=ReviewState.TAKEN_DOWN)
    assert sel.publication_clock_for(taken_down, TODAY, cal) is None


# --- 三同步 / 解读 -----------------------------------------------------------------------------


def interpret(agency, doc, day: date | None, title: str = "解读") -> Interpretation:
    i = Interpretation.objects.create(agency=agency, kind="text", title=title, published_on=day)
    i.documents.add(doc)
    return i


def test_interpretation_flags(w):
    missing = text(w.d1, title="无解读", written_on=date(2025, 6, 10))
    late = text(w.d1, title="解读迟", written_on=date(2025, 5, 26))
    interpret(w.d1, late, date(2025, 6, 4))
    interpret(w.d1, late, date(2025, 6, 9), "第二篇解读")  # the first one counts
    timely = text(w.d1, title="同步解读", written_on=date(2025, 5, 26))
    interpret(w.d1, timely, date(2025, 5, 29))
    pending = text(w.d1, title="刚发布", written_on=TODAY)
    text(w.d1, title="其他文件无须解读", kind=DocKind.OTHER, written_on=date(2025, 1, 6))
    text(w.d1, title="已废止", written_on=date(2025, 1, 6), validity=Validity.REPEALED)
    draft(w.d1, "草稿", date(2025, 1, 6))
    unpublished_interpretation = text(w.d1, title="解读未发布", written_on=date(2025, 6, 10))
    interpret(w.d1, unpublished_interpretation, None)
    text(w.d2, title="别的机关", written_on=date(2025, 1, 6))
    rows = sel.interpretation_flags_for(viewer_for(w.registrar), TODAY, working_calendar())
    got = {(r.document.title, r.flag.code): r.flag.message for r in rows}
    assert got == {
        ("无解读", "interpretation_missing"): "《无解读》于 2025-06-10 公开，至今未发布政策解读"
        "（应同步发布，最迟 2025-06-13）",
        ("解读未发布", "interpretation_missing"): "《解读未发布》于 2025-06-10 公开，"
        "至今未发布政策解读（应同步发布，最迟 2025-06-13）",
        ("解读迟", "interpretation_late"): "《解读迟》的解读于 2025-06-04 发布，在文件公开"
        "（2025-05-26）后第 6 个工作日，晚于 3 个工作日（最迟 2025-05-29）",
        ("刚发布", "interpretation_pending"): "《刚发布》尚未发布政策解读，请与文件同步发布，"
        "最迟 2025-06-19",
    }
    cal = working_calendar()
    assert sel.flags_of(timely, sel.first_interpretation(timely), TODAY, cal) == ()
    assert [f.code for f in sel.flags_of(missing, None, TODAY, cal)] == ["interpretation_missing"]
    assert sel.first_interpretation(late) == date(2025, 6, 4)
    assert sel.flags_of(pending, None, TODAY, cal)[0].code == "interpretation_pending"


# --- 有效期 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "horizon"),
    [
        (date(2025, 6, 16), date(2025, 12, 16)),
        (date(2025, 2, 28), date(2025, 8, 31)),  # the last day of February: all of August
        (date(2025, 2, 27), date(2025, 8, 27)),
        (date(2025, 8, 30), date(2026, 2, 28)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
    ],
)
def test_expiry_horizon(today, horizon):
    assert sel.expiry_horizon(today) == horizon


def test_expiring_within_six_months(w):
    text(w.d1, title="年底到期", written_on=date(2021, 1, 1), expires_on=date(2025, 12, 16))
    text(w.d1, title="今天到期", written_on=date(2021, 1, 1), expires_on=TODAY)
    text(w.d1, title="晚一天", written_on=date(2021, 1, 1), expires_on=date(2025, 12, 17))
    text(w.d1, title="已过期", written_on=date(2021, 1, 1), expires_on=date(2025, 6, 15))
    text(
        w.d1,
        title="已废止",
        written_on=date(2021, 1, 1),
        expires_on=date(2025, 7, 1),
        validity=Validity.REPEALED,
    )
    text(w.d2, title="别的机关", written_on=date(2021, 1, 1), expires_on=date(2025, 7, 1))
    assert titles(sel.expiring_for(viewer_for(w.registrar), TODAY)) == ["今天到期", "年底到期"]
    assert titles(sel.expiring_for(viewer_for(w.supervisor), TODAY)) == [
        "今天到期",
        "别的机关",
        "年底到期",
    ]


# --- the list's order and what a text not yet published reads -----------------------------------


def test_texts_on_their_way_first_and_validity_only_of_published_texts(w):
    text(w.d1, title="早发布", written_on=date(2024, 1, 1))
    text(w.d1, title="晚发布", written_on=date(2025, 3, 1))
    draft(w.d1, "草稿", date(2025, 6, 10))
    draft(w.d1, "待签发", date(2025, 5, 1), review_state=ReviewState.SIGN_OFF)
    taken = text(
        w.d1,
        title="已撤下",
        written_on=date(2025, 1, 1),
        published_on=date(2025, 1, 5),
        review_state=ReviewState.TAKEN_DOWN,
    )
    reg = viewer_for(w.registrar)
    assert titles(sel.documents_for(reg)) == ["草稿", "待签发", "晚发布", "已撤下", "早发布"]
    # the drafts are cached as 尚未施行, but have no validity before publication
    assert titles(sel.documents_for(reg, validity="not_yet_in_force")) == []
    assert titles(sel.documents_for(reg, validity="in_force")) == ["晚发布", "已撤下", "早发布"]
    assert taken.validity == Validity.IN_FORCE


def test_next_step_and_the_validity_to_come(w):
    steps = {
        state: sel.next_step(draft(w.d1, state.label, date(2025, 6, 10), review_state=state))
        for state in ReviewState
    }
    assert steps == {
        ReviewState.DRAFT: "待登记员完善后提交审查",
        ReviewState.RETURNED: "已退回，待登记员按退回意见修改后重新提交审查",
        ReviewState.SECRECY: "待保密审查员进行保密审查",
        ReviewState.SCAN: "待公开工作机构负责人核查个人信息：记录公开依据，或退回修改",
        ReviewState.SIGN_OFF: "待公开工作机构负责人签发并发布",
        ReviewState.PUBLISHED: "",
        ReviewState.TAKEN_DOWN: "",
    }
    kept = draft(w.d1, "依申请", date(2025, 6, 10), disclosure=Disclosure.ON_REQUEST)
    assert sel.next_step(kept).startswith(
        "公开属性为“依申请公开”，本文件只在文件库中登记，不主动发布"
    )
    now = draft(w.d1, "当天施行", date(2025, 6, 10), effective_on=date(2025, 6, 16))
    assert sel.pending_validity(now, TODAY) == "发布后即为“现行有效”（施行日期 2025-06-16）"
    later = draft(w.d1, "下月施行", date(2025, 6, 10), effective_on=date(2025, 7, 1))
    assert sel.pending_validity(later, TODAY) == "发布后为“尚未施行”，自 2025-07-01 起施行"
    over = draft(w.d1, "已过期", date(2024, 1, 1), expires_on=date(2025, 6, 15))
    assert sel.pending_validity(over, TODAY) == "有效期至 2025-06-15，已届满；发布后即为“失效”"
    assert sel.pending_validity(text(w.d1), TODAY) == ""
