"""Importing an agency's existing 文件库 from JSON Lines: all errors by line, all or nothing."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEntry
from gongkai.cli import main
from gongkai.core.validity import AgencyLevel, DocKind, Validity
from gongkai.documents.models import (
    Document,
    Policy,
    RegistrySettings,
    ReviewState,
    ValidityChange,
)
from gongkai.documents.services.base import DocumentError
from gongkai.documents.services.importing import documents_import, import_jsonl
from tests.documents.factories import text
from tests.factories import world


@pytest.fixture
def pinned():
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False) as t:
        yield t


@pytest.fixture
def w(db, pinned):
    world_ = world()
    RegistrySettings.objects.create(agency=world_.d1, level=AgencyLevel.CITY_DEPARTMENT)
    return world_


ROLL = {
    "title": "测试市教育局关于印发《测试市中小学生学籍管理实施细则》的通知",
    "index_no": "CSJY/2020-00015",
    "doc_number": "测教发〔2020〕15号",
    "kind": "行政规范性文件",
    "written_on": "2020-08-20",
    "published_on": "2020-08-25",
    "effective_on": "2020-09-01",
    "expires_on": "2025-08-31",
    "status": "已修订",
    "topic": "教育",
    "text": "各区（市）教育局，各直属学校：现将《测试市中小学生学籍管理实施细则》印发给你们……",
}
ROLL_REVISED = {
    "title": "测试市教育局关于印发《测试市中小学生学籍管理实施细则（2024年修订）》的通知",
    "index_no": "CSJY/2024-00031",
    "doc_number": "测教发〔2024〕31号",
    "kind": "行政规范性文件",
    "written_on": "2024-06-10",
    "published_on": "2024-06-14",
    "effective_on": "2024-07-01",
    "expires_on": "2029-06-30",
    "status": "现行有效",
    "topic": "教育",
    "revises": "测教发〔2020〕15号",
}
ENROLMENT = {
    "title": "测试市教育局关于做好2019年普通高中招生工作的通知",
    "index_no": "CSJY/2019-00007",
    "doc_number": "测教发〔2019〕7号",
    "kind": "行政规范性文件",
    "written_on": "2019-04-02",
    "published_on": "2019-04-08",
    "effective_on": "2019-04-08",
    "expires_on": "2021-12-31",
    "status": "失效",
}
FEES = {
    "title": "测试市教育局关于民办学校收费管理的若干规定",
    "index_no": "CSJY/2018-00022",
    "doc_number": "测教规〔2018〕2号",
    "kind": "行政规范性文件",
    "written_on": "2018-11-05",
    "published_on": "2018-11-09",
    "effective_on": "2018-12-01",
    "status": "已废止",
}
UNIFORMS = {
    "title": "测试市教育局关于进一步规范中小学生校服管理工作的通知",
    "index_no": "CSJY/2025-00040",
    "doc_number": "",
    "kind": "其他文件",
    "written_on": "2025-06-05",
    "published_on": "2025-06-09",
    "effective_on": "2025-07-01",
    "status": "尚未施行",
}


def jsonl(*lines: dict | str) -> bytes:
    return "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    ).encode("utf-8")


def run(w, data: bytes, **kw):
    return documents_import(actor=None, agency=w.d1, data=data, **kw)


def test_import_a_registry(w):
    data = jsonl(ROLL, "", ROLL_REVISED, ENROLMENT, "   ", FEES, UNIFORMS)
    result = run(w, data)
    assert result.errors == []
    assert result.summary() == (
        "已导入测试市教育局的政府文件 5 件（其中已修订 1 件，按原文件库记载补记失效或废止 1 件）"
    )
    assert result.notes == [
        "第6行：未给出 status_on，“已废止”按导入日期 2025-06-16 记载"
        "（决定文件：《导入时的效力状态（原文件库记载）》）"
    ]
    docs = {d.index_no: d for d in Document.objects.all()}
    assert set(docs) == {
        "CSJY/2020-00015",
        "CSJY/2024-00031",
        "CSJY/2019-00007",
        "CSJY/2018-00022",
        "CSJY/2025-00040",
    }
    roll, revised = docs["CSJY/2020-00015"], docs["CSJY/2024-00031"]
    states = {k: (d.validity, d.validity_since) for k, d in docs.items()}
    assert states == {
        # 已修订 from the later of the revision's 施行 (07-01) and 发布 (06-14) days.
        "CSJY/2020-00015": (Validity.REVISED, date(2024, 7, 1)),
        "CSJY/2024-00031": (Validity.IN_FORCE, date(2024, 7, 1)),
        "CSJY/2019-00007": (Validity.EXPIRED, date(2022, 1, 1)),
        "CSJY/2018-00022": (Validity.REPEALED, date(2025, 6, 16)),
        "CSJY/2025-00040": (Validity.NOT_YET_IN_FORCE, None),
    }
    assert revised.revises == roll and revised.policy_id == roll.policy_id
    assert Policy.objects.count() == 4
    for d in docs.values():
        assert d.review_state == ReviewState.PUBLISHED
        assert d.formed_on == d.written_on and d.created_by is None
    assert roll.published_on == date(2020, 8, 25) and roll.topic == "教育"
    assert roll.text.startswith("各区（市）教育局，各直属学校")
    changes = [
        (c.document.index_no, c.day, c.target, c.decision_title, c.decision_number)
        for c in ValidityChange.objects.order_by("document__index_no")
    ]
    assert changes == [
        (
            "CSJY/2018-00022",
            date(2025, 6, 16),
            Validity.REPEALED,
            "导入时的效力状态（原文件库记载）",
            "",
        ),
        (
            "CSJY/2020-00015",
            date(2024, 7, 1),
            Validity.REVISED,
            "测试市教育局关于印发《测试市中小学生学籍管理实施细则（2024年修订）》的通知",
            "测教发〔2024〕31号",
        ),
    ]
    entries = AuditEntry.objects.filter(action="document.imported").order_by("id")
    assert [e.message for e in entries][:2] == [
        "命令行导入：《测试市教育局关于印发《测试市中小学生学籍管理实施细则》的通知》"
        "（测教发〔2020〕15号）（索引号 CSJY/2020-00015）",
        "命令行导入：《测试市教育局关于印发《测试市中小学生学籍管理实施细则（2024年修订）》的通知》"
        "（测教发〔2024〕31号）（索引号 CSJY/2024-00031）",
    ]
    assert entries.count() == 5 and {e.actor for e in entries} == {None}
    assert entries.last().message == (
        "命令行导入：《测试市教育局关于进一步规范中小学生校服管理工作的通知》"
        "（索引号 CSJY/2025-00040）"
    )


def test_status_on_and_decision_date_a_repeal(w):
    fees = FEES | {
        "status_on": "2023-01-01",
        "decision": "测试市教育局关于废止部分行政规范性文件的决定",
        "decision_number": "测教发〔2022〕40号",
    }
    result = run(w, jsonl(fees))
    assert result.errors == [] and result.notes == []
    change = ValidityChange.objects.get()
    assert (change.day, change.decision_title, change.decision_number) == (
        date(2023, 1, 1),
        "测试市教育局关于废止部分行政规范性文件的决定",
        "测教发〔2022〕40号",
    )
    assert Document.objects.get().validity_since == date(2023, 1, 1)


def test_revise_a_stored_text_by_its_doc_number(w):
    stored = text(
        w.d1,
        title="测试市教育局关于规范中小学校课后服务工作的通知",
        doc_number="测教发〔2022〕6号",
        written_on=date(2022, 3, 1),
        effective_on=date(2022, 3, 1),
        index_no="CSJY/2022-00006",
    )
    line = {
        "title": "测试市教育局关于进一步规范中小学校课后服务工作的通知",
        "index_no": "CSJY/2025-00012",
        "doc_number": "测教发〔2025〕12号",
        "kind": "行政规范性文件",
        "written_on": "2025-05-06",
        "published_on": "2025-05-09",
        "effective_on": "2025-06-01",
        "status": "现行有效",
        "revises": "测教发〔2022〕6号",
    }
    result = run(w, jsonl(line))
    assert result.errors == [] and result.revised == 1
    stored.refresh_from_db()
    assert (stored.validity, stored.validity_since) == (Validity.REVISED, date(2025, 6, 1))
    assert Document.objects.get(index_no="CSJY/2025-00012").policy_id == stored.policy_id


def test_errors_by_line_and_nothing_stored(w):
    lines = [
        ROLL | {"status": "现行有效", "expires_on": ""},  # 1: good
        ENROLMENT | {"index_no": "CSJY/2019-00001", "written_on": "2024-13-01"},  # 2
        '{"title": 测试}',  # 3
        {  # 4
            "title": "测试市教育局关于做好2023年高考工作的通知",
            "index_no": "CSJY/2023-00002",
            "kind": "其他文件",
            "written_on": "2023-05-01",
            "effective_on": "2023-05-01",
            "publish_date": "2023-05-04",
        },
        UNIFORMS | {"index_no": "CSJY/2025-00041", "kind": "通知"},  # 5
        ENROLMENT | {"status": "现行有效"},  # 6
        UNIFORMS | {"index_no": "CSJY/2020-00015"},  # 7: the 索引号 of line 1
        UNIFORMS | {"index_no": "CSJY/2025-00042", "revises": "测教发〔2099〕1号"},  # 8
        UNIFORMS | {"index_no": "CSJY/2025-00043", "kind": "规章"},  # 9
        FEES | {"status": "已修订"},  # 10
        UNIFORMS | {"index_no": "CSJY/2025-00044", "effective_on": "2025-06-01"},  # 11
    ]
    data = jsonl(*lines) + b"\n\xff\xfe\n"  # 12: not UTF-8
    result = run(w, data)
    assert result.errors == [
        "第2行：written_on“2024-13-01”不是有效日期",
        "第3行：不是有效的 JSON（第 11 个字符附近有误）",
        "第4行：未知的字段“publish_date”",
        "第4行：缺少 published_on（发布日期）",
        "第5行：kind“通知”不是有效的文件类别（应为规章、行政规范性文件或其他文件）",
        "第6行：status 为“现行有效”，但按所填日期和修订关系，该文件现为“失效”（自 2022-01-01 起）",
        "第7行：索引号“CSJY/2020-00015”与第1行重复",
        "第8行：找不到 revises“测教发〔2099〕1号”所指的文件"
        "（应为本文件中前面某行或本机关已登记文件的索引号或发文字号）",
        "第9行：《测试市教育局关于进一步规范中小学生校服管理工作的通知》："
        "设区的市、自治州人民政府部门无权制定规章：规章只能由国务院部门"
        "（《中华人民共和国立法法》第九十一条）和省、自治区、直辖市和设区的市、自治州的人民政府"
        "（第九十三条）制定；请改为行政规范性文件或其他文件",
        "第10行：status 为“已修订”，但文件中没有修订它的后续文本"
        "（后续行的 revises 应为本行的索引号或发文字号）",
        "第11行：《测试市教育局关于进一步规范中小学生校服管理工作的通知》"
        "的施行日期 2025-06-01 早于成文日期 2025-06-05",
        "第12行：不是有效的 UTF-8 文本",
    ]
    assert result.summary() == "导入失败：发现 12 处错误，未导入任何文件"
    assert Document.objects.count() == 0 and Policy.objects.count() == 0
    assert not ValidityChange.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="document.").exists()


def test_revision_order_and_conflicts(w):
    later_first = jsonl(ROLL_REVISED, ROLL)
    assert run(w, later_first).errors == [
        "第1行：revises“测教发〔2020〕15号”是第2行的文件；被修订的文件应写在修订它的文件之前",
        # and so nothing revises line 2, recorded as 已修订
        "第2行：status 为“已修订”，但文件中没有修订它的后续文本"
        "（后续行的 revises 应为本行的索引号或发文字号）",
    ]
    bad_target = jsonl(ROLL | {"written_on": "bad"}, ROLL_REVISED)
    assert run(w, bad_target).errors == [
        "第1行：written_on“bad”不是有效日期",
        "第2行：revises“测教发〔2020〕15号”所指的第1行有错误，请先改正该行",
    ]
    repealed_but_revised = jsonl(ROLL | {"status": "已废止"}, ROLL_REVISED)
    assert run(w, repealed_but_revised).errors == [
        "第1行：status 为“已废止”，但第2行修订了本文件"
        "（被修订的文件应为“已修订”，修订文本尚未施行时为“现行有效”）",
        "第2行：revises 所指的第1行有错误，请先改正该行",
    ]
    twice = jsonl(ROLL, ROLL_REVISED, ROLL_REVISED | {"index_no": "CSJY/2024-00032"})
    assert run(w, twice).errors == [
        "第3行：《测试市教育局关于印发《测试市中小学生学籍管理实施细则》的通知》"
        "（测教发〔2020〕15号）已由第2行修订，不能再由本行修订",
    ]
    assert Document.objects.count() == 0


def test_a_taken_index_no_and_an_empty_file(w):
    text(w.d1, title="已登记的文件", doc_number="", index_no="CSJY/2025-00040")
    assert run(w, jsonl(UNIFORMS)).errors == [
        "第1行：索引号“CSJY/2025-00040”已被已登记的《已登记的文件》使用"
    ]
    assert run(w, b"\n  \n").errors == ["文件中没有任何政府文件（每行应为一个 JSON 对象）"]


def test_dry_run_stores_nothing(w):
    result = run(w, jsonl(ROLL, ROLL_REVISED), dry_run=True)
    assert result.errors == []
    assert result.summary() == (
        "预演：可以导入测试市教育局的政府文件 2 件"
        "（其中已修订 1 件，按原文件库记载补记失效或废止 0 件）；未写入任何数据"
    )
    assert Document.objects.count() == 0 and not AuditEntry.objects.exists()


def test_a_person_importing_must_be_the_head(w):
    with pytest.raises(DocumentError) as exc:
        documents_import(actor=w.registrar, agency=w.d1, data=jsonl(UNIFORMS))
    assert str(exc.value) == "只有本机关的公开工作机构负责人可以导入政府文件"
    result = documents_import(actor=w.head, agency=w.d1, data=jsonl(UNIFORMS))
    assert result.errors == []
    entry = AuditEntry.objects.get(action="document.imported")
    assert entry.actor == w.head and entry.message.startswith("导入：")
    assert Document.objects.get().kind == DocKind.OTHER


def test_management_command(w, tmp_path):
    good = tmp_path / "文件库.jsonl"
    good.write_bytes(jsonl(ROLL, ROLL_REVISED))
    out = StringIO()
    call_command("documents_import", str(good), agency="csjy", dry_run=True, stdout=out)
    assert out.getvalue() == (
        "预演：可以导入测试市教育局的政府文件 2 件"
        "（其中已修订 1 件，按原文件库记载补记失效或废止 0 件）；未写入任何数据\n"
    )
    assert Document.objects.count() == 0
    call_command("documents_import", str(good), agency="CSJY", stdout=out)
    assert Document.objects.count() == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(jsonl(UNIFORMS | {"written_on": "2025-6-5"}))
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("documents_import", str(bad), agency="CSJY", stderr=err)
    assert str(exc.value) == "导入失败：发现 1 处错误，未导入任何文件"
    assert err.getvalue() == "第1行：written_on“2025-6-5”不是有效日期\n"
    with pytest.raises(CommandError) as exc:
        call_command("documents_import", str(good), agency="NOPE")
    assert str(exc.value) == "找不到代码为“NOPE”的机关"


def test_gongkai_documents_import(w, tmp_path, capsys):
    path = tmp_path / "registry.jsonl"
    path.write_bytes(jsonl(UNIFORMS))
    assert main(["documents", "import", str(path), "--agency", "CSJY", "--dry-run"]) == 0
    assert "预演：可以导入测试市教育局的政府文件 1 件" in capsys.readouterr().out
    assert main(["documents", "import", str(tmp_path / "none.jsonl"), "--agency", "CSJY"]) == 1
    assert "无法读取文件" in capsys.readouterr().err
    assert Document.objects.count() == 0


def test_blank_index_numbers_are_made_passing_over_the_typed_ones(w):
    RegistrySettings.objects.filter(agency=w.d1).update(credit_code="11370200004567890X")
    lines = [
        UNIFORMS | {"index_no": ""},
        UNIFORMS
        | {"title": "测试市教育局关于做好2025年中小学暑期安全工作的通知", "index_no": None},
        UNIFORMS | {"title": "手工编号的文件", "index_no": "11370200004567890X/2025-00001"},
    ]
    assert run(w, jsonl(*lines)).errors == []
    assert sorted(Document.objects.values_list("title", "index_no")) == sorted(
        [
            (
                "测试市教育局关于进一步规范中小学生校服管理工作的通知",
                "11370200004567890X/2025-00002",
            ),
            ("测试市教育局关于做好2025年中小学暑期安全工作的通知", "11370200004567890X/2025-00003"),
            ("手工编号的文件", "11370200004567890X/2025-00001"),
        ]
    )


def test_import_jsonl_raises_on_any_error(w):
    lines = [json.dumps(UNIFORMS, ensure_ascii=False), '{"title": 测试}']
    with pytest.raises(DocumentError) as exc:
        import_jsonl(lines, agency=w.d1)
    assert str(exc.value) == "第2行：不是有效的 JSON（第 11 个字符附近有误）"
    assert Document.objects.count() == 0
    assert import_jsonl(lines[:1], agency=w.d1).imported == 1
