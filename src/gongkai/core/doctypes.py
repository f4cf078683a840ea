"""The documents of an application's life, their placeholders and their default wording.

DOMAIN §3 lists the documents an office sends (one national reference is Jiangsu's model
documents): the receipt (接收回执), the correction notice (补正告知书, 《政府信息公开条例》第三十条),
the request for reasons (第三十五条), the extension notice (第三十三条第二款), consultation
letters to third parties (第三十二条) and to agencies (第三十四条), the notice of consultation to
the applicant, the notice to a third party of disclosure over its objection (第三十二条), the
assistance letter to another department, the fee notice (《政府信息公开信息处理费管理办法》) and
a reply letter for every outcome (第三十六条至第三十九条). A reply letter names its legal basis
and, where the outcome is not a full grant, the remedy notice.

Templates use ``{占位符}`` placeholders (Chinese names, as the office reads them); ``{{`` and
``}}`` are literal braces. :func:`check_template` refuses unknown placeholders, stray braces
and templates that drop a required placeholder (a reply without its legal basis, a correction
notice without what to correct). Pure: no Django.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.outcomes import TRAILING_MARKS, Outcome


class Recipient(StrEnum):
    APPLICANT = "applicant"
    THIRD_PARTY = "third_party"
    AGENCY = "agency"


COMMON = {
    "机关名称": "发文机关名称",
    "公开工作机构": "政府信息公开工作机构名称",
    "机关地址": "机关地址",
    "联系电话": "机关联系电话",
    "申请人": "申请人姓名或名称",
    "申请编号": "申请的登记编号",
    "收到日期": "收到申请的日期",
    "申请内容": "所需政府信息的描述",
    "文号": "本文书的发文字号",
    "成文日期": "本文书的日期",
}


@dataclass(frozen=True, slots=True)
class DocSpec:
    label: str
    title: str
    recipient: Recipient
    fields: dict[str, str]  # placeholder -> what it holds (besides COMMON)
    required: tuple[str, ...]
    body: str
    outcome: Outcome | None = None

    @property
    def placeholders(self) -> dict[str, str]:
        return {**COMMON, **self.fields}


_RECEIVED = "本机关于{收到日期}收到您提出的政府信息公开申请"
_INTRO = _RECEIVED + "（申请编号：{申请编号}），申请获取：{申请内容}。"
_CONTACT = "联系机构：{公开工作机构}；地址：{机关地址}；电话：{联系电话}。"


class DocType(StrEnum):
    RECEIPT = "receipt"
    CORRECTION = "correction"
    REASONS = "reasons"
    EXTENSION = "extension"
    CONSULT_THIRD_PARTY = "consult_third_party"
    CONSULT_AGENCY = "consult_agency"
    CONSULT_NOTICE = "consult_notice"
    DISCLOSURE_NOTICE = "disclosure_notice"
    ASSISTANCE = "assistance"
    FEE_NOTICE = "fee_notice"
    # one reply letter per outcome: reply_<outcome code>
    REPLY_PUBLISHED = "reply_published"
    REPLY_DISCLOSED = "reply_disclosed"
    REPLY_PARTIAL = "reply_partial"
    REPLY_STATE_SECRET = "reply_state_secret"  # noqa: S105 - a document code
    REPLY_FORBIDDEN_BY_LAW = "reply_forbidden_by_law"
    REPLY_SECURITY_STABILITY = "reply_security_stability"
    REPLY_THIRD_PARTY_RIGHTS = "reply_third_party_rights"
    REPLY_INTERNAL_AFFAIRS = "reply_internal_affairs"
    REPLY_PROCESS_INFORMATION = "reply_process_information"
    REPLY_ENFORCEMENT_FILES = "reply_enforcement_files"
    REPLY_QUERY_MATTERS = "reply_query_matters"
    REPLY_DOES_NOT_EXIST = "reply_does_not_exist"
    REPLY_NOT_THIS_AGENCY = "reply_not_this_agency"
    REPLY_NEEDS_PROCESSING = "reply_needs_processing"
    REPLY_UNCLEAR_AFTER_CORRECTION = "reply_unclear_after_correction"
    REPLY_PETITION = "reply_petition"
    REPLY_REPEAT = "reply_repeat"
    REPLY_PUBLICATIONS = "reply_publications"
    REPLY_EXCESSIVE = "reply_excessive"
    REPLY_CONFIRM_OR_REISSUE = "reply_confirm_or_reissue"
    REPLY_NO_CORRECTION = "reply_no_correction"
    REPLY_FEE_UNPAID = "reply_fee_unpaid"
    REPLY_OTHER = "reply_other"

    @property
    def spec(self) -> DocSpec:
        return SPECS[self]

    @property
    def label(self) -> str:
        return SPECS[self].label

    @property
    def to_applicant(self) -> bool:
        return SPECS[self].recipient is Recipient.APPLICANT

    @property
    def is_reply(self) -> bool:
        return SPECS[self].outcome is not None

    @classmethod
    def for_outcome(cls, outcome: Outcome) -> DocType:
        return cls(f"reply_{outcome.value}")


# Documents an office makes by hand on the case page; the others are made by the step that
# needs them (registration, correction, extension, consultation, fee notice, approval).
MANUAL: tuple[str, ...] = ("reasons", "disclosure_notice")

_REPLY_FIELDS = {
    "答复事项": "对申请事项的答复（多个事项时逐项列出）",
    "答复说明": "答复要点（获取方式、不予公开的理由等）",
    "法律依据": "答复所依据的条款（按条文顺序，法规名称只写一次）",
    "救济途径": "复议、诉讼的途径和期限（全部公开时为空）",
}


def _reply(outcome: Outcome) -> DocSpec:
    """A reply letter (第三十六条至第三十九条) or, for an application that lapsed, a notice
    that it is no longer processed (第三十条; 信息处理费). What it says about each item comes
    from :meth:`Outcome.reply_sentence`, so the applicant reads a reply, not the office's
    category names; the provisions are cited once, in statute order (:func:`cite`)."""
    ending = outcome in (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID)
    required = ["法律依据", "答复事项"]
    if outcome.needs_remedy_notice:
        required.append("救济途径")
    body = "\n".join(
        [
            _INTRO + ("" if ending else "现答复如下："),
            "{答复事项}",
            "{答复说明}",
            "根据{法律依据}的规定，特此告知。",
            "{救济途径}",
            _CONTACT,
        ]
    )
    title = "政府信息公开申请终止处理告知书" if ending else "政府信息公开申请答复书"
    return DocSpec(
        f"答复书：{outcome.label}",
        title,
        Recipient.APPLICANT,
        _REPLY_FIELDS,
        tuple(required),
        body,
        outcome,
    )


SPECS: dict[DocType, DocSpec] = {
    DocType.RECEIPT: DocSpec(
        "接收回执",
        "政府信息公开申请接收回执",
        Recipient.APPLICANT,
        {
            "申请方式": "申请的提交方式",
            "答复期限": "法定答复期限",
            "查询码": "凭编号查询办理进度的查询码",
        },
        ("申请编号", "答复期限"),
        "\n".join(
            [
                # The number once: it is what the applicant quotes from now on.
                _RECEIVED + "，申请获取：{申请内容}。本机关已予登记，登记编号为{申请编号}。",
                "申请方式：{申请方式}。依照《中华人民共和国政府信息公开条例》第三十三条，"
                "本机关将于{答复期限}前作出答复；需要补正、征求意见或者延期的，另行告知。",
                "您可以凭登记编号和查询码（{查询码}）在本机关政府信息公开申请平台查询办理进度。",
                _CONTACT,
            ]
        ),
    ),
    DocType.CORRECTION: DocSpec(
        "补正告知书",
        "政府信息公开申请补正告知书",
        Recipient.APPLICANT,
        {"补正事项": "需要补正的事项", "补正期限": "申请人补正的期限"},
        ("补正事项", "补正期限"),
        "\n".join(
            [
                _INTRO,
                "经审查，您的申请内容不明确。依照《中华人民共和国政府信息公开条例》第三十条，"
                "现一次性告知您作出补正，需要补正的事项如下：",
                "{补正事项}",
                "请于{补正期限}前向本机关提交补正后的申请。答复期限自本机关收到补正后的申请之日起计算。"
                "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                _CONTACT,
            ]
        ),
    ),
    DocType.REASONS: DocSpec(
        "要求说明理由通知书",
        "政府信息公开申请说明理由通知书",
        Recipient.APPLICANT,
        {"说明事项": "需要申请人说明的事项", "说明期限": "说明理由的期限"},
        ("说明事项", "说明期限"),
        "\n".join(
            [
                _INTRO,
                "您申请公开政府信息的数量、频次明显超过合理范围。依照《中华人民共和国政府信息公开条例》"
                "第三十五条，请您说明理由：{说明事项}",
                "请于{说明期限}前向本机关说明。本机关认为理由不合理的，告知不予处理；"
                "认为理由合理，但无法在规定期限内答复的，将确定合理期限后答复并告知您。",
                _CONTACT,
            ]
        ),
    ),
    DocType.EXTENSION: DocSpec(
        "延期答复告知书",
        "政府信息公开申请延期答复告知书",
        Recipient.APPLICANT,
        {
            "延期天数": "延长的工作日数",
            "延期理由": "延期的理由",
            "新答复期限": "延期后的答复期限",
        },
        ("延期天数", "新答复期限"),
        "\n".join(
            [
                _INTRO,
                "因{延期理由}，本机关不能在法定期限内作出答复。依照《中华人民共和国政府信息公开条例》"
                "第三十三条第二款，经本机关政府信息公开工作机构负责人同意，答复期限延长{延期天数}个工作日，"
                "本机关将于{新答复期限}前作出答复。",
                _CONTACT,
            ]
        ),
    ),
    DocType.CONSULT_THIRD_PARTY: DocSpec(
        "征求第三方意见函",
        "政府信息公开征求第三方意见函",
        Recipient.THIRD_PARTY,
        {"第三方": "被征求意见的第三方", "回复期限": "第三方提出意见的期限"},
        ("回复期限",),
        "\n".join(
            [
                "本机关于{收到日期}收到政府信息公开申请（申请编号：{申请编号}），申请获取：{申请内容}。"
                "该信息的公开可能损害贵方合法权益。",
                "依照《中华人民共和国政府信息公开条例》第三十二条，现书面征求贵方意见。"
                "请于{回复期限}前书面提出意见；不同意公开的，请说明理由。逾期未提出意见的，"
                "由本机关依照条例规定决定。",
                _CONTACT,
            ]
        ),
    ),
    DocType.CONSULT_AGENCY: DocSpec(
        "征求意见函（机关）",
        "关于政府信息公开申请征求意见的函",
        Recipient.AGENCY,
        {"被征求机关": "共同制作信息的机关", "回复期限": "提出意见的期限"},
        ("回复期限",),
        "\n".join(
            [
                "本机关于{收到日期}收到政府信息公开申请（申请编号：{申请编号}），申请获取：{申请内容}。"
                "该信息由本机关与贵机关共同制作。",
                "依照《中华人民共和国政府信息公开条例》第三十四条，现征求贵机关意见，"
                "请于{回复期限}前书面回复。逾期未提出意见的，视为同意公开。",
                _CONTACT,
            ]
        ),
    ),
    DocType.CONSULT_NOTICE: DocSpec(
        "征求意见告知书",
        "政府信息公开申请征求意见告知书",
        Recipient.APPLICANT,
        {"征求对象": "被征求意见的第三方或机关", "回复期限": "被征求方的回复期限"},
        ("征求对象",),
        "\n".join(
            [
                _INTRO,
                "您申请获取的政府信息需要征求{征求对象}的意见。依照《中华人民共和国政府信息公开条例》"
                "第三十二条、第三十三条第三款，本机关已书面征求意见（回复期限为{回复期限}），"
                "征求意见所需时间不计算在答复期限内。",
                _CONTACT,
            ]
        ),
    ),
    DocType.DISCLOSURE_NOTICE: DocSpec(
        "公开决定告知书（第三方）",
        "政府信息公开决定告知书",
        Recipient.THIRD_PARTY,
        {"第三方": "提出异议的第三方", "公开内容": "决定公开的内容", "公开理由": "决定公开的理由"},
        ("公开内容", "公开理由"),
        "\n".join(
            [
                "本机关就政府信息公开申请（申请编号：{申请编号}）征求了贵方意见，贵方不同意公开。",
                "经审查，本机关认为不公开可能对公共利益造成重大影响。依照《中华人民共和国政府信息公开条例》"
                "第三十二条，本机关决定予以公开，现将决定公开的内容和理由书面告知如下：",
                "公开内容：{公开内容}",
                "公开理由：{公开理由}",
                _CONTACT,
            ]
        ),
    ),
    DocType.ASSISTANCE: DocSpec(
        "协助办理函",
        "关于协助办理政府信息公开申请的函",
        Recipient.AGENCY,
        {"协办单位": "协助办理的部门", "协办要求": "需要协助的事项", "回复期限": "回复期限"},
        ("回复期限",),
        "\n".join(
            [
                "本机关于{收到日期}收到政府信息公开申请（申请编号：{申请编号}），申请获取：{申请内容}。",
                "为依法按时答复申请人，请贵单位协助检索、核实相关信息并提出是否可以公开的意见：{协办要求}",
                "请于{回复期限}前书面回复本机关。",
                _CONTACT,
            ]
        ),
    ),
    DocType.FEE_NOTICE: DocSpec(
        "收费通知书",
        "政府信息公开信息处理费收费通知书",
        Recipient.APPLICANT,
        {
            "收费方式": "按件计收或按量计收",
            "收费明细": "逐项计算过程",
            "收费金额": "应缴金额（元）",
            "缴费方式": "缴费的途径和账户",
            "缴费期限": "缴费期限的说明",
        },
        ("收费明细", "收费金额", "缴费方式", "缴费期限"),
        "\n".join(
            [
                _INTRO,
                "您申请公开政府信息的数量、频次明显超过合理范围。依照《政府信息公开信息处理费管理办法》"
                "（国办函〔2020〕109号），本机关对该申请收取信息处理费，收费方式为{收费方式}。",
                "计算如下：{收费明细}",
                "应缴金额：人民币{收费金额}元。",
                "缴费方式：{缴费方式}",
                "{缴费期限}逾期未缴纳的，本机关不再处理该政府信息公开申请。"
                "本机关自收到费用之日起继续计算答复期限，发出收费通知至缴费的时间不计算在答复期限内。",
                _CONTACT,
            ]
        ),
    ),
    **{DocType.for_outcome(o): _reply(o) for o in Outcome},
}


class TemplateError(ValueError):
    """A template that cannot be used (message in Chinese)."""


def _parse(text: str, where: str) -> list[tuple[str, str | None]]:
    """``text`` as (literal, placeholder-or-None) pairs; TemplateError on bad syntax."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(
            f"{where}的花括号不成对（占位符写作 {{名称}}，文字花括号写作 {{{{ }}}}）"
        ) from exc
    out = []
    for literal, field, spec, conv in parsed:
        if field is not None and (spec or conv):
            raise TemplateError(f"{where}的占位符“{{{field}}}”不能带格式说明（“:”或“!”）")
        out.append((literal, field))
    return out


def check_template(doc_type: DocType, title: str, body: str) -> list[str]:
    """Every problem with a template of ``doc_type``, in Chinese; empty when usable."""
    spec = doc_type.spec
    problems: list[str] = []
    if not title.strip():
        problems.append("标题不能为空")
    if not body.strip():
        problems.append("正文不能为空")
    used: set[str] = set()
    for where, text in [
        ("标题", title),
        *[(f"正文第{n}行", ln) for n, ln in enumerate(body.splitlines(), 1)],
    ]:
        try:
            parts = _parse(text, where)
        except TemplateError as exc:
            problems.append(str(exc))
            continue
        for _, field in parts:
            if field is None:
                continue
            if field not in spec.placeholders:
                problems.append(
                    f"{where}：占位符“{{{field}}}”不存在；可用的占位符："
                    + "、".join(f"{{{p}}}" for p in spec.placeholders)
                )
            used.add(field)
    for need in spec.required:
        if need not in used:
            problems.append(f"缺少必需的占位符“{{{need}}}”（{spec.placeholders[need]}）")
    return problems


#: Marks a template may put right after a placeholder (a sentence's end, a comma, a closing
#: bracket or quote): the value's own trailing punctuation gives way to them.
_FOLLOWING_MARKS = frozenset("。．.，,、；;：:！!？?）)”’」』》】〕")


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders replaced (a checked template; missing values raise).

    Where the template puts punctuation right after a placeholder, the value's trailing
    punctuation is dropped first: an applicant's “……批准文件。” in “申请获取：{申请内容}。”
    reads “……批准文件。”, not “……批准文件。。”.
    """
    parts = _parse(text, "模板")
    out = []
    for n, (literal, field) in enumerate(parts):
        out.append(literal)
        if field is None:
            continue
        if field not in values:
            raise TemplateError(f"占位符“{{{field}}}”没有取值")
        value = values[field]
        following = parts[n + 1][0] if n + 1 < len(parts) else ""
        if following[:1] in _FOLLOWING_MARKS:
            value = value.rstrip(TRAILING_MARKS)
        out.append(value)
    return "".join(out)
