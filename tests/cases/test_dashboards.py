"""The role dashboards' selectors (:mod:`gongkai.cases.dashboards`), the page that shows them,
and the main menu that leads there.

Today is pinned to Monday 2025-06-16. Due dates and working-day counts below are counted by
hand on the 2025 calendar (国务院办公厅 2025 年放假安排): 端午 31 May – 2 June off; 20 working days
after 9 June is 7 July, after 10 June 8 July, and so on.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.models import ApiToken
from gongkai.accounts.scope import viewer_for
from gongkai.cases import dashboards as dash
from gongkai.cases.selectors import visible_cases
from gongkai.cases.services import (
    ItemInput,
    assignment_answer,
    case_approve,
    case_assign,
    case_draft_reply,
    case_mark_replied,
    case_return_draft,
    case_secrecy_review,
    case_withdraw,
)
from gongkai.core.outcomes import Outcome
from gongkai.core.workflow import Role
from gongkai.rules.selectors import working_calendar
from tests.factories import UserFactory, member, register

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 16)


def numbers(rows) -> list[str]:
    return [getattr(r, "case", r).number for r in rows]


def reply(w, case, *outcomes: str):
    """Draft (registrar), review (secrecy reviewer), sign (head), send (registrar) today."""
    items = [ItemInput(f"事项{n}", o) for n, o in enumerate(outcomes or ("disclosed",), 1)]
    case_draft_reply(actor=w.registrar, case=case, items=items)
    case_secrecy_review(actor=w.secrecy, case=case, passed=True)
    case_approve(actor=w.head, case=case)
    case_mark_replied(actor=w.registrar, case=case)


def drafted(w, received_on: date, review: str = "", redraft: bool = False):
    """A case of D1 with a draft reply; ``review``: "passed"/"failed" after the draft."""
    case = register(w.registrar, w.d1, received_on=received_on)
    case_draft_reply(actor=w.registrar, case=case, items=[ItemInput("文件", "disclosed")])
    if review:
        note = "" if review == "passed" else "含个人信息"
        case_secrecy_review(actor=w.secrecy, case=case, passed=review == "passed", note=note)
    if redraft:
        case_return_draft(actor=w.head, case=case, note="补充说明")
        case_draft_reply(actor=w.registrar, case=case, items=[ItemInput("文件", "disclosed")])
    return case


# --- the queues ---------------------------------------------------------------------------------


def test_registrar_sees_registered_and_signed_cases_of_their_agency(w):
    old = register(w.registrar, w.d1, received_on=date(2025, 5, 6))
    new = register(w.registrar, w.d1)
    routed = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    case_assign(actor=w.registrar, case=routed, unit=w.u1)  # now 办理中: not waiting
    signed = register(w.registrar, w.d1, received_on=date(2025, 6, 10))
    case_draft_reply(actor=w.registrar, case=signed, items=[ItemInput("文件", "disclosed")])
    case_secrecy_review(actor=w.secrecy, case=signed, passed=True)
    case_approve(actor=w.head, case=signed)
    register(w.registrar2, w.d2)  # another agency's

    v = viewer_for(w.registrar)
    routing = dash.awaiting_routing(v)
    assert (routing.count, numbers(routing.rows)) == (2, [old.number, new.number])
    delivery = dash.awaiting_delivery(v)
    assert (delivery.count, numbers(delivery.rows)) == (1, [signed.number])
    # The other agency's registrar, the head and the supervisor have no registrar queue.
    assert dash.awaiting_routing(viewer_for(w.registrar2)).count == 1
    for person in (w.head, w.supervisor, w.handler1):
        assert dash.awaiting_routing(viewer_for(person)).count == 0
        assert dash.awaiting_delivery(viewer_for(person)).count == 0


def test_head_sees_drafts_to_sign_with_their_secrecy_review(w):
    pending = drafted(w, date(2025, 6, 9))  # due 7 July
    passed = drafted(w, date(2025, 6, 10), review="passed")  # due 8 July
    failed = drafted(w, date(2025, 6, 11), review="failed")  # due 9 July
    redrafted = drafted(w, date(2025, 6, 12), review="passed", redraft=True)  # due 10 July
    register(w.registrar, w.d1)  # not drafted

    queue = dash.awaiting_approval(viewer_for(w.head))
    assert queue.count == 4
    assert [(r.case.number, r.review) for r in queue.rows] == [
        (pending.number, "pending"),
        (passed.number, "passed"),
        (failed.number, "failed"),
        (redrafted.number, "pending"),
    ]
    assert [r.case.due_on for r in queue.rows] == [
        date(2025, 7, 7),
        date(2025, 7, 8),
        date(2025, 7, 9),
        date(2025, 7, 10),
    ]
    # Heads of other agencies, registrars and supervisors sign nothing here.
    for person in (w.head2, w.registrar, w.supervisor, w.secrecy):
        assert dash.awaiting_approval(viewer_for(person)).count == 0


def test_secrecy_reviewer_sees_drafts_not_reviewed_since_drafted(w):
    pending = drafted(w, date(2025, 6, 9))
    drafted(w, date(2025, 6, 10), review="passed")
    drafted(w, date(2025, 6, 11), review="failed")
    redrafted = drafted(w, date(2025, 6, 12), review="passed", redraft=True)
    # Reviewed before any draft existed: the draft itself still needs a review.
    early = register(w.registrar, w.d1, received_on=date(2025, 6, 13))
    case_secrecy_review(actor=w.secrecy, case=early, passed=True)
    case_draft_reply(actor=w.registrar, case=early, items=[ItemInput("文件", "disclosed")])

    queue = dash.awaiting_secrecy_review(viewer_for(w.secrecy))
    assert (queue.count, numbers(queue.rows)) == (
        3,
        [pending.number, redrafted.number, early.number],
    )
    for person in (w.head, w.registrar, w.supervisor, w.registrar2):
        assert dash.awaiting_secrecy_review(viewer_for(person)).count == 0


def test_handler_sees_open_assignments_to_their_unit(w):
    cal = working_calendar()
    late = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    # Sent 10 June, 3 working days: due Friday 13 June, three days ago.
    case_assign(actor=w.registrar, case=late, unit=w.u1, working_days=3, day=date(2025, 6, 10))
    soon = register(w.registrar, w.d1)
    case_assign(actor=w.registrar, case=soon, unit=w.u1, working_days=5)  # due 23 June
    later = register(w.registrar, w.d1)
    case_assign(actor=w.registrar, case=later, unit=w.u1, working_days=20)  # due 14 July
    done = register(w.registrar, w.d1)
    answered = case_assign(actor=w.registrar, case=done, unit=w.u1)
    assignment_answer(actor=w.handler1, assignment=answered, opinion="已检索，可以公开")
    elsewhere = register(w.registrar, w.d1)
    case_assign(actor=w.registrar, case=elsewhere, unit=w.u2)

    q = dash.assignments_due(viewer_for(w.handler1), TODAY, cal)
    assert (q.count, q.overdue, q.due_soon) == (3, 1, 1)
    assert [(a.case.number, a.due_on) for a in q.rows] == [
        (late.number, date(2025, 6, 13)),
        (soon.number, date(2025, 6, 23)),
        (later.number, date(2025, 7, 14)),
    ]
    assert dash.assignments_due(viewer_for(w.handler3), TODAY, cal).count == 0
    assert dash.assignments_due(viewer_for(w.registrar), TODAY, cal).count == 0


# --- charts ---------------------------------------------------------------------------------------


def test_trend_channels_and_outcomes_count_the_viewers_cases(w):
    register(w.registrar, w.d1, received_on=date(2024, 6, 28))  # before the 12 months
    july = register(w.registrar, w.d1, received_on=date(2024, 7, 1))
    case_withdraw(actor=w.registrar, case=july, day=date(2024, 7, 2))  # closed July 2024
    register(w.registrar, w.d1, received_on=date(2025, 1, 6), channel="email")
    january = register(w.registrar, w.d1, received_on=date(2025, 1, 7), channel="email")
    case_withdraw(actor=w.registrar, case=january, day=date(2025, 1, 8))  # 其他处理
    partly = register(w.registrar, w.d1, received_on=date(2025, 6, 9), channel="in_person")
    reply(w, partly, Outcome.DISCLOSED, Outcome.STATE_SECRET)  # 部分公开, closed today
    granted = register(w.registrar, w.d1, channel="online")
    reply(w, granted, Outcome.DISCLOSED)  # 予以公开, closed today
    register(w.registrar2, w.d2, channel="fax")  # another agency's

    v = viewer_for(w.registrar)
    cases = dash.charted_cases(v, visible_cases(v))
    trend = dash.monthly_trend(cases, TODAY)
    assert [p.label for p in trend] == [
        "2024年7月", "2024年8月", "2024年9月", "2024年10月", "2024年11月", "2024年12月",
        "2025年1月", "2025年2月", "2025年3月", "2025年4月", "2025年5月", "2025年6月",
    ]  # fmt: skip
    assert [p.received for p in trend] == [1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2]
    assert [p.closed for p in trend] == [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2]
    # This year: two by e-mail (January), one in person, one online (June).
    assert [(s.label, s.count) for s in dash.channel_mix(cases, TODAY)] == [
        ("当面提交", 1),
        ("互联网在线提交", 1),
        ("电子邮件", 2),
    ]
    # This year's closed cases by table 三's groups; July 2024's withdrawal is last year's.
    assert [(s.label, s.count) for s in dash.outcome_mix(cases, TODAY)] == [
        ("予以公开", 1),
        ("部分公开", 1),
        ("其他处理", 1),
    ]
    # D2's registrar counts D2's single fax; the supervisor of the government counts both.
    v2 = viewer_for(w.registrar2)
    cases2 = dash.charted_cases(v2, visible_cases(v2))
    assert [(s.label, s.count) for s in dash.channel_mix(cases2, TODAY)] == [("传真", 1)]
    assert dash.outcome_mix(cases2, TODAY) == []
    vs = viewer_for(w.supervisor)
    both = dash.channel_mix(dash.charted_cases(vs, visible_cases(vs)), TODAY)
    assert [(s.label, s.count) for s in both] == [
        ("当面提交", 1),
        ("互联网在线提交", 1),
        ("电子邮件", 2),
        ("传真", 1),
    ]
    # A platform administrator counts every agency's cases.
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    vr = viewer_for(root)
    assert sum(p.received for p in dash.monthly_trend(dash.charted_cases(vr, None), TODAY)) == 6


@pytest.mark.parametrize(
    ("outcome", "group"),
    [
        ("published", "granted"),
        ("disclosed", "granted"),
        ("partial", "partial"),
        ("state_secret", "denied"),
        ("enforcement_files", "denied"),
        ("does_not_exist", "unable"),
        ("needs_processing", "unable"),
        ("petition", "not_processed"),
        ("repeat", "not_processed"),
        ("no_correction", "other"),
        ("fee_unpaid", "other"),
        ("other", "other"),
    ],
)
def test_outcomes_group_as_table_three(outcome, group):
    assert dash.outcome_group(outcome) == group


# --- supervision ------------------------------------------------------------------------------


def test_supervisor_compares_the_agencies_below(w):
    cal = working_calendar()
    # D1: replied today after 28 and 5 working days, one withdrawn, one open and overdue.
    a = register(w.registrar, w.d1, received_on=date(2025, 5, 6))
    reply(w, a)  # 7 May … 16 June less 2 June (端午): 28 working days
    b = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    reply(w, b)  # 10–13, 16 June: 5 working days
    e = register(w.registrar, w.d1, received_on=date(2025, 6, 10))
    case_withdraw(actor=w.registrar, case=e)
    register(w.registrar, w.d1, received_on=date(2025, 5, 6))  # due 4 June: overdue
    # D2: one open (due 23 June), one replied after 9 working days (4–6, 9–13, 16 June).
    register(w.registrar2, w.d2, received_on=date(2025, 5, 23))
    y = register(w.registrar2, w.d2, received_on=date(2025, 6, 3))
    case_draft_reply(actor=w.registrar2, case=y, items=[ItemInput("文件", "disclosed")])
    case_secrecy_review(actor=w.head2, case=y, passed=True)
    case_approve(actor=w.head2, case=y)
    case_mark_replied(actor=w.registrar2, case=y)

    rows = dash.agency_comparison(viewer_for(w.supervisor), TODAY, cal)
    assert [
        (r.agency.code, r.open, r.overdue, r.closed, r.replied, r.average_days) for r in rows
    ] == [
        ("CSGOV", 0, 0, 0, 0, None),
        ("CSJY", 1, 1, 3, 2, 16.5),  # (28 + 5) / 2
        ("CSZR", 1, 0, 1, 1, 9.0),
    ]
    # A supervisor of D2 alone sees D2 alone; people who supervise nothing see nothing.
    d2_supervisor = member(w.d2, Role.SUPERVISOR)
    assert [
        r.agency.code for r in dash.agency_comparison(viewer_for(d2_supervisor), TODAY, cal)
    ] == ["CSZR"]
    assert dash.agency_comparison(viewer_for(w.head), TODAY, cal) == []


# --- the installation -------------------------------------------------------------------------


def test_system_state_for_platform_and_agency_administrators(w):
    cal = working_calendar()
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    ApiToken.issue(w.registrar, "办公系统对接")
    revoked, _ = ApiToken.issue(w.registrar2, "旧系统")
    revoked.revoked = True
    revoked.save()
    ApiToken.issue(w.head2, "统计系统")

    whole = dash.system_state(viewer_for(root), TODAY, cal)
    # The world's ten people and root; two tokens in force.
    assert (whole.active_users, whole.active_tokens) == (11, 2)
    assert (whole.notice_years, whole.last_reminder, whole.calendar_warning) == ([], None, None)
    assert whole.calendar_first == date(2004, 1, 1)
    # D1's administrator: the accounts holding a role in D1 (registrar, head, secrecy
    # reviewer, administrator) and the registrar's token.
    mine = dash.system_state(viewer_for(w.admin), TODAY, cal)
    assert (mine.active_users, mine.active_tokens) == (4, 1)


# --- the page and the menu --------------------------------------------------------------------

MENU_LINK = re.compile(r'<nav class="menu"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def menu_of(client) -> list[str]:
    html = client.get(reverse("cases:dashboard")).content.decode()
    return HREF.findall(MENU_LINK.search(html).group(1))


GUARDED = {  # pages that refuse (404) those who may not open them
    "cases:register": "登记申请",
    "online:list": "网上申请",
    "cases:inbox": "承办事项",
    "letters:templates": "文书模板",
    "documents:list": "文件库",
}


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("registrar", ["工作台", "申请列表", "登记申请", "网上申请", "文件库", "年度报告"]),
        (
            "head",
            ["工作台", "申请列表", "登记申请", "网上申请", "文书模板", "文件库", "年度报告"],
        ),
        ("secrecy", ["工作台", "申请列表", "文件库", "年度报告"]),
        ("handler1", ["工作台", "申请列表", "承办事项"]),
        ("supervisor", ["工作台", "申请列表", "文件库", "年度报告"]),
        ("admin", ["工作台", "文书模板"]),
        ("outsider", ["工作台"]),
        (
            "root",
            [
                "工作台",
                "申请列表",
                "网上申请",
                "文书模板",
                "文件库",
                "年度报告",
                "管理",
                "接口文档",
            ],
        ),
    ],
)
def test_menu_shows_exactly_the_pages_that_open(client, w, person, expected):
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if person == "root"
        else getattr(w, person)
    )
    client.force_login(user)
    html = client.get(reverse("cases:dashboard")).content.decode()
    nav = MENU_LINK.search(html).group(1)
    labels = re.findall(r">([^<>]+?)(?: <span|</a>)", nav)
    assert [label.strip() for label in labels] == expected
    for href in HREF.findall(nav):
        assert client.get(href).status_code == 200, href
    # What the menu leaves out, the page refuses: menu and page never disagree.
    for name, label in GUARDED.items():
        if label not in expected:
            assert client.get(reverse(name)).status_code == 404, name


def test_menu_counts_online_applications_waiting(client, w):
    from gongkai.portal.models import OnlineApplication, SubmissionStatus

    def online(agency, status):
        return OnlineApplication.objects.create(
            agency=agency,
            number=f"WS{OnlineApplication.objects.count() + 1:010d}",
            status=status,
            applicant_kind="natural_person",
            applicant_name="王五",
            id_type="resident_id",
            id_number="370202198506150019",
            request_text="招生计划",
            form_wanted="paper",
            delivery_wanted="post",
            proof_name="证件.pdf",
            proof_type="application/pdf",
            proof_size=1,
            proof_sha256="0" * 64,
        )

    online(w.d1, SubmissionStatus.SUBMITTED)
    online(w.d1, SubmissionStatus.SUBMITTED)
    online(w.d1, SubmissionStatus.REJECTED)
    online(w.d2, SubmissionStatus.SUBMITTED)
    client.force_login(w.registrar)
    html = client.get(reverse("cases:dashboard")).content.decode()
    assert '<span class="badge">2<span class="visually-hidden">件待登记</span>' in html
    section = html.split('id="online"', 1)[1].split("</section>", 1)[0]
    assert section.count('href="/online/') == 2 and "请当日处理" in section
    client.force_login(w.registrar2)
    assert '<span class="badge">1<' in client.get(reverse("cases:dashboard")).content.decode()
    client.force_login(w.secrecy)
    html = client.get(reverse("cases:dashboard")).content.decode()
    assert 'class="badge"' not in html and 'id="online"' not in html


def test_dashboard_shows_each_roles_queue(client, w):
    pending = drafted(w, date(2025, 6, 9))
    ready = drafted(w, date(2025, 6, 10), review="passed")
    client.force_login(w.head)
    html = client.get(reverse("cases:dashboard")).content.decode()
    approval = html.split('id="approval"', 1)[1].split("</section>", 1)[0]
    assert pending.number in approval and ready.number in approval
    assert "已通过保密审查，可审签" in approval and "待保密审查" in approval
    client.force_login(w.secrecy)
    html = client.get(reverse("cases:dashboard")).content.decode()
    review = html.split('id="secrecy-review"', 1)[1].split("</section>", 1)[0]
    assert pending.number in review and ready.number not in review
    assert 'id="approval"' not in html
    client.force_login(w.supervisor)
    html = client.get(reverse("cases:dashboard")).content.decode()
    assert 'id="agencies"' in html and "测试市教育局" in html
    assert 'id="dashboard-data"' in html and 'id="chart-agencies"' in html
    client.force_login(w.admin)  # an agency's administrator: no case data, the system
    html = client.get(reverse("cases:dashboard")).content.decode()
    assert 'id="system"' in html and 'id="overdue"' not in html and "dashboard-data" not in html


def _busy_world(w, n: int) -> None:
    """``n`` more cases in D1 and D2 across the months, some replied, routed and drafted."""
    days = [date(2024, 9, 2), date(2025, 1, 6), date(2025, 3, 3), date(2025, 5, 6), TODAY]
    for i in range(n):
        day = days[i % len(days)]
        c = register(w.registrar, w.d1, received_on=day, channel=["email", "online"][i % 2])
        if i % 3 == 0:
            reply(w, c, Outcome.DISCLOSED)
        elif i % 3 == 1:
            case_assign(actor=w.registrar, case=c, unit=w.u1)
        else:
            case_draft_reply(actor=w.registrar, case=c, items=[ItemInput("文件", "disclosed")])
        register(w.registrar2, w.d2, received_on=day)


@pytest.mark.parametrize(
    "person", ["registrar", "head", "secrecy", "handler1", "supervisor", "admin", "root"]
)
def test_dashboard_runs_a_bounded_number_of_queries(client, w, person, steady_calendar):
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if person == "root"
        else getattr(w, person)
    )
    client.force_login(user)
    _busy_world(w, 3)
    client.get(reverse("cases:dashboard"))  # warm the calendar and the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:dashboard")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _busy_world(w, 12)
    assert count() == few
    assert few <= 25, few
