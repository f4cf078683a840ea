"""In a real browser (Debian's Chromium through Playwright): an applicant applies on the public
portal, the office registers it and asks for a correction, the applicant sees the request on
the status page, the office replies, and the applicant downloads the reply letter. On a
375 px phone: a form sent with a mistake comes back filled in with a new question and the
identity proof kept, “返回修改” keeps everything; the same for signing up."""

import os
import re

import docx

from gongkai.cases.models import Case
from gongkai.portal.models import OnlineApplication, PortalAccount
from gongkai.project.demo import PNG
from tests.factories import resident_id, world
from tests.web.test_browser import act, login, pytestmark  # noqa: F401 - the browser tests' marks

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
    # The menu item (it may carry a count of those waiting, e.g. "网上申请 1件待登记").
    staff.get_by_role("navigation", name="主菜单").get_by_role(
        "link", name=re.compile(r"^网上申请")
    ).click()
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


# --- on a phone: mistakes and going back lose nothing -----------------------------------------

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
BAD_ID = resident_id(22)[:-1] + ("0" if resident_id(22)[-1] != "0" else "1")


def answer_question(page) -> None:
    """Answer the question the captcha field's label asks now."""
    question = page.locator("label[for=id_captcha]").inner_text()
    page.locator("#id_captcha").fill(captcha_answer(question))


def fits(page) -> bool:
    """Nothing wider than the phone's screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_mistakes_and_going_back_lose_nothing(browser, live_server, clock):
    world()
    base = live_server.url
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/portal/apply/CSJY/")
    assert fits(page)
    page.locator("#id_applicant_kind").select_option("natural_person")
    page.locator("#id_applicant_name").fill("钱七二")
    page.locator("#id_id_type").select_option("resident_id")
    page.locator("#id_id_number").fill(BAD_ID)  # one digit wrong
    page.locator("#id_phone").fill("13912345678")
    page.locator("#id_address").fill("青岛市市北区辽宁路3号")
    page.locator("#id_request_text").fill("2025年测试市学区划分方案")
    page.locator("#id_purpose").fill("了解学区")
    page.locator("#id_form_wanted").select_option("electronic")
    page.locator("#id_delivery_wanted").select_option("online")
    page.locator("#id_proof").set_input_files(
        {"name": "身份证.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.locator("#id_consent").check()
    first = page.locator("label[for=id_captcha]").inner_text()
    answer_question(page)
    page.get_by_role("button", name="下一步：确认申请内容").click()
    page.wait_for_load_state()

    # Back with the mistake named, at the field and in the summary; nothing else lost.
    summary = page.locator("#error-summary")
    assert "证件号码" in summary.inner_text() and "身份证号码校验码错误" in summary.inner_text()
    assert "身份证号码校验码错误" in page.locator("#id_id_number_error").inner_text()
    assert page.locator("#id_applicant_name").input_value() == "钱七二"
    assert page.locator("#id_id_number").input_value() == BAD_ID
    assert page.locator("#id_request_text").input_value() == "2025年测试市学区划分方案"
    assert page.locator("#id_purpose").input_value() == "了解学区"
    assert page.locator("#id_delivery_wanted").input_value() == "online"
    assert page.locator("#id_consent").is_checked()
    # A new question one can see and answer; the proof is kept (no need to choose it again).
    question = page.locator("label[for=id_captcha]").inner_text()
    assert re.search("等于几", question) and page.locator("#id_captcha").input_value() == ""
    assert question != first or page.locator("#id_captcha").input_value() == ""
    assert "已收到身份证明文件“身份证.png”" in page.locator("#proof-kept").inner_text()
    assert fits(page)

    page.locator("#id_id_number").fill(resident_id(22))
    answer_question(page)
    page.get_by_role("button", name="下一步：确认申请内容").click()
    page.wait_for_url("**/portal/apply/confirm/*/")
    assert resident_id(22) in page.content() and "身份证.png" in page.content()
    back = page.get_by_role("link", name="返回修改")
    assert back.inner_text() == "返回修改"
    back.click()
    page.wait_for_url("**/portal/apply/CSJY/?edit=*")

    # Everything is still there, the proof too.
    assert page.locator("#id_applicant_name").input_value() == "钱七二"
    assert page.locator("#id_id_number").input_value() == resident_id(22)
    assert page.locator("#id_address").input_value() == "青岛市市北区辽宁路3号"
    assert page.locator("#id_request_text").input_value() == "2025年测试市学区划分方案"
    assert page.locator("#id_purpose").input_value() == "了解学区"
    assert "已收到身份证明文件“身份证.png”" in page.locator("#proof-kept").inner_text()
    page.locator("#id_request_text").fill("2025年测试市学区划分方案及附图")
    answer_question(page)
    page.get_by_role("button", name="下一步：确认申请内容").click()
    page.wait_for_url("**/portal/apply/confirm/*/")
    assert "及附图" in page.content()
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_url("**/portal/done/")
    number = page.locator("#number").inner_text().strip()
    assert fits(page)
    app = OnlineApplication.objects.get(number=number)
    assert app.request_text == "2025年测试市学区划分方案及附图"
    assert app.proof_name == "身份证.png" and app.id_number == resident_id(22)
    assert OnlineApplication.objects.count() == 1  # the draft corrected is gone


def test_on_a_phone_signing_up_after_a_mistake(browser, live_server, clock):
    world()
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/portal/account/signup/")
    page.locator("#id_email").fill("qian@example.com")
    page.locator("#id_display_name").fill("钱先生")
    page.locator("#id_password").fill("correct-horse-9")
    page.locator("#id_password2").fill("correct-horse-8")  # a typing mistake
    answer_question(page)
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state()
    assert "两次输入的密码不一致" in page.locator("#error-summary").inner_text()
    assert page.locator("#id_email").input_value() == "qian@example.com"
    assert page.locator("#id_display_name").input_value() == "钱先生"
    assert "请重新输入" in page.locator("#password-again").inner_text()
    assert "等于几" in page.locator("label[for=id_captcha]").inner_text()
    assert fits(page)
    page.locator("#id_password").fill("correct-horse-9")
    page.locator("#id_password2").fill("correct-horse-9")
    answer_question(page)
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/portal/account/")
    assert PortalAccount.objects.get().display_name == "钱先生"
