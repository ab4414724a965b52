"""Test helpers shared by the test modules: the bundled examples, the corpus location, patching."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
# The fresh-machine guard (tests/conftest.py): programs no test may start from PATH.
BARE_PROGRAMS = ("python", "python3", "pip", "pip3", "pre-commit", "pytest", "py.test", "ruff", "mypy")
GUARD_LOG_ENV = "GKCHECK_TEST_PATH_GUARD_LOG"
BASES = {"clean-2021": EXAMPLES / "clean-report-2024.json",
         "clean-2019": EXAMPLES / "clean-report-2020-trial-format.json"}


_COLLECTOR_NOTE = re.compile(r"^#\s*(source|agency|partial)\s*:", re.IGNORECASE)


def split_collector_notes(text: str) -> tuple[dict[str, str], str]:
    """The corpus collector's leading ``# source:/# agency:/# partial:`` lines, and the report text without them.

    Those lines are notes about a file, not part of any report: tests read them as expectations,
    and the product is only ever given the text after them.
    """
    lines = text.split("\n")
    notes: dict[str, str] = {}
    while lines and (_COLLECTOR_NOTE.match(lines[0].strip()) or (notes and not lines[0].strip())):
        line = lines.pop(0).strip()
        if line:
            key, _, value = line.lstrip("#").partition(":")
            notes[key.strip().lower()] = value.strip()
    return notes, "\n".join(lines)


def collector_notes(path: Path) -> dict[str, str]:
    """The collector's notes of one corpus text file (``source``, ``agency``, ``partial``)."""
    return split_collector_notes(path.read_text(encoding="utf-8"))[0]


def stripped_corpus(target: Path) -> Path:
    """A copy of the shared corpus in ``target`` whose text files hold only the report text."""
    for src in CORPUS.rglob("*"):
        if not src.is_file():
            continue
        dst = target / src.relative_to(CORPUS)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".txt":
            dst.write_text(split_collector_notes(src.read_text(encoding="utf-8"))[1], encoding="utf-8")
        else:
            shutil.copyfile(src, dst)
    return target


def load_base(name: str = "clean-2021") -> dict[str, Any]:
    """A fresh copy of a bundled clean example."""
    return json.loads(BASES[name].read_text(encoding="utf-8"))


def _parent(doc: Any, pointer: str) -> tuple[Any, str | int]:
    parts = pointer.lstrip("/").split("/")
    node = doc
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
    last: str | int = int(parts[-1]) if isinstance(node, list) else parts[-1]
    return node, last


def patch(doc: dict[str, Any], set_: dict[str, Any] | None = None, remove: list[str] | None = None) -> dict[str, Any]:
    """A copy of ``doc`` with JSON-Pointer ``set`` and ``remove`` operations applied (removals first)."""
    out = copy.deepcopy(doc)
    for pointer in sorted(remove or [], reverse=True):
        node, key = _parent(out, pointer)
        del node[key]
    for pointer, value in (set_ or {}).items():
        node, key = _parent(out, pointer)
        node[key] = value
    return out


def assert_example(result: Any, rule: Any, expected: str, example: dict[str, Any]) -> None:
    """Assert that ``result`` has the outcome a rule file's example expects for ``rule``."""
    from checker.model import Outcome

    assert result.outcome_of(rule.id) is Outcome(expected), [(f.rule_id, f.message.zh) for f in result.findings]
    mine = [f for f in result.findings if f.rule_id == rule.id]
    if expected != "fail":
        assert mine == []
        return
    if "findings" in example:
        assert len(mine) == example["findings"], [f.message.zh for f in mine]
    if "message_contains" in example:
        assert any(example["message_contains"] in f.message.zh for f in mine), [f.message.zh for f in mine]
    if "pointer" in example:
        assert all(f.pointer == example["pointer"] for f in mine), [f.pointer for f in mine]
    if "basis_contains" in example:
        assert all(example["basis_contains"] in (f.basis or rule.basis).zh for f in mine), [f.basis for f in mine]
    for f in mine:
        assert "{" not in f.message.zh and "{" not in f.message.en, f.message


def one_page_pdf(content: bytes, stream_dict: bytes = b"", info: bytes | None = None) -> bytes:
    """A PDF written by hand: one A4 page whose content stream is ``content`` (with ``stream_dict`` added to its
    dictionary, e.g. a /Filter), Helvetica as /F1, and an /Info dictionary holding ``info`` when given."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + stream_dict + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *([b"<< " + info + b" >>"] if info is not None else []),
    ]
    return pdf_of_objects(objects, b" /Info 6 0 R" if info is not None else b"")


def pdf_of_objects(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF written by hand from its numbered objects' bodies (object 1 the catalogue), with the cross-reference
    table and a trailer (``trailer``: more trailer entries, e.g. an /Info reference)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R".encode() + trailer
            + f" >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return bytes(out)
