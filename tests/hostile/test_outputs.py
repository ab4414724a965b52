"""Hostile tries on what ``gkcheck check`` and ``convert`` print and write (issue 12, items 3, 10, 11, 13).

* Report text with terminal escape sequences (OSC 8 links, title changes, screen clears,
  fake colours), control characters, bidi overrides and rich markup reaches no output raw:
  the terminal (with and without colour), Markdown, JUnit (which must parse), SARIF and
  JSON (which must parse and keep the exact text, escaped), HTML; also in file names and
  in the messages on stderr.
* An output that is an input (the same path, a hard link, a symbolic link; the checked
  report, the previous year's report, the configuration file) is refused before any work,
  exit 2, and the input is left byte for byte as it was.
* Ctrl-C (SIGINT) or SIGTERM while outputs are written: exit 130 (143), one line
  "已中断…", no traceback, no partial output, the previous output files whole, no
  temporary file left; also during start-up.
* A reader that goes away (``| head``): no traceback (in :func:`test_reader_going_away`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

import checker
from hostile.harness import Case, Run, run_case

ROOT = Path(__file__).resolve().parents[2]
DEFECTIVE = ROOT / "examples" / "defective-report-2024.json"
CLEAN = ROOT / "examples" / "clean-report-2024.json"

ATTACK = ("\x1b]8;;http://evil.example/\x07点我\x1b]8;;\x07 \x1b]0;标题被改\x07\x1b[2J\x1b[5;31m假红\x1b[0m "
          "\u202e反转\u202c [bold red]红[/bold red] \x00空 \x9b31m \u200b <script>x</script> [l](http://x)")
AGENCY = "某局" + ATTACK
SHOWN = "[bold red]红[/bold red]"  # markup in report text is shown as it is

# What no output may hold raw: C0 but \t \n, DEL, C1, format characters (bidi ...), U+2028/9.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours


def _unsafe(text: str) -> list[str]:
    return sorted({c for c in text if _UNSAFE.match(c) or unicodedata.category(c) == "Cf"})


def _evil(folder: Path, name: str = "evil.json") -> str:
    """The defective example with the attack in its agency name, title and every section."""
    doc = json.loads(DEFECTIVE.read_text(encoding="utf-8"))
    doc["agency"]["name"] = AGENCY
    doc["title"] = "标题" + ATTACK
    for part in doc["sections"].values():
        if isinstance(part, dict) and isinstance(part.get("text"), str):
            part["text"] += ATTACK
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return name


def _clean(text: str, where: str) -> None:
    assert not _unsafe(text), f"{where}: raw {_unsafe(text)!r}"


# ----------------------------------------------------------------------------------- item 10


def _terminal(colour: bool) -> Callable[[Run, Path], None]:
    def check(run: Run, folder: Path) -> None:
        out = run.stdout
        if colour:
            assert "\x1b[" in out, "colours were asked for"
            assert "\x1b[5;31m" not in out and "\x1b]" not in out
            out = _SGR.sub("", out)
        _clean(out, "stdout")
        _clean(run.stderr, "stderr")
        assert "某局点我" in out and SHOWN in out and "反转" in out
    return check


def _markdown(run: Run, folder: Path) -> None:
    _clean(run.stdout, "markdown")
    assert "某局点我" in run.stdout and r"\[bold red\]红\[/bold red\]" in run.stdout
    assert "<script>" not in run.stdout and "&lt;script&gt;" in run.stdout
    assert "](http://x)" in run.stdout and r"\[l\](http://x)" in run.stdout  # no link


def _junit(run: Run, folder: Path) -> None:
    _clean(run.stdout, "junit")
    root = ET.fromstring(run.stdout.encode("utf-8"))
    agency = next(p.get("value") for p in root.iter("property") if p.get("name") == "agency")
    assert agency.startswith("某局点我") and SHOWN in agency


def _json_like(path: Callable[[dict], str]) -> Callable[[Run, Path], None]:
    def check(run: Run, folder: Path) -> None:
        _clean(run.stdout, "json")
        assert path(json.loads(run.stdout)) == AGENCY  # the exact text, escaped in the file
    return check


def _html(run: Run, folder: Path) -> None:
    _clean(run.stdout, "html")
    assert "<script" not in run.stdout.lower() and "&lt;script&gt;" in run.stdout
    assert "某局点我" in run.stdout and SHOWN in run.stdout


def _all_files(run: Run, folder: Path) -> None:
    _terminal(False)(run, folder)
    for name in ("r.md", "r.xml", "r.sarif", "r.json", "r.html", "r.txt"):
        text = (folder / name).read_text(encoding="utf-8")
        _clean(text, name)
        assert "某局点我" in text or "某局\\u001b" in text, name
    ET.parse(folder / "r.xml")
    json.loads((folder / "r.sarif").read_text(encoding="utf-8"))
    assert json.loads((folder / "r.json").read_text(encoding="utf-8"))["results"][0]["report"]["agency"] == AGENCY
    assert SHOWN in (folder / "r.txt").read_text(encoding="utf-8")


def _file_name_attack(folder: Path) -> Sequence[str]:
    shutil.copy(DEFECTIVE, folder / "e\x1b]0;t\x07\x1b[2J\u202ev.json")
    (folder / "bad\x1b[2J\x1b]8;;http:x\x07.json").write_text("{", encoding="utf-8")
    return ["check", "e\x1b]0;t\x07\x1b[2J\u202ev.json", "bad\x1b[2J\x1b]8;;http:x\x07.json", "--color", "never",
            "--output", "junit=r.xml", "--output", "markdown=r.md"]


def _file_names(run: Run, folder: Path) -> None:
    _clean(run.stdout, "stdout")
    _clean(run.stderr, "stderr")
    assert "et2Jv.json" not in run.output and "e2Jv.json" not in run.output  # the whole sequence went
    assert "ev.json" in run.stdout and "bad.json" in run.stderr
    ET.parse(folder / "r.xml")
    _clean((folder / "r.md").read_text(encoding="utf-8"), "r.md")


# ----------------------------------------------------------------------------------- item 13


def _link(kind: str, target: str, link: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (os.link if kind == "hard" else os.symlink)(folder / target if kind == "hard" else target, folder / link)
    return make


def _untouched(*names: str) -> Callable[[Run, Path], None]:
    """The inputs are byte for byte the examples they were copied from."""
    def check(run: Run, folder: Path) -> None:
        for name in names:
            source = CLEAN if name.startswith("clean") else DEFECTIVE
            assert (folder / name).read_bytes() == source.read_bytes(), f"{name} was changed"
        assert not list(folder.glob(".*.tmp")), "a temporary file was left"
    return check


def _inputs(folder: Path, *links: tuple[str, str, str]) -> None:
    shutil.copy(DEFECTIVE, folder / "defective.json")
    shutil.copy(CLEAN, folder / "clean.json")
    for kind, target, link in links:
        _link(kind, target, link)(folder)


def _overwrite_case(case_id: str, links: Sequence[tuple[str, str, str]], args: Sequence[str],
                    message: Sequence[str], *, en: bool = False) -> Case:
    def build(folder: Path) -> Sequence[str]:
        _inputs(folder, *links)
        return list(args)
    common = ("are the same file", "not overwritten") if en else ("是同一个文件", "为避免覆盖原文件")
    return Case(case_id, build, exit=2, message=(*common, *message), seconds=30, memory_mb=700,
                check=_untouched("defective.json", "clean.json"))


def _config(folder: Path) -> Sequence[str]:
    _inputs(folder)
    (folder / "gkcheck.toml").write_text('ignore = ["GK-S-104"]\n', encoding="utf-8")
    os.link(folder / "gkcheck.toml", folder / "settings.toml")
    return ["check", "defective.json", "--output", "json=settings.toml"]


def _config_untouched(run: Run, folder: Path) -> None:
    assert (folder / "gkcheck.toml").read_text(encoding="utf-8") == 'ignore = ["GK-S-104"]\n'


def _through_link(folder: Path) -> Sequence[str]:
    _inputs(folder)
    (folder / "results").mkdir()
    (folder / "results" / "latest.json").write_text("old", encoding="utf-8")
    os.symlink("results/latest.json", folder / "latest-link.json")
    return ["check", "defective.json", "--format", "json", "-o", "latest-link.json"]


def _written_through_link(run: Run, folder: Path) -> None:
    assert (folder / "latest-link.json").is_symlink(), "the link was replaced by a file"
    assert json.loads((folder / "results" / "latest.json").read_text(encoding="utf-8"))["results"]
    _untouched("defective.json")(run, folder)
    assert not list((folder / "results").glob(".*.tmp"))


# ----------------------------------------------------------------------------------- items 3 and 11


def _many(folder: Path, n: int) -> list[str]:
    names = []
    for i in range(n):
        name = f"r{i:03d}.json"
        shutil.copy(DEFECTIVE, folder / name)
        names.append(name)
    return names


def _signal_when(pattern: str, signum: int, *, non_empty: bool) -> Callable[[subprocess.Popen[bytes], Path], None]:
    """Send ``signum`` to the process group once a temporary output file (``pattern``) appears."""
    def during(proc: subprocess.Popen[bytes], folder: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = [p for p in folder.glob(pattern) if not non_empty or _size(p) > 0]
            if found:
                break
            time.sleep(0.005)
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            pass
    return during


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _signal_after(seconds: float, signum: int) -> Callable[[subprocess.Popen[bytes], Path], None]:
    def during(proc: subprocess.Popen[bytes], folder: Path) -> None:
        time.sleep(seconds)
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            pass
    return during


OLD = "the previous run's complete output\n"


def _old_outputs(*names: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for name in names:
            (folder / name).write_text(OLD, encoding="utf-8")
    return make


def _kept(*names: str) -> Callable[[Run, Path], None]:
    def check(run: Run, folder: Path) -> None:
        assert run.stderr.strip().count("\n") <= 1, f"more than one line:\n{run.stderr}"
        for name in names:
            assert (folder / name).read_text(encoding="utf-8") == OLD, f"{name} is not the previous output"
        leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
        assert not leftovers, f"temporary files left: {leftovers}"
    return check


def _interrupt_case(case_id: str, n: int, args: Sequence[str], outputs: Sequence[str], during: Callable,
                    exit: int = 130, seconds: float = 40) -> Case:
    def build(folder: Path) -> Sequence[str]:
        _old_outputs(*outputs)(folder)
        return ["check", *_many(folder, n), *args]
    return Case(case_id, build, exit=exit, message=("已中断", "未写完的输出文件保持原样"), seconds=seconds, memory_mb=900,
                during=during, check=_kept(*outputs))


def _startup(folder: Path) -> Sequence[str]:
    _old_outputs("r.html")(folder)
    return ["check", *_many(folder, 3), "--format", "html", "-o", "r.html"]


# ----------------------------------------------------------------------------------- the matrix


def _formats(fmt: str, *extra: str) -> Callable[[Path], Sequence[str]]:
    return lambda folder: ["check", _evil(folder), "--format", fmt, *extra]


CASES = [
    # item 10: report text reaches no output raw
    Case("text-color-never", _formats("text", "--color", "never"), exit=1, seconds=30, memory_mb=700,
         check=_terminal(False)),
    Case("text-color-default", _formats("text"), exit=1, seconds=30, memory_mb=700, check=_terminal(False),
         env={"NO_COLOR": ""}),
    Case("text-color-always", _formats("text", "--color", "always"), exit=1, seconds=30, memory_mb=700,
         check=_terminal(True)),
    Case("text-explain-score-en", _formats("text", "--explain-score", "--lang", "en", "--color", "always"), exit=1,
         seconds=30, memory_mb=700, check=_terminal(True)),
    Case("markdown", _formats("markdown"), exit=1, seconds=30, memory_mb=700, check=_markdown),
    Case("junit", _formats("junit"), exit=1, seconds=30, memory_mb=700, check=_junit),
    Case("junit-en", _formats("junit", "--lang", "en"), exit=1, seconds=30, memory_mb=700, check=_junit),
    Case("sarif", _formats("sarif"), exit=1, seconds=30, memory_mb=700,
         check=_json_like(lambda d: d["runs"][0]["properties"]["reports"][0]["agency"])),
    Case("json", _formats("json"), exit=1, seconds=30, memory_mb=700,
         check=_json_like(lambda d: d["results"][0]["report"]["agency"])),
    Case("html", _formats("html"), exit=1, seconds=30, memory_mb=700, check=_html),
    Case("every-format-to-files",
         lambda folder: ["check", _evil(folder), "--color", "never", "--output", "markdown=r.md", "--output",
                         "junit=r.xml", "--output", "sarif=r.sarif", "--output", "json=r.json", "--output",
                         "html=r.html", "--output", "text=r.txt"],
         exit=1, seconds=30, memory_mb=700, check=_all_files),
    Case("convert-json-is-escaped", lambda folder: ["convert", _evil(folder)], exit=0, seconds=30, memory_mb=700,
         check=_json_like(lambda d: d["agency"]["name"])),
    Case("file-names-with-escape-sequences", _file_name_attack, exit=2, seconds=30, memory_mb=700,
         message=("无法读取",), check=_file_names),
    # item 13: an output that is an input is refused (compared by inode)
    _overwrite_case("o-hard-link-of-report", [("hard", "defective.json", "link.json")],
                    ["check", "defective.json", "-o", "link.json"], ["互为硬链接"]),
    _overwrite_case("o-symlink-to-report", [("sym", "defective.json", "link.json")],
                    ["check", "defective.json", "-o", "link.json"], ["经由符号链接"]),
    _overwrite_case("o-same-path-other-spelling", [],
                    ["check", "defective.json", "--format", "json", "-o", "./sub/../defective.json"], []),
    _overwrite_case("output-format-hard-link", [("hard", "clean.json", "link.json")],
                    ["check", "defective.json", "clean.json", "--output", "sarif=link.json"], ["互为硬链接"]),
    _overwrite_case("previous-hard-link", [("hard", "clean.json", "last-year.json")],
                    ["check", "defective.json", "--previous", "clean.json", "-o", "last-year.json"],
                    ["上一年度的报告"]),
    _overwrite_case("convert-o-hard-link", [("hard", "defective.json", "link.json")],
                    ["convert", "defective.json", "-o", "link.json"], ["被转换的报告"]),
    _overwrite_case("convert-o-symlink", [("sym", "defective.json", "link.json")],
                    ["convert", "defective.json", "-o", "link.json"], ["经由符号链接"]),
    _overwrite_case("en-hard-link", [("hard", "defective.json", "link.json")],
                    ["check", "defective.json", "-o", "link.json", "--lang", "en"], ["hard links"], en=True),
    Case("o-hard-link-of-config", _config, exit=2, message=("配置文件", "是同一个文件"), seconds=30,
         memory_mb=700, check=_config_untouched),
    Case("o-symlink-to-other-file-is-written-through", _through_link, exit=1, seconds=30, memory_mb=700,
         check=_written_through_link),
    Case("o-folder-missing", lambda folder: ["check", str(DEFECTIVE), "-o", "no/such/folder/r.json"], exit=2,
         message=("不存在",), seconds=30, memory_mb=700),
    Case("o-is-a-folder", lambda folder: ["check", str(DEFECTIVE), "-o", "."], exit=2, message=("是一个文件夹",),
         seconds=30, memory_mb=700),
    *(Case(f"{command}-o-symlink-loop", (lambda folder, args=args: (_inputs(folder), os.symlink("b", folder / "a"),
                                                                    os.symlink("a", folder / "b"), args)[-1]),
           exit=2, message=("循环的符号链接",), seconds=30, memory_mb=700,
           check=_untouched("defective.json"))
      for command, args in (("check", ["check", "defective.json", "-o", "a"]),
                            ("output-format", ["check", "defective.json", "--output", "sarif=a"]),
                            ("convert", ["convert", "defective.json", "-o", "a"]),
                            ("annotate", ["check", "defective.json", "--annotate", "a"]))),
    Case("o-dev-stdout", lambda folder: ["check", str(DEFECTIVE), "--format", "json", "-o", "/dev/stdout"], exit=1,
         seconds=30, memory_mb=700, check=lambda run, folder: json.loads(run.stdout)),
    # items 3 and 11: interrupted while writing: exit 130, one line, the previous outputs whole
    _interrupt_case("sigint-while-writing-text", 25, ["--explain-score", "-o", "r.txt"], ["r.txt"],
                    _signal_when(".r.txt.*.tmp", signal.SIGINT, non_empty=True)),
    _interrupt_case("sigint-while-rendering-html", 25, ["--format", "html", "-o", "r.html"], ["r.html"],
                    _signal_when(".r.html.*.tmp", signal.SIGINT, non_empty=False)),
    _interrupt_case("sigint-with-several-outputs", 25,
                    ["--explain-score", "-o", "r.txt", "--output", "junit=r.xml", "--output", "html=r.html"],
                    ["r.txt", "r.xml", "r.html"], _signal_when(".r.html.*.tmp", signal.SIGINT, non_empty=False)),
    _interrupt_case("sigterm-while-writing-text", 25, ["--explain-score", "-o", "r.txt"], ["r.txt"],
                    _signal_when(".r.txt.*.tmp", signal.SIGTERM, non_empty=True), exit=143),
    Case("sigint-during-start-up", _startup, exit=130, message=("已中断",), seconds=30, memory_mb=700,
         during=_signal_after(0.3, signal.SIGINT), check=_kept("r.html")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile(case: Case, tmp_path: Path) -> None:
    run_case(case, tmp_path)


# ----------------------------------------------------------------------------------- a reader going away


@pytest.mark.parametrize(("args", "read"), [
    (["check", "--format", "sarif"], 0),  # the reader is gone before the output begins
    (["check", "--format", "json"], 0),
    (["convert"], 0),
    (["check", "--explain-score", "--color", "always"], 100),  # ... after the first bytes (many writes)
    (["check", "--format", "sarif", "--output", "json=out.json"], 0),  # the files are still written
], ids=["sarif", "json", "convert", "text", "files-still-written"])
def test_reader_going_away(args: list[str], read: int, tmp_path: Path) -> None:
    """``gkcheck ... | head``: the reader closes the pipe; no traceback, no message, exit 141."""
    names = _many(tmp_path, 1 if args == ["convert"] else 8)
    env = {**os.environ, "PYTHONPATH": str(Path(checker.__file__).resolve().parent.parent)}
    with subprocess.Popen([sys.executable, "-m", "checker", args[0], *names, *args[1:]], cwd=tmp_path, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        if read:
            assert proc.stdout.read(read)
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        assert proc.wait(timeout=60) == 141, err
    assert err.strip() == "", err
    if "json=out.json" in args:
        assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["results"]) == 8


# ----------------------------------------------------------------------------------- Ctrl-C inside exec()


def test_an_interrupt_inside_exec_still_exits_130(tmp_path: Path) -> None:
    """CPython 3.11 notes a KeyboardInterrupt that ends an exec() of a string (dataclasses build their methods
    so, while a module is imported), even one caught, and then ends ``python -m`` by SIGINT (-2) instead of
    with its exit code. The audit met it under load: Ctrl-C during a lazy import. The entry point clears it."""
    package = tmp_path / "interrupted"
    package.mkdir()
    (package / "__main__.py").write_text(
        "import sys\n"
        "import checker.cli\n"
        "from checker import __main__ as entry\n"
        "def main():\n"
        "    try:\n"
        "        exec('import os, signal; os.kill(os.getpid(), signal.SIGINT); [0 for _ in range(10**6)]')\n"
        "    except KeyboardInterrupt:\n"
        "        sys.exit(130)\n"
        "checker.cli.main = main\n"
        "entry.run()\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "interrupted"], cwd=tmp_path, env=env, capture_output=True,
                          timeout=60)
    assert done.returncode == 130, done.stderr.decode("utf-8", "replace")
