"""Third-party warnings never reach the terminal, and ``-q`` prints only the summary line.

The input that made pdfminer print a line per font ("Could not get FontBBox from font descriptor
...", 162 lines for a PDF printed from a browser) is rebuilt here: the zoo's PDF with the FontBBox
entries blanked out (same length, so the cross-reference table stays right). PDFs are read by pdfium
unless it cannot decide a page, when pdfminer (through pdfplumber) reads it: these tests force that
reader (``GKCHECK_PDF_ENGINE=pdfplumber``), the one that logs."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from web_helpers import CLEAN, DEFECTIVE, child_env, load, pdf_file

from checker import check
from checker.ingest import parse_document
from checker.quiet import LIBRARY_LOGGERS, quiet_libraries


def without_fontbbox(pdf: bytes) -> bytes:
    blanked, n = re.subn(rb"/FontBBox\s*\[[^\]]*\]", lambda m: b" " * len(m.group(0)), pdf)
    assert n >= 1
    return blanked


NOISY_ENGINE = {"GKCHECK_PDF_ENGINE": "pdfplumber"}


@pytest.fixture(autouse=True)
def _noisy_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in NOISY_ENGINE.items():
        monkeypatch.setenv(key, value)


@pytest.fixture(scope="module")
def noisy_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quiet") / "printed.pdf"
    path.write_bytes(without_fontbbox(pdf_file(load(DEFECTIVE))))
    return path


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args), "--no-config"], env=child_env(),
                          capture_output=True, text=True, timeout=300, check=False, cwd=cwd)


def test_the_pdf_makes_pdfminer_warn(noisy_pdf: Path) -> None:
    """The input is a real trigger: pdfminer logs FontBBox warnings while reading it."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("pdfminer")
    saved = logger.level, logger.propagate
    handler = Keep(logging.WARNING)
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        parse_document(noisy_pdf.read_bytes(), noisy_pdf.name)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
    assert any("FontBBox" in r.getMessage() for r in records)


def test_cli_prints_no_library_warnings(noisy_pdf: Path) -> None:
    done = run_cli(noisy_pdf, "--exit-zero")
    assert done.returncode == 0
    assert "FontBBox" not in done.stderr and done.stderr == ""
    assert "问题清单" in done.stdout or "GK-T3-010" in done.stdout


def test_quiet_prints_only_the_summary_line(noisy_pdf: Path) -> None:
    done = run_cli(noisy_pdf, "-q")
    assert done.returncode == 1 and done.stderr == ""
    score = check(load(DEFECTIVE)).score.overall  # the defective example's score as the rules give it
    assert done.stdout.splitlines() == [
        f"青禾县市场监督管理局 2024 年度：得分 {score:.1f} / 100，合格，未通过（错误 6、警告 1、提示 0）"]
    done = run_cli(CLEAN, DEFECTIVE, "--quiet")
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("青禾县人民政府 2024 年度：得分 100.0 / 100，优秀，通过")
    assert lines[2] == "共检查 2 份报告，1 份未通过。"


def test_quiet_still_writes_the_other_outputs(tmp_path: Path) -> None:
    done = run_cli(DEFECTIVE, "-q", "--output", f"json={tmp_path / 'r.json'}")
    assert len(done.stdout.splitlines()) == 1 and (tmp_path / "r.json").stat().st_size > 1000


def test_python_warnings_from_readers_do_not_reach_the_terminal(tmp_path: Path) -> None:
    """A library's ``warnings.warn`` while reading (python-docx, pdfplumber ...) is routed away too."""
    script = tmp_path / "warn.py"
    script.write_text(
        "import warnings, sys\n"
        "import checker.ingest as ingest\n"
        "real = ingest.parse_document\n"
        "def noisy(*a, **k):\n"
        "    warnings.warn('a library complains', UserWarning)\n"
        "    return real(*a, **k)\n"
        "ingest.parse_document = noisy\n"
        "real_read = ingest.read_document\n"
        "def read(path, **k):\n"
        "    warnings.warn('a library complains', UserWarning)\n"
        "    return real_read(path, **k)\n"
        "ingest.read_document = read\n"
        "from checker.cli import main\n"
        "main(sys.argv[1:])\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(DEFECTIVE), "-q", "--no-config"], env=child_env(),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1 and "complains" not in done.stderr and done.stderr == ""


def test_library_api_is_quiet_and_restores_logging(noisy_pdf: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import checker

    levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    result = checker.check(noisy_pdf)
    assert result.agency == "青禾县市场监督管理局"
    assert "FontBBox" not in capfd.readouterr().err
    assert {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS} == levels
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with quiet_libraries():
            warnings.warn("inside", UserWarning, stacklevel=1)
        warnings.warn("outside", UserWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["outside"]
