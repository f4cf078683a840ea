"""The staff pages: each renders for each role, actions and errors, files, HTMX fragments."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Case
from gongkai.cases.services import case_assign
from tests.factories import register, resident_id

pytestmark = pytest.mark.django_db

PEOPLE = [
    "registrar",
    "head",
    "secrecy",
    "handler1",
    "handler3",
    "supervisor",
    "admin",
    "registrar2",
    "outsider",
]


@pytest.fixture
def case(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    case_assign(actor=w.registrar, case=c, unit=w.u1)
    return c


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_renders_for_every_role(client, w, case, person):
    user = getattr(w, person)
    login(client, user)
    assert client.get(reverse("cases:dashboard")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200
    sees = person in {"registrar", "head", "secrecy", "handler1", "supervisor"}
    page = client.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == (200 if sees else 404)
    if sees:
        assert case.number in page.content.decode()
        assert "张三明" not in page.content.decode()  # masked until asked for, and audited
    registers = person in {"registrar", "head", "registrar2"}
    assert client.get(reverse("cases:register")).status_code == (200 if registers else 404)
    handles = person in {"handler1", "handler3"}
    assert client.get(reverse("cases:inbox")).status_code == (200 if handles else 404)


def test_anonymous_is_sent_to_login(client, case):
    r = client.get(reverse("cases:case", args=[case.pk]))
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_register_form_validates_id_and_creates_case(client, w):
    login(client, w.registrar)
    data = {
        "agency": w.d1.pk,
        "channel": "in_person",
        "received_on": "2025-06-16",
        "applicant_kind": "natural_person",
        "applicant_name": "王五",
        "id_type": "resident_id",
        "id_number": "370202198506150001",
        "phone": "13912345678",
        "request_text": "某文件",
        "form_wanted": "paper",
        "delivery_wanted": "post",
    }
    r = client.post(reverse("cases:register"), data)
    assert r.status_code == 400 and "校验码" in r.content.decode()
    assert Case.objects.count() == 0
    r = client.post(reverse("cases:register"), {**data, "id_number": resident_id(7)})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("cases:case", args=[case.pk])


def test_action_success_and_refusal(client, w, case):
    login(client, w.head)
    url = reverse("cases:act", args=[case.pk, "extend"])
    r = client.post(url, {"extend-working_days": "5", "extend-reason": "档案多"})
    assert r.status_code == 302
    r = client.post(url, {"extend-working_days": "16", "extend-reason": "还要"})
    assert r.status_code == 400
    assert "超过第三十三条规定的最长 20 个工作日" in r.content.decode()
    login(client, w.registrar)
    r = client.post(reverse("cases:act", args=[case.pk, "approve"]), {})
    assert r.status_code == 400  # not offered to a registrar; refused with the reason
    assert "不能执行“审签”" in r.content.decode()


def test_handler_answers_assignment_from_the_case_page(client, w, case):
    login(client, w.handler1)
    a = case.assignments.get()
    r = client.post(
        reverse("cases:act", args=[case.pk, "answer_assignment"]),
        {"answer_assignment-assignment": a.pk, "answer_assignment-opinion": "可以公开"},
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.opinion == "可以公开"


def test_identity_reveal_is_audited(client, w, case):
    login(client, w.registrar)
    r = client.post(reverse("cases:identity", args=[case.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "张三明" in r.content.decode()
    assert AuditEntry.objects.filter(action="case.identity_viewed", actor=w.registrar).count() == 1
    login(client, w.supervisor)
    r = client.post(reverse("cases:identity", args=[case.pk]))
    assert r.status_code == 403


def test_upload_checks_type_and_download_checks_permission(client, w, case):
    login(client, w.registrar)
    url = reverse("cases:upload", args=[case.pk])
    bad = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(url, {"kind": "identity_proof", "file": bad})
    assert case.attachments.count() == 0
    good = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    r = client.post(url, {"kind": "identity_proof", "file": good})
    assert r.status_code == 302
    att = case.attachments.get()
    dl = reverse("cases:download", args=[case.pk, att.pk])
    assert b"".join(client.get(dl).streaming_content).startswith(b"%PDF-1.4")
    login(client, w.registrar2)
    assert client.get(dl).status_code == 404


def test_case_list_htmx_fragment_and_filters(client, w, case):
    login(client, w.registrar)
    r = client.get(reverse("cases:list"), {"q": "批复"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and case.number in body
    r = client.get(reverse("cases:list"), {"q": "没有这个"})
    assert case.number not in r.content.decode().split("申请列表", 2)[-1]


@pytest.mark.parametrize("page", ["cases:dashboard", "cases:list"])
def test_page_query_count_is_fixed(client, w, page, steady_calendar):
    login(client, w.registrar)
    register(w.registrar, w.d1, received_on=date(2025, 5, 6))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(page)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for day in (7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27):
        register(w.registrar, w.d1, received_on=date(2025, 5, day))
    assert count() == few


def test_not_found_page_is_in_chinese_and_leaks_nothing(client, w, case):
    login(client, w.registrar2)
    r = client.get(reverse("cases:case", args=[case.pk]))
    body = r.content.decode()
    assert r.status_code == 404 and "找不到该申请，或您无权查看" in body
    assert case.number not in body
