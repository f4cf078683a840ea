"""Demo data: a sample city with departments, a user for every role, and cases in every
status and card colour, dated relative to today so the dashboard is alive whenever it runs.

Every case is made through the same services the staff pages use, so the demo also
exercises the workflow; nothing is written around them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Membership, User
from gongkai.agencies.models import Agency, AgencyKind
from gongkai.cases import services as s
from gongkai.cases.models import ApplicantKind, Case, DeliveryWanted, IdType, InfoForm
from gongkai.core.identity import id_check_char, uscc_check_char
from gongkai.core.outcomes import Outcome
from gongkai.core.workflow import Role
from gongkai.project.demo_documents import load_documents
from gongkai.rules.selectors import working_calendar

DEMO_PASSWORD = "gongkai-demo"  # noqa: S105 - printed for the demo's sample users

PEOPLE = [  # username, name, agency code, roles
    ("admin", "系统管理员", None, ()),
    ("zhang", "张敏", "SFJY", (Role.REGISTRAR,)),
    ("wang", "王建国", "SFJY", (Role.HEAD,)),
    ("li", "李静", "SFJY", (Role.SECRECY,)),
    ("zhao", "赵磊", "SFJYJC", (Role.HANDLER,)),
    ("qian", "钱芳", "SFJYFG", (Role.HANDLER,)),
    ("liu", "刘洋", "SFZR", (Role.REGISTRAR, Role.SECRECY)),
    ("sun", "孙伟", "SFZR", (Role.HEAD,)),
    ("zhou", "周婷", "SFZRGH", (Role.HANDLER,)),
    ("chen", "陈志强", "SFGOV", (Role.SUPERVISOR,)),
    ("he", "何丽", "SFGOV", (Role.REGISTRAR, Role.HEAD, Role.SECRECY)),
    ("wu", "吴刚", "SFJY", (Role.ADMIN,)),
]

REQUESTS = [
    "2025年度示范市义务教育阶段学校招生划片范围及依据文件",
    "示范市第一中学新校区建设项目的立项批复、环评批复文件",
    "2024年至2025年本市民办培训机构行政处罚决定书",
    "本市2025年中小学教师招聘计划及各学校岗位分配表",
    "示范市南湖片区控制性详细规划调整的批前公示材料及审批文件",
    "位于示范市东城区幸福路12号地块的国有土地使用权出让合同",
    "2025年示范市集体土地征收补偿安置方案及征地批复",
    "我家房屋所在地块（老城区3号地块）的征收决定及评估报告",
    "示范市2025年度财政预算中教育经费的安排明细",
    "市政府2025年第12次常务会议关于老旧小区改造的会议纪要",
    "示范市2026年政府信息公开工作要点及分工方案",
    "本市学前教育普惠性幼儿园认定名单及补助标准",
    "示范市公共资源交易中心2025年第三季度工程招标中标结果",
    "示范市自然资源局2025年作出的行政许可决定目录",
    "关于示范市西郊垃圾处理厂选址的论证报告与规划许可",
]
NAMES = [
    "陈晓燕",
    "刘建华",
    "杨帆",
    "黄丽娟",
    "周杰",
    "吴晓明",
    "徐海涛",
    "孙丽",
    "马俊",
    "朱红梅",
    "胡斌",
    "郭静",
    "林志远",
    "何雪",
    "高峰",
]
ORGS = [
    (ApplicantKind.COMMERCIAL, "示范市宏远置业有限公司"),
    (ApplicantKind.RESEARCH, "示范大学公共政策研究院"),
    (ApplicantKind.PUBLIC_INTEREST, "示范市绿色家园环保志愿者协会"),
    (ApplicantKind.LEGAL_SERVICES, "示范明德律师事务所"),
    (ApplicantKind.OTHER_ORG, "示范市东城区幸福路社区居民委员会"),
]


@dataclass
class Demo:
    agencies: dict[str, Agency]
    users: dict[str, User]


def _agency(code: str, name: str, kind: str, parent: Agency | None, **kw: Any) -> Agency:
    a, _ = Agency.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent, **kw}
    )
    return a


def build_agencies() -> dict[str, Agency]:
    gov = _agency(
        "SFGOV",
        "示范市人民政府",
        AgencyKind.GOVERNMENT,
        None,
        short_name="市政府",
        office_name="示范市人民政府办公室",
        reconsideration_body="示范省人民政府",
        court="示范市中级人民法院",
        letter_prefix="示府信公",
        address="示范市人民路1号",
        phone="0000-12345001",
    )
    common = {"reconsideration_body": "示范市人民政府", "court": "示范市东城区人民法院"}
    jy = _agency(
        "SFJY",
        "示范市教育局",
        AgencyKind.DEPARTMENT,
        gov,
        short_name="市教育局",
        office_name="示范市教育局办公室",
        letter_prefix="示教信公",
        address="示范市学府路8号",
        phone="0000-12345002",
        **common,
    )
    zr = _agency(
        "SFZR",
        "示范市自然资源和规划局",
        AgencyKind.DEPARTMENT,
        gov,
        short_name="市自然资源局",
        office_name="示范市自然资源和规划局办公室",
        letter_prefix="示自然信公",
        address="示范市建设路20号",
        phone="0000-12345003",
        **common,
    )
    unit = {"handles_applications": False}
    return {
        "SFGOV": gov,
        "SFJY": jy,
        "SFZR": zr,
        "SFJYJC": _agency("SFJYJC", "基础教育处", AgencyKind.UNIT, jy, **unit),
        "SFJYFG": _agency("SFJYFG", "发展规划处", AgencyKind.UNIT, jy, **unit),
        "SFZRGH": _agency("SFZRGH", "详细规划处", AgencyKind.UNIT, zr, **unit),
        "SFZRLY": _agency("SFZRLY", "土地利用处", AgencyKind.UNIT, zr, **unit),
        "SFGOVZC": _agency("SFGOVZC", "政策研究室", AgencyKind.UNIT, gov, **unit),
    }


def build_users(agencies: dict[str, Agency]) -> dict[str, User]:
    users = {}
    for username, name, code, roles in PEOPLE:
        u, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": name, "email": f"{username}@demo.gongkai.local"},
        )
        if created:
            u.set_password(DEMO_PASSWORD)
            u.is_staff = u.is_superuser = username == "admin" or Role.ADMIN in roles
            u.is_superuser = username == "admin"
            u.save()
        for role in roles:
            Membership.objects.get_or_create(user=u, agency=agencies[code], role=role)
        users[username] = u
    return users


def _working_days_before(today: date, n: int) -> date:
    cal, day = working_calendar(), today
    while n > 0:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return day


class _Maker:
    """Registers applications and walks them through the workflow, dated in the past."""

    def __init__(self, demo: Demo, seed: int = 2024) -> None:
        # Sample data, reproducible from the seed; nothing secret depends on it.
        self.demo, self.rng, self.n = demo, random.Random(seed), 0  # noqa: S311
        self.today = timezone.localdate()

    def ago(self, working_days: int) -> date:
        return _working_days_before(self.today, working_days)

    def applicant(self) -> s.Applicant:
        self.n += 1
        if self.rng.random() < 0.3:
            kind, name = ORGS[self.n % len(ORGS)]
            first17 = f"91{self.n % 100:02d}0100MA{self.n:07d}"[:17]
            return s.Applicant(
                kind=kind,
                name=name,
                id_type=IdType.CREDIT_CODE,
                id_number=first17 + uscc_check_char(first17),
                contact_person=self.rng.choice(NAMES),
                phone=f"0531-8{self.n:07d}",
                email=f"org{self.n}@example.cn",
            )
        first17 = (
            f"3701021{self.rng.randint(960, 999)}{self.rng.randint(1, 12):02d}"
            f"{self.rng.randint(1, 28):02d}{self.n % 1000:03d}"[:17]
        )
        return s.Applicant(
            kind=ApplicantKind.NATURAL_PERSON,
            name=NAMES[self.n % len(NAMES)],
            id_type=IdType.RESIDENT_ID,
            id_number=first17 + id_check_char(first17),
            phone=f"139{self.n:08d}",
            address=f"示范市东城区幸福路{self.n}号",
        )

    def register(
        self, code: str, received: date, clerk: str = "zhang", request: str | None = None
    ) -> Case:
        """An application to ``code`` received on ``received``: ``request`` when given, else
        the next of :data:`REQUESTS`."""
        applicant = self.applicant()
        return s.case_register(
            actor=self.demo.users[clerk],
            agency=self.demo.agencies[code],
            channel=self.rng.choice(["in_person", "online", "signed_post", "email"]),
            received_on=received,
            applicant=applicant,
            request_text=request or REQUESTS[self.n % len(REQUESTS)],
            form_wanted=self.rng.choice(InfoForm.values),
            delivery_wanted=self.rng.choice(DeliveryWanted.values),
        )


Script = Callable[[_Maker, Case, dict[str, User]], None]


@dataclass(frozen=True)
class Assign:
    """Register an application for ``request`` and route it to the internal unit ``unit``
    on the ``sent``-th working day before today, asking what follows from the request
    (``task``: which documents to search for, what to say about them)."""

    unit: str
    request: str
    task: str
    sent: int
    clerk: str = "zhang"
    working_days: int = 5

    def __call__(self, m: _Maker, c: Case, u: dict[str, User]) -> None:
        s.case_assign(
            actor=u[self.clerk],
            case=c,
            unit=m.demo.agencies[self.unit],
            working_days=self.working_days,
            instructions=assignment_instructions(c.request_text, self.task, self.working_days),
            day=m.ago(self.sent),
        )


def assignment_instructions(request: str, task: str, working_days: int) -> str:
    """What a unit is asked to do with an application (《中华人民共和国政府信息公开条例》第
    三十三条: the reply is due within 20 working days, so the unit has a shorter time)."""
    return (
        f"申请人申请公开“{request}”。{task}"
        f"请于{working_days}个工作日内书面回复：逐项写明文件名称、文号、是否由本单位制作或保存，"
        "以及拟全部公开、部分公开或不予公开的意见和理由。"
    )


def _reply(
    m: _Maker,
    c: Case,
    u: dict[str, User],
    outcome: Outcome,
    *,
    send: bool,
    head: str = "wang",
    clerk: str = "zhang",
    reviewer: str = "li",
) -> None:
    s.case_draft_reply(
        actor=u[clerk],
        case=c,
        items=[s.ItemInput(c.request_text[:60], outcome, "")],
    )
    s.case_secrecy_review(actor=u[reviewer], case=c, passed=True, note="经审查不涉及国家秘密")
    s.case_approve(actor=u[head], case=c)
    if send:
        post = c.delivery_wanted == "post"
        s.case_mark_replied(
            actor=u[clerk], case=c, tracking_number=f"EA{c.pk:09d}CN" if post else ""
        )


SCRIPTS: list[tuple[str, int, str, Script]] = [
    # agency, received N working days ago, clerk, what happens next
    *[("SFJY", d, "zhang", lambda m, c, u: None) for d in (1, 2, 3, 6, 9)],
    *[("SFJY", d, "zhang", lambda m, c, u: None) for d in (16, 17, 18)],  # yellow
    *[("SFJY", d, "zhang", lambda m, c, u: None) for d in (22, 25, 31)],  # red
    (
        "SFJY",
        12,
        "zhang",
        Assign(
            "SFJYJC",
            REQUESTS[0],
            "请检索2025年度义务教育阶段各学校招生划片范围的公告，以及划片方案的请示、"
            "批复等依据文件。",
            sent=11,
        ),
    ),
    (
        "SFJY",
        23,
        "zhang",
        Assign(
            "SFJYFG",
            REQUESTS[1],
            "请检索示范市第一中学新校区建设项目的立项批复；环评批复如由生态环境部门作出、"
            "本局未保存，请予注明。",
            sent=21,
        ),
    ),
    (
        "SFJY",
        14,
        "zhang",
        lambda m, c, u: s.case_consult(
            actor=u["zhang"],
            case=c,
            kind="third_party",
            party="示范市宏远置业有限公司",
            day=m.ago(4),
        ),
    ),
    (
        "SFJY",
        5,
        "zhang",
        lambda m, c, u: s.case_request_correction(
            actor=u["zhang"],
            case=c,
            what="请写明所需信息的文件名称或文号",
            reply_by=m.today + timedelta(days=15),
            day=m.ago(3),
        ),
    ),
    (
        "SFJY",
        26,
        "zhang",
        lambda m, c, u: s.case_extend(
            actor=u["wang"], case=c, working_days=15, reason="涉及档案较多，需调阅", day=m.ago(8)
        ),
    ),
    ("SFJY", 10, "zhang", lambda m, c, u: _reply(m, c, u, Outcome.DISCLOSED, send=False)),
    (
        "SFJY",
        13,
        "zhang",
        lambda m, c, u: s.case_draft_reply(
            actor=u["zhang"],
            case=c,
            items=[
                s.ItemInput("招聘计划", Outcome.DISCLOSED),
                s.ItemInput("岗位分配表内部讨论稿", Outcome.PROCESS_INFORMATION),
            ],
        ),
    ),
    ("SFJY", 19, "zhang", lambda m, c, u: _reply(m, c, u, Outcome.DISCLOSED, send=True)),
    ("SFJY", 30, "zhang", lambda m, c, u: _reply(m, c, u, Outcome.DOES_NOT_EXIST, send=True)),
    (
        "SFJY",
        40,
        "zhang",
        lambda m, c, u: (
            _reply(m, c, u, Outcome.PUBLISHED, send=True),
            s.case_archive(actor=u["zhang"], case=c),
        ),
    ),
    (
        "SFJY",
        45,
        "zhang",
        lambda m, c, u: (
            s.case_request_correction(
                actor=u["zhang"], case=c, what="请提供身份证明", reply_by=m.ago(30), day=m.ago(44)
            ),
            s.case_lapse_correction(actor=u["zhang"], case=c, day=m.ago(28)),
        ),
    ),
    (
        "SFJY",
        8,
        "zhang",
        lambda m, c, u: s.case_withdraw(
            actor=u["zhang"], case=c, note="申请人来电撤回", day=m.ago(2)
        ),
    ),
    *[("SFZR", d, "liu", lambda m, c, u: None) for d in (2, 7, 17, 24)],
    (
        "SFZR",
        11,
        "liu",
        Assign(
            "SFZRGH",
            REQUESTS[4],
            "请检索南湖片区控制性详细规划调整的批前公示材料（公示公告、规划图则）和市政府的"
            "审批文件。",
            sent=9,
            clerk="liu",
        ),
    ),
    (
        "SFZR",
        20,
        "liu",
        lambda m, c, u: s.case_consult(
            actor=u["liu"], case=c, kind="agency", party="示范市住房和城乡建设局", day=m.ago(6)
        ),
    ),
    (
        "SFZR",
        28,
        "liu",
        lambda m, c, u: _reply(
            m, c, u, Outcome.PARTIAL, send=True, head="sun", clerk="liu", reviewer="liu"
        ),
    ),
    (
        "SFZR",
        35,
        "liu",
        lambda m, c, u: _reply(
            m, c, u, Outcome.ENFORCEMENT_FILES, send=True, head="sun", clerk="liu", reviewer="liu"
        ),
    ),
    ("SFGOV", 4, "he", lambda m, c, u: None),
    ("SFGOV", 27, "he", lambda m, c, u: None),
    (
        "SFGOV",
        33,
        "he",
        lambda m, c, u: _reply(
            m, c, u, Outcome.PROCESS_INFORMATION, send=True, head="he", clerk="he", reviewer="he"
        ),
    ),
]


def load_demo() -> Demo:
    """Create the demo world once; a second call finds it and adds nothing. The notices to
    the (fictitious) applicants are kept in memory, not sent."""
    from django.test.utils import override_settings

    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        agencies = build_agencies()
        demo = Demo(agencies, build_users(agencies))
        if Case.objects.exists():
            return demo
        m = _Maker(demo)
        for code, days_ago, clerk, script in SCRIPTS:
            request = script.request if isinstance(script, Assign) else None
            case = m.register(code, m.ago(days_ago), clerk, request)
            script(m, case, demo.users)
        _fees_and_portal(m, demo)
        load_documents(demo.agencies, demo.users)
        _reports(m, demo)
    return demo


#: Query codes of two demo applications, so the portal can be tried at once.
DEMO_CODES = {"replied": "GKDEMO26", "online": "GKPORTAL"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe"
    b"\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _fees_and_portal(m: _Maker, demo: Demo) -> None:
    """A paid and an unpaid fee notice, a reply to find on the portal, and two online
    applications waiting for the office."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.cases import services as case_services
    from gongkai.cases.querycode import code_digest
    from gongkai.portal import services as ps

    u = demo.users
    paid = m.register("SFZR", m.ago(8), "liu")
    case_services.case_fee_notice(
        actor=u["liu"],
        case=paid,
        method="per_page",
        pages=150,
        payment_instructions="到示范市建设路20号办公室窗口缴纳，或汇入示范市财政局非税收入专户",
        delivery="in_person",
        day=m.ago(6),
    )
    case_services.case_fee_paid(
        actor=u["liu"], case=paid, amount_yuan=1700, receipt_number="FS2026-0001", day=m.ago(3)
    )
    waiting = m.register("SFZR", m.ago(4), "liu")
    case_services.case_fee_notice(
        actor=u["liu"],
        case=waiting,
        method="per_page",
        pages=45,
        payment_instructions="到示范市建设路20号办公室窗口缴纳",
        delivery="in_person",
        day=m.ago(2),
    )
    replied = Case.objects.filter(agency__code="SFJY", status="replied").order_by("pk").first()
    if replied is not None:
        replied.query_code_hash = code_digest(DEMO_CODES["replied"])
        replied.save(update_fields=["query_code_hash"])
    for n, text in enumerate(["2025年示范市中小学校舍安全检查报告", "学府路小学扩建项目批复"]):
        app = ps.submission_draft(
            agency=demo.agencies["SFJY"],
            applicant=m.applicant(),
            request=ps.Request(text, "electronic", "online"),
            proof=SimpleUploadedFile("身份证.png", PNG, content_type="image/png"),
            ip=f"192.0.2.{n + 1}",
        )
        ps.submission_confirm(app, ip=f"192.0.2.{n + 1}")
        if n == 0:
            app.refresh_from_db()
            app.code_hash = code_digest(DEMO_CODES["online"])
            app.save(update_fields=["code_hash"])


#: What each department writes where the draft leaves the text to the office: its own work
#: in part 一, part 五 whole, the superior work plan and the deputies' proposals in part 六.
WRITTEN: dict[str, dict[str, str]] = {
    "SFJY": {
        "own_work": (
            "全年通过门户网站主动公开政府信息412条，其中招生入学、学校布局、教育收费等重点领域"
            "信息186条；发布政策解读9篇，在招生季前召开新闻发布会2场。严格落实信息发布审核制度，"
            "依申请公开答复全部在法定期限内作出。"
        ),
        "problems": (
            "（一）存在的主要问题\n"
            "一是招生入学政策解读以文字为主，图解、问答类解读偏少。\n"
            "二是个别依申请公开答复书对不予公开的理由说明不够充分。\n"
            "（二）改进情况\n"
            "下一步，将在招生季前集中发布图解和问答，并组织依申请公开业务培训，统一答复文书"
            "说理要求。"
        ),
        "plan": (
            "按照{superior}{year}年政务公开工作要点，重点做好义务教育招生、教育经费安排等信息"
            "公开，各项任务均已按期完成。"
        ),
        "proposals": (
            "本年度承办人大代表建议12件、政协提案9件，办理结果已在门户网站“建议提案办理”栏目公开。"
        ),
    },
    "SFZR": {
        "own_work": (
            "全年通过门户网站主动公开政府信息538条，其中国土空间规划、征地信息、建设用地审批等"
            "重点领域信息301条；发布政策解读6篇。征地信息公开平台保持及时更新。"
        ),
        "problems": (
            "（一）存在的主要问题\n"
            "一是征地补偿安置信息公开的时效性还需提高。\n"
            "二是部分规划批前公示材料的图件说明不够通俗。\n"
            "（二）改进情况\n"
            "下一步，将征地批复后公开补偿安置方案的时限写入工作规程，并为规划公示配发图解说明。"
        ),
        "plan": (
            "按照{superior}{year}年政务公开工作要点，推进国土空间规划和征地信息公开，"
            "各项任务均已按期完成。"
        ),
        "proposals": (
            "本年度承办人大代表建议8件、政协提案5件，办理结果已在门户网站“建议提案办理”栏目公开。"
        ),
    },
}


def _written(narrative: dict[str, str], code: str, year: int) -> dict[str, str]:
    """The drafted narrative with the office's own text where the draft left it open, as the
    department would write it; nothing of the draft's marks is left."""
    from gongkai.core.report.draft import EDIT_MARK, OVERVIEW_PROMPT, placeholders

    text = WRITTEN[code]
    plan = text["plan"].format(superior="示范市人民政府", year=year)
    lines = []
    for line in narrative["other_matters"].split("\n"):
        if EDIT_MARK in line and "政务公开工作要点" in line:
            line = plan
        elif EDIT_MARK in line and "人大代表建议" in line:
            line = text["proposals"]
        lines.append(line)
    out = {
        **narrative,
        "overview": narrative["overview"].replace(OVERVIEW_PROMPT + EDIT_MARK, text["own_work"]),
        "problems": text["problems"],
        "other_matters": "\n".join(lines),
    }
    left = placeholders(out)
    if left:  # the demo shows a finished report; a new mark in the draft must be written here
        raise ValueError(f"示例年度报告正文尚有未填写的内容：{'；'.join(map(str, left))}")
    return out


def _last_year_report(agency: Agency, year: int) -> str:
    """A published-looking report of ``year`` (HTML in the statutory layout) whose carry-out
    equals the demo cases still open at the end of that year, as a real one would."""
    from gongkai.core.report.draft import DraftFacts, draft_narrative
    from gongkai.core.report.render import render_report_html
    from gongkai.core.report.schema import APPLICANT_COLUMNS, Cell, table3_id
    from gongkai.core.report.synth import random_report
    from gongkai.reports.compute import count_tables

    # Sample figures, reproducible from the agency code; nothing secret depends on them.
    report = random_report(random.Random(agency.code), agency=agency.name, year=year, scale=0.003)  # noqa: S311
    open_at_end = count_tables(year, [agency.pk]).cells[agency.pk]
    for col in (*APPLICANT_COLUMNS, "total"):
        want = open_at_end[table3_id("carried_out", col)].value
        delta = report.value(table3_id("carried_out", col)) - want
        # Keep 一 + 二 = 三 + 四: what is no longer carried out was concluded (or, when more
        # is carried out, more was received).
        moved = ("granted", "total") if delta > 0 else ("new",)
        for row in moved:
            cid = table3_id(row, col)
            report.cells[cid] = Cell.number(report.value(cid) + abs(delta))
        report.cells[table3_id("carried_out", col)] = Cell.number(want)
    drafted = draft_narrative(report, facts=DraftFacts(agency=agency.name, year=year))
    report.narrative = _written(drafted, agency.code, year)
    return render_report_html(report)


def _reports(m: _Maker, demo: Demo) -> None:
    """Last year's published reports of both departments imported as baselines, this
    year's drafts counted from the cases with table 二 entered and the text written (ready to
    submit once the year is over), and one reconsideration on record."""
    from gongkai.cases.services import remedy_record
    from gongkai.core.report.schema import TABLE2_IDS, Cell
    from gongkai.reports import services as rs

    u, year = demo.users, m.today.year
    refused = (
        Case.objects.filter(agency__code="SFJY", status="replied")
        .exclude(outcome__in=["published", "disclosed"])
        .first()
    )
    if refused is not None:
        remedy_record(
            actor=u["zhang"], case=refused, kind="reconsideration", filed_on=m.ago(1),
            body="示范市人民政府", reference=f"示府复〔{year}〕15号",
        )  # fmt: skip
    for code, clerk in (("SFJY", "zhang"), ("SFZR", "liu")):
        agency = demo.agencies[code]
        html = _last_year_report(agency, year - 1).encode()
        name = f"{agency.name}{year - 1}年政府信息公开工作年度报告.html"
        last = rs.report_import(actor=u[clerk], agency=agency, year=year - 1, data=html, name=name)
        draft = rs.report_prepare(actor=u[clerk], agency=agency, year=year)
        before = rs.report_of(last)
        figures = (
            0, 0, before.value("table2.rules.in_force"),
            6, 1, before.value("table2.normative.in_force") + 5,
            1260, 35, 0, Decimal(0),
        )  # fmt: skip
        cells = {cid: Cell.number(v) for cid, v in zip(TABLE2_IDS, figures, strict=True)}
        draft = rs.report_table2_save(actor=u[clerk], report=draft, cells=cells)
        written = _written(rs.report_of(draft).narrative, code, year)
        rs.report_narrative_save(actor=u[clerk], report=draft, parts=written)
