"""In a real browser (Debian's Chromium through Playwright): the office head opens a case
whose reply awaits sign-off, reads the 答复书 as it will be sent — and only then signs it."""

from __future__ import annotations

import io
import os

import docx

from gongkai.cases.services import ItemInput, case_draft_reply, case_secrecy_review
from gongkai.core.outcomes import Outcome
from tests.factories import register, world
from tests.web.test_browser import act, login, pytestmark  # noqa: F401 - the browser tests' marks

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Written out by hand: the two items staff reported, answered in the words of a 答复书 and
# cited once, 第四项 before 第五项 (《中华人民共和国政府信息公开条例》第三十六条).
FIRST = (
    "一、关于您申请获取的“规划许可证”：经查，该政府信息不属于本机关负责公开的政府信息。"
    "建议您向测试市自然资源局咨询。"
)
SECOND = (
    "二、关于您申请获取的“竣工验收报告”：经检索，本机关未制作或获取该政府信息，该政府信息不存在。"
)
BASIS = "根据《中华人民共和国政府信息公开条例》第三十六条第四项、第五项的规定，特此告知。"


def test_head_reads_the_reply_before_signing_it(browser, live_server, clock):
    w = world()
    case = register(w.registrar, w.d1, text="某项目的规划许可证及竣工验收报告。")
    case_draft_reply(
        actor=w.registrar,
        case=case,
        items=[
            ItemInput("规划许可证", Outcome.NOT_THIS_AGENCY, "建议您向测试市自然资源局咨询"),
            ItemInput("竣工验收报告", Outcome.DOES_NOT_EXIST),
        ],
    )
    case_secrecy_review(actor=w.secrecy, case=case, passed=True)

    head = login(browser, live_server, "head1")
    head.goto(f"{live_server.url}/cases/{case.pk}/")
    preview = head.locator("#reply-preview")
    assert preview.is_visible()
    assert head.get_by_role("heading", name="答复书预览（待审签）").is_visible()
    sheet = preview.get_by_role("article", name="政府信息公开申请答复书（预览）")
    shown = [t.strip() for t in sheet.locator("p.indent").all_inner_texts()]
    assert shown[0] == (
        "本机关于2025年6月16日收到您提出的政府信息公开申请（申请编号：CSJY-2025-0001），"
        "申请获取：某项目的规划许可证及竣工验收报告。现答复如下："
    )
    assert shown[1:4] == [FIRST, SECOND, BASIS]
    text = sheet.inner_text()
    assert "张*明：" in text and "（文号审签时编定）" in text and "。。" not in text
    assert "告知申请人" not in text
    assert head.locator("#h-letters ~ table").inner_text().count("答复书") == 0  # not yet made

    # The preview as a Word file, marked as a draft.
    with head.expect_download() as download:
        preview.get_by_role(
            "link", name="下载答复书预览 Word 文件（标注草稿，查看记入审计）"
        ).click()
    with open(download.value.path(), "rb") as fh:
        document = docx.Document(io.BytesIO(fh.read()))
    assert document.paragraphs[0].text == "答复书草稿（预览）·未经审签，不得作为正式文书发出"
    assert [p.text for p in document.paragraphs if p.text in (FIRST, SECOND, BASIS)] == [
        FIRST,
        SECOND,
        BASIS,
    ]

    # Having read it, the head signs: the letter made has exactly the text previewed.
    act(head, "approve")
    assert "已完成：审签" in head.content()
    assert head.locator("#reply-preview").count() == 0
    letter = case.letters.get(doc_type="reply_not_this_agency")
    assert list(letter.body.splitlines()) == shown
    assert head.get_by_role("link", name="政府信息公开申请答复书", exact=True).is_visible()
