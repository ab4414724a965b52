"""The fuzz run in the suite: generated hostile report files through check (in-process and CLI) and audit.

Small enough for CI (the big run is ``benchmarks/fuzz_hostile.py``). The files come from
``tests/hostile/fuzz.py``; a failure names its (seed, index) and kind, and
``python tests/hostile/fuzz.py SEED INDEX --kind KIND --check`` writes and checks that file.

* in-process: 20 files of every generator kind (380, Word and PDF included), read, validated,
  checked and rendered in every format as ``gkcheck check`` does, each in a worker process
  bounded to 30 s and 1,500 MB: no exception but ``GkcheckError`` (nor one a reader raised and
  the dispatcher turned into "damaged"), no unsafe output;
* CLI: 12 files per format (text with ``--color never``, json, markdown, junit, sarif): exit
  code 0/1/2, no traceback or "internal error", no ESC or control characters in terminal text,
  Markdown or stderr, JUnit that parses as XML, JSON and SARIF that parse;
* audit: 190 files (10 of every kind) in one ``gkcheck audit -j 2``: exit code 0/1/2, every
  file checked or listed in problems.csv, and no problem row that hides a crash.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from hostile.fuzz import (
    KINDS,
    Outcome,
    cli_problems,
    generate,
    job,
    outcome_failures,
    output_problems,
    run_audit,
    run_isolated,
)
from hostile.harness import INTERNAL_ERROR_MARKS, run_gkcheck

SEED = 20261207
PER_KIND = 20
OFFICE_KINDS = frozenset({"docx-strings", "docx-structure", "pdf-strings", "pdf-structure"})
CLI_FORMATS = ("text", "json", "markdown", "junit", "sarif")
PER_FORMAT = 12
AUDIT_PER_KIND = 10
SECONDS = 30.0
MEMORY_MB = 1500.0
KIND_NAMES = sorted(KINDS)


def test_samples_are_reproducible_from_seed_and_index() -> None:
    for index in range(30):
        a, b = generate(SEED, index), generate(SEED, index)
        assert (a.kind, a.name, a.data, a.detail) == (b.kind, b.name, b.data, b.detail)
        assert generate(SEED, index, a.kind).data == a.data  # forcing the kind it drew changes nothing
    assert len({generate(SEED, i).data for i in range(30)}) == 30
    for kind in sorted(OFFICE_KINDS):  # the Word and PDF builders too (python-docx, reportlab, pypdf stamp no time)
        a, b = generate(SEED, 7, kind), generate(SEED, 7, kind)
        assert (a.name, a.data, a.detail) == (b.name, b.data, b.detail)
        assert a.name.endswith(".docx" if kind.startswith("docx") else ".pdf")


def test_the_output_checks_catch_what_they_look_for() -> None:
    assert output_problems("text", "报告\n\t得分 90\r\n") == []
    assert output_problems("text", "机关\x1b]8;;http://x\x1b\\链接") == ["text:escape"]
    assert output_problems("markdown", "a\x00b\x9bc") == ["markdown:control"]
    assert output_problems("stderr", "\u202e") == ["stderr:bidi"]
    assert output_problems("json", '{"a": "\\ud800"}')[0].startswith("json:invalid-json")
    assert output_problems("sarif", "{\"a\": 1}") == []
    assert output_problems("junit", "<testsuite><testcase name='a'/></testsuite>") == []
    assert output_problems("junit", "<testsuite name='\x01'/>")[0].startswith("junit:invalid-xml")
    assert output_problems("html", "<p>\udc00</p>") == ["html:unencodable"]


@pytest.fixture(scope="module")
def in_process() -> dict[str, list[Outcome]]:
    jobs = [job(SEED, i, kind) for kind in KIND_NAMES for i in range(PER_KIND)]
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in run_isolated(jobs, seconds=SECONDS, memory_mb=MEMORY_MB):
        by_kind[outcome.kind].append(outcome)
    return by_kind


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_check_in_process(kind: str, in_process: dict[str, list[Outcome]]) -> None:
    outcomes = in_process[kind]
    assert len(outcomes) == PER_KIND
    failures = [line for o in outcomes for line in outcome_failures(o)]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:25])


@pytest.mark.parametrize("fmt", CLI_FORMATS)
def test_check_cli(fmt: str, tmp_path: Path) -> None:
    failures = []
    for j in range(PER_FORMAT):
        sample = generate(SEED, 1000 + j, KIND_NAMES[(j + CLI_FORMATS.index(fmt) * PER_FORMAT) % len(KIND_NAMES)])
        (tmp_path / sample.name).write_bytes(sample.data)
        args = ["check", sample.name, "--format", fmt, "--color", "never", *(["--lang", "en"] if j % 4 == 3 else [])]
        run = run_gkcheck(args, cwd=tmp_path, seconds=SECONDS)
        where = f"{sample.key} {sample.kind} ({sample.detail[:120]})"
        if run.killed:
            failures.append(f"{where}: still running after {SECONDS:.0f} s")
        if run.returncode not in (0, 1, 2):
            failures.append(f"{where}: exit code {run.returncode}")
        if run.peak_mb > MEMORY_MB:
            failures.append(f"{where}: peak memory {run.peak_mb:.0f} MB")
        marks = [m for m in INTERNAL_ERROR_MARKS if m in run.output]
        if marks:
            failures.append(f"{where}: {marks[0]!r}: {run.output.strip().splitlines()[-1][:200]}")
        failures += [f"{where}: {p}" for p in cli_problems(fmt, run)]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_audit(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = []
    for j in range(AUDIT_PER_KIND * len(KIND_NAMES)):
        sample = generate(SEED, 2000 + j, KIND_NAMES[j % len(KIND_NAMES)])
        (folder / sample.name).write_bytes(sample.data)
        names.append(sample.name)
    audit = run_audit([folder], tmp_path / "out", jobs=2, seconds=600)
    tail = "\n".join(audit.run.output.strip().splitlines()[-5:])
    assert not audit.run.killed, "the audit was still running after 600 s"
    assert audit.run.returncode in (0, 1, 2), f"exit code {audit.run.returncode}:\n{tail}"
    assert not any(m in audit.run.output for m in INTERNAL_ERROR_MARKS), tail
    missing = audit.unaccounted(names)
    assert not missing, f"{len(missing)} of {len(names)} files neither checked nor in problems.csv: {missing[:10]}"
    hidden = audit.hidden_crashes()
    assert not hidden, f"{len(hidden)} crashes listed as unreadable:\n" + "\n".join(f"{n}: {r[:200]}" for n, r in hidden)


@pytest.mark.parametrize(("seed", "index"), [(2, 424), (2, 544)])
def test_a_damaged_pdfs_refusal_prints_no_control_character(seed: int, index: int) -> None:
    """A PDF whose stream flips leave a C1 byte in pdfminer's exception (``Non-Ascii85 digit found: \\x9a``):
    the refusal quotes the exception with that character escaped, in both languages."""
    from checker.errors import InputError
    from checker.ingest import parse_document

    sample = generate(seed, index, "pdf-structure")
    with pytest.raises(InputError) as caught:
        parse_document(sample.data, sample.name)
    for message in (caught.value.zh, caught.value.en):
        assert all(ch.isprintable() for ch in message), message
