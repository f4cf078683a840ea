"""Reply outcomes: the provisions each reply cites, what the letter tells the applicant, and
the annual-report row it is counted in.

Every reply to an application falls under one outcome of 《政府信息公开条例》第三十六条 to
第三十九条 (or the practice rows the 2021 report format adds); the report format
(国办公开办函〔2021〕30号) counts it in exactly one row of table 三. Partial disclosure
(第三十七条) counts in its own row only, never also in a refusal row.

Each outcome has two wordings: :attr:`Outcome.label`, the staff's name for it (the
report's row, shown where staff choose an outcome), and :attr:`Outcome.reply_text`, what a
答复书 says to the applicant. A refusal cites the article it rests on (第十四条至第十六条)
and 第三十六条第三项 (告知申请人不予公开并说明理由); :func:`cite` writes several outcomes'
provisions as one citation, in statute order with each instrument named once.

A reply that is not a full grant tells the applicant how to seek remedy: administrative
reconsideration within 60 days of learning of the decision (《行政复议法》第二十条) or a
lawsuit within six months (《行政诉讼法》第四十六条). Since 2024-01-01 a refusal to disclose
must first go to reconsideration (《行政复议法》第二十三条第一款第四项).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

RECONSIDERATION_FIRST_FROM = date(2024, 1, 1)

REGULATIONS = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
_INSTRUMENTS = (REGULATIONS, FEE_MEASURES)  # the order instruments are cited in

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """``n`` (1–99) in Chinese numerals as statutes number articles: 3 → 三, 36 → 三十六."""
    if not 1 <= n <= 99:
        raise ValueError(f"条款序号应在1到99之间，收到{n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else f"{_DIGITS[tens]}十"
    return head + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True, slots=True)
class Provision:
    """A provision a reply rests on: 第N条, with 第M款 and 第K项 when cited (0: not cited;
    article 0: the instrument as a whole)."""

    article: int = 0
    paragraph: int = 0
    item: int = 0
    law: str = REGULATIONS

    @property
    def key(self) -> tuple[int, int, int, int]:
        """Statute order: the instrument, then article, paragraph, item."""
        rank = _INSTRUMENTS.index(self.law) if self.law in _INSTRUMENTS else len(_INSTRUMENTS)
        return (rank, self.article, self.paragraph, self.item)

    def covers(self, other: Provision) -> bool:
        """Whether citing ``self`` already cites ``other`` (a whole article covers its
        paragraphs and items, a paragraph its items)."""
        if self.law != other.law:
            return False
        if self == other or self.article == 0:
            return True
        if self.article != other.article:
            return False
        if self.paragraph == 0 and self.item == 0:
            return True
        return self.item == 0 and self.paragraph == other.paragraph

    def text(self, after: Provision | None = None) -> str:
        """The provision's number; after a provision of the same article (and paragraph),
        only what differs: 第三十六条第四项 then 第五项."""
        same_article = after is not None and after.law == self.law and after.article == self.article
        parts = []
        if self.article and not same_article:
            parts.append(f"第{chinese_number(self.article)}条")
        if self.paragraph and not (same_article and after.paragraph == self.paragraph):
            parts.append(f"第{chinese_number(self.paragraph)}款")
        if self.item:
            parts.append(f"第{chinese_number(self.item)}项")
        return "".join(parts)


def _p(article: int = 0, paragraph: int = 0, item: int = 0, law: str = REGULATIONS) -> Provision:
    return Provision(article, paragraph, item, law)


def cite(provisions: Iterable[Provision]) -> str:
    """One citation of ``provisions``: in statute order, without repeats or provisions a
    broader one already covers, each instrument named once —
    ``《中华人民共和国政府信息公开条例》第三十六条第四项、第五项``."""
    unique = sorted(set(provisions), key=lambda p: p.key)
    kept = [p for p in unique if not any(o != p and o.covers(p) for o in unique)]
    out: list[str] = []
    for law in dict.fromkeys(p.law for p in kept):
        numbers, prev = [], None
        for p in (p for p in kept if p.law == law):
            if p.article:
                numbers.append(p.text(prev))
            prev = p
        out.append(law + "、".join(numbers))
    return "、".join(out)


@dataclass(frozen=True, slots=True)
class _Info:
    label: str
    cites: tuple[Provision, ...]
    report_row: str
    refusal: bool  # a refusal to disclose (all or part): reconsideration comes first
    reply: str  # what the letter tells the applicant
    fallback: str = ""  # said after ``reply`` when the office wrote no explanation
    lead: str = ""  # put before the office's explanation
    practice: str = ""  # where an outcome comes from practice, not the statute


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
        """The staff's name for the outcome (the report's wording); never put in a letter."""
        return _INFO[self].label

    @property
    def provisions(self) -> tuple[Provision, ...]:
        """The provisions a reply with this outcome cites."""
        return _INFO[self].cites

    @property
    def basis(self) -> str:
        """The provisions as one citation (and, for a practice outcome, where it comes from)."""
        info = _INFO[self]
        return cite(info.cites) + (f"（{info.practice}）" if info.practice else "")

    @property
    def reply_text(self) -> str:
        """What a reply letter tells the applicant about information answered this way."""
        return _INFO[self].reply

    def reply_sentence(self, explanation: str = "") -> str:
        """The letter's sentences for one answered item: :attr:`reply_text` and the office's
        explanation (after its lead-in), or the standard wording when there is none."""
        info = _INFO[self]
        extra = sentence(explanation)
        return info.reply + (info.lead + extra if extra else info.fallback)

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


#: Sentence-ending and joining marks a template adds itself; trimmed off the end of text an
#: office or applicant typed before the template adds its own (no “文件。。”).
TRAILING_MARKS = "。．.，,、；;：:！!？?…　 \t\r\n"


def trim(text: str) -> str:
    """``text`` without surrounding space and without trailing punctuation marks."""
    return text.strip().rstrip(TRAILING_MARKS).strip()


def sentence(text: str) -> str:
    """``text`` on one line as a sentence: lines joined with “；”, closed by one “。” (or the
    “？”/“！” it ended with)."""
    lines = [line.strip() for line in text.splitlines() if trim(line)]
    if not lines:
        return ""
    end = {"？": "？", "?": "？", "！": "！", "!": "！"}.get(lines[-1][-1], "。")
    return "；".join(trim(line) for line in lines) + end


_REFUSE = _p(36, 0, 3)  # 第三十六条第三项: 告知申请人不予公开并说明理由
_BY_REVIEW = "经审查，该政府信息"
_INFO: dict[Outcome, _Info] = {
    Outcome.PUBLISHED: _Info(
        "已主动公开，告知获取方式和途径",
        (_p(36, 0, 1),),
        "granted",
        False,
        "该政府信息本机关已经主动公开。",
        fallback="您可以通过本机关政府网站政府信息公开专栏等主动公开渠道查阅、获取。",
    ),
    Outcome.DISCLOSED: _Info(
        "予以公开",
        (_p(36, 0, 2),),
        "granted",
        False,
        "该政府信息属于可以公开的政府信息，本机关予以公开，现按您要求的形式向您提供。",
    ),
    Outcome.PARTIAL: _Info(
        "部分公开",
        (_p(37),),
        "partial",
        True,
        "该政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供其中可以公开的内容。",
        lead="不予公开的内容及理由：",
    ),
    Outcome.STATE_SECRET: _Info(
        "属于国家秘密，不予公开",
        (_p(14), _REFUSE),
        "denied_1",
        True,
        f"{_BY_REVIEW}属于国家秘密，本机关不予公开。",
    ),
    Outcome.FORBIDDEN_BY_LAW: _Info(
        "法律、行政法规禁止公开，不予公开",
        (_p(14), _REFUSE),
        "denied_2",
        True,
        f"{_BY_REVIEW}属于法律、行政法规禁止公开的政府信息，本机关不予公开。",
    ),
    Outcome.SECURITY_STABILITY: _Info(
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定，不予公开",
        (_p(14), _REFUSE),
        "denied_3",
        True,
        f"{_BY_REVIEW}公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关不予公开。",
    ),
    Outcome.THIRD_PARTY_RIGHTS: _Info(
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，不予公开",
        (_p(15), _REFUSE),
        "denied_4",
        True,
        f"{_BY_REVIEW}涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关不予公开。",
    ),
    Outcome.INTERNAL_AFFAIRS: _Info(
        "属于人事管理、后勤管理、内部工作流程等内部事务信息，可不予公开",
        (_p(16, 1), _REFUSE),
        "denied_5",
        True,
        f"{_BY_REVIEW}属于人事管理、后勤管理、内部工作流程等方面的内部事务信息，本机关不予公开。",
    ),
    Outcome.PROCESS_INFORMATION: _Info(
        "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，可不予公开",
        (_p(16, 2), _REFUSE),
        "denied_6",
        True,
        f"{_BY_REVIEW}属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、"
        "请示报告等过程性信息，本机关不予公开。",
    ),
    Outcome.ENFORCEMENT_FILES: _Info(
        "属于行政执法案卷信息，可不予公开",
        (_p(16, 2), _REFUSE),
        "denied_7",
        True,
        f"{_BY_REVIEW}属于行政执法案卷信息，本机关不予公开。",
    ),
    Outcome.QUERY_MATTERS: _Info(
        "属于行政查询事项，按相关查询程序办理",
        (_p(36, 0, 7),),
        "denied_8",
        True,
        "经审查，您申请获取的信息属于行政查询事项，其查询另有专门规定，请您按照相关查询程序办理。",
        practice="实践做法，年报格式“属于行政查询事项”",
    ),
    Outcome.DOES_NOT_EXIST: _Info(
        "经检索没有所申请公开的信息，告知申请人该政府信息不存在",
        (_p(36, 0, 4),),
        "unable_1",
        False,
        "经检索，本机关未制作或获取该政府信息，该政府信息不存在。",
    ),
    Outcome.NOT_THIS_AGENCY: _Info(
        "所申请公开的信息不属于本机关负责公开，告知申请人（能够确定的，告知负责公开的机关）",
        (_p(36, 0, 5),),
        "unable_1",
        False,
        "经查，该政府信息不属于本机关负责公开的政府信息。",
    ),
    Outcome.NEEDS_PROCESSING: _Info(
        "需要对现有政府信息进行加工、分析，可以不予提供",
        (_p(38),),
        "unable_2",
        False,
        "经审查，您所需的信息需要本机关对现有政府信息进行加工、分析才能形成，本机关不予提供。",
    ),
    Outcome.UNCLEAR_AFTER_CORRECTION: _Info(
        "补正后申请内容仍不明确",
        (_p(30),),
        "unable_3",
        False,
        "经补正后，您的申请内容仍不明确，本机关无法确定您所需的政府信息，无法向您提供。",
    ),
    Outcome.PETITION: _Info(
        "以政府信息公开申请形式进行信访、投诉、举报等活动，告知通过相应渠道提出",
        (_p(39, 1),),
        "not_processed_1",
        False,
        "经审查，您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动，"
        "本机关不作为政府信息公开申请处理，请您通过相应渠道提出。",
    ),
    Outcome.REPEAT: _Info(
        "重复申请公开相同政府信息，告知不予重复处理",
        (_p(36, 0, 6),),
        "not_processed_2",
        False,
        "本机关已就您此前提出的相同政府信息公开申请作出答复，对您重复申请公开的相同政府信息"
        "不予重复处理。",
    ),
    Outcome.PUBLICATIONS: _Info(
        "要求提供政府公报、报刊、书籍等公开出版物，告知获取途径",
        (_p(39, 2),),
        "not_processed_3",
        False,
        "您申请获取的是政府公报、报刊、书籍等公开出版物，请您通过出版发行、公共图书馆等渠道获取。",
    ),
    Outcome.EXCESSIVE: _Info(
        "申请公开政府信息的数量、频次明显超过合理范围且理由不合理，不予处理",
        (_p(35),),
        "not_processed_4",
        False,
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，"
        "经审查，您说明的理由不合理，本机关不予处理。",
    ),
    Outcome.CONFIRM_OR_REISSUE: _Info(
        "要求行政机关确认或重新出具已获取信息，不作为政府信息公开申请处理",
        (_p(2),),
        "not_processed_5",
        False,
        "经审查，您的申请系要求本机关确认或者重新出具您已获取的信息，"
        "并非申请获取本机关已制作或者获取的政府信息，本机关不作为政府信息公开申请处理。",
        practice="实践做法，年报格式“要求行政机关确认或重新出具已获取信息”",
    ),
    Outcome.NO_CORRECTION: _Info(
        "无正当理由逾期不补正，视为放弃申请",
        (_p(30),),
        "other_1",
        False,
        "本机关已一次性告知您补正申请，您无正当理由逾期未补正，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
    ),
    Outcome.FEE_UNPAID: _Info(
        "逾期未按收费通知要求缴纳费用，不再处理该申请",
        (_p(42), _p(law=FEE_MEASURES)),
        "other_2",
        False,
        "本机关已向您发出信息处理费收费通知，您未在规定期限内缴纳，"
        "本机关不再处理该政府信息公开申请。",
    ),
    Outcome.OTHER: _Info(
        "其他处理（如申请人撤回申请、依照有关法律法规办理）",
        (_p(36, 0, 7),),
        "other_3",
        False,
        "",
        fallback="该政府信息的获取，有关法律、行政法规另有特别规定，"
        "请您依照有关法律、行政法规的规定办理。",
    ),
}


def outcomes_for_row(row: str) -> tuple[Outcome, ...]:
    """The outcomes counted in one row of table 三 (``granted``, ``denied_1`` …)."""
    return tuple(o for o in Outcome if o.report_row == row)


def reply_provisions(items: Sequence[Outcome], overall: Outcome) -> tuple[Provision, ...]:
    """What a reply answering ``items`` under ``overall`` cites: each item's provisions, and
    第三十七条 when the whole is a partial disclosure (区分处理, 第三十七条) — also when it is
    partial because some items are disclosed and others refused."""
    out = [p for o in (items or [overall]) for p in o.provisions]
    if overall is Outcome.PARTIAL:
        out.extend(Outcome.PARTIAL.provisions)
    return tuple(out)


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
