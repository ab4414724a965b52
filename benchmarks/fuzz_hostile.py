"""The hostile fuzz run: N generated hostile report files through check (in-process and CLI) and audit.

    python benchmarks/fuzz_hostile.py                         # 10,000 files, 500 through the CLI, one audit
    python benchmarks/fuzz_hostile.py --docs 2000 --cli 200 --out fuzz.json
    python benchmarks/fuzz_hostile.py --docs 1000 --kinds docx-strings,docx-structure,pdf-strings,pdf-structure

The files come from ``tests/hostile/fuzz.py`` (``generate(seed, index)``: lone surrogates, huge
numbers, control characters and escape sequences, deep nesting, duplicate keys, wrong types,
long strings, Unicode oddities, damaged bytes, hostile Markdown and HTML, hostile strings in Word
and PDF reports, damaged Word packages and PDFs; ``--kinds`` for some kinds only), so every failure is
regenerated from its (seed, index): ``python tests/hostile/fuzz.py SEED INDEX --check`` (with
``--kind KIND`` for a run with ``--kinds``).

Three passes:

* **check, in-process** — every file, read, validated, checked and rendered in every output
  format as ``gkcheck check`` does (``fuzz.check_in_process``), in worker processes that are
  killed when one file takes more than ``--seconds`` or more than ``--memory-mb`` of resident
  memory (the peak is reset before each file and read after it);
* **check, CLI** — a sample of ``--cli`` files through ``python -m checker check FILE --format F
  --color never`` (text, json, markdown, junit, sarif, html; some with ``--lang en``) and
  ``convert``, with the same bounds;
* **audit** — all files in one ``gkcheck audit -j JOBS`` (one sub-folder per generator kind;
  when the whole audit fails, one audit per kind as well, to tell which kinds stop it).

Counted as failures: internal errors (an exception other than ``GkcheckError`` in-process, a
traceback or "internal error" from the CLI, an audit problem row that hides a crash: "读取时出错"
/ "检查时出错"), unbounded runs (time or memory over the bounds), output-safety violations (ESC
or control characters in terminal text, Markdown or stderr; JUnit that is not XML; JSON/SARIF/
converted documents that strict JSON parsers refuse; a lone surrogate that cannot be written),
CLI exit codes outside 0/1/2, audit inputs accounted for nowhere (neither checked nor in
problems.csv), CSV cells an spreadsheet would run as a formula, and files that check scores
but audit lists as a problem or the other way round. Advisory, not counted: bidi controls in
terminal output, Python warnings printed on stderr.

Prints a summary (counts by generator kind and by failure kind, the largest seconds and MB
per document) and the failures (seed, index, kind, failure kind, first line of the error);
``--out FILE`` writes all of it as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from hostile.fuzz import (
    KINDS,
    AuditRun,
    Job,
    Outcome,
    cli_problems,
    generate,
    is_advisory,
    job,
    run_audit,
    run_isolated,
)
from hostile.harness import INTERNAL_ERROR_MARKS, run_gkcheck

CLI_FORMATS = ("text", "json", "markdown", "junit", "sarif", "html", "convert")


@dataclass
class Failure:
    seed: int
    index: int  # -1: not one file's (an audit as a whole, a CSV cell)
    kind: str  # the generator kind
    failure: str  # what went wrong, e.g. "internal-error", "unbounded-time", "output:text:escape"
    error: str  # the first line of the error, or what the sample holds
    signature: str = ""  # for internal errors: stage, exception type and innermost gkcheck frame
    frames: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- in-process pass


def kind_for(kinds: tuple[str, ...], index: int) -> str | None:
    """The kind file ``index`` is made of: round-robin over ``kinds`` (``--kinds``), else the weighted draw."""
    return kinds[index % len(kinds)] if kinds else None


def jobs_for(seed: int, n: int, kinds: tuple[str, ...] = ()) -> list[Job]:
    """Every file, as ``fuzz.job`` says (some in English, some with ``--previous``)."""
    return [job(seed, i, kind_for(kinds, i)) for i in range(n)]


def failures_of(o: Outcome) -> list[Failure]:
    seed, index, kind = o.job.seed, o.job.index, o.kind
    out = []
    if o.status == "crashed":
        out.append(Failure(seed, index, kind, "internal-error", f"{o.error_type}: {o.error}", o.signature, o.frames))
    elif o.status.startswith("unbounded"):
        out.append(Failure(seed, index, kind, o.status, f"{o.seconds:.1f} s, {o.mb:.0f} MB: {o.detail}"))
    for problem in dict.fromkeys(o.problems):
        if problem.startswith("warning:"):
            out.append(Failure(seed, index, kind, "advisory:python-warning", problem))
        elif is_advisory(problem):
            out.append(Failure(seed, index, kind, "advisory:output:" + problem, o.detail[:200]))
        else:
            out.append(Failure(seed, index, kind, "output:" + problem.split(" (")[0], f"{problem}: {o.detail[:200]}"))
    return out


def _progress(done: int, total: int) -> None:
    if done % 250 == 0 or done == total:
        print(f"  check: {done:,}/{total:,}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- CLI pass


def cli_pass(seed: int, n: int, count: int, seconds: float, memory_mb: float, folder: Path,
             failures: list[Failure], kinds: tuple[str, ...] = ()) -> dict[str, Any]:
    """A sample of ``count`` files through ``python -m checker`` in rotating formats (and ``convert``)."""
    picks = sorted(random.Random(f"cli:{seed}").sample(range(n), min(count, n)))
    folder.mkdir(parents=True, exist_ok=True)
    worst = {"seconds": 0.0, "mb": 0.0}
    exits: Counter[int] = Counter()
    for i, index in enumerate(picks):
        sample = generate(seed, index, kind_for(kinds, index))
        path = folder / sample.name
        path.write_bytes(sample.data)
        fmt = CLI_FORMATS[i % len(CLI_FORMATS)]
        args = ["convert", path.name] if fmt == "convert" else ["check", path.name, "--format", fmt, "--color", "never"]
        if i % 4 == 3:
            args += ["--lang", "en"]
        run = run_gkcheck(args, cwd=folder, seconds=seconds)
        path.unlink()
        exits[run.returncode] += 1
        worst["seconds"] = max(worst["seconds"], run.seconds)
        worst["mb"] = max(worst["mb"], run.peak_mb)

        def fail(what: str, error: str, sample: Any = sample) -> None:
            failures.append(Failure(seed, sample.index, sample.kind, what, error))

        if run.killed:
            fail("cli-unbounded-time", f"{fmt}: killed after {seconds:.0f} s: {sample.detail[:200]}")
        elif run.returncode not in (0, 1, 2):
            fail("cli-exit-code", f"{fmt}: exit {run.returncode}: {run.stderr.strip()[-200:]}")
        if run.peak_mb > memory_mb:
            fail("cli-unbounded-memory", f"{fmt}: {run.peak_mb:.0f} MB")
        if any(mark in run.output for mark in INTERNAL_ERROR_MARKS):
            lines = [ln for ln in run.output.splitlines() if ln.strip()]
            line = next((ln for ln in lines if any(m in ln for m in INTERNAL_ERROR_MARKS[1:])), lines[-1] if lines else "")
            fail("cli-internal-error", f"{fmt}: {line[:300]}")
        for problem in cli_problems(fmt, run):
            fail("cli-output:" + problem.split(" (")[0], f"{fmt}: {problem}: {sample.detail[:200]}")
    return {"runs": len(picks), "exit_codes": dict(exits), "max_seconds": round(worst["seconds"], 2),
            "max_mb": round(worst["mb"], 1)}


# ----------------------------------------------------------------------------- audit pass


def write_files(seed: int, n: int, folder: Path, kinds: tuple[str, ...] = ()) -> dict[str, tuple[int, str]]:
    """Every file, one sub-folder per generator kind; file name → (index, kind)."""
    names = {}
    for index in range(n):
        sample = generate(seed, index, kind_for(kinds, index))
        sub = folder / sample.kind
        sub.mkdir(parents=True, exist_ok=True)
        (sub / sample.name).write_bytes(sample.data)
        names[sample.name] = (index, sample.kind)
    return names


def _tail(audit: AuditRun) -> str:
    lines = [ln for ln in audit.run.output.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else ""


def audit_pass(seed: int, n: int, jobs: int, seconds: float, memory_mb: float, folder: Path,
               failures: list[Failure], statuses: dict[int, str], kinds: tuple[str, ...] = ()) -> dict[str, Any]:
    """All files in one audit (and one audit per kind when the whole one fails)."""
    names = write_files(seed, n, folder / "in", kinds)
    os.sync()
    whole = run_audit([folder / "in"], folder / "out", jobs=jobs, seconds=seconds)
    run = whole.run
    summary: dict[str, Any] = {"files": n, "exit": run.returncode, "seconds": round(run.seconds, 1),
                               "peak_mb": round(run.peak_mb, 1), "killed": run.killed,
                               "checked": len(whole.checked), "problem_rows": len(whole.problems)}
    if run.peak_mb > memory_mb * 2:
        failures.append(Failure(seed, -1, "*", "audit-unbounded-memory", f"{run.peak_mb:.0f} MB"))
    if not whole.aborted:
        _account(seed, whole, names, failures, statuses)
        return summary
    failures.append(Failure(seed, -1, "*", "audit-aborted", f"exit {run.returncode}"
                            f"{' (killed)' if run.killed else ''}: {_tail(whole)}"))
    summary["per_kind"] = {}
    for sub in sorted((folder / "in").iterdir()):
        part = run_audit([sub], folder / f"out-{sub.name}", jobs=jobs, seconds=seconds)
        summary["per_kind"][sub.name] = {"exit": part.run.returncode, "seconds": round(part.run.seconds, 1),
                                         "aborted": part.aborted, "checked": len(part.checked),
                                         "problem_rows": len(part.problems)}
        if part.aborted:
            failures.append(Failure(seed, -1, sub.name, "audit-aborted",
                                    f"audit of the {sub.name} files: exit {part.run.returncode}: {_tail(part)}"))
        else:
            _account(seed, part, {k: v for k, v in names.items() if v[1] == sub.name}, failures, statuses)
    return summary


def _account(seed: int, audit: AuditRun, names: dict[str, tuple[int, str]], failures: list[Failure],
             statuses: dict[int, str]) -> None:
    """Every input is checked or in problems.csv; hidden crashes; formula cells; check vs audit."""
    listed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, category, reason in audit.problems:
        listed[name].append((category, reason))
    for name in audit.unaccounted(list(names)):
        index, kind = names[name]
        failures.append(Failure(seed, index, kind, "audit-unaccounted", "neither in ranking.csv nor in problems.csv"))
    for name, reason in audit.hidden_crashes():
        index, kind = names.get(name, (-1, "?"))
        failures.append(Failure(seed, index, kind, "audit-internal-error", reason[:300]))
    for name, (index, kind) in names.items():
        in_check, audit_checked = statuses.get(index), name in audit.checked
        duplicate = any(c in ("重复文件", "duplicate") for c, _ in listed.get(name, []))  # checked once, as its twin
        if in_check == "checked" and not audit_checked and name in listed and not duplicate:
            reasons = "; ".join(f"{c}: {r[:120]}" for c, r in listed[name])
            failures.append(Failure(seed, index, kind, "judged-differently", f"check scores it, audit lists: {reasons}"))
        elif in_check == "refused" and audit_checked:
            failures.append(Failure(seed, index, kind, "judged-differently", "check refuses it, audit scores it"))
    for table, cell in dict.fromkeys(audit.formulas):
        failures.append(Failure(seed, -1, "*", f"audit-csv-formula:{table}", cell))


# ----------------------------------------------------------------------------- report


def summarize(args: argparse.Namespace, outcomes: list[Outcome], failures: list[Failure],
              cli: dict[str, Any], audit: dict[str, Any], seconds: float) -> dict[str, Any]:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    worst: dict[str, dict[str, float]] = defaultdict(lambda: {"seconds": 0.0, "mb": 0.0})
    for o in outcomes:
        by_kind[o.kind][o.status] += 1
        by_kind[o.kind]["files"] += 1
        worst[o.kind]["seconds"] = max(worst[o.kind]["seconds"], round(o.seconds, 2))
        worst[o.kind]["mb"] = max(worst[o.kind]["mb"], round(o.mb, 1))
    docs_with: dict[str, set[int]] = defaultdict(set)
    for fl in failures:
        docs_with[fl.failure].add(fl.index)
    failing_docs: dict[str, set[int]] = defaultdict(set)
    for fl in failures:
        if not fl.failure.startswith("advisory:") and fl.index >= 0:
            failing_docs[fl.kind].add(fl.index)
    signatures: dict[str, dict[str, Any]] = {}
    for fl in failures:
        if fl.failure == "internal-error":
            entry = signatures.setdefault(fl.signature, {"count": 0, "kinds": Counter(), "first": [fl.seed, fl.index],
                                                         "error": fl.error, "frames": fl.frames})
            entry["count"] += 1
            entry["kinds"][fl.kind] += 1
    return {
        "params": {"docs": args.docs, "seed": args.seed, "kinds": args.kinds or "all", "cli": args.cli, "audit": not args.no_audit,
                   "jobs": args.jobs, "workers": args.workers, "seconds": args.seconds, "memory_mb": args.memory_mb},
        "seconds": round(seconds, 1),
        "by_kind": {k: {**dict(v), "failing": len(failing_docs.get(k, ())), **worst[k]} for k, v in sorted(by_kind.items())},
        "by_failure": {k: {"occurrences": sum(1 for f in failures if f.failure == k), "files": len(v - {-1})}
                       for k, v in sorted(docs_with.items())},
        "max_seconds": round(max((o.seconds for o in outcomes), default=0.0), 2),
        "max_mb": round(max((o.mb for o in outcomes), default=0.0), 1),
        "internal_error_causes": {k: {**v, "kinds": dict(v["kinds"])} for k, v in
                                  sorted(signatures.items(), key=lambda kv: -kv[1]["count"])},
        "cli": cli,
        "audit": audit,
        "failures": [asdict(f) for f in failures],
    }


def print_report(report: dict[str, Any], show: int) -> None:
    cols = ("files", "checked", "refused", "crashed", "unbounded-time", "unbounded-memory", "failing", "seconds", "mb")
    print(f"\n## Fuzz run: {report['params']['docs']:,} files, seed {report['params']['seed']}, "
          f"{report['seconds']:.0f} s\n")
    print("| kind | " + " | ".join(c if c not in ("seconds", "mb") else f"max {c}" for c in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    total: Counter[str] = Counter()
    for kind, row in report["by_kind"].items():
        print(f"| {kind} | " + " | ".join(str(row.get(c, 0)) for c in cols) + " |")
        total.update({c: row.get(c, 0) for c in cols[:-2]})
    print("| **all** | " + " | ".join(str(total[c]) for c in cols[:-2]) +
          f" | {report['max_seconds']:.2f} | {report['max_mb']:.0f} |")
    print("\n| failure kind | occurrences | files |\n|---|---:|---:|")
    for name, row in report["by_failure"].items():
        print(f"| {name} | {row['occurrences']} | {row['files']} |")
    if report["cli"]:
        print(f"\nCLI: {report['cli']}")
    if report["audit"]:
        print(f"Audit: {report['audit']}")
    if report["internal_error_causes"]:
        print("\nInternal errors by cause (stage: exception at the innermost gkcheck frame):")
        for sig, entry in report["internal_error_causes"].items():
            print(f"  {entry['count']:5d}  {sig}\n         first: seed {entry['first'][0]} index {entry['first'][1]}; "
                  f"{entry['error'][:160]}; kinds {entry['kinds']}")
    shown: Counter[str] = Counter()
    print("\nFailures (seed, index, kind, failure, first line of the error):")
    for f in report["failures"]:
        if f["failure"].startswith("advisory:") or shown[f["failure"]] >= show:
            continue
        shown[f["failure"]] += 1
        print(f"  {f['seed']} {f['index']} {f['kind']} {f['failure']}: {f['error'][:200]}")
    hidden = sum(1 for f in report["failures"] if not f["failure"].startswith("advisory:")) - sum(shown.values())
    if hidden > 0:
        print(f"  … and {hidden} more (--show, or --out for all)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="generated files (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default="", help="only these generator kinds, comma-separated, in turn "
                        "(e.g. docx-strings,docx-structure,pdf-strings,pdf-structure); default: all, weighted")
    parser.add_argument("--cli", type=int, default=500, help="files also run through the CLI (default 500; 0 to skip)")
    parser.add_argument("--no-audit", action="store_true", help="skip the audit pass")
    parser.add_argument("--jobs", type=int, default=2, help="audit worker processes (default 2)")
    parser.add_argument("--workers", type=int, default=1, help="in-process check worker processes (default 1)")
    parser.add_argument("--seconds", type=float, default=30.0, help="bound on one file (default 30 s)")
    parser.add_argument("--memory-mb", type=float, default=1500.0, help="bound on one file's peak RSS (default 1500)")
    parser.add_argument("--audit-seconds", type=float, default=3600.0, help="bound on the whole audit (default 1 h)")
    parser.add_argument("--show", type=int, default=10, help="failures printed per failure kind (default 10)")
    parser.add_argument("--out", type=Path, help="write the whole report as JSON here")
    args = parser.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown kinds {', '.join(unknown)} (known: {', '.join(sorted(KINDS))})")

    start = time.monotonic()
    print(f"check, in-process: {args.docs:,} files …", file=sys.stderr, flush=True)
    outcomes = run_isolated(jobs_for(args.seed, args.docs, kinds), seconds=args.seconds, memory_mb=args.memory_mb,
                            workers=args.workers, progress=_progress)
    failures = [f for o in outcomes for f in failures_of(o)]
    statuses = {o.job.index: o.status for o in outcomes}
    tmp = Path(tempfile.mkdtemp(prefix="gk-fuzz-"))
    try:
        cli: dict[str, Any] = {}
        if args.cli:
            print(f"check, CLI: {args.cli} files …", file=sys.stderr, flush=True)
            cli = cli_pass(args.seed, args.docs, args.cli, args.seconds, args.memory_mb, tmp / "cli", failures, kinds)
        audit: dict[str, Any] = {}
        if not args.no_audit:
            print(f"audit: {args.docs:,} files …", file=sys.stderr, flush=True)
            audit = audit_pass(args.seed, args.docs, args.jobs, args.audit_seconds, args.memory_mb, tmp, failures,
                               statuses, kinds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = summarize(args, outcomes, failures, cli, audit, time.monotonic() - start)
    print_report(report, args.show)
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nWritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
