"""The admin: every page opens for a superuser; calendar entries are checked and audited;
the audit trail and the case registry are read only; a token's raw value is shown once."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from gongkai.accounts.models import ApiToken, Membership, User
from gongkai.agencies.models import Agency
from gongkai.audit.admin import AuditedAdminMixin
from gongkai.audit.labels import action_label
from gongkai.audit.models import AuditEntry
from gongkai.cases.models import EventKind
from gongkai.rules.models import CalendarOverride, HolidayNotice
from gongkai.rules.selectors import working_calendar
from tests.factories import register
from tests.web.test_no_english import ALLOWED, latin_words, read_page

pytestmark = pytest.mark.django_db

ADDABLE = [
    "agencies_agency",
    "accounts_user",
    "accounts_membership",
    "accounts_apitoken",
    "rules_holidaynotice",
    "rules_calendaroverride",
]
READ_ONLY = ["audit_auditentry", "cases_case", "cases_reminder"]
NOTICE_2027 = {
    "year": "2027",
    "title": "国务院办公厅关于2027年部分节假日安排的通知",
    "holidays": "2027-01-01\n2027-02-05\n2027-02-08\n2027-10-01",
    "workdays": "2027-02-20",
}


def url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def last_admin_action() -> str:
    """The last change made in the admin (a calendar change is followed by its recompute)."""
    return next(a for a in reversed(audit_actions()) if a.startswith("admin."))


@pytest.fixture
def case(w):
    return register(w.registrar, w.d1, received_on=date(2025, 6, 9))


@pytest.mark.parametrize("model", ADDABLE + READ_ONLY)
def test_superuser_opens_every_changelist(admin_client, case, model):
    assert admin_client.get(url(f"{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ADDABLE)
def test_superuser_opens_every_add_page(admin_client, w, model):
    assert admin_client.get(url(f"{model}_add")).status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_read_only_models_cannot_be_added(admin_client, w, model):
    assert admin_client.get(url(f"{model}_add")).status_code == 403


def test_change_pages_open(admin_client, w, case):
    token, _ = ApiToken.issue(w.registrar, "报表")
    for name, obj in [
        ("agencies_agency", w.u1),
        ("accounts_user", w.registrar),
        ("accounts_membership", Membership.objects.first()),
        ("accounts_apitoken", token),
        ("cases_case", case),
        ("audit_auditentry", AuditEntry.objects.first()),
    ]:
        assert admin_client.get(url(f"{name}_change", obj.pk)).status_code == 200, name


def test_agency_list_is_indented_by_depth_in_tree_order(admin_client, w):
    body = admin_client.get(url("agencies_agency_changelist")).content.decode()
    assert "　　基础教育处" in body
    assert body.index("测试市教育局") < body.index("基础教育处") < body.index("测试市自然资源局")


def test_agency_cannot_move_below_itself(admin_client, w):
    data = {"name": w.d1.name, "code": w.d1.code, "kind": w.d1.kind, "parent": w.u1.pk}
    response = admin_client.post(url("agencies_agency_change", w.d1.pk), data)
    assert response.status_code == 200
    assert "上级机关不能是本机关或其下级机关" in response.content.decode()


def test_case_registry_shows_no_identity_data(admin_client, case):
    for page in (url("cases_case_changelist"), url("cases_case_change", case.pk)):
        body = admin_client.get(page).content.decode()
        assert case.number in body
        assert "张三明" not in body and "13812345678" not in body and "张*明" not in body


def test_case_registry_is_for_superusers_only(client, w, case):
    w.registrar.is_staff = True
    w.registrar.save(update_fields=["is_staff"])
    client.force_login(w.registrar)
    assert client.get(url("cases_case_changelist")).status_code == 403


def test_holiday_notice_for_2027_extends_the_calendar(admin_client, w):
    assert working_calendar().coverage[1] == date(2026, 12, 31)
    response = admin_client.post(url("rules_holidaynotice_add"), NOTICE_2027, follow=True)
    assert response.status_code == 200
    assert HolidayNotice.objects.filter(year=2027).exists()
    assert working_calendar().coverage[1] == date(2027, 12, 31)
    assert not working_calendar().is_working_day(date(2027, 2, 5))
    assert "工作日历现覆盖 2004-01-01 至 2027-12-31" in " ".join(texts(response))
    assert last_admin_action() == "admin.holidaynotice.add"


def test_holiday_notice_leaving_a_gap_is_refused(admin_client, w):
    data = {**NOTICE_2027, "year": "2029", "holidays": "2029-01-01", "workdays": ""}
    response = admin_client.post(url("rules_holidaynotice_add"), data)
    assert response.status_code == 200
    assert "工作日历缺少 2027、2028 年的放假安排（各年度必须连续）" in response.content.decode()
    assert not HolidayNotice.objects.exists()


def test_holiday_notice_in_the_middle_cannot_be_deleted(admin_client, w):
    for year in (2027, 2028):
        HolidayNotice.objects.create(year=year, title=f"{year}", holidays=f"{year}-01-01")
    middle = HolidayNotice.objects.get(year=2027)
    response = admin_client.post(
        url("rules_holidaynotice_delete", middle.pk), {"post": "yes"}, follow=True
    )
    assert "工作日历缺少 2027 年的放假安排" in " ".join(texts(response))
    assert HolidayNotice.objects.filter(year=2027).exists()
    last = HolidayNotice.objects.get(year=2028)
    admin_client.post(url("rules_holidaynotice_delete", last.pk), {"post": "yes"})
    assert not HolidayNotice.objects.filter(year=2028).exists()
    assert last_admin_action() == "admin.holidaynotice.delete"


def test_override_outside_the_calendar_is_refused(admin_client, w):
    data = {"day": "2027-01-04", "working": "", "note": "地方补休"}
    response = admin_client.post(url("rules_calendaroverride_add"), data)
    assert response.status_code == 200
    assert (
        "日期 2027-01-04 不在工作日历范围（2004-01-01 至 2026-12-31）内，"
        "请先在“年度放假安排”中录入 2027 年的放假安排"
    ) in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_override_inside_the_calendar_is_saved_and_audited(admin_client, w):
    data = {"day": "2026-03-02", "working": "", "note": "地方补休"}
    response = admin_client.post(url("rules_calendaroverride_add"), data)
    assert response.status_code == 302
    assert not working_calendar().is_working_day(date(2026, 3, 2))
    override = CalendarOverride.objects.get()
    entry = AuditEntry.objects.get(action="admin.calendaroverride.add")
    assert entry.target_id == str(override.pk)
    assert entry.actor.username == "admin"
    admin_client.post(url("rules_calendaroverride_delete", override.pk), {"post": "yes"})
    assert last_admin_action() == "admin.calendaroverride.delete"


def test_audit_entries_cannot_be_changed(admin_client, w, case):
    entry = AuditEntry.objects.first()
    response = admin_client.get(url("audit_auditentry_change", entry.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()
    post = admin_client.post(url("audit_auditentry_change", entry.pk), {"message": "改"})
    assert post.status_code == 403
    assert admin_client.get(url("audit_auditentry_delete", entry.pk)).status_code == 403
    entry.refresh_from_db()
    assert entry.message != "改"


def test_token_creation_shows_the_raw_token_once(admin_client, w):
    data = {"user": w.registrar.pk, "name": "统计报表系统"}
    response = admin_client.post(url("accounts_apitoken_add"), data, follow=True)
    shown = [t for t in texts(response) if re.search(r"gk_[\w-]{40}", t)]
    assert len(shown) == 1
    assert "此值不会再次显示" in shown[0]
    raw = re.search(r"gk_[\w-]{40,}", shown[0]).group(0)
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (w.registrar, "统计报表系统")
    assert token.digest == ApiToken.digest_of(raw) and token.prefix == raw[:8]
    assert raw not in response.content.decode().replace(shown[0], "")
    again = admin_client.get(url("accounts_apitoken_change", token.pk))
    assert raw not in again.content.decode()
    assert audit_actions()[-1] == "admin.apitoken.add"


def test_revoke_action(admin_client, w):
    token, _ = ApiToken.issue(w.registrar, "报表")
    data = {"action": "revoke", "_selected_action": [token.pk]}
    admin_client.post(url("accounts_apitoken_changelist"), data)
    token.refresh_from_db()
    assert token.revoked
    assert audit_actions()[-1] == "admin.apitoken.revoke"


def test_user_add_with_name_and_phone(admin_client, w):
    data = {
        "username": "newclerk",
        "full_name": "新同事",
        "email": "new@example.gov.cn",
        "phone": "13900000009",
        "usable_password": "true",
        "password1": "a-long-pass-2025",
        "password2": "a-long-pass-2025",
    }
    response = admin_client.post(url("accounts_user_add"), data)
    assert response.status_code == 302
    user = User.objects.get(username="newclerk")
    assert (user.full_name, user.phone) == ("新同事", "13900000009")
    assert user.check_password("a-long-pass-2025")


def test_role_granted_inline_is_audited(admin_client, w):
    page = admin_client.get(url("accounts_user_change", w.outsider.pk))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "date_joined_0": "2025-06-16",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-agency": w.d2.pk,
            "memberships-0-role": "registrar",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("groups", None)
    response = admin_client.post(url("accounts_user_change", w.outsider.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(user=w.outsider, agency=w.d2, role="registrar").exists()
    entry = AuditEntry.objects.get(action="admin.membership.add")
    assert entry.agency == w.d2
    assert "授予角色" in entry.message


# --- Chinese names for the audit trail's codes, and no English in the admin -------------

SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"


def written_action_codes() -> set[str]:
    """Every action code the source writes as a literal: ``audit_record(action="…")``."""
    codes = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                "audit_record",
                "audit",  # gongkai.documents.services.base
            ):
                for kw in node.keywords:
                    if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                        codes.add(kw.value.value)
    return codes


def test_every_action_code_has_a_chinese_name():
    codes = written_action_codes()
    assert {"case.registered", "letter.opened", "portal.submitted", "auth.locked"} <= codes
    # case.<event kind> (cases.services.base) and letter.<delivery event> (letters.services).
    codes |= {f"case.{kind}" for kind in EventKind}
    codes |= {"letter.delivered", "letter.delivery_returned"}
    for code in sorted(codes):
        name = action_label(code)
        assert name != code and not re.search(r"[A-Za-z]{2,}", name), (code, name)


def test_action_names_by_rule():
    assert action_label("letter.delivered") == "文书送达"
    assert action_label("admin.agency.add") == "管理后台新增机关"
    assert action_label("admin.apitoken.revoke") == "管理后台吊销接口令牌"
    assert action_label("admin.holidaynotice.delete") == "管理后台删除年度放假安排"
    assert action_label("report.生成草稿") == "年度报告：生成草稿"
    assert action_label("something.new") == "something.new"  # shown as is, never hidden


AUDITED = [m for m, a in admin.site._registry.items() if isinstance(a, AuditedAdminMixin)]


@pytest.mark.parametrize("model", AUDITED, ids=[m._meta.model_name for m in AUDITED])
def test_every_audited_admin_change_has_a_chinese_name(model):
    for verb in ("add", "change", "delete"):
        name = action_label(f"admin.{model._meta.model_name}.{verb}")
        assert name.startswith("管理后台") and not re.search(r"[A-Za-z]{2,}", name), name


def test_audit_list_shows_names_and_keeps_codes(admin_client, case):
    entry = AuditEntry.objects.get(action="case.registered")
    response = admin_client.get(url("audit_auditentry_changelist"))
    page, _ = read_page(response.content.decode())
    assert "登记申请" in page and "case.registered" not in page
    assert f"申请 #{case.pk}" in page
    filtered = admin_client.get(url("audit_auditentry_changelist"), {"action": "case.registered"})
    assert list(filtered.context["cl"].result_list) == [entry]
    by_kind = admin_client.get(url("audit_auditentry_changelist"), {"target_type": "case"})
    assert entry in by_kind.context["cl"].result_list
    filters = {f.title: [c["display"] for c in f.choices(filtered.context["cl"])]
               for f in filtered.context["cl"].filter_specs}  # fmt: skip
    assert "登记申请" in filters["操作"]
    assert "申请" in filters["对象类型"]
    assert entry.action == "case.registered"  # the code stays in the database


def test_audit_entry_page_shows_its_data_in_chinese(admin_client, case):
    entry = AuditEntry.objects.get(action="case.registered")
    page = admin_client.get(url("audit_auditentry_change", entry.pk)).content.decode()
    assert '<th scope="row">收到渠道</th><td>当面提交</td>' in page
    assert '<th scope="row">收到日期</th><td>2025-06-09</td>' in page
    assert "in_person" not in page and "received_on" not in page
    assert str(entry).endswith(f"登记申请 申请 #{case.pk}")


def test_admin_pages_have_no_english(admin_client, w, case):
    token, _ = ApiToken.issue(w.registrar, "统计报表系统")
    group = Group.objects.create(name="日历维护")
    group.permissions.set(Permission.objects.filter(codename__endswith="holidaynotice"))
    pages = [
        reverse("admin:index"),
        *(url(f"{m}_changelist") for m in [*ADDABLE, *READ_ONLY, "auth_group"]),
        *(url(f"{m}_add") for m in [*ADDABLE, "auth_group"]),
        url("accounts_apitoken_change", token.pk),
        url("accounts_user_change", w.registrar.pk),
        f"/admin/accounts/user/{w.registrar.pk}/password/",
        url("auth_group_change", group.pk),
        url("agencies_agency_change", w.d1.pk),
        url("audit_auditentry_change", AuditEntry.objects.first().pk),
    ]
    allowed = ALLOWED | set(User.objects.values_list("username", flat=True))
    allowed |= set(Agency.objects.values_list("code", flat=True))
    found = {}
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
        text, _ = read_page(response.content.decode())
        if words := latin_words(text, allowed):
            found[page] = words
    assert not found, found


def test_permissions_are_named_in_chinese(admin_client, w):
    page = admin_client.get(url("auth_group_add")).content.decode()
    assert "年度放假安排 | 新增" in page
    assert "Can add" not in page
