"""Reading a published annual report into the schema, whatever its layout.

The reader detects, never asks: the container (plain text, HTML, PDF), the kind of
document (a 2021-format report, an older report, something else) and the table layout
(:mod:`.tables`). A 2021-format report (国办公开办函〔2021〕30号) yields its three tables
and six narrative parts; an older report is recognised and described without inventing
tables; anything else is refused with a message saying what it seems to be.
"""

from __future__ import annotations

import re
from pathlib import Path

from .locate import MAX_CANDIDATES, Match, TooManyLabels, find_parts, find_table3_labels
from .pdftables import Grid, merge, read_structure
from .readers import html_to_text, looks_like_html, pdf_read
from .schema import (
    ALL_CELL_IDS,
    PART_KEYS,
    TABLE2_IDS,
    Cell,
    Finding,
    Report,
    ReportFormat,
    Severity,
)
from .tables import (
    Layout,
    TableResult,
    detect_layout,
    line_gap,
    read_table2,
    read_table3,
    read_table4,
    space_unit,
)
from .text import UnreadableInput, decode_text, normalize

#: Largest file read (a report is rarely over a few MB; a PDF with images may be larger).
MAX_BYTES = 64 * 1024 * 1024
#: Characters of text read. A report is 10 000 – 60 000 characters, a 200-page PDF some
#: 400 000; the tables stand in the first part. Longer text is cut, with a warning.
MAX_CHARS = 1_000_000
#: Lines of text read (the ``lines`` layout puts one cell per line: a report has 1 000 – 5 000).
MAX_LINES = 50_000
#: HTML markup parsed (Word-exported pages carry a lot of styling around the text).
MAX_MARKUP_CHARS = 16_000_000

_TITLE = re.compile(
    r"(?P<agency>[\u4e00-\u9fff()\[\]]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*"
    r"(?:的)?(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?报告"
)
_PERIOD = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_REPORT_WORDS = re.compile(r"信息公开(?:工作)?(?:年度)?(?:工作)?报告|年度报告")
_OTHER_KINDS = (
    ("工作要点", "政务公开工作要点"),
    ("实施方案", "实施方案"),
    ("工作方案", "工作方案"),
    ("通知", "通知"),
    ("指南", "政府信息公开指南"),
    ("目录", "目录"),
)


def parse_file(path: str | Path) -> Report:
    """Read a report file (.txt, .md, .html/.htm, .pdf; UTF-8 or GBK/GB18030)."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableInput(
                f"{file_path.name}：文件过大（{size // 1048576} MB），超过 64 MB 上限"
            )
        data = file_path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableInput(f"{file_path}：文件不存在") from exc
    except IsADirectoryError as exc:
        raise UnreadableInput(f"{file_path}：是目录，不是文件") from exc
    except PermissionError as exc:
        raise UnreadableInput(f"{file_path}：没有读取权限") from exc
    except OSError as exc:
        raise UnreadableInput(f"{file_path}：无法读取（{exc.strerror}）") from exc
    return parse_bytes(data, name=file_path.name)


def parse_bytes(data: bytes, *, name: str = "输入") -> Report:
    """Read a report from the bytes of a file; the container is detected from the content."""
    if not data.strip():
        raise UnreadableInput(f"{name}：文件为空")
    if data.lstrip()[:5] == b"%PDF-":
        content = pdf_read(data, name=name)
        report = parse_text(content.text, source=name)
        report.findings[:0] = content.notes
        _pdf_structure(report, content.grids)
        return report
    decoded = decode_text(data, name=name)
    report = parse_text(decoded.text, source=name)
    report.findings[:0] = decoded.findings(name)
    return report


def _pdf_structure(report: Report, grids: list[Grid]) -> None:
    """Tables read from the PDF's ruled cells where they beat the text reading (:mod:`.pdftables`).

    The layout becomes ``pdf/table`` when all three tables come from the cells,
    ``pdf/table+<text layout>`` when some do, ``pdf/<text layout>`` when none do.
    """
    used = merge(report, read_structure(grids)) if report.format is ReportFormat.F2021 else []
    text_layout = report.layout
    if len(used) == 3:
        report.layout = "pdf/table"
    elif used:
        report.layout = f"pdf/table+{text_layout}" if text_layout else "pdf/table"
    else:
        report.layout = f"pdf/{text_layout}" if text_layout else "pdf"


def parse_text(text: str, *, source: str | None = None) -> Report:
    """Read a report from text (plain, markdown-ish, or an HTML page)."""
    notes: list[Finding] = []
    container = None
    if looks_like_html(text):
        if len(text) > MAX_MARKUP_CHARS:
            notes.append(_cut(source, f"网页源码超过 {MAX_MARKUP_CHARS:,} 字符"))
            text = text[:MAX_MARKUP_CHARS]
        text, container = html_to_text(text), "html"
    norm = normalize(_bounded(text, source, notes))
    agency, year = _agency_year(norm)
    try:
        parts = find_parts(norm)
    except TooManyLabels:
        parts = {}
        notes.append(_too_many(source, "各部分标题", Severity.WARNING))
    try:
        labels = find_table3_labels(norm)  # searched once: kind, regions and table 三 share it
    except TooManyLabels:
        report = Report(ReportFormat.F2021, agency=agency, year=year, source=source)
        report.cells = {cid: Cell.missing() for cid in ALL_CELL_IDS}
        report.findings = [*notes, _too_many(source, "表三的行标签", Severity.ERROR)]
        report.layout = container
        return report
    kind = _kind(norm, parts, labels)
    report = Report(kind, agency=agency, year=year, source=source)
    report.findings.extend(notes)
    if kind is ReportFormat.F2021:
        _read_2021(report, norm, parts, labels)
    elif kind is ReportFormat.PRE_2021:
        _describe_old(report, norm)
    else:
        report.findings.append(_not_a_report(norm))
    if container and report.layout:
        report.layout = f"{container}/{report.layout}"
    elif container:
        report.layout = container
    return report


def _bounded(text: str, source: str | None, notes: list[Finding]) -> str:
    """The text within :data:`MAX_CHARS` characters and :data:`MAX_LINES` lines."""
    if len(text) > MAX_CHARS:
        notes.append(_cut(source, f"文本超过 {MAX_CHARS:,} 字符"))
        text = text[:MAX_CHARS]
    if text.count("\n") < MAX_LINES:
        return text
    notes.append(_cut(source, f"文本超过 {MAX_LINES:,} 行"))
    return "\n".join(text.split("\n", MAX_LINES)[:MAX_LINES])  # up to the MAX_LINES-th break


def _cut(source: str | None, what: str) -> Finding:
    return Finding(
        "INPUT_TRUNCATED",
        Severity.WARNING,
        (),
        f"{source or '输入'}：{what}，超出部分未读取（年度报告通常不会这么长）",
    )


def _too_many(source: str | None, what: str, severity: Severity) -> Finding:
    return Finding(
        "LABELS_AMBIGUOUS",
        severity,
        (),
        f"{source or '输入'}：{what}出现超过 {MAX_CANDIDATES:,} 次，无法确定表格所在位置，"
        "相关内容未读取，各格按未知处理",
    )


# --- what kind of document ---------------------------------------------------------------


def _agency_year(text: str) -> tuple[str | None, int | None]:
    title = _TITLE.search(text[:3000]) or _TITLE.search(text)
    if title:
        agency = title.group("agency").strip("()[]") or None
        return agency, int(title.group("year"))
    period = _PERIOD.search(text)
    return None, int(period.group("year")) if period else None


def _kind(text: str, parts: dict, labels: list[Match]) -> ReportFormat:
    if len(labels) >= 12 or (len(labels) >= 6 and "applications" in parts):
        return ReportFormat.F2021
    if _REPORT_WORDS.search(text[:3000]):
        return ReportFormat.PRE_2021
    return ReportFormat.NOT_A_REPORT


def _not_a_report(text: str) -> Finding:
    head = text[:400]
    seems = next((what for word, what in _OTHER_KINDS if word in head), None)
    title = next((ln.strip() for ln in text.split("\n") if len(ln.strip()) >= 6), "")[:60]
    what = f"看起来是{seems}" if seems else "未找到年度报告的标题和统计表"
    return Finding(
        "NOT_A_REPORT",
        Severity.ERROR,
        (),
        f"该文件不是政府信息公开工作年度报告（{what}；首行：“{title}”），未作解析",
    )


# (?:[^\S\n]|#): white space within the line, or “#”. A plain “\s” would rescan a run of
# empty lines from every line start in it (quadratic time on thousands of empty lines).
_OLD_HEADING = re.compile(r"(?m)^(?:[^\S\n]|#)*([一二三四五六七八九十]{1,3}\s*[、.][^\n。]{2,40})$")


def _describe_old(report: Report, text: str) -> None:
    """An old-format report: say what it is and what can be said, invent no table."""
    headings = _OLD_HEADING.findall(text)
    report.facts["headings"] = [h.strip() for h in headings]
    report.layout = "text"
    report.narrative = {"full_text": text.strip()}
    stated = re.search(r"(?:受理|收到)[^。；\n]{0,20}?申请\s*(\d{1,15})\s*(?:件|起|条)", text)
    if stated:
        report.facts["applications_stated"] = int(stated.group(1))
    year = f"{report.year}年" if report.year else "该"
    report.findings.append(
        Finding(
            "FORMAT_PRE_2021",
            Severity.INFO,
            (),
            f"{year}报告为 2021 年新格式（国办公开办函〔2021〕30号）施行前的旧格式报告，"
            "没有表二、表三、表四，不做表格核查",
        )
    )


# --- the 2021 format -----------------------------------------------------------------


def _regions(text: str, parts: dict, labels: list[Match]) -> dict[str, tuple[int, int]]:
    """Where tables 二, 三 and 四 stand: from their part's heading to the next part's."""
    text_end = len(text)
    labels_start = labels[0].start if labels else text_end
    labels_end = labels[-1].end if labels else text_end

    def span(key: str, default: tuple[int, int]) -> tuple[int, int]:
        if key not in parts:
            return default
        start = parts[key].end
        later = [m.start for k, m in parts.items() if PART_KEYS.index(k) > PART_KEYS.index(key)]
        return start, min(later, default=text_end)

    table3 = span("applications", (max(0, labels_start - 600), text_end))
    table2 = span("proactive", (max(0, table3[0] - 2000), table3[0]))
    table4 = span("remedies", (labels_end, min(text_end, labels_end + 1500)))
    if table4[0] < table3[0]:
        table4 = (labels_end, table4[1])
    return {"table2": table2, "table3": table3, "table4": table4}


def _read_2021(report: Report, text: str, parts: dict, labels: list[Match]) -> None:
    regions = _regions(text, parts, labels)
    start3, end3 = regions["table3"]
    region3 = text[start3:end3]
    name = detect_layout(region3)
    gap = {"lines": line_gap, "space": space_unit}.get(name)
    layout = Layout(name, gap=gap(region3) if gap else 0)
    report.layout = name
    try:
        table2 = read_table2(text, *regions["table2"], layout)
    except TooManyLabels:
        table2 = TableResult({cid: Cell.missing() for cid in TABLE2_IDS})
        table2.findings.append(_too_many(report.source, "表二的行标签", Severity.ERROR))
    results: list[TableResult] = [
        table2,
        read_table3(
            text, start3, end3, layout, [m for m in labels if start3 <= m.start and m.end <= end3]
        ),
        read_table4(text, *regions["table4"], layout),
    ]
    read: dict[str, Cell] = {}
    for table in results:
        read.update(table.cells)
        report.findings.extend(table.findings)
    # Every cell in the schema's order, missing where no table gave it (made only there).
    report.cells = {cid: read.pop(cid, None) or Cell.missing() for cid in ALL_CELL_IDS}
    report.cells.update(read)
    if any(r.recovered_fused for r in results) and name != "fused":
        report.layout = f"{name}+fused"
    report.narrative = _narrative(text, parts)


_SENTENCE = re.compile(r"[。；;!?！？]")


def _narrative(text: str, parts: dict) -> dict[str, str]:
    """The prose of each part (for table parts, the paragraphs around the table)."""
    keys = [k for k in PART_KEYS if k in parts]
    out: dict[str, str] = {}
    first = min((m.start for m in parts.values()), default=len(text))
    out["preamble"] = _prose(text[:first])
    for i, key in enumerate(keys):
        end = parts[keys[i + 1]].start if i + 1 < len(keys) else len(text)
        body = text[parts[key].end : end]
        out[key] = (
            _prose(body) if key in ("proactive", "applications", "remedies") else body.strip()
        )
    return out


def _prose(body: str) -> str:
    """Lines that read as sentences, not table cells."""
    keep = [ln.strip() for ln in body.split("\n") if _SENTENCE.search(ln) and len(ln.strip()) >= 12]
    return "\n".join(keep)
