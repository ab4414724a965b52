"""End-to-end batch-audit benchmark: `gkcheck audit` logic over generated report files.

    python benchmarks/bench_audit.py                      # 100,000 JSON + 10,000 text reports
    python benchmarks/bench_audit.py --json 20000 --text 2000 --sample 200

For each corpus (JSON documents; copied-text reports with tab-separated tables) it writes the
files to a temporary folder, then measures in the same run:

* the first audit, end to end (discover, hash, ingest in worker processes, pair years, check
  in vectorized chunks with the cross-year rules, SQLite, every output file);
* a second audit of the unchanged files (incremental: must take < 10% of the first);
* a loop checking a sample of the same reports one by one with ``checker.api.check`` (read,
  validate, check), extrapolated to N: the vectorized/loop ratio is loop-time(N) / audit-time(N);
* the peak resident memory of the main process and of the largest worker (getrusage).

Reports come from benchmarks/generate.py (`yearly_series`: ~50% consecutive-year pairs,
30% with planted defects).

``--pdf N`` audits N generated PDF reports (the zoo's PDF form of ``tests/zoo``, needs reportlab)
and, apart, the corpus PDFs when ``../shared/corpus`` exists (each 5 times, made distinct by a
comment after ``%%EOF``), once with each PDF engine
(``GKCHECK_PDF_ENGINE=pdfplumber``, the reader before pdfium, then the default pdfium reader),
one worker (``--jobs``, default 1 here): documents per second of wall time and per CPU second of
the audit's processes (documents/s per core).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import to_text, yearly_series  # noqa: E402

from checker.api import check, compiled_ruleset  # noqa: E402
from checker.audit.outputs import write_outputs  # noqa: E402
from checker.audit.runner import AuditOptions, run_audit  # noqa: E402
from checker.ingest import read_document  # noqa: E402


def write_corpus(folder: Path, n: int, form: str) -> None:
    """Write ``n`` generated reports as .json or .txt files (100 per sub-folder)."""
    for i, doc in enumerate(yearly_series(n, seed=n)):
        sub = folder / f"{i // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        if form == "json":
            (sub / f"r{i:06d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        else:
            (sub / f"r{i:06d}.txt").write_text(to_text(doc), encoding="utf-8")


def audit_once(folder: Path, out: Path, jobs: int | None) -> tuple[float, int, int]:
    """(seconds, reports checked, reports checked now) of one audit with outputs."""
    start = time.perf_counter()
    opts = AuditOptions((str(folder),), out, jobs=jobs)
    summary = run_audit(opts)
    write_outputs(summary, compiled_ruleset().ruleset)
    return time.perf_counter() - start, len(summary.checked), summary.checked_now


def loop_rate(folder: Path, sample: int) -> float:
    """Seconds per report checking ``sample`` files one by one (read, validate, check)."""
    files = sorted(folder.rglob("r*.*"))[:sample]
    compiled = compiled_ruleset()
    start = time.perf_counter()
    for f in files:
        check(read_document(f), compiled, str(f))
    return (time.perf_counter() - start) / len(files)


def peak_mb() -> tuple[float, float]:
    """Peak RSS (MB) of this process and of the largest child process so far."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def bench(n: int, form: str, sample: int, jobs: int | None) -> dict[str, float]:
    """Run the benchmark for one corpus and print its figures."""
    tmp = Path(tempfile.mkdtemp(prefix=f"gk-audit-{form}-"))
    try:
        t0 = time.perf_counter()
        write_corpus(tmp / "in", n, form)
        os.sync()  # the generated files on disk before the audit starts, as a real audit finds them
        gen = time.perf_counter() - t0
        first, checked, _ = audit_once(tmp / "in", tmp / "out", jobs)
        second, _, again = audit_once(tmp / "in", tmp / "out", jobs)
        per_loop = loop_rate(tmp / "in", sample)
        own, child = peak_mb()
        figures = {"n": n, "checked": checked, "first_s": first, "rate": n / first, "second_s": second,
                   "second_share": second / first, "rechecked": again, "loop_s_per_report": per_loop,
                   "loop_extrapolated_s": per_loop * n, "ratio": per_loop * n / first, "peak_main_mb": own,
                   "peak_worker_mb": child, "generate_s": gen}
        print(f"{form:>5} N={n:,}: first audit {first:.1f} s ({n / first:,.0f} reports/s, {checked:,} checked); "
              f"second audit {second:.2f} s ({100 * second / first:.1f}% of first, {again} re-checked); "
              f"loop {per_loop * 1000:.1f} ms/report on a sample of {sample} → {per_loop * n:.0f} s extrapolated; "
              f"vectorized/loop {per_loop * n / first:.1f}×; peak RSS main {own:.0f} MB, worker {child:.0f} MB")
        return figures
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        os.sync()


def _cpu() -> float:
    """CPU seconds used so far by this process and its waited-for children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_pdfs(folder: Path, n: int) -> None:
    """``n`` generated reports as zoo PDFs (seeds 1..n)."""
    import random

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "zoo"))
    from documents import make_document
    from forms import pdf_form

    folder.mkdir(parents=True, exist_ok=True)
    for seed in range(1, n + 1):
        rng = random.Random(seed)
        (folder / f"r{seed:05d}.pdf").write_bytes(pdf_form(make_document(rng), rng)[1])


def bench_pdf(n: int, jobs: int | None) -> None:
    """Audit generated and corpus PDFs with each PDF engine; print documents/s (wall) and per core."""
    from checker.ingest.pdf import ENGINE_ENV

    tmp = Path(tempfile.mkdtemp(prefix="gk-audit-pdf-"))
    corpus = sorted((Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf").glob("*.pdf"))
    try:
        write_pdfs(tmp / "generated", n)
        sets = [("generated", tmp / "generated", n)]
        if corpus:
            (tmp / "corpus").mkdir()
            for path in corpus:  # each file 5 times, a comment after %%EOF apart (the audit reads a content once)
                for copy in range(5):
                    (tmp / "corpus" / f"{path.stem}-{copy}.pdf").write_bytes(path.read_bytes() + b"\n%% copy %d\n" % copy)
            sets.append(("corpus", tmp / "corpus", 5 * len(corpus)))
        os.sync()
        saved = os.environ.get(ENGINE_ENV)
        for name, folder, count in sets:
            for engine in ("pdfplumber", "pdfium"):
                os.environ[ENGINE_ENV] = "pdfplumber" if engine == "pdfplumber" else "auto"
                cpu = _cpu()
                seconds, checked, _ = audit_once(folder, tmp / f"out-{name}-{engine}", jobs or 1)
                used = _cpu() - cpu
                print(f"  PDF {name} N={count} [{engine}]: {seconds:.1f} s, {count / seconds:.1f} documents/s "
                      f"({checked} checked), {count / used:.1f} documents per CPU second (per core)", flush=True)
        if saved is None:
            os.environ.pop(ENGINE_ENV, None)
        else:
            os.environ[ENGINE_ENV] = saved
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=int, default=100_000, help="JSON reports (0 to skip)")
    parser.add_argument("--text", type=int, default=10_000, help="text reports (0 to skip)")
    parser.add_argument("--sample", type=int, default=300, help="reports checked one by one for the loop figure")
    parser.add_argument("--pdf", type=int, default=0, help="generated PDF reports, audited with each PDF engine")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    for n, form in ((args.json, "json"), (args.text, "text")):
        if n:
            bench(n, form, args.sample, args.jobs)
    if args.pdf:
        bench_pdf(args.pdf, args.jobs)


if __name__ == "__main__":
    main()
