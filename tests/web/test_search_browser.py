"""In a real browser: a registrar finds an application by the applicant's full name and by
the telephone number typed into the case list's search box (the list updates as they type),
and registers an application with the date box as it comes (today, in ISO form)."""

from __future__ import annotations

import re
from datetime import date

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Case
from tests.factories import person, register, resident_id, world
from tests.web.test_browser import login, pytestmark  # noqa: F401 - the browser tests' marks


def rows(page) -> list[str]:
    return page.locator("#case-table tr.case-row").evaluate_all(
        "rs => rs.map(r => r.dataset.number)"
    )


def search(page, text: str, expected: list[str]) -> None:
    """Type ``text`` into the search box and wait until the table lists ``expected``."""
    box = page.get_by_label("搜索", exact=True)
    box.fill("")
    box.press_sequentially(text)
    page.wait_for_function(
        "want => JSON.stringify([...document.querySelectorAll('#case-table tr.case-row')]"
        ".map(r => r.dataset.number).sort()) === JSON.stringify(want)",
        arg=sorted(expected),
        timeout=10_000,
    )


def test_registrar_finds_a_case_by_full_name_and_by_phone(browser, live_server, clock):
    w = world()
    sun = register(
        w.registrar,
        w.d1,
        received_on=date(2025, 6, 9),
        text="2025年学区划分文件",
        applicant=person(1, name="孙明", phone="13912345678"),
    )
    li = register(
        w.registrar,
        w.d1,
        text="2025年招生计划",
        applicant=person(2, name="李四", phone="13800000000"),
    )
    page = login(browser, live_server, "reg1")
    page.goto(f"{live_server.url}/cases/")
    assert sorted(rows(page)) == sorted([sun.number, li.number])
    assert page.get_by_text("按申请人姓名或电话查找须输入完整姓名或号码").is_visible()
    assert page.locator("#id_unit option").first.inner_text() == "全部承办单位"

    search(page, "孙 明", [sun.number])  # with a space, as heard on the telephone
    assert "孙*" in page.locator("#case-table").inner_text()  # still masked in the list
    assert re.search(r"[?&]q=", page.url)  # the search is in the address (back button)
    search(page, "孙", [])  # part of a name finds nobody
    search(page, "+86 139-1234-5678", [sun.number])
    search(page, "招生", [li.number])  # the request text as before

    entries = AuditEntry.objects.filter(action="case.applicant_searched")
    assert entries.count() >= 2
    assert {tuple(e.data["matched_by"]) for e in entries} == {("name",), ("phone",)}


def test_register_with_todays_date_as_the_box_shows_it(browser, live_server, clock):
    world()
    page = login(browser, live_server, "reg1")
    page.goto(f"{live_server.url}/cases/new/")
    date_box = page.get_by_label("收到申请日期")
    assert date_box.input_value() == "2025-06-16"  # the browser accepted the value: today
    page.get_by_label("申请人姓名/名称").fill("孙明")
    page.get_by_label("证件号码").fill(resident_id(9))
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的名称、文号或便于查询的其他特征性描述").fill(
        "2025年学区划分文件"
    )
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/cases/*/")
    assert "已登记，编号 CSJY-2025-0001" in page.content()
    case = Case.objects.get(number="CSJY-2025-0001")
    assert case.received_on == date(2025, 6, 16)

    page.goto(f"{live_server.url}/cases/")
    search(page, "孙明", [case.number])
