"""The wording of reply letters, read back from the .docx the real services make.

Every outcome is drafted, reviewed and signed off (or, for the two endings, lapsed) through
the case services, and the letter's paragraphs are read with python-docx. The expected
sentences are written out by hand from 《中华人民共和国政府信息公开条例》 (the article each
outcome rests on: 第十四条至第十六条 with 第三十六条第三项 for refusals, 第三十六条各项,
第三十七条, 第三十八条, 第三十九条, 第三十条, 第三十五条, 第四十二条) and the way agencies word
a 政府信息公开申请答复书. Checked on every letter: no doubled “。”, none of the office's
outcome names, each law named at most once in a sentence, articles cited in statute order,
第三十七条 in every partial reply, and the receipt giving the application number once.
"""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
import time_machine

from gongkai.cases import services as cs
from gongkai.cases.services import (
    ItemInput,
    case_approve,
    case_draft_reply,
    case_lapse_correction,
    case_request_correction,
    case_secrecy_review,
)
from gongkai.core.doctypes import fill
from gongkai.core.outcomes import Outcome
from gongkai.letters.models import Letter
from tests.factories import register

REGS = "《中华人民共和国政府信息公开条例》"
#: The request as an applicant typed it, over two lines, each ending in its own “。”.
REQUEST = "2025年某项目的批准文件。\n该项目的环评报告。"
INTRO = (
    "本机关于2025年6月16日收到您提出的政府信息公开申请（申请编号：CSJY-2025-0001），"
    "申请获取：2025年某项目的批准文件；该项目的环评报告。现答复如下："
)

# outcome: (the answer paragraph, the citation sentence) — by hand, from the statute.
ANSWERS: dict[Outcome, tuple[str, str]] = {
    Outcome.PUBLISHED: (
        "该政府信息本机关已经主动公开。您可以通过本机关政府网站政府信息公开专栏等主动公开"
        "渠道查阅、获取。",
        f"根据{REGS}第三十六条第一项的规定，特此告知。",
    ),
    Outcome.DISCLOSED: (
        "该政府信息属于可以公开的政府信息，本机关予以公开，现按您要求的形式向您提供。",
        f"根据{REGS}第三十六条第二项的规定，特此告知。",
    ),
    Outcome.PARTIAL: (
        "该政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供其中可以公开的内容。",
        f"根据{REGS}第三十七条的规定，特此告知。",
    ),
    Outcome.STATE_SECRET: (
        "经审查，该政府信息属于国家秘密，本机关不予公开。",
        f"根据{REGS}第十四条、第三十六条第三项的规定，特此告知。",
    ),
    Outcome.FORBIDDEN_BY_LAW: (
        "经审查，该政府信息属于法律、行政法规禁止公开的政府信息，本机关不予公开。",
        f"根据{REGS}第十四条、第三十六条第三项的规定，特此告知。",
    ),
    Outcome.SECURITY_STABILITY: (
        "经审查，该政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关不予公开。",
        f"根据{REGS}第十四条、第三十六条第三项的规定，特此告知。",
    ),
    Outcome.THIRD_PARTY_RIGHTS: (
        "经审查，该政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
        "本机关不予公开。",
        f"根据{REGS}第十五条、第三十六条第三项的规定，特此告知。",
    ),
    Outcome.INTERNAL_AFFAIRS: (
        "经审查，该政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息，"
        "本机关不予公开。",
        f"根据{REGS}第十六条第一款、第三十六条第三项的规定，特此告知。",
    ),
    Outcome.PROCESS_INFORMATION: (
        "经审查，该政府信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
        "磋商信函、请示报告等过程性信息，本机关不予公开。",
        f"根据{REGS}第十六条第二款、第三十六条第三项的规定，特此告知。",
    ),
    Outcome.ENFORCEMENT_FILES: (
        "经审查，该政府信息属于行政执法案卷信息，本机关不予公开。",
        f"根据{REGS}第十六条第二款、第三十六条第三项的规定，特此告知。",
    ),
    Outcome.QUERY_MATTERS: (
        "经审查，您申请获取的信息属于行政查询事项，其查询另有专门规定，请您按照相关查询程序办理。",
        f"根据{REGS}第三十六条第七项的规定，特此告知。",
    ),
    Outcome.DOES_NOT_EXIST: (
        "经检索，本机关未制作或获取该政府信息，该政府信息不存在。",
        f"根据{REGS}第三十六条第四项的规定，特此告知。",
    ),
    Outcome.NOT_THIS_AGENCY: (
        "经查，该政府信息不属于本机关负责公开的政府信息。",
        f"根据{REGS}第三十六条第五项的规定，特此告知。",
    ),
    Outcome.NEEDS_PROCESSING: (
        "经审查，您所需的信息需要本机关对现有政府信息进行加工、分析才能形成，本机关不予提供。",
        f"根据{REGS}第三十八条的规定，特此告知。",
    ),
    Outcome.UNCLEAR_AFTER_CORRECTION: (
        "经补正后，您的申请内容仍不明确，本机关无法确定您所需的政府信息，无法向您提供。",
        f"根据{REGS}第三十条的规定，特此告知。",
    ),
    Outcome.PETITION: (
        "经审查，您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动，"
        "本机关不作为政府信息公开申请处理，请您通过相应渠道提出。",
        f"根据{REGS}第三十九条第一款的规定，特此告知。",
    ),
    Outcome.REPEAT: (
        "本机关已就您此前提出的相同政府信息公开申请作出答复，对您重复申请公开的相同政府信息"
        "不予重复处理。",
        f"根据{REGS}第三十六条第六项的规定，特此告知。",
    ),
    Outcome.PUBLICATIONS: (
        "您申请获取的是政府公报、报刊、书籍等公开出版物，请您通过出版发行、公共图书馆等渠道获取。",
        f"根据{REGS}第三十九条第二款的规定，特此告知。",
    ),
    Outcome.EXCESSIVE: (
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，经审查，"
        "您说明的理由不合理，本机关不予处理。",
        f"根据{REGS}第三十五条的规定，特此告知。",
    ),
    Outcome.CONFIRM_OR_REISSUE: (
        "经审查，您的申请系要求本机关确认或者重新出具您已获取的信息，并非申请获取本机关已制作"
        "或者获取的政府信息，本机关不作为政府信息公开申请处理。",
        f"根据{REGS}第二条的规定，特此告知。",
    ),
    Outcome.OTHER: (
        "该政府信息的获取，有关法律、行政法规另有特别规定，请您依照有关法律、行政法规的规定办理。",
        f"根据{REGS}第三十六条第七项的规定，特此告知。",
    ),
    Outcome.NO_CORRECTION: (
        "本机关已一次性告知您补正申请，您无正当理由逾期未补正，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
        f"根据{REGS}第三十条的规定，特此告知。",
    ),
    Outcome.FEE_UNPAID: (
        "本机关已向您发出信息处理费收费通知，您未在规定期限内缴纳，"
        "本机关不再处理该政府信息公开申请。",
        f"根据{REGS}第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
        "的规定，特此告知。",
    ),
}

#: The office's own names for outcomes, which a letter must not quote (the ones staff saw
#: in the letters: “告知申请人（能够确定的，告知负责公开的机关）”, “告知申请人该政府信息不存在”).
STAFF_WORDS = (
    "告知申请人",
    "能够确定的，告知负责公开的机关",
    "经检索没有所申请公开的信息",
    "所申请公开的信息不属于本机关负责公开",
    "可不予公开",
    "可以不予提供",
    "告知获取方式和途径",
    "按相关查询程序办理",
    "告知通过相应渠道提出",
    "告知不予重复处理",
    "理由不合理，不予处理",
    "无正当理由逾期不补正，",
    "逾期未按收费通知要求缴纳费用",
    "其他处理（",
    "（依据",
)

_NUMERALS = {c: n for n, c in enumerate("零一二三四五六七八九")}


def numeral(text: str) -> int:
    """A Chinese numeral up to 九十九 (counted by hand: 三十六 = 3×10+6)."""
    if "十" not in text:
        return _NUMERALS[text]
    tens, _, ones = text.partition("十")
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0)


def cited_articles(sentence: str) -> list[tuple[int, int, int]]:
    """(article, paragraph, item) of each provision of the regulations cited in
    ``sentence``; “第四项、第五项” after “第三十六条” belong to 第三十六条."""
    after = sentence.split(REGS, 1)[1]
    after = re.split(r"《", after, maxsplit=1)[0]  # up to the next instrument
    out, article, paragraph = [], 0, 0
    for part in re.findall(r"第([一二三四五六七八九十]+)([条款项])", after):
        n, kind = numeral(part[0]), part[1]
        if kind == "条":
            article, paragraph = n, 0
            out.append((article, 0, 0))
        elif kind == "款":
            paragraph = n
            if out and out[-1][0] == article and out[-1][1:] == (0, 0):
                out[-1] = (article, paragraph, 0)
            else:
                out.append((article, paragraph, 0))
        else:
            if out and out[-1][0] == article and out[-1][2] == 0 and out[-1][1] == paragraph:
                out[-1] = (article, paragraph, n)
            else:
                out.append((article, paragraph, n))
    return out


def paragraphs(letter: Letter) -> list[str]:
    with letter.file.open("rb") as fh:
        return [p.text for p in docx.Document(io.BytesIO(fh.read())).paragraphs]


def check_letter(text: str) -> None:
    """What holds for every reply letter."""
    assert "。。" not in text and "。；" not in text and "；。" not in text
    for words in STAFF_WORDS:
        assert words not in text, words
    for sentence in re.split(r"[。\n]", text):
        titles = re.findall(r"《[^》]+》", sentence)
        assert len(titles) == len(set(titles)), sentence
        if REGS in sentence:
            arts = cited_articles(sentence)
            assert arts == sorted(arts), sentence
            assert len(arts) == len(set(arts)), sentence


def _drafted(w, outcome: Outcome, *, explanation: str = ""):
    case = register(w.registrar, w.d1, text=REQUEST)
    case_draft_reply(
        actor=w.registrar, case=case, items=[ItemInput("某项目的批准文件。", outcome, explanation)]
    )
    return case


def _signed(w, case):
    case_secrecy_review(actor=w.secrecy, case=case, passed=True)
    case_approve(actor=w.head, case=case)
    return case.letters.get(doc_type__startswith="reply_")


def _lapsed_letter(w, outcome: Outcome) -> Letter:
    if outcome is Outcome.NO_CORRECTION:
        case = register(w.registrar, w.d1, text=REQUEST, received_on=date(2025, 6, 9))
        case_request_correction(
            actor=w.registrar,
            case=case,
            what="请写明项目名称",
            reply_by=date(2025, 6, 13),
            day=date(2025, 6, 10),
        )
        case_lapse_correction(actor=w.registrar, case=case)
        return case.letters.get(doc_type="reply_no_correction")
    case = register(w.registrar, w.d1, text=REQUEST, received_on=date(2025, 6, 3))
    cs.case_fee_notice(
        actor=w.registrar,
        case=case,
        method="per_page",
        pages=40,
        payment_instructions="窗口缴纳",
        delivery="in_person",
        day=date(2025, 6, 5),
    )
    # Received in person on 5 June: 20 working days end on 4 July.
    with time_machine.travel("2025-07-07 09:00 +0800", tick=False):
        cs.case_lapse_fee(actor=w.registrar, case=case)
    return case.letters.get(doc_type="reply_fee_unpaid")


@pytest.mark.parametrize("outcome", list(ANSWERS), ids=lambda o: o.value)
def test_each_outcome_reads_as_a_reply(w, outcome):
    answer, basis = ANSWERS[outcome]
    if outcome in (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID):
        letter = _lapsed_letter(w, outcome)
        intro = INTRO.removesuffix("现答复如下：")
        if outcome is Outcome.FEE_UNPAID:
            intro = intro.replace("2025年6月16日", "2025年6月3日")
        else:
            intro = intro.replace("2025年6月16日", "2025年6月9日")
        assert letter.title == "政府信息公开申请终止处理告知书"
    else:
        letter = _signed(w, _drafted(w, outcome))
        intro = INTRO
        assert letter.title == "政府信息公开申请答复书"
    paras = paragraphs(letter)
    text = "\n".join(paras)
    assert intro in paras
    assert answer in paras and basis in paras
    # the answer, then the citation, then the remedy (if any) and the contact
    assert paras.index(intro) < paras.index(answer) < paras.index(basis)
    check_letter(text)
    if outcome.needs_remedy_notice:
        assert "申请行政复议" in paras[paras.index(basis) + 1]
    if outcome is Outcome.PARTIAL:
        assert "第三十七条" in basis


def test_the_offices_explanation_follows_the_answer(w):
    cases = {
        Outcome.NOT_THIS_AGENCY: "该信息由测试市自然资源局负责公开，联系电话0532-12345678。",
        Outcome.PARTIAL: "环评报告附件中的企业技术参数涉及商业秘密，第三方不同意公开。",
        Outcome.PUBLISHED: "可在测试市教育局网站“政务公开”栏目查阅\n发布日期为2025年3月1日。",
    }
    expected = {
        Outcome.NOT_THIS_AGENCY: "经查，该政府信息不属于本机关负责公开的政府信息。"
        "该信息由测试市自然资源局负责公开，联系电话0532-12345678。",
        Outcome.PARTIAL: "该政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供其中"
        "可以公开的内容。不予公开的内容及理由：环评报告附件中的企业技术参数涉及商业秘密，"
        "第三方不同意公开。",
        Outcome.PUBLISHED: "该政府信息本机关已经主动公开。可在测试市教育局网站“政务公开”栏目"
        "查阅；发布日期为2025年3月1日。",
    }
    for outcome, explanation in cases.items():
        letter = _signed(w, _drafted(w, outcome, explanation=explanation))
        paras = paragraphs(letter)
        assert expected[outcome] in paras, outcome
        check_letter("\n".join(paras))


def test_several_items_each_answered_and_the_articles_cited_once_in_order(w):
    # The case staff reported: two items, 第三十六条第五项 first, then 第三十六条第四项.
    case = register(w.registrar, w.d1, text="某项目的规划许可证及竣工验收报告。")
    case_draft_reply(
        actor=w.registrar,
        case=case,
        items=[
            ItemInput(
                "规划许可证。",
                Outcome.NOT_THIS_AGENCY,
                "建议您向测试市自然资源局咨询（联系电话0532-12345678）",
            ),
            ItemInput("竣工验收报告", Outcome.DOES_NOT_EXIST),
        ],
        summary="如有疑问，请与本机关联系。",
    )
    letter = _signed(w, case)
    paras = paragraphs(letter)
    assert (
        "本机关于2025年6月16日收到您提出的政府信息公开申请（申请编号：CSJY-2025-0001），"
        "申请获取：某项目的规划许可证及竣工验收报告。现答复如下：" in paras
    )
    first = (
        "一、关于您申请获取的“规划许可证”：经查，该政府信息不属于本机关负责公开的政府信息。"
        "建议您向测试市自然资源局咨询（联系电话0532-12345678）。"
    )
    second = (
        "二、关于您申请获取的“竣工验收报告”：经检索，本机关未制作或获取该政府信息，"
        "该政府信息不存在。"
    )
    basis = f"根据{REGS}第三十六条第四项、第五项的规定，特此告知。"
    assert paras.index(first) + 1 == paras.index(second)
    assert paras.index(second) + 1 == paras.index("如有疑问，请与本机关联系。")
    assert paras.index(second) + 2 == paras.index(basis)
    text = "\n".join(paras)
    assert text.count(REGS) == 1  # the regulations, named once in the whole letter
    check_letter(text)


def test_a_reply_partly_disclosing_cites_article_37(w):
    case = register(w.registrar, w.d1, text="批复文件及附件图纸")
    case_draft_reply(
        actor=w.registrar,
        case=case,
        items=[
            ItemInput("附件图纸", Outcome.THIRD_PARTY_RIGHTS, "图纸含第三方商业秘密。"),
            ItemInput("批复文件", Outcome.DISCLOSED),
        ],
    )
    letter = _signed(w, case)
    assert letter.doc_type == "reply_partial"
    paras = paragraphs(letter)
    conclusion = (
        "综上，本机关对您申请的政府信息作区分处理：可以公开的内容予以提供，"
        "不予公开的内容已在上文逐项说明理由。"
    )
    basis = f"根据{REGS}第十五条、第三十六条第二项、第三项、第三十七条的规定，特此告知。"
    assert paras.index(conclusion) + 1 == paras.index(basis)
    assert "应当先申请行政复议" in paras[paras.index(basis) + 1]
    check_letter("\n".join(paras))


def test_the_receipt_gives_the_application_number_once(w):
    case = register(w.registrar, w.d1, text="2025年某项目的批准文件。")
    receipt = case.letters.get(doc_type="receipt")
    paras = paragraphs(receipt)
    text = "\n".join(paras)
    assert text.count("CSJY-2025-0001") == 1
    assert (
        "本机关于2025年6月16日收到您提出的政府信息公开申请，申请获取：2025年某项目的批准文件。"
        "本机关已予登记，登记编号为CSJY-2025-0001。" in paras
    )
    assert "。。" not in text


def test_trailing_punctuation_of_typed_text_gives_way_to_the_templates(w):
    case = register(w.registrar, w.d1, text="批准文件。")
    cs.case_extend(
        actor=w.head, case=case, working_days=10, reason="需要调取档案。", day=date(2025, 6, 16)
    )
    letter = case.letters.get(doc_type="extension")
    text = "\n".join(paragraphs(letter))
    assert (
        "申请获取：批准文件。" in text
        and "因需要调取档案，本机关不能在法定期限内作出答复。" in text
    )
    assert "。。" not in text and "。，" not in text


def test_fill_drops_a_values_trailing_marks_before_the_templates_own():
    assert fill("申请获取：{申请内容}。", {"申请内容": "批准文件。"}) == "申请获取：批准文件。"
    assert fill("因{理由}，延期", {"理由": "工作量大；"}) == "因工作量大，延期"
    assert fill("（{说明}）", {"说明": "见附件。"}) == "（见附件）"
    # Followed by text or a line break: the value is left as typed.
    assert fill("{事项}\n下一段", {"事项": "请写明文号。"}) == "请写明文号。\n下一段"
    assert fill("{a}{b}。", {"a": "甲。", "b": "乙！"}) == "甲。乙。"
