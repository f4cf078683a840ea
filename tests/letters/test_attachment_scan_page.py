"""The case page shows the office, before the reply is released (已答复送达, or sent again after
returned mail), the personal-information scan of the reply attachments — masked, with file and
place — and lets the registrar or the head record a basis for releasing them
(《中华人民共和国政府信息公开条例》第十五条).

370202199001011237 is a valid ID number (check digit worked out in tests/core/test_pii.py);
a second one comes from ``tests.factories.resident_id``.
"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Case
from gongkai.cases.services import (
    ItemInput,
    attachment_add,
    case_approve,
    case_draft_reply,
    case_mark_replied,
    case_secrecy_review,
)
from gongkai.core.outcomes import Outcome
from gongkai.letters import services as ls
from tests.factories import register, resident_id

pytestmark = pytest.mark.django_db

RAW_ID = "370202199001011237"
RAW_MOBILE = "13912345678"
LEAK = [
    "关于房屋征收补偿情况的说明",
    f"被征收人李四，联系电话{RAW_MOBILE}。",
    f"身份证号码{RAW_ID}",
]
ID_EXPLANATION = "完整的居民身份证号码属于个人信息，公开前应删除或打码（如3702**********1234）"
MOBILE_EXPLANATION = "个人手机号码不应公开，应删除或打码（如138****5678）"
OWN = "申请人本人的信息（不属于条例第十五条所称第三方的个人隐私）"
ROLE_REFUSAL = "只有受理机关的登记员或公开工作机构负责人可以记录答复附件的公开依据"


def _docx(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attach(w, case: Case, name: str, data: bytes, kind: str = "letter"):
    return attachment_add(
        actor=w.registrar, case=case, kind=kind, upload=SimpleUploadedFile(name, data)
    )


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


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, case) -> str:
    response = client_for(user).get(reverse("cases:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def scan_section(body: str):
    """The scan part of the letters panel, or None when the page has none."""
    found = html.fromstring(body).xpath('//section[@id="reply-scan"]')
    return found[0] if found else None


def text(node) -> str:
    return " ".join(node.text_content().split())


def hit_rows(section) -> list[tuple[str, ...]]:
    return [
        tuple(text(td) for td in tr.xpath("./td")) for tr in section.xpath(".//table//tbody/tr")
    ]


def post_basis(user, case, **data: str):
    return client_for(user).post(
        reverse("letters:reply_basis", args=[case.pk]),
        {f"reply_basis-{k}": v for k, v in data.items()},
    )


def flashed(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def scans() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="letter.attachment_scanned").order_by("id"))


def test_the_page_shows_the_hits_masked_and_never_the_raw_values(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    body = page(w.registrar, case)
    section = scan_section(body)
    assert text(section.xpath('.//p[@id="reply-scan-result"]')[0]) == (
        "已扫描答复附件 1 件：发现须处理的个人信息 2 处。"
    )
    assert hit_rows(section) == [
        ("手机号码", "139****5678", "补偿说明.docx", "第2段", f"须处理{MOBILE_EXPLANATION}"),
        (
            "居民身份证号码",
            "3702**********1237",
            "补偿说明.docx",
            "第3段",
            f"须处理{ID_EXPLANATION}",
        ),
    ]
    assert "须先删除或打码后重新上传，或记录公开依据，才能发出答复。" in text(section)
    form = section.xpath(
        './/form[@action="{}"]'.format(reverse("letters:reply_basis", args=[case.pk]))
    )
    assert len(form) == 1
    options = form[0].xpath('.//select[@name="reply_basis-basis"]/option')
    assert [o.get("value") for o in options] == [
        "",
        "applicant_own",
        "consent",
        "public_interest",
        "mandatory",
    ]
    assert form[0].xpath('.//textarea[@name="reply_basis-note"]')
    assert RAW_ID not in body and RAW_MOBILE not in body
    assert "3702**********1237" in body
    # strict CSP: nothing inline in the panel's part
    part = html.tostring(section, encoding="unicode")
    assert "style=" not in part and "<script" not in part and "onclick" not in part
    assert '<link rel="stylesheet" href="/static/letters/scan.css">' in body


def test_the_head_sees_the_same_scan_with_a_factory_id(w, case):
    rid = resident_id(3)
    attach(w, case, "名单.docx", _docx("领取人名单", f"王五 {rid}"))
    body = page(w.head, case)
    rows = hit_rows(scan_section(body))
    masked = rid[:4] + "*" * 10 + rid[-4:]
    assert ("居民身份证号码", masked, "名单.docx", "第2段", f"须处理{ID_EXPLANATION}") in rows
    assert rid not in body


def test_the_basis_form_records_and_then_the_release_passes(w, case):
    att = attach(w, case, "补偿说明.docx", _docx(*LEAK))
    office = client_for(w.registrar)
    act = reverse("cases:act", args=[case.pk, "mark_replied"])

    refused = office.post(act, {"mark_replied-method": ""})
    assert refused.status_code == 400
    assert "答复附件中发现须处理的个人信息：手机号码 139****5678（补偿说明.docx，第2段）" in (
        refused.content.decode()
    )

    response = post_basis(w.registrar, case, basis="applicant_own", note="")
    assert response.status_code == 302 and response.url == reverse("cases:case", args=[case.pk])
    assert flashed(response) == [("success", f"已记录答复附件的公开依据：{OWN}。可以发出答复")]
    (entry,) = scans()
    assert (entry.target_type, entry.target_id, entry.actor) == ("case", str(case.pk), w.registrar)
    assert entry.data["basis"] == "applicant_own"
    assert entry.data["files"] == [[att.pk, att.sha256]]

    section = scan_section(page(w.registrar, case))
    assert text(section.xpath('.//p[@id="reply-scan-basis"]')[0]) == (
        f"已记录公开依据：{OWN}。可以发出答复；如增加、更换或删除答复附件，须重新记录依据。"
    )
    assert not section.xpath(".//form")

    done = office.post(act, {"mark_replied-method": ""})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "replied"
    assert [e.target_type for e in scans()] == ["case", "letter"]
    # released and delivered: nothing left to check on the page
    assert scan_section(page(w.registrar, case)) is None


def test_a_basis_with_its_note_shows_the_note(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    response = post_basis(w.head, case, basis="consent", note="李四2025年6月10日书面同意")
    assert flashed(response) == [
        (
            "success",
            "已记录答复附件的公开依据：第三方书面同意公开（条例第十五条、第三十二条）。可以发出答复",
        )
    ]
    section = scan_section(page(w.head, case))
    assert text(section.xpath('.//p[@id="reply-scan-basis"]')[0]) == (
        "已记录公开依据：第三方书面同意公开（条例第十五条、第三十二条）（李四2025年6月10日书面同意）。"
        "可以发出答复；如增加、更换或删除答复附件，须重新记录依据。"
    )


def test_a_new_file_after_the_basis_brings_the_form_back(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    post_basis(w.registrar, case, basis="applicant_own")
    attach(w, case, "补充说明.docx", _docx("另一联系人电话13700137000"))
    section = scan_section(page(w.registrar, case))
    assert text(section.xpath('.//p[@id="reply-scan-result"]')[0]) == (
        "已扫描答复附件 2 件：发现须处理的个人信息 3 处。"
    )
    assert not section.xpath('.//p[@id="reply-scan-basis"]')
    assert len(section.xpath(".//form")) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"basis": "", "note": ""}, "请选择公开依据"),
        ({"basis": "friendship", "note": ""}, "公开依据“friendship”无效，请从列表中选择"),
        (
            {"basis": "consent", "note": "  "},
            "请写明依据的具体内容（如第三方同意的书面材料、法律法规的条款）",
        ),
        (
            {"basis": "mandatory", "note": "长" * 501},
            "依据说明不能超过500个字（现为501个）",
        ),
    ],
)
def test_bad_input_is_a_form_error_in_chinese(w, case, data, message):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    response = post_basis(w.registrar, case, **data)
    assert response.status_code == 302
    assert flashed(response) == [("error", message)]
    assert scans() == []


def test_no_basis_is_recorded_without_personal_information(w, case):
    attach(w, case, "答复附件.docx", _docx("政策文件全文"))
    response = post_basis(w.registrar, case, basis="applicant_own")
    assert flashed(response) == [("error", "答复附件中没有须处理的个人信息，无需记录依据")]
    assert scans() == []


@pytest.mark.parametrize("who", ["secrecy", "supervisor"])
def test_a_wrong_role_sees_no_scan_and_is_refused(w, case, who):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    user = getattr(w, who)
    body = page(user, case)
    assert scan_section(body) is None
    assert RAW_ID not in body and "3702**********1237" not in body
    response = post_basis(user, case, basis="applicant_own")
    assert response.status_code == 302
    assert flashed(response) == [("error", ROLE_REFUSAL)]
    assert scans() == []


def test_another_agency_gets_not_found(w, case):
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    assert post_basis(w.registrar2, case, basis="applicant_own").status_code == 404
    assert scans() == []


def test_the_basis_view_takes_only_post(w, case):
    response = client_for(w.registrar).get(reverse("letters:reply_basis", args=[case.pk]))
    assert response.status_code == 405


def test_a_clean_attachment_shows_no_hit_to_handle_and_no_form(w, case):
    attach(w, case, "答复附件.docx", _docx("政策文件全文", "感谢王建国同志的来信"))
    attach(w, case, "承办意见.docx", _docx(f"经办人电话{RAW_MOBILE}"), kind="opinion")
    body = page(w.registrar, case)
    section = scan_section(body)
    assert text(section.xpath('.//p[@id="reply-scan-result"]')[0]) == (
        "已扫描答复附件 1 件：未发现须处理的个人信息。"
    )
    assert hit_rows(section) == [
        (
            "疑似个人姓名",
            "王*国",
            "答复附件.docx",
            "第2段",
            "请核查疑似个人姓名，请核实：非惩戒公示、强制性披露的内容中个人姓名应隐去（如张*）",
        )
    ]
    assert not section.xpath(".//form") and "才能发出答复" not in text(section)
    assert RAW_MOBILE not in body  # the opinion is not a reply attachment, nor shown


def test_an_unreadable_attachment_is_a_note_to_check_by_hand(w, case):
    attach(w, case, "扫描件.docx", b"PK\x03\x04 broken")
    section = scan_section(page(w.registrar, case))
    ((label, masked, file, where, handling),) = hit_rows(section)
    assert (label, masked, file, where) == ("未能扫描", "—", "扫描件.docx", "—")
    assert handling.startswith("未能扫描扫描件.docx：") and handling.endswith(
        "请人工核查其中是否有个人信息"
    )


def test_without_reply_attachments_the_page_says_so(w, case):
    section = scan_section(page(w.registrar, case))
    assert text(section.xpath('.//p[@id="reply-scan-result"]')[0]) == (
        "尚无答复附件（“告知书/答复书”类材料），发出答复时无需扫描。"
    )
    assert not section.xpath(".//table")


def test_no_scan_before_the_reply_is_signed(w):
    case = register(w.registrar, w.d1)
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    assert scan_section(page(w.registrar, case)) is None


def test_sending_again_after_returned_mail_shows_the_scan_again(w, case):
    case_mark_replied(actor=w.registrar, case=case, method="post", tracking_number="EA1CN")
    assert scan_section(page(w.registrar, case)) is None  # in the post: nothing to release
    letter = case.letters.get(doc_type="reply_disclosed")
    ls.delivery_return(actor=w.registrar, delivery=letter.deliveries.get(), reason="查无此人")
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    section = scan_section(page(w.registrar, case))
    assert text(section.xpath('.//p[@id="reply-scan-result"]')[0]) == (
        "已扫描答复附件 1 件：发现须处理的个人信息 2 处。"
    )
    post_basis(w.registrar, case, basis="applicant_own")
    deliver = client_for(w.registrar).post(
        reverse("letters:deliver", args=[case.pk, letter.pk]),
        {f"d{letter.pk}-method": "in_person"},
    )
    assert flashed(deliver) == [("success", f"已登记送达：{letter.title}")]
    assert letter.deliveries.filter(delivered_on__isnull=False).count() == 1


def _tables(user, case) -> list[str]:
    """The first table each query of the case page reads."""
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cases:case", args=[case.pk])).status_code == 200
    return [re.search(r'FROM "(\w+)"', q["sql"])[1] for q in ctx.captured_queries]


def test_the_scan_adds_a_fixed_number_of_queries(w, case):
    before = _tables(w.registrar, case)
    # no reply attachment: the registry settings (the agency's own contacts) and the files
    assert before.count("documents_registrysettings") == 1
    assert before.count("cases_attachment") == 2  # the page's materials, the reply files
    attach(w, case, "补偿说明.docx", _docx(*LEAK))
    one = _tables(w.registrar, case)
    # with hits: also the basis recorded (the latest audit entry of the case)
    assert len(one) == len(before) + 1 and one.count("audit_auditentry") == 1
    for n in range(3):
        attach(w, case, f"附件{n}.docx", _docx(f"证件号码{resident_id(10 + n)}"))
    attach(w, case, "签收照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    assert _tables(w.registrar, case) == one
    # a reviewer's page runs no scan
    reviewer = _tables(w.secrecy, case)
    assert "documents_registrysettings" not in reviewer
    assert reviewer.count("cases_attachment") == 1
