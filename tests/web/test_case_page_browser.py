"""The case page in a real browser (Debian's Chromium through Playwright): with the 拟定答复
panel open — its 处理结果 choices carry long labels with the article of
《中华人民共和国政府信息公开条例》 they rest on — the page never scrolls sideways, at the
widths the offices use (1366 and 1920 px desktops, a 375 px phone), and the case's details
keep most of the width on a desktop.

Screenshots go to /tmp/shots/case-<width>.png for a person to look at.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from gongkai.cases.models import Assignment
from gongkai.cases.services import assignment_answer, case_assign, case_consult
from tests.factories import register, world
from tests.web.test_browser import login, pytestmark  # noqa: F401 - the browser tests' marks

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHOTS = Path(os.environ.get("GONGKAI_SHOTS", "/tmp/shots"))  # noqa: S108 - for a person to look at

#: What an applicant really writes: a long request with a pasted link (no break opportunity).
REQUEST = (
    "请公开2025年本市义务教育阶段学校招生划片方案及其制定过程中的风险评估报告、"
    "专家论证意见，以及贵局网站上公布的文件"
    "https://jyj.example.gov.cn/zwgk/zfxxgk/fdzdgknr/ghjh/202503/t20250315_1234567890.html"
    "所附的附件二《学区划分调整明细表》全文"
)


@pytest.fixture
def drafting(clock):
    """A case waiting for its draft reply: assigned to a unit, which answered; a third party
    consulted (so the panel's other lists are filled too)."""
    w = world()
    case = register(w.registrar, w.d1, received_on=date(2025, 6, 9), text=REQUEST)
    case_assign(
        actor=w.registrar, case=case, unit=w.u1, instructions="请核实文件是否存在及能否公开"
    )
    assignment = Assignment.objects.get(case=case)
    assignment_answer(
        actor=w.handler1, assignment=assignment, opinion="经检索，方案已主动公开，评估报告不宜公开"
    )
    case_consult(
        actor=w.registrar, case=case, kind="third_party", party="青岛某某房地产开发有限公司"
    )
    return case


def _measure(page) -> dict[str, float]:
    return page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const style = getComputedStyle(main);
            const inner = main.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            const columns = document.querySelectorAll('.case-layout > *');
            return {
                scroll: document.documentElement.scrollWidth,
                inner: window.innerWidth,
                main: inner,
                details: columns[0].getBoundingClientRect().width,
                side: columns[1].getBoundingClientRect().width,
                select: document.querySelector('#id_draft_reply-outcome1')
                    .getBoundingClientRect().right,
                sideRight: columns[1].getBoundingClientRect().right,
            };
        }"""
    )


@pytest.mark.parametrize("width", [1366, 1920, 375])
def test_the_open_draft_reply_panel_never_widens_the_page(browser, live_server, drafting, width):
    page = login(browser, live_server, "reg1")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/cases/{drafting.pk}/")
    page.locator("#action-draft_reply summary").click()
    # The longest label there is picked, as an office would for a partial refusal.
    page.locator("#id_draft_reply-outcome1").select_option("third_party_rights")
    page.locator("#id_draft_reply-explanation1").fill("涉及第三方商业秘密，第三方不同意公开")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"case-{width}.png"), full_page=True)

    m = _measure(page)
    assert m["scroll"] <= m["inner"], m  # nothing sticks out sideways
    assert m["select"] <= m["sideRight"] + 0.5, m  # the choice stays inside its column
    if width >= 1000:
        assert m["details"] >= 0.5 * m["main"], m
        assert m["side"] >= 280, m  # the panel stays usable beside it
    else:  # one column on a phone: both take the whole width
        assert m["details"] >= 0.95 * m["main"], m
    # The 说明 of each item is a box of a few lines, not a one-line input.
    explanation = page.locator("#id_draft_reply-explanation1")
    assert explanation.evaluate("e => e.tagName") == "TEXTAREA"
    assert int(explanation.get_attribute("rows")) >= 2
