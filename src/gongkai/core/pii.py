"""The personal-information scan before publishing (先审查后公开).

《中华人民共和国政府信息公开条例》第十七条: an agency reviews the government information it
means to disclose before disclosing it; 第十五条: information touching personal privacy whose
disclosure would harm a third party's lawful rights is not disclosed unless the third party
agrees or the public interest requires it. Practice (国办 2018 政务公开工作要点): outside
惩戒公示 and 强制性信息披露, personal information in published content is de-identified —
addresses kept to 乡镇/街道, numbers masked (``138****1234``).

:func:`scan_text` reads a text and returns :class:`Hit` s, each with its kind, the matched
text already masked for display, where it stands (offset, line, column, and for documents the
paragraph, table cell, header or footer), a severity and a Chinese explanation:

===================  ==========  =================================================================
kind                 severity    what
===================  ==========  =================================================================
resident_id          block       18-digit 居民身份证号码 with a valid date of birth and check digit
                                 (GB 11643, :func:`gongkai.core.identity.check_resident_id`); a
                                 wrong check digit is not a hit
resident_id_old      warn        a 15-digit number shaped like an old 身份证号码 (province code,
                                 valid date 19YYMMDD)
mobile               block       手机号码 1[3-9]xxxxxxxxx, with +86 / 0086 and a space or a dash
                                 (-, the full-width －, – or —) between the groups
landline             block       固定电话 with its area code (0531-81234567, (0532)8591 2121,
                                 0531—81234567)
email                block       电子邮箱, except a government mailbox (…@….gov.cn)
bank_card            block       银行卡号: 16–19 digits passing the Luhn check, not shaped like an
                                 ID number nor a valid 统一社会信用代码, starting like a card
                                 (3/4/5/6/9) or written after 卡号/账号/银行
plate                block       机动车号牌 (鲁B·12345, 京A12345, new-energy 鲁BD12345)
address              block       住址 finer than 乡镇/街道 (…路…号, …小区…栋…室, …村…组…号);
                                 not an organisation's or a public place's address, named
                                 just before it in the sentence (测试市第一中学（…路48号）,
                                 报名地点：市政务服务中心2号楼105室) unless a personal word
                                 (住、户籍、申请人…) stands there too
name                 warn        人名 in a typical personal context (申请人、当事人：、
                                 姓名：、XXX同志); precision before recall,
                                 appointments and other official contexts left alone, and
                                 an office named after a role word (联系人：宣传处)
===================  ==========  =================================================================

An :class:`AllowList` holds what the agency itself publishes (its hotline, mailbox, office
address): those never hit, however they are written.

Whether a hit may be published anyway (惩戒公示, 强制性信息披露, the person's consent under
第十五条, an overriding public interest) is not the scanner's business: it only reports. A
caller that publishes despite a ``block`` hit records the legal basis and who decided it, in
the audit trail, next to the scan result.

:func:`scan_document` does the same for a .docx (python-docx: body paragraphs, tables,
headers and footers), a PDF (the report reader's :func:`~gongkai.core.report.readers.pdf_text`)
or a plain-text file, bounded in size; a malformed file gives :class:`ScanError` with a Chinese
message naming the file and what is wrong, never a crash.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .identity import (
    PROVINCES,
    IdentityError,
    check_credit_code,
    check_resident_id,
    mask,
    mask_name,
    search_phone,
)

#: Largest document :func:`scan_document` reads (bytes as uploaded).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: Largest uncompressed size of a .docx (a zip); more is refused as a possible zip bomb.
MAX_DOCX_UNPACKED = 100 * 1024 * 1024
#: Longest text :func:`scan_text` reads, in characters.
MAX_TEXT_CHARS = 10_000_000


class ScanError(ValueError):
    """A text or document that cannot be scanned (message in Chinese, naming the problem)."""


class Severity(StrEnum):
    BLOCK = "block"  # must be removed or masked before publishing (or a basis recorded)
    WARN = "warn"  # to be looked at by the reviewer


class Kind(StrEnum):
    RESIDENT_ID = "resident_id"
    RESIDENT_ID_OLD = "resident_id_old"
    MOBILE = "mobile"
    LANDLINE = "landline"
    EMAIL = "email"
    BANK_CARD = "bank_card"
    PLATE = "plate"
    ADDRESS = "address"
    NAME = "name"


KIND_LABELS: dict[Kind, str] = {
    Kind.RESIDENT_ID: "居民身份证号码",
    Kind.RESIDENT_ID_OLD: "疑似15位旧身份证号码",
    Kind.MOBILE: "手机号码",
    Kind.LANDLINE: "固定电话",
    Kind.EMAIL: "电子邮箱",
    Kind.BANK_CARD: "银行卡号",
    Kind.PLATE: "机动车号牌",
    Kind.ADDRESS: "详细住址",
    Kind.NAME: "疑似个人姓名",
}

_EXPLAIN: dict[Kind, str] = {
    Kind.RESIDENT_ID: (
        "完整的居民身份证号码属于个人信息，公开前应删除或打码（如3702**********1234）"
    ),
    Kind.RESIDENT_ID_OLD: (
        "15位数字的出生日期和地区码与旧身份证号码相符，请核实是否为个人身份证号码"
    ),
    Kind.MOBILE: "个人手机号码不应公开，应删除或打码（如138****5678）",
    Kind.LANDLINE: "固定电话不是本机关公开的联系电话，可能是个人电话，应删除或打码",
    Kind.EMAIL: "电子邮箱不是本机关公开的邮箱，可能是个人邮箱，应删除或打码",
    Kind.BANK_CARD: "银行卡号（通过Luhn校验）属于个人金融信息，应删除或打码",
    Kind.PLATE: "机动车号牌可识别到特定个人，公开前应打码（如鲁B·***45）",
    Kind.ADDRESS: "住址细到门牌、楼栋或房间，公开时只应保留到乡镇（街道）一级",
    Kind.NAME: "疑似个人姓名，请核实：非惩戒公示、强制性披露的内容中个人姓名应隐去（如张*）",
}


@dataclass(frozen=True, slots=True)
class Hit:
    """One piece of personal information found: never the raw text, only its masked form."""

    kind: Kind
    masked: str
    start: int  # offset in the scanned text (characters)
    end: int
    line: int  # 1-based
    column: int  # 1-based
    severity: Severity
    explanation: str
    location: str = ""  # in a document: 第3段, 表格1第2行第3列, 第1节页眉…

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def where(self) -> str:
        """A place a reviewer can find: the document location if known, else the line."""
        return self.location or f"第{self.line}行第{self.column}列"


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True, slots=True)
class AllowList:
    """The agency's own published contacts: they are never hits.

    Phone numbers compare by their digits (``0532-85912121`` is ``(0532) 8591 2121``), e-mail
    addresses case-insensitively, addresses without white space (the published address, e.g.
    ``青岛市市南区香港中路11号``, also covers a shorter mention ``香港中路11号``).
    """

    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    addresses: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        phones: tuple[str, ...] | list[str] = (),
        emails: tuple[str, ...] | list[str] = (),
        addresses: tuple[str, ...] | list[str] = (),
    ) -> AllowList:
        return cls(
            frozenset(p for p in (search_phone(x) for x in phones) if p),
            frozenset(e.strip().casefold() for e in emails if e.strip()),
            tuple(a for a in (_norm(x) for x in addresses) if a),
        )

    def allows_phone(self, text: str) -> bool:
        return search_phone(text) in self.phones

    def allows_email(self, text: str) -> bool:
        return text.casefold() in self.emails

    def allows_address(self, text: str, anchor: int) -> bool:
        """``text`` is covered by a published address: the building part (two characters
        before its road, estate or village word ``anchor`` up to its first 号) stands in the
        published address, so a room in the agency's own building (香港中路11号405室) is
        the agency's too."""
        whole = _norm(text)
        core = whole[len(_norm(text[: max(anchor - 2, 0)])) :]
        building = core[: core.find("号") + 1] if "号" in core else core
        return any(building in a or a in whole for a in self.addresses)


NO_ALLOW = AllowList()

# --- patterns --------------------------------------------------------------------------

_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_CARD = re.compile(
    r"(?<![0-9A-Za-z-])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![0-9A-Za-z])"
)
_CARD_CONTEXT = re.compile(r"卡号|账号|帐号|银行|开户|储蓄卡|信用卡")
#: The separators written inside telephone numbers: a space and the hyphen, and the full-width
#: hyphen, en dash and em dash that Chinese input methods type in its place (0531－88776655).
_SEP = "[ \\-－–—]"
_MOBILE = re.compile(
    rf"(?<![0-9A-Za-z+])(?:(?:\+|00)86{_SEP}?|86[-－])?1[3-9]\d(?:{_SEP}?\d{{4}}){{2}}"
    r"(?![0-9A-Za-z])"
)
_LANDLINE = re.compile(
    rf"(?<![0-9A-Za-z])(?:[(（]0\d{{2,3}}[)）] ?|0\d{{2,3}}{_SEP}?)[2-9]\d{{2,3}}{_SEP}?\d{{4}}"
    r"(?![0-9A-Za-z])(?:(?:转|分机|[-－])\d{1,5}(?!\d))?"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}(?![A-Za-z0-9])"
)
_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"[{_PLATE_PROVINCES}][A-HJ-NP-Z][·•・. ]?"
    r"(?:[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警])"
    r"(?![0-9A-Za-z])"
)
_NUM = r"[0-9０-９]+"
_CN_NUM = r"[0-9０-９一二三四五六七八九十]+"
_PLACE = r"[^\s，。；：、,.;:！？!?（）()“”\"'《》【】0-9０-９住址在]"
_ROOM = rf"(?:{_NUM}(?:号楼|栋|幢|座))?(?:{_NUM}单元)?(?:{_NUM}(?:室|户))?"
_ADDRESSES = (
    # …路/街/大道/巷/弄/胡同 + 门牌号 (香港中路11号, 经十路17703号3号楼2单元501室)
    re.compile(
        rf"{_PLACE}{{1,12}}?(?P<anchor>路|街|大道|大街|巷|弄|胡同)"
        rf"[ \u3000]?{_NUM}(?:[-－之]{_NUM})?号(?:院)?{_ROOM}"
    ),
    # …小区/花园/家园…3号楼(栋)…501室
    re.compile(
        rf"{_PLACE}{{1,12}}?(?P<anchor>小区|花园|家园|公寓|新村|社区|大厦|苑)"
        rf"{_NUM}(?:号楼|栋|幢|座)(?:{_NUM}单元)?(?:{_NUM}(?:室|户|号))?"
    ),
    # …村…组…号 or …村…号
    re.compile(rf"{_PLACE}{{1,12}}?(?P<anchor>村)(?:{_CN_NUM}(?:组|队))?{_NUM}号"),
    # a bare 3号楼2单元501室 / 5栋301室 (no estate name)
    re.compile(rf"(?P<anchor>){_NUM}(?:号楼|栋|幢)(?:{_NUM}单元)?{_NUM}(?:室|户)"),
)

#: How far before an address its context is read (characters, within the sentence).
_CONTEXT_CHARS = 20
#: Words that make an address a person's (住址、住所、户籍地, a party to a decision).
_PERSONAL_BEFORE = re.compile(
    r"住|户籍|家庭|申请人|当事人|第三人|本人|举报人|投诉人|信访人|被处罚人|违法行为人|承租人|户主"
)
#: Words that make an address an organisation's or a public place's: a school listed with
#: its address (测试市第一中学（历下区文化东路48号）), the hall where applications are taken
#: (报名地点：市政务服务中心2号楼105室). An organisation's address is not personal
#: information (条例第十五条 protects personal privacy), and no 公开依据 would fit it.
_ORGANISATION_BEFORE = re.compile(
    r"学校|中学|小学|幼儿园|大学|学院|医院|卫生院|公司|企业|单位|银行|政府|机关|委员会"
    r"|局|中心|大厅|窗口|办公|办事处|法院|检察院|地点|场所"
)

_SURNAMES_2 = "欧阳|司马|诸葛|上官|皇甫|令狐|东方|慕容|尉迟|公孙|夏侯|司徒|端木|长孙|宇文"
_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
    "欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴"
    "蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟"
    "邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍"
    "辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉"
    "冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_SURNAME = rf"(?:{_SURNAMES_2}|[{_SURNAMES_1}])"
_GIVEN = r"[\u4e00-\u9fff]{1,2}"
_NAME_END = (
    r"(?=[，。、；：,;:\s（(）)“”]|$|于|因|向|称|等|与|和|及|的|在|已"
    r"|申请|提出|诉称|住|男|女|身份证|电话|联系)"
)
_NAME_ROLES = (
    "申请人|被申请人|当事人|第三人|被处罚人|违法行为人|举报人|投诉人|信访人|"
    "法定代表人|委托代理人|代理人|户主|承租人|联系人|姓名|被告人|原告|被告"
)
_NAME_AFTER_ROLE = re.compile(rf"(?:{_NAME_ROLES})[：: \t]*(?P<name>{_SURNAME}{_GIVEN}){_NAME_END}")
_NAME_COMRADE = re.compile(rf"(?P<name>{_SURNAME}{_GIVEN})同志")
#: Characters that stand before a name but are themselves surnames (向王五同志).
_FUNCTION_CHARS = frozenset("向对给与和及由被把将请让同的是为经")
#: A name in an official context (任命、免去…职务) is a published official's: not a hit.
_OFFICIAL_BEFORE = re.compile(
    r"(?:任命|免去|提名|聘任|聘请|选举|决定|批准|推荐|分管|领导)[^。；\n]{0,6}$"
)
_OFFICIAL_AFTER = re.compile(
    r"^[^。；\n]{0,12}(?:任|为|担任|职务|局长|主任|书记|市长|区长|县长|处长|科长|同志的|负责)"
)
_ORGANISATION_ENDS = frozenset("局办处委院厅部所站队室司")
_PSEUDONYM = re.compile(r"[某×xX＊*]")

# --- detectors -------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    kind: Kind
    start: int
    end: int
    masked: str
    severity: Severity
    priority: int


def _id_shaped(number: str) -> bool:
    """18 characters with a province code and a valid date of birth (check digit ignored)."""
    if len(number) != 18 or number[:2] not in PROVINCES or not number[:17].isdigit():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return born.year >= 1900


def luhn_ok(digits: str) -> bool:
    """Whether a digit string passes the Luhn (ISO/IEC 7812) check used by bank cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_digits(text: str, keep_start: int, keep_end: int) -> str:
    """Digits after the first ``keep_start`` and before the last ``keep_end`` hidden; the
    separators kept where they were."""
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    hide = set(positions[keep_start : max(len(positions) - keep_end, keep_start)])
    return "".join("*" if i in hide else c for i, c in enumerate(text))


def _resident_ids(text: str, today: date | None) -> list[_Found]:
    out = []
    for m in _ID18.finditer(text):
        try:
            number = check_resident_id(m.group(), today=today)
        except IdentityError:
            continue
        out.append(
            _Found(Kind.RESIDENT_ID, m.start(), m.end(), mask(number, 4, 4), Severity.BLOCK, 0)
        )
    for m in _ID15.finditer(text):
        number = m.group()
        if number[:2] not in PROVINCES:
            continue
        try:
            date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
        except ValueError:
            continue
        masked = mask(number, 4, 3)
        out.append(_Found(Kind.RESIDENT_ID_OLD, m.start(), m.end(), masked, Severity.WARN, 5))
    return out


def _bank_cards(text: str) -> list[_Found]:
    out = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits) or _id_shaped(digits):
            continue
        if len(digits) == 18:
            try:
                check_credit_code(digits)
                continue  # an organisation's 统一社会信用代码 (public)
            except IdentityError:
                pass
        before = text[max(m.start() - 12, 0) : m.start()]
        if digits[0] not in "34569" and not _CARD_CONTEXT.search(before):
            continue
        masked = _mask_digits(m.group(), 4, 4)
        out.append(_Found(Kind.BANK_CARD, m.start(), m.end(), masked, Severity.BLOCK, 1))
    return out


def _phones(text: str, allow: AllowList) -> list[_Found]:
    out = []
    for m in _MOBILE.finditer(text):
        if allow.allows_phone(m.group()):
            continue
        digits = re.sub(r"\D", "", m.group())
        masked = _mask_digits(m.group(), len(digits) - 8, 4)
        out.append(_Found(Kind.MOBILE, m.start(), m.end(), masked, Severity.BLOCK, 2))
    for m in _LANDLINE.finditer(text):
        if allow.allows_phone(m.group()):
            continue
        digits = re.sub(r"\D", "", m.group())
        area = 4 if digits[:3] not in _THREE_DIGIT_AREAS else 3
        masked = _mask_digits(m.group(), area, 2)
        out.append(_Found(Kind.LANDLINE, m.start(), m.end(), masked, Severity.BLOCK, 3))
    return out


#: Area codes of three digits (010 Beijing, 02x the large cities); the rest have four.
_THREE_DIGIT_AREAS = frozenset(["010", *(f"02{d}" for d in range(10))])


def _emails(text: str, allow: AllowList) -> list[_Found]:
    out = []
    for m in _EMAIL.finditer(text):
        if allow.allows_email(m.group()):
            continue
        local, _, domain = m.group().partition("@")
        if domain.casefold().endswith(".gov.cn"):
            continue  # a government mailbox: only government bodies hold .gov.cn names
        masked = mask(local, 2 if len(local) > 3 else 1, 0) + "@" + domain
        out.append(_Found(Kind.EMAIL, m.start(), m.end(), masked, Severity.BLOCK, 1))
    return out


def _plates(text: str) -> list[_Found]:
    out = []
    for m in _PLATE.finditer(text):
        plate = m.group()
        if sum(c.isdigit() for c in plate) < 3:
            continue
        masked = mask(plate, len(plate) - 5, 2)
        out.append(_Found(Kind.PLATE, m.start(), m.end(), masked, Severity.BLOCK, 4))
    return out


def _organisation_address(text: str, start: int) -> bool:
    """The address at ``start`` is an organisation's or a public place's (a school's, a
    service hall's): the words just before it, in the same sentence, name one and nothing
    there makes it a person's (住、户籍、申请人…, which win)."""
    before = text[max(start - _CONTEXT_CHARS, 0) : start]
    before = re.split(r"[。；;！？!?\n]", before)[-1]
    return not _PERSONAL_BEFORE.search(before) and bool(_ORGANISATION_BEFORE.search(before))


def _addresses(text: str, allow: AllowList) -> list[_Found]:
    out = []
    for pattern in _ADDRESSES:
        for m in pattern.finditer(text):
            anchor = m.start("anchor") - m.start()
            if allow.allows_address(m.group(), anchor) or _organisation_address(text, m.start()):
                continue
            masked = re.sub(r"[0-9０-９]", "*", m.group())
            out.append(_Found(Kind.ADDRESS, m.start(), m.end(), masked, Severity.BLOCK, 6))
    return out


def _official(text: str, start: int, end: int) -> bool:
    return bool(
        _OFFICIAL_BEFORE.search(text[max(start - 12, 0) : start])
        or _OFFICIAL_AFTER.match(text[end : end + 20])
    )


def _organisation_name(name: str) -> bool:
    """A three-character “name” ending like a body (申请人：林业局, 联系人：宣传处) names an
    office, not a person: given names almost never end so."""
    return len(name) >= 3 and name[-1] in _ORGANISATION_ENDS


def _names(text: str) -> list[_Found]:
    out = []
    spans: list[tuple[int, int]] = [
        m.span("name")
        for m in _NAME_AFTER_ROLE.finditer(text)
        if not _PSEUDONYM.search(m["name"]) and not _organisation_name(m["name"])
    ]
    for m in _NAME_COMRADE.finditer(text):
        start, end = m.span("name")
        if end - start == 3 and text[start] in _FUNCTION_CHARS:
            start += 1  # 向王五同志: 向 is the preposition
            if not re.fullmatch(_SURNAME + r".", text[start:end]):
                continue
        if _PSEUDONYM.search(text[start:end]) or _official(text, start, end + 2):
            continue
        spans.append((start, end))
    for start, end in spans:
        masked = mask_name(text[start:end])
        out.append(_Found(Kind.NAME, start, end, masked, Severity.WARN, 7))
    return out


def scan_text(text: str, *, allow: AllowList = NO_ALLOW, today: date | None = None) -> list[Hit]:
    """The personal information in ``text``, in reading order (see the module docstring).

    Where two detectors match overlapping text the more specific one wins (an ID number is
    not also reported as a bank card; a mobile number in an e-mail address is the e-mail).
    ``today`` bounds the date of birth of an ID number (none in the future).
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ScanError(f"文本过长（{len(text)}字符，上限{MAX_TEXT_CHARS}字符），请分段审查")
    found = [
        *_resident_ids(text, today),
        *_bank_cards(text),
        *_emails(text, allow),
        *_phones(text, allow),
        *_plates(text),
        *_addresses(text, allow),
        *_names(text),
    ]
    found.sort(key=lambda f: (f.priority, f.start, -(f.end - f.start)))
    taken: list[tuple[int, int]] = []
    kept: list[_Found] = []
    for f in found:
        if any(f.start < e and s < f.end for s, e in taken):
            continue
        taken.append((f.start, f.end))
        kept.append(f)
    kept.sort(key=lambda f: f.start)
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    hits = []
    for f in kept:
        line = bisect_right(line_starts, f.start)
        column = f.start - line_starts[line - 1] + 1
        explanation = _EXPLAIN[f.kind]
        hits.append(Hit(f.kind, f.masked, f.start, f.end, line, column, f.severity, explanation))
    return hits


def blocking(hits: list[Hit]) -> list[Hit]:
    """The hits that stop publication until removed or a legal basis is recorded."""
    return [h for h in hits if h.severity is Severity.BLOCK]


# --- documents -------------------------------------------------------------------------


@dataclass(slots=True)
class DocumentScan:
    """The hits in a document, and notes about parts that could not be read."""

    filename: str
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chars: int = 0


def _docx_segments(data: bytes, name: str) -> list[tuple[str, str]]:
    """(location, text) of the body paragraphs, table cells, headers and footers."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise ScanError(f"{name}：不是有效的 Word 文档（缺少 word/document.xml）")
    except zipfile.BadZipFile as exc:
        raise ScanError(
            f"{name}：不是有效的 .docx 文件（文件已损坏或不是 Word 2007 以上格式）"
        ) from exc
    if unpacked > MAX_DOCX_UNPACKED:
        raise ScanError(
            f"{name}：解压后超过{MAX_DOCX_UNPACKED // 1048576} MB"
            "（可能是“压缩炸弹”），为安全起见未读取"
        )
    import docx  # python-docx; imported here as only documents need it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx / lxml raise many types on broken parts
        raise ScanError(f"{name}：Word 文档无法读取（{type(exc).__name__}）") from exc
    segments: list[tuple[str, str]] = []
    for i, paragraph in enumerate(document.paragraphs, start=1):
        segments.append((f"第{i}段", paragraph.text))
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            seen: set[int] = set()
            for c, cell in enumerate(row.cells, start=1):
                if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                    continue
                seen.add(id(cell._tc))
                segments.append((f"表格{t}第{r}行第{c}列", cell.text))
    for s, section in enumerate(document.sections, start=1):
        for part, label in ((section.header, "页眉"), (section.footer, "页脚")):
            if part.is_linked_to_previous and s > 1:
                continue
            text = "\n".join(p.text for p in part.paragraphs)
            text += "".join("\n" + c.text for t in part.tables for r in t.rows for c in r.cells)
            segments.append((f"第{s}节{label}", text))
    return segments


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ScanError(f"{name}：文本文件既不是 UTF-8 也不是 GB18030 编码，无法读取")


def scan_document(
    data: bytes, filename: str, *, allow: AllowList = NO_ALLOW, today: date | None = None
) -> DocumentScan:
    """Scan a .docx, .pdf or .txt file given as bytes; hits carry where they stand.

    A .docx reports 第N段 / 表格N第R行第C列 / 第N节页眉; a PDF reports the line of its
    extracted text (pages follow one another). Refused with :class:`ScanError`: a file larger
    than ``MAX_DOCUMENT_BYTES``, an old binary .doc, an unknown type, a damaged or encrypted
    file, a PDF without text (a scan, to be recognised first).
    """
    name = filename or "文件"
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ScanError(
            f"{name}：文件过大（{len(data) / 1048576:.1f} MB，上限"
            f"{MAX_DOCUMENT_BYTES // 1048576} MB）"
        )
    if not data:
        raise ScanError(f"{name}：文件为空")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    result = DocumentScan(name)
    if suffix == "docx":
        segments = _docx_segments(data, name)
    elif suffix == "pdf":
        from .report.readers import pdf_text
        from .report.text import UnreadableInput

        try:
            text, notes = pdf_text(data, name=name)
        except UnreadableInput as exc:
            raise ScanError(str(exc)) from exc
        result.notes.extend(n.message for n in notes)
        segments = [("", text)]
    elif suffix in ("txt", "text", ""):
        segments = [("", _decode(data, name))]
    elif suffix in ("doc", "wps"):
        raise ScanError(f"{name}：不支持旧版 .{suffix} 格式，请另存为 .docx 或 PDF 后再审查")
    else:
        raise ScanError(f"{name}：不支持的文件类型“.{suffix}”，可审查 .docx、.pdf、.txt")
    text = "\n".join(t for _, t in segments)
    starts: list[int] = []
    offset = 0
    for _, t in segments:
        starts.append(offset)
        offset += len(t) + 1
    result.chars = len(text)
    for hit in scan_text(text, allow=allow, today=today):
        label = segments[bisect_right(starts, hit.start) - 1][0]
        if label:
            hit = Hit(
                hit.kind, hit.masked, hit.start, hit.end, hit.line, hit.column,
                hit.severity, hit.explanation, label,
            )  # fmt: skip
        result.hits.append(hit)
    return result
