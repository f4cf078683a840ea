"""The ``gongkai`` command line.

``gongkai report parse|check|compare`` read, check and compare published annual reports.
Exit status of ``check``: 0 no errors, 1 a report has errors, 2 unusable input.
``gongkai deadline`` and ``gongkai fee`` are in :mod:`.cli_rules`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .cli_keys import add_commands as add_key_commands
from .cli_rules import add_commands as add_rules_commands
from .cli_web import add_commands as add_web_commands
from .core.report import (
    Report,
    ReportFormat,
    Severity,
    UnreadableInput,
    compare,
    read_report,
    to_json,
)
from .core.report.compare import Comparison
from .core.report.schema import Finding, cell_label
from .core.report.titles import finding_title

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
_SEVERITY_CN = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
#: What a report of the old format says, read from its text (``Report.facts``).
_FACTS_CN = {
    "headings": "正文各部分标题",
    "applications_stated": "正文所述收到申请数",
    "members": "汇总的机关",
}
_FORMAT_CN = {
    ReportFormat.F2021: "2021年格式",
    ReportFormat.PRE_2021: "旧格式(2021年前)",
    ReportFormat.NOT_A_REPORT: "非年度报告",
}


# --- the parser, in Chinese -------------------------------------------------------------

#: argparse's own messages (Python's gettext has no Chinese for them), by pattern.
_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (?P<a>.+)", "缺少必需的参数：{a}"),
    (r"unrecognized arguments: (?P<a>.+)", "无法识别的参数：{a}"),
    (r"one of the arguments (?P<a>.+) is required", "须给出以下参数之一：{a}"),
    (r"ambiguous option: (?P<a>\S+) could match (?P<b>.+)", "选项 {a} 不明确，可能是：{b}"),
    (r"unexpected option string: (?P<a>.+)", "不应出现的选项：{a}"),
    (r"can't open '(?P<a>.+)': (?P<b>.+)", "无法打开“{a}”：{b}"),
    (r"invalid choice: (?P<a>.+) \(choose from (?P<b>.+)\)", "没有 {a} 这一项（可选：{b}）"),
    (r"invalid int value: (?P<a>.+)", "{a} 不是整数"),
    (r"invalid float value: (?P<a>.+)", "{a} 不是数字"),
    (r"invalid \S+ value: (?P<a>.+)", "{a} 不是有效的值"),
    (r"expected one argument", "需要一个值"),
    (r"expected at most one argument", "最多一个值"),
    (r"expected at least one argument", "至少需要一个值"),
    (r"expected (?P<a>\d+) arguments?", "需要 {a} 个值"),
    (r"not allowed with argument (?P<a>.+)", "不能与 {a} 同时使用"),
    (r"ignored explicit argument (?P<a>.+)", "不接受值 {a}"),
)


def argparse_message(message: str) -> str:
    """An argparse error message in Chinese; a message already in Chinese (our own
    ``ArgumentTypeError``) is kept."""
    m = re.fullmatch(r"argument (?P<arg>.+?): (?P<rest>.+)", message, re.DOTALL)
    if m:
        return f"参数 {m['arg']}：{argparse_message(m['rest'])}"
    for pattern, text in _ARGPARSE_MESSAGES:
        if m := re.fullmatch(pattern, message, re.DOTALL):
            return text.format(**m.groupdict())
    return message


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Help with a Chinese “用法：” line, its columns aligned by display width (argparse
    counts characters, which puts help after a Chinese argument name out of line)."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _format_usage(self, usage, actions, groups, prefix) -> str:  # type: ignore[no-untyped-def]
        text = super()._format_usage(usage, actions, groups, prefix)
        shift = " " * (display_width(prefix or "") - len(prefix or ""))
        first, *rest = text.split("\n")
        return "\n".join([first, *(shift + line if line.strip() else line for line in rest)])

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            names = [self._format_action_invocation(action)] + [
                self._format_action_invocation(a) for a in self._iter_indented_subactions(action)
            ]
            widest = max(map(display_width, names)) + self._current_indent
            self._action_max_length = max(self._action_max_length, widest)

    def _format_action(self, action: argparse.Action) -> str:
        # argparse's own layout, measured in columns instead of characters.
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent_first = 0
        if not action.help:
            header = f"{' ' * self._current_indent}{header}\n"
        elif display_width(header) <= action_width:
            pad = " " * (action_width - display_width(header))
            header = f"{' ' * self._current_indent}{header}{pad}  "
        else:
            header = f"{' ' * self._current_indent}{header}\n"
            indent_first = help_position
        parts = [header]
        if action.help and action.help.strip():
            help_text = self._expand_help(action)
            if help_text:
                lines = self._split_lines(help_text, help_width)
                parts.append(f"{' ' * indent_first}{lines[0]}\n")
                parts.extend(f"{' ' * help_position}{line}\n" for line in lines[1:])
        elif not header.endswith("\n"):
            parts.append("\n")
        parts.extend(self._format_action(a) for a in self._iter_indented_subactions(action))
        return self._join_parts(parts)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its fixed texts in Chinese: the usage line, the section titles, the
    help option and the error messages. Subcommands get the same class."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出"
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{argparse_message(message)}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gongkai`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `gongkai report check … | head`
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="gongkai", description="政府信息公开工作平台")
    sub = p.add_subparsers(title="命令", metavar="命令", help="以下之一")
    what = "年度报告：解析、核查、比较"
    report = sub.add_parser("report", help=what, description=what)
    rsub = report.add_subparsers(title="年度报告命令", metavar="命令", help="以下之一")
    what = "解析年度报告并输出其数据"
    parse = rsub.add_parser("parse", help=what, description=what)
    parse.add_argument("files", nargs="+", metavar="文件", help=".txt .md .html .htm .pdf 文件")
    parse.add_argument(
        "--json", action="store_true", help="以 JSON 输出（gongkai.annual-report/1）"
    )
    parse.set_defaults(func=cmd_parse)
    what = "核查年度报告的勾稽关系与正文数字"
    chk = rsub.add_parser("check", help=what, description=what)
    chk.add_argument("files", nargs="+", metavar="文件", help="年度报告文件，可以多个")
    chk.add_argument("--json", action="store_true", help="以 JSON 输出核查结果")
    chk.add_argument("--quiet", "-q", action="store_true", help="只输出汇总，不逐条列出")
    chk.add_argument("--no-progress", action="store_true", help="不显示进度条")
    chk.set_defaults(func=cmd_check)
    what = "比较同一机关相邻两年的报告"
    cmp_ = rsub.add_parser("compare", help=what, description=what)
    cmp_.add_argument("old", metavar="上年报告", help="上一年度的报告")
    cmp_.add_argument("new", metavar="本年报告", help="本年度的报告")
    cmp_.add_argument("--json", action="store_true", help="以 JSON 输出比较结果")
    cmp_.set_defaults(func=cmd_compare)
    add_rules_commands(sub)
    add_web_commands(sub)
    add_key_commands(sub)
    return p


def _read(path: str) -> tuple[Report | None, str | None]:
    """A report, or the Chinese reason it cannot be used."""
    try:
        return read_report(path), None
    except UnreadableInput as exc:
        return None, str(exc)
    except Exception as exc:  # a batch checker reports a file it cannot handle and goes on
        return None, f"{Path(path).name}：读取时发生内部错误（{type(exc).__name__}: {exc}）"


def _unusable(report: Report | None) -> bool:
    return report is None or report.format is ReportFormat.NOT_A_REPORT


# --- parse ------------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> int:
    status = EXIT_OK
    docs = []
    for path in args.files:
        report, problem = _read(path)
        if report is None:
            print(problem, file=sys.stderr)
            status = EXIT_UNUSABLE
            continue
        if args.json:
            docs.append(to_json(report))
        else:
            print(_describe(report, path))
        if _unusable(report):
            status = EXIT_UNUSABLE
    if args.json:
        out = docs[0] if len(args.files) == 1 and docs else docs
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return status


#: Columns a row label of table 三 may take before its figures go on the next line.
LABEL_COLUMNS = 36


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def _grid(title: str, heads: Sequence[str], rows: Sequence[tuple[int, str, Sequence[str]]]) -> str:
    """A table as text: the title, the column heads, then (indent level, row label, figures)
    rows; a row with no figures is a heading. A label too long for its column stands on its
    own line, the figures under the columns on the next."""
    widths = [max(display_width(h), 7) for h in heads]
    line = [
        " " * LABEL_COLUMNS
        + "".join("  " + _pad(h, w, right=True) for h, w in zip(heads, widths, strict=True))
    ]
    for level, label, figures in rows:
        text = "  " * level + label
        if not figures:
            line.append(text)
            continue
        cells = "".join("  " + _pad(f, w, right=True) for f, w in zip(figures, widths, strict=True))
        if display_width(text) > LABEL_COLUMNS:
            line.extend([text, " " * LABEL_COLUMNS + cells])
        else:
            line.append(_pad(text, LABEL_COLUMNS) + cells)
    return "\n".join([title, *(row.rstrip() for row in line)])


def _tables_text(report: Report) -> str:
    """Tables 二, 三 and 四 with their published row and column titles (a figure not known
    is “?”), as in 《政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)."""
    from .core.report.schema import (
        TABLE2_DOC_COLUMNS,
        TABLE2_DOC_ROWS,
        TABLE2_SINGLE_ROWS,
        TABLE3_COLUMNS,
        TABLE3_ROWS,
        TABLE4_COLUMNS,
        TABLE4_GROUPS,
        row_label,
    )

    def show(cid: str) -> str:
        v = report.value(cid)
        return "?" if v is None else str(v)

    doc_heads = [label for _, label in TABLE2_DOC_COLUMNS]
    table2 = _grid(
        "表二　主动公开政府信息情况",
        doc_heads,
        [
            (0, label, [show(f"table2.{r}.{c}") for c, _ in TABLE2_DOC_COLUMNS])
            for r, label in TABLE2_DOC_ROWS
        ],
    )
    singles = "\n".join(
        f"{label}·{column}：{show(f'table2.{key}')}" for key, label, column in TABLE2_SINGLE_ROWS
    )
    # Rows under “三、本年度办理结果” are indented once, those of its groups “（三）不予公开”
    # etc. twice, each heading shown before its first row.
    outcome = "三、本年度办理结果"
    rows3: list[tuple[int, str, Sequence[str]]] = []
    shown_headings: list[str] = []
    for key, group, _ in TABLE3_ROWS:
        headings = [] if not group else [outcome] if group == outcome else [outcome, group]
        for level, heading in enumerate(headings):
            if heading not in shown_headings:
                shown_headings.append(heading)
                rows3.append((level, heading, ()))
        figures = [show(f"table3.{key}.{c}") for c, _ in TABLE3_COLUMNS]
        rows3.append((len(headings), row_label(key), figures))
    table3 = _grid(
        "表三　收到和处理政府信息公开申请情况（按申请人类型）",
        [label for _, label in TABLE3_COLUMNS],
        rows3,
    )
    table4 = _grid(
        "表四　政府信息公开行政复议、行政诉讼情况",
        [label for _, label in TABLE4_COLUMNS],
        [
            (0, label, [show(f"table4.{g}.{c}") for c, _ in TABLE4_COLUMNS])
            for g, label in TABLE4_GROUPS
        ],
    )
    return "\n\n".join([f"{table2}\n{singles}", table3, table4])


def _describe(report: Report, path: str) -> str:
    head = _heading(report, path)
    if report.format is not ReportFormat.F2021:
        lines = [head, *(f"  {f.message}" for f in report.findings)]
        for key, value in report.facts.items():
            shown = "；".join(map(str, value)) if isinstance(value, list) else value
            lines.append(f"  {_FACTS_CN.get(key, key)}：{shown}")
        return "\n".join(lines) + "\n"
    notes = [
        f"  {cell_label(cid)}：{_state_note(cell)}"
        for cid, cell in report.cells.items()
        if cell.state.value not in ("number",)
    ]
    body = _tables_text(report)
    extra = ("\n单元格说明：\n" + "\n".join(notes)) if notes else ""
    return f"{head}\n\n{body}{extra}\n"


def _state_note(cell) -> str:
    state = cell.state.value
    if state == "recovered":
        return f"已推算为 {cell.value}（{cell.recovered_by}；原文“{cell.published}”）"
    if state == "ambiguous":
        return f"无法唯一确定，候选值 {', '.join(map(str, cell.candidates))}"
    if state == "blank":
        return "空白（未知）"
    if state == "not_applicable":
        return f"不适用（“{cell.published}”）"
    if state == "text":
        return f"文字“{cell.published}”"
    return "未找到"


#: How the tables were laid out in the file (``Report.layout``, e.g. ``pdf/lines+fused``).
_LAYOUT_CN = {
    "html": "网页",
    "pdf": "PDF",
    "text": "纯文本",
    "tab": "制表符分列",
    "pipe": "竖线分列",
    "space": "空格分列",
    "lines": "每格一行",
    "fused": "数字粘连",
}


def _layout_cn(layout: str) -> str:
    return "·".join(_LAYOUT_CN.get(p, p) for p in re.split(r"[/+]", layout))


def _heading(report: Report, path: str) -> str:
    who = report.agency or "（机关未识别）"
    year = f"{report.year}年" if report.year else "（年度未识别）"
    layout = f"，版式：{_layout_cn(report.layout)}" if report.layout else ""
    return f"== {path}：{who} {year}，{_FORMAT_CN[report.format]}{layout} =="


# --- check ------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    files: list[str] = args.files
    progress = _progress(files, disabled=args.no_progress or args.json)
    rows = []
    status = EXIT_OK
    for path in progress:
        report, problem = _read(path)
        if report is None:
            rows.append((path, None, problem))
            status = EXIT_UNUSABLE
            if not args.json:
                progress.write(f"== {path} ==\n  无法使用：{problem}\n")
            continue
        if _unusable(report):
            status = EXIT_UNUSABLE
        elif report.errors and status == EXIT_OK:
            status = EXIT_ERRORS
        rows.append((path, report, None))
        if not args.json and not args.quiet:
            progress.write(_findings_text(report, path))
    if args.json:
        print(json.dumps([_check_json(p, r, e) for p, r, e in rows], ensure_ascii=False, indent=2))
    elif len(files) > 1 or args.quiet:
        print(_summary(rows))
    return status


def _progress(files: list[str], *, disabled: bool):
    from tqdm import tqdm

    show = not disabled and len(files) > 1 and sys.stderr.isatty()
    return tqdm(files, desc="核查", unit="份", file=sys.stderr, disable=not show, leave=False)


def _finding_line(f: Finding) -> str:
    """A finding as a person reads it: severity, title, message (the code is for programs:
    ``--json`` keeps it)."""
    return f"  [{_SEVERITY_CN[f.severity]}] {finding_title(f.code)}：{f.message}"


def _findings_text(report: Report, path: str) -> str:
    lines = [_heading(report, path)]
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    for f in sorted(report.findings, key=lambda f: order[f.severity]):
        lines.append(_finding_line(f))
    n_err, n_warn = len(report.errors), len(report.warnings)
    if report.format is ReportFormat.F2021:
        verdict = "通过：勾稽关系无误" if not n_err else "未通过"
        lines.append(f"  {verdict}（错误 {n_err}，警告 {n_warn}）")
    return "\n".join(lines) + "\n"


def _check_json(path: str, report: Report | None, problem: str | None) -> dict:
    if report is None:
        return {"file": path, "usable": False, "message": problem}
    return {
        "file": path,
        "usable": not _unusable(report),
        "format": str(report.format),
        "agency": report.agency,
        "year": report.year,
        "layout": report.layout,
        "findings": [f.as_json() for f in report.findings],
    }


def _summary(rows: list) -> str:
    """A summary table: one line per file."""
    header = ("文件", "机关", "年度", "格式", "错误", "警告", "结论")
    table = [header]
    for path, report, _problem in rows:
        if report is None:
            table.append((Path(path).name, "-", "-", "-", "-", "-", "无法使用"))
            continue
        ok = "通过" if not report.errors else "有错误"
        if report.format is not ReportFormat.F2021:
            ok = "不核查" if report.format is ReportFormat.PRE_2021 else "非年报"
        table.append(
            (
                Path(path).name,
                report.agency or "-",
                str(report.year or "-"),
                _FORMAT_CN[report.format],
                str(len(report.errors)),
                str(len(report.warnings)),
                ok,
            )
        )
    n_err = sum(
        1 for _, r, _ in rows if r is not None and r.errors and r.format is ReportFormat.F2021
    )
    lines = ["| " + " | ".join(r) + " |" for r in table]
    lines.insert(1, "|" + "---|" * len(header))
    lines.append(f"\n共 {len(rows)} 份，其中有错误 {n_err} 份")
    return "\n".join(lines)


# --- compare ----------------------------------------------------------------------------


def cmd_compare(args: argparse.Namespace) -> int:
    old, p1 = _read(args.old)
    new, p2 = _read(args.new)
    if old is None or new is None:
        print(p1 or p2, file=sys.stderr)
        return EXIT_UNUSABLE
    result = compare(old, new)
    if args.json:
        print(json.dumps(_compare_json(result), ensure_ascii=False, indent=2))
    else:
        print(_compare_text(result))
    if any(f.code == "COMPARE_FORMAT" for f in result.findings):
        return EXIT_UNUSABLE
    return EXIT_ERRORS if any(f.severity is Severity.ERROR for f in result.findings) else EXIT_OK


def _compare_text(result: Comparison) -> str:
    o, n = result.old, result.new
    lines = [f"== {o.agency or '?'} {o.year or '?'}年 → {n.agency or '?'} {n.year or '?'}年 =="]
    changed = [c for c in result.changes if c.delta]
    lines.append(f"有变化的单元格 {len(changed)} 个（共比较 {len(result.changes)} 个）：")
    for c in changed:
        pct = f"（{c.percent:+}%）" if c.percent is not None else ""
        lines.append(f"  {cell_label(c.cell)}：{c.old} → {c.new}，{c.delta:+}{pct}")
    lines.append("跨年度核查：" if result.findings else "跨年度核查：无问题")
    lines += [_finding_line(f) for f in result.findings]
    return "\n".join(lines)


def _compare_json(result: Comparison) -> dict:
    def num(v):
        return float(v) if not isinstance(v, int) else v

    return {
        "old": {"agency": result.old.agency, "year": result.old.year},
        "new": {"agency": result.new.agency, "year": result.new.year},
        "changes": [
            {"cell": c.cell, "old": num(c.old), "new": num(c.new), "delta": num(c.delta)}
            for c in result.changes
        ],
        "findings": [f.as_json() for f in result.findings],
    }


if __name__ == "__main__":
    sys.exit(main())
