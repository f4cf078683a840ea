"""The dependency direction of the apps (docs/architecture.md) holds, and the check that
enforces it (import-linter with the contracts in pyproject.toml) does catch a violation."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]


def _lint(cwd: Path, *, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` (this environment's) in ``cwd``, with ``extra_path`` importable."""
    env = {**os.environ}
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(extra_path), env.get("PYTHONPATH", "")])
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--no-logo"]
    return subprocess.run(  # noqa: S603 - a fixed command of this environment
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_the_platform_keeps_its_layers() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def _fake_platform(tmp_path: Path, imports: dict[str, str]) -> Path:
    """A package named like the platform's parts, each part one module; ``imports`` maps a
    part to the part it imports. Written with the platform's own contracts."""
    package = tmp_path / "src" / "fakegongkai"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    parts = [p.strip() for layer in CONTRACTS["contracts"][0]["layers"] for p in
             layer.replace(":", "|").split("|")]  # fmt: skip
    for part in parts:
        body = f"import fakegongkai.{imports[part]}\n" if part in imports else ""
        (package / f"{part}.py").write_text(body)
    config = "\n".join(
        [
            "[importlinter]",
            "root_package = fakegongkai",
            "[importlinter:contract:layers]",
            "name = layers",
            "type = layers",
            "containers = fakegongkai",
            "exhaustive = true",
            "layers =",
            *[f"    {layer}" for layer in CONTRACTS["contracts"][0]["layers"]],
        ]
    )
    (tmp_path / ".importlinter").write_text(config + "\n")
    return tmp_path / "src"


@pytest.mark.parametrize(
    ("imports", "why"),
    [
        ({"core": "cases"}, "an upward import (the pure core importing cases)"),
        ({"cases": "letters"}, "cases importing an app built on it"),
        ({"letters": "reports", "reports": "letters"}, "a cycle between sibling apps"),
        ({"accounts": "rules"}, "a sideways import between independent apps"),
    ],
)
def test_the_check_catches(tmp_path: Path, imports: dict[str, str], why: str) -> None:
    src = _fake_platform(tmp_path, imports)
    result = _lint(tmp_path, extra_path=src)
    assert result.returncode == 1, f"{why} went unnoticed:\n{result.stdout}{result.stderr}"
    assert "BROKEN" in result.stdout
    importer, imported = next(iter(imports.items()))
    assert f"fakegongkai.{importer} -> fakegongkai.{imported}" in result.stdout


def test_a_clean_fake_platform_passes(tmp_path: Path) -> None:
    src = _fake_platform(tmp_path, {"cases": "core", "api": "cases"})
    result = _lint(tmp_path, extra_path=src)
    assert result.returncode == 0, result.stdout + result.stderr
