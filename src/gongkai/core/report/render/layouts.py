"""Whole report documents in the text layouts real publishers produce, for fixtures.

Annual reports reach us as text in a handful of shapes (see the seeds in
``examples/reports``): web pages copied one cell per line (``lines``, like
qingdao-2024.txt), markdown-ish crawls ending every cell with “ |” (``pipe``, like
boshan-2024.txt), tab-separated rows from a PDF (``tab``, like jinan-office-2024.txt),
PDF text with space-separated rows and page footers (``space``), crawls that lost every
separator (``fused``), PDF-to-markdown output with table 三's labels torn from their
numbers (``markdown_detached``) and OCR output (``ocr``). Each ``render_<name>`` writes a
whole document in one of them: a title line “{agency}{year}年政府信息公开工作年度报告”, a
preamble sentence, then the six parts of the 2021 format (国办公开办函〔2021〕30号), each
headed by its label, with its narrative and, in parts 二, 三 and 四, its table.

A cell prints its published text, else its value, else nothing (a blank cell). How each
layout shows a blank cell is stated in its function's docstring. The layouts taking a
``seed`` vary deterministically with it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from ..schema import PARTS, Report
from .grid import PART_TABLES, Grid, GridCell, GridRow, RowKind, report_title

BLANK_LINE = "\n\n"
#: Characters per line of a label in the ``space`` layout before it wraps.
WRAP = 20
#: ``pipe``: how many cells each table row is padded to (as in boshan-2024.txt).
PIPE_WIDTHS = {"table2": 4, "table3": 11, "table4": 15}
#: ``space``: chance of a page footer before a table row.
FOOTER_RATE = 0.1
#: ``ocr``: characters read wrongly in labels, and digits read as letters.
MISREADS = {"予": "子", "于": "干", "申": "中", "开": "幵", "条": "杀"}
DIGIT_MISREADS = {"0": "O", "1": "l"}
LABEL_MISREAD_RATE = 0.25
DIGIT_MISREAD_RATE = 0.03
MAX_LABEL_MISREADS = 2  # per label
MAX_DIGIT_MISREADS = 5  # per document


def preamble(report: Report) -> str:
    """The short sentence every layout prints after the title."""
    text = (
        "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作"
        "年度报告格式》（国办公开办函〔2021〕30号）要求编制。"
    )
    if report.year is not None:
        year = report.year
        text += f"报告中所列数据的统计期限自{year}年1月1日起，至{year}年12月31日止。"
    return text


def _rng(seed: int) -> random.Random:
    """The noise of a seeded layout: reproducible fixtures, nothing secret."""
    return random.Random(seed)  # noqa: S311 - test fixtures need reproducible, not secure, noise


def _title_and_preamble(report: Report) -> list[str]:
    return [report_title(report), preamble(report)]


def _plain(label: str) -> str:
    return label


def _markdown_heading(label: str) -> str:
    return f"## {label}"


@dataclass(frozen=True, slots=True)
class _Style:
    """How a layout joins blocks, prints a part heading and a table, and opens the text."""

    sep: str
    heading: Callable[[str], str]
    table: Callable[[Grid], str]
    top: Callable[[Report], list[str]] = field(default=_title_and_preamble)


def _paragraphs(report: Report, part: str) -> list[str]:
    return [p.strip() for p in report.narrative.get(part, "").split("\n") if p.strip()]


def _document(report: Report, style: _Style) -> str:
    blocks = style.top(report)
    for key, label in PARTS:
        blocks.append(style.heading(label))
        blocks.extend(_paragraphs(report, key))
        if key in PART_TABLES:
            blocks.append(style.table(PART_TABLES[key](report)))
    return style.sep.join(blocks) + "\n"


def _broken(cell: GridCell, sep: str) -> str:
    """A header word as publishers break it (“结果 维持”), or the cell text."""
    if not cell.breaks_at:
        return cell.text
    return cell.text[: cell.breaks_at] + sep + cell.text[cell.breaks_at :]


def _cells(grid: Grid) -> list[GridCell]:
    return [cell for row in grid.rows for cell in row.cells]


# --- lines ---------------------------------------------------------------------------------


def _lines_table(grid: Grid) -> str:
    return BLANK_LINE.join(_broken(cell, BLANK_LINE) for cell in _cells(grid))


def render_lines(report: Report) -> str:
    """One cell per line, every line (cell, heading, paragraph) followed by one empty line.

    Merged cells print once, where they start; the corner cell and the four-character
    result headers of table 四 break into two cells (“结果\\n\\n维持”) as on qingdao's page.
    A blank cell is an empty line, so around it there are 3 empty lines instead of 1
    (k blank cells in a row: 2k+1 empty lines).
    """
    return _document(report, _Style(BLANK_LINE, _plain, _lines_table))


# --- pipe ----------------------------------------------------------------------------------


def _pipe_table(grid: Grid) -> str:
    width = PIPE_WIDTHS[grid.name]
    lines: list[str] = []
    for row in grid.rows:
        lines.extend(f"{_broken(cell, ' ')} |" for cell in row.cells)
        if len(row.cells) < width:
            lines.append("|" * (width - len(row.cells)))
    return "\n".join(lines)


def _pipe_top(report: Report) -> list[str]:
    published = "" if report.year is None else str(report.year + 1)
    return [
        f"标题: | {report_title(report)} | ||",
        "---|---|---|---|",
        f"索引号: | 000000000/{published}-0000001 | 文号: | 〔〕号 |",
        f"发文日期: | {published}-02-17 | 发布机构: | {report.agency or ''} |",
        preamble(report),
    ]


def render_pipe(report: Report) -> str:
    """Every cell on its own line ending with “ |”, as boshan-2024.txt.

    The document opens with a metadata header (“标题: | {title} | ||”, “---|---|---|---|”,
    索引号, 发文日期) instead of a bare title line; there are no empty lines. After the
    cells that start on a table row comes one padding line of “|” repeated up to the
    table's width (4, 11, 15 for tables 二, 三, 四; no line when the row is full), so a
    padding line always has at least two “|”. A blank cell is the line “ |” (space, bar).
    Table 四's four-character headers are split by a space (“结果 维持”), as is the corner.
    """
    return _document(report, _Style("\n", _plain, _pipe_table, _pipe_top))


# --- tab -----------------------------------------------------------------------------------


def _tab_table(grid: Grid) -> str:
    rows = grid.expand()
    return "\n".join("\t".join("" if c is None else c.text for c in row) for row in rows)


def render_tab(report: Report) -> str:
    """One table row per line, cells separated by TAB, as jinan-office-2024.txt.

    Every row of a table has the same number of fields (4, 10, 15): a merged cell prints
    at its top-left position and the positions it covers are empty fields. In table 三 the
    three label columns come first (“一、…” then two empty fields; “三、本年度办理结果” and
    “（一）予以公开” then one; items under a group: an empty field, the group label on the
    group's first row or an empty field, the item), then the seven numbers; so the numbers
    are always the last seven fields and a blank cell is an empty field among them.
    Part headings are “## 一、总体情况”; blocks are separated by one empty line.
    """
    return _document(report, _Style(BLANK_LINE, _markdown_heading, _tab_table))


# --- space ---------------------------------------------------------------------------------


def _wrapped(texts: list[str]) -> list[str]:
    """A row on one line, each overlong cell cut at WRAP; the rest on the next lines."""
    first = " ".join(t[:WRAP] for t in texts)
    rest = [t[i : i + WRAP] for t in texts for i in range(WRAP, len(t), WRAP)]
    return [first, *rest]


class _Footers:
    """Page footers that fall between table rows, numbered on from page to page."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.page = rng.randint(2, 4)
        self.pages = self.page + rng.randint(4, 8)
        self.dashed = rng.random() < 0.5

    def footer(self) -> str:
        self.page += 1
        return f"— {self.page} —" if self.dashed else f"第 {self.page} 页 共 {self.pages} 页"

    def between(self, rows: list[list[str]]) -> list[str]:
        out: list[str] = []
        for i, lines in enumerate(rows):
            if i and self.rng.random() < FOOTER_RATE:
                out.append(self.footer())
            out.extend(lines)
        return out


def render_space(report: Report, *, seed: int = 0) -> str:
    """PDF text: one table row per line, its cells joined by single spaces.

    Merged cells print once, on their first row (“三、本年度办理结果 （一）予以公开 40 0 …”).
    A cell longer than WRAP characters keeps its first WRAP characters on the row's line
    and continues on the following line(s), alone. Between table rows a page footer
    (“— 3 —” or “第 3 页 共 8 页”) sometimes stands, deterministic given ``seed``. A blank
    cell is an empty string between the single spaces: two spaces in a row (a trailing
    space when it is the row's last cell).
    """
    footers = _Footers(_rng(seed))

    def table(grid: Grid) -> str:
        rows = [_wrapped([cell.text for cell in row.cells]) for row in grid.rows]
        return "\n".join(footers.between(rows))

    return _document(report, _Style("\n", _plain, table))


# --- fused ---------------------------------------------------------------------------------


def _fused_table(grid: Grid) -> str:
    return "".join(cell.text for cell in _cells(grid))


def render_fused(report: Report) -> str:
    """Crawled text that lost every separator: each table is one line of its cells' texts.

    Headers, labels and numbers follow each other with nothing between them
    (“…数量610000061二、上年结转…”); a blank cell prints nothing and leaves no trace.
    Paragraphs and headings are one per line.
    """
    return _document(report, _Style("\n", _plain, _fused_table))


# --- markdown_detached ---------------------------------------------------------------------


def _md_line(texts: list[str]) -> str:
    return "| " + " | ".join(texts) + " |"


def _md_rule(width: int) -> str:
    return "|" + "---|" * width


def _md_grid(grid: Grid) -> str:
    rows = [["" if c is None else c.text for c in row] for row in grid.expand()]
    return "\n".join([_md_line(rows[0]), _md_rule(grid.width), *map(_md_line, rows[1:])])


def _md_detached(grid: Grid, rng: random.Random) -> str:
    heads = grid.column_headers()
    collapsed = " ".join(dict.fromkeys(t for col in heads[grid.label_columns :] for t in col))
    body = [row for row in grid.rows if row.kind is RowKind.BODY]
    width = 1 + len(body[0].values)
    labels = [_md_line([" ".join(row.labels), *[""] * (width - 1)]) for row in body]
    numbers = [_md_line(["", *row.values]) for row in body]
    if rng.random() < 0.5:
        lines = labels + numbers
    else:
        lines = [line for pair in zip(labels, numbers, strict=True) for line in pair]
    page = rng.randint(2, 9)
    lines.insert(rng.randrange(1, len(lines)), rng.choice((f"| {page} |", f"- {page} -")))
    head = _md_line([heads[0][0], collapsed, *[""] * (width - 2)])
    return "\n".join([head, _md_rule(width), *lines])


def render_markdown_detached(report: Report, *, seed: int = 0) -> str:
    """PDF-to-markdown output whose table 三 lost the link between labels and numbers.

    Tables 二 and 四 are markdown grids (“| a | b |”, a “|---|” line after the first row,
    one field per column, merged cells at their top-left position, covered positions
    empty). Table 三 has 8 fields per row: the header collapses into the corner and one
    cell “申请人情况 自然人 法人或其他组织 商业企业 … 其他 总计”; then, chosen by ``seed``,
    either its 25 label rows (the labels starting on the row, joined by a space, then 7
    empty fields) followed by its 25 number rows (an empty field, then the 7 numbers), or
    each label row followed by its number row. A page number line (“| 5 |” or “- 5 -”)
    stands somewhere among them. A blank cell is an empty field. Headings are “## …”.
    """
    rng = _rng(seed)

    def table(grid: Grid) -> str:
        return _md_detached(grid, rng) if grid.name == "table3" else _md_grid(grid)

    return _document(report, _Style(BLANK_LINE, _markdown_heading, table))


# --- ocr -----------------------------------------------------------------------------------


class _Ocr:
    """Misreadings of one OCR run: its separator, column names and wrongly read characters."""

    def __init__(self, seed: int) -> None:
        self.rng = _rng(seed)
        self.sep = self.rng.choice(("  ", " | "))
        self.column = self.rng.choice(("列", "Column"))
        self.digits_left = MAX_DIGIT_MISREADS

    def label(self, text: str) -> str:
        spots = [i for i, ch in enumerate(text) if ch in MISREADS]
        if not spots or self.rng.random() >= LABEL_MISREAD_RATE:
            return text
        chars = list(text)
        for i in self.rng.sample(spots, min(len(spots), self.rng.randint(1, MAX_LABEL_MISREADS))):
            chars[i] = MISREADS[chars[i]]
        return "".join(chars)

    def number(self, text: str) -> str:
        spots = [i for i, ch in enumerate(text) if ch in DIGIT_MISREADS]
        if not spots or not self.digits_left or self.rng.random() >= DIGIT_MISREAD_RATE:
            return text
        self.digits_left -= 1
        spot = self.rng.choice(spots)
        return text[:spot] + DIGIT_MISREADS[text[spot]] + text[spot + 1 :]

    def row(self, row: GridRow) -> str:
        cells = (self.label(c.text) if c.header else self.number(c.text) for c in row.cells)
        return self.sep.join(cells)

    def table(self, grid: Grid) -> str:
        width = max(len(row.cells) for row in grid.rows if row.kind is not RowKind.HEAD)
        generic = self.sep.join(f"{self.column}{i}" for i in range(1, width + 1))
        lines: list[str] = []
        for row in grid.rows:
            if row.kind is not RowKind.HEAD:
                lines.append(self.row(row))
            elif generic not in lines:
                lines.append(generic)
        return "\n".join(lines)


def render_ocr(report: Report, *, seed: int = 0) -> str:
    """OCR output: one table row per line, cells separated by two spaces or by “ | ”.

    Each table's header rows become one generic header line (“列1 | 列2 | …” or
    “Column1  Column2  …”, as wide as the widest row) where its first header row stood;
    table 二's block titles (“第二十条第（一）项”) stay. Merged labels print once, on their
    first row. Some labels have one or two characters misread (予→子, 于→干, 申→中, 开→幵,
    条→杀) and up to MAX_DIGIT_MISREADS number cells per document have one digit read as a
    letter (0→O, 1→l); separator, column names and misreadings follow ``seed``. A blank
    cell is an empty string between separators (“a |  | b”, or four spaces).
    """
    ocr = _Ocr(seed)
    return _document(report, _Style("\n", _plain, ocr.table))


#: Every layout by name.
LAYOUTS: dict[str, Callable[[Report], str]] = {
    "lines": render_lines,
    "pipe": render_pipe,
    "tab": render_tab,
    "space": render_space,
    "fused": render_fused,
    "markdown_detached": render_markdown_detached,
    "ocr": render_ocr,
}
