"""Web audit benchmark: `gkcheck audit` of report pages fetched from local web sites.

    python benchmarks/bench_web.py                          # 2,000 pages on 50 sites
    python benchmarks/bench_web.py --pages 400 --sites 10 --delay 0.5

A separate process serves generated reports (benchmarks/generate.py, rendered as government-site
HTML pages by tests/zoo/forms.py) from ``--sites`` local HTTP servers (each its own host:
127.0.0.1 on its own port, with a robots.txt, ETags and Last-Modified). Then, each with a fresh
output folder and database:

* a first audit with no per-host delay (``--delay 0``): fetch, store every version, ingest,
  check, write the outputs — documents per second;
* a second audit of the same addresses: every page answers 304 Not Modified, nothing is
  downloaded, read or checked again (must take <= 10% of the first);
* a first audit with the per-host delay (``--delay``, default gkcheck's 0.5 s) and gkcheck's
  default of 2 requests at a time per host: documents per second when being polite.

Nothing reaches the internet.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests"), str(HERE.parent / "tests" / "zoo")]

from checker.api import compiled_ruleset  # noqa: E402
from checker.audit.outputs import write_outputs  # noqa: E402
from checker.audit.runner import AuditOptions, run_audit  # noqa: E402
from checker.audit.web import WebOptions  # noqa: E402


def serve(pages: int, sites: int, ready: Any, stop: Any) -> None:
    """Serve ``pages`` generated report pages spread over ``sites`` local servers (a child process)."""
    from forms import html_merged
    from generate import reports
    from gk_webserver import Site

    servers = [Site() for _ in range(sites)]
    urls = []
    for i, doc in enumerate(reports(pages, seed=7)):
        site = servers[i % sites]
        body = html_merged(doc, random.Random(i))[1]
        urls.append(site.put(f"/gk/{i:05d}/report.html", body, last_modified=1_700_000_000 + i))
    ready.put(urls)
    stop.wait()
    for s in servers:
        s.close()


class Phases:
    """The audit's progress, as the seconds each phase took."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._label, self._start = "", 0.0

    def phase(self, label: str, total: int) -> None:
        self._label, self._start = label, time.perf_counter()

    def advance(self, n: int) -> None:
        pass

    def done(self) -> None:
        self.seconds[self._label] = time.perf_counter() - self._start

    def __str__(self) -> str:
        return ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())


def audit(urls: list[str], out: Path, delay: float, per_host: int, jobs: int | None) -> tuple[float, int, int, Phases]:
    """(seconds, reports checked, reports checked now, phases) of one audit with outputs."""
    start = time.perf_counter()
    phases = Phases()
    opts = AuditOptions(tuple(urls), out, jobs=jobs, web=WebOptions(False, per_host, delay))
    summary = run_audit(opts, phases)
    write_outputs(summary, compiled_ruleset().ruleset)
    return time.perf_counter() - start, len(summary.checked), summary.checked_now, phases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--sites", type=int, default=50)
    ap.add_argument("--delay", type=float, default=0.5, help="the per-host delay of the polite run")
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--jobs", type=int)
    ap.add_argument("--skip-polite", action="store_true", help="only the runs without delay")
    args = ap.parse_args()
    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=serve, args=(args.pages, args.sites, ready, stop), daemon=True)
    server.start()
    urls = ready.get(timeout=600)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            audit(urls[:20], Path(tmp) / "warm-up", 0.0, args.per_host, args.jobs)  # rule cache, imports
            first, n, now, ph = audit(urls, Path(tmp) / "out", 0.0, args.per_host, args.jobs)
            print(f"first audit, no delay:   {n} reports ({now} checked) in {first:.1f} s = {n / first:.1f} documents/s"
                  f" ({ph})")
            second, n2, now2, ph = audit(urls, Path(tmp) / "out", 0.0, args.per_host, args.jobs)
            print(f"second audit (all 304):  {n2} reports ({now2} checked) in {second:.1f} s = "
                  f"{100 * second / first:.1f}% of the first ({ph})")
            if not args.skip_polite:
                polite, n3, _, ph = audit(urls, Path(tmp) / "polite", args.delay, args.per_host, args.jobs)
                print(f"first audit, delay {args.delay} s, {args.per_host} per host, {args.sites} sites: {n3} reports "
                      f"in {polite:.1f} s = {n3 / polite:.1f} documents/s ({ph})")
    finally:
        stop.set()
        server.join(timeout=10)


if __name__ == "__main__":
    main()
