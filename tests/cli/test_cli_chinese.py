"""The command line speaks Chinese: argparse's fixed texts (usage line, section titles, the
help option, error messages) and ``gongkai report parse``'s tables, which carry the row and
column titles of 《政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from gongkai.cli import _parser, argparse_message, display_width, main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reports"
ENGLISH_FIXED = ("usage:", "options:", "positional arguments", "show this help message")


def parsers(parser: argparse.ArgumentParser, path: str = "gongkai") -> list[tuple[str, object]]:
    """Every parser of the command tree with its command line."""
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.extend(parsers(sub, f"{path} {name}"))
    return found


ALL = parsers(_parser())


def test_the_tree_has_every_command():
    names = {path for path, _ in ALL}
    assert {"gongkai report parse", "gongkai fee per-page", "gongkai serve", "gongkai manage"} <= (
        names
    )
    assert len(names) == 22


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[p for p, _ in ALL])
def test_help_is_chinese(path, parser):
    text = parser.format_help()
    assert text.startswith(f"用法：{path} [-h]")
    assert "-h, --help" in text and "显示本帮助并退出" in text
    assert "选项:" in text
    for english in ENGLISH_FIXED:
        assert english not in text, f"{path} 的帮助里有“{english}”"
    # Every argument explains itself, and what one fills in is named in Chinese.
    for action in parser._actions:
        assert action.help, f"{path} 的 {action.option_strings or action.dest} 没有说明"
        if action.metavar:
            assert not re.search(r"[A-Za-z]", action.metavar), f"{path}：{action.metavar}"
        elif action.nargs != 0 and action.option_strings and not action.choices:
            pytest.fail(f"{path} 的 {action.option_strings[0]} 需要中文的参数名（metavar）")


def test_help_columns_line_up_by_display_width(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--help"])
    assert exit_.value.code == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  --")]
    helps = {line.split()[0]: line for line in lines}
    # “--host 地址” is 9 characters but 11 columns; its help starts where the others' do.
    starts = {
        opt: display_width(line[: line.index(text)])
        for opt, line, text in [
            ("--host", helps["--host"], "监听地址"),
            ("--port", helps["--port"], "端口（"),
            ("--access-log", helps["--access-log"], "访问日志"),
            ("--dev", helps["--dev"], "用 Django"),
        ]
    }
    assert len(set(starts.values())) == 1, starts


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "parse"], "gongkai report parse：错误：缺少必需的参数：文件"),
        (["nope"], "gongkai：错误：参数 命令：没有 'nope' 这一项（可选：'report', 'deadline'"),
        (["serve", "--port", "x"], "gongkai serve：错误：参数 --port：'x' 不是整数"),
        (["serve", "--port"], "gongkai serve：错误：参数 --port：需要一个值"),
        (["serve", "--d"], "gongkai serve：错误：选项 --d 不明确，可能是：--demo, --dev"),
        (["deadline", "2025-06-16", "--bogus"], "gongkai：错误：无法识别的参数：--bogus"),
        (
            ["rotate-keys", "--batch-size", "0"],
            "gongkai rotate-keys：错误：参数 --batch-size：应为正整数，而不是“0”",
        ),
    ],
)
def test_errors_are_chinese(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：gongkai")
    assert message in err
    assert "error:" not in err and "usage:" not in err


def test_message_patterns():
    assert argparse_message("argument --nth: expected at least one argument") == (
        "参数 --nth：至少需要一个值"
    )
    assert argparse_message("one of the arguments --a --b is required") == (
        "须给出以下参数之一：--a --b"
    )
    assert argparse_message("argument --x: invalid _day value: '2025-13-01'") == (
        "参数 --x：'2025-13-01' 不是有效的值"
    )
    assert argparse_message("已是中文的说明") == "已是中文的说明"


def figures(line: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.])", line)]


def test_parse_prints_titled_tables(capsys):
    """Figures as published in 青岛市人民政府2024年政府信息公开工作年度报告 (examples)."""
    assert main(["report", "parse", str(EXAMPLES / "qingdao-2024.txt")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()

    def row(title: str) -> list[int]:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
        own = figures(lines[at].strip()[len(title) :])
        return own or figures(lines[at + 1])  # a long title stands on its own line

    assert "表三　收到和处理政府信息公开申请情况（按申请人类型）" in out
    head = next(line for line in lines if "自然人" in line)
    assert head.split() == [
        *("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    ]
    assert row("一、本年新收政府信息公开申请数量") == [10264, 242, 2, 6, 31, 27, 10572]
    assert row("二、上年结转政府信息公开申请数量") == [266, 4, 0, 0, 2, 4, 276]
    assert row("四、结转下年度继续办理") == [321, 8, 0, 0, 6, 4, 339]
    # The outcome groups are headings, their items indented under them.
    at = lines.index("  （三）不予公开")
    assert lines[at + 1].startswith("    1.属于国家秘密")
    long_title = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert row(long_title) == [67, 1, 0, 0, 0, 1, 69]
    # 表四: 行政复议 355 维持, 24 纠正, 77 其他, 52 尚未审结, 508 in all.
    assert row("行政复议") == [355, 24, 77, 52, 508]
    assert "表二　主动公开政府信息情况" in out
    assert row("规章") == [2, 7, 115]
    # No row keys of the data format (new, carried_in, denied_1 …) on screen.
    assert not re.search(r"\b(new|carried_in|denied_\d|total)\b", out)
    assert "版式：每格一行" in lines[0]


def test_check_reports_in_chinese(monkeypatch, capsys):
    from django.core import checks

    found = [
        checks.Warning("SESSION_COOKIE_SECURE is not set to True. …", id="security.W012"),
        checks.Error("数据目录 /srv/gk 不可写", hint="检查目录权限", id="gongkai.E010"),
    ]
    monkeypatch.setattr(checks, "run_checks", lambda **kw: found)
    assert main(["check", "--deploy"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "[错误] gongkai.E010：数据目录 /srv/gk 不可写",
        "    处理办法：检查目录权限",
        "[警告] security.W012：会话 Cookie 未限定只经 HTTPS 发送，可能在网络中被截获",
        "    处理办法：部署在 HTTPS 之后时设置 GONGKAI_HTTPS=1"
        "（启用安全 Cookie、HSTS 与 https 跳转）",
        "配置检查发现 2 个问题。",
    ]
    monkeypatch.setattr(checks, "run_checks", lambda **kw: [])
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "配置检查未发现问题。\n"
