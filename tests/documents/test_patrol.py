"""安全巡查: the quarterly re-scan of what is published, its items and their decisions.

Positions counted by hand: in “联系电话13912345678。” the number starts at column 5.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.cases.signals import daily_run
from gongkai.documents.models import (
    LegalBasis,
    PatrolItem,
    PatrolRun,
    ReviewState,
    ReviewStep,
)
from gongkai.documents.services.base import DocumentError
from gongkai.documents.services.patrol import (
    connect_daily,
    daily_run_receiver,
    patrol_decide,
    patrol_due,
    patrol_run,
)
from gongkai.documents.services.review import record_step
from tests.cases import conftest as shared
from tests.documents.factories import text
from tests.factories import UserFactory

pinned, w = shared.pinned, shared.w  # the pinned world of the case tests (fixtures)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 16)
PHONE = "联系电话13912345678。"
PHONE_HIT = ("mobile", "139****5678", "正文第1行第5列", "block", "")


def refused(message: str):
    return pytest.raises(DocumentError, match="^" + re.escape(message) + "$")


def short(entries: list[dict]) -> list[tuple[str, str, str, str, str]]:
    return [(e["kind"], e["masked"], e["where"], e["severity"], e["file"]) for e in entries]


@pytest.fixture
def texts(w):
    """Published texts of 教育局 (d1) and 自然资源局 (d2), and a draft with the same number."""
    return {
        "leak": text(w.d1, title="关于张三来信的答复", text=PHONE),
        "clean": text(w.d1, title="校服管理办法", text="校服由学校统一组织征订。"),
        "draft": text(w.d1, title="草稿", text=PHONE, review_state=ReviewState.DRAFT),
        "taken": text(w.d1, title="已撤下", text=PHONE, review_state=ReviewState.TAKEN_DOWN),
        "other": text(w.d2, title="不动产登记公告", text="权利人电话13800138000"),
    }


def test_a_patrol_lists_published_texts_holding_personal_information(w, texts):
    run = patrol_run(actor=w.head, agency=w.d1, day=TODAY)
    assert (run.agency, run.day, run.scanned, run.actor) == (w.d1, TODAY, 2, w.head)
    (item,) = run.items.all()
    assert item.document == texts["leak"]
    assert item.outcome == PatrolItem.Outcome.OPEN
    assert short(item.hits) == [PHONE_HIT]
    entry = AuditEntry.objects.get(action="document.patrol")
    assert entry.message == "安全巡查（测试市教育局，2025-06-16）：扫描已发布文件2件，发现须整改1件"
    assert (entry.target_type, entry.target_id) == ("patrolrun", str(run.pk))
    assert entry.data == {"scanned": 2, "items": 1}


def test_the_platforms_run_covers_every_agency(w, texts):
    run = patrol_run(day=TODAY)
    assert (run.agency, run.actor, run.scanned) == (None, None, 3)
    assert [i.document.title for i in run.items.order_by("id")] == [
        "关于张三来信的答复",
        "不动产登记公告",
    ]
    admin = UserFactory(username="root", is_superuser=True)
    assert patrol_run(actor=admin, day=TODAY).scanned == 3


def test_a_text_published_with_a_basis_for_the_same_information_is_left_alone(w, texts):
    leak = texts["leak"]
    hits = [
        {
            "kind": "mobile",
            "label": "手机号码",
            "masked": "139****5678",
            "where": "正文第1行第5列",
            "severity": "block",
            "explanation": "…",
            "file": "",
        }
    ]
    record_step(leak, "basis", w.head, note="本人同意", hits=hits, basis=LegalBasis.CONSENT)
    assert patrol_run(actor=w.head, agency=w.d1, day=TODAY).items.count() == 0
    # the text gains a second number (as if the detector had improved): listed again
    type(leak).objects.filter(pk=leak.pk).update(text=PHONE + "\n备用13700137000")
    (item,) = patrol_run(actor=w.head, agency=w.d1, day=TODAY).items.all()
    assert short(item.hits) == [
        PHONE_HIT,
        ("mobile", "137****7000", "正文第2行第3列", "block", ""),
    ]


@pytest.mark.parametrize(
    ("who", "agency", "message"),
    [
        ("registrar", "d1", "只有本机关的保密审查员、公开工作机构负责人可以进行安全巡查"),
        ("head2", "d1", "只有本机关的保密审查员、公开工作机构负责人可以进行安全巡查"),
        ("head", None, "只有平台管理员可以对所有机关进行安全巡查"),
    ],
)
def test_who_may_run_a_patrol(w, texts, who, agency, message):
    with refused(message):
        patrol_run(actor=getattr(w, who), agency=getattr(w, agency) if agency else None, day=TODAY)
    assert not PatrolRun.objects.exists()


def test_the_secrecy_reviewer_may_run_one_not_dated_ahead(w, texts):
    assert patrol_run(actor=w.secrecy, agency=w.d1, day=TODAY).scanned == 2
    with refused("巡查日期（2025-06-17）不能晚于今天（2025-06-16）"):
        patrol_run(actor=w.secrecy, agency=w.d1, day=date(2025, 6, 17))


# --- decisions -------------------------------------------------------------------------------


@pytest.fixture
def item(w, texts) -> PatrolItem:
    return patrol_run(actor=w.head, agency=w.d1, day=TODAY).items.get()


def test_taking_down_a_listed_text(w, item):
    decided = patrol_decide(
        actor=w.head, item=item, outcome="taken_down", note="含有个人手机号码，撤下整改"
    )
    assert decided.outcome == PatrolItem.Outcome.TAKEN_DOWN
    assert (decided.note, decided.decided_by) == ("含有个人手机号码，撤下整改", w.head)
    assert decided.decided_at is not None
    doc = item.document
    doc.refresh_from_db()
    assert doc.review_state == ReviewState.TAKEN_DOWN
    assert [s.kind for s in ReviewStep.objects.filter(document=doc)] == ["take_down"]
    taken = AuditEntry.objects.get(action="document.taken_down")
    assert taken.message == "《关于张三来信的答复》撤下：含有个人手机号码，撤下整改"
    entry = AuditEntry.objects.get(action="document.patrol_decided")
    assert entry.message == (
        "《关于张三来信的答复》巡查整改：撤下；含有个人手机号码，撤下整改；"
        "发现：手机号码 139****5678（正文第1行第5列）"
    )
    assert entry.data == {"outcome": "taken_down", "basis": "", "document": doc.pk}
    with refused("该整改项已处理（已撤下），不能重复处理"):
        patrol_decide(actor=w.head, item=item, outcome="kept", note="x", basis="consent")


def test_keeping_a_listed_text_on_a_basis_and_the_next_patrol_leaves_it(w, item):
    decided = patrol_decide(
        actor=w.head,
        item=item,
        outcome="kept",
        note="当事人书面同意公开联系方式",
        basis=LegalBasis.CONSENT,
    )
    assert decided.outcome == PatrolItem.Outcome.KEPT
    doc = item.document
    doc.refresh_from_db()
    assert doc.review_state == ReviewState.PUBLISHED
    (basis,) = ReviewStep.objects.filter(document=doc, kind="basis")
    assert (basis.basis, basis.note, basis.actor) == (
        "consent",
        "当事人书面同意公开联系方式",
        w.head,
    )
    assert short(basis.hits) == [PHONE_HIT]
    entry = AuditEntry.objects.get(action="document.patrol_decided")
    assert entry.message.startswith("《关于张三来信的答复》巡查整改：保留（权利人同意公开）；")
    assert patrol_run(actor=w.head, agency=w.d1, day=TODAY).items.count() == 0


def test_a_text_taken_down_meanwhile_is_simply_recorded(w, item):
    type(item.document).objects.filter(pk=item.document_id).update(
        review_state=ReviewState.TAKEN_DOWN
    )
    decided = patrol_decide(actor=w.head, item=item, outcome="taken_down", note="已另行撤下")
    assert decided.outcome == PatrolItem.Outcome.TAKEN_DOWN
    assert not ReviewStep.objects.filter(document=item.document).exists()


@pytest.mark.parametrize(
    ("who", "outcome", "note", "basis", "message"),
    [
        ("registrar", "kept", "x", "consent", "只有本机关的公开工作机构负责人可以处理巡查整改项"),
        ("head2", "kept", "x", "consent", "只有本机关的公开工作机构负责人可以处理巡查整改项"),
        ("head", "ignored", "x", "", "处理结果“ignored”无效，应为“已撤下”或“有依据保留”"),
        ("head", "taken_down", " ", "", "请写明撤下的理由"),
        ("head", "kept", "", "consent", "请写明保留的依据内容"),
        (
            "head",
            "kept",
            "有依据",
            "",
            "有依据保留须选择公开依据，应为以下之一：惩戒公示（法律法规规定公开的处罚、失信信息）、"
            "法定强制性披露、权利人同意公开、不公开会对公共利益造成重大影响",
        ),
    ],
)
def test_refused_decisions(w, item, who, outcome, note, basis, message):
    with refused(message):
        patrol_decide(actor=getattr(w, who), item=item, outcome=outcome, note=note, basis=basis)
    item.refresh_from_db()
    assert item.outcome == PatrolItem.Outcome.OPEN
    assert not AuditEntry.objects.filter(action="document.patrol_decided").exists()


# --- the quarterly schedule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "day", "due"),
    [
        (None, TODAY, True),
        (date(2025, 3, 16), date(2025, 6, 15), False),
        (date(2025, 3, 16), date(2025, 6, 16), True),
        (date(2024, 11, 30), date(2025, 2, 27), False),
        (date(2024, 11, 30), date(2025, 2, 28), True),  # no 30 February: its last day
        (date(2024, 11, 30), date(2025, 3, 1), True),
    ],
)
def test_a_patrol_is_due_a_quarter_after_the_last(w, last, day, due):
    if last is not None:
        PatrolRun.objects.create(day=last)
    PatrolRun.objects.create(agency=w.d1, day=day)  # an agency's own run does not count
    assert patrol_due(day) is due


def test_the_daily_job_runs_the_patrol_when_due(w, texts):
    assert daily_run_receiver(None, day=TODAY, dry_run=True) == [
        "安全巡查：本季度巡查到期，将扫描已发布文件 3 件，预演未写入"
    ]
    assert not PatrolRun.objects.exists()
    assert daily_run_receiver(None, day=TODAY) == ["安全巡查：扫描已发布文件 3 件，发现须整改 2 件"]
    run = PatrolRun.objects.get()
    assert (run.agency, run.actor, run.day) == (None, None, TODAY)
    assert daily_run_receiver(None, day=TODAY) == []  # not due again until September
    assert PatrolRun.objects.count() == 1


def test_with_nothing_published_the_daily_summary_stays_short(w):
    assert daily_run_receiver(None, day=TODAY) == []
    assert PatrolRun.objects.get().scanned == 0


def test_connect_daily_hooks_the_patrol_into_the_daily_job(w, texts):
    uid = "gongkai.documents.patrol.daily_run"
    try:
        connect_daily()
        answers = daily_run.send(sender=None, day=TODAY, dry_run=True)
        assert (
            daily_run_receiver,
            ["安全巡查：本季度巡查到期，将扫描已发布文件 3 件，预演未写入"],
        ) in answers
    finally:
        daily_run.disconnect(dispatch_uid=uid)
