"""The ``gongkai`` command line.

``gongkai report parse|check|compare`` read, check and compare published annual reports.
Exit status of ``check``: 0 no errors, 1 a report has errors, 2 unusable input.
``gongkai deadline`` and ``gongkai fee`` are in :mod:`.cli_rules`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

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
from .core.report.schema import cell_label

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
_SEVERITY_CN = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_FORMAT_CN = {
    ReportFormat.F2021: "2021年格式",
    ReportFormat.PRE_2021: "旧格式(2021年前)",
    ReportFormat.NOT_A_REPORT: "非年度报告",
}


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
    p = argparse.ArgumentParser(prog="gongkai", description="政府信息公开工作平台")
    sub = p.add_subparsers(title="命令")
    report = sub.add_parser("report", help="年度报告：解析、核查、比较")
    rsub = report.add_subparsers(title="年度报告命令")
    parse = rsub.add_parser("parse", help="解析年度报告并输出其数据")
    parse.add_argument("files", nargs="+", metavar="FILE", help=".txt .md .html .htm .pdf 文件")
    parse.add_argument(
        "--json", action="store_true", help="以 JSON 输出（gongkai.annual-report/1）"
    )
    parse.set_defaults(func=cmd_parse)
    chk = rsub.add_parser("check", help="核查年度报告的勾稽关系与正文数字")
    chk.add_argument("files", nargs="+", metavar="FILE")
    chk.add_argument("--json", action="store_true", help="以 JSON 输出核查结果")
    chk.add_argument("--quiet", "-q", action="store_true", help="只输出汇总，不逐条列出")
    chk.add_argument("--no-progress", action="store_true", help="不显示进度条")
    chk.set_defaults(func=cmd_check)
    cmp_ = rsub.add_parser("compare", help="比较同一机关相邻两年的报告")
    cmp_.add_argument("old", metavar="OLD", help="上一年度的报告")
    cmp_.add_argument("new", metavar="NEW", help="本年度的报告")
    cmp_.add_argument("--json", action="store_true")
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


def _tables_text(report: Report) -> str:
    """Tables 二, 三 and 四 as plain text rows (value, or “?” when unknown)."""
    from .core.report.schema import TABLE2_IDS, TABLE3_COLUMN_KEYS, TABLE3_ROW_KEYS, TABLE4_IDS

    def show(cid: str) -> str:
        v = report.value(cid)
        return "?" if v is None else str(v)

    lines = ["表二：" + " ".join(f"{cell_label(c)}={show(c)}" for c in TABLE2_IDS), "表三："]
    for row in TABLE3_ROW_KEYS:
        cells = " ".join(f"{show(f'table3.{row}.{c}'):>7}" for c in TABLE3_COLUMN_KEYS)
        lines.append(f"  {row:16s}{cells}")
    lines.append("表四：" + " ".join(show(c) for c in TABLE4_IDS))
    return "\n".join(lines)


def _describe(report: Report, path: str) -> str:
    head = _heading(report, path)
    if report.format is not ReportFormat.F2021:
        lines = [head, *(f"  {f.message}" for f in report.findings)]
        for key, value in report.facts.items():
            lines.append(f"  {key}: {value}")
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


def _heading(report: Report, path: str) -> str:
    who = report.agency or "（机关未识别）"
    year = f"{report.year}年" if report.year else "（年度未识别）"
    layout = f"，版式 {report.layout}" if report.layout else ""
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


def _findings_text(report: Report, path: str) -> str:
    lines = [_heading(report, path)]
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    for f in sorted(report.findings, key=lambda f: order[f.severity]):
        lines.append(f"  [{_SEVERITY_CN[f.severity]}] {f.code}：{f.message}")
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
    lines += [f"  [{_SEVERITY_CN[f.severity]}] {f.code}：{f.message}" for f in result.findings]
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
