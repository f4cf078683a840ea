"""The Chinese title of every finding code.

A :class:`.schema.Finding` carries a stable code (``YOY_JUMP``, ``T3_BALANCE`` …) for
programs, exports and auditors, and a Chinese message. Pages show staff the title and the
message, never the bare code: the code stays available as a secondary detail (a tooltip, the
JSON export, the API). Every code a check or a reader can produce has a title here; a test
collects the codes from the source so that a new one cannot appear without its title.
"""

from __future__ import annotations

#: code → title, grouped by where the finding comes from.
FINDING_TITLES: dict[str, str] = {
    # reading a published report (readers, parse, tables)
    "READ_FAILED": "文件读取失败",
    "DECODE_REPLACED": "部分字符无法识别",
    "PDF_PAGES_CAPPED": "PDF页数超过上限",
    "PDF_PAGE_SKIPPED": "PDF页面未读取",
    "INPUT_TRUNCATED": "内容过长未读完",
    "LABELS_AMBIGUOUS": "无法确定表格位置",
    "NOT_A_REPORT": "不是年度报告",
    "FORMAT_PRE_2021": "2021年以前格式的报告",
    "PARSE_ROW_UNREADABLE": "表格行无法读取",
    "T3_GROUP_ONLY": "办理结果只印合计行",
    "PARSE_AMBIGUOUS_DIGITS": "数字有多种读法",
    "OCR_UNRESOLVED": "识别错误无法还原",
    "OCR_AMBIGUOUS": "识别错误有多种还原",
    "TABLE2_LABEL_VARIANT": "表二行标签写法不同",
    "OCR_TABLE2_PROSE": "表二识别结果与正文不符",
    "OCR_TABLE2_LABEL": "表二该行识别不可靠",
    "OCR_TABLE2_CONFUSABLE": "表二数字可能误识",
    "OCR_TABLE2_CONFIRMED": "表二数字经正文印证",
    "CELL_RECOVERED": "栏目数字已还原",
    "CELL_AMBIGUOUS": "栏目数字有多种读法",
    "CELL_UNCONFIRMED": "栏目数字无法确认",
    # the cells (checks.check_cells)
    "NEGATIVE_VALUE": "数字为负数",
    "NOT_INTEGER": "件数不是整数",
    "CELL_BLANK": "栏目空白",
    "CELL_TEXT": "栏目填写了文字",
    "CELL_NOT_APPLICABLE": "栏目不适用",
    # 勾稽关系 (checks.check_table3, check_table4)
    "T3_BALANCE": "表三收结不平衡",
    "T3_OUTCOME_SUM": "表三办理结果合计不符",
    "T3_ROW_SUM": "表三各类申请人合计不符",
    "T4_GROUP_SUM": "表四结果合计不符",
    # plausibility (checks.check_plausibility)
    "T3_ALL_ZERO": "表三全部为0",
    "TABLES_ALL_ZERO": "表三、表四全部为0",
    "RECONSIDERATION_CORRECTION_RATE": "行政复议纠错率偏高",
    # the narrative against the tables (prose)
    "PROSE_COUNT_MISMATCH": "正文件数与表格不符",
    "PROSE_PERCENT_MISMATCH": "正文百分比与表格不符",
    "PROSE_NUMBER_UNCHECKED": "正文数字无法核对",
    "FEE_CONTRADICTION": "信息处理费表述矛盾",
    # across years (compare)
    "COMPARE_FORMAT": "格式不同无法比较",
    "COMPARE_YEARS": "不是相邻年度",
    "COMPARE_AGENCY": "不是同一机关",
    "CARRY_OVER": "上下年度结转不衔接",
    "IN_FORCE_CONTINUITY": "现行有效件数不衔接",
    "YOY_JUMP": "与上年相比变化过大",
    "PROSE_YOY_MISMATCH": "正文所述同比变化与上年不符",
    # area reports (area)
    "AREA_SUM": "汇总数与各单位之和不符",
    "AREA_MEMBER_UNKNOWN": "成员报告数据未知",
    # the platform's own report (gongkai.reports.services)
    "T2_NOT_ENTERED": "表二尚未填报",
    "T2_REGISTRY_INVALID": "政府文件库登记有误",
    "T2_REGISTRY_DIFFERS": "表二与政府文件库不一致",
    "T2_REGISTRY_CHANGED": "统计后政府文件库有变化",
    "COUNT_PROBLEM": "案件数据无法统计",
    "STALE_FIGURES": "统计后案件数据有变化",
    "AREA_INCOMPLETE": "汇总尚缺单位报告",
    "NARRATIVE_PLACEHOLDER": "正文尚未写完",
}

#: The title of a code this table does not know (a report stored by an older version).
UNKNOWN_TITLE = "其他检查结果"


def finding_title(code: str) -> str:
    """The Chinese title of a finding code, e.g. ``YOY_JUMP`` → “与上年相比变化过大”."""
    return FINDING_TITLES.get(code, UNKNOWN_TITLE)
