"""The daily deadline reminders: what is found, who hears of it, once a day.

Today is pinned to Monday 2025-06-16 (``w`` fixture); 2025-06-02 was the 端午 holiday.
The tests run with real transactions because messages go out on commit.
"""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Card, Case, Reminder
from gongkai.cases.reminders import run_reminders
from gongkai.cases.services import case_assign, case_consult, case_request_correction
from tests.factories import World, register

pytestmark = pytest.mark.django_db(transaction=True)

sent_sms: list[tuple[str, str]] = []
HOOK = "tests.cases.test_reminders.fake_sms"
FAILING_HOOK = "tests.cases.test_reminders.broken_sms"


def fake_sms(phone: str, text: str) -> None:
    """The SMS hook used by the tests."""
    sent_sms.append((phone, text))


def broken_sms(phone: str, text: str) -> None:
    raise ConnectionError("短信网关不可用")


@pytest.fixture(autouse=True)
def _clear_sms():
    sent_sms.clear()
    yield
    sent_sms.clear()


def give_email(*users) -> None:
    for u in users:
        u.email = f"{u.username}@example.gov.cn"
        u.save(update_fields=["email"])


@pytest.fixture
def due_cases(w: World) -> tuple[Case, Case, Case]:
    """A yellow case (due 6-17), a red one (due 6-10) and a green one (due 7-14) of D1."""
    give_email(w.registrar, w.head, w.secrecy, w.handler1, w.handler3)
    yellow = register(w.registrar, w.d1, received_on=date(2025, 5, 19))
    red = register(w.registrar, w.d1, received_on=date(2025, 5, 12))
    green = register(w.registrar, w.d1, received_on=date(2025, 6, 16))
    return yellow, red, green


def recipients() -> list[str]:
    return sorted(to for m in mail.outbox for to in m.to)


def test_yellow_and_red_cases_go_to_the_office(w, due_cases):
    yellow, red, _green = due_cases
    result = run_reminders()
    assert result.found["case.yellow"] == 1
    assert result.found["case.red"] == 1
    # Registrar and head of D1; not the secrecy reviewer, not the handlers.
    assert recipients() == ["head1@example.gov.cn", "reg1@example.gov.cn"]
    msg = next(m for m in mail.outbox if m.to == ["reg1@example.gov.cn"])
    assert "已超期 1 项、临近期限 1 项" in msg.subject
    assert f"{red.number}（测试市教育局）：答复期限 2025-06-10，已超期 4 个工作日" in msg.body
    assert f"{yellow.number}（测试市教育局）：答复期限 2025-06-17，还剩 1 个工作日" in msg.body
    assert "第三十三条" in msg.body
    assert msg.body.index("【已超期】") < msg.body.index("【临近期限】")
    assert Reminder.objects.count() == 4
    assert set(Reminder.objects.values_list("level", flat=True)) == {"yellow", "red"}


def test_run_refreshes_the_stored_clock(w, due_cases):
    yellow, _, _ = due_cases
    Case.objects.filter(pk=yellow.pk).update(card=Card.GREEN, clock_as_of=date(2025, 6, 1))
    result = run_reminders()
    yellow.refresh_from_db()
    assert (yellow.card, yellow.clock_as_of) == (Card.YELLOW, date(2025, 6, 16))
    assert result.refreshed == 3
    assert result.changed == 1


def test_assignment_reminders_go_to_the_units_handlers_only(w, due_cases):
    case = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    case_assign(actor=w.registrar, case=case, unit=w.u1, working_days=3, day=date(2025, 6, 9))
    other = register(w.registrar, w.d1, received_on=date(2025, 6, 16))
    case_assign(actor=w.registrar, case=other, unit=w.u1, working_days=2)
    result = run_reminders()
    assert result.found["assignment.red"] == 1
    assert result.found["assignment.yellow"] == 1
    to_handler = [m for m in mail.outbox if m.to == ["hand1@example.gov.cn"]]
    assert len(to_handler) == 1
    body = to_handler[0].body
    assert f"{case.number}：转办至基础教育处，回复期限 2025-06-12，已超期 2 个工作日" in body
    assert f"{other.number}：转办至基础教育处，回复期限 2025-06-18，还剩 2 个工作日" in body
    assert "答复期限 2025-06-10" not in body  # the case deadlines are the office's
    assert "hand3@example.gov.cn" not in recipients()
    registrar = next(m for m in mail.outbox if m.to == ["reg1@example.gov.cn"])
    assert "转办至" not in registrar.body


def test_overdue_consultation_and_lapsed_correction(w):
    give_email(w.registrar)
    consulted = register(w.registrar, w.d1, received_on=date(2025, 5, 19))
    case_consult(
        actor=w.registrar, case=consulted, kind="third_party", party="某公司", day=date(2025, 5, 20)
    )
    waiting = register(w.registrar, w.d1, received_on=date(2025, 6, 3))
    case_request_correction(
        actor=w.registrar,
        case=waiting,
        what="请写明文件名称",
        reply_by=date(2025, 6, 12),
        day=date(2025, 6, 5),
    )
    result = run_reminders()
    assert result.found["consultation.red"] == 1
    assert result.found["correction.red"] == 1
    assert result.found["case.yellow"] == result.found["case.red"] == 0
    (msg,) = mail.outbox
    assert f"{consulted.number}：征求某公司意见的回复期限 2025-06-11 已过" in msg.body
    assert f"{waiting.number}：补正期限 2025-06-12 已过" in msg.body
    assert "逾期未补正" in msg.body


def test_second_run_the_same_day_sends_nothing(w, due_cases):
    first = run_reminders()
    sent, rows = len(mail.outbox), Reminder.objects.count()
    assert first.emails == sent == 2
    second = run_reminders()
    assert len(mail.outbox) == sent
    assert Reminder.objects.count() == rows
    assert (second.emails, second.already) == (0, 4)
    assert AuditEntry.objects.filter(action="reminders.sent").count() == 1
    # The next day is another day: reminded again.
    third = run_reminders(date(2025, 6, 17))
    assert third.emails == 2


def test_dry_run_sends_and_writes_nothing(w, due_cases):
    yellow, _, _ = due_cases
    Case.objects.filter(pk=yellow.pk).update(clock_as_of=date(2025, 6, 1))
    audits = AuditEntry.objects.count()
    out = StringIO()
    call_command("remind", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "预演，未发送、未写入任何数据" in text
    assert "将通知 工作人员" in text and "（reg1，邮件）" in text
    assert f"[已超期] {due_cases[1].number}" in text
    assert "将通知 2 人" in text
    assert mail.outbox == []
    assert Reminder.objects.count() == 0
    assert AuditEntry.objects.count() == audits
    yellow.refresh_from_db()
    assert yellow.clock_as_of == date(2025, 6, 1)


def test_dry_run_after_a_real_run_lists_nothing_new(w, due_cases):
    run_reminders()
    result = run_reminders(dry_run=True)
    assert result.messages == []
    assert result.already == 4


@override_settings(GONGKAI_SMS_HOOK=HOOK)
def test_sms_hook_gets_phone_and_text(w, due_cases):
    w.registrar.phone = "13900000001"
    w.registrar.save(update_fields=["phone"])
    result = run_reminders()
    expected = (
        f"【政府信息公开】{w.registrar.full_name}：截至2025-06-16，"
        "您有1项已超期、1项临近期限的依申请公开事项，请登录平台及时办理。"
    )
    assert sent_sms == [("13900000001", expected)]
    assert result.sms == 1


def test_no_hook_no_sms(w, due_cases):
    w.registrar.phone = "13900000001"
    w.registrar.save(update_fields=["phone"])
    assert run_reminders().sms == 0
    assert sent_sms == []


def test_user_without_email_is_skipped_and_counted(w, due_cases):
    w.head.email = ""
    w.head.save(update_fields=["email"])
    result = run_reminders()
    assert recipients() == ["reg1@example.gov.cn"]
    assert result.no_email == 1
    assert not Reminder.objects.filter(recipient=w.head).exists()  # tried again next run
    assert "跳过 1 人（无电子邮箱）" in "\n".join(result.summary())


@override_settings(GONGKAI_SMS_HOOK=FAILING_HOOK)
def test_unreached_person_is_released_for_the_next_run(w, due_cases):
    w.head.email, w.head.phone = "", "13900000002"
    w.head.save(update_fields=["email", "phone"])
    result = run_reminders()
    assert result.failed == 1
    assert not Reminder.objects.filter(recipient=w.head).exists()
    assert Reminder.objects.filter(recipient=w.registrar).count() == 2


def test_command_prints_the_summary(w, due_cases):
    out = StringIO()
    call_command("remind", stdout=out)
    text = out.getvalue()
    assert "期限提醒（2025-06-16）" in text
    assert "在办申请 3 件；已刷新计时 3 件" in text
    assert "答复期限：黄牌 1 件，红牌 1 件" in text
    assert "已发送邮件 2 封、短信 0 条；跳过 0 人（无电子邮箱）" in text
    quiet = StringIO()
    call_command("remind", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""


def test_command_today_option(w, due_cases):
    out = StringIO()
    # On 2025-06-10 the red case is due that very day and the yellow one in 5 working days.
    call_command("remind", "--today", "2025-06-10", "--dry-run", stdout=out)
    assert "答复期限：黄牌 2 件，红牌 0 件" in out.getvalue()
    assert "在办申请 2 件" in out.getvalue()  # the green case was received later
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--today", "2025/06/10")


def test_concurrent_runs_do_not_double_send(w, due_cases):
    """Two runs at once (PostgreSQL: real concurrent transactions) send each reminder once."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite 的内存测试库不支持并发写入；在 PostgreSQL 上运行")
    import threading

    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(run_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2
    assert sum(r.emails for r in results) == 2
    assert sorted(recipients()) == ["head1@example.gov.cn", "reg1@example.gov.cn"]
    assert Reminder.objects.count() == 4
