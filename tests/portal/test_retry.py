"""Correcting a form on the portal: after an error every value comes back with a new
question one can answer, the identity proof is kept for the session (or the page says
plainly that it must be chosen again), “返回修改” brings the application back filled in;
the done page says where the query code was also sent; the portal's own 404 page; the
reply letters as a printable page; and the office registering an online application in a
year whose annual report is already published."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import Client, override_settings

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Case
from gongkai.cases.services import case_mark_replied
from gongkai.portal import proofs, services, throttle
from gongkai.portal.models import Hit, OnlineApplication, SubmissionStatus
from gongkai.portal.templatetags.portal_format import file_size
from gongkai.reports.models import Amendment, AnnualReport, ReportScope, ReportSource, ReportStatus
from tests.factories import person, resident_id
from tests.portal.test_portal import (
    NAME,
    NUMERALS,
    PNG,
    REQUEST,
    TOKEN_RE,
    Question,
    apply_url,
    captcha_answer,
    field_error,
    form_data,
    pending_files,
    png,
    post_apply,
    reply_ready,
    signup,
    submit_direct,
)

pytestmark = pytest.mark.django_db

QUESTION_RE = re.compile(rf'<label for="id_captcha">验证问题：([{NUMERALS}])加([{NUMERALS}])等于几')
AGAIN = "出于安全原因，浏览器不能保留已选择的文件，请重新选择身份证明文件"


def question_of(body: str) -> Question:
    """The question a page asks in the captcha field's label, and its token."""
    m = QUESTION_RE.search(body)
    assert m, "no question in the label of the captcha field"
    return Question(
        NUMERALS.index(m[1]) + 1 + NUMERALS.index(m[2]) + 1, TOKEN_RE.search(body).group(1)
    )


def value_of(body: str, name: str) -> str:
    """The value an <input> of the page carries ("" when it has none)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
    m = re.search(r'value="([^"]*)"', tag)
    return m.group(1) if m else ""


def selected(body: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)


def textarea(body: str, name: str) -> str:
    return re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', body, re.S).group(1)


def kept_values(body: str) -> None:
    """What form_data() typed in is all on the page again."""
    assert value_of(body, "applicant_name") == NAME
    assert value_of(body, "phone") == "13812345678"
    assert value_of(body, "address") == "青岛市市南区香港中路1号"
    assert value_of(body, "postcode") == "266071"
    assert textarea(body, "request_text") == REQUEST
    assert selected(body, "applicant_kind") == "natural_person"
    assert selected(body, "id_type") == "resident_id"
    assert selected(body, "form_wanted") == "electronic"
    assert selected(body, "delivery_wanted") == "online"


# --- after an error: the values, a new question, the proof ---------------------------------


def test_after_an_error_values_come_back_with_a_new_question_and_the_proof_is_kept(client, w):
    first = captcha_answer(client, apply_url())
    bad_id = resident_id(1)[:-1] + ("0" if resident_id(1)[-1] != "0" else "1")
    r = client.post(
        apply_url(), form_data(id_number=bad_id, purpose="了解批复内容", **first.fields())
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert "身份证号码校验码错误" in field_error(body, "id_number")
    kept_values(body)
    assert value_of(body, "id_number") == bad_id  # shown as typed, to be corrected
    assert textarea(body, "purpose") == "了解批复内容"
    assert re.search(r'<input type="checkbox" name="consent"[^>]*checked', body)
    # A new question, in the label where it belongs; the old answer is not filled in.
    second = question_of(body)
    assert second.token != first.token
    assert value_of(body, "captcha") == ""
    # The proof passed the checks: kept for this session, not asked for again.
    assert f"已收到身份证明文件“身份证.png”（{len(PNG)} 字节）" in body
    assert '<label for="id_proof">身份证明</label>' in body  # no longer required
    assert AGAIN not in body
    kept = client.session["portal_proof"]
    assert default_storage.exists(kept["path"]) and kept["path"].startswith("portal/pending/")

    # Corrected, the new question answered, no file chosen again: on to the confirm page.
    data = form_data(purpose="了解批复内容", proof=None, **second.fields())
    r = client.post(apply_url(), data)
    assert r.status_code == 302, r.content.decode()
    app = OnlineApplication.objects.get()
    assert r["Location"] == f"/portal/apply/confirm/{app.pk}/"
    assert (app.id_number, app.purpose) == (resident_id(1), "了解批复内容")
    with app.proof.open("rb") as fh:
        assert fh.read() == PNG
    assert (app.proof_name, app.proof_size) == ("身份证.png", len(PNG))
    # The kept file was copied into the draft and is gone; the session forgets it.
    assert not default_storage.exists(kept["path"])
    assert "portal_proof" not in client.session
    # One upload, counted once.
    assert Hit.objects.filter(key=throttle._key(throttle.DRAFT_PER_IP, "127.0.0.1")).count() == 1


def test_a_wrong_answer_asks_a_new_question_and_says_which_field(client, w):
    first = captcha_answer(client, apply_url())
    r = client.post(apply_url(), form_data(**first.fields(first.answer + 1)))
    body = r.content.decode()
    assert r.status_code == 400
    assert "验证问题回答不正确" in field_error(body, "captcha")
    assert '<a href="#id_captcha">验证问题</a>' in body  # the summary names the field
    kept_values(body)
    second = question_of(body)
    assert second.token != first.token
    # A submission that failed the question keeps no file: the page says so plainly.
    assert AGAIN in body and "已收到身份证明文件" not in body
    assert "portal_proof" not in client.session
    r = client.post(apply_url(), form_data(**second.fields()))
    assert r.status_code == 302
    assert OnlineApplication.objects.count() == 1


def test_every_re_render_asks_again_and_the_last_question_is_the_one_that_counts(client, w):
    q = captcha_answer(client, apply_url())
    tokens = {q.token}
    for _ in range(3):  # three mistakes in a row, each time a new question
        r = client.post(apply_url(), form_data(postcode="2660", proof=None, **q.fields()))
        assert r.status_code == 400
        assert field_error(r.content.decode(), "postcode") == "邮政编码应为 6 位数字"
        q = question_of(r.content.decode())
        assert q.token not in tokens
        tokens.add(q.token)
    r = client.post(apply_url(), form_data(**q.fields()))
    assert r.status_code == 302


def test_a_new_file_replaces_the_kept_one(client, w):
    q = captcha_answer(client, apply_url())
    r = client.post(apply_url(), form_data(postcode="1", **q.fields()))
    first = client.session["portal_proof"]["path"]
    other = PNG + b"\x00"
    q = question_of(r.content.decode())
    r = client.post(
        apply_url(), form_data(postcode="1", proof=png("营业执照.png", other), **q.fields())
    )
    assert "已收到身份证明文件“营业执照.png”" in r.content.decode()
    assert not default_storage.exists(first)
    r = client.post(apply_url(), form_data(proof=None, **question_of(r.content.decode()).fields()))
    assert r.status_code == 302
    app = OnlineApplication.objects.get()
    assert app.proof_name == "营业执照.png"
    with app.proof.open("rb") as fh:
        assert fh.read() == other


def test_a_refused_file_is_not_kept_and_the_page_says_why(client, w):
    q = captcha_answer(client, apply_url())
    pdf_as_png = png("证件.png", b"%PDF-1.4\n%\n")
    before = pending_files()
    r = client.post(apply_url(), form_data(proof=pdf_as_png, **q.fields()))
    body = r.content.decode()
    assert r.status_code == 400
    assert "内容与扩展名 .png 不符" in field_error(body, "proof")
    assert AGAIN in body
    assert pending_files() == before and "portal_proof" not in client.session


def test_a_kept_proof_lasts_an_hour_and_leaves_with_the_session(client, w, pinned):
    q = captcha_answer(client, apply_url())
    client.post(apply_url(), form_data(postcode="1", **q.fields()))
    path = client.session["portal_proof"]["path"]
    pinned.shift(timedelta(minutes=61))
    r = client.get(apply_url())
    assert "已收到身份证明文件" not in r.content.decode()
    assert not default_storage.exists(path)
    # Sign-out forgets (and deletes) a kept proof too.
    q = captcha_answer(client, apply_url())
    client.post(apply_url(), form_data(postcode="1", **q.fields()))
    path = client.session["portal_proof"]["path"]
    client.post("/portal/account/logout/")
    assert not default_storage.exists(path) and "portal_proof" not in client.session


def test_a_kept_proof_is_only_this_sessions(client, w):
    q = captcha_answer(client, apply_url())
    client.post(apply_url(), form_data(postcode="1", **q.fields()))
    other = Client()
    q = captcha_answer(other, apply_url())
    r = other.post(apply_url(), form_data(proof=None, **q.fields()))
    assert r.status_code == 400
    assert field_error(r.content.decode(), "proof") == (
        "请上传身份证明（身份证、营业执照等的照片或扫描件）"
    )
    # A session that names a file outside the kept proofs' folder gets nothing.
    session = other.session
    session["portal_proof"] = {**client.session["portal_proof"], "path": "portal/2025/06/x.png"}
    session.save()
    assert proofs.kept(other.session) is None


def test_a_changed_kept_file_is_refused(w):
    kept = services.proof_keep(png(), ip="192.0.2.5")
    with default_storage.open(kept.path, "wb") as fh:
        fh.write(PNG + b"changed")
    with pytest.raises(services.ProofRefused, match="已保存的身份证明文件与上传时不一致"):
        services.submission_draft(
            agency=w.d1,
            applicant=person(1),
            request=services.Request(REQUEST, "electronic", "online"),
            proof=kept,
            ip="192.0.2.5",
        )
    assert OnlineApplication.objects.count() == 0


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 字节"), (71, "71 字节"), (1023, "1023 字节"), (1536, "1.5 KB"),
     (10 * 1024 * 1024, "10.0 MB")],
)  # fmt: skip
def test_sizes_are_written_the_same_whatever_the_browser_language(size, text):
    assert file_size(size) == text


# --- “返回修改” ---------------------------------------------------------------------------


def test_going_back_from_the_confirm_page_keeps_everything(client, w):
    r = post_apply(client, purpose="了解批复内容")
    draft = OnlineApplication.objects.get()
    page = client.get(r["Location"]).content.decode()
    assert "需重新填写" not in page
    assert f'href="/portal/apply/CSJY/?edit={draft.pk}">返回修改</a>' in page

    r = client.get(f"/portal/apply/CSJY/?edit={draft.pk}")
    body = r.content.decode()
    assert r.status_code == 200
    kept_values(body)
    assert value_of(body, "id_number") == resident_id(1)
    assert textarea(body, "purpose") == "了解批复内容"
    assert "已收到身份证明文件“身份证.png”" in body
    assert "您正在修改尚未提交的申请" in body

    # Change one thing and send it again (the form posts back to the same address).
    q = question_of(body)
    changed = form_data(request_text=REQUEST + "及附图", proof=None, **q.fields())
    r = client.post(f"/portal/apply/CSJY/?edit={draft.pk}", changed)
    assert r.status_code == 302
    new = OnlineApplication.objects.get()
    assert new.pk != draft.pk and new.request_text == REQUEST + "及附图"
    assert not default_storage.exists(draft.proof.name)  # the old draft went with its proof
    with new.proof.open("rb") as fh:
        assert fh.read() == PNG
    assert client.get(f"/portal/apply/confirm/{draft.pk}/").status_code == 404
    r = client.post(f"/portal/apply/confirm/{new.pk}/")
    assert r.status_code == 302 and r["Location"] == "/portal/done/"
    new.refresh_from_db()
    assert new.status == SubmissionStatus.SUBMITTED


def test_going_back_works_only_for_ones_own_draft(client, w):
    post_apply(client)
    draft = OnlineApplication.objects.get()
    other = Client()
    body = other.get(f"/portal/apply/CSJY/?edit={draft.pk}").content.decode()
    assert NAME not in body and resident_id(1) not in body and "身份证.png" not in body
    # Nor for another agency's form.
    body = client.get(f"/portal/apply/CSZR/?edit={draft.pk}").content.decode()
    assert NAME not in body


# --- sign-up --------------------------------------------------------------------------------


def test_signup_after_an_error_keeps_the_address_and_asks_a_new_question(client, w):
    r = signup(client, "li@example.com", password2="something-else-9")
    body = r.content.decode()
    assert r.status_code == 400
    assert field_error(body, "password2") == "两次输入的密码不一致"
    assert value_of(body, "email") == "li@example.com"
    assert value_of(body, "display_name") == "老张"
    assert value_of(body, "password") == "" and value_of(body, "password2") == ""
    assert "页面不会保留您输入的密码" in body
    q = question_of(body)
    password = "correct-horse-9"  # noqa: S105 - a test account's password
    r = client.post(
        "/portal/account/signup/",
        {"email": "li@example.com", "display_name": "老张", "password": password,
         "password2": password, **q.fields(), "website": ""},
    )  # fmt: skip
    assert r.status_code == 302 and r["Location"] == "/portal/account/"


def test_signup_short_password_is_named_at_its_field(client, w):
    r = signup(client, "li@example.com", password="short")  # noqa: S106
    body = r.content.decode()
    assert field_error(body, "password") == "密码至少 10 位"
    assert '<a href="#id_password">密码（至少 10 位）</a>' in body


# --- the done page: where the code was also sent -------------------------------------------

TEXTS: list[tuple[str, str]] = []


def fake_sms(phone: str, text: str) -> None:
    TEXTS.append((phone, text))


@pytest.mark.django_db(transaction=True)
@override_settings(GONGKAI_SMS_HOOK="tests.portal.test_retry.fake_sms")
def test_done_page_says_the_code_was_also_sent_by_email_and_sms(client, w, mailoutbox):
    TEXTS.clear()
    r = post_apply(client, email="zhang@example.com")
    client.post(r["Location"])
    body = client.get("/portal/done/").content.decode()
    code = re.search(r'<strong id="code">([A-Z0-9]{8})</strong>', body).group(1)
    assert (
        "提交编号和查询码已同时发送至您的电子邮箱 z***@example.com和您的手机 138****5678（短信）"
        in body
    )
    assert len(mailoutbox) == 1 and code in mailoutbox[0].body
    assert [("13812345678", TEXTS[0][1])] == TEXTS and code in TEXTS[0][1]


@pytest.mark.django_db(transaction=True)
def test_done_page_says_nothing_was_sent_when_nothing_was(client, w):
    r = post_apply(client, email="", phone="0532-8888888")
    client.post(r["Location"])
    body = client.get("/portal/done/").content.decode()
    assert 'id="code-sent"' not in body
    assert "也没有通过邮件或短信发送，请现在记下或截图保存" in body


# --- the portal's own 404 -------------------------------------------------------------------


def test_portal_404_is_the_portals_own(client, w):
    for url, message in (
        ("/portal/no-such-page/", "您访问的页面不存在"),
        ("/portal/apply/NOSUCH/", "您访问的页面不存在"),  # not "No Agency matches …"
        ("/portal/letters/999999/", "没有这份文书，或您无权查看"),
        ("/portal/reports/CSJY/2019/", "没有这份已发布的年度报告"),
        ("/portal/2025/06/abc.png", "您访问的页面不存在"),
    ):
        r = client.get(url)
        body = r.content.decode()
        assert r.status_code == 404, url
        assert message in body, url
        assert '<a href="/portal/">返回申请平台首页</a>' in body, url
        assert "返回工作台" not in body and "No " not in body, url
        assert 'class="portal"' in body  # the portal's layout
    # An address missing its "/" is still sent to the page.
    r = client.get("/portal/status?x=1")
    assert r.status_code == 301 and r["Location"] == "/portal/status/?x=1"
    # Staff addresses keep the staff site's page.
    assert client.get("/no-such-page/").status_code == 404


# --- reply letters: a printable page --------------------------------------------------------


def test_letters_can_be_printed_or_saved_as_pdf(client, w):
    app, code = submit_direct(w.d1)
    client.force_login(w.registrar)
    client.post(f"/online/{app.pk}/", {"register": "1"})
    case = Case.objects.get()
    reply_ready(case, w)
    case_mark_replied(actor=w.registrar, case=case)
    reply = case.letters.get(doc_type__startswith="reply_")
    applicant = Client()
    applicant.post("/portal/status/", {"number": app.number, "code": code})
    body = applicant.get(f"/portal/status/{app.number}/").content.decode()
    assert f'<a href="/portal/letters/{reply.pk}/">查看、打印或保存为 PDF' in body
    assert "另存为 PDF" in body
    page = applicant.get(f"/portal/letters/{reply.pk}/").content.decode()
    # The letters' own print view (A4, GB/T 9704 layout), its print button wired by a file.
    assert "data-print" in page and "gongkai/print.js" in page and "gongkai/letter.css" in page
    assert "<script>" not in page and "onclick" not in page
    assert reply.number in page


# --- the office: registering into a published year ------------------------------------------


def published_report(agency, year: int) -> AnnualReport:
    """That year's report of ``agency``, published (as an import of the year's report
    leaves it)."""
    return AnnualReport.objects.create(
        agency=agency,
        year=year,
        scope=ReportScope.AGENCY,
        source=ReportSource.IMPORTED,
        status=ReportStatus.PUBLISHED,
    )


def test_registering_into_a_published_year_asks_for_the_amendment_reason(client, w):
    app, _ = submit_direct(w.d1)
    client.force_login(w.registrar)
    page = client.get(f"/online/{app.pk}/").content.decode()
    assert 'name="amend_reason"' not in page  # 2025 is open: nothing to ask

    published_report(w.d1, 2025)
    page = client.get(f"/online/{app.pk}/").content.decode()
    assert "本机关2025年度报告已发布" in page
    assert re.search(r'<form method="post" class="card" novalidate>.*?name="amend_reason".*?'
                     r'name="register"', page, re.S)  # fmt: skip

    # Without a reason: refused, saying what to do; the field is still there.
    r = client.post(f"/online/{app.pk}/", {"register": "1", "amend_reason": ""})
    assert r.status_code == 400
    body = r.content.decode()
    assert "2025年度报告已发布" in body and "年报更正理由" in body
    assert 'name="amend_reason"' in body
    assert Case.objects.count() == 0
    # A reason too long: refused at the field, what was typed kept.
    long = "收到日期核对" * 40
    r = client.post(f"/online/{app.pk}/", {"register": "1", "amend_reason": long})
    assert r.status_code == 400 and long in r.content.decode()
    assert "200" in r.content.decode()
    # With a reason: registered, and recorded as an amendment of 2025's figures.
    reason = "网上申请于年报发布后确认接收"
    r = client.post(f"/online/{app.pk}/", {"register": "1", "amend_reason": reason})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    amendment = Amendment.objects.get()
    assert (amendment.year, amendment.case, amendment.reason) == (2025, case, reason)
    assert AuditEntry.objects.filter(action="report.amendment").exists()
    app.refresh_from_db()
    assert app.status == SubmissionStatus.REGISTERED


def test_another_years_report_does_not_ask(client, w):
    app, _ = submit_direct(w.d1)
    published_report(w.d1, 2024)
    published_report(w.d2, 2025)  # another agency's
    client.force_login(w.registrar)
    assert 'name="amend_reason"' not in client.get(f"/online/{app.pk}/").content.decode()
    r = client.post(f"/online/{app.pk}/", {"register": "1"})
    assert r.status_code == 302
    assert not Amendment.objects.exists()
