"""The public portal, through its pages: applying (captcha, honeypot, uploads), the query
code and its throttle, what one applicant may see of another's case, the office's side and
the optional applicant accounts."""

from __future__ import annotations

import contextlib
import re
import struct
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from gongkai.audit.models import AuditEntry
from gongkai.cases import querycode
from gongkai.cases.models import AttachmentKind, Case
from gongkai.cases.services import (
    CaseError,
    ItemInput,
    case_approve,
    case_consult,
    case_draft_reply,
    case_mark_replied,
    case_secrecy_review,
    consultation_answer,
)
from gongkai.portal import services
from gongkai.portal.models import Hit, OnlineApplication, PortalAccount, SubmissionStatus
from tests.factories import person, register, resident_id

pytestmark = pytest.mark.django_db

NOT_FOUND = "申请编号或查询码不正确"
TOO_MANY = "查询过于频繁，请稍后再试"
NAME = "张三明"
REQUEST = "2025年某项目环境影响评价批复文件"
PASSWORD = "correct-horse-9"  # noqa: S105 - a test account's password
CODE_RE = re.compile(r'<strong id="code">([A-Z0-9]{8})</strong>')
NUMBER_RE = re.compile(r'<strong id="number">(WS\d{10})</strong>')


# --- helpers ---------------------------------------------------------------------------------


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A small but real PNG image (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = png_bytes()


def png(name: str = "身份证.png", data: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def form_data(seq: int = 1, **over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "applicant_kind": "natural_person",
        "applicant_name": NAME,
        "contact_person": "",
        "id_type": "resident_id",
        "id_number": resident_id(seq),
        "phone": "13812345678",
        "email": "",
        "address": "青岛市市南区香港中路1号",
        "postcode": "266071",
        "request_text": REQUEST,
        "purpose": "",
        "form_wanted": "electronic",
        "delivery_wanted": "online",
        "proof": png(),
        "consent": "on",
        "website": "",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


NUMERALS = "一二三四五六七八九"
TOKEN_RE = re.compile(r'name="captcha_token" value="([^"]+)"')


@dataclass(frozen=True)
class Question:
    """A captcha question as the page asks it: the sum and the signed token sent along."""

    answer: int
    token: str

    def fields(self, answer: object = None) -> dict[str, str]:
        """The form fields answering it (``answer``: something else than the right sum)."""
        given = self.answer if answer is None else answer
        return {"captcha": str(given), "captcha_token": self.token}


def captcha_answer(client: Client, url: str) -> Question:
    """Load ``url`` (a page with the question), read the question and its token."""
    r = client.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    m = re.search(rf"([{NUMERALS}])加([{NUMERALS}])等于几", body)
    assert m, body
    return Question(
        NUMERALS.index(m[1]) + 1 + NUMERALS.index(m[2]) + 1, TOKEN_RE.search(body).group(1)
    )


def apply_url(agency_code: str = "CSJY") -> str:
    return f"/portal/apply/{agency_code}/"


def post_apply(client: Client, agency_code: str = "CSJY", seq: int = 1, **over: object):
    question = captcha_answer(client, apply_url(agency_code))
    data = form_data(seq, **{**question.fields(), **over})
    return client.post(apply_url(agency_code), data)


def submit(client: Client, agency_code: str = "CSJY", seq: int = 1, **over: object):
    """Apply, confirm and read the done page: (number, code)."""
    r = post_apply(client, agency_code, seq, **over)
    assert r.status_code == 302, r.content.decode()
    r = client.post(r["Location"])
    assert r.status_code == 302 and r["Location"] == "/portal/done/"
    body = client.get("/portal/done/").content.decode()
    return NUMBER_RE.search(body).group(1), CODE_RE.search(body).group(1)


def submit_direct(agency, seq: int = 1, ip: str = "192.0.2.50", **kw: str):
    """An application made through the services (for tests about what comes after)."""
    app = services.submission_draft(
        agency=agency,
        applicant=person(seq, name=kw.pop("name", NAME)),
        request=services.Request(kw.pop("text", REQUEST), "electronic", "online"),
        proof=png(),
        account=kw.pop("account", None),
        ip=ip,
    )
    code = services.submission_confirm(app, ip=ip).code
    app.refresh_from_db()
    return app, code


def lookup(client: Client, number: str, code: str, ip: str = "127.0.0.1", **extra: str):
    return client.post("/portal/status/", {"number": number, "code": code, **extra}, REMOTE_ADDR=ip)


def looked_up(number: str, code: str) -> Client:
    c = Client()
    r = lookup(c, number, code)
    assert r.status_code == 302, r.content.decode()
    return c


def normalised(body: bytes, *numbers: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())
    for n in numbers:
        text = text.replace(n, "<N>")
    return text


def raw_row(table: str, columns: str, pk: int) -> tuple:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cur.fetchone()


def stored_files() -> set[Path]:
    root = Path(default_storage.location)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def reply_ready(case: Case, w) -> None:
    """Draft, review and sign off the reply: the letter exists but is not sent."""
    case_draft_reply(actor=w.registrar, case=case, items=[ItemInput("批复文件", "disclosed")])
    case_secrecy_review(actor=w.secrecy, case=case, passed=True)
    case_approve(actor=w.head, case=case)


# --- 1. applying ---------------------------------------------------------------------------


def test_apply_confirm_done_stores_encrypted_submission(
    client, w, django_capture_on_commit_callbacks, mailoutbox
):
    before = stored_files()
    r = post_apply(client, email="zhang@example.com")
    app = OnlineApplication.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/portal/apply/confirm/{app.pk}/"
    assert (app.status, app.number, app.code_hash) == (SubmissionStatus.DRAFT, None, "")
    page = client.get(r["Location"])
    assert page.status_code == 200 and NAME in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/portal/apply/confirm/{app.pk}/", REMOTE_ADDR="198.51.100.7")
    assert r.status_code == 302 and r["Location"] == "/portal/done/"
    body = client.get("/portal/done/").content.decode()
    number = NUMBER_RE.search(body).group(1)
    code = CODE_RE.search(body).group(1)
    assert number == "WS2025000001"
    assert len(code) == 8 and set(code) <= set(querycode.ALPHABET)
    # Shown once: the page is gone on reload.
    again = client.get("/portal/done/")
    assert again.status_code == 302 and again["Location"] == "/portal/status/"

    app.refresh_from_db()
    assert app.status == SubmissionStatus.SUBMITTED and app.number == number
    assert app.submitted_at is not None
    # Only a keyed hash of the code is kept.
    assert app.code_hash == querycode.code_digest(code) and code not in app.code_hash
    assert not OnlineApplication.objects.filter(code_hash__contains=code).exists()
    # Identity data is encrypted in the table, readable through the model.
    raw_name, raw_id, raw_phone, raw_email = raw_row(
        "portal_onlineapplication", "applicant_name, id_number, phone, email", app.pk
    )
    assert NAME not in raw_name and raw_name.startswith("gAAAA")
    assert resident_id(1) not in raw_id and raw_id.startswith("gAAAA")
    assert "13812345678" not in raw_phone and "zhang@example.com" not in raw_email
    assert (app.applicant_name, app.id_number) == (NAME, resident_id(1))
    # The proof is the file sent, stored under a name derived from its hash.
    assert app.proof_type == "image/png" and app.proof_size == len(PNG)
    assert app.proof_name == "身份证.png"
    with app.proof.open("rb") as fh:
        assert fh.read() == PNG
    assert re.fullmatch(app.proof_sha256[:16] + r"(_\w{7})?\.png", Path(app.proof.name).name)
    assert stored_files() - before == {Path(app.proof.path)}
    entry = AuditEntry.objects.get(action="portal.submitted")
    assert entry.target_id == str(app.pk) and entry.ip == "198.51.100.7"
    # The receipt e-mail carries number and code.
    assert len(mailoutbox) == 1 and number in mailoutbox[0].body and code in mailoutbox[0].body
    # The session that submitted may follow it.
    status = client.get(f"/portal/status/{number}/")
    assert status.status_code == 200
    assert "已提交，待受理机关确认" in status.content.decode()


def test_confirm_page_of_a_draft_is_only_for_the_session_that_wrote_it(client, w):
    r = post_apply(client)
    assert r.status_code == 302
    app = OnlineApplication.objects.get()
    other = Client()
    for method in (other.get, other.post):
        r = method(f"/portal/apply/confirm/{app.pk}/")
        assert r.status_code == 404
        assert NAME not in r.content.decode() and resident_id(1) not in r.content.decode()
    app.refresh_from_db()
    assert app.status == SubmissionStatus.DRAFT


def test_apply_only_to_agencies_that_take_applications(client, w):
    assert client.get(apply_url("CSJYJC")).status_code == 404  # an internal unit
    assert client.get(apply_url("NOSUCH")).status_code == 404
    assert client.get(apply_url("csjy")).status_code == 200


def test_wrong_captcha_is_refused_and_nothing_stored(client, w):
    question = captcha_answer(client, apply_url())
    r = client.post(apply_url(), form_data(**question.fields(question.answer + 1)))
    assert r.status_code == 400
    assert "验证问题回答不正确" in r.content.decode()
    assert OnlineApplication.objects.count() == 0
    # Without a question asked first (a robot posting directly) the answer cannot be right,
    # nor with a token made up or altered.
    robot = Client()
    for guess, token in (("2", ""), ("10", "x"), ("18", question.token + "x")):
        r = robot.post(apply_url(), form_data(captcha=guess, captcha_token=token))
        assert r.status_code == 400 and "验证问题回答不正确" in r.content.decode()
    assert OnlineApplication.objects.count() == 0


def test_captcha_answer_is_used_once(client, w):
    question = captcha_answer(client, apply_url())
    assert client.post(apply_url(), form_data(**question.fields())).status_code == 302
    r = client.post(apply_url(), form_data(seq=2, **question.fields()))
    assert r.status_code == 400 and "验证问题回答不正确" in r.content.decode()
    assert OnlineApplication.objects.count() == 1
    # A wrong answer uses the question up too: no second try at the same one.
    other = captcha_answer(Client(), apply_url())
    r = Client().post(apply_url(), form_data(**other.fields(other.answer + 1)))
    assert r.status_code == 400
    r = Client().post(apply_url(), form_data(seq=3, **other.fields()))
    assert r.status_code == 400 and "验证问题回答不正确" in r.content.decode()


def test_captcha_questions_expire(client, w, pinned):
    question = captcha_answer(client, apply_url())
    pinned.shift(timedelta(minutes=61))
    r = client.post(apply_url(), form_data(**question.fields()))
    assert r.status_code == 400 and "验证问题回答不正确" in r.content.decode()


def test_honeypot_filled_is_refused(client, w):
    r = post_apply(client, website="http://spam.example.com")
    assert r.status_code == 400
    assert "提交未通过校验" in r.content.decode()
    assert OnlineApplication.objects.count() == 0


def field_error(body: str, field: str) -> str:
    """The error shown right after the input of ``field`` ("" when none)."""
    m = re.search(
        rf'id="id_{field}".*?<span class="field-error errors" id="id_{field}_error">([^<]*)<',
        body,
        re.S,
    )
    return m.group(1) if m else ""


def pending_files() -> set[Path]:
    root = Path(default_storage.location) / "portal" / "pending"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"id_number": "370202198506150001"}, "id_number", "身份证号码校验码错误"),
        ({"id_number": "37020219850615001"}, "id_number", "身份证号码应为18位"),
        ({"id_type": "credit_code"}, "id_type", "自然人申请人应填写身份证件"),
        ({"phone": "", "address": "", "email": ""}, "phone", "请至少填写一种联系方式"),
        ({"phone": "12345678901"}, "phone", "手机号码"),
    ],
)
def test_bad_identity_is_refused_at_the_field_it_is_about(client, w, over, field, message):
    before = stored_files()
    r = post_apply(client, **over)
    body = r.content.decode()
    assert r.status_code == 400
    assert message in field_error(body, field)
    # The summary at the top names the field and links to it.
    summary = body[
        body.index('id="error-summary"') : body.index("</div>", body.index("error-summary"))
    ]
    assert f'<a href="#id_{field}">' in summary and message in summary
    assert OnlineApplication.objects.count() == 0
    # Only the proof is kept (for this session's next try), nowhere but in portal/pending.
    (new,) = stored_files() - before
    assert new in pending_files()
    kept = client.session["portal_proof"]
    assert kept["name"] == "身份证.png" and Path(default_storage.path(kept["path"])) == new
    assert new.read_bytes() == PNG


def test_missing_proof_and_consent_are_errors(client, w):
    r = post_apply(client, proof=None)
    body = r.content.decode()
    assert r.status_code == 400 and OnlineApplication.objects.count() == 0
    assert field_error(body, "proof") == "请上传身份证明（身份证、营业执照等的照片或扫描件）"
    # Asked to choose the file again, and told why (browsers do not resend it).
    assert "出于安全原因，浏览器不能保留已选择的文件，请重新选择身份证明文件" in body
    r = post_apply(Client(), consent=None)
    body = r.content.decode()
    assert r.status_code == 400 and OnlineApplication.objects.count() == 0
    assert field_error(body, "consent") == "请阅读并勾选确认声明"
    # The proof sent with it passed the checks: kept, not asked for again.
    assert "已收到身份证明文件“身份证.png”" in body
    assert "浏览器不能保留" not in body


def test_submissions_are_limited_per_ip(client, w):
    for seq in range(1, 6):
        submit_direct(w.d1, seq=seq, ip="127.0.0.1")
    r = post_apply(client, seq=6)
    assert r.status_code == 400 and "提交过于频繁" in r.content.decode()
    assert OnlineApplication.objects.count() == 5
    assert post_apply(Client(REMOTE_ADDR="192.0.2.99"), seq=6).status_code == 302


def test_submissions_are_limited_per_identity_number(w):
    drafts = [
        services.submission_draft(
            agency=w.d1,
            applicant=person(1),
            request=services.Request(REQUEST, "electronic", "online"),
            proof=png(),
            ip=f"192.0.2.{n}",
        )
        for n in range(1, 7)
    ]
    for n, app in enumerate(drafts[:5], start=1):
        services.submission_confirm(app, ip=f"192.0.2.{n}")
    with pytest.raises(CaseError, match="同一证件今日提交的申请过多"):
        services.submission_confirm(drafts[5], ip="192.0.2.6")
    assert OnlineApplication.objects.filter(status="submitted").count() == 5
    with pytest.raises(CaseError, match="提交过于频繁"):
        submit_direct(w.d1, seq=1, ip="192.0.2.77")


def test_unconfirmed_drafts_are_limited_too(w):
    with pytest.raises(CaseError, match="频繁"):
        for seq in range(1, 31):  # thirty uploads from one address within the hour
            services.submission_draft(
                agency=w.d1,
                applicant=person(seq),
                request=services.Request(REQUEST, "electronic", "online"),
                proof=png(data=PNG + bytes([seq])),
                ip="203.0.113.66",
            )


def test_portal_forms_need_the_csrf_token(w):
    c = Client(enforce_csrf_checks=True)
    captcha_answer(c, apply_url())
    for url, data in (
        (apply_url(), form_data(captcha="2")),
        ("/portal/status/", {"number": "WS2025000001", "code": "ABCDEFGH"}),
        ("/portal/account/login/", {"email": "a@example.com", "password": "x"}),
    ):
        assert c.post(url, data).status_code == 403, url
    assert OnlineApplication.objects.count() == 0


# --- 2. uploads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "证件.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/x-msdownload"
            ),
            "类型不支持",
        ),
        (SimpleUploadedFile("证件.png", b"MZ\x90\x00 not an image", "image/png"), "内容与扩展名"),
        (SimpleUploadedFile("证件.png", b"%PDF-1.4\n%\n", "image/png"), "内容与扩展名 .png 不符"),
        (SimpleUploadedFile("证件", PNG, "image/png"), "类型不支持"),
        (SimpleUploadedFile("证件.png", b"", "image/png"), "空文件"),
    ],
    ids=["exe", "not-png", "pdf-as-png", "no-extension", "empty"],
)
def test_uploads_are_type_checked(client, w, upload, message):
    before = stored_files()
    r = post_apply(client, proof=upload)
    body = r.content.decode()
    assert r.status_code == 400
    assert message in body
    assert OnlineApplication.objects.count() == 0
    assert stored_files() == before


@override_settings(GONGKAI_UPLOAD_MAX_MB=1)
def test_uploads_are_size_checked(client, w):
    before = stored_files()
    big = PNG + b"\x00" * (1536 * 1024 - len(PNG))
    r = post_apply(client, proof=png(data=big))
    assert r.status_code == 400
    assert "超过 1 MB 的大小限制" in r.content.decode()
    assert OnlineApplication.objects.count() == 0
    assert stored_files() == before
    # Just under the limit is taken.
    ok = PNG + b"\x00" * (1024 * 1024 - len(PNG))
    r = post_apply(Client(), proof=png(data=ok))
    assert r.status_code == 302
    assert OnlineApplication.objects.get().proof_size == 1024 * 1024


def _web_roots() -> list[Path]:
    roots = [Path(d if isinstance(d, str) else d[1]) for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    roots += [Path(a.path) / "static" for a in apps.get_app_configs()]
    return [r.resolve() for r in roots]


def test_accepted_proof_is_kept_in_the_data_directory_outside_the_web_root(client, w):
    number, _ = submit(client, proof=png("../../static/gongkai/evil.png"))
    app = OnlineApplication.objects.get(number=number)
    path = Path(app.proof.path).resolve()
    assert path.is_file()
    assert path.is_relative_to(Path(settings.DATA_DIR).resolve() / "files")
    for root in _web_roots():
        assert not path.is_relative_to(root), root
    # The uploaded name never becomes a path.
    assert re.fullmatch(app.proof_sha256[:16] + r"(_\w{7})?\.png", Path(app.proof.name).name)
    assert ".." not in app.proof.name
    # No URL of the site serves the stored file.
    for url in (f"/{app.proof.name}", f"/media/{app.proof.name}", f"/static/{app.proof.name}"):
        # No page, or the portal's "not found" page (the proofs are stored under portal/).
        with contextlib.suppress(Resolver404):
            assert resolve(url).view_name == "portal:not_found", url
        assert client.get(url).status_code == 404
    from django.contrib.staticfiles import finders

    assert finders.find(app.proof.name) is None


def test_storage_gives_stored_files_no_url(client, w):
    number, _ = submit(client)
    app = OnlineApplication.objects.get(number=number)
    # What base_url=None in settings means to say: stored files have no URL at all.
    with pytest.raises(ValueError):
        _ = app.proof.url


# --- 3. the status page: the right code, no enumeration, a throttle ------------------------


def test_wrong_code_and_unknown_number_look_the_same(client, w):
    app, code = submit_direct(w.d1)
    wrong = "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"
    r1 = lookup(client, app.number, wrong)
    r2 = lookup(client, "WS2025999999", wrong)
    r3 = lookup(client, app.number, "")
    assert r1.status_code == r2.status_code == 400
    assert NOT_FOUND in r1.content.decode() and NOT_FOUND in r2.content.decode()
    assert normalised(r1.content, app.number) == normalised(r2.content, "WS2025999999")
    assert r3.status_code == 400  # an empty code is a missing field, not a match
    for r in (r1, r2, r3):
        body = r.content.decode()
        assert NAME not in body and REQUEST not in body and w.d1.name not in body
    # Another application's code does not open this one.
    other, other_code = submit_direct(w.d1, seq=2)
    assert lookup(client, app.number, other_code).status_code == 400
    # The right code (any case, with spaces) does.
    r = lookup(client, f" {app.number.lower()} ", f"{code[:4].lower()} {code[4:]}")
    assert r.status_code == 302 and r["Location"] == f"/portal/status/{app.number}/"
    page = client.get(r["Location"]).content.decode()
    assert app.number in page and w.d1.name in page and other.number not in page


def test_too_many_failures_from_one_ip_refuse_even_the_right_code(client, w, pinned):
    app, code = submit_direct(w.d1)
    ip = "203.0.113.9"
    for n in range(10):
        r = lookup(client, f"WS2025{900000 + n:06d}", "AAAAAAAA", ip=ip)
        assert r.status_code == 400 and NOT_FOUND in r.content.decode()
    r = lookup(client, app.number, code, ip=ip)
    assert r.status_code == 400
    body = r.content.decode()
    assert TOO_MANY in body and NOT_FOUND not in body
    assert app.pk not in client.session.get("portal_grants", {"apps": []})["apps"]
    assert client.get(f"/portal/status/{app.number}/").status_code == 302
    # A forwarded header does not give a new address (only REMOTE_ADDR counts).
    r = client.post(
        "/portal/status/",
        {"number": app.number, "code": code},
        REMOTE_ADDR=ip,
        HTTP_X_FORWARDED_FOR="192.0.2.123",
        HTTP_X_REAL_IP="192.0.2.123",
    )
    assert r.status_code == 400 and TOO_MANY in r.content.decode()
    # The counters keep no address.
    assert Hit.objects.count() >= 10
    assert not Hit.objects.filter(key__contains="203.0.113").exists()
    # The limit is the IP's: another address is not affected.
    assert lookup(Client(), app.number, code, ip="203.0.113.10").status_code == 302
    # And it lasts for its window (10 minutes).
    pinned.shift(timedelta(minutes=11))
    assert lookup(client, app.number, code, ip=ip).status_code == 302


def test_failures_of_others_on_one_number_do_not_refuse_the_right_code(client, w):
    app, code = submit_direct(w.d1)
    for n in range(10):
        r = lookup(Client(), app.number, "AAAAAAAA", ip=f"198.51.100.{n + 1}")
        assert NOT_FOUND in r.content.decode()
    r = lookup(client, app.number, code, ip="198.51.100.200")
    assert r.status_code == 302  # tests/portal/test_limits.py has the rest


def test_status_page_without_lookup_redirects_and_shows_nothing(client, w):
    app, _ = submit_direct(w.d1)
    case = register(w.registrar, w.d1, applicant=person(3, name="李四光"))
    for number in (app.number, case.number, "WS2025999999", "CSJY-2025-9999"):
        r = client.get(f"/portal/status/{number}/")
        assert r.status_code == 302 and r["Location"] == "/portal/status/"
        assert r.content == b""
        follow = client.get(r["Location"]).content.decode()
        for secret in (NAME, "李四光", REQUEST, w.d1.name, case.request_text):
            assert secret not in follow
    assert client.get(f"/portal/letters/{case.letters.first().pk}/").status_code == 404


# --- 4. one applicant never sees another's case ----------------------------------------------


@pytest.fixture
def two(w):
    """Online applications A and B, both registered by the office; B has a consultation of
    a third party and a signed reply not yet sent."""
    a, code_a = submit_direct(w.d1, seq=1)
    b, code_b = submit_direct(w.d1, seq=2, name="王小二", text="某小区规划许可证")
    case_a = services.submission_register(actor=w.registrar, app=a)
    case_b = services.submission_register(actor=w.registrar, app=b)
    case_consult(actor=w.registrar, case=case_b, kind="third_party", party="某建设有限公司")
    consultation_answer(
        actor=w.registrar, consultation=case_b.consultations.get(), answer="consent"
    )
    reply_ready(case_b, w)
    a.refresh_from_db()
    b.refresh_from_db()
    return {
        "a": a,
        "b": b,
        "code_a": code_a,
        "code_b": code_b,
        "case_a": case_a,
        "case_b": case_b,
    }


def test_looking_up_a_shows_nothing_of_b(w, two):
    a, b, case_b = two["a"], two["b"], two["case_b"]
    c = looked_up(a.number, two["code_a"])
    page = c.get(f"/portal/status/{a.number}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert two["case_a"].number in body and b.number not in body and case_b.number not in body
    receipt_a = two["case_a"].letters.get(doc_type="receipt")
    assert c.get(f"/portal/letters/{receipt_a.pk}/").status_code == 200
    assert c.get(f"/portal/letters/{receipt_a.pk}/docx/").status_code == 200
    for url in (f"/portal/status/{b.number}/", f"/portal/status/{case_b.number}/"):
        r = c.get(url)
        assert r.status_code == 302 and r["Location"] == "/portal/status/"
    for letter in case_b.letters.all():
        for url in (f"/portal/letters/{letter.pk}/", f"/portal/letters/{letter.pk}/docx/"):
            r = c.get(url)
            assert r.status_code == 404, url
            assert "王小二" not in r.content.decode()
    # Staff pages and files need a staff login, whatever the portal session proved.
    att_a = two["case_a"].attachments.get()
    att_b = case_b.attachments.get()
    staff_urls = [
        f"/cases/{two['case_a'].pk}/files/{att_a.pk}/",
        f"/cases/{case_b.pk}/files/{att_b.pk}/",
        f"/cases/{case_b.pk}/",
        f"/cases/{case_b.pk}/letters/{case_b.letters.first().pk}/docx/",
        f"/cases/{two['case_a'].pk}/letters/{receipt_a.pk}/docx/",
        f"/online/{a.pk}/proof/",
        f"/online/{b.pk}/",
    ]
    for url in staff_urls:
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), url


def test_portal_grants_are_not_staff_powers(client, w, two):
    """A staff login is no key to the portal: letters need the number and code too."""
    receipt_a = two["case_a"].letters.get(doc_type="receipt")
    for user in (w.registrar, w.registrar2):
        client.force_login(user)
        assert client.get(f"/portal/letters/{receipt_a.pk}/docx/").status_code == 404
        assert client.get(f"/portal/status/{two['a'].number}/").status_code == 302


def test_third_party_letters_and_unsent_replies_stay_off_the_portal(w, two):
    b, case_b = two["b"], two["case_b"]
    c = looked_up(b.number, two["code_b"])
    third = case_b.letters.get(doc_type="consult_third_party")
    notice = case_b.letters.get(doc_type="consult_notice")
    reply = case_b.letters.get(doc_type__startswith="reply_")
    assert not reply.deliveries.exists()
    body = c.get(f"/portal/status/{b.number}/").content.decode()
    assert notice.number in body
    assert third.number not in body and "某建设有限公司" not in body
    assert reply.number not in body
    for letter in (third, reply):
        for url in (f"/portal/letters/{letter.pk}/", f"/portal/letters/{letter.pk}/docx/"):
            assert c.get(url).status_code == 404, (letter.doc_type, url)
    assert c.get(f"/portal/letters/{notice.pk}/docx/").status_code == 200

    case_mark_replied(actor=w.registrar, case=case_b)
    body = c.get(f"/portal/status/{b.number}/").content.decode()
    assert reply.number in body and third.number not in body
    assert "已于 2025-06-16 作出答复" in body
    r = c.get(f"/portal/letters/{reply.pk}/docx/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert b"".join(r.streaming_content).startswith(b"PK")
    view = c.get(f"/portal/letters/{reply.pk}/")
    assert view.status_code == 200 and f"/portal/letters/{reply.pk}/docx/" in view.content.decode()
    assert "/cases/" not in view.content.decode()  # no link into the staff site
    assert c.get(f"/portal/letters/{third.pk}/docx/").status_code == 404


def test_counter_case_with_its_code_on_the_portal(client, w):
    mine = register(w.registrar, w.d1, applicant=person(5, name="赵六"))
    theirs = register(w.registrar, w.d1, applicant=person(6, name="钱七"))
    assert mine.query_code and len(mine.query_code) == 8
    assert lookup(client, mine.number, theirs.query_code).status_code == 400
    r = lookup(client, mine.number, mine.query_code)
    assert r.status_code == 302 and r["Location"] == f"/portal/status/{mine.number}/"
    body = client.get(r["Location"]).content.decode()
    assert mine.number in body and theirs.number not in body
    receipt = mine.letters.get(doc_type="receipt")
    assert client.get(f"/portal/letters/{receipt.pk}/docx/").status_code == 200
    other_receipt = theirs.letters.get(doc_type="receipt")
    assert client.get(f"/portal/letters/{other_receipt.pk}/docx/").status_code == 404
    assert client.get(f"/portal/status/{theirs.number}/").status_code == 302


# --- 5. the office's side ------------------------------------------------------------------


def test_online_pages_need_the_office_of_that_agency(client, w):
    app, _ = submit_direct(w.d1)
    for url in ("/online/", f"/online/{app.pk}/", f"/online/{app.pk}/proof/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), url
    for who in (w.outsider, w.handler1, w.secrecy, w.supervisor):
        client.force_login(who)
        assert client.get("/online/").status_code == 404, who
        assert client.get(f"/online/{app.pk}/").status_code == 404, who
    client.force_login(w.registrar2)  # a registrar of another agency
    listing = client.get("/online/")
    assert listing.status_code == 200 and app.number not in listing.content.decode()
    assert client.get(f"/online/{app.pk}/").status_code == 404
    assert client.get(f"/online/{app.pk}/proof/").status_code == 404
    r = client.post(f"/online/{app.pk}/", {"register": "1"})
    assert r.status_code == 404
    r = client.post(f"/online/{app.pk}/", {"reject": "1", "reason": "重复提交"})
    assert r.status_code == 404
    app.refresh_from_db()
    assert app.status == SubmissionStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action="portal.viewed").exists()
    for who in (w.registrar, w.head):
        client.force_login(who)
        listing = client.get("/online/")
        assert listing.status_code == 200 and app.number in listing.content.decode()


def test_viewing_an_application_is_audited_and_proof_downloads(client, w):
    app, _ = submit_direct(w.d1)
    client.force_login(w.registrar)
    r = client.get(f"/online/{app.pk}/")
    assert r.status_code == 200
    assert NAME in r.content.decode() and resident_id(1) in r.content.decode()
    entry = AuditEntry.objects.get(action="portal.viewed")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        w.registrar,
        "onlineapplication",
        str(app.pk),
    )
    assert entry.agency == w.d1
    r = client.get(f"/online/{app.pk}/proof/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png"


def test_registering_receives_today_with_the_proof_and_keeps_the_code(client, w, pinned):
    app, code = submit_direct(w.d1)
    pinned.shift(timedelta(days=1))  # the office confirms the next day (a Tuesday)
    client.force_login(w.registrar)
    r = client.post(f"/online/{app.pk}/", {"register": "1"})
    app.refresh_from_db()
    case = app.case
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert app.status == SubmissionStatus.REGISTERED and app.handled_at is not None
    assert case.received_on == date(2025, 6, 17)
    assert case.channel == "online"
    assert (case.applicant_name, case.id_number) == (NAME, resident_id(1))
    assert case.query_code_hash == app.code_hash
    att = case.attachments.get()
    assert att.kind == AttachmentKind.IDENTITY_PROOF
    assert (att.sha256, att.size, att.original_name) == (
        app.proof_sha256,
        len(PNG),
        "身份证.png",
    )
    with att.file.open("rb") as fh:
        assert fh.read() == PNG
    assert AuditEntry.objects.filter(action="portal.registered", target_id=str(app.pk)).exists()
    # Once only.
    r = client.post(f"/online/{app.pk}/", {"register": "1"})
    assert r.status_code == 400
    assert Case.objects.count() == 1
    # The applicant's code now opens the case by either number.
    for number in (app.number, case.number):
        c = Client()
        r = lookup(c, number, code)
        assert r.status_code == 302, number
        body = c.get(r["Location"]).content.decode()
        assert case.number in body and "2025-06-17" in body
        receipt = case.letters.get(doc_type="receipt")
        assert receipt.number in body
        assert c.get(f"/portal/letters/{receipt.pk}/docx/").status_code == 200


def test_a_second_registration_says_why_it_is_refused(client, w):
    app, _ = submit_direct(w.d1)
    client.force_login(w.registrar)
    stale = Client()
    stale.force_login(w.head)
    assert stale.get(f"/online/{app.pk}/").status_code == 200  # both have the page open
    assert client.post(f"/online/{app.pk}/", {"register": "1"}).status_code == 302
    r = stale.post(f"/online/{app.pk}/", {"register": "1"})
    assert r.status_code == 400
    assert "已经处理" in r.content.decode()


def test_rejecting_needs_a_reason_and_the_applicant_sees_it(client, w):
    app, code = submit_direct(w.d1)
    client.force_login(w.head)
    r = client.post(f"/online/{app.pk}/", {"reject": "1", "reason": "  "})
    assert r.status_code == 400
    app.refresh_from_db()
    assert app.status == SubmissionStatus.SUBMITTED
    reason = "与 WS 申请重复，已合并办理"
    r = client.post(f"/online/{app.pk}/", {"reject": "1", "reason": reason})
    assert r.status_code == 302 and r["Location"] == "/online/"
    app.refresh_from_db()
    assert (app.status, app.rejected_reason, app.case) == (SubmissionStatus.REJECTED, reason, None)
    assert Case.objects.count() == 0
    assert client.post(f"/online/{app.pk}/", {"register": "1"}).status_code == 400
    assert Case.objects.count() == 0
    applicant = looked_up(app.number, code)
    body = applicant.get(f"/portal/status/{app.number}/").content.decode()
    assert "未予登记" in body and reason in body


# --- 6. accounts ---------------------------------------------------------------------------


def signup(client: Client, email: str, password: str = PASSWORD, **over: str):
    question = captcha_answer(client, "/portal/account/signup/")
    data = {
        "email": email,
        "display_name": "老张",
        "password": password,
        "password2": password,
        **question.fields(),
        "website": "",
        **over,
    }
    return client.post("/portal/account/signup/", data)


def test_signup_needs_the_captcha_and_keeps_only_a_password_hash(client, w):
    question = captcha_answer(client, "/portal/account/signup/")
    r = client.post(
        "/portal/account/signup/",
        {
            "email": "a@example.com",
            "password": PASSWORD,
            "password2": PASSWORD,
            **question.fields(question.answer + 1),
        },
    )
    assert r.status_code == 400 and "验证问题回答不正确" in r.content.decode()
    assert PortalAccount.objects.count() == 0
    r = signup(client, "a@example.com", password="short")  # noqa: S106
    assert r.status_code == 400 and "密码至少 10 位" in r.content.decode()
    r = signup(client, "a@example.com", password2="something-else")
    assert r.status_code == 400 and "两次输入的密码不一致" in r.content.decode()
    r = signup(client, "A@Example.com")
    assert r.status_code == 302 and r["Location"] == "/portal/account/"
    account = PortalAccount.objects.get()
    assert account.email == "a@example.com" and PASSWORD not in account.password
    r = signup(Client(), "a@example.com")
    assert r.status_code == 400 and "该邮箱已注册" in r.content.decode()


def test_login_mine_lists_own_applications_only(client, w):
    assert signup(client, "zhang@example.com").status_code == 302
    mine_number, _ = submit(client)
    other = Client()
    assert signup(other, "wang@example.com").status_code == 302
    other_number, _ = submit(other, seq=2, applicant_name="王小二")
    anon_app, _ = submit_direct(w.d1, seq=3)
    assert OnlineApplication.objects.get(number=mine_number).account.email == "zhang@example.com"

    page = client.get("/portal/account/").content.decode()
    assert mine_number in page and other_number not in page and anon_app.number not in page

    client.post("/portal/account/logout/")
    assert client.get("/portal/account/").status_code == 302
    assert client.get(f"/portal/status/{mine_number}/").status_code == 302
    for email, password in (
        ("zhang@example.com", "wrong-password-1"),
        ("nobody@example.com", PASSWORD),
    ):
        r = client.post("/portal/account/login/", {"email": email, "password": password})
        assert r.status_code == 400 and "邮箱或密码不正确" in r.content.decode()
    old_key = client.session.session_key
    r = client.post("/portal/account/login/", {"email": "ZHANG@example.com", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/portal/account/"
    assert client.session.session_key != old_key
    page = client.get("/portal/account/").content.decode()
    assert mine_number in page and other_number not in page
    assert client.get(f"/portal/status/{mine_number}/").status_code == 200
    assert client.get(f"/portal/status/{other_number}/").status_code == 302


def test_login_is_throttled_per_email(client, w):
    assert signup(Client(), "zhang@example.com").status_code == 302
    for n in range(10):
        r = Client().post(
            "/portal/account/login/",
            {"email": "zhang@example.com", "password": f"guess-{n}-xxxx"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
        assert "邮箱或密码不正确" in r.content.decode()
    r = client.post("/portal/account/login/", {"email": "zhang@example.com", "password": PASSWORD})
    assert r.status_code == 400 and "登录尝试过于频繁" in r.content.decode()


def test_claiming_a_counter_case_adds_it_to_the_account(client, w):
    case = register(w.registrar, w.d1, applicant=person(7, name="赵六"))
    other = register(w.registrar, w.d1, applicant=person(8, name="钱七"))
    assert signup(client, "zhao@example.com").status_code == 302
    account = PortalAccount.objects.get()
    # A wrong code adds nothing.
    r = lookup(client, case.number, other.query_code, keep="1")
    assert r.status_code == 400
    assert not account.claimed_cases.exists()
    # Without keep=1 it is only looked at.
    r = lookup(client, other.number, other.query_code)
    assert r.status_code == 302
    assert not account.claimed_cases.exists()
    r = lookup(client, case.number, case.query_code, keep="1")
    assert r.status_code == 302
    assert list(account.claimed_cases.all()) == [case]
    page = client.get("/portal/account/").content.decode()
    assert case.number in page and other.number not in page
    # It stays with the account across logins; the look without keep did not.
    client.post("/portal/account/logout/")
    r = client.post("/portal/account/login/", {"email": "zhao@example.com", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get(f"/portal/status/{case.number}/").status_code == 200
    assert client.get(f"/portal/status/{other.number}/").status_code == 302
    receipt = case.letters.get(doc_type="receipt")
    assert client.get(f"/portal/letters/{receipt.pk}/docx/").status_code == 200


def test_claiming_someone_elses_application_does_not_move_it(client, w):
    assert signup(client, "zhang@example.com").status_code == 302
    number, code = submit(client)
    thief = Client()
    assert signup(thief, "li@example.com").status_code == 302
    r = lookup(thief, number, code, keep="1")
    assert r.status_code == 302  # the code holder may look
    assert OnlineApplication.objects.get(number=number).account.email == "zhang@example.com"
    assert number not in thief.get("/portal/account/").content.decode()
