"""A labelled precision set for the personal-information scan, in the sentences government
documents are made of: true hits, the near misses reviewers meet daily, and the agency's own
published contacts (allowed).

Worked by hand:

- ID check digits (GB 11643, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check
  “10X98765432”[sum mod 11]): 37010219850715001 → sum 271, mod 11 = 7 → “5”;
  41010519720315052 → 207, 9 → “3”; 32050219780906123 → 282, 7 → “5”;
  11010519491231002X is the standard's own example. 370102198507150018 (check “8” instead of
  “5”) is a near miss; so is the project number 370102202506160012 (its first 17 digits would
  need “8”).
- Bank cards (Luhn, doubling every second digit from the right): 6222021234567890128,
  6217000010001234569 and 6228480012345671 pass; 6222021234567895 does not (the passing
  last digit would be 4).

Before this set was written the detector missed the full-width and em dashes Chinese input
methods type inside telephone numbers (138－0531－2233, 0531—82345679), and falsely reported a
school's address given after its name, the room of a service hall, a .gov.cn mailbox and a
“联系人：宣传处” (:mod:`gongkai.core.pii` now handles these).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from gongkai.core.pii import AllowList, Kind, scan_text
from gongkai.documents.models import RegistrySettings
from gongkai.documents.services.review import allow_list_for
from tests.cases import conftest as shared

pinned, w = shared.pinned, shared.w  # the pinned world of the case tests (fixtures)

TODAY = date(2025, 6, 16)
AGENCY = AllowList.of(
    phones=["0531-86051234", "12345"],
    emails=["jyj_xxgk@163.com"],
    addresses=["测试市历下区解放路100号"],
)

RID, MOB, TEL, MAIL = Kind.RESIDENT_ID, Kind.MOBILE, Kind.LANDLINE, Kind.EMAIL
CARD, PLATE, ADDR, NAME = Kind.BANK_CARD, Kind.PLATE, Kind.ADDRESS, Kind.NAME

# (sentence, the personal information in it as (kind, exact text)); empty: nothing to find.
LABELLED: list[tuple[str, list[tuple[Kind, str]]]] = [
    # 居民身份证号码
    (
        "经查，当事人李某某（公民身份号码370102198507150015）于2025年3月擅自占用道路。",
        [(RID, "370102198507150015")],
    ),
    (
        "申请人王某，身份证号码410105197203150523，申请公开本人房屋征收补偿协议。",
        [(RID, "410105197203150523")],
    ),
    ("委托代理人身份证号：11010519491231002X。", [(RID, "11010519491231002X")]),
    (
        "户主：陈建华，身份证号码320502197809061235，家庭人口4人。",
        [(NAME, "陈建华"), (RID, "320502197809061235")],
    ),
    ("身份证号码370102198507150018有误，已退回补正。", []),  # wrong check digit
    ("采购项目编号：370102202506160012，预算金额120万元。", []),  # region + date + serial
    ("索引号：113701000044602345/2025-00012", []),
    # 手机号码
    ("如有疑问，请联系经办人，手机：13953112345。", [(MOB, "13953112345")]),
    ("举报人手机139-5311-2346，请予保密。", [(MOB, "139-5311-2346")]),
    ("联系人：王芳，手机138－0531－2233。", [(NAME, "王芳"), (MOB, "138－0531－2233")]),
    ("请拨打12345政务服务便民热线反映。", []),
    ("根据测政办发〔2025〕13号文件精神，现将有关事项通知如下。", []),
    ("业务流水号20250616139531123已办结。", []),
    # 固定电话
    ("当事人家庭电话0531-88776655。", [(TEL, "0531-88776655")]),
    ("申请人留存的联系电话为（0531）8234 5678。", [(TEL, "（0531）8234 5678")]),
    ("投诉人电话：0531—82345679。", [(TEL, "0531—82345679")]),
    ("本机关咨询电话：0531-86051234，监督电话：12345。", []),  # the agency's own
    ("传真：（0531）8605 1234", []),  # the same number written otherwise
    ("邮政编码：250001", []),
    # 电子邮箱
    ("申请人通过电子邮箱zhangsan1985@163.com提交了申请。", [(MAIL, "zhangsan1985@163.com")]),
    ("请将材料发送至wang.fang@qq.com。", [(MAIL, "wang.fang@qq.com")]),
    ("本机关政府信息公开邮箱：JYJ_XXGK@163.com", []),  # the agency's own
    ("省教育厅邮箱：jyt@shandong.gov.cn", []),  # a government mailbox
    ("详见http://www.cs.gov.cn/col/col123/index.html", []),
    # 银行卡号
    (
        "补偿款已汇入户主本人银行卡，卡号6222 0212 3456 7890 128。",
        [(CARD, "6222 0212 3456 7890 128")],
    ),
    ("退还押金至账户6217000010001234569。", [(CARD, "6217000010001234569")]),
    ("开户行：中国农业银行，账号6228480012345671", [(CARD, "6228480012345671")]),
    ("卡号6222021234567895有误", []),  # fails Luhn
    ("统一社会信用代码：91370200163562681G", []),
    ("合同编号：2025061612345678", []),
    # 机动车号牌
    ("车牌号为鲁A·12345的小型轿车在禁停路段停放。", [(PLATE, "鲁A·12345")]),
    ("号牌号码为鲁AD12345的新能源汽车", [(PLATE, "鲁AD12345")]),
    ("经查，京N8P8F8号车辆未按规定年检。", [(PLATE, "京N8P8F8")]),
    ("鲁政办字〔2025〕12号", []),
    ("网站备案号：鲁ICP备12345678号-1", []),
    ("京公网安备11010502030143号", []),
    # 详细住址
    (
        "当事人张某，住测试市历下区文化东路48号3号楼2单元501室。",
        [(ADDR, "测试市历下区文化东路48号3号楼2单元501室")],
    ),
    ("户籍地：测试县张家村三组15号。", [(ADDR, "张家村三组15号")]),
    ("举报人家住幸福小区3号楼2单元501室。", [(ADDR, "幸福小区3号楼2单元501室")]),
    ("被处罚人住所：测试市历下区工业南路57号。", [(ADDR, "测试市历下区工业南路57号")]),
    ("测试市第一中学（历下区文化东路48号）招收新生300人。", []),  # a school's
    ("报名地点：市政务服务中心2号楼105室。", []),  # a service hall
    ("该地块位于经十路与舜耕路交叉口东北角。", []),  # roads without a house number
    ("申请人户籍地为测试市历下区文化东路街道。", []),  # 街道: may be published
    ("来访地址：测试市历下区解放路100号。", []),  # the agency's own
    # 人名 (warn only)
    ("申请人张三于2025年6月1日提出申请。", [(NAME, "张三")]),
    ("任命李明同志为测试市教育局局长。", []),  # a published official
    ("联系人：宣传处，电话0531-86051234。", []),  # an office, and the agency's phone
    ("被申请人：测试市教育局", []),
    ("刘洋申请公开拆迁补偿方案。", [(NAME, "刘洋")]),  # no role word: missed by design
]


def score() -> dict[Kind, Counter[str]]:
    """True positives, false positives and misses per detector; a hit matches a labelled item
    of its kind whose text it overlaps (where an address begins is a matter of taste)."""
    counts: dict[Kind, Counter[str]] = {k: Counter() for k in Kind}
    for text, expected in LABELLED:
        want = [(kind, text.index(item), text.index(item) + len(item)) for kind, item in expected]
        matched: set[int] = set()
        for h in scan_text(text, allow=AGENCY, today=TODAY):
            for i, (kind, start, end) in enumerate(want):
                if i not in matched and kind is h.kind and h.start < end and start < h.end:
                    matched.add(i)
                    counts[kind]["tp"] += 1
                    break
            else:
                counts[h.kind]["fp"] += 1
        for i, (kind, _, _) in enumerate(want):
            if i not in matched:
                counts[kind]["fn"] += 1
    return counts


def rates(c: Counter[str]) -> tuple[float, float]:
    """(precision, recall)."""
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0


# (tp, fp, fn) counted by hand from the list above.
EXPECTED = {
    RID: (4, 0, 0),
    MOB: (3, 0, 0),
    TEL: (3, 0, 0),
    MAIL: (2, 0, 0),
    CARD: (3, 0, 0),
    PLATE: (3, 0, 0),
    ADDR: (4, 0, 0),
    NAME: (3, 0, 1),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_precision_and_recall_per_detector(kind):
    c = score()[kind]
    assert (c["tp"], c["fp"], c["fn"]) == EXPECTED[kind]
    precision, recall = rates(c)
    assert precision == 1.0
    assert recall == (0.75 if kind is NAME else 1.0)


def test_nothing_else_is_reported():
    """No hit of a kind outside the labelled ones (an old 15-digit ID, say)."""
    c = score()[Kind.RESIDENT_ID_OLD]
    assert (c["tp"], c["fp"], c["fn"]) == (0, 0, 0)


def test_every_near_miss_is_clean():
    clean = [text for text, expected in LABELLED if not expected]
    assert len(clean) == 26
    assert [t for t in clean if scan_text(t, allow=AGENCY, today=TODAY)] == []


@pytest.mark.django_db
def test_the_allow_list_is_the_agencys_own_contacts(w):
    """The list used above is what :func:`allow_list_for` makes of the agency's records."""
    w.d1.phone = "0531-86051234"
    w.d1.address = "测试市历下区解放路100号"
    w.d1.save()
    RegistrySettings.objects.create(
        agency=w.d1, allowed_contacts="监督电话：12345\n政府信息公开邮箱：jyj_xxgk@163.com"
    )
    assert allow_list_for(w.d1) == AGENCY
