"""Letters, fees and delivery: every template renders, the .docx reads back, numbering,
versioning, immutability, fee notice → payment or lapse, delivery and returned mail,
notifications."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from gongkai.audit.models import AuditEntry
from gongkai.cases import selectors as case_selectors
from gongkai.cases import services as cs
from gongkai.cases.models import Case
from gongkai.cases.reminders import run_reminders
from gongkai.cases.services import (
    CaseError,
    ItemInput,
    case_approve,
    case_draft_reply,
    case_mark_replied,
    case_request_correction,
    case_secrecy_review,
)
from gongkai.cases.services.base import Step
from gongkai.core.doctypes import DocType, check_template, fill
from gongkai.core.outcomes import Outcome
from gongkai.letters import services as ls
from gongkai.letters.models import ImmutableError, Letter
from tests.factories import person, register

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
SMS_SENT: list[tuple[str, str]] = []


def sms_send(phone: str, text: str) -> None:
    SMS_SENT.append((phone, text))


def _values(doc: DocType) -> dict[str, str]:
    return {name: f"〔{name}的取值〕" for name in doc.spec.fields}


def _paragraphs(letter: Letter) -> list[str]:
    with letter.file.open("rb") as fh:
        return [p.text for p in docx.Document(io.BytesIO(fh.read())).paragraphs]


def _step(w, case: Case, day: date = date(2025, 6, 16)) -> Step:
    return Step(case, w.registrar, None, set(), day, None)


def test_every_default_template_is_valid():
    for doc in DocType:
        assert check_template(doc, doc.spec.title, doc.spec.body) == [], doc


def test_every_document_type_renders_without_missing_placeholders(w):
    case = register(w.registrar, w.d1)
    numbers = []
    for doc in DocType:
        values = _values(doc)
        if doc.is_reply:
            values = ls.reply_values(case, doc.spec.outcome, date(2025, 6, 16))
        letter = ls.letter_make(_step(w, case), doc, values)
        numbers.append(letter.number)
        text = "\n".join(_paragraphs(letter))
        assert "{" not in letter.body and "}" not in letter.body, doc
        assert letter.title in text and letter.number in text
        assert "测试市教育局" in text and "2025年6月16日" in text
        if doc.is_reply:
            outcome = doc.spec.outcome
            assert "的规定，特此告知。" in text, doc
            if outcome.needs_remedy_notice:
                assert "申请行政复议" in text, doc
            else:
                assert "行政复议" not in text, doc
            if outcome.is_refusal:
                assert "应当先申请行政复议" in text, doc
        else:
            assert "〔" in text
    # 文号 numbered per agency and year: the receipt took 1, then one each.
    serials = [int(re.search(r"〕(\d+)号", n).group(1)) for n in numbers]
    assert serials == list(range(2, 2 + len(DocType)))


def test_reply_letter_quotes_items_basis_and_the_agencys_remedy(w):
    w.d1.reconsideration_body, w.d1.court = "测试市人民政府", "测试市市南区人民法院"
    w.d1.reconsideration_days, w.d1.letter_prefix = 90, "测教信公"
    w.d1.save()
    case = register(w.registrar, w.d1)
    case_draft_reply(
        actor=w.registrar,
        case=case,
        items=[
            ItemInput("批复文件", Outcome.DISCLOSED),
            ItemInput("附件图纸", Outcome.THIRD_PARTY_RIGHTS, "含第三方商业秘密"),
        ],
        summary="批复文件见附件",
    )
    case_secrecy_review(actor=w.secrecy, case=case, passed=True)
    case_approve(actor=w.head, case=case)
    letter = case.letters.get(doc_type="reply_partial")
    text = "\n".join(_paragraphs(letter))
    assert letter.number == "测教信公〔2025〕2号"
    assert (
        "一、关于您申请获取的“批复文件”：该政府信息属于可以公开的政府信息，本机关予以公开，"
        "现按您要求的形式向您提供。" in text
    )
    assert (
        "二、关于您申请获取的“附件图纸”：经审查，该政府信息涉及商业秘密、个人隐私等，"
        "公开会对第三方合法权益造成损害，本机关不予公开。含第三方商业秘密。" in text
    )
    assert "批复文件见附件。" in text
    assert (
        "根据《中华人民共和国政府信息公开条例》第十五条、第三十六条第二项、第三项、"
        "第三十七条的规定，特此告知。" in text
    )
    assert "90日内向测试市人民政府申请行政复议" in text
    assert "测试市市南区人民法院" in text and "应当先申请行政复议" in text
    doc = docx.Document(letter.file.path)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_template_checks_name_the_problem():
    doc = DocType.CORRECTION
    problems = check_template(doc, "补正告知书", "请于{补正期限}前补正{不存在}\n{申请人")
    assert any("占位符“{不存在}”不存在" in p and "正文第1行" in p for p in problems)
    assert any("正文第2行的花括号不成对" in p for p in problems)
    assert any("缺少必需的占位符“{补正事项}”" in p for p in problems)
    assert check_template(doc, "", "{补正事项}{补正期限}") == ["标题不能为空"]
    assert "格式说明" in check_template(doc, "t", "{补正事项!r}{补正期限}")[0]
    reply = DocType.REPLY_STATE_SECRET
    assert any("{救济途径}" in p for p in check_template(reply, "答复书", "{法律依据}{答复事项}"))
    assert fill("{{字面}}{申请人}", {"申请人": "张三"}) == "{字面}张三"


def test_templates_are_versioned_and_sent_letters_keep_their_text(w):
    case = register(w.registrar, w.d1)
    with pytest.raises(CaseError, match="负责人或管理员"):
        ls.template_save(
            actor=w.registrar, agency=w.d1, doc_type=DocType.CORRECTION, title="t", body="x"
        )
    with pytest.raises(CaseError, match="不存在"):
        ls.template_save(
            actor=w.head,
            agency=w.d1,
            doc_type=DocType.CORRECTION,
            title="补正告知书",
            body="{补正事项}{补正期限}{查无此项}",
        )
    case_request_correction(
        actor=w.registrar, case=case, what="请写明文件名称", reply_by=date(2025, 6, 30)
    )
    old = case.letters.get(doc_type="correction")
    assert old.template_version == 0
    t = ls.template_save(
        actor=w.head,
        agency=w.d1,
        doc_type=DocType.CORRECTION,
        title="补正通知",
        body="请补正：{补正事项}，期限{补正期限}。",
        note="简化",
    )
    assert t.version == 1
    with pytest.raises(CaseError, match="没有变化"):
        ls.template_save(
            actor=w.admin,
            agency=w.d1,
            doc_type=DocType.CORRECTION,
            title="补正通知",
            body="请补正：{补正事项}，期限{补正期限}。",
        )
    second = register(w.registrar, w.d1, applicant=person(2))
    case_request_correction(
        actor=w.registrar, case=second, what="请写明年份", reply_by=date(2025, 6, 30)
    )
    new = second.letters.get(doc_type="correction")
    assert (new.title, new.template_version) == ("补正通知", 1)
    assert "请补正：请写明年份，期限2025年6月30日。" in _paragraphs(new)
    old.refresh_from_db()
    assert old.title == "政府信息公开申请补正告知书" and "一次性告知" in old.body
    old.body = "改写"
    with pytest.raises(ImmutableError):
        old.save()
    with pytest.raises(ImmutableError):
        old.delete()
    entry = AuditEntry.objects.get(action="letter.issued", target_id=str(new.pk))
    assert entry.data["sha256"] == new.sha256 and len(new.sha256) == 64


def test_fee_notice_pauses_the_clock_and_payment_resumes_it(w):
    # An applicant's 11th request this month is charged 100 yuan (per request).
    cases = [
        register(w.registrar, w.d1, received_on=date(2025, 6, 3), applicant=person(7))
        for _ in range(11)
    ]
    eleventh = cases[-1]
    assert cs.nth_request_this_month(eleventh) == 11
    with pytest.raises(CaseError, match="不收费"):
        cs.case_fee_notice(
            actor=w.registrar,
            case=cases[0],
            method="per_request",
            payment_instructions="窗口缴纳",
            delivery="in_person",
        )
    before = Case.objects.get(pk=eleventh.pk).due_on
    notice = cs.case_fee_notice(
        actor=w.registrar,
        case=eleventh,
        method="per_request",
        payment_instructions="到办公室窗口缴纳",
        delivery="post",
        tracking_number="EA123456789CN",
        day=date(2025, 6, 9),
    )
    assert notice.total_yuan == 100 and notice.received_on is None
    text = "\n".join(_paragraphs(notice.letter))
    assert "收费通知书" in text and "人民币100元" in text and "本月第11件申请" in text
    with pytest.raises(CaseError, match="先登记申请人收到"):
        cs.case_fee_paid(actor=w.registrar, case=eleventh, amount_yuan=100, receipt_number="1")
    delivery = notice.letter.deliveries.get()
    ls.delivery_confirm(
        actor=w.registrar,
        delivery=delivery,
        day=date(2025, 6, 11),
        proof=SimpleUploadedFile("回执.png", PNG),
    )
    notice.refresh_from_db()
    assert notice.received_on == date(2025, 6, 11)
    paused = Case.objects.get(pk=eleventh.pk)
    assert paused.card == "paused" and "缴纳信息处理费" in paused.clock_note
    with pytest.raises(CaseError, match="不符"):
        cs.case_fee_paid(actor=w.registrar, case=eleventh, amount_yuan=90, receipt_number="F1")
    cs.case_fee_paid(
        actor=w.registrar,
        case=eleventh,
        amount_yuan=100,
        receipt_number="F1",
        day=date(2025, 6, 13),
    )
    resumed = Case.objects.get(pk=eleventh.pk)
    # 9 June to 13 June: 4 working days not counted.
    assert resumed.card != "paused" and resumed.due_on > before
    assert case_selectors.fees_collected([w.d1.pk], 2025) == 100
    assert case_selectors.fees_collected([w.d2.pk], 2025) == 0


def test_unpaid_fee_ends_the_case_through_remind(w):
    case = register(w.registrar, w.d1, received_on=date(2025, 6, 3))
    cs.case_fee_notice(
        actor=w.registrar,
        case=case,
        method="per_page",
        pages=40,
        payment_instructions="窗口缴纳",
        delivery="in_person",
        day=date(2025, 6, 5),
    )
    with pytest.raises(CaseError, match="尚未届满"):
        cs.case_lapse_fee(actor=w.registrar, case=case)
    result = run_reminders()
    assert result.fee_lapsed == []
    # Received 5 June: 20 working days end on 4 July; the next run after that ends the case.
    with time_machine.travel("2025-07-07 09:00 +0800", tick=False):
        result = run_reminders()
        assert result.fee_lapsed == [case.number]
        assert any("逾期未缴费终止处理 1 件" in line for line in result.summary())
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "fee_unpaid")
    assert Outcome(case.outcome).report_row == "other_2"
    letter = case.letters.get(doc_type="reply_fee_unpaid")
    assert letter.issued_by is None and "不再处理" in letter.body
    assert AuditEntry.objects.filter(action="case.fee_lapsed", actor=None).count() == 1


def test_reply_delivery_post_return_and_resend(w):
    case = register(w.registrar, w.d1)
    case_draft_reply(
        actor=w.registrar, case=case, items=[ItemInput("批复", Outcome.DOES_NOT_EXIST)]
    )
    case_secrecy_review(actor=w.secrecy, case=case, passed=True)
    case_approve(actor=w.head, case=case)
    with pytest.raises(CaseError, match="邮件单号"):
        case_mark_replied(actor=w.registrar, case=case, method="post")
    case_mark_replied(actor=w.registrar, case=case, method="post", tracking_number="EA000000001CN")
    case.refresh_from_db()
    assert case.status == "replied" and case.delivered_on is None
    letter = case.letters.get(doc_type="reply_does_not_exist")
    first = letter.deliveries.get()
    with pytest.raises(CaseError, match="退回原因"):
        ls.delivery_return(actor=w.registrar, delivery=first, reason=" ")
    ls.delivery_return(actor=w.registrar, delivery=first, reason="查无此人")
    with pytest.raises(CaseError, match="已退回"):
        ls.delivery_confirm(actor=w.registrar, delivery=first, day=date(2025, 6, 16), signed_by="x")
    again = ls.delivery_record(actor=w.registrar, letter=letter, method="in_person")
    case.refresh_from_db()
    assert again.delivered_on == case.delivered_on == date(2025, 6, 16)
    with pytest.raises(CaseError, match="已经送达"):
        ls.delivery_record(actor=w.registrar, letter=letter, method="in_person")
    with pytest.raises(CaseError, match="登记员或公开工作机构负责人"):
        ls.delivery_record(actor=w.secrecy, letter=letter, method="in_person")
    with pytest.raises(CaseError):
        ls.delivery_record(actor=w.registrar2, letter=letter, method="in_person")
    kinds = [e.kind for e in case.events.all()]
    assert "delivery_returned" in kinds and kinds.count("delivered") >= 2


def test_manual_letters(w):
    case = register(w.registrar, w.d1)
    with pytest.raises(CaseError, match="不能单独制作"):
        ls.letter_issue(actor=w.registrar, case=case, doc_type="receipt", values={})
    with pytest.raises(CaseError, match="请填写"):
        ls.letter_issue(actor=w.registrar, case=case, doc_type="reasons", values={})
    with pytest.raises(CaseError, match="不同意公开"):
        ls.letter_issue(
            actor=w.registrar,
            case=case,
            doc_type="disclosure_notice",
            values={"第三方": "某公司", "公开内容": "x", "公开理由": "y"},
        )
    letter = ls.letter_issue(
        actor=w.registrar,
        case=case,
        doc_type="reasons",
        values={"说明事项": "申请数量的合理性", "说明期限": "2025年6月30日", "无关": "丢弃"},
    )
    assert letter.to_applicant and "申请数量的合理性" in letter.body
    assert "无关" not in letter.data


@override_settings(GONGKAI_SMS_HOOK="tests.letters.test_letters.sms_send")
def test_applicant_is_notified_with_the_letter(w):
    SMS_SENT.clear()
    mail.outbox.clear()
    applicant = person(3)
    applicant = type(applicant)(**{**applicant.__dict__, "email": "zhang@example.cn"})
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        case = register(w.registrar, w.d1, applicant=applicant)
    assert case.query_code and len(case.query_code) == 8
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    message = mail.outbox[0]
    assert case.number in message.subject and "已登记" in message.subject
    name, content, _ = message.attachments[0]
    assert name.endswith("接收回执.docx") and content[:2] == b"PK"
    receipt = case.letters.get(doc_type="receipt")
    assert case.query_code in receipt.body
    assert SMS_SENT and SMS_SENT[0][0] == "13812345678" and "张三明" not in SMS_SENT[0][1]
    with TestCase.captureOnCommitCallbacks(execute=True):
        case_request_correction(
            actor=w.registrar, case=case, what="请写明文号", reply_by=date(2025, 6, 30)
        )
    assert "需要补正" in mail.outbox[-1].subject
    channels = AuditEntry.objects.filter(action="case.applicant_notified").last().data
    assert channels["channels"] == ["email", "sms"]
