"""Every corpus file converts (or fails cleanly) and its present sections are found."""

from __future__ import annotations

from pathlib import Path

import pytest
from gk_testlib import collector_notes

from checker.errors import InputError
from checker.ingest import read_document

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

# Sections present in each stored excerpt (headings as listed in corpus/README.md and the files).
PRESENT = {
    "007": ["overview"], "009": ["overview"], "011": ["overview"], "013": ["overview"],
    "015": ["overview", "proactive"], "017": ["overview", "proactive"],
    "019": ["overview", "proactive", "requests", "appeals", "problems"], "021": ["overview"],
    "023": ["overview"], "025": ["overview"], "027": ["overview", "proactive"], "029": ["overview"],
    "031": ["overview", "proactive", "requests"], "033": ["overview", "proactive", "requests"],
    "035": ["overview"], "037": ["overview", "proactive"], "039": ["overview"], "041": ["overview"],
    "043": ["overview"], "047": ["overview"], "049": ["overview", "proactive", "requests"],
    "053": ["overview", "proactive"], "055": ["overview", "proactive"], "057": ["overview"],
    "061": ["overview"], "063": ["overview"], "065": ["overview", "proactive"], "067": ["overview"],
    "069": ["overview"], "071": ["overview"], "073": ["overview"], "075": ["overview"],
    "077": ["overview", "proactive"], "079": ["overview", "proactive", "requests"], "081": ["overview"],
    "083": ["overview", "proactive"],
}
NO_YEAR = {"045"}


def _partial_files() -> list[str]:
    folder = CORPUS / "text"
    if not folder.is_dir():
        return sorted(PRESENT)
    return sorted(p.stem for p in folder.glob("0*.txt") if collector_notes(p).get("partial") == "yes")


@pytest.mark.parametrize("name", _partial_files())
def test_partial_file_converts(name: str, corpus: Path, validator) -> None:
    path = corpus / "text" / f"{name}.txt"
    if name in NO_YEAR:
        with pytest.raises(InputError, match="--year"):
            read_document(path)
        document = read_document(path, year=2023)
        assert document["year"] == 2023
    else:
        document = read_document(path)
    assert not [e.message for e in validator.iter_errors(document)]
    assert sorted(document["sections"]) == sorted(PRESENT.get(name, document["sections"]))
    assert document["agency"]["name"]


def test_every_partial_file_is_listed(corpus: Path) -> None:
    assert set(_partial_files()) == set(PRESENT) | NO_YEAR


def test_heading_split_over_two_lines(corpus: Path) -> None:
    document = read_document(corpus / "text" / "021.txt")
    assert document["sections"]["overview"]["heading"] == "一、总体情况"
    assert [p["heading"][:3] for p in document["sections"]["overview"]["parts"]] == ["(一)", "(二)", "(三)"]


def test_traditional_excerpt_is_simplified(corpus: Path) -> None:
    document = read_document(corpus / "text" / "019.txt")
    assert document["sections"]["overview"]["heading"] == "一、总体情况"
    assert "沙塘镇" in document["sections"]["overview"]["text"]


def test_one_cell_per_line_excerpt(corpus: Path) -> None:
    proactive = read_document(corpus / "text" / "079.txt")["tables"]["proactive"]
    assert proactive["licensing"] == {"previous": 339, "change": 123, "decisions": 462}
    assert proactive["penalties"] == {"previous": None, "change": 239, "decisions": 239}
    assert proactive["procurement"] == {"projects": 2, "amount": 27270}
