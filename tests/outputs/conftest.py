"""Shared helpers for the output, configuration and CI-integration tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "examples" / "clean-report-2024.json"
DEFECTIVE = ROOT / "examples" / "defective-report-2024.json"

Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def gk(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run the CLI in-process: ``gk(*args)`` → (exit code, stdout, stderr); never a traceback."""
    def run(*args: object) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return int(exc.value.code), out, err
    return run


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A folder with a copy of the clean and the defective example (configs are written beside them)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for src in (CLEAN, DEFECTIVE):
        (folder / src.name).write_bytes(src.read_bytes())
    return folder
