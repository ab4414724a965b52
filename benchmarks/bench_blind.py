"""Recall and false alarms on blind sets: one planted defect per document, and tricky clean documents.

The documents come from ``tests/blind/planted.py`` (compliant documents of every agency kind,
level, year and both formats, each with one planted defect or one tricky-but-compliant
variation). Per kind it prints: documents, found (an expected rule reported the plant),
documents with a false error (an error from a rule neither expected nor allowed), and
documents where a rule that must stay quiet spoke. ``pending`` marks kinds whose rule is
still to be written (issue 13); they are measured, not asserted by the test suite.

    python benchmarks/bench_blind.py [--per-kind 20] [--seed 1] [--show 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from blind.planted import blind_set
from blind.test_blind import judge

from checker.api import check_many
from checker.document import validate_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=0, help="print the first N problems per kind")
    args = parser.parse_args()

    pairs = list(blind_set(args.seed, args.per_kind))
    for doc, _ in pairs:
        validate_document(doc)
    start = time.perf_counter()
    results = check_many([doc for doc, _ in pairs])
    seconds = time.perf_counter() - start
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    pending: dict[str, bool] = {}
    shown: dict[str, list[str]] = defaultdict(list)
    for (doc, expectation), result in zip(pairs, results):
        row = rows[expectation.kind]
        pending[expectation.kind] = expectation.pending
        problems = judge(result, expectation)
        row[0] += 1
        row[1] += bool(expectation.expected) and not any(p.startswith("missed") for p in problems)
        row[2] += any(p.startswith("false") for p in problems)
        row[3] += any(p.startswith("should be quiet") for p in problems)
        if problems and len(shown[expectation.kind]) < args.show:
            shown[expectation.kind].append(f"{doc['agency']['name']} {doc['year']} ({doc['format']}): {'; '.join(problems)}")
    print("| kind | docs | found | false-error docs | quiet broken | |")
    print("|---|---:|---:|---:|---:|---|")
    planted = [0, 0]
    false_docs = clean_docs = 0
    for kind, (n, found, false, quiet) in rows.items():
        expected = any(e.kind == kind and e.expected for _, e in pairs)
        print(f"| {kind} | {n} | {found if expected else '–'} | {false} | {quiet} | {'pending' if pending[kind] else ''} |")
        if expected:
            planted[0] += n
            planted[1] += found
        else:
            clean_docs += n
            false_docs += false
    print(f"\nplanted defects found: {planted[1]}/{planted[0]}; clean documents with a false error: "
          f"{false_docs}/{clean_docs}; check time {seconds:.1f} s for {len(pairs)} documents")
    for kind, lines in shown.items():
        for line in lines:
            print(f"- {kind}: {line}")


if __name__ == "__main__":
    main()
