"""The reply letter before sign-off: the reviewers read on the case page the text the
答复书 will have, and may download it as a .docx marked as a draft; neither is a letter."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.cases.services import (
    ItemInput,
    case_approve,
    case_assign,
    case_draft_reply,
    case_secrecy_review,
)
from gongkai.core.doctypes import DocType
from gongkai.core.outcomes import Outcome
from gongkai.letters import services as ls
from gongkai.letters.models import Letter
from tests.factories import register

ANSWER = "经检索，本机关未制作或获取该政府信息，该政府信息不存在。"
BASIS = "根据《中华人民共和国政府信息公开条例》第三十六条第四项的规定，特此告知。"


@pytest.fixture
def drafted(w):
    """A case routed to unit U1, its reply drafted and awaiting review and sign-off."""
    case = register(w.registrar, w.d1, text="2025年某项目的批准文件。")
    case_assign(actor=w.registrar, case=case, unit=w.u1)
    return case_draft_reply(
        actor=w.registrar,
        case=case,
        items=[ItemInput("批准文件", Outcome.DOES_NOT_EXIST)],
        summary="如有疑问，请来电咨询。",
    )


def _page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_is_the_letter_signing_makes(w, drafted):
    preview = ls.reply_preview(drafted, date(2025, 6, 16))
    assert preview.title == "政府信息公开申请答复书"
    assert preview.recipient == "张三明" and preview.number == "（文号审签时编定）"
    assert ANSWER in preview.body and BASIS in preview.body
    assert Letter.objects.filter(case=drafted, doc_type__startswith="reply_").count() == 0

    case_secrecy_review(actor=w.secrecy, case=drafted, passed=True)
    case_approve(actor=w.head, case=drafted)
    letter = drafted.letters.get(doc_type="reply_does_not_exist")
    assert tuple(letter.body.splitlines()) == preview.body
    assert (letter.title, letter.recipient) == (preview.title, preview.recipient)
    drafted.refresh_from_db()
    assert ls.reply_preview(drafted, date(2025, 6, 16)) is None  # signed: the letter itself


def test_the_preview_uses_the_agencys_current_wording(w, drafted):
    ls.template_save(
        actor=w.head,
        agency=w.d1,
        doc_type=DocType.REPLY_DOES_NOT_EXIST,
        title="政府信息不存在告知书",
        body="{答复事项}\n依据{法律依据}。\n{救济途径}",
    )
    preview = ls.reply_preview(drafted, date(2025, 6, 16))
    assert preview.title == "政府信息不存在告知书" and preview.template_version == 1
    assert preview.body[:2] == (
        ANSWER,
        "依据《中华人民共和国政府信息公开条例》第三十六条第四项。",
    )


@pytest.mark.parametrize("person", ["registrar", "head", "secrecy"])
def test_the_office_sees_the_preview_on_the_case_page(client, w, drafted, person):
    html = _page(client, getattr(w, person), drafted)
    assert "答复书预览（待审签）" in html
    assert ANSWER in html and BASIS in html and "如有疑问，请来电咨询。" in html
    assert "张*明：" in html and "张三明" not in html  # masked like the rest of the page
    assert "（文号审签时编定）" in html
    assert reverse("letters:preview", args=[drafted.pk]) in html


@pytest.mark.parametrize("person", ["handler1", "supervisor"])
def test_others_who_see_the_case_do_not_see_the_letter(client, w, drafted, person):
    html = _page(client, getattr(w, person), drafted)
    assert "答复书预览" not in html and ANSWER not in html
    response = client.get(reverse("letters:preview", args=[drafted.pk]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="letter.previewed").exists()


def test_no_preview_before_a_draft_or_after_sign_off(client, w, drafted):
    fresh = register(w.registrar, w.d1, text="另一项申请")
    assert "答复书预览" not in _page(client, w.head, fresh)
    assert client.get(reverse("letters:preview", args=[fresh.pk])).status_code == 404
    case_secrecy_review(actor=w.secrecy, case=drafted, passed=True)
    case_approve(actor=w.head, case=drafted)
    assert "答复书预览" not in _page(client, w.head, drafted)


def test_the_preview_docx_is_marked_audited_and_not_kept(client, w, drafted):
    client.force_login(w.head)
    letters_before = Letter.objects.count()
    response = client.get(reverse("letters:preview", args=[drafted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    paras = [p.text for p in document.paragraphs]
    mark = "答复书草稿（预览）·未经审签，不得作为正式文书发出"
    assert paras[0] == mark
    assert document.sections[0].header.paragraphs[0].text == mark
    assert "（文号审签时编定）" in paras and "张三明：" in paras
    assert ANSWER in paras and BASIS in paras
    assert Letter.objects.count() == letters_before  # no letter, no 文号 used
    entry = AuditEntry.objects.get(action="letter.previewed")
    assert entry.actor == w.head and drafted.number in entry.message


def test_a_template_that_cannot_be_filled_is_reported_not_a_broken_page(client, w, drafted):
    # A version saved before a placeholder was retired cannot be filled; the page says so.
    from gongkai.letters.models import LetterTemplate

    LetterTemplate.objects.create(
        agency=w.d1,
        doc_type="reply_does_not_exist",
        version=1,
        title="答复书",
        body="{答复事项}{法律依据}{救济途径}{已删除的占位符}",
        created_by=w.head,
    )
    html = _page(client, w.head, drafted)
    assert "答复书无法预览" in html and "已删除的占位符" in html
    response = client.get(reverse("letters:preview", args=[drafted.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:case", args=[drafted.pk])
    assert "占位符“{已删除的占位符}”没有取值" in response.content.decode()


def test_an_outsider_cannot_reach_the_preview(client, w, drafted):
    client.force_login(w.registrar2)
    assert client.get(reverse("letters:preview", args=[drafted.pk])).status_code == 404
