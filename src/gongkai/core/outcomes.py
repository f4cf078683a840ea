"""Reply outcomes: the legal basis of each and the annual-report row it is counted in.

Every reply to an application falls under one outcome of 《政府信息公开条例》第三十六条 to
第三十九条 (or the practice rows the 2021 report format adds); the report format
(国办公开办函〔2021〕30号) counts it in exactly one row of table 三. Partial disclosure
(第三十七条) counts in its own row only, never also in a refusal row.

A reply that is not a full grant tells the applicant how to seek remedy: administrative
reconsideration within 60 days of learning of the decision (《行政复议法》第二十条) or a
lawsuit within six months (《行政诉讼法》第四十六条). Since 2024-01-01 a refusal to disclose
must first go to reconsideration (《行政复议法》第二十三条第一款第四项).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

RECONSIDERATION_FIRST_FROM = date(2024, 1, 1)


@dataclass(frozen=True, slots=True)
class _Info:
    label: str
    basis: str
    report_row: str
    refusal: bool  # a refusal to disclose (all or part): reconsideration comes first


class Outcome(StrEnum):
    """Reply outcomes (DOMAIN.md §3); the value is the outcome's stable code."""

    PUBLISHED = "published"
    DISCLOSED = "disclosed"
    PARTIAL = "partial"
    STATE_SECRET = "state_secret"  # noqa: S105 - an outcome code, not a password
    FORBIDDEN_BY_LAW = "forbidden_by_law"
    SECURITY_STABILITY = "security_stability"
    THIRD_PARTY_RIGHTS = "third_party_rights"
    INTERNAL_AFFAIRS = "internal_affairs"
    PROCESS_INFORMATION = "process_information"
    ENFORCEMENT_FILES = "enforcement_files"
    QUERY_MATTERS = "query_matters"
    DOES_NOT_EXIST = "does_not_exist"
    NOT_THIS_AGENCY = "not_this_agency"
    NEEDS_PROCESSING = "needs_processing"
    UNCLEAR_AFTER_CORRECTION = "unclear_after_correction"
    PETITION = "petition"
    REPEAT = "repeat"
    PUBLICATIONS = "publications"
    EXCESSIVE = "excessive"
    CONFIRM_OR_REISSUE = "confirm_or_reissue"
    NO_CORRECTION = "no_correction"
    FEE_UNPAID = "fee_unpaid"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _INFO[self].label

    @property
    def basis(self) -> str:
        """The article (and paragraph) the reply cites."""
        return _INFO[self].basis

    @property
    def report_row(self) -> str:
        """The row of annual-report table 三 that counts this outcome."""
        return _INFO[self].report_row

    @property
    def is_refusal(self) -> bool:
        return _INFO[self].refusal

    @property
    def needs_remedy_notice(self) -> bool:
        """Every reply but a full grant tells the applicant how to seek remedy."""
        return self not in (Outcome.PUBLISHED, Outcome.DISCLOSED)


_REGULATIONS = "《中华人民共和国政府信息公开条例》"
_INFO: dict[Outcome, _Info] = {
    Outcome.PUBLISHED: _Info(
        "已主动公开，告知获取方式和途径", f"{_REGULATIONS}第三十六条第一项", "granted", False
    ),
    Outcome.DISCLOSED: _Info("予以公开", f"{_REGULATIONS}第三十六条第二项", "granted", False),
    Outcome.PARTIAL: _Info("部分公开", f"{_REGULATIONS}第三十七条", "partial", True),
    Outcome.STATE_SECRET: _Info(
        "属于国家秘密，不予公开", f"{_REGULATIONS}第十四条", "denied_1", True
    ),
    Outcome.FORBIDDEN_BY_LAW: _Info(
        "法律、行政法规禁止公开，不予公开", f"{_REGULATIONS}第十四条", "denied_2", True
    ),
    Outcome.SECURITY_STABILITY: _Info(
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定，不予公开",
        f"{_REGULATIONS}第十四条",
        "denied_3",
        True,
    ),
    Outcome.THIRD_PARTY_RIGHTS: _Info(
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，不予公开",
        f"{_REGULATIONS}第十五条",
        "denied_4",
        True,
    ),
    Outcome.INTERNAL_AFFAIRS: _Info(
        "属于人事管理、后勤管理、内部工作流程等内部事务信息，可不予公开",
        f"{_REGULATIONS}第十六条第一款",
        "denied_5",
        True,
    ),
    Outcome.PROCESS_INFORMATION: _Info(
        "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，可不予公开",
        f"{_REGULATIONS}第十六条第二款",
        "denied_6",
        True,
    ),
    Outcome.ENFORCEMENT_FILES: _Info(
        "属于行政执法案卷信息，可不予公开", f"{_REGULATIONS}第十六条第二款", "denied_7", True
    ),
    Outcome.QUERY_MATTERS: _Info(
        "属于行政查询事项，按相关查询程序办理",
        "实践做法（年报格式“属于行政查询事项”）",
        "denied_8",
        True,
    ),
    Outcome.DOES_NOT_EXIST: _Info(
        "经检索没有所申请公开的信息，告知申请人该政府信息不存在",
        f"{_REGULATIONS}第三十六条第四项",
        "unable_1",
        False,
    ),
    Outcome.NOT_THIS_AGENCY: _Info(
        "所申请公开的信息不属于本机关负责公开，告知申请人（能够确定的，告知负责公开的机关）",
        f"{_REGULATIONS}第三十六条第五项",
        "unable_1",
        False,
    ),
    Outcome.NEEDS_PROCESSING: _Info(
        "需要对现有政府信息进行加工、分析，可以不予提供",
        f"{_REGULATIONS}第三十八条",
        "unable_2",
        False,
    ),
    Outcome.UNCLEAR_AFTER_CORRECTION: _Info(
        "补正后申请内容仍不明确", f"{_REGULATIONS}第三十条", "unable_3", False
    ),
    Outcome.PETITION: _Info(
        "以政府信息公开申请形式进行信访、投诉、举报等活动，告知通过相应渠道提出",
        f"{_REGULATIONS}第三十九条第一款",
        "not_processed_1",
        False,
    ),
    Outcome.REPEAT: _Info(
        "重复申请公开相同政府信息，告知不予重复处理",
        f"{_REGULATIONS}第三十六条第六项",
        "not_processed_2",
        False,
    ),
    Outcome.PUBLICATIONS: _Info(
        "要求提供政府公报、报刊、书籍等公开出版物，告知获取途径",
        f"{_REGULATIONS}第三十九条第二款",
        "not_processed_3",
        False,
    ),
    Outcome.EXCESSIVE: _Info(
        "申请公开政府信息的数量、频次明显超过合理范围且理由不合理，不予处理",
        f"{_REGULATIONS}第三十五条",
        "not_processed_4",
        False,
    ),
    Outcome.CONFIRM_OR_REISSUE: _Info(
        "要求行政机关确认或重新出具已获取信息，不作为政府信息公开申请处理",
        "实践做法（年报格式“要求行政机关确认或重新出具已获取信息”）",
        "not_processed_5",
        False,
    ),
    Outcome.NO_CORRECTION: _Info(
        "无正当理由逾期不补正，视为放弃申请", f"{_REGULATIONS}第三十条", "other_1", False
    ),
    Outcome.FEE_UNPAID: _Info(
        "逾期未按收费通知要求缴纳费用，不再处理该申请",
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        "other_2",
        False,
    ),
    Outcome.OTHER: _Info(
        "其他处理（如申请人撤回申请、依照有关法律法规办理）",
        f"{_REGULATIONS}第三十六条第七项",
        "other_3",
        False,
    ),
}


def outcomes_for_row(row: str) -> tuple[Outcome, ...]:
    """The outcomes counted in one row of table 三 (``granted``, ``denied_1`` …)."""
    return tuple(o for o in Outcome if o.report_row == row)


def remedy_notice(
    outcome: Outcome,
    *,
    decided_on: date,
    reconsideration_body: str,
    court: str = "有管辖权的人民法院",
    reconsideration_days: int = 60,
    litigation_months: int = 6,
) -> str | None:
    """The remedy paragraph of a reply letter, or None for a full grant.

    ``reconsideration_body`` is the organ that hears reconsideration, normally the
    people's government at the same level (configurable per agency). From 2024-01-01 a
    refusal to disclose (in whole or in part) must go to reconsideration before a lawsuit
    (《中华人民共和国行政复议法》第二十三条第一款第四项). The time limits are the statutory
    60 days and 6 months unless an agency states longer ones (a law may allow more).
    """
    if reconsideration_days < 60 or litigation_months < 6:
        raise ValueError("复议期限不得少于60日、诉讼期限不得少于6个月（法定期限）")
    if not outcome.needs_remedy_notice:
        return None
    reconsider = f"向{reconsideration_body}申请行政复议（《中华人民共和国行政复议法》第二十条）"
    since = f"可以在知道该行政行为之日起{reconsideration_days}日内"
    if outcome.is_refusal and decided_on >= RECONSIDERATION_FIRST_FROM:
        return (
            f"如对本答复不服，{since}{reconsider}；"
            f"对行政复议决定不服的，可以依法向{court}提起行政诉讼。"
            "依照《中华人民共和国行政复议法》第二十三条第一款第四项，"
            "对不予公开政府信息的决定不服，应当先申请行政复议。"
        )
    return (
        f"如对本答复不服，{since}{reconsider}，"
        f"也可以在{litigation_months}个月内向{court}提起行政诉讼"
        "（《中华人民共和国行政诉讼法》第四十六条）。"
    )


_GRANTS = frozenset({Outcome.PUBLISHED, Outcome.DISCLOSED})


def combined_outcome(items: Sequence[Outcome]) -> Outcome:
    """The one outcome a whole application is counted under, from its items' outcomes.

    Table 三 counts each application once. Items answered alike: that outcome. Some items
    disclosed (or one partly disclosed) and others not: 部分公开 — "区分处理的，只计这一情形"
    (年度报告格式, 表三（二）). Several refusals or other endings without any disclosure: the
    first item's, i.e. the main matter the applicant asked about, listed first.
    """
    if not items:
        raise ValueError("答复至少要有一个事项")
    distinct = set(items)
    if len(distinct) == 1:
        return items[0]
    if Outcome.PARTIAL in distinct or distinct & _GRANTS:
        if distinct <= _GRANTS:
            return Outcome.DISCLOSED
        return Outcome.PARTIAL
    return items[0]
