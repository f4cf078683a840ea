"""`gongkai deadline` and `gongkai fee`: output, and errors on stderr with exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gongkai.cli import main


@pytest.mark.parametrize(
    ("argv", "out"),
    [
        (["deadline", "2025-09-30"], "2025-11-04\n"),
        (["deadline", "2025-09-26", "--working-days", "7"], "2025-10-13\n"),
        (["deadline", "2026-02-11"], "2026-03-17\n"),
        (["fee", "per-request", "--nth", "11"], "100\n"),
        (["fee", "per-request", "--nth", "10"], "0\n"),
        (["fee", "per-page", "--pages", "101"], "720\n"),
    ],
)
def test_outputs(argv, out, capsys):
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.out == out and captured.err == ""


def test_fee_explain_prints_the_calculation(capsys):
    assert main(["fee", "per-request", "--nth", "31", "--explain"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "200",
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），按件计收。"
        "本月第31件申请（第31—40件档）：1×200元=200元。合计200元。",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["deadline", "2025-02-30"], "日期“2025-02-30”无效"),
        (["deadline", "明天"], "应为 YYYY-MM-DD"),
        (["deadline", "2099-01-05"], "超出工作日历范围"),
        (["deadline", "2025-01-05", "--working-days", "0"], "工作日数应为正整数"),
        (["deadline", "2025-01-05", "--working-days", "二十"], "工作日数应为整数"),
        (["fee", "per-request", "--nth", "0"], "申请序号必须是正整数"),
        (["fee", "per-page", "--pages", "x"], "页数（--pages）应为整数"),
    ],
)
def test_errors_go_to_stderr_with_status_2(argv, message, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err


def test_console_script_runs():
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "deadline", "2025-01-24"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "2025-02-27\n")
