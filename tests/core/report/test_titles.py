"""Every finding code has a Chinese title: pages show the title, never the bare code."""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

from gongkai.core.report import check, compare, parse_text
from gongkai.core.report.render import render_report_html
from gongkai.core.report.synth import random_report
from gongkai.core.report.titles import FINDING_TITLES, UNKNOWN_TITLE, finding_title

SRC = Path(__file__).parents[3] / "src" / "gongkai"
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _called(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def codes_in_source() -> set[str]:
    """Codes passed to ``Finding(...)`` or to a helper that makes one (``_note``,
    ``_sum_finding`` …) anywhere in the report engine and the reports app."""
    found = set()
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in [
            *SRC.joinpath("core", "report").rglob("*.py"),
            *SRC.joinpath("reports").rglob("*.py"),
        ]
    ]
    # codes named by a module constant (GROUP_ONLY = "T3_GROUP_ONLY") and passed by that name
    named = {
        target.id: node.value.value
        for tree in trees
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and CODE.match(node.value.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            if name != "Finding" and "finding" not in name.lower() and name != "_note":
                continue
            found |= {
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and CODE.match(arg.value)
            }
            found |= {
                named[arg.id] for arg in node.args if isinstance(arg, ast.Name) and arg.id in named
            }
    return found


def test_every_code_in_the_source_has_a_title():
    codes = codes_in_source()
    assert {"YOY_JUMP", "T3_BALANCE", "NARRATIVE_PLACEHOLDER", "PDF_PAGE_SKIPPED"} <= codes
    assert sorted(codes - set(FINDING_TITLES)) == []
    assert sorted(set(FINDING_TITLES) - codes) == []  # no title for a code that is gone


def test_titles_are_chinese_and_distinct():
    for code, title in FINDING_TITLES.items():
        assert CJK.search(title) and not re.search(r"[A-Za-z]{2,}", title.replace("PDF", "")), code
    assert len(set(FINDING_TITLES.values())) == len(FINDING_TITLES)


def test_findings_of_real_runs_have_titles():
    """What the engine says of reports in practice: every finding it gives is titled."""
    seen = set()
    for seed in range(30):
        rng = random.Random(seed)  # noqa: S311 - reproducible test data
        old, new = random_report(rng, blank_rate=0.1), random_report(rng, blank_rate=0.1)
        parsed = parse_text(render_report_html(new))
        for f in [*check(new), *compare(old, new).findings, *parsed.findings]:
            seen.add(f.code)
            assert finding_title(f.code) != UNKNOWN_TITLE, f.code
    assert seen
    assert finding_title("YOY_JUMP") == "与上年相比变化过大"
    assert finding_title("NO_SUCH_CODE") == UNKNOWN_TITLE
