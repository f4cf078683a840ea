"""Finding a case by its applicant's exact name or telephone number (the call “我是孙明，
我的申请办得怎么样了”): keyed hashes only, the office of the case's agency only, every search
that finds someone audited without what was searched for. Also the registration page's date
box and the list's filter labels.

Names, numbers and their search forms are written out by hand; the digests are checked
against HMAC-SHA256 computed here from the documented construction, not from the code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from gongkai.accounts.models import Membership
from gongkai.accounts.scope import viewer_for
from gongkai.audit.models import AuditEntry
from gongkai.cases import personal
from gongkai.cases.models import ApplicantKind, Case, IdType
from gongkai.cases.models.applicant_index import fill_search_digests
from gongkai.cases.selectors import CaseFilter, case_list
from gongkai.cases.services import Applicant, case_assign
from gongkai.core.identity import looks_like_phone, search_name, search_phone
from gongkai.core.workflow import Role
from gongkai.security import crypto
from tests.factories import person, register, resident_id

pytestmark = pytest.mark.django_db

SUN = "孙明"
SUN_PHONE = "13912345678"


def sun(seq: int = 1, name: str = SUN, phone: str = SUN_PHONE) -> Applicant:
    return person(seq, name=name, phone=phone)


def found(user, q: str) -> list[str]:
    """The case numbers the staff list shows ``user`` for the search ``q``."""
    return [c.number for c in personal.case_search(actor=user, f=CaseFilter(q=q))]


def searches() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="case.applicant_searched").order_by("id"))


# --- search forms (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("孙明", "孙明"),
        ("孙 明", "孙明"),
        ("  孙　明  ", "孙明"),  # an ideographic space inside, ASCII spaces around
        ("孙\t明", "孙明"),
        ("ＡＢＣ科技有限公司", "abc科技有限公司"),  # full-width letters
        ("（青岛）某某有限公司", "(青岛)某某有限公司"),  # full-width brackets
        ("阿卜杜拉·艾买提", "阿卜杜拉·艾买提"),
        ("阿卜杜拉•艾买提", "阿卜杜拉·艾买提"),  # bullet for the middle dot
        ("阿卜杜拉・艾买提", "阿卜杜拉·艾买提"),  # katakana middle dot
        ("阿卜杜拉.艾买提", "阿卜杜拉·艾买提"),  # a full stop typed in its place
        ("John  Smith", "johnsmith"),
    ],
)
def test_name_search_form(typed, form):
    assert search_name(typed) == form


def test_different_names_stay_different():
    assert search_name("孙明") != search_name("孙鸣")
    assert search_name("孙明") != search_name("孙明明")
    assert search_name("   ") == ""


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("0086 139 1234 5678", "13912345678"),
        ("8613912345678", "13912345678"),
        ("１３９１２３４５６７８", "13912345678"),  # full-width digits
        ("0532-88886666", "053288886666"),
        ("(0532) 8888 6666", "053288886666"),
        ("+86 532 8888 6666", "053288886666"),  # the trunk 0 comes back
        ("0532-88886666转123", "053288886666"),  # the extension is not the number
        ("88886666", "88886666"),
    ],
)
def test_phone_search_form(typed, form):
    assert search_phone(typed) == form


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("13912345678", True),
        ("+86 139-1234-5678", True),
        ("(0532) 8888 6666", True),
        ("88886666", True),
        ("孙明", False),
        ("CSJY-2025-0001", False),
        ("2025年", False),
        ("123456", False),  # 6 digits: not a number anyone can be called on
        ("1234567890123456", False),  # 16 digits: longer than any number (E.164: 15)
    ],
)
def test_what_looks_like_a_phone_number(text, phone):
    assert looks_like_phone(text) is phone


def test_digests_are_keyed_hmacs_of_the_search_form_and_kept_apart(settings, tmp_path):
    index = bytes(range(32))
    key = hmac.new(index, b"gongkai applicant search v1", hashlib.sha256).digest()
    by_hand = hmac.new(key, "name:孙明".encode(), hashlib.sha256).hexdigest()
    assert crypto.name_search_digest("孙 明", key=crypto.search_key(index)) == by_hand
    phone = hmac.new(key, b"phone:13912345678", hashlib.sha256).hexdigest()
    assert crypto.phone_search_digest("+86 139-1234-5678", key=key) == phone
    # A name and a number that read the same are not comparable; another key, other digests.
    assert crypto.name_search_digest("13912345678", key=key) != phone
    other = crypto.search_key(bytes(range(1, 33)))
    assert crypto.name_search_digest("孙明", key=other) != by_hand
    assert (
        crypto.name_search_digest(" ", key=key) == crypto.phone_search_digest("无", key=key) == ""
    )


# --- what is stored -----------------------------------------------------------------------


def raw(case: Case, columns: str) -> tuple:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {columns} FROM cases_case WHERE id = %s", [case.pk])  # noqa: S608
        return cur.fetchone()


def test_registration_stores_digests_and_no_plain_name_or_number(w):
    case = register(w.registrar, w.d1, applicant=sun(phone="139 1234 5678"))
    name_digest, phone_digest, name, phone = raw(
        case, "name_digest, phone_digest, applicant_name, phone"
    )
    assert name_digest == crypto.name_search_digest("孙明")
    assert phone_digest == crypto.phone_search_digest("13912345678")
    assert len(name_digest) == len(phone_digest) == 64
    assert crypto.looks_encrypted(name) and crypto.looks_encrypted(phone)
    row = " ".join(str(v) for v in raw(case, "*"))
    assert SUN not in row and "1234" not in row.replace(name_digest, "").replace(phone_digest, "")


def test_an_applicant_without_a_phone_has_no_phone_digest(w):
    applicant = Applicant(
        kind=ApplicantKind.NATURAL_PERSON,
        name="孙明",
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id(3),
        address="青岛市市南区香港中路1号",
    )
    case = register(w.registrar, w.d1, applicant=applicant)
    assert raw(case, "phone_digest") == ("",)
    assert found(w.registrar, SUN) == [case.number]


def test_saving_a_corrected_identity_moves_the_digests(w):
    case = register(w.registrar, w.d1, applicant=sun())
    case = Case.objects.get(pk=case.pk)
    case.applicant_name = "孙明亮"
    case.save()
    assert found(w.registrar, SUN) == []
    assert found(w.registrar, "孙明亮") == [case.number]

    case.phone = "0532-88886666"
    case.save(update_fields=["phone"])
    assert found(w.registrar, SUN_PHONE) == []
    assert found(w.registrar, "(0532) 8888 6666") == [case.number]


def test_a_row_loaded_without_its_identity_keeps_its_digests(w):
    case = register(w.registrar, w.d1, applicant=sun())
    before = raw(case, "name_digest, phone_digest")
    lean = Case.objects.defer("applicant_name", "phone").get(pk=case.pk)
    lean.clock_note = "刷新"
    lean.save()
    lean.save(update_fields=["clock_note"])
    assert raw(case, "name_digest, phone_digest") == before


# --- searching --------------------------------------------------------------------------------


def test_exact_name_and_phone_find_the_case_partial_ones_do_not(w):
    case = register(w.registrar, w.d1, applicant=sun(), text="2025年学区划分文件")
    other = register(w.registrar, w.d1, applicant=person(2, name="李四", phone="13800000000"))
    for q in ("孙明", "孙 明", "孙　明", "13912345678", "+86 139-1234-5678", "139 1234 5678"):
        assert found(w.registrar, q) == [case.number], q
    for q in ("孙", "明", "孙明明", "1391234", "13912345679", "139123456780"):
        assert found(w.registrar, q) == [], q
    # The request text and the number are searched as before.
    assert found(w.registrar, "学区") == [case.number]
    assert found(w.registrar, other.number) == [other.number]
    assert found(w.registrar, "李四") == [other.number]


def test_an_applicant_with_several_cases_finds_them_all(w):
    first = register(w.registrar, w.d1, applicant=sun(), received_on=date(2025, 6, 9))
    second = register(w.registrar, w.d1, applicant=sun(phone="+86 139-1234-5678"))
    register(w.registrar, w.d1, applicant=person(2, name="李四"))
    assert sorted(found(w.registrar, "13912345678")) == sorted([first.number, second.number])
    assert sorted(found(w.registrar, SUN)) == sorted([first.number, second.number])


def test_other_filters_still_apply(w):
    case = register(w.registrar, w.d1, applicant=sun(), received_on=date(2025, 6, 9))
    f = CaseFilter(q=SUN, received_from=date(2025, 6, 10))
    assert list(personal.case_search(actor=w.registrar, f=f)) == []
    f = CaseFilter(q=SUN, received_to=date(2025, 6, 10))
    assert [c.number for c in personal.case_search(actor=w.registrar, f=f)] == [case.number]


def test_scoped_to_the_office_of_the_cases_agency(w):
    mine = register(w.registrar, w.d1, applicant=sun())
    case_assign(actor=w.registrar, case=mine, unit=w.u1)
    theirs = register(w.registrar2, w.d2, applicant=sun(2))
    # The office of each agency finds its own case only.
    assert found(w.registrar, SUN) == [mine.number]
    assert found(w.head, SUN_PHONE) == [mine.number]
    assert found(w.secrecy, SUN) == [mine.number]
    assert found(w.registrar2, SUN) == [theirs.number]
    # The handler and the supervisor see the case but not the person: no match by applicant.
    assert mine.number in [c.number for c in case_list(viewer_for(w.handler1))]
    assert found(w.handler1, SUN) == [] and found(w.handler1, SUN_PHONE) == []
    assert found(w.supervisor, SUN) == []
    # No membership, nothing.
    assert found(w.outsider, SUN) == [] and found(w.admin, SUN) == []
    assert len(searches()) == 4  # the four office searches that found a case


def test_the_selector_alone_does_not_match_applicants(w):
    """The list selector as the REST API calls it compares no identity (and audits none);
    only the staff list's search (personal.case_search) does."""
    case = register(w.registrar, w.d1, applicant=sun())
    assert list(case_list(viewer_for(w.registrar), CaseFilter(q=SUN))) == []
    assert found(w.registrar, SUN) == [case.number]


# --- audit ------------------------------------------------------------------------------------


def test_each_search_that_found_an_applicant_is_audited_without_what_was_searched(w):
    one = register(w.registrar, w.d1, applicant=sun(), received_on=date(2025, 6, 9))
    two = register(w.registrar, w.d1, applicant=sun())
    found(w.registrar, "孙 明")
    found(w.registrar, "+86 139-1234-5678")
    found(w.registrar, "批复")  # the request text: no identity read
    found(w.registrar, "王五")  # nobody of that name: nothing found, nothing read
    entries = searches()
    assert len(entries) == 2
    by_name, by_phone = entries
    assert by_name.actor == w.registrar and by_name.agency == w.d1
    assert by_name.target_type == "applicant_search" and by_name.target_id == "name"
    assert by_name.data == {
        "matched_by": ["name"],
        "count": 2,
        "cases": sorted([one.number, two.number]),
    }
    assert by_name.message == f"按申请人姓名查找申请，找到 2 件：{one.number}、{two.number}"
    assert by_phone.data["matched_by"] == ["phone"] and by_phone.data["count"] == 2
    assert by_phone.message.startswith("按申请人电话查找申请，找到 2 件")
    for e in entries:
        text = e.message + json.dumps(e.data, ensure_ascii=False) + e.target_id
        for secret in (
            SUN,
            "孙 明",
            SUN_PHONE,
            "1234",
            crypto.name_search_digest(SUN),
            crypto.phone_search_digest(SUN_PHONE),
        ):
            assert secret not in text


def test_the_list_page_searches_by_applicant_and_audits_with_the_address(client, w):
    case = register(w.registrar, w.d1, applicant=sun())
    register(w.registrar, w.d1, applicant=person(2, name="李四"))
    client.force_login(w.registrar)
    r = client.get(reverse("cases:list"), {"q": "孙 明"}, REMOTE_ADDR="192.0.2.7")
    body = r.content.decode()
    assert r.status_code == 200 and "共 1 件" in body and case.number in body
    assert "按申请人姓名或电话查找须输入完整姓名或号码" in body
    assert SUN not in body  # the list still shows the masked name only
    r = client.get(reverse("cases:list"), {"q": "+86 139 1234 5678"}, HTTP_HX_REQUEST="true")
    assert "共 1 件" in r.content.decode() and case.number in r.content.decode()
    first = searches()[0]
    assert first.ip == "192.0.2.7" and first.actor == w.registrar
    assert len(searches()) == 2


# --- portal applications ---------------------------------------------------------------------


def test_an_online_application_registered_is_found_by_its_applicant(w):
    from gongkai.portal import services as ps
    from tests.portal.test_portal import submit_direct

    app, _ = submit_direct(w.d1, seq=4, name="孙明")
    case = ps.submission_register(actor=w.registrar, app=app)
    assert found(w.registrar, "孙 明") == [case.number]
    assert found(w.registrar, "+86 138-1234-5678") == [case.number]  # person()'s number


# --- the migration's fill ---------------------------------------------------------------------


def test_fill_gives_existing_rows_their_digests(w):
    a = register(w.registrar, w.d1, applicant=sun())
    b = register(w.registrar, w.d1, applicant=person(2, name="李四", phone="0532-88886666"))
    Case.objects.update(name_digest="", phone_digest="")  # rows from before the digests
    assert found(w.registrar, SUN) == []

    result = fill_search_digests(Case)
    assert (result.rows_seen, result.rows_changed, result.failed) == (2, 2, [])
    assert found(w.registrar, SUN) == [a.number]
    assert found(w.registrar, "0532 8888 6666") == [b.number]
    assert fill_search_digests(Case, batch_size=1).rows_changed == 0  # a rerun changes nothing


def test_fill_leaves_rows_no_key_decrypts(w, settings):
    from cryptography.fernet import Fernet

    case = register(w.registrar, w.d1, applicant=sun())
    Case.objects.update(name_digest="")
    foreign = Fernet(Fernet.generate_key()).encrypt("孙明".encode()).decode()
    with connection.cursor() as cur:
        cur.execute("UPDATE cases_case SET applicant_name = %s WHERE id = %s", [foreign, case.pk])
    result = fill_search_digests(Case)
    assert result.failed == [case.pk] and result.rows_changed == 0


@pytest.mark.django_db(transaction=True)
def test_migration_0009_fills_the_rows_it_finds(w):
    """Back to 0008 (the columns go), forward again: the data migration decrypts each row
    and computes its digests."""
    case = register(w.registrar, w.d1, applicant=sun())
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0008_remedy")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert raw(case, "name_digest, phone_digest") == (
        crypto.name_search_digest(SUN),
        crypto.phone_search_digest(SUN_PHONE),
    )
    assert found(w.registrar, SUN) == [case.number]


# --- the registration date and the filter labels (points 9 and 14) ----------------------------


def test_register_page_dates_are_iso_today_and_accepted(client, w):
    client.force_login(w.registrar)
    body = client.get(reverse("cases:register")).content.decode()
    assert 'type="date" name="received_on" value="2025-06-16"' in body
    assert "2025/06/16" not in body
    r = client.post(
        reverse("cases:register"),
        {
            "agency": w.d1.pk,
            "channel": "in_person",
            "received_on": "2025-06-16",  # what <input type=date> sends
            "applicant_kind": "natural_person",
            "applicant_name": "孙明",
            "id_type": "resident_id",
            "id_number": resident_id(5),
            "phone": "13912345678",
            "request_text": "2025年学区划分文件",
            "form_wanted": "paper",
            "delivery_wanted": "in_person",
        },
    )
    assert r.status_code == 302
    case = Case.objects.get(applicant_kind="natural_person", request_text="2025年学区划分文件")
    assert case.received_on == date(2025, 6, 16)
    assert found(w.registrar, "孙明") == [case.number]


def test_date_filters_render_iso_too(client, w):
    client.force_login(w.registrar)
    r = client.get(reverse("cases:list"), {"received_from": "2025-06-01"})
    assert 'name="received_from" value="2025-06-01"' in r.content.decode()


def test_staff_who_cannot_search_by_applicant_are_told(client, w):
    client.force_login(w.handler1)
    body = client.get(reverse("cases:list")).content.decode()
    assert "按申请人姓名或电话查找仅限受理机关的公开工作人员" in body
    assert 'placeholder="申请内容或编号"' in body
    client.force_login(w.registrar)
    body = client.get(reverse("cases:list")).content.decode()
    assert 'placeholder="申请内容、编号、申请人姓名或电话"' in body


def test_filter_blank_options_say_what_they_mean(client, w):
    client.force_login(w.registrar)
    body = client.get(reverse("cases:list")).content.decode()
    assert '<option value="" selected>全部承办单位</option>' in body
    assert "---------" not in body
    # A registrar of two agencies chooses one when registering.
    Membership.objects.create(user=w.registrar, agency=w.d2, role=Role.REGISTRAR)
    body = client.get(reverse("cases:register")).content.decode()
    assert '<option value="" selected>请选择受理机关</option>' in body
    assert "---------" not in body
