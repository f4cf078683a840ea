"""Every role in a real browser (Debian's Chromium through Playwright): the main menu leads
only to pages that open, each role's dashboard puts its own queue first, the charts draw,
and the dashboard fits a 1366 px desktop and a 375 px phone without sideways scrolling.

Screenshots of each role's dashboard over the demo data go to
/tmp/shots/dashboard-<role>-<width>.png for a person to look at.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from gongkai.cases.services import (
    ItemInput,
    case_approve,
    case_assign,
    case_draft_reply,
    case_mark_replied,
    case_secrecy_review,
    case_withdraw,
)
from tests.factories import UserFactory, register, world
from tests.web.test_browser import pytestmark  # noqa: F401 - the browser tests' marks

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHOTS = Path(os.environ.get("GONGKAI_SHOTS", "/tmp/shots"))  # noqa: S108 - for a person to look at

#: The charts' canvases: how many pixels each has painted (0: nothing drawn).
PAINTED = """() => Array.from(document.querySelectorAll('.chart')).map(div => {
  const canvas = div.querySelector('canvas');
  if (!canvas) return [div.id, 0];
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
  return [div.id, n];
})"""


def sign_in(browser, live_server, username, password="pass-1234", width=1366):  # noqa: S107
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: _problem(page, m))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _problem(page, message) -> None:
    """Console errors, less the browser's own request for /favicon.ico (the site has none)."""
    if message.type == "error" and "favicon" not in message.location.get("url", ""):
        page.problems.append(message.text)


def charts_drawn(page) -> dict[str, int]:
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.chart'))"
        ".every(c => c.getAttribute('data-drawn') === 'true')"
    )
    return dict(page.evaluate(PAINTED))


@pytest.fixture
def office(clock):
    """World W with: a draft not yet reviewed, a draft reviewed and ready to sign, two cases
    replied and one withdrawn (for the charts), one routed to unit U1; and a platform
    administrator ``root``."""
    w = world()
    UserFactory(username="root", is_superuser=True, is_staff=True)
    unreviewed = register(w.registrar, w.d1, received_on=date(2025, 6, 9), text="招生划片方案")
    case_draft_reply(actor=w.registrar, case=unreviewed, items=[ItemInput("方案", "disclosed")])
    ready = register(w.registrar, w.d1, received_on=date(2025, 6, 10), text="教师招聘计划")
    case_draft_reply(actor=w.registrar, case=ready, items=[ItemInput("计划", "disclosed")])
    case_secrecy_review(actor=w.secrecy, case=ready, passed=True)
    for day, channel, outcomes in (
        (date(2025, 5, 6), "email", ["disclosed"]),
        (date(2025, 6, 3), "online", ["disclosed", "state_secret"]),
    ):
        c = register(w.registrar, w.d1, received_on=day, channel=channel)
        case_draft_reply(
            actor=w.registrar, case=c, items=[ItemInput(f"事项{o}", o) for o in outcomes]
        )
        case_secrecy_review(actor=w.secrecy, case=c, passed=True)
        case_approve(actor=w.head, case=c)
        case_mark_replied(actor=w.registrar, case=c)
    gone = register(w.registrar2, w.d2, received_on=date(2025, 6, 11), channel="signed_post")
    case_withdraw(actor=w.registrar2, case=gone)
    routed = register(w.registrar, w.d1, received_on=date(2025, 6, 12), text="校舍安全检查报告")
    case_assign(actor=w.registrar, case=routed, unit=w.u1, instructions="请检索检查报告")
    return {"w": w, "unreviewed": unreviewed, "ready": ready, "routed": routed}


ROLES = {  # role: (user, the section of its own queue, the first thing in it)
    "registrar": ("reg1", "#routing", None),
    "head": ("head1", "#approval", "ready"),
    "secrecy": ("sec1", "#secrecy-review", "unreviewed"),
    "handler": ("hand1", "#inbox", "routed"),
    "supervisor": ("sup", "#agencies", None),
    "admin": ("root", "#system", None),
    "agency-admin": ("adm1", "#system", None),
}


def test_every_menu_link_opens_and_each_role_sees_its_queue(browser, live_server, office):
    for role, (username, queue, first) in ROLES.items():
        page = sign_in(browser, live_server, username)
        assert page.locator("h1").inner_text() == "工作台", role
        assert page.locator(queue).is_visible(), (role, queue)
        if first:
            assert office[first].number in page.locator(queue).inner_text(), role
        links = page.locator("nav.menu a").evaluate_all("as => as.map(a => a.href)")
        assert links, role
        for href in links:
            response = page.goto(href)
            assert response.status < 400, (role, href, response.status)
            heading = page.locator("h1, h2").first
            heading.wait_for()
            assert heading.inner_text().strip(), (role, href)
        assert not page.problems, (role, page.problems)
        page.context.close()

    # The head signs the reviewed draft and sees the other one still waiting for review.
    head = sign_in(browser, live_server, "head1")
    approval = head.locator("#approval").inner_text()
    assert office["ready"].number in approval and office["unreviewed"].number in approval
    ready_row = head.locator(f'#approval tr[data-number="{office["ready"].number}"]')
    assert "已通过保密审查，可审签" in ready_row.inner_text()
    # The secrecy reviewer's queue holds only the draft not yet reviewed.
    reviewer = sign_in(browser, live_server, "sec1")
    review = reviewer.locator("#secrecy-review").inner_text()
    assert office["unreviewed"].number in review and office["ready"].number not in review

    # The charts draw, each with its text alternative; nothing breaks the page's policy.
    supervisor = sign_in(browser, live_server, "sup")
    painted = charts_drawn(supervisor)
    assert set(painted) == {"chart-agencies", "chart-trend", "chart-channels", "chart-outcomes"}
    assert all(n > 500 for n in painted.values()), painted
    for chart in supervisor.locator(".chart").all():
        assert chart.get_attribute("role") == "img"
        described = supervisor.locator("#" + chart.get_attribute("aria-describedby"))
        assert "件" in described.inner_text()
    assert "测试市教育局" in supervisor.locator("#agencies-sum").inner_text()
    assert not supervisor.problems, supervisor.problems


DEMO_ROLES = {
    "registrar": "zhang",
    "head": "wang",
    "secrecy": "li",
    "handler": "zhao",
    "supervisor": "chen",
    "admin": "admin",
}


def test_demo_dashboards_fit_a_desktop_and_a_phone(browser, live_server, clock):
    from gongkai.project.demo import DEMO_PASSWORD, load_demo

    load_demo()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for role, username in DEMO_ROLES.items():
        for width in (1366, 375):
            page = sign_in(browser, live_server, username, DEMO_PASSWORD, width)
            painted = charts_drawn(page)
            assert painted and all(painted.values()), (role, width, painted)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, (role, width, wide)
            # Every menu entry is on screen (the menu wraps, it never runs off the edge).
            for box in page.locator("nav.menu a").evaluate_all(
                "as => as.map(a => a.getBoundingClientRect().right)"
            ):
                assert box <= width, (role, width, box)
            page.screenshot(path=str(SHOTS / f"dashboard-{role}-{width}.png"), full_page=True)
            assert not page.problems, (role, width, page.problems)
            page.context.close()
