"""A reply's attachments are scanned for personal information before the reply is released;
what blocks is listed (masked, with where it stands) and the release refused unless the office
records a basis, such as the applicant's own information going to the applicant.

370202199001011237 is a valid ID number (check digit worked out in tests/core/test_pii.py).
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Case
from gongkai.cases.services import (
    CaseError,
    ItemInput,
    attachment_add,
    case_approve,
    case_draft_reply,
    case_mark_replied,
    case_secrecy_review,
)
from gongkai.core.outcomes import Outcome
from gongkai.letters import services as ls
from tests.factories import register

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
LEAK = [
    "关于房屋征收补偿情况的说明",
    "被征收人李四，联系电话13912345678。",
    "身份证号码370202199001011237",
]
REFUSAL = (
    "答复附件中发现须处理的个人信息：手机号码 139****5678（补偿说明.docx，第2段）；"
    "居民身份证号码 3702**********1237（补偿说明.docx，第3段）。请删除或打码后重新上传；"
    "如属申请人本人的信息或有其他公开依据，请先记录依据后再发出答复"
    "（《中华人民共和国政府信息公开条例》第十五条）"
)


def refused(message: str):
    return pytest.raises(CaseError, match="^" + re.escape(message) + "$")


def _docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attach(w, case: Case, name: str, data: bytes, kind: str = "letter"):
    upload = SimpleUploadedFile(name, data)
    return attachment_add(actor=w.registrar, case=case, kind=kind, upload=upload)


@pytest.fixture
def case(w) -> Case:
    """An approved reply, ready to be released."""
    case = register(w.registrar, w.d1)
    case_draft_reply(
        actor=w.registrar, case=case, items=[ItemInput("房屋征收补偿协议", Outcome.DISCLOSED)]
    )
    case_secrecy_review(actor=w.secrecy, case=case, passed=True)
    case_approve(actor=w.head, case=case)
    return case


def scans() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="letter.attachment_scanned").order_by("id"))


def test_personal_information_in_an_attachment_stops_the_release(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    with refused(REFUSAL):
        case_mark_replied(actor=w.registrar, case=case)
    case.refresh_from_db()
    assert case.status != "replied" and case.replied_on is None
    assert not case.letters.get(doc_type="reply_disclosed").deliveries.exists()
    assert scans() == []  # the refused step wrote nothing


def test_the_applicants_own_information_is_a_basis(w, case):
    att = attach(w, case, "补偿说明.docx", _docx(*LEAK))
    scan = ls.reply_attachments_basis(actor=w.registrar, case=case, basis="applicant_own")
    assert [(e["kind"], e["masked"], e["where"], e["file"]) for e in scan.blocking] == [
        ("mobile", "139****5678", "第2段", "补偿说明.docx"),
        ("resident_id", "3702**********1237", "第3段", "补偿说明.docx"),
    ]
    case_mark_replied(actor=w.registrar, case=case)
    case.refresh_from_db()
    assert case.status == "replied"
    basis, release = scans()
    assert (basis.target_type, basis.target_id, basis.actor) == ("case", str(case.pk), w.registrar)
    assert basis.message == (
        f"{case.number}：答复附件含个人信息2处（手机号码 139****5678（补偿说明.docx，第2段）；"
        "居民身份证号码 3702**********1237（补偿说明.docx，第3段）），"
        "依据：申请人本人的信息（不属于条例第十五条所称第三方的个人隐私）"
    )
    assert basis.data["files"] == [[att.pk, att.sha256]]
    assert (basis.data["basis"], basis.data["blocking"], basis.data["note"]) == (
        "applicant_own",
        2,
        "",
    )
    letter = case.letters.get(doc_type="reply_disclosed")
    assert (release.target_type, release.target_id) == ("letter", str(letter.pk))
    assert release.message == (
        f"{case.number}：发出{letter.title}（{letter.number}）前扫描答复附件1件，"
        "发现须处理的个人信息2处，已记录依据："
        "申请人本人的信息（不属于条例第十五条所称第三方的个人隐私）"
    )
    assert "13912345678" not in str(release.data) and "370202199001011237" not in str(basis.data)


def test_a_basis_holds_for_the_files_it_was_given_for(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    ls.reply_attachments_basis(actor=w.head, case=case, basis="consent", note="李四书面同意")
    attach(w, case, "补充说明.docx", _docx("另一联系人电话13700137000"))
    with pytest.raises(
        CaseError, match=r"^答复附件中发现须处理的个人信息：手机号码 139\*\*\*\*5678"
    ):
        case_mark_replied(actor=w.registrar, case=case)


def test_a_clean_attachment_is_released_and_the_scan_audited(w, case):
    w.d1.phone = "0531-86051234"
    w.d1.save()
    attach(w, case, "答复附件.docx", _docx("咨询电话：0531-86051234", "感谢王建国同志的来信"))
    attach(w, case, "签收照片.png", PNG)
    attach(w, case, "承办意见.docx", _docx("经办人电话13912345678"), kind="opinion")
    case_mark_replied(actor=w.registrar, case=case)
    (entry,) = scans()
    letter = case.letters.get(doc_type="reply_disclosed")
    assert entry.message == (
        f"{case.number}：发出{letter.title}（{letter.number}）前扫描答复附件2件，"
        "未发现须处理的个人信息"
    )
    assert (entry.data["blocking"], entry.data["warnings"], entry.data["notes"]) == (0, 1, 1)
    assert entry.data["hits"] == [
        {"kind": "name", "masked": "王*国", "where": "第2段", "file": "答复附件.docx"}
    ]


def test_without_attachments_nothing_is_scanned(w, case):
    case_mark_replied(actor=w.registrar, case=case)
    assert scans() == []


def test_the_basis_and_release_in_one_step(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    ls.reply_release(actor=w.registrar, case=case, basis="applicant_own")
    case.refresh_from_db()
    assert case.status == "replied"
    assert [e.target_type for e in scans()] == ["case", "letter"]


def test_reply_release_without_a_basis_is_refused_like_the_plain_step(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    with refused(REFUSAL):
        ls.reply_release(actor=w.registrar, case=case)


@pytest.mark.parametrize(
    ("who", "basis", "note", "message"),
    [
        (
            "registrar",
            "friendship",
            "",
            "公开依据“friendship”无效，应为以下之一：申请人本人的信息（不属于条例第十五条所称"
            "第三方的个人隐私）、第三方书面同意公开（条例第十五条、第三十二条）、"
            "不公开会对公共利益造成重大影响（条例第十五条）、法律、法规规定应当提供",
        ),
        (
            "registrar",
            "consent",
            " ",
            "请写明依据的具体内容（如第三方同意的书面材料、法律法规的条款）",
        ),
        (
            "secrecy",
            "applicant_own",
            "",
            "只有受理机关的登记员或公开工作机构负责人可以记录答复附件的公开依据",
        ),
        (
            "registrar2",
            "applicant_own",
            "",
            "找不到该申请，或您无权查看",
        ),
    ],
)
def test_refused_bases(w, case, who, basis, note, message):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    with pytest.raises(CaseError, match="^" + re.escape(message)):
        ls.reply_attachments_basis(actor=getattr(w, who), case=case, basis=basis, note=note)
    assert scans() == []


def test_no_basis_is_needed_without_personal_information(w, case):
    attach(w, case, "答复附件.docx", _docx("政策文件全文"))
    with refused("答复附件中没有须处理的个人信息，无需记录依据"):
        ls.reply_attachments_basis(actor=w.registrar, case=case, basis="applicant_own")


def test_sending_again_after_returned_mail_scans_again(w, case):
    case_mark_replied(actor=w.registrar, case=case, method="post", tracking_number="EA1CN")
    letter = case.letters.get(doc_type="reply_disclosed")
    ls.delivery_return(actor=w.registrar, delivery=letter.deliveries.get(), reason="查无此人")
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    with refused(REFUSAL):
        ls.delivery_record(actor=w.registrar, letter=letter, method="in_person")
    ls.reply_attachments_basis(actor=w.registrar, case=case, basis="applicant_own")
    again = ls.delivery_record(actor=w.registrar, letter=letter, method="in_person")
    assert again.delivered_on is not None
