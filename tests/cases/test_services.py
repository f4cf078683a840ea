"""Every workflow transition through the services: allowed and refused, with its records."""

from datetime import date

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Card, Case, EventKind
from gongkai.cases.personal import case_view_identity
from gongkai.cases.services import (
    CaseError,
    ItemInput,
    assignment_answer,
    case_approve,
    case_archive,
    case_assign,
    case_consult,
    case_draft_reply,
    case_extend,
    case_lapse_correction,
    case_mark_replied,
    case_receive_correction,
    case_reopen,
    case_request_correction,
    case_return_draft,
    case_secrecy_review,
    case_withdraw,
    consultation_answer,
)
from gongkai.core.outcomes import Outcome
from tests.factories import company, person, register, steps_only

pytestmark = pytest.mark.django_db


def audit_actions(case: Case) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="case", target_id=str(case.pk))
        .exclude(action="case.applicant_notified")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_register_numbers_masks_encrypts_and_starts_clock(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    assert c.number == "CSJY-2025-0001"
    c2 = register(w.registrar, w.d1, received_on=date(2025, 6, 10), applicant=company())
    assert c2.number == "CSJY-2025-0002"
    c.refresh_from_db()
    # 20 working days after Monday 9 June 2025: Monday 7 July.
    assert c.due_on == date(2025, 7, 7)
    assert c.card == Card.GREEN
    assert c.applicant_name_masked == "张*明"
    assert c.id_number_masked == "3702**********0019"
    assert c2.applicant_name_masked == "青岛某某科技有限公司"
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT applicant_name, id_number FROM cases_case WHERE id = %s", [c.pk])
        raw_name, raw_id = cur.fetchone()
    assert "张三明" not in raw_name and raw_id.startswith("gAAAA")
    assert c.applicant_name == "张三明"
    assert audit_actions(c) == ["case.registered"]
    assert steps_only([e.kind for e in c.events.all()]) == [EventKind.RECEIVED]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "370202198506150001", "校验"),
        ("name", " ", "请填写申请人姓名或名称"),
    ],
)
def test_register_refuses_bad_identity(w, field, value, message):
    a = person()
    a = a.__class__(**{**a.__dict__, field: value})
    with pytest.raises(CaseError, match=message):
        register(w.registrar, w.d1, applicant=a)
    assert Case.objects.count() == 0


def test_register_refuses_future_date_and_wrong_people(w):
    with pytest.raises(CaseError, match="不能晚于今天"):
        register(w.registrar, w.d1, received_on=date(2025, 6, 17))
    for who in (w.handler1, w.supervisor, w.admin, w.registrar2, w.outsider, w.secrecy):
        with pytest.raises(CaseError, match="不能登记申请"):
            register(who, w.d1)
    with pytest.raises(CaseError, match="不受理"):
        register(w.head, w.u1)
    assert Case.objects.count() == 0


def test_full_path_with_assignment_consultation_extension_and_reply(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    a = case_assign(actor=w.registrar, case=c, unit=w.u1, working_days=5, day=date(2025, 6, 10))
    assert a.due_on == date(2025, 6, 17)
    c.refresh_from_db()
    assert c.status == "processing"
    assignment_answer(
        actor=w.handler1,
        assignment=a,
        opinion="经检索，该文件存在，可以公开",
        day=date(2025, 6, 12),
    )
    q = case_consult(
        actor=w.registrar, case=c, kind="third_party", party="某建设公司", day=date(2025, 6, 12)
    )
    consultation_answer(actor=w.registrar, consultation=q, answer="consent", day=date(2025, 6, 16))
    c.refresh_from_db()
    # Paused from 12 June to 16 June: 2 working days (13, 16) added.
    assert c.due_on == date(2025, 7, 9)
    case_extend(actor=w.head, case=c, working_days=10, reason="涉及多个年度档案")
    c.refresh_from_db()
    assert c.due_on == date(2025, 7, 23)
    case_secrecy_review(actor=w.secrecy, case=c, passed=True, note="不涉密")
    case_draft_reply(
        actor=w.handler1,
        case=c,
        items=[
            ItemInput("批复文件", Outcome.DISCLOSED),
            ItemInput("附件图纸", Outcome.THIRD_PARTY_RIGHTS),
        ],
    )
    c.refresh_from_db()
    assert (c.status, c.outcome) == ("drafted", "partial")
    with pytest.raises(CaseError, match="重新审查"):
        case_approve(actor=w.head, case=c)
    case_secrecy_review(actor=w.secrecy, case=c, passed=True)
    case_approve(actor=w.head, case=c)
    case_mark_replied(actor=w.registrar, case=c)
    c.refresh_from_db()
    assert (c.status, c.card, c.replied_on) == ("replied", Card.DONE, date(2025, 6, 16))
    case_archive(actor=w.registrar, case=c)
    c.refresh_from_db()
    assert c.status == "archived"
    assert audit_actions(c) == [
        "case.registered",
        "case.routed",
        "case.department_answered",
        "case.consultation_sent",
        "case.consultation_answered",
        "case.extended",
        "case.secrecy_reviewed",
        "case.drafted",
        "case.secrecy_reviewed",
        "case.approved",
        "case.replied",
        "case.archived",
    ]


def test_correction_restarts_the_clock_and_happens_once(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 6, 3))
    case_request_correction(
        actor=w.registrar,
        case=c,
        what="请写明文件名称",
        reply_by=date(2025, 6, 20),
        day=date(2025, 6, 4),
    )
    c.refresh_from_db()
    assert (c.status, c.card, c.due_on) == ("awaiting_correction", Card.PAUSED, None)
    with pytest.raises(CaseError, match="不能执行“补正告知”"):
        case_request_correction(
            actor=w.registrar, case=c, what="再补正", reply_by=date(2025, 6, 30)
        )
    with pytest.raises(CaseError, match="尚未届满"):
        case_lapse_correction(actor=w.registrar, case=c)
    case_receive_correction(actor=w.registrar, case=c, day=date(2025, 6, 13))
    c.refresh_from_db()
    # Clock restarts on Friday 13 June: 20 working days → Friday 11 July.
    assert (c.status, c.due_on) == ("processing", date(2025, 7, 11))


def test_correction_lapse_closes_as_other_1(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 5, 6))
    case_request_correction(
        actor=w.registrar,
        case=c,
        what="请补充身份证明",
        reply_by=date(2025, 5, 20),
        day=date(2025, 5, 7),
    )
    case_lapse_correction(actor=w.head, case=c)
    c.refresh_from_db()
    assert (c.status, c.outcome, c.card) == ("closed", "no_correction", Card.DONE)
    assert Outcome(c.outcome).report_row == "other_1"


def test_refused_transitions_write_nothing(w):
    c = register(w.registrar, w.d1)
    before = (AuditEntry.objects.count(), c.events.count())
    refusals = [
        (lambda: case_approve(actor=w.head, case=c), "不能执行“审签”"),
        (lambda: case_mark_replied(actor=w.registrar, case=c), "不能执行“已答复送达”"),
        (lambda: case_archive(actor=w.registrar, case=c), "不能执行“归档”"),
        (
            lambda: case_extend(actor=w.registrar, case=c, working_days=5, reason="x"),
            "须由公开工作机构负责人办理",
        ),
        (lambda: case_extend(actor=w.head, case=c, working_days=21, reason="x"), "1 至 20"),
        (lambda: case_secrecy_review(actor=w.registrar, case=c, passed=True), "保密审查员"),
        (lambda: case_reopen(actor=w.head, case=c, decision="复决字1号"), "不能执行"),
        (lambda: case_assign(actor=w.registrar, case=c, unit=w.u3), "不是测试市教育局的内设机构"),
        (lambda: case_assign(actor=w.registrar, case=c, unit=w.d1), "受理机关本身"),
        (
            lambda: case_draft_reply(
                actor=w.registrar2, case=c, items=[ItemInput("x", "disclosed")]
            ),
            "无权查看",
        ),
        (lambda: case_withdraw(actor=w.supervisor, case=c), "须由登记员"),
        (lambda: case_withdraw(actor=w.outsider, case=c), "无权查看"),
        (
            lambda: case_draft_reply(
                actor=w.registrar, case=c, items=[ItemInput("x", "no_correction")]
            ),
            "终止操作",
        ),
    ]
    for call, message in refusals:
        with pytest.raises(CaseError, match=message):
            call()
    assert (AuditEntry.objects.count(), c.events.count()) == before


def test_extensions_capped_at_twenty_in_total(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 6, 9))
    case_extend(actor=w.head, case=c, working_days=15, reason="档案量大")
    with pytest.raises(CaseError, match="超过第三十三条规定的最长 20 个工作日"):
        case_extend(actor=w.head, case=c, working_days=6, reason="仍需时间")


def test_approval_needs_a_passed_secrecy_review_and_return_goes_back(w):
    c = register(w.registrar, w.d1)
    case_draft_reply(actor=w.registrar, case=c, items=[ItemInput("文件", "disclosed")])
    with pytest.raises(CaseError, match="须通过保密审查"):
        case_approve(actor=w.head, case=c)
    case_secrecy_review(actor=w.secrecy, case=c, passed=False, note="含内部人员信息")
    with pytest.raises(CaseError, match="须通过保密审查"):
        case_approve(actor=w.head, case=c)
    case_return_draft(actor=w.head, case=c, note="删去人员信息后再报")
    c.refresh_from_db()
    assert c.status == "processing"


def test_withdraw_then_reopen_with_decision_deadline(w):
    c = register(w.registrar, w.d1, received_on=date(2025, 6, 2 + 1))
    case_withdraw(actor=w.registrar, case=c, note="申请人书面撤回")
    c.refresh_from_db()
    assert (c.status, c.outcome, c.card) == ("closed", "other", Card.DONE)
    case_reopen(
        actor=w.head, case=c, decision="测复决字〔2025〕3号，责令重新答复", due=date(2025, 7, 1)
    )
    c.refresh_from_db()
    assert (c.status, c.outcome, c.due_on, c.card) == (
        "processing",
        "",
        date(2025, 7, 1),
        Card.GREEN,
    )


def test_handler_answers_only_their_own_assignment(w):
    c = register(w.registrar, w.d1)
    a = case_assign(actor=w.registrar, case=c, unit=w.u2)
    with pytest.raises(CaseError, match="无权查看"):
        assignment_answer(actor=w.handler1, assignment=a, opinion="不是我们的")
    case_assign(actor=w.registrar, case=c, unit=w.u1)
    with pytest.raises(CaseError, match="您不是该单位的承办人"):
        assignment_answer(actor=w.handler1, assignment=a, opinion="代答")
    with pytest.raises(CaseError, match="已转办给基础教育处且尚未回复"):
        case_assign(actor=w.registrar, case=c, unit=w.u1)


def test_identity_view_is_audited_and_limited(w):
    c = register(w.registrar, w.d1)
    data = case_view_identity(actor=w.registrar, case=c)
    assert data["applicant_name"] == "张三明" and data["phone"] == "13812345678"
    entry = AuditEntry.objects.filter(action="case.identity_viewed").get()
    assert "张三明" not in entry.message and entry.actor == w.registrar
    for who in (w.supervisor, w.handler1, w.outsider, w.registrar2):
        with pytest.raises(CaseError, match="完整身份信息"):
            case_view_identity(actor=who, case=c)


def test_audit_entries_cannot_be_changed(w):
    from gongkai.audit.models import AppendOnlyError

    c = register(w.registrar, w.d1)
    entry = AuditEntry.objects.get(target_type="case", target_id=str(c.pk))
    entry.message = "改写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
