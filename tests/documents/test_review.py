"""先审查后公开: every step by role and state, the personal-information scan, basis, return and
rescan, publication (validity, 已修订) and take-down, each with its review step and audit entry.

Expected positions were counted by hand: in “申请人张三，身份证号码370202199001011237。” the
name starts at column 4 (after 申请人) and the number at column 12 (申请人张三，身份证号码 is 11
characters); “联系电话13912345678。” has the number at column 5. 370202199001011237 is a valid
ID number (weighted sum 203, 203 mod 11 = 5 → check “7”, see tests/core/test_pii.py).
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.files.base import ContentFile

from gongkai.audit.models import AuditEntry
from gongkai.core.validity import Validity
from gongkai.documents.models import (
    Attachment,
    Disclosure,
    Document,
    LegalBasis,
    RegistrySettings,
    ReviewState,
    ReviewStep,
)
from gongkai.documents.services import registry
from gongkai.documents.services.base import DocumentError
from gongkai.documents.services.review import (
    allow_list_for,
    basis_record,
    document_publish,
    document_return,
    document_submit,
    document_take_down,
    scan_for,
    secrecy_review,
)
from tests.cases import conftest as shared
from tests.documents.factories import text

pinned, w = shared.pinned, shared.w  # the pinned world of the case tests (fixtures)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 16)
CLEAN = "为规范中小学校服管理，现就有关事项通知如下。"
PERSONAL = "申请人张三，身份证号码370202199001011237。\n联系电话13912345678。"
S = ReviewState


def draft(w, body: str = CLEAN, **fields) -> Document:
    fields.setdefault("review_state", S.DRAFT)
    return text(w.d1, title=fields.pop("title", "关于规范校服管理的通知"), text=body, **fields)


def steps(doc: Document) -> list[tuple[str, bool]]:
    return [(s.kind, s.passed) for s in ReviewStep.objects.filter(document=doc).order_by("id")]


def actions(doc: Document) -> list[str]:
    entries = AuditEntry.objects.filter(target_type="document", target_id=str(doc.pk))
    return [e.action for e in entries.order_by("id")]


def short(entries: list[dict]) -> list[tuple[str, str, str, str, str]]:
    return [(e["kind"], e["masked"], e["where"], e["severity"], e["file"]) for e in entries]


def refused(message: str):
    return pytest.raises(DocumentError, match="^" + re.escape(message) + "$")


# --- the clean path --------------------------------------------------------------------------


def test_a_clean_text_goes_from_draft_to_published(w):
    doc = draft(w)
    doc = document_submit(actor=w.registrar, document=doc)
    assert doc.review_state == S.SECRECY
    doc = secrecy_review(actor=w.secrecy, document=doc, passed=True, note="不涉密")
    assert doc.review_state == S.SIGN_OFF
    doc = document_publish(actor=w.head, document=doc)
    doc.refresh_from_db()
    assert doc.review_state == S.PUBLISHED
    assert doc.published_on == TODAY
    assert (doc.validity, doc.validity_since) == (Validity.IN_FORCE, date(2024, 3, 1))
    assert steps(doc) == [
        ("submit", True),
        ("secrecy", True),
        ("scan", True),
        ("sign_off", True),
        ("publish", True),
    ]
    assert actions(doc) == [
        "document.submitted",
        "document.secrecy_reviewed",
        "document.scanned",
        "document.signed_off",
        "document.published",
    ]
    scan = ReviewStep.objects.get(document=doc, kind="scan")
    assert (scan.note, scan.hits) == ("未发现须处理的个人信息", [])


def test_publication_may_be_dated_back_but_not_forward_nor_before_written(w):
    doc = draft(w, review_state=S.SIGN_OFF)
    with refused("发布日期（2025-06-17）不能晚于今天（2025-06-16）"):
        document_publish(actor=w.head, document=doc, day=date(2025, 6, 17))
    with refused("发布日期（2024-02-29）不能早于成文日期（2024-03-01）"):
        document_publish(actor=w.head, document=doc, day=date(2024, 2, 29))
    doc = document_publish(actor=w.head, document=doc, day=date(2024, 3, 5))
    assert doc.published_on == date(2024, 3, 5)


def test_a_text_not_yet_in_force_is_published_as_such(w):
    doc = draft(w, review_state=S.SIGN_OFF, effective_on=date(2025, 7, 1))
    doc = document_publish(actor=w.head, document=doc)
    doc.refresh_from_db()
    assert (doc.validity, doc.validity_since) == (Validity.NOT_YET_IN_FORCE, None)


# --- the scan, the basis, return and rescan ------------------------------------------------


def test_blocking_hits_stop_at_the_scan_then_a_basis_lets_it_through(w):
    doc = draft(w, PERSONAL, review_state=S.SECRECY)
    doc = secrecy_review(actor=w.secrecy, document=doc, passed=True)
    assert doc.review_state == S.SCAN
    scan = ReviewStep.objects.get(document=doc, kind="scan")
    assert scan.passed is False
    assert short(scan.hits) == [
        ("name", "张*", "正文第1行第4列", "warn", ""),
        ("resident_id", "3702**********1237", "正文第1行第12列", "block", ""),
        ("mobile", "139****5678", "正文第2行第5列", "block", ""),
    ]
    assert [h["label"] for h in scan.hits] == ["疑似个人姓名", "居民身份证号码", "手机号码"]
    assert scan.note == "发现须处理的个人信息2处，疑似个人姓名1处（请核实）"
    assert "370202199001011237" not in str(scan.hits) and "13912345678" not in str(scan.hits)
    entry = AuditEntry.objects.get(action="document.scanned", target_id=str(doc.pk))
    assert entry.data == {"blocking": 2, "warnings": 1, "notes": 0}

    with refused(
        "该文件当前为“个人信息核查”，不能签发：个人信息扫描发现须处理的信息，须先记录公开依据或退回修改"
    ):
        document_publish(actor=w.head, document=doc)
    with refused("请写明公开依据的具体内容（如法律法规的条款、权利人同意的书面材料）"):
        basis_record(actor=w.head, document=doc, basis=LegalBasis.CONSENT, note=" ")
    with pytest.raises(
        DocumentError, match="^" + re.escape("公开依据“kindness”无效，应为以下之一：惩戒公示")
    ):
        basis_record(actor=w.head, document=doc, basis="kindness", note="x")
    doc = basis_record(
        actor=w.head, document=doc, basis=LegalBasis.CONSENT, note="张三2025年6月10日书面同意"
    )
    assert doc.review_state == S.SIGN_OFF
    basis = ReviewStep.objects.get(document=doc, kind="basis")
    assert (basis.basis, basis.note, basis.hits) == (
        "consent",
        "张三2025年6月10日书面同意",
        scan.hits,
    )
    doc = document_publish(actor=w.head, document=doc)
    assert doc.review_state == S.PUBLISHED
    assert steps(doc) == [
        ("secrecy", True),
        ("scan", False),
        ("basis", True),
        ("sign_off", True),
        ("publish", True),
    ]
    assert actions(doc)[-3:] == [
        "document.basis_recorded",
        "document.signed_off",
        "document.published",
    ]


def test_returned_for_correction_then_submitted_and_scanned_again(w):
    doc = draft(w, PERSONAL, review_state=S.SECRECY)
    doc = secrecy_review(actor=w.secrecy, document=doc, passed=True)
    with refused("请写明退回的理由和需要修改的内容"):
        document_return(actor=w.secrecy, document=doc, note="")
    doc = document_return(actor=w.secrecy, document=doc, note="请删除身份证号码和手机号码")
    assert doc.review_state == S.RETURNED
    doc = registry.document_update(
        actor=w.registrar, document=doc, text="申请人张*，身份证号码3702**********1237。"
    )
    doc = document_submit(actor=w.registrar, document=doc)
    doc = secrecy_review(actor=w.head, document=doc, passed=True)
    assert doc.review_state == S.SIGN_OFF
    scans = ReviewStep.objects.filter(document=doc, kind="scan").order_by("id")
    assert [(s.passed, len(s.hits)) for s in scans] == [(False, 3), (True, 0)]
    assert steps(doc) == [
        ("secrecy", True),
        ("scan", False),
        ("return", False),
        ("submit", True),
        ("secrecy", True),
        ("scan", True),
    ]
    assert "document.returned" in actions(doc)


def test_a_text_may_be_returned_from_sign_off_too(w):
    doc = draft(w, review_state=S.SIGN_OFF)
    doc = document_return(actor=w.head, document=doc, note="标题有误")
    assert doc.review_state == S.RETURNED
    returned = AuditEntry.objects.get(action="document.returned", target_id=str(doc.pk))
    assert returned.message == "《关于规范校服管理的通知》退回修改：标题有误"


def test_failed_secrecy_review_returns_the_text_with_the_opinion(w):
    doc = draft(w, review_state=S.SECRECY)
    with refused("保密审查未通过时请写明意见"):
        secrecy_review(actor=w.secrecy, document=doc, passed=False)
    doc = secrecy_review(actor=w.secrecy, document=doc, passed=False, note="第三段涉及工作秘密")
    assert doc.review_state == S.RETURNED
    assert steps(doc) == [("secrecy", False)]  # no scan of a text that failed
    entry = AuditEntry.objects.get(action="document.secrecy_reviewed", target_id=str(doc.pk))
    assert entry.message == "《关于规范校服管理的通知》保密审查未通过：第三段涉及工作秘密"
    assert entry.data == {"passed": False}


def test_warnings_alone_do_not_block(w):
    doc = draft(w, "感谢王建国同志的来信。", review_state=S.SECRECY)
    doc = secrecy_review(actor=w.secrecy, document=doc, passed=True)
    assert doc.review_state == S.SIGN_OFF
    scan = ReviewStep.objects.get(document=doc, kind="scan")
    assert scan.passed is True
    assert short(scan.hits) == [("name", "王*国", "正文第1行第3列", "warn", "")]


def test_the_title_is_scanned(w):
    doc = draft(w, title="关于13912345678来电反映问题的答复", review_state=S.SECRECY)
    assert short(scan_for(doc)) == [("mobile", "139****5678", "标题", "block", "")]


def test_publishing_rescans_and_refuses_what_no_basis_covers(w):
    """A text put in 待签发 some other way (here directly) is scanned again on sign-off."""
    doc = draft(w, PERSONAL, review_state=S.SIGN_OFF)
    with refused(
        "《关于规范校服管理的通知》在个人信息扫描后有变化，发现须处理的个人信息："
        "居民身份证号码 3702**********1237（正文第1行第12列）；"
        "手机号码 139****5678（正文第2行第5列）；"
        "请退回修改后重新提交审查"
    ):
        document_publish(actor=w.head, document=doc)
    assert Document.objects.get(pk=doc.pk).review_state == S.SIGN_OFF
    assert steps(doc) == []


# --- the agency's own contacts and attachments ---------------------------------------------


def test_the_agencys_published_contacts_are_allowed(w):
    w.d1.phone = "0531-86051234、12345"
    w.d1.address = "测试市历下区解放路100号"
    w.d1.save()
    RegistrySettings.objects.create(
        agency=w.d1,
        allowed_contacts="监督电话：0531-86059999\n邮箱：jyj_xxgk@163.com\n"
        "受理地址：测试市历下区经十路200号\n\n",
    )
    body = (
        "咨询电话：0531-86051234，监督电话：0531 8605 9999，邮箱：JYJ_XXGK@163.com。\n"
        "地址：测试市历下区解放路100号；来访请到经十路200号。\n"
        "其他电话0531-88776655。"
    )
    doc = draft(w, body)
    assert short(scan_for(doc)) == [("landline", "0531-******55", "正文第3行第5列", "block", "")]
    allow = allow_list_for(w.d1)
    assert allow.phones == frozenset({"053186051234", "12345", "053186059999"})
    assert allow.emails == frozenset({"jyj_xxgk@163.com"})
    assert allow.addresses == ("测试市历下区经十路200号", "测试市历下区解放路100号")


def _docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attach(doc: Document, name: str, data: bytes) -> Attachment:
    att = Attachment(document=doc, name=name, content_type="", size=len(data), sha256="0" * 64)
    att.file.save(name, ContentFile(data), save=False)
    att.save()
    return att


def test_attachments_are_scanned_and_an_unreadable_one_gives_a_note(w):
    doc = draft(w)
    attach(doc, "名单.docx", _docx("拟表彰人员名单", "联系电话：13912345678"))
    attach(doc, "扫描件.pdf", b"%PDF-1.4 broken")
    attach(doc, "正式文本.ofd", b"PK\x03\x04ofd")
    entries = scan_for(doc)
    assert short(entries) == [
        ("mobile", "139****5678", "第2段", "block", "名单.docx"),
        ("unreadable", "", "", "note", "扫描件.pdf"),
        ("unreadable", "", "", "note", "正式文本.ofd"),
    ]
    assert entries[2]["explanation"] == (
        "正式文本.ofd：不支持的文件类型“.ofd”，可审查 .docx、.pdf、.txt；"
        "请人工核查其中是否有个人信息"
    )
    assert entries[1]["explanation"].startswith("扫描件.pdf：")


def test_a_missing_stored_file_gives_a_note(w):
    doc = draft(w)
    att = attach(doc, "缺失.docx", _docx("x"))
    att.file.storage.delete(att.file.name)
    (entry,) = scan_for(doc)
    assert (entry["severity"], entry["file"]) == ("note", "缺失.docx")
    assert (
        entry["explanation"]
        == "缺失.docx：文件无法读取（FileNotFoundError）；请人工核查其中是否有个人信息"
    )


def test_notes_alone_do_not_block_but_are_recorded(w):
    doc = draft(w, review_state=S.SECRECY)
    attach(doc, "正式文本.ofd", b"PK\x03\x04ofd")
    doc = secrecy_review(actor=w.secrecy, document=doc, passed=True)
    assert doc.review_state == S.SIGN_OFF
    scan = ReviewStep.objects.get(document=doc, kind="scan")
    assert scan.note == "未发现须处理的个人信息，1处未能扫描（请人工核查）"


# --- disclosure --------------------------------------------------------------------------------


def test_a_text_disclosed_on_request_is_never_published(w):
    doc = draft(w, disclosure=Disclosure.ON_REQUEST)
    message = (
        "《关于规范校服管理的通知》的公开属性为“依申请公开”，不能主动发布：依申请公开的信息只向"
        "申请人提供（《中华人民共和国政府信息公开条例》第二十七条）；"
        "如应主动公开，请先将公开属性改为“主动公开”"
    )
    with refused(message):
        document_submit(actor=w.registrar, document=doc)
    Document.objects.filter(pk=doc.pk).update(review_state=S.SIGN_OFF)
    with refused(message):
        document_publish(actor=w.head, document=doc)


def test_a_text_not_to_be_disclosed_is_never_published(w):
    doc = draft(w, disclosure=Disclosure.NOT_PUBLIC, not_public_reason="内部事务信息")
    with refused(
        "《关于规范校服管理的通知》的公开属性为“不予公开”（理由：内部事务信息），不能发布"
        "（《中华人民共和国政府信息公开条例》第十四条至第十六条）"
    ):
        document_submit(actor=w.registrar, document=doc)


def test_an_empty_text_is_not_submitted(w):
    doc = draft(w, "")
    with refused("《关于规范校服管理的通知》没有正文也没有附件，请填写正文或上传附件后再提交"):
        document_submit(actor=w.registrar, document=doc)
    attach(doc, "正文.docx", _docx("通知正文"))
    assert document_submit(actor=w.registrar, document=doc).review_state == S.SECRECY


# --- take-down ----------------------------------------------------------------------------


def test_take_down_is_audited_with_its_reason(w):
    doc = draft(w, review_state=S.PUBLISHED, published_on=date(2025, 3, 1))
    with refused("请填写撤下的理由"):
        document_take_down(actor=w.head, document=doc, reason="  ")
    doc = document_take_down(actor=w.head, document=doc, reason="附件含有个人手机号码")
    assert doc.review_state == S.TAKEN_DOWN
    assert steps(doc) == [("take_down", True)]
    entry = AuditEntry.objects.get(action="document.taken_down", target_id=str(doc.pk))
    assert entry.message == "《关于规范校服管理的通知》撤下：附件含有个人手机号码"
    assert entry.data == {"published_on": "2025-03-01"}
    assert entry.actor == w.head
    with refused("该文件当前为“已撤下”，不能撤下：只有已发布的文件才能撤下"):
        document_take_down(actor=w.head, document=doc, reason="再撤")


# --- a revision --------------------------------------------------------------------------------


def test_publishing_a_revision_marks_the_earlier_text_revised(w):
    old = text(w.d1, title="校服管理办法", written_on=date(2023, 1, 5))
    new = draft(
        w,
        title="校服管理办法（2025年修订）",
        revises=old,
        written_on=date(2025, 6, 1),
        effective_on=date(2025, 6, 10),
        review_state=S.SIGN_OFF,
    )
    document_publish(actor=w.head, document=new)
    old.refresh_from_db()
    assert (old.validity, old.validity_since) == (Validity.REVISED, TODAY)
    (change,) = old.validity_changes.all()
    assert (change.day, change.decision_title) == (TODAY, "校服管理办法（2025年修订）")


# --- who may take which step, and from which state ------------------------------------------

DRAFTERS = "只有本机关的公开工作机构负责人、登记员可以"
REVIEWERS = "只有本机关的保密审查员、公开工作机构负责人可以"
HEADS = "只有本机关的公开工作机构负责人可以"


def _run(step: str, actor, doc: Document):
    if step == "submit":
        return document_submit(actor=actor, document=doc)
    if step == "secrecy":
        return secrecy_review(actor=actor, document=doc, passed=True)
    if step == "basis":
        return basis_record(actor=actor, document=doc, basis=LegalBasis.SANCTION, note="依法公示")
    if step == "publish":
        return document_publish(actor=actor, document=doc)
    if step == "return":
        return document_return(actor=actor, document=doc, note="请修改")
    return document_take_down(actor=actor, document=doc, reason="不当公开")


START = {
    "submit": S.DRAFT,
    "secrecy": S.SECRECY,
    "basis": S.SCAN,
    "publish": S.SIGN_OFF,
    "return": S.SCAN,
    "take_down": S.PUBLISHED,
}
RESULT = {
    "submit": S.SECRECY,
    "secrecy": S.SIGN_OFF,
    "basis": S.SIGN_OFF,
    "publish": S.PUBLISHED,
    "return": S.RETURNED,
    "take_down": S.TAKEN_DOWN,
}


@pytest.mark.parametrize(
    ("step", "who", "allowed", "message"),
    [
        ("submit", "registrar", True, ""),
        ("submit", "head", True, ""),
        ("submit", "secrecy", False, DRAFTERS + "提交文件审查"),
        ("submit", "registrar2", False, DRAFTERS + "提交文件审查"),
        ("submit", "supervisor", False, DRAFTERS + "提交文件审查"),
        ("secrecy", "secrecy", True, ""),
        ("secrecy", "head", True, ""),
        ("secrecy", "registrar", False, REVIEWERS + "进行保密审查"),
        ("basis", "head", True, ""),
        ("basis", "secrecy", False, HEADS + "记录个人信息公开依据"),
        ("basis", "registrar", False, HEADS + "记录个人信息公开依据"),
        ("publish", "head", True, ""),
        ("publish", "secrecy", False, HEADS + "签发和发布文件"),
        ("publish", "registrar", False, HEADS + "签发和发布文件"),
        ("publish", "head2", False, HEADS + "签发和发布文件"),
        ("return", "head", True, ""),
        ("return", "secrecy", True, ""),
        ("return", "registrar", False, REVIEWERS + "退回文件"),
        ("take_down", "head", True, ""),
        ("take_down", "registrar", False, HEADS + "撤下已发布的文件"),
        ("take_down", "outsider", False, HEADS + "撤下已发布的文件"),
    ],
)
def test_who_may_take_each_step(w, step, who, allowed, message):
    doc = draft(w, review_state=START[step])
    if allowed:
        assert _run(step, getattr(w, who), doc).review_state == RESULT[step]
    else:
        with refused(message):
            _run(step, getattr(w, who), doc)
        assert Document.objects.get(pk=doc.pk).review_state == START[step]
        assert not ReviewStep.objects.filter(document=doc).exists()


@pytest.mark.parametrize(
    ("step", "state", "message"),
    [
        ("submit", S.SECRECY, "该文件当前为“待保密审查”，不能提交审查：该文件已在审查中"),
        (
            "submit",
            S.PUBLISHED,
            "该文件当前为“已发布”，不能提交审查：已发布的文件不能修改，如需修改请制作修订版本",
        ),
        ("secrecy", S.DRAFT, "该文件当前为“草稿”，不能进行保密审查：须先提交审查"),
        ("secrecy", S.SIGN_OFF, "该文件当前为“待签发”，不能进行保密审查：保密审查已经完成"),
        (
            "basis",
            S.SIGN_OFF,
            "该文件当前为“待签发”，不能记录公开依据：个人信息扫描没有待处理的信息",
        ),
        ("publish", S.DRAFT, "该文件当前为“草稿”，不能签发：须先通过保密审查和个人信息扫描"),
        (
            "publish",
            S.SECRECY,
            "该文件当前为“待保密审查”，不能签发：须先通过保密审查和个人信息扫描",
        ),
        ("publish", S.PUBLISHED, "该文件当前为“已发布”，不能签发：该文件已经发布"),
        (
            "publish",
            S.TAKEN_DOWN,
            "该文件当前为“已撤下”，不能签发：该文件已撤下，如需重新发布请新建文件",
        ),
        (
            "return",
            S.SECRECY,
            "该文件当前为“待保密审查”，不能退回：待保密审查的文件请在保密审查中作出“不通过”的决定",
        ),
        ("return", S.PUBLISHED, "该文件当前为“已发布”，不能退回：已发布的文件只能撤下"),
        ("take_down", S.SIGN_OFF, "该文件当前为“待签发”，不能撤下：只有已发布的文件才能撤下"),
    ],
)
def test_a_step_in_the_wrong_state_names_the_state(w, step, state, message):
    doc = draft(w, review_state=state)
    with refused(message):
        _run(step, w.head, doc)
    assert Document.objects.get(pk=doc.pk).review_state == state
    assert not ReviewStep.objects.filter(document=doc).exists()
    assert actions(doc) == []
