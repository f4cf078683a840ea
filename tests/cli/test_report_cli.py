"""The `gongkai report` commands: output, exit status, and no crash on any input."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports"


def test_check_clean_report_exits_0(capsys) -> None:
    assert main(["report", "check", str(EXAMPLES / "boshan-2024.txt")]) == 0
    out = capsys.readouterr().out
    assert "淄博市博山区人民政府 2024年" in out
    assert "通过：勾稽关系无误（错误 0，警告 0）" in out


def test_check_many_files_prints_summary_and_exits_2_on_unusable(capsys) -> None:
    files = sorted(str(p) for p in EXAMPLES.iterdir())
    assert main(["report", "check", "--no-progress", *files]) == 2
    out = capsys.readouterr().out
    assert "| qingdao-2024.txt | 青岛市人民政府 | 2024 | 2021年格式 | 0 | 1 | 通过 |" in out
    assert "| qingdao-workplan-2025.txt | - | - | 非年度报告 | 1 | 0 | 非年报 |" in out
    assert "共 5 份，其中有错误 0 份" in out


def test_check_report_with_errors_exits_1(tmp_path, capsys) -> None:
    text = (EXAMPLES / "jinan-office-2024.txt").read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text(text.replace("(七) 总计\t\t520", "(七) 总计\t\t521"), encoding="utf-8")
    assert main(["report", "check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "[错误] 表三各类申请人合计不符：" in out
    assert "[错误] 表三收结不平衡：" in out
    assert "T3_" not in out  # codes are for --json


def test_gbk_file_is_read(tmp_path, capsys) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((EXAMPLES / "boshan-2024.txt").read_text(encoding="utf-8").encode("gb18030"))
    assert main(["report", "parse", "--json", str(gbk)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "gongkai.annual-report/1"
    assert doc["table3"]["new"]["total"] == 61


def test_parse_json_many_files_is_an_array(capsys) -> None:
    files = [str(EXAMPLES / "boshan-2024.txt"), str(EXAMPLES / "qingdao-eitc-2018.txt")]
    assert main(["report", "parse", "--json", *files]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [d["format"] for d in docs] == ["2021", "pre-2021"]
    assert "table3" not in docs[1]


def test_missing_file_is_a_clear_message(capsys) -> None:
    assert main(["report", "check", "/nonexistent/report.txt"]) == 2
    assert "文件不存在" in capsys.readouterr().out


def test_compare_years(tmp_path, capsys) -> None:
    text = (EXAMPLES / "boshan-2024.txt").read_text(encoding="utf-8")
    older = tmp_path / "boshan-2023.txt"
    older.write_text(
        text.replace("2024年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告"),
        encoding="utf-8",
    )
    assert main(["report", "compare", str(older), str(EXAMPLES / "boshan-2024.txt")]) == 1
    out = capsys.readouterr().out
    assert (
        "[错误] 上下年度结转不衔接：“自然人”列：上年报告结转下年度2件，本年报告上年结转3件" in out
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000))
def test_no_exception_escapes_on_arbitrary_bytes(tmp_path, capsys, data: bytes) -> None:
    f = tmp_path / "any.bin"
    f.write_bytes(data)
    status = main(["report", "check", "--no-progress", str(f)])
    assert status in (0, 1, 2)
    out = capsys.readouterr().out
    assert "内部错误" not in out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_broken_pdf_gets_a_message(tmp_path, capsys, data: bytes) -> None:
    f = tmp_path / "broken.pdf"
    f.write_bytes(b"%PDF-1.4\n" + data)
    assert main(["report", "check", "--no-progress", str(f)]) == 2
    assert "PDF" in capsys.readouterr().out
