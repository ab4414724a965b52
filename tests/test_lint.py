"""The linter and the type checker pass on the project (``[tool.ruff]`` and ``[tool.mypy]`` in
pyproject.toml). Both run as modules of the interpreter running the tests (never from PATH),
from the repository root, so they check this checkout whatever copy of ``checker`` is installed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it is in the test extras: pip install '.[test]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def test_ruff_passes() -> None:
    done = _run("ruff", "check", "--no-cache", str(ROOT))
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes() -> None:
    done = _run("mypy", "--config-file", str(ROOT / "pyproject.toml"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_only_the_command_line_and_the_renderers_import_click_and_rich() -> None:
    # the library (engine, run, ingest, audit, web) is usable without a terminal: click and rich are
    # imported by the command-line modules (checker/cli*.py) and the renderers (checker/render/) alone
    import ast

    offenders = []
    for path in sorted((ROOT / "checker").rglob("*.py")):
        rel = path.relative_to(ROOT / "checker").as_posix()
        if rel.startswith("cli") or rel.startswith("render/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("click", "rich") for n in names):
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, offenders
