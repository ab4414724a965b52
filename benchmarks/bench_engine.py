"""Engine and CLI benchmark: reports/second for the engine at N = 1, 1,000 and 100,000, and the
wall time of one `gkcheck` CLI run on one report.

    python benchmarks/bench_engine.py                 # full run (N up to 100,000)
    python benchmarks/bench_engine.py --sizes 1 1000  # quicker
    python benchmarks/bench_engine.py --reading 0.1   # a tenth of the reports with a reading block

"Engine only" = documents already in memory → outcomes, findings and scores
(`checker.check_many`): frame building, pandera checks, jsonschema structure checks, scoring.
Documents come from benchmarks/generate.py (30% with planted defects, fixed seed).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import reports  # noqa: E402

from checker import check_many, compiled_ruleset  # noqa: E402

CORE = ["tiaoli.yaml", "format-2021.yaml", "format-2019.yaml"]


def partly_read(doc: dict, i: int) -> dict:
    """``doc`` as a reader that could not place one row of table 三 would leave it (a reading block:
    the row unread, one derived cell, two notices)."""
    rows = ("state_secret", "internal_affairs", "process_information")
    row = rows[i % len(rows)]
    withheld = (doc.get("tables") or {}).get("requests", {}).get("withheld")
    if isinstance(withheld, dict):
        withheld.pop(row, None)
    doc["reading"] = {"unread": [f"/tables/requests/withheld/{row}"], "derived": ["/tables/requests/total/total"],
                      "notices": [{"code": "table-unread", "target": "/tables/requests", "values": {"count": 7}},
                                  {"code": "cells-derived", "target": "/tables/requests", "values": {"count": 1}}]}
    return doc


def engine_rate(n: int, repeats: int, rule_files: list[str] | None, reading: float = 0.0) -> tuple[float, float, int]:
    """(best seconds, reports/second, findings) for checking n generated reports (a share ``reading``
    of them with a reading block)."""
    docs = list(reports(n, defects=0.3, seed=n))
    every = round(1 / reading) if reading > 0 else 0
    if every:
        docs = [partly_read(d, i) if i % every == 0 else d for i, d in enumerate(docs)]
    compiled = compiled_ruleset(rule_files)
    check_many(docs[:10], compiled)  # warm caches (compiled rules, regexes)
    times, findings = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        results = check_many(docs, compiled)
        times.append(time.perf_counter() - start)
        findings = sum(len(r.findings) for r in results)
    best = min(times)
    return best, n / best, findings


def cli_wall(repeats: int) -> float:
    """Median wall time of `gkcheck <one report>` as a fresh process."""
    doc = next(reports(1, defects=0.0, seed=7))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "checker", str(path), "--exit-zero"], check=True,
                           capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 1000, 100000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--catalogue", choices=["all", "core"], default="all",
                        help="all bundled rules, or the core catalogue of issue 2 (条例 and format rule sets)")
    parser.add_argument("--reading", type=float, default=0.0,
                        help="share of the reports given a reading block (a row unread, a derived cell, notices)")
    parser.add_argument("--no-cli", action="store_true", help="skip the one-report CLI wall time")
    args = parser.parse_args()
    from checker.resources import rules_dir

    files = [str(rules_dir() / name) for name in CORE] if args.catalogue == "core" else None
    print(f"rules: {args.catalogue}" + (f", reading blocks: {args.reading:.0%}" if args.reading else ""))
    print(f"{'N':>8} {'seconds':>9} {'reports/s':>10} {'findings':>9}")
    for n in args.sizes:
        seconds, rate, findings = engine_rate(n, args.repeats if n <= 1000 else 1, files, args.reading)
        print(f"{n:>8} {seconds:>9.3f} {rate:>10.0f} {findings:>9}")
    if not args.no_cli:
        print(f"CLI, one report, wall (median of 5): {cli_wall(5):.2f} s")


if __name__ == "__main__":
    main()
