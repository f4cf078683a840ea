"""The registry's 先审查后公开 in a real browser (Debian's Chromium through Playwright).

The registrar of 测试市教育局 drafts a 行政规范性文件 on /documents/new/ whose 正文 holds a
resident ID number and a mobile number, and submits it; the secrecy reviewer passes 保密审查 and
the personal-information scan stops it at once, listing the hits masked with where they are
(《中华人民共和国政府信息公开条例》第十五条); the head cannot sign it off yet (not offered, and
refused with the reason when forced), records 惩戒公示 as the legal basis, ticks the
confirmation and 签发并发布. On a 375 px phone, not logged in, the short address /p/<code>
(一策一码) opens the public page: the title, 现行有效, the QR image, no sideways scrolling; the
PNG served at /p/<code>.png decodes (zxing-cpp) to that absolute short address.

Screenshots go to /tmp/shots/documents_*.png for a person to look at (not asserted).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from gongkai.documents.models import Document, ReviewState, ReviewStep
from tests.factories import resident_id, world
from tests.web.test_browser import login, pytestmark  # noqa: F401 - the browser tests' marks

SHOTS = Path(os.environ.get("GONGKAI_SHOTS", "/tmp/shots"))  # noqa: S108 - for a person to look at
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TITLE = "测试市教育局关于规范校外培训机构收费退费行为的若干规定"
NUMBER = "测教规〔2025〕2号"
BASIS_NOTE = "依据《失信行为纠正后的信用信息修复管理办法》公示失信主体的法定代表人信息"
RAW_ID = resident_id(8)  # 370202198506150086: a valid check digit
MOBILE = "13912345678"
TEXT = (
    "第一条 为规范校外培训机构的收费退费行为，制定本规定。\n"
    f"第二条 经查，违规机构法定代表人身份证号码{RAW_ID}，联系电话{MOBILE}，已列入失信名单。\n"
    "第三条 本规定自2025年6月16日起施行。"
)


def _flash(page) -> str:
    return page.locator("ul.messages").inner_text()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"documents_{name}.png"), full_page=True)


def _act(page, action: str) -> None:
    """Open an action on the text's page and send it (its fields filled by the caller)."""
    page.locator(f"#action-{action} button[type=submit]").click()
    page.wait_for_load_state()


def _open(page, action: str):
    box = page.locator(f"#action-{action}")
    box.locator("summary").click()
    return box


@pytest.fixture
def no_public_address(settings):
    """The QR codes carry the request's own address (the live server's)."""
    settings.GONGKAI_PORTAL_URL = ""


def test_draft_scan_basis_publish_and_the_short_url_on_a_phone(
    browser, live_server, clock, no_public_address
):
    world()
    base = live_server.url

    # The registrar drafts the text on the staff page.
    clerk = login(browser, live_server, "reg1")
    clerk.goto(f"{base}/documents/new/")
    assert clerk.get_by_label("发布机构").locator("option:checked").inner_text() == "测试市教育局"
    assert clerk.get_by_label("文件类别").locator("option:checked").inner_text() == "行政规范性文件"
    clerk.get_by_label("标题").fill(TITLE)
    clerk.get_by_label("发文字号").fill(NUMBER)
    clerk.get_by_label("成文日期").fill("2025-06-10")
    clerk.get_by_label("施行日期").fill("2025-06-16")
    clerk.get_by_label("正文").fill(TEXT)
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url("**/documents/*/")
    doc = Document.objects.get(title=TITLE)
    code = doc.policy.code
    assert doc.text == TEXT.replace("\n", "\r\n")  # as a browser sends a textarea
    assert _flash(clerk) == f"已保存草稿《{TITLE}》（{NUMBER}），索引号 CSJY/2025-00001"
    assert clerk.locator("strong.code").inner_text() == code
    assert f"发布后可通过 /p/{code} 访问" in clerk.content()
    _open(clerk, "submit")
    _act(clerk, "submit")
    assert _flash(clerk) == "已提交审查，待保密审查"
    assert Document.objects.get(pk=doc.pk).review_state == ReviewState.SECRECY
    detail = f"{base}/documents/{doc.pk}/"

    # The secrecy reviewer passes it; the scan runs at once and stops it.
    reviewer = login(browser, live_server, "sec1")
    reviewer.goto(detail)
    box = _open(reviewer, "secrecy")
    box.get_by_label("通过", exact=True).check()
    _act(reviewer, "secrecy")
    assert _flash(reviewer) == (
        "保密审查通过；个人信息扫描发现须处理的个人信息，请核查后记录公开依据或退回修改"
    )
    assert Document.objects.get(pk=doc.pk).review_state == ReviewState.SCAN
    hits = reviewer.locator("#review ul.hits li")
    assert hits.count() == 2
    id_hit, phone_hit = hits.nth(0), hits.nth(1)
    masked_id = f"3702{'*' * 10}0086"
    assert id_hit.locator("code").inner_text() == masked_id
    assert id_hit.inner_text().startswith("居民身份证号码 ")
    assert "正文第2行第22列" in id_hit.inner_text()
    assert phone_hit.locator("code").inner_text() == "139****5678"
    assert phone_hit.inner_text().startswith("手机号码 ")
    assert "正文第2行第45列" in phone_hit.inner_text()
    assert "发现须处理的个人信息" in reviewer.locator("#review").inner_text()
    # The raw number is nowhere but in the 正文 itself (the reviewers read the text): not in
    # the hits, the messages, the review record.
    html = reviewer.content()
    in_text = reviewer.locator("section[aria-labelledby=h-text]").inner_html()
    assert in_text.count(RAW_ID) == 1
    assert html.count(RAW_ID) == 1
    assert RAW_ID not in reviewer.locator("#review").inner_html()
    stored = ReviewStep.objects.get(document=doc, kind="scan").hits
    assert RAW_ID not in str(stored) and MOBILE not in str(stored)
    _shot(reviewer, "1_scan_blocked")

    # The head: signing off is not offered while the hits are open …
    head = login(browser, live_server, "head1")
    head.goto(detail)
    assert head.locator("#action-publish").count() == 0
    assert head.locator("#action-basis").count() == 1
    # … and refused with the reason when sent all the same (the 记录公开依据 form re-aimed).
    with head.expect_navigation():
        head.evaluate(
            """(url) => {
                const form = document.querySelector('#action-basis form');
                form.action = url;
                const tick = document.createElement('input');
                tick.type = 'hidden'; tick.name = 'publish-confirm'; tick.value = 'on';
                form.appendChild(tick);
                form.submit();
            }""",
            f"/documents/{doc.pk}/act/publish/",
        )
    assert _flash(head) == (
        "该文件当前为“个人信息核查”，不能签发：个人信息扫描发现须处理的信息，"
        "须先记录公开依据或退回修改"
    )
    assert Document.objects.get(pk=doc.pk).review_state == ReviewState.SCAN
    _shot(head, "2_publish_refused")

    # The head records the legal basis: the text goes to 待签发.
    head.goto(detail)
    box = _open(head, "basis")
    box.get_by_label("公开依据").select_option(label="惩戒公示（法律法规规定公开的处罚、失信信息）")
    box.get_by_label("说明").fill(BASIS_NOTE)
    _act(head, "basis")
    assert _flash(head) == "已记录公开依据，待签发"
    assert Document.objects.get(pk=doc.pk).review_state == ReviewState.SIGN_OFF
    assert (
        "公开依据：惩戒公示（法律法规规定公开的处罚、失信信息）"
        in head.locator("#review").inner_text()
    )

    # 签发并发布: the confirmation ticked.
    box = _open(head, "publish")
    assert f"发布后门户网站和政策码 /p/{code} 即可访问" in box.inner_text()
    box.get_by_label(
        "我已核对本文件的正文、附件、保密审查与个人信息核查结果，签发并向社会公开发布"
    ).check()
    _act(head, "publish")
    assert _flash(head) == f"已签发并发布《{TITLE}》（{NUMBER}）（政策码 {code}）"
    published = Document.objects.get(pk=doc.pk)
    assert published.review_state == ReviewState.PUBLISHED
    assert str(published.published_on) == "2025-06-16"
    assert published.validity == "in_force"
    assert head.locator("strong.code").inner_text() == code
    link = head.get_by_role("link", name=f"/p/{code}", exact=True)
    assert link.get_attribute("href") == f"{base}/p/{code}"
    _shot(head, "3_published")

    # On a phone, not logged in: the short address opens the public page.
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{base}/p/{code}")
    phone.wait_for_url(f"{base}/portal/documents/{doc.pk}/")
    assert phone.locator("h1").inner_text() == TITLE
    assert phone.locator(".validity-banner .state").inner_text() == "效力状态：现行有效"
    qr_img = phone.locator("aside.doc-code img")
    assert qr_img.get_attribute("src") == f"/p/{code}.svg"
    qr_img.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=qr_img.element_handle()
    )
    assert qr_img.evaluate("img => img.naturalWidth") > 0
    assert phone.locator("#short-url").input_value() == f"{base}/p/{code}"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "4_phone_public_page")

    # The PNG for print holds the absolute short address.
    answer = phone.request.get(f"{base}/p/{code}.png")
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/png"
    decoded = [
        r.text
        for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(answer.body())))
        if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert decoded == [f"{base}/p/{code}"]
