"""Start-up benchmark: wall time of short `gkcheck` commands, and what they import.

    python benchmarks/bench_startup.py              # 7 runs of each command
    python benchmarks/bench_startup.py -n 15 --top 15

Each command runs as ``sys.executable -m checker ...`` in a fresh process (output discarded),
N times after one warm-up run (which also fills the rule-set cache, see checker/rulecache.py);
the median and minimum wall times are reported. Then each command runs once under
``python -X importtime`` and the slowest imports (cumulative, to a nesting depth of 2) are listed.
`--no-cache` sets GKCHECK_NO_CACHE=1 (no rule-set cache) for every run.

Targets (issue 14 item 7): `gkcheck --help` and `gkcheck rules` <= 0.3 s; one JSON report <= 0.7 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = str(ROOT / "examples" / "clean-report-2024.json")
COMMANDS: list[tuple[str, list[str]]] = [
    ("gkcheck --help", ["--help"]),
    ("gkcheck rules", ["rules"]),
    ("gkcheck check one.json --format json", ["check", REPORT, "--format", "json"]),
]


def wall(args: list[str], env: dict[str, str], root: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker", *args], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env, cwd=root, check=False)
    return time.perf_counter() - start


def top_imports(args: list[str], env: dict[str, str], top: int, root: Path) -> list[tuple[int, str]]:
    """The slowest imports of one run at nesting depth 0-2: (cumulative µs, module), deeper ones indented."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "checker", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env=env, cwd=root, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        if depth > 2:
            continue
        try:
            rows.append((int(cumulative), "  " * depth + name.strip()))
        except ValueError:  # the header line
            continue
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=7, help="runs of each command (after one warm-up run)")
    parser.add_argument("--top", type=int, default=8, help="imports listed per command")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the gkcheck source tree to run (default: this one), e.g. a checkout of main")
    parser.add_argument("--no-cache", action="store_true", help="set GKCHECK_NO_CACHE=1")
    a = parser.parse_args()
    env = dict(os.environ)
    a.root = a.root.resolve()  # run from it: ``python -m`` puts the working folder first on sys.path
    env["PYTHONPATH"] = str(a.root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if a.no_cache:
        env["GKCHECK_NO_CACHE"] = "1"
    print(f"python {sys.version.split()[0]} · {os.cpu_count()} cores · n={a.n}"
          f"{' · GKCHECK_NO_CACHE=1' if a.no_cache else ''}")
    print(f"{'command':40} {'median s':>9} {'min s':>7}")
    for label, args in COMMANDS:
        wall(args, env, a.root)  # warm-up (file cache, rule-set cache)
        times = [wall(args, env, a.root) for _ in range(a.n)]
        print(f"{label:40} {statistics.median(times):9.3f} {min(times):7.3f}", flush=True)
    for label, args in COMMANDS:
        print(f"\nslowest imports of `{label}` (cumulative ms; indented: imported by a module above):")
        for micros, name in top_imports(args, env, a.top, a.root):
            print(f"  {micros / 1000:8.1f}  {name}")


if __name__ == "__main__":
    main()
