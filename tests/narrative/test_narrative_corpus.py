"""The narrative rules on the full corpus reports: statements and mismatches decided by hand.

``tests/data/narrative/<file>.json`` lists, for each full report, every quantitative
statement a careful reader relates to one table cell (or a sum of cells), and every real
mismatch. Statements marked ``not_extracted_because`` are known misses (they count against
recall). Precision must be 100%: every statement gkcheck compares is in the hand-checked
list, with the right cell and number, and every mismatch it reports is real.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker import compiled_ruleset
from checker.frame import build_frame
from checker.ingest import read_document
from checker.kinds.narrative import NarrativeNumbers
from checker.narrative.locate import sentence_location

DATA = Path(__file__).resolve().parents[1] / "data" / "narrative"
FILES = sorted(p.stem for p in DATA.glob("*.json"))


def _instances() -> list[Any]:
    return [i for i in compiled_ruleset().frame_instances if isinstance(i.check, NarrativeNumbers)]


def extracted(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement gkcheck relates to a cell in ``doc`` (after the guards), with its rule."""
    df = build_frame([doc])
    out = []
    for inst in _instances():
        for item in inst.check.explain(df, 0):
            if inst.check.specs[[s.name for s in inst.check.specs].index(item["name"])].agree:
                continue  # fee statements have no cell
            out.append({"rule": inst.rule.id, **item})
    return out


def _same(found: dict[str, Any], want: dict[str, Any]) -> bool:
    return (found["rule"] == want["rule"] and found["cells"] == want["cells"] and found["value"] == want["value"]
            and want["anchor"] in found["quote"].replace("…", ""))


def measure(name: str, corpus: Path) -> dict[str, Any]:
    """Counts for one report: expected, found, correct statements; expected, found, correct mismatches."""
    want = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    doc = read_document(corpus / "text" / want["file"])
    found = extracted(doc)
    correct = [f for f in found if any(_same(f, w) for w in want["statements"])]
    mism = [f for f in found if f["outcome"] == "mismatch"]
    real = [f for f in mism if any(_same(f, w) for w in want["mismatches"])]
    return {"doc": doc, "want": want, "found": found, "correct": correct, "mismatches": mism, "real": real}


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> Path:
    return corpus_dir


@pytest.mark.parametrize("name", FILES)
def test_precision_is_total(name: str, corpus: Path) -> None:
    m = measure(name, corpus)
    wrong = [f for f in m["found"] if f not in m["correct"]]
    assert wrong == [], wrong
    assert len(m["real"]) == len(m["mismatches"]), m["mismatches"]


@pytest.mark.parametrize("name", FILES)
def test_expected_statements_are_found(name: str, corpus: Path) -> None:
    m = measure(name, corpus)
    for w in m["want"]["statements"]:
        hit = [f for f in m["found"] if _same(f, w)]
        if "not_extracted_because" in w:
            assert hit == [], f"a known miss is now found — update the test data: {w}"
            continue
        assert hit, w
        assert hit[0]["outcome"] != "not_assessable" or not w["compared"], (w, hit)
        assert (hit[0]["outcome"] == "not_assessable") == (not w["compared"]), (w, hit)
    for w in m["want"]["mismatches"]:
        assert any(_same(f, w) for f in m["mismatches"]), w


def test_precision_and_recall_overall(corpus: Path) -> None:
    """Precision 100% on statements and mismatches; recall is measured (printed with -s)."""
    expected = found = correct = 0
    for name in FILES:
        m = measure(name, corpus)
        expected += len(m["want"]["statements"])
        found += len(m["found"])
        correct += len(m["correct"])
        print(f"{name}: expected {len(m['want']['statements'])}, found {len(m['found'])}, "
              f"correct {len(m['correct'])}, mismatches {len(m['mismatches'])}")
    assert correct == found
    recall = correct / expected
    print(f"statements: precision {correct}/{found} = 100%, recall {correct}/{expected} = {recall:.0%}")
    assert recall >= 0.85


def test_sentence_lines_land_on_the_sentence_in_a_line_per_paragraph_file(corpus: Path) -> None:
    """In a file with one paragraph per line the computed line holds the text line exactly."""
    path = corpus / "text" / "xiangxiang-emergency-2024.txt"
    doc = read_document(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    checked = 0
    for section, body in doc["sections"].items():
        offset = 0
        for text_line in (body.get("text") or "").split("\n"):
            key = "".join(text_line.split())[:6]
            if len(key) >= 4:
                line = sentence_location(doc, section, offset)["line"]  # type: ignore[index]
                assert key in "".join(lines[line - 1].split()), (section, text_line[:20], line)
                checked += 1
            offset += len(text_line) + 1
    assert checked >= 8
