"""Publishing the year's report in a real browser (Debian's Chromium through Playwright):
refused while the year runs, refused while the draft's marks are left (naming them), confirmed
when published, withdrawn with a reason — after which the year takes registrations again
without a 年报更正理由."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.cases.services import CaseError
from gongkai.core.report.schema import PARTS
from gongkai.core.workflow import Role
from gongkai.reports import services as rs
from gongkai.reports.models import AnnualReport
from tests.factories import member, register, resident_id, world
from tests.reports.helpers import filled, table2_cells
from tests.web.test_browser import login, pytestmark  # noqa: F401 - the browser tests' marks

REASON = "表三漏计2025年12月30日收到的信件申请，更正后重新发布"


def _draft(actor, agency, year: int) -> AnnualReport:
    """A draft counted from the cases with table 二 entered, its narrative as drafted."""
    ar = rs.report_prepare(actor=actor, agency=agency, year=year)
    return rs.report_table2_save(actor=actor, report=ar, cells=table2_cells())


def _flash(page) -> str:
    return page.locator("ul.messages").inner_text()


def test_publishing_the_years_report(browser, live_server, clock):
    w = world()
    register(w.registrar, w.d1, received_on=date(2025, 3, 3), text="2025年招生计划")
    ar = _draft(w.registrar, w.d1, 2025)
    office = member(w.gov, Role.REGISTRAR, Role.HEAD, username="govhead")
    own = _draft(office, w.gov, 2025)

    # 2025-06-16: inside the year, the department's head cannot submit …
    head = login(browser, live_server, "head1")
    head.goto(f"{live_server.url}/reports/{ar.pk}/")
    assert "目前尚有1件未办结" in head.locator("#still-open").inner_text()
    head.get_by_role("button", name="报送测试市人民政府审核").click()
    assert "2025年尚未结束（今天是2025-06-16），该年度的年度报告须在年度结束后报送" in _flash(head)
    # … nor the city's head publish (the city has no government above it).
    city = login(browser, live_server, "govhead")
    city.goto(f"{live_server.url}/reports/{own.pk}/")
    city.get_by_label("我已核对报告内容，确认向社会公开发布").check()
    city.get_by_role("button", name="发布", exact=True).click()
    assert "2025年尚未结束（今天是2025-06-16），该年度的年度报告须在年度结束后发布" in _flash(city)

    # 2026-01-12: the year is over; the draft still holds its marks.
    clock.move_to("2026-01-12 10:00 +0800")
    head = login(browser, live_server, "head1")
    head.goto(f"{live_server.url}/reports/{ar.pk}/")
    head.get_by_role("button", name="报送测试市人民政府审核").click()
    refused = _flash(head)
    assert "不能报送：正文尚有未按本机关实际情况填写或修改的内容" in refused
    assert "第一部分“总体情况”中的提示语“请在此补充……”、（请根据本机关实际情况修改）" in refused
    assert "第五部分“存在的主要问题及改进情况”中的（请根据本机关实际情况修改）" in refused

    # The registrar writes the text where the draft asked for it, and the head submits.
    clerk = login(browser, live_server, "reg1")
    clerk.goto(f"{live_server.url}/reports/{ar.pk}/")
    drafted = {key: clerk.get_by_label(label, exact=True).input_value() for key, label in PARTS}
    for key, text in filled(drafted).items():
        clerk.get_by_label(dict(PARTS)[key], exact=True).fill(text)
    clerk.get_by_role("button", name="保存正文").click()
    assert "正文已保存" in _flash(clerk)
    head.reload()
    head.get_by_role("button", name="报送测试市人民政府审核").click()
    assert "已报送审核" in _flash(head)
    supervisor = login(browser, live_server, "sup")
    supervisor.goto(f"{live_server.url}/reports/{ar.pk}/")
    supervisor.get_by_role("button", name="审核通过").click()
    assert "已审核通过" in _flash(supervisor)

    # Publishing asks for the confirmation: without the tick nothing is sent.
    head.reload()
    publish = head.locator("#publish")
    assert "2025年度的申请数据随之锁定" in publish.inner_text()
    publish.get_by_role("button", name="发布").click()
    assert AnnualReport.objects.get(pk=ar.pk).status == "accepted"
    publish.get_by_label("我已核对报告内容，确认向社会公开发布").check()
    publish.get_by_role("button", name="发布").click()
    assert "已发布，报告已在门户网站公开" in _flash(head)
    assert AnnualReport.objects.get(pk=ar.pk).status == "published"
    with pytest.raises(CaseError, match="年报更正理由"):  # the year is locked
        register(w.registrar, w.d1, received_on=date(2025, 12, 30))

    # Withdrawn with a reason: the public list says so, the year is open again.
    head.get_by_label("撤回理由（必填，将在门户网站公开）").fill(REASON)
    head.get_by_role("button", name="撤回发布").click()
    assert "已撤回发布：该年度数据已解除锁定" in _flash(head)
    assert REASON in head.locator("section[aria-labelledby=withdrawn]").inner_text()
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/portal/reports/")
    assert "已撤回" in public.content() and f"撤回理由：{REASON}" in public.content()

    clerk.goto(f"{live_server.url}/cases/new/")
    clerk.get_by_label("收到申请日期").fill("2025-12-30")
    clerk.get_by_label("申请人姓名/名称").fill("王五")
    clerk.get_by_label("证件号码").fill(resident_id(8))
    clerk.get_by_label("联系电话").fill("13912345678")
    clerk.get_by_label("所需政府信息的名称、文号或便于查询的其他特征性描述").fill(
        "2025年12月学校安全检查通报"
    )
    clerk.get_by_role("button", name="登记").click()
    clerk.wait_for_url("**/cases/*/")
    assert "已登记，编号 CSJY-2025-0002" in clerk.content()
