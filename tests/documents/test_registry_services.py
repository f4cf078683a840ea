"""The registry's write services: texts, 索引号, policy codes, revisions, validity, 清理."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gongkai.audit.models import AuditEntry
from gongkai.core.validity import AgencyLevel, DocKind, Validity
from gongkai.core.workflow import Role
from gongkai.documents.models import (
    Attachment,
    Cleanup,
    Disclosure,
    IndexCounter,
    Policy,
    RegistrySettings,
    ReviewState,
    ValidityChange,
)
from gongkai.documents.services import registry
from gongkai.documents.services.base import DocumentError
from gongkai.documents.services.decisions import (
    cleanup_publish,
    cleanup_run,
    expiring_soon,
    mark_revised,
    refresh_validity,
    validity_decide,
)
from gongkai.documents.services.registry import (
    attachment_add,
    attachment_remove,
    core_registry,
    document_create,
    document_update,
    registry_settings,
    to_core,
)
from tests.documents.factories import text
from tests.factories import member, world

CREDIT = "11370200004567890X"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def pinned():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False) as t:
        yield t


@pytest.fixture
def w(db, pinned):
    return world()


@pytest.fixture
def settings_d1(w):
    return RegistrySettings.objects.create(
        agency=w.d1, level=AgencyLevel.CITY_DEPARTMENT, credit_code=CREDIT
    )


def notice(w, **kw):
    """A 行政规范性文件 of the education bureau, drafted by its registrar."""
    fields = {
        "actor": w.registrar,
        "agency": w.d1,
        "kind": DocKind.NORMATIVE,
        "title": "测试市教育局关于规范中小学校课后服务工作的通知",
        "doc_number": "测教发〔2025〕8号",
        "written_on": date(2025, 6, 10),
        "effective_on": date(2025, 7, 1),
        "expires_on": date(2030, 6, 30),
        "topic": "教育",
    }
    return document_create(**(fields | kw))


def last_audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


# --- creating ----------------------------------------------------------------------------


def test_create_a_normative_document(w, settings_d1):
    doc = notice(w, text="各区（市）教育局：为规范课后服务……")
    assert doc.review_state == ReviewState.DRAFT
    assert doc.index_no == "11370200004567890X/2025-00001"
    assert doc.validity == Validity.NOT_YET_IN_FORCE and doc.validity_since is None
    assert doc.formed_on == date(2025, 6, 10)
    assert doc.created_by == w.registrar
    assert doc.name == "《测试市教育局关于规范中小学校课后服务工作的通知》（测教发〔2025〕8号）"
    assert doc.policy.agency == w.d1 and doc.policy.kind == DocKind.NORMATIVE
    assert doc.policy.topic == "教育"
    assert len(doc.policy.code) == 8
    assert set(doc.policy.code) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    entry = last_audit("document.created")
    assert entry.actor == w.registrar and entry.agency == w.d1
    assert entry.message == (
        "新建行政规范性文件《测试市教育局关于规范中小学校课后服务工作的通知》"
        "（测教发〔2025〕8号）（索引号 11370200004567890X/2025-00001）"
    )


def test_blank_doc_number_gives_the_name_without_brackets(w):
    doc = notice(w, kind=DocKind.OTHER, title="测试市教育局2025年度政务公开工作要点", doc_number="")
    assert doc.name == "《测试市教育局2025年度政务公开工作要点》"
    # No settings yet: the agency's platform code stands in for the credit code.
    assert doc.index_no == "CSJY/2025-00001"
    assert last_audit("document.created").message == (
        "新建其他文件《测试市教育局2025年度政务公开工作要点》（索引号 CSJY/2025-00001）"
    )


def test_in_force_from_its_effective_day(w):
    doc = notice(w, written_on=date(2025, 5, 20), effective_on=date(2025, 6, 1))
    assert (doc.validity, doc.validity_since) == (Validity.IN_FORCE, date(2025, 6, 1))


def test_index_serials_count_per_year_and_are_never_reused(w, settings_d1):
    first = notice(w)
    second = notice(w, title="测试市教育局关于做好2025年暑期安全工作的通知", doc_number="")
    older = notice(
        w,
        title="测试市教育局关于2024年教育督导工作的通知",
        written_on=date(2024, 11, 5),
        effective_on=date(2024, 11, 5),
        doc_number="",
    )
    assert [first.index_no, second.index_no, older.index_no] == [
        "11370200004567890X/2025-00001",
        "11370200004567890X/2025-00002",
        "11370200004567890X/2024-00001",
    ]
    # A 索引号 typed in by hand takes serial 3: the counter skips it.
    notice(w, title="手工编号的文件", doc_number="", index_no="11370200004567890X/2025-00003")
    # A refused text consumes no serial (its transaction is undone).
    with pytest.raises(DocumentError):
        notice(w, title="", doc_number="")
    fourth = notice(w, title="测试市教育局关于开展校园食品安全检查的通知", doc_number="")
    assert fourth.index_no == "11370200004567890X/2025-00004"
    assert IndexCounter.objects.get(agency=w.d1, year=2025).last == 4


def test_a_taken_index_no_is_refused_naming_it(w, settings_d1):
    notice(w)
    with pytest.raises(DocumentError) as exc:
        notice(w, title="另一件文件", doc_number="", index_no="11370200004567890X/2025-00001")
    assert str(exc.value) == (
        "索引号“11370200004567890X/2025-00001”已被《测试市教育局关于规范中小学校课后服务工作的"
        "通知》（测教发〔2025〕8号）使用，请换一个"
    )


def test_a_bad_index_format_is_refused(w):
    RegistrySettings.objects.create(agency=w.d1, index_format="{credit_code.__class__}-{序号}")
    with pytest.raises(DocumentError) as exc:
        notice(w)
    assert str(exc.value) == (
        "文件库设置中的索引号格式“{credit_code.__class__}-{序号}”无效"
        "（可用 {信用代码}、{年度}、{序号}，如 {信用代码}/{年度}-{序号:05d}）"
    )


def test_policy_codes_are_retried_on_a_collision(w, monkeypatch):
    Policy.objects.create(agency=w.d1, kind=DocKind.OTHER, code="AAAAAAAA")
    codes = iter(["AAAAAAAA", "AAAAAAAA", "BBBBBBBB"])
    monkeypatch.setattr(registry, "_random_code", lambda: next(codes))
    assert notice(w).policy.code == "BBBBBBBB"


def test_county_level_bodies_may_not_make_rules(w):
    RegistrySettings.objects.create(agency=w.d1, level=AgencyLevel.COUNTY_GOVERNMENT)
    with pytest.raises(DocumentError) as exc:
        notice(w, kind=DocKind.RULES)
    assert str(exc.value) == (
        "县级人民政府无权制定规章：规章只能由国务院部门（《中华人民共和国立法法》第九十一条）"
        "和省、自治区、直辖市和设区的市、自治州的人民政府（第九十三条）制定；"
        "请改为行政规范性文件或其他文件"
    )


def test_rules_need_the_level_set(w):
    with pytest.raises(DocumentError) as exc:
        notice(w, kind=DocKind.RULES)
    assert str(exc.value) == "请先在文件库设置中填写本机关的行政层级（决定可否制定规章）"


def test_a_city_government_makes_rules(w):
    RegistrySettings.objects.create(agency=w.gov, level=AgencyLevel.CITY_GOVERNMENT)
    clerk = member(w.gov, Role.REGISTRAR, username="govreg")
    doc = notice(
        w,
        actor=clerk,
        agency=w.gov,
        kind=DocKind.RULES,
        title="测试市城市绿化管理办法",
        doc_number="测试市人民政府令第12号",
    )
    assert doc.kind == DocKind.RULES and doc.index_no == "CSGOV/2025-00001"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"effective_on": date(2025, 6, 1)},
            "《测试市教育局关于规范中小学校课后服务工作的通知》（测教发〔2025〕8号）"
            "的施行日期 2025-06-01 早于成文日期 2025-06-10",
        ),
        (
            {"expires_on": date(2025, 6, 30)},
            "《测试市教育局关于规范中小学校课后服务工作的通知》（测教发〔2025〕8号）"
            "的有效期至 2025-06-30 早于施行日期 2025-07-01",
        ),
        (
            {"disclosure": Disclosure.NOT_PUBLIC},
            "不予公开的文件须写明不公开理由"
            "（《中华人民共和国政府信息公开条例》第十四条、第十五条、第十六条）",
        ),
        ({"title": "   "}, "标题不能为空"),
        ({"doc_number": "测" * 81}, "发文字号不能超过 80 个字（现为 81 个字）"),
        (
            {"formed_on": date(2025, 6, 9)},
            "形成或变更日期（2025-06-09）不能早于成文日期（2025-06-10）",
        ),
    ],
)
def test_bad_fields_are_refused(w, changes, message):
    with pytest.raises(DocumentError) as exc:
        notice(w, **changes)
    assert str(exc.value) == message


def test_only_the_office_drafts(w):
    for who in (w.outsider, w.supervisor, w.registrar2):
        with pytest.raises(DocumentError) as exc:
            notice(w, actor=who)
        assert str(exc.value) == "只有本机关的公开工作机构负责人、登记员可以新建政府文件"


# --- updating and attachments ------------------------------------------------------------


def test_update_a_draft(w, settings_d1):
    doc = notice(w)
    updated = document_update(
        actor=w.registrar,
        document=doc,
        title="测试市教育局关于进一步规范中小学校课后服务工作的通知",
        effective_on=date(2025, 6, 12),
        topic="基础教育",
        index_no="",
    )
    assert updated.title == "测试市教育局关于进一步规范中小学校课后服务工作的通知"
    assert updated.index_no == "11370200004567890X/2025-00001"  # blank keeps it
    assert (updated.validity, updated.validity_since) == (Validity.IN_FORCE, date(2025, 6, 12))
    assert Policy.objects.get(pk=doc.policy_id).topic == "基础教育"
    entry = last_audit("document.updated")
    assert entry.message == (
        "修改《测试市教育局关于进一步规范中小学校课后服务工作的通知》（测教发〔2025〕8号）："
        "施行日期、标题、主题分类"  # in the order of the field names
    )
    assert entry.data == {"fields": ["effective_on", "title", "topic"]}


def test_update_refuses_texts_under_review_and_unknown_fields(w):
    doc = notice(w)
    with pytest.raises(DocumentError) as exc:
        document_update(actor=w.registrar, document=doc, review_state="published")
    assert str(exc.value) == "不能修改这些字段：review_state"
    doc.review_state = ReviewState.SECRECY
    doc.save()
    with pytest.raises(DocumentError) as exc:
        document_update(actor=w.registrar, document=doc, title="新标题")
    assert str(exc.value) == (
        "《测试市教育局关于规范中小学校课后服务工作的通知》（测教发〔2025〕8号）的审查状态为"
        "“待保密审查”，只有草稿或已退回的文件可以修改"
    )


def test_attachments_are_pdf_docx_or_ofd(w):
    doc = notice(w)
    att = attachment_add(
        actor=w.registrar,
        document=doc,
        upload=SimpleUploadedFile("课后服务通知.pdf", PDF, "application/pdf"),
    )
    assert (att.name, att.content_type, att.size) == ("课后服务通知.pdf", "application/pdf", 35)
    assert att.file.name.endswith(".pdf")
    assert last_audit("document.attached").message == (
        "《测试市教育局关于规范中小学校课后服务工作的通知》（测教发〔2025〕8号）："
        "上传附件“课后服务通知.pdf”"
    )
    with pytest.raises(DocumentError) as exc:
        attachment_add(
            actor=w.registrar, document=doc, upload=SimpleUploadedFile("扫描件.png", PNG)
        )
    assert str(exc.value) == (
        "文件“扫描件.png”是图片，不能作为政府文件的附件；请上传 PDF、DOCX 或 OFD 文件"
    )
    with pytest.raises(DocumentError) as exc:
        attachment_add(actor=w.registrar, document=doc, upload=SimpleUploadedFile("伪装.pdf", PNG))
    assert str(exc.value) == "文件“伪装.pdf”的内容与扩展名 .pdf 不符"
    attachment_remove(actor=w.registrar, attachment=att)
    assert not Attachment.objects.filter(document=doc).exists()
    assert last_audit("document.attachment_removed").message.endswith("删除附件“课后服务通知.pdf”")


# --- revisions -----------------------------------------------------------------------------


def old_text(w, **kw):
    fields = {
        "title": "测试市教育局关于印发《测试市中小学生学籍管理实施细则》的通知",
        "doc_number": "测教发〔2023〕5号",
        "written_on": date(2023, 3, 1),
        "effective_on": date(2023, 4, 1),
    }
    return text(w.d1, **(fields | kw))


def revision(w, old, **kw):
    fields = {
        "title": "测试市教育局关于印发《测试市中小学生学籍管理实施细则（2025年修订）》的通知",
        "doc_number": "测教发〔2025〕11号",
        "written_on": date(2025, 6, 1),
        "effective_on": date(2025, 7, 1),
        "expires_on": None,
        "revises": old,
    }
    return notice(w, **(fields | kw))


def publish(doc, day):
    """What the review's publish step does to the text itself, and its call of mark_revised."""
    with transaction.atomic():
        doc.review_state, doc.published_on = ReviewState.PUBLISHED, day
        doc.save()
        return mark_revised(document=doc, actor=None, day=day)


def test_revision_chain(w, pinned):
    old = old_text(w)
    new = revision(w, old)
    assert new.policy_id == old.policy_id and new.revises == old
    change = publish(new, date(2025, 6, 16))
    # In force until the revising text takes effect on 2025-07-01.
    assert (change.day, change.target) == (date(2025, 7, 1), Validity.REVISED)
    assert change.decision_title == new.title and change.decision_number == "测教发〔2025〕11号"
    old.refresh_from_db()
    assert (old.validity, old.validity_since) == (Validity.IN_FORCE, date(2023, 4, 1))
    pinned.move_to("2025-07-01 08:00 +0800")
    assert refresh_validity() == 2
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.validity, old.validity_since) == (Validity.REVISED, date(2025, 7, 1))
    assert (new.validity, new.validity_since) == (Validity.IN_FORCE, date(2025, 7, 1))
    messages = set(
        AuditEntry.objects.filter(action="document.validity_refreshed").values_list(
            "message", flat=True
        )
    )
    assert messages == {
        f"{old.name}按日期由“现行有效”变为“已修订”（决定文件{new.name}）",
        f"{new.name}按日期由“尚未施行”变为“现行有效”（施行日期 2025-07-01）",
    }


def test_a_revision_published_after_its_effective_day_revises_from_publication(w):
    old = old_text(w)
    new = revision(w, old, effective_on=date(2025, 6, 1))
    change = publish(new, date(2025, 6, 16))
    assert change.day == date(2025, 6, 16)
    old.refresh_from_db()
    assert (old.validity, old.validity_since) == (Validity.REVISED, date(2025, 6, 16))
    assert last_audit("document.validity_changed").message == (
        f"{old.name}自 2025-06-16 起已修订（修订文本：{new.name}）"
    )


def test_a_text_expired_before_its_revision_applies_stays_expired(w):
    old = old_text(w, expires_on=date(2025, 6, 30))
    new = revision(w, old)
    assert publish(new, date(2025, 6, 16)) is None
    assert not ValidityChange.objects.filter(document=old).exists()


def test_a_text_revising_nothing_marks_nothing(w):
    assert publish(notice(w), date(2025, 6, 16)) is None


def test_revisions_refused(w):
    old = old_text(w)
    first = revision(w, old)
    with pytest.raises(DocumentError) as exc:
        revision(w, old, doc_number="测教发〔2025〕12号")
    assert str(exc.value) == f"{old.name}已有修订文本{first.name}（草稿），不能再次修订"
    other = old_text(
        w, title="测试市教育局关于规范民办学校招生的通知", doc_number="测教发〔2023〕9号"
    )
    with pytest.raises(DocumentError) as exc:
        revision(w, other, kind=DocKind.OTHER)
    assert str(exc.value) == (
        f"《测试市教育局关于印发《测试市中小学生学籍管理实施细则（2025年修订）》的通知》"
        f"（测教发〔2025〕11号）是其他文件，它修订的{other.name}是行政规范性文件，类别应一致"
    )
    draft = old_text(w, title="草稿文件", doc_number="", review_state=ReviewState.DRAFT)
    with pytest.raises(DocumentError) as exc:
        revision(w, draft)
    assert str(exc.value) == "《草稿文件》尚未发布（草稿），不能修订"
    repealed = old_text(w, title="已废止的文件", doc_number="测教发〔2023〕1号")
    validity_decide(
        actor=w.head,
        document=repealed,
        target=Validity.REPEALED,
        day=date(2025, 1, 1),
        decision_title="测试市教育局关于废止部分行政规范性文件的决定",
    )
    with pytest.raises(DocumentError) as exc:
        revision(w, repealed)
    assert str(exc.value) == (
        "《测试市教育局关于印发《测试市中小学生学籍管理实施细则（2025年修订）》的通知》"
        "（测教发〔2025〕11号）成文（2025-06-01）时，它修订的《已废止的文件》（测教发〔2023〕1号）"
        "已是“已废止”；不再有效的文件不能修订，请作为新文件登记"
    )


# --- decided changes ---------------------------------------------------------------------


def test_repeal_a_text(w):
    doc = old_text(w)
    change = validity_decide(
        actor=w.head,
        document=doc,
        target=Validity.REPEALED,
        day=date(2025, 6, 16),
        decision_title="测试市教育局关于废止部分行政规范性文件的决定",
        decision_number="测教发〔2025〕20号",
    )
    assert (change.day, change.target, change.actor) == (
        date(2025, 6, 16),
        Validity.REPEALED,
        w.head,
    )
    doc.refresh_from_db()
    assert (doc.validity, doc.validity_since) == (Validity.REPEALED, date(2025, 6, 16))
    assert last_audit("document.validity_changed").message == (
        f"{doc.name}自 2025-06-16 起已废止（决定文件："
        "《测试市教育局关于废止部分行政规范性文件的决定》（测教发〔2025〕20号））"
    )


def test_repeal_refused_on_a_final_state_naming_both(w):
    doc = old_text(w, expires_on=date(2024, 12, 31), validity=Validity.EXPIRED)
    with pytest.raises(DocumentError) as exc:
        validity_decide(
            actor=w.head,
            document=doc,
            target=Validity.REPEALED,
            day=date(2025, 6, 16),
            decision_title="测试市教育局关于废止部分行政规范性文件的决定",
        )
    assert str(exc.value) == (
        "《测试市教育局关于印发《测试市中小学生学籍管理实施细则》的通知》（测教发〔2023〕5号）"
        "在 2025-06-16 的状态为“失效”，不能变更为“已废止”（该状态下可以变更为：无）"
    )
    assert not ValidityChange.objects.exists()


def test_decisions_need_the_head_a_published_text_and_a_decision(w):
    doc = old_text(w)
    args = {
        "document": doc,
        "target": Validity.REPEALED,
        "day": date(2025, 6, 16),
        "decision_title": "关于废止的决定",
    }
    with pytest.raises(DocumentError) as exc:
        validity_decide(actor=w.registrar, **args)
    assert str(exc.value) == "只有本机关的公开工作机构负责人可以变更文件效力"
    with pytest.raises(DocumentError) as exc:
        validity_decide(actor=w.head, **(args | {"decision_title": " "}))
    assert str(exc.value) == "决定文件的标题不能为空"
    with pytest.raises(DocumentError) as exc:
        validity_decide(actor=w.head, **(args | {"target": Validity.REVISED}))
    assert str(exc.value) == (
        "这里只能废止文件或宣布文件失效；修订请新建修订后的文本，其发布后原文件自动标记为“已修订”"
    )
    draft = notice(w)
    with pytest.raises(DocumentError) as exc:
        validity_decide(actor=w.head, **(args | {"document": draft}))
    assert str(exc.value) == f"{draft.name}尚未发布，只能变更已发布文件的效力"


# --- 清理 -------------------------------------------------------------------------------------


def test_cleanup_with_one_refused(w):
    a = old_text(
        w, title="测试市教育局关于加强中小学幼儿园安全管理的通知", doc_number="测教发〔2019〕3号"
    )
    b = old_text(
        w, title="测试市教育局关于做好教师资格认定工作的通知", doc_number="测教发〔2020〕4号"
    )
    c = old_text(
        w,
        title="测试市教育局关于2021年中考体育考试的通知",
        doc_number="测教发〔2021〕2号",
        written_on=date(2021, 3, 1),
        effective_on=date(2021, 3, 1),
        expires_on=date(2021, 12, 31),
        validity=Validity.EXPIRED,
    )
    cleanup = cleanup_run(
        actor=w.head,
        agency=w.d1,
        title="2025年行政规范性文件集中清理",
        target=Validity.REPEALED,
        day=date(2025, 6, 16),
        decision_title="测试市教育局关于公布行政规范性文件清理结果的通知",
        decision_number="测教发〔2025〕30号",
        documents=[a, b, c],
    )
    assert cleanup.refused == [
        {
            "document_id": c.pk,
            "title": "测试市教育局关于2021年中考体育考试的通知",
            "reason": "《测试市教育局关于2021年中考体育考试的通知》（测教发〔2021〕2号）"
            "在 2025-06-16 的状态为“失效”，不能变更为“已废止”（该状态下可以变更为：无）",
        }
    ]
    assert sorted(cleanup.changes.values_list("document_id", flat=True)) == [a.pk, b.pk]
    for doc in (a, b):
        doc.refresh_from_db()
        assert (doc.validity, doc.validity_since) == (Validity.REPEALED, date(2025, 6, 16))
    entries = AuditEntry.objects.filter(action="document.cleanup")
    assert [e.message for e in entries] == [
        "文件清理“2025年行政规范性文件集中清理”：2 件自 2025-06-16 起已废止"
        "（决定文件：《测试市教育局关于公布行政规范性文件清理结果的通知》（测教发〔2025〕30号））"
        "，1 件未能变更"
    ]
    assert cleanup.published_on is None
    published = cleanup_publish(actor=w.head, cleanup=cleanup)
    assert published.published_on == date(2025, 6, 16)
    with pytest.raises(DocumentError) as exc:
        cleanup_publish(actor=w.head, cleanup=cleanup)
    assert str(exc.value) == "清理“2025年行政规范性文件集中清理”的结果已于 2025-06-16 公布"


def test_cleanup_refusals(w):
    mine = old_text(w)
    theirs = text(w.d2, title="测试市自然资源局的文件")
    args = {
        "actor": w.head,
        "agency": w.d1,
        "title": "清理",
        "target": Validity.EXPIRED,
        "day": date(2025, 6, 16),
        "decision_title": "关于宣布部分文件失效的决定",
    }
    with pytest.raises(DocumentError) as exc:
        cleanup_run(**args, documents=[mine, theirs])
    assert str(exc.value) == "所选文件中有 1 件不是本机关的文件，未作清理"
    with pytest.raises(DocumentError) as exc:
        cleanup_run(**(args | {"target": Validity.REVISED}), documents=[mine])
    assert str(exc.value) == (
        "清理决定只能宣布文件“失效”或“已废止”，不能变更为“已修订”（修订请登记修订后的文本）"
    )
    draft = notice(w)
    with pytest.raises(DocumentError) as exc:
        cleanup_run(**args, documents=[draft])
    assert str(exc.value) == (
        "所选文件都不能变更，未作清理："
        "《测试市教育局关于规范中小学校课后服务工作的通知》：尚未发布的文件不能清理"
    )
    assert not Cleanup.objects.exists()


# --- the daily refresh, the dashboard, the core's registry -------------------------------------


def test_refresh_validity_on_expiry(w, pinned):
    doc = old_text(w, expires_on=date(2025, 6, 30))
    other = old_text(w, title="长期有效的文件", doc_number="")
    assert refresh_validity() == 0
    pinned.move_to("2025-07-01 00:30 +0800")
    assert refresh_validity(dry_run=True) == 1
    doc.refresh_from_db()
    assert doc.validity == Validity.IN_FORCE
    assert refresh_validity() == 1
    doc.refresh_from_db()
    assert (doc.validity, doc.validity_since) == (Validity.EXPIRED, date(2025, 7, 1))
    entry = last_audit("document.validity_refreshed")
    assert entry.actor is None and entry.agency == w.d1
    assert entry.message == (
        "《测试市教育局关于印发《测试市中小学生学籍管理实施细则》的通知》（测教发〔2023〕5号）"
        "按日期由“现行有效”变为“失效”（有效期至 2025-06-30）"
    )
    assert entry.data == {"from": "in_force", "to": "expired", "since": "2025-07-01"}
    assert refresh_validity() == 0
    other.refresh_from_db()
    assert other.validity == Validity.IN_FORCE


def test_expiring_soon(w):
    inside = old_text(w, title="半年内到期", doc_number="", expires_on=date(2025, 12, 16))
    old_text(w, title="半年后到期", doc_number="", expires_on=date(2025, 12, 17))
    old_text(
        w, title="已过期", doc_number="", expires_on=date(2025, 6, 15), validity=Validity.EXPIRED
    )
    text(w.d2, title="别的机关", expires_on=date(2025, 7, 1))
    assert expiring_soon([w.d1.pk], date(2025, 6, 16)) == [inside]
    assert [d.title for d in expiring_soon([w.d1.pk, w.d2.pk])] == ["别的机关", "半年内到期"]


def test_core_registry_holds_every_issued_text(w):
    old = old_text(w)
    new = old_text(
        w,
        title="修订后的文本",
        doc_number="",
        written_on=date(2024, 5, 1),
        effective_on=date(2024, 5, 1),
        revises=old,
        review_state=ReviewState.TAKEN_DOWN,
        published_on=date(2024, 5, 6),
    )
    ValidityChange.objects.create(
        document=old,
        day=date(2024, 5, 1),
        target=Validity.REVISED,
        decision_title="修订后的文本",
    )
    notice(w)  # a draft: not issued
    other_kind = text(w.d1, kind=DocKind.OTHER, title="其他文件", written_on=date(2022, 1, 1))
    texts = core_registry([w.d1.pk])
    assert [t.ref for t in texts] == [str(other_kind.pk), str(old.pk), str(new.pk)]
    assert texts[1].events[0].target is Validity.REVISED
    assert texts[2].revises == str(old.pk)
    assert [t.ref for t in core_registry([w.d1.pk], kind=DocKind.OTHER)] == [str(other_kind.pk)]
    assert to_core(old).name == (
        "《测试市教育局关于印发《测试市中小学生学籍管理实施细则》的通知》（测教发〔2023〕5号）"
    )


def test_registry_settings_default_is_unsaved(w, settings_d1):
    assert registry_settings(w.d1) == settings_d1
    default = registry_settings(w.d2)
    assert default.pk is None and default.index_format == "{信用代码}/{年度}-{序号:05d}"
