"""The annual report in the 2021 statutory format, as data.

Source: 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号) and
《中华人民共和国政府信息公开条例》第四十九条、第五十条.

Every number of the three statutory tables is a :class:`Cell` addressed by a stable id
(``table3.granted.natural_person``). A cell keeps what was published (a number, a blank,
a "/" for not applicable, some text, or nothing at all because the cell was not found)
apart from its value. A value recovered by reasoning keeps the published text and says
how it was recovered; a cell that admits several readings keeps every candidate and no
value. Nothing here ever overwrites a published total with a computed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

SCHEMA_ID = "gongkai.annual-report/1"


class ReportFormat(StrEnum):
    """What kind of document was read."""

    F2021 = "2021"
    PRE_2021 = "pre-2021"
    NOT_A_REPORT = "not-a-report"


class CellState(StrEnum):
    """What a published cell holds, kept apart from its value."""

    NUMBER = "number"  # a number, as published
    BLANK = "blank"  # published empty: unknown, never 0
    NOT_APPLICABLE = "not_applicable"  # "/", "—", "-": not applicable
    TEXT = "text"  # some other text
    MISSING = "missing"  # the cell was not found in the document
    RECOVERED = "recovered"  # the value was recovered by reasoning (see ``recovered_by``)
    AMBIGUOUS = "ambiguous"  # several readings fit every constraint (see ``candidates``)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


Number = int | Decimal


@dataclass(slots=True)
class Cell:
    """One published table cell."""

    state: CellState
    value: Number | None = None
    published: str | None = None
    recovered_by: str | None = None
    candidates: tuple[Number, ...] = ()

    @property
    def known(self) -> bool:
        """True when the cell has a value that can take part in arithmetic."""
        return self.value is not None

    @classmethod
    def missing(cls) -> Cell:
        return cls(CellState.MISSING)

    @classmethod
    def number(cls, value: Number, published: str | None = None) -> Cell:
        return cls(CellState.NUMBER, value, str(value) if published is None else published)


@dataclass(slots=True, frozen=True)
class Finding:
    """One result of a check: a stable code, a severity, the cells involved, a message."""

    code: str
    severity: Severity
    cells: tuple[str, ...]
    message: str

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "cells": list(self.cells),
            "message": self.message,
        }


# --- Table 二: proactive disclosure (条例第二十条) ---------------------------------------

TABLE2_DOC_ROWS: tuple[tuple[str, str], ...] = (
    ("rules", "规章"),
    ("normative", "行政规范性文件"),
)
TABLE2_DOC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("in_force", "现行有效件数"),
)
TABLE2_SINGLE_ROWS: tuple[tuple[str, str, str], ...] = (
    # key, row label, column label
    ("licensing", "行政许可", "本年处理决定数量"),
    ("punishment", "行政处罚", "本年处理决定数量"),
    ("enforcement", "行政强制", "本年处理决定数量"),
    ("fees_wan_yuan", "行政事业性收费", "本年收费金额（单位：万元）"),
)
#: Cell ids of table 二 in publication order.
TABLE2_IDS: tuple[str, ...] = (
    *(f"table2.{r}.{c}" for r, _ in TABLE2_DOC_ROWS for c, _ in TABLE2_DOC_COLUMNS),
    *(f"table2.{k}" for k, _, _ in TABLE2_SINGLE_ROWS),
)
DECIMAL_CELLS = frozenset({"table2.fees_wan_yuan"})

# --- Table 三: applications received and handled -------------------------------------

TABLE3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
TABLE3_COLUMN_KEYS: tuple[str, ...] = tuple(k for k, _ in TABLE3_COLUMNS)
APPLICANT_COLUMNS: tuple[str, ...] = TABLE3_COLUMN_KEYS[:6]

#: (key, group, published label) in publication order.
TABLE3_ROWS: tuple[tuple[str, str, str], ...] = (
    ("new", "", "一、本年新收政府信息公开申请数量"),
    ("carried_in", "", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果", "（一）予以公开"),
    ("partial", "三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_1", "（三）不予公开", "1.属于国家秘密"),
    ("denied_2", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied_3", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied_4", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied_5", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied_6", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied_7", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied_8", "（三）不予公开", "8.属于行政查询事项"),
    ("unable_1", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable_2", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable_3", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed_1", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed_2", "（五）不予处理", "2.重复申请"),
    ("not_processed_3", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed_4", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed_5", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "other_1",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other_2",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_3", "（六）其他处理", "3.其他"),
    ("total", "三、本年度办理结果", "（七）总计"),
    ("carried_out", "", "四、结转下年度继续办理"),
)
TABLE3_ROW_KEYS: tuple[str, ...] = tuple(k for k, _, _ in TABLE3_ROWS)
#: The 21 numbered outcome rows whose sum is row ``total``.
OUTCOME_ROWS: tuple[str, ...] = TABLE3_ROW_KEYS[2:23]
#: Outcome groups as the prose names them (“不予公开N件”).
OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "予以公开": ("granted",),
    "部分公开": ("partial",),
    "不予公开": tuple(f"denied_{i}" for i in range(1, 9)),
    "无法提供": tuple(f"unable_{i}" for i in range(1, 4)),
    "不予处理": tuple(f"not_processed_{i}" for i in range(1, 6)),
    "其他处理": tuple(f"other_{i}" for i in range(1, 4)),
}

# --- Table 四: reconsideration and litigation -----------------------------------------

TABLE4_GROUPS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_reconsideration", "行政诉讼·复议后起诉"),
)
TABLE4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
TABLE4_IDS: tuple[str, ...] = tuple(
    f"table4.{g}.{c}" for g, _ in TABLE4_GROUPS for c, _ in TABLE4_COLUMNS
)

# --- Narrative parts -----------------------------------------------------------------

PARTS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("applications", "三、收到和处理政府信息公开申请情况"),
    ("remedies", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)
PART_KEYS: tuple[str, ...] = tuple(k for k, _ in PARTS)


def table3_id(row: str, column: str) -> str:
    return f"table3.{row}.{column}"


def table4_id(group: str, column: str) -> str:
    return f"table4.{group}.{column}"


TABLE3_IDS: tuple[str, ...] = tuple(
    table3_id(r, c) for r in TABLE3_ROW_KEYS for c in TABLE3_COLUMN_KEYS
)
ALL_CELL_IDS: tuple[str, ...] = TABLE2_IDS + TABLE3_IDS + TABLE4_IDS


def row_label(row: str) -> str:
    """The short published label of a table-三 row, e.g. “（一）予以公开”."""
    return _short(next(label for k, _, label in TABLE3_ROWS if k == row))


def cell_label(cell_id: str) -> str:
    """The Chinese name of a cell for messages, e.g. “表三‘予以公开’行·自然人列”."""
    parts = cell_id.split(".")
    if parts[0] == "table3":
        return f"表三“{row_label(parts[1])}”行“{dict(TABLE3_COLUMNS)[parts[2]]}”列"
    if parts[0] == "table4":
        return f"表四“{dict(TABLE4_GROUPS)[parts[1]]}·{dict(TABLE4_COLUMNS)[parts[2]]}”"
    if parts[0] == "table2":
        if len(parts) == 3:
            row, col = dict(TABLE2_DOC_ROWS)[parts[1]], dict(TABLE2_DOC_COLUMNS)[parts[2]]
            return f"表二“{row}·{col}”"
        row = next(label for k, label, _ in TABLE2_SINGLE_ROWS if k == parts[1])
        return f"表二“{row}”"
    return cell_id


def _short(label: str) -> str:
    """A row label without its long parenthesised note."""
    return label.split("（区分")[0]


@dataclass(slots=True)
class Report:
    """A parsed (or generated) annual report."""

    format: ReportFormat
    agency: str | None = None
    year: int | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    layout: str | None = None
    source: str | None = None
    #: Facts that can be said of an old-format report (no invented tables).
    facts: dict[str, object] = field(default_factory=dict)

    def cell(self, cell_id: str) -> Cell:
        return self.cells.get(cell_id) or Cell.missing()

    def value(self, cell_id: str) -> Number | None:
        return self.cell(cell_id).value

    def t3(self, row: str, column: str = "total") -> Number | None:
        return self.value(table3_id(row, column))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


def empty_2021_report(agency: str | None = None, year: int | None = None) -> Report:
    """A 2021-format report whose every cell is missing."""
    return Report(
        ReportFormat.F2021,
        agency=agency,
        year=year,
        cells={cid: Cell.missing() for cid in ALL_CELL_IDS},
    )
