"""Shared fixtures for the top-level tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gk_testlib import CORPUS, load_base


@pytest.fixture
def clean_doc() -> dict[str, Any]:
    """The clean 2024 example (2021 format)."""
    return load_base()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus folder; tests using it are skipped when it is absent."""
    if not (CORPUS / "text").is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
