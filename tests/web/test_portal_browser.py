"""In a real browser (Debian's Chromium through Playwright): an applicant applies on the public
portal, the office registers it and asks for a correction, the applicant sees the request on
the status page, the office replies, and the applicant downloads the reply letter."""

import os
import re
import shutil

import docx
import pytest

from gongkai.cases.models import Case
from gongkai.project.demo import PNG
from tests.factories import resident_id, world
from tests.web.test_browser import CHROMIUM, act, login

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

NUMERALS = "一二三四五六七八九"
CORRECTION = "请写明所需文件的年份和文号，并补充申请人的通信地址"


def captcha_answer(label: str) -> str:
    """The sum asked in words, e.g. "验证问题：三加五等于几？" -> "8"."""
    m = re.search(rf"([{NUMERALS}])加([{NUMERALS}])等于", label)
    assert m, label
    return str(NUMERALS.index(m[1]) + 1 + NUMERALS.index(m[2]) + 1)


def apply_online(page, base: str) -> tuple[str, str]:
    """Fill in and confirm the portal's application form; the number and query code."""
    page.goto(f"{base}/portal/")
    page.get_by_role("link", name="测试市教育局", exact=True).click()
    page.wait_for_url("**/portal/apply/CSJY/")
    page.locator("#id_applicant_kind").select_option("natural_person")
    page.locator("#id_applicant_name").fill("赵六一")
    page.locator("#id_id_type").select_option("resident_id")
    page.locator("#id_id_number").fill(resident_id(21))
    page.locator("#id_phone").fill("13912345678")
    page.locator("#id_email").fill("zhao@example.com")
    page.locator("#id_address").fill("青岛市市南区香港中路2号")
    page.locator("#id_postcode").fill("266071")
    page.locator("#id_request_text").fill("2025年测试市义务教育招生计划")
    page.locator("#id_purpose").fill("了解招生安排")
    page.locator("#id_form_wanted").select_option(index=0)
    page.locator("#id_delivery_wanted").select_option("online")
    page.locator("#id_proof").set_input_files(
        {"name": "身份证.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.locator("#id_consent").check()
    question = page.locator("label[for=id_captcha]").inner_text()
    page.locator("#id_captcha").fill(captcha_answer(question))
    assert page.locator("#id_website").input_value() == ""
    page.get_by_role("button", name="下一步：确认申请内容").click()
    page.wait_for_url("**/portal/apply/confirm/*/")
    assert "赵六一" in page.content()
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_url("**/portal/done/")
    return page.locator("#number").inner_text().strip(), page.locator("#code").inner_text().strip()


def look_up(page, base: str, number: str, code: str) -> None:
    page.goto(f"{base}/portal/status/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/portal/status/{number}/")


def test_apply_online_correct_reply_download(browser, live_server, clock, tmp_path):
    world()
    base = live_server.url

    # The applicant, in a browser of their own.
    applicant = browser.new_context(accept_downloads=True).new_page()
    number, code = apply_online(applicant, base)
    assert re.fullmatch(r"WS2025\d{6}", number), number
    assert len(code) == 8, code

    # The office registers it.
    staff = login(browser, live_server, "reg1")
    staff.get_by_role("link", name="网上申请", exact=True).click()
    staff.get_by_role("link", name=number).click()
    staff.get_by_role("button", name="确认接收并登记").click()
    staff.wait_for_url("**/cases/*/")
    case = Case.objects.get()
    assert case.channel == "online"
    assert f"已登记为 {case.number}" in staff.content()

    # ... and asks, once, for a correction.
    act(
        staff,
        "request_correction",
        {"需要补正的事项（一次性告知）": CORRECTION, "补正期限": "2025-06-23"},
    )
    assert Case.objects.get(pk=case.pk).status == "awaiting_correction"

    # The applicant looks the application up and sees what to correct.
    look_up(applicant, base, number, code)
    assert "需要您补正" in applicant.locator("#stage").inner_text()
    assert CORRECTION in applicant.content()
    assert "政府信息公开申请补正告知书" in applicant.locator("#h-letters + ul").inner_text()

    # The office receives the correction, drafts, reviews, approves and sends the reply.
    staff.reload()
    act(staff, "receive_correction")
    act(
        staff,
        "draft_reply",
        {
            "事项1": "2025年测试市义务教育招生计划",
            "事项1处理结果": "予以公开（《中华人民共和国政府信息公开条例》第三十六条第二项）",
        },
    )
    assert Case.objects.get(pk=case.pk).status == "drafted"
    reviewer = login(browser, live_server, "sec1")
    reviewer.goto(f"{base}/cases/{case.pk}/")
    act(reviewer, "secrecy_review", {"审查意见": "不涉密"})
    head = login(browser, live_server, "head1")
    head.goto(f"{base}/cases/{case.pk}/")
    act(head, "approve")
    assert "已完成：审签" in head.content()
    staff.reload()
    act(staff, "mark_replied", {"送达方式": "网上平台送达"})
    assert Case.objects.get(pk=case.pk).status == "replied"

    # The applicant sees the reply and downloads the letter.
    applicant.reload()
    assert "作出答复" in applicant.locator("#stage").inner_text()
    reply = applicant.locator("#h-letters + ul li").filter(has_text="政府信息公开申请答复书")
    with applicant.expect_download() as info:
        reply.get_by_role("link", name="下载 Word 文件").click()
    path = tmp_path / "reply.docx"
    info.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "政府信息公开申请答复书" in text
    assert "〔" in text
    assert "第三十六条" in text
    assert "赵六一" in text
