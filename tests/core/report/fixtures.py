"""Known reports built by hand from the seed documents in ``examples/reports``."""

from __future__ import annotations

from decimal import Decimal

from gongkai.core.report.schema import (
    TABLE3_COLUMN_KEYS,
    TABLE3_ROW_KEYS,
    TABLE4_IDS,
    Cell,
    Report,
    empty_2021_report,
    table3_id,
)

#: Table 三's 25 row labels as the format prints them (国办公开办函〔2021〕30号), written out
#: here from the format, not taken from the code under test. ``TABLE3_PRINTED[4:23]`` are the
#: outcome rows from “1.属于国家秘密” to “3.其他”.
TABLE3_PRINTED = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
)

#: boshan-2024.txt, table 三: only natural persons applied, so each row is (n, 0, 0, 0, 0, 0, n).
BOSHAN_T3_NATURAL = {
    "new": 61,
    "carried_in": 3,
    "granted": 40,
    "partial": 8,
    "denied_2": 1,
    "denied_4": 1,
    "denied_5": 3,
    "denied_7": 1,
    "unable_1": 8,
    "total": 62,
    "carried_out": 2,
}
BOSHAN_T2: dict[str, int | Decimal] = {
    "table2.rules.issued": 0,
    "table2.rules.repealed": 0,
    "table2.rules.in_force": 0,
    "table2.normative.issued": 5,
    "table2.normative.repealed": 3,
    "table2.normative.in_force": 12,
    "table2.licensing": 19513,
    "table2.punishment": 1394,
    "table2.enforcement": 160,
    "table2.fees_wan_yuan": Decimal("1728.59"),
}
BOSHAN_T4 = (6, 2, 5, 0, 13, 0, 0, 1, 0, 1, 0, 0, 2, 0, 2)

BOSHAN_NARRATIVE = {
    "overview": (
        "2024年，博山区全面贯彻落实中央、省市关于做好新时代政务公开工作的部署要求。\n"
        "（二）规范依申请公开，保障群众依法获取政府信息权利。2024年全区共收到政府信息公开申请"
        "61件，较2023年减少20.8%。作出政府信息公开申请答复62件（含上年结转3件），其中予以公开"
        "40件、部分公开8件、不予公开6件、无法提供8件。结转下年继续办理2件。"
    ),
    "proactive": "",
    "applications": "",
    "remedies": "",
    "problems": "（一）存在的主要问题\n一是个别单位信息公开的质量有待提高。",
    "other_matters": (
        "（一）依申请公开信息处理费收费情况。2024年全区各级行政机关在办理政府信息公开申请过程中，"
        "未收取信息处理费。"
    ),
}


def boshan_report() -> Report:
    """淄博市博山区人民政府's 2024 report (boshan-2024.txt), every number as published."""
    report = empty_2021_report("淄博市博山区人民政府", 2024)
    report.cells.update({cid: Cell.number(v) for cid, v in BOSHAN_T2.items()})
    for row in TABLE3_ROW_KEYS:
        n = BOSHAN_T3_NATURAL.get(row, 0)
        for col in TABLE3_COLUMN_KEYS:
            value = n if col in ("natural_person", "total") else 0
            report.cells[table3_id(row, col)] = Cell.number(value)
    report.cells.update({cid: Cell.number(v) for cid, v in zip(TABLE4_IDS, BOSHAN_T4, strict=True)})
    report.narrative = dict(BOSHAN_NARRATIVE)
    return report
