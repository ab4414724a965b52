"""Shared fixtures for the ingest tests: the corpus beside the repository and the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
EXPECTED = REPO / "tests" / "data" / "expected"


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> Path:
    """The shared corpus without the collector's note lines; skipped when it is absent."""
    return corpus_dir


@pytest.fixture(scope="session")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)
