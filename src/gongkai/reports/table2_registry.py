"""Table 二's rows 规章 and 行政规范性文件 counted from the government document registry
(政府文件库).

《中华人民共和国政府信息公开条例》第五十条 asks for the annual report; its table 二
(《中华人民共和国政府信息公开工作年度报告格式》, 第二十条第（一）项) gives, for 规章 and
行政规范性文件, 本年制发件数, 本年废止件数 and 现行有效件数. An agency that keeps its texts in the
registry — one that has ever published a 规章 or a 行政规范性文件 there — has those six figures
counted for it (:func:`gongkai.core.validity.table_two`: 本年制发 by 成文日期, 本年废止 by
the day of 废止 or 失效, 现行有效 on 12-31 including texts published but not yet in force; a
revision is neither 制发 nor 废止), so that 上年现行有效 + 本年制发 − 本年废止 = 本年现行有效
holds by construction. The other rows of table 二 (行政许可, 行政处罚 …) stay entered by hand or
imported.

What the registry said is kept in the report's facts under :data:`FACT`, apart from the
cells: the counted rows (or the reason they could not be counted), the day of the count,
and which of the six cells the office entered by hand (``hand``). A cell entered by hand is
never overwritten by a recount: if it differs from the registry the report says so
(``T2_REGISTRY_DIFFERS``) until the office chooses “按文件库重新统计”
(:func:`gongkai.reports.services.report_table2_registry`). An agency that does not use the
registry has no such facts: its table 二 is entered exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.core.report.schema import Cell, CellState, Finding, Number, Report, Severity
from gongkai.core.report.schema import cell_label as _cell_label
from gongkai.core.validity import AgencyLevel, DocKind, TableTwoRow, ValidityError, table_two
from gongkai.core.validity import Document as CoreDocument
from gongkai.documents.services.registry import core_registry, issued, registry_settings

from .models import AnnualReport, ReportScope, ReportSource, ReportStatus

#: The key of the report's facts holding what the registry said.
FACT = "table2_registry"
#: (row key of table 二, kind of the registry, label), in the order of the table.
DOC_ROWS: tuple[tuple[str, DocKind, str], ...] = (
    ("rules", DocKind.RULES, "规章"),
    ("normative", DocKind.NORMATIVE, "行政规范性文件"),
)
#: The columns of table 二 the registry gives, and the :class:`TableTwoRow` field of each.
DOC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("issued", "issued"),
    ("repealed", "repealed"),
    ("in_force", "in_force"),
)
#: The six cells of table 二 counted from the registry.
DOC_CELLS: tuple[str, ...] = tuple(
    f"table2.{row}.{column}" for row, _, _ in DOC_ROWS for column, _ in DOC_COLUMNS
)
_ROW_FIELDS = ("previous_in_force", "issued", "repealed", "in_force", "not_yet_in_force")
#: What the page calls the two sources of a figure.
FROM_REGISTRY, BY_HAND = "来自政府文件库", "手工填报"
RECOUNT = "按文件库重新统计"


# --- counting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryCount:
    """Table 二's 规章 and 行政规范性文件 rows of ``year`` as the registry gives them on
    ``counted_on`` (``rows`` by row key), or, when its texts do not make a valid registry,
    ``rows`` None and the reason (Chinese) in ``error``."""

    year: int
    counted_on: date
    rows: dict[str, dict[str, int]] | None
    error: str = ""

    def value(self, cid: str) -> int | None:
        """The registry's figure for one of :data:`DOC_CELLS` (None when not counted)."""
        return figure_of(self.rows, cid)

    def as_fact(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "counted_on": self.counted_on.isoformat(),
            "rows": self.rows,
            "error": self.error,
        }


def figure_of(rows: dict[str, dict[str, int]] | None, cid: str) -> int | None:
    """The figure of ``cid`` (``table2.<row>.<column>``) in stored ``rows``."""
    if rows is None:
        return None
    _, row, column = cid.split(".")
    return rows[row][column]


def uses_registry(agency_id: int) -> bool:
    """Whether the agency has ever published a 规章 or a 行政规范性文件 in the registry (a text
    taken down since was still issued: :func:`gongkai.documents.services.registry.issued`)."""
    kinds = [kind.value for _, kind, _ in DOC_ROWS]
    return issued().filter(agency_id=agency_id, kind__in=kinds).exists()


def agency_level(agency: Agency) -> AgencyLevel | None:
    """The agency's 行政层级 from its registry settings (None when not set, or not one the
    rules know): with it, a 规章 of a body that may not make one is refused
    (《中华人民共和国立法法》第九十一条、第九十三条)."""
    level = registry_settings(agency).level
    try:
        return AgencyLevel(level) if level else None
    except ValueError:
        return None


def registry_texts(agency_id: int) -> list[CoreDocument]:
    """The agency's issued 规章 and 行政规范性文件 with their decided changes, as the rules
    read them (:func:`gongkai.documents.services.registry.core_registry`)."""
    kinds = {kind for _, kind, _ in DOC_ROWS}
    return [text for text in core_registry([agency_id]) if text.kind in kinds]


def registry_count(agency: Agency, year: int) -> RegistryCount | None:
    """The registry's table 二 rows of ``year`` for ``agency``; None when the agency does not
    use the registry (:func:`uses_registry`). A registry the rules refuse
    (:class:`gongkai.core.validity.ValidityError`) gives its reason, never an exception."""
    if not uses_registry(agency.pk):
        return None
    today = timezone.localdate()
    try:
        counted = table_two(registry_texts(agency.pk), year, level=agency_level(agency))
    except ValidityError as exc:
        return RegistryCount(year, today, None, str(exc))
    return RegistryCount(year, today, {row: _row_fact(counted[kind]) for row, kind, _ in DOC_ROWS})


def _row_fact(row: TableTwoRow) -> dict[str, int]:
    return {name: int(getattr(row, name)) for name in _ROW_FIELDS}


# --- the report's cells and facts ---------------------------------------------------------


def registry_state(report: Report) -> dict[str, Any] | None:
    """What the registry said of this report (:data:`FACT`), or None (not used)."""
    state = report.facts.get(FACT)
    return state if isinstance(state, dict) else None


def hand_cells(report: Report) -> list[str]:
    """Which of :data:`DOC_CELLS` the office entered by hand."""
    state = registry_state(report) or {}
    return [cid for cid in DOC_CELLS if cid in set(state.get("hand", []))]


def _store(report: Report, count: RegistryCount, hand: Iterable[str]) -> None:
    marked = set(hand)
    report.facts[FACT] = count.as_fact() | {"hand": [c for c in DOC_CELLS if c in marked]}


def registry_fill(report: Report, count: RegistryCount | None) -> None:
    """Preparing or refreshing a report: the six cells from ``count``, except those the office
    entered by hand (kept, and shown as a difference when they differ). The first time the
    registry is used, figures already in the report count as entered by hand. A cell entered
    by hand that now equals the registry is the registry's again. ``count`` None (the agency
    does not use the registry): the report is left to hand entry."""
    if count is None:
        report.facts.pop(FACT, None)
        return
    if registry_state(report) is None:
        hand = {c for c in DOC_CELLS if report.cell(c).state is not CellState.MISSING}
    else:
        hand = set(hand_cells(report))
    if count.rows is not None:
        for cid in DOC_CELLS:
            figure = count.value(cid)
            if cid in hand and _is(report.cell(cid), figure):
                hand.discard(cid)
            if cid not in hand:
                report.cells[cid] = Cell.number(figure)  # type: ignore[arg-type]
    _store(report, count, hand)


def registry_apply(report: Report, count: RegistryCount) -> None:
    """“按文件库重新统计”: all six cells from ``count`` (which must have rows), none by hand."""
    for cid in DOC_CELLS:
        report.cells[cid] = Cell.number(count.value(cid))  # type: ignore[arg-type]
    _store(report, count, ())


def registry_mark_entered(report: Report, cells: dict[str, Cell]) -> None:
    """Before the office's table 二 (``cells``) is stored: which of the six are its own.

    With a counted registry, a cell is the office's when it differs from the registry's
    figure (the page offers the registry's figures, so one sent back unchanged stays the
    registry's). With a registry that could not be counted, a cell the office changed is its
    own; one sent back as it was keeps its mark."""
    state = registry_state(report)
    if state is None:
        return
    hand = set(hand_cells(report))
    rows = state.get("rows")
    for cid in DOC_CELLS:
        if cid not in cells:
            continue
        cell = cells[cid]
        if rows is not None:
            (hand.discard if _is(cell, figure_of(rows, cid)) else hand.add)(cid)
        elif not _same(cell, report.cell(cid)):
            hand.add(cid)
    state["hand"] = [c for c in DOC_CELLS if c in hand]


def _is(cell: Cell, figure: int | None) -> bool:
    return figure is not None and cell.state is CellState.NUMBER and cell.value == figure


def _same(a: Cell, b: Cell) -> bool:
    return a.state is b.state and a.value == b.value


# --- findings -----------------------------------------------------------------------------

#: The finding codes (titled in :mod:`gongkai.core.report.titles`).
INVALID = "T2_REGISTRY_INVALID"
DIFFERS = "T2_REGISTRY_DIFFERS"
CHANGED = "T2_REGISTRY_CHANGED"
CONTINUITY = "IN_FORCE_CONTINUITY"  # the engine's own code (:mod:`gongkai.core.report.compare`)


def _shown(value: Number | None) -> str:
    return "空白" if value is None else str(value)


def invalid_finding(report: Report, error: str) -> Finding:
    """The registry could not be counted: an error while any of the six cells still rests on
    the registry, a warning once the office has entered them all by hand."""
    by_hand = set(hand_cells(report))
    severity = Severity.WARNING if by_hand >= set(DOC_CELLS) else Severity.ERROR
    return Finding(
        INVALID,
        severity,
        DOC_CELLS,
        f"政府文件库的登记有误，表二规章、行政规范性文件的件数未能按文件库统计：{error}。"
        f"请在政府文件库中更正后点击“{RECOUNT}”，或手工填报表二这几栏",
    )


def differs_finding(report: Report) -> Finding | None:
    """The cells entered by hand that differ from the registry's count."""
    state = registry_state(report) or {}
    rows = state.get("rows")
    if rows is None:
        return None
    off = [c for c in hand_cells(report) if not _is(report.cell(c), figure_of(rows, c))]
    if not off:
        return None
    said = "；".join(
        f"{_cell_label(c)}填报为{_shown(report.value(c))}，政府文件库统计为{figure_of(rows, c)}"
        for c in off
    )
    return Finding(
        DIFFERS,
        Severity.WARNING,
        tuple(off),
        f"表二以下栏目为手工填报，与政府文件库的统计不同：{said}。以文件库为准的，请点击"
        f"“{RECOUNT}”；以填报为准的，请核实文件库的登记，并在统计说明中说明原因",
    )


def changed_finding(report: Report, fresh: RegistryCount | None) -> Finding | None:
    """The registry changed after it was counted (a text registered, decided or corrected
    since): the figures counted then are no longer the registry's."""
    state = registry_state(report) or {}
    rows = state.get("rows")
    if rows is None or fresh is None:
        return None
    counted_on = state.get("counted_on", "")
    if fresh.rows is None:
        return Finding(
            CHANGED,
            Severity.WARNING,
            DOC_CELLS,
            f"{counted_on}统计后政府文件库有变化，现已无法按文件库统计：{fresh.error}",
        )
    moved = [c for c in DOC_CELLS if figure_of(rows, c) != fresh.value(c)]
    if not moved:
        return None
    said = "；".join(
        f"{_cell_label(c)}统计时为{figure_of(rows, c)}，现为{fresh.value(c)}" for c in moved
    )
    return Finding(
        CHANGED,
        Severity.WARNING,
        tuple(moved),
        f"{counted_on}统计后政府文件库有变化：{said}。请点击“{RECOUNT}”",
    )


def continuity_findings(report: Report, previous: Report | None) -> list[Finding]:
    """Last year's *published* report printed a 现行有效 other than the registry's count for
    12-31 of last year (a hand count then, or texts registered or corrected since)."""
    state = registry_state(report) or {}
    rows = state.get("rows")
    if rows is None or previous is None or report.year is None:
        return []
    out = []
    last = report.year - 1
    for key, _, label in DOC_ROWS:
        printed = previous.value(f"table2.{key}.in_force")
        row = rows[key]
        if printed is None or printed == row["previous_in_force"]:
            continue
        out.append(
            Finding(
                CONTINUITY,
                Severity.WARNING,
                (f"old.table2.{key}.in_force", f"table2.{key}.in_force"),
                f"{label}：{last}年度已发布的年度报告现行有效{printed}件，政府文件库统计截至"
                f"{last}年12月31日现行有效{row['previous_in_force']}件，相差"
                f"{abs(printed - row['previous_in_force'])}件。本年按文件库统计："
                f"上年末现行有效{row['previous_in_force']}件＋本年制发{row['issued']}件"
                f"－本年废止{row['repealed']}件＝本年末现行有效{row['in_force']}件。"
                "上年报告可能为手工统计，或此后文件库补录、更正了文件，请核实并在统计说明中说明",
            )
        )
    return out


def registry_findings(
    ar: AnnualReport,
    report: Report,
    *,
    previous: Report | None,
    fresh: RegistryCount | None,
) -> list[Finding]:
    """Every finding about table 二 from the registry: not countable, differences from hand
    entry, changes since the count, and the cross-year continuity against ``previous`` (last
    year's published report). ``fresh`` is a count made now (None: not asked)."""
    state = registry_state(report)
    if state is None or ar.scope != ReportScope.AGENCY:
        return []
    if state.get("rows") is None:
        return [invalid_finding(report, state.get("error", ""))]
    found = [differs_finding(report), changed_finding(report, fresh)]
    return [f for f in found if f is not None] + continuity_findings(report, previous)


def merge_continuity(
    compared: list[Finding], registry: list[Finding], report: Report
) -> list[Finding]:
    """The cross-year findings of the engine, without its 现行有效 continuity finding for a
    row whose three cells come from the registry when :func:`continuity_findings` says the
    same thing with the registry's reasons."""
    hand = set(hand_cells(report))
    told = {
        _row_of(f)
        for f in registry
        if f.code == CONTINUITY
        and not any(f"table2.{_row_of(f)}.{column}" in hand for column, _ in DOC_COLUMNS)
    }
    return [f for f in compared if not (f.code == CONTINUITY and _row_of(f) in told)]


def _row_of(finding: Finding) -> str:
    """The row key of a continuity finding (its first cell is ``old.table2.<row>.in_force``)."""
    parts = finding.cells[0].split(".") if finding.cells else []
    return parts[2] if len(parts) == 4 else ""


def needs_fresh_count(ar: AnnualReport, report: Report) -> bool:
    """Whether a draft's registry count should be checked against the registry now."""
    state = registry_state(report)
    return (
        state is not None
        and state.get("rows") is not None
        and ar.scope == ReportScope.AGENCY
        and ar.source == ReportSource.COMPUTED
        and ar.status != ReportStatus.PUBLISHED
    )


def previous_published(ar: AnnualReport) -> AnnualReport | None:
    """Last year's published report of the same agency (generated here or imported)."""
    if ar.agency_id is None:
        return None
    return (
        AnnualReport.objects.filter(
            agency=ar.agency_id,
            year=ar.year - 1,
            scope=ReportScope.AGENCY,
            status=ReportStatus.PUBLISHED,
        )
        .prefetch_related("cells")
        .first()
    )


# --- the 统计说明 --------------------------------------------------------------------------


def registry_note(report: Report) -> str:
    """The sentence of the 统计说明 (part 六 （四）) stating how the registry counted table 二,
    when some of its figures come from the registry ("" otherwise).

    Worded so that the prose checks read no table 二 figure in it: the one count it gives,
    the texts published but not yet in force, follows no “规章”/“规范性文件”."""
    state = registry_state(report)
    if state is None or state.get("rows") is None or report.year is None:
        return ""
    if set(hand_cells(report)) >= set(DOC_CELLS):
        return ""
    year = report.year
    pending = sum(row["not_yet_in_force"] for row in state["rows"].values())
    stock = (
        f"（含已公布但尚未施行的{pending}件）"
        if pending
        else "（已公布但尚未施行的文件计入现行有效）"
    )
    return (
        "表二中规章、行政规范性文件的件数由本机关政府文件库统计生成："
        f"本年制发件数为成文日期在{year}年1月1日至12月31日之间的文件；"
        f"本年废止件数为{year}年度内被废止、宣布失效或有效期届满失效的文件；"
        f"现行有效件数为截至{year}年12月31日现行有效的文件{stock}。"
        "文件修订后的文本与原文件按同一件文件统计，不计入本年制发件数或本年废止件数，"
        "因此上年末现行有效件数加本年制发件数、减本年废止件数，等于本年末现行有效件数。"
    )


# --- the report page ----------------------------------------------------------------------


@dataclass(frozen=True)
class PanelRow:
    """One row (规章 or 行政规范性文件) as the registry counted it, with last year's
    published 现行有效 when it differs from the registry's count for that day."""

    label: str
    previous_in_force: int
    issued: int
    repealed: int
    in_force: int
    not_yet_in_force: int
    previous_published: Number | None = None


@dataclass(frozen=True)
class PanelCell:
    """One of the six cells: the report's figure, whether the office entered it, the
    registry's figure."""

    label: str
    value: Number | None
    hand: bool
    registry: int | None

    @property
    def source(self) -> str:
        return BY_HAND if self.hand else FROM_REGISTRY

    @property
    def differs(self) -> bool:
        return self.registry is not None and self.value != self.registry


@dataclass(frozen=True)
class RegistryPanel:
    """What the report page shows of table 二 from the registry."""

    year: int
    counted_on: str
    error: str
    rows: tuple[PanelRow, ...]
    cells: tuple[PanelCell, ...]

    @property
    def differences(self) -> tuple[PanelCell, ...]:
        return tuple(c for c in self.cells if c.differs)

    def sources(self) -> dict[str, str]:
        """The source of each of the six cells, for the labels of the table 二 form."""
        return {cid: c.source for cid, c in zip(DOC_CELLS, self.cells, strict=True)}


def registry_panel(report: Report, previous: Report | None) -> RegistryPanel | None:
    """The page's view of table 二 from the registry (None: the agency enters it by hand)."""
    state = registry_state(report)
    if state is None:
        return None
    rows = state.get("rows")
    hand = set(hand_cells(report))
    cells = tuple(
        PanelCell(_cell_label(c)[2:].strip("“”"), report.value(c), c in hand, figure_of(rows, c))
        for c in DOC_CELLS
    )
    panel_rows: list[PanelRow] = []
    for key, _, label in DOC_ROWS if rows is not None else ():
        row = rows[key]
        printed = previous.value(f"table2.{key}.in_force") if previous is not None else None
        shown = printed if printed is not None and printed != row["previous_in_force"] else None
        panel_rows.append(PanelRow(label, *(row[f] for f in _ROW_FIELDS), shown))
    return RegistryPanel(
        int(state.get("year") or report.year or 0),
        str(state.get("counted_on", "")),
        str(state.get("error", "")),
        tuple(panel_rows),
        cells,
    )
