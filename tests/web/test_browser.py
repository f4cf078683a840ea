"""In a real browser (Debian's Chromium through Playwright): log in, register a case, assign
it, answer, review, draft, approve, reply — and see it leave the overdue list."""

import os
import shutil
from datetime import date

import pytest

from gongkai.cases.models import Case
from tests.factories import register, resident_id, world

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and not os.environ.get("GONGKAI_REQUIRE_BROWSER"),
        reason=f"没有找到 Chromium（{CHROMIUM}）；CI 设置 GONGKAI_REQUIRE_BROWSER=1 时不跳过",
    ),
]
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def login(browser, live_server, username):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pass-1234")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def act(page, action, fill=None):
    """Open an action on the case page, fill its fields, submit."""
    page.locator(f"#action-{action} summary").click()
    for label, value in (fill or {}).items():
        field = page.locator(f"#action-{action}").get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.locator(f"#action-{action} button[type=submit]").click()
    page.wait_for_load_state()


def test_register_assign_reply_leaves_overdue_list(browser, live_server, clock):
    w = world()
    overdue = register(w.registrar, w.d1, received_on=date(2025, 5, 6), text="逾期的申请")
    page = login(browser, live_server, "reg1")
    assert overdue.number in page.locator("#overdue").inner_text()

    # Register a new application through the form, with an ID number that fails first.
    page.get_by_role("link", name="登记新申请").click()
    page.get_by_label("申请人姓名/名称").fill("王五")
    page.get_by_label("证件号码").fill("370202198506150001")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的名称、文号或便于查询的其他特征性描述").fill("2025年招生计划")
    page.get_by_role("button", name="登记").click()
    assert "校验码" in page.content()
    page.get_by_label("证件号码").fill(resident_id(8))
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/cases/*/")
    assert "已登记，编号 CSJY-2025-0002" in page.content()

    # Back to the overdue case: assign it to a unit.
    page.goto(f"{live_server.url}/cases/{overdue.pk}/")
    act(page, "assign", {"承办单位": "基础教育处", "办理时限（工作日）": "3"})
    assert "已完成：转办/协查" in page.content()

    handler = login(browser, live_server, "hand1")
    handler.get_by_role("link", name="承办事项").click()
    handler.get_by_role("link", name=overdue.number).click()
    act(handler, "answer_assignment", {"办理意见": "经检索，文件存在，可以公开"})
    assert "已完成：承办意见" in handler.content()

    page.reload()
    act(
        page,
        "draft_reply",
        {
            "事项1": "逾期的申请所涉文件",
            "事项1处理结果": "予以公开（《中华人民共和国政府信息公开条例》第三十六条第二项）",
        },
    )
    reviewer = login(browser, live_server, "sec1")
    reviewer.goto(f"{live_server.url}/cases/{overdue.pk}/")
    act(reviewer, "secrecy_review", {"审查意见": "不涉密"})
    head = login(browser, live_server, "head1")
    head.goto(f"{live_server.url}/cases/{overdue.pk}/")
    act(head, "approve")
    assert "已完成：审签" in head.content()

    page.reload()
    act(page, "mark_replied")
    assert Case.objects.get(pk=overdue.pk).status == "replied"
    page.get_by_role("link", name="工作台").click()
    assert overdue.number not in page.locator("#overdue").inner_text()
