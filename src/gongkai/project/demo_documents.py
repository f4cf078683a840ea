"""The demo's document registry (政府文件库): the texts of 示范市 and two of its departments.

Older texts arrive as an office's existing 文件库 does, by the JSON Lines import; newer ones go
through 先审查后公开 (drafted, 保密审查, the personal-information scan, signed off and
published). The demo shows every state a user meets: 现行有效, 尚未施行, 已修订 with its
revising text, 已废止 by decision and by a 清理 batch whose result list is published, 失效 at
the end of a 有效期, one expiring within six months, 解读 on time, late and missing, the
一码通 chain of one policy, a published 主动公开事项目录, and one list of student-aid recipients
whose names and ID numbers the scan blocked (it waits for the office head).

Dates are counted back from today, so the demo looks the same whenever it is loaded.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.core.identity import id_check_char
from gongkai.core.validity import AgencyLevel, DocKind, Validity
from gongkai.documents.models import (
    ChainStepKind,
    Document,
    InterpretationKind,
    RegistrySettings,
)
from gongkai.documents.services import catalogue as cat
from gongkai.documents.services import decisions
from gongkai.documents.services import interpretations as interp
from gongkai.documents.services import registry as reg
from gongkai.documents.services import review as rev
from gongkai.documents.services.importing import import_jsonl

#: (agency code, level, 统一社会信用代码)
SETTINGS = [
    ("SFGOV", AgencyLevel.CITY_GOVERNMENT, "11370000MB0000001X"),
    ("SFJY", AgencyLevel.CITY_DEPARTMENT, "11370000MB0000002X"),
    ("SFZR", AgencyLevel.CITY_DEPARTMENT, "11370000MB0000003X"),
]


def dated(text: str, day: date) -> str:
    """``text`` with its years (〔2025〕, 2025年) those of ``day``: the demo's texts are dated
    back from today, and their 文号 and titles must carry the year they were written."""
    return re.sub(r"(?<=〔)\d{4}(?=〕)|\d{4}(?=年)", str(day.year), text)


def _article(subject: str, *rules: str) -> str:
    body = [f"第一条 为规范和加强{subject}工作，根据有关法律法规，结合本市实际，制定本办法。"]
    body += [f"第{n}条 {rule}" for n, rule in zip("二三四五六七八", rules, strict=False)]
    body.append(f"第{'二三四五六七八九'[len(rules)]}条 本办法由发布机关负责解释。")
    return "\n".join(body)


# --- the existing 文件库 (imported) -----------------------------------------------------------

#: (agency, days before today written, title, 文号, kind, status, extra)
HISTORY: list[tuple[str, int, str, str, str, str, dict[str, Any]]] = [
    (
        "SFGOV",
        2400,
        "示范市城市绿化管理办法",
        "示范市人民政府令第12号",
        "规章",
        "现行有效",
        {"topic": "城乡建设", "subject": "城市绿化管理"},
    ),
    (
        "SFGOV",
        2100,
        "示范市政府信息公开实施办法",
        "示范市人民政府令第15号",
        "规章",
        "现行有效",
        {"topic": "政务公开", "subject": "政府信息公开"},
    ),
    (
        "SFGOV",
        1500,
        "示范市停车场建设和管理办法",
        "示范市人民政府令第21号",
        "规章",
        "现行有效",
        {"topic": "交通运输", "subject": "停车场建设和管理"},
    ),
    (
        "SFGOV",
        1300,
        "示范市人民政府关于进一步优化营商环境的若干措施",
        "示政发〔2022〕3号",
        "行政规范性文件",
        "现行有效",
        {"topic": "营商环境", "subject": "优化营商环境", "valid_years": 5},
    ),
    (
        "SFGOV",
        1100,
        "示范市老旧小区改造实施意见",
        "示政办发〔2023〕7号",
        "行政规范性文件",
        "现行有效",
        {"topic": "城乡建设", "subject": "老旧小区改造", "valid_years": 5},
    ),
    (
        "SFJY",
        1400,
        "示范市义务教育阶段学校招生入学工作实施办法",
        "示教发〔2022〕5号",
        "行政规范性文件",
        "现行有效",
        {"topic": "教育", "subject": "义务教育招生入学", "valid_years": 5},
    ),
    (
        "SFJY",
        1000,
        "示范市校外培训机构管理办法（试行）",
        "示教发〔2023〕11号",
        "行政规范性文件",
        "失效",
        {"topic": "教育", "subject": "校外培训机构管理", "valid_years": 2},
    ),
    (
        "SFJY",
        900,
        "示范市普惠性幼儿园认定和扶持办法",
        "示教发〔2023〕14号",
        "行政规范性文件",
        "现行有效",
        {"topic": "教育", "subject": "普惠性幼儿园认定和扶持", "valid_years": 5},
    ),
    (
        "SFJY",
        700,
        "关于公布示范市中小学教师资格定期注册工作安排的通知",
        "示教办〔2024〕6号",
        "其他文件",
        "现行有效",
        {"topic": "教育", "subject": "教师资格定期注册"},
    ),
    (
        "SFZR",
        2000,
        "示范市国有建设用地使用权出让管理办法",
        "示自然规发〔2020〕2号",
        "行政规范性文件",
        "现行有效",
        {"topic": "国土资源", "subject": "国有建设用地使用权出让"},
    ),
    (
        "SFZR",
        1900,
        "示范市集体土地征收补偿安置办法",
        "示自然规发〔2020〕4号",
        "行政规范性文件",
        "现行有效",
        {"topic": "国土资源", "subject": "集体土地征收补偿安置"},
    ),
    (
        "SFZR",
        1800,
        "示范市农村宅基地审批管理暂行办法",
        "示自然规发〔2021〕1号",
        "行政规范性文件",
        "现行有效",
        {"topic": "国土资源", "subject": "农村宅基地审批"},
    ),
    (
        "SFZR",
        1700,
        "示范市临时用地管理规定",
        "示自然规发〔2021〕3号",
        "行政规范性文件",
        "现行有效",
        {"topic": "国土资源", "subject": "临时用地管理"},
    ),
    (
        "SFGOV",
        640,
        "示范市人民政府办公室关于印发2025年政务公开工作要点的通知",
        "示政办字〔2025〕11号",
        "其他文件",
        "现行有效",
        {"topic": "城乡建设", "subject": "政务公开工作要点"},
    ),
    (
        "SFGOV",
        420,
        "示范市人民政府关于公布2025年度市级重点建设项目名单的通知",
        "示政字〔2025〕19号",
        "其他文件",
        "现行有效",
        {"topic": "城乡建设", "subject": "重点建设项目"},
    ),
    (
        "SFGOV",
        260,
        "示范市人民政府办公室关于做好2025年防汛抗旱工作的通知",
        "示政办字〔2025〕24号",
        "其他文件",
        "现行有效",
        {"topic": "应急管理", "subject": "防汛抗旱"},
    ),
    (
        "SFJY",
        560,
        "示范市教育局关于公布2025年义务教育阶段学校招生划片范围的通知",
        "示教办〔2025〕3号",
        "其他文件",
        "现行有效",
        {"topic": "教育", "subject": "招生划片"},
    ),
    (
        "SFJY",
        330,
        "示范市教育局关于2025年中小学教师招聘计划的公告",
        "示教办〔2025〕9号",
        "其他文件",
        "现行有效",
        {"topic": "教育", "subject": "教师招聘"},
    ),
    (
        "SFJY",
        180,
        "示范市教育局关于公布普惠性幼儿园认定结果的通知",
        "示教办〔2025〕17号",
        "其他文件",
        "现行有效",
        {"topic": "教育", "subject": "普惠性幼儿园认定"},
    ),
    (
        "SFZR",
        500,
        "示范市自然资源和规划局关于公布2025年度国有建设用地供应计划的通知",
        "示自然发〔2025〕4号",
        "其他文件",
        "现行有效",
        {"topic": "国土资源", "subject": "国有建设用地供应计划"},
    ),
    (
        "SFZR",
        230,
        "示范市自然资源和规划局关于南湖片区控制性详细规划调整的批前公示",
        "示自然发〔2025〕12号",
        "其他文件",
        "现行有效",
        {"topic": "城乡建设", "subject": "控制性详细规划"},
    ),
    (
        "SFZR",
        800,
        "关于做好2024年度国土变更调查工作的通知",
        "示自然发〔2024〕9号",
        "其他文件",
        "现行有效",
        {"topic": "国土资源", "subject": "国土变更调查"},
    ),
]


def _history_lines(today: date) -> dict[str, list[str]]:
    """The JSON Lines each agency imports (one text a line, the import's keys)."""
    lines: dict[str, list[str]] = {}
    for code, back, title, number, kind, status, extra in HISTORY:
        written = today - timedelta(days=back)
        years = extra.get("valid_years")
        expires = written.replace(year=written.year + years) - timedelta(days=1) if years else None
        if years == 5 and "营商环境" in title:
            expires = today + timedelta(days=120)  # within six months: the dashboard warns
        row = {
            "title": dated(title, written),
            "index_no": "",
            "doc_number": dated(number, written),
            "kind": kind,
            "written_on": written.isoformat(),
            "published_on": (written + timedelta(days=5)).isoformat(),
            "effective_on": (written + timedelta(days=30)).isoformat(),
            "expires_on": expires.isoformat() if expires else None,
            "status": status,
            "topic": extra["topic"],
            "text": _article(
                extra["subject"],
                f"本办法适用于本市行政区域内的{extra['subject']}及其监督管理活动。",
                "市有关部门按照职责分工做好相关工作。",
                f"本办法自{(written + timedelta(days=30)).isoformat()}起施行。",
            ),
            "revises": None,
        }
        lines.setdefault(code, []).append(json.dumps(row, ensure_ascii=False))
    return lines


# --- new texts through review --------------------------------------------------------------


@dataclass(frozen=True)
class New:
    agency: str
    clerk: str
    head: str
    secrecy: str
    back: int  # days before today the text was written
    title: str
    number: str
    kind: DocKind
    topic: str
    subject: str
    revises: str = ""  # 文号 of the text it revises
    publish: bool = True
    effective_in: int = 0  # days after written (negative: none)


NEW = [
    New(
        "SFJY",
        "zhang",
        "wang",
        "li",
        200,
        "示范市义务教育阶段学校招生入学工作实施办法",
        "示教发〔2025〕2号",
        DocKind.NORMATIVE,
        "教育",
        "义务教育招生入学",
        revises="示教发〔2022〕5号",
    ),
    New(
        "SFJY",
        "zhang",
        "wang",
        "li",
        150,
        "示范市学生资助工作管理办法",
        "示教发〔2025〕8号",
        DocKind.NORMATIVE,
        "教育",
        "学生资助",
    ),
    New(
        "SFJY",
        "zhang",
        "wang",
        "li",
        60,
        "示范市中小学课后服务工作实施方案",
        "示教发〔2025〕12号",
        DocKind.NORMATIVE,
        "教育",
        "中小学课后服务",
    ),
    New(
        "SFJY",
        "zhang",
        "wang",
        "li",
        20,
        "示范市中小学校园安全管理规定",
        "示教发〔2025〕15号",
        DocKind.NORMATIVE,
        "教育",
        "中小学校园安全",
        effective_in=60,
    ),
    New(
        "SFJY",
        "zhang",
        "wang",
        "li",
        6,
        "关于开展2025年秋季学期教育收费专项检查的通知",
        "",
        DocKind.OTHER,
        "教育",
        "教育收费专项检查",
        publish=False,
    ),
    New(
        "SFGOV",
        "he",
        "he",
        "he",
        300,
        "示范市城市绿化管理办法",
        "示范市人民政府令第28号",
        DocKind.RULES,
        "城乡建设",
        "城市绿化管理",
        revises="示范市人民政府令第12号",
    ),
    New(
        "SFGOV",
        "he",
        "he",
        "he",
        90,
        "示范市既有住宅加装电梯实施办法",
        "示政办发〔2025〕9号",
        DocKind.NORMATIVE,
        "城乡建设",
        "既有住宅加装电梯",
    ),
    New(
        "SFZR",
        "liu",
        "sun",
        "liu",
        120,
        "示范市国有建设用地使用权出让管理办法",
        "示自然规发〔2025〕1号",
        DocKind.NORMATIVE,
        "国土资源",
        "国有建设用地使用权出让",
        revises="示自然规发〔2020〕2号",
    ),
    New(
        "SFZR",
        "liu",
        "sun",
        "liu",
        40,
        "示范市城镇低效用地再开发实施细则",
        "示自然规发〔2025〕5号",
        DocKind.NORMATIVE,
        "国土资源",
        "城镇低效用地再开发",
    ),
]

#: The list of student-aid recipients the scan blocks: names and ID numbers of minors'
#: guardians, a mobile number. It waits for the office head (basis or return).
AID_TITLE = "关于2025年秋季学期家庭经济困难学生资助名单的公示"


def _aid_text() -> str:
    rows = []
    for n, (name, school) in enumerate(
        [("王小明", "示范市第一中学"), ("李晓红", "示范市实验小学"), ("张海洋", "示范市第三中学")]
    ):
        first17 = f"37010220100{n + 3:01d}15{n + 21:03d}"
        rows.append(
            f"{n + 1}. {name}，{school}，监护人身份证号码 {first17 + id_check_char(first17)}"
        )
    return (
        "根据《示范市学生资助工作管理办法》，经学校评议、公示，现将2025年秋季学期家庭经济困难"
        "学生资助名单公示如下：\n"
        + "\n".join(rows)
        + "\n公示期间如有异议，请联系学生资助管理中心，联系人：王老师，手机 13912345678。"
        "\n示范市教育局联系电话：0000-12345002，地址：示范市学府路8号。"
    )


def _by_template(today: date) -> dict[str, Document]:
    """The stored texts by the 文号 written in :data:`HISTORY` and :data:`NEW` (before
    :func:`dated` gave them their years)."""
    written = [(number, back) for _, back, _, number, *_ in HISTORY]
    written += [(new.number, new.back) for new in NEW if new.number]
    actual = {dated(n, today - timedelta(days=back)): n for n, back in written}
    return {
        actual[d.doc_number]: d
        for d in Document.objects.filter(doc_number__in=list(actual)).order_by("pk")
    }


def _publish(doc: Document, users: dict[str, User], new: New, day: date) -> Document:
    doc = rev.document_submit(actor=users[new.clerk], document=doc)
    doc = rev.secrecy_review(actor=users[new.secrecy], document=doc, passed=True, note="不涉密")
    return rev.document_publish(actor=users[new.head], document=doc, day=day)


def _new_texts(
    agencies: dict[str, Agency], users: dict[str, User], today: date
) -> dict[str, Document]:
    by_number = _by_template(today)
    made: dict[str, Document] = {}
    for new in NEW:
        written = today - timedelta(days=new.back)
        doc = reg.document_create(
            actor=users[new.clerk],
            agency=agencies[new.agency],
            kind=new.kind,
            title=dated(new.title, written),
            doc_number=dated(new.number, written),
            topic=new.topic,
            written_on=written,
            effective_on=written + timedelta(days=new.effective_in),
            expires_on=(
                written.replace(year=written.year + 5) - timedelta(days=1)
                if new.kind is DocKind.NORMATIVE
                else None
            ),
            text=_article(
                new.subject,
                f"本办法适用于本市行政区域内的{new.subject}工作。",
                "各区（市）人民政府负责本行政区域内的组织实施。",
            ),
            revises=by_number.get(new.revises) if new.revises else None,
        )
        if new.publish:
            doc = _publish(doc, users, new, written + timedelta(days=3))
        made[new.number or new.title] = doc
    return made


def _blocked_list(agencies: dict[str, Agency], users: dict[str, User], today: date) -> None:
    written = today - timedelta(days=4)
    doc = reg.document_create(
        actor=users["zhang"],
        agency=agencies["SFJY"],
        kind=DocKind.OTHER,
        title=dated(AID_TITLE, written),
        topic="教育",
        written_on=written,
        effective_on=written,
        text=dated(_aid_text(), written),
    )
    doc = rev.document_submit(actor=users["zhang"], document=doc)
    rev.secrecy_review(actor=users["li"], document=doc, passed=True, note="不涉密")


# --- validity decisions, 清理, 解读, the chain, the catalogue ---------------------------------


def _decisions(users: dict[str, User], agencies: dict[str, Agency], today: date) -> None:
    by_number = _by_template(today)
    decisions.validity_decide(
        actor=users["he"],
        document=by_number["示范市人民政府令第15号"],
        target=Validity.REPEALED,
        day=today - timedelta(days=250),
        decision_title="示范市人民政府关于废止《示范市政府信息公开实施办法》的决定",
        decision_number="示范市人民政府令第27号",
    )
    cleanup = decisions.cleanup_run(
        actor=users["sun"],
        agency=agencies["SFZR"],
        title=dated("2025年度行政规范性文件集中清理", today - timedelta(days=100)),
        target=Validity.REPEALED,
        day=today - timedelta(days=100),
        decision_title="示范市自然资源和规划局关于公布行政规范性文件清理结果的通知",
        decision_number=dated("示自然规发〔2025〕3号", today - timedelta(days=100)),
        documents=[by_number["示自然规发〔2021〕1号"], by_number["示自然规发〔2021〕3号"]],
    )
    decisions.cleanup_publish(actor=users["sun"], cleanup=cleanup)


def _interpretations(users: dict[str, User], agencies: dict[str, Agency], today: date) -> None:
    texts = _by_template(today)
    plan = [  # (文号, kind, title, days after publication; None: no 解读 — flagged)
        ("示教发〔2025〕2号", InterpretationKind.TEXT, "一图读懂示范市义务教育招生入学新政", 0),
        ("示教发〔2025〕8号", InterpretationKind.QA, "《示范市学生资助工作管理办法》政策问答", 8),
        ("示政办发〔2025〕9号", InterpretationKind.GRAPHIC, "图解：既有住宅加装电梯怎么办", 1),
        ("示自然规发〔2025〕1号", InterpretationKind.OFFICIAL, "负责人解读国有建设用地出让新规", 2),
        (
            "示范市人民政府令第28号",
            InterpretationKind.TEXT,
            "《示范市城市绿化管理办法》修订说明",
            0,
        ),
    ]
    clerks = {"SFJY": "zhang", "SFGOV": "he", "SFZR": "liu"}
    for number, kind, title, after in plan:
        doc = texts[number]
        interp.interpretation_save(
            actor=users[clerks[doc.agency.code]],
            agency=doc.agency,
            kind=kind,
            title=title,
            body=f"{doc.name}已于{doc.published_on}发布。现就主要内容解读如下：一是明确适用范围；"
            "二是细化办理流程和时限；三是加强监督管理。",
            published_on=doc.published_on + timedelta(days=after),
            documents=[doc],
        )
    policy = texts["示教发〔2025〕2号"].policy
    steps = [
        (ChainStepKind.BASIS, "《中华人民共和国义务教育法》第十二条", 400),
        (
            ChainStepKind.CONSULTATION,
            "关于《示范市义务教育阶段学校招生入学工作实施办法（修订征求意见稿）》公开征求意见的公告",
            260,
        ),
        (
            ChainStepKind.FEEDBACK,
            "《示范市义务教育阶段学校招生入学工作实施办法》征求意见采纳情况的说明",
            215,
        ),
        (ChainStepKind.QA, "义务教育招生入学常见问题解答", 190),
    ]
    for kind, title, back in steps:
        interp.chain_step_save(
            actor=users["zhang"],
            policy=policy,
            kind=kind,
            title=title,
            body="",
            day=today - timedelta(days=back),
        )


CATALOGUE_ROWS = [
    (
        "序号",
        "一级事项",
        "二级事项",
        "公开内容（要素）",
        "公开依据",
        "公开主体",
        "公开时限",
        "公开方式",
        "公开渠道",
        "公开层级",
        "责任单位",
    ),
    (
        1,
        "机构职能",
        "机构设置",
        "内设机构、职能、负责人",
        "《中华人民共和国政府信息公开条例》第二十条",
        "示范市教育局",
        "信息形成或变更之日起20个工作日内",
        "主动公开",
        "政府网站",
        "全社会",
        "办公室",
    ),
    (
        2,
        None,
        "领导信息",
        "领导姓名、职务、分工",
        "《中华人民共和国政府信息公开条例》第二十条",
        "示范市教育局",
        "信息形成或变更之日起20个工作日内",
        "主动公开",
        "政府网站",
        "全社会",
        "人事处",
    ),
    (
        3,
        "政策文件",
        "行政规范性文件",
        "文件全文、解读、有效性",
        "《中华人民共和国政府信息公开条例》第二十条",
        "示范市教育局",
        "文件印发之日起20个工作日内",
        "主动公开",
        "政府网站、政府公报",
        "全社会",
        "政策法规处",
    ),
    (
        4,
        None,
        "其他文件",
        "文件全文",
        "《中华人民共和国政府信息公开条例》第二十条",
        "示范市教育局",
        "文件印发之日起20个工作日内",
        "主动公开",
        "政府网站",
        "全社会",
        "办公室",
    ),
    (
        5,
        "招生考试",
        "义务教育招生",
        "招生政策、划片范围、招生计划",
        "《中华人民共和国义务教育法》",
        "示范市教育局",
        "招生工作开始前",
        "主动公开",
        "政府网站、新闻媒体",
        "全社会",
        "基础教育处",
    ),
    (
        6,
        "学生资助",
        "资助政策",
        "资助项目、标准、申请条件",
        "《学生资助资金管理办法》",
        "示范市教育局",
        "政策制定后20个工作日内",
        "主动公开",
        "政府网站",
        "全社会",
        "学生资助管理中心",
    ),
]


def _catalogue(users: dict[str, User], agencies: dict[str, Agency]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["示范市教育局主动公开事项目录"])
    for row in CATALOGUE_ROWS:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    catalogue = cat.catalogue_import_xlsx(
        actor=users["zhang"],
        agency=agencies["SFJY"],
        data=data.getvalue(),
        filename="示范市教育局主动公开事项目录.xlsx",
        note=dated("2025年版", timezone.localdate()),
    )
    catalogue = cat.catalogue_publish(actor=users["wang"], catalogue=catalogue)
    items = {item.level2: item for item in catalogue.items.all()}
    for doc in Document.objects.filter(agency=agencies["SFJY"], revised_by__isnull=True):
        item = items["行政规范性文件" if doc.kind == DocKind.NORMATIVE else "其他文件"]
        cat.policy_map_catalogue(actor=users["zhang"], policy=doc.policy, item=item)


def load_documents(agencies: dict[str, Agency], users: dict[str, User]) -> None:
    """The registry's demo (inside :func:`gongkai.project.demo.load_demo`'s transaction)."""
    if Document.objects.exists():
        return
    today = timezone.localdate()
    for code, level, credit in SETTINGS:
        RegistrySettings.objects.update_or_create(
            agency=agencies[code], defaults={"level": level.value, "credit_code": credit}
        )
    for code, lines in _history_lines(today).items():
        import_jsonl(lines, agency=agencies[code], actor=None)
    _new_texts(agencies, users, today)
    _blocked_list(agencies, users, today)
    _decisions(users, agencies, today)
    _interpretations(users, agencies, today)
    _catalogue(users, agencies)
