"""Locate the data files that ship inside the package (rule sets and schemas).

In an installed wheel they live in the ``checker.rules`` and ``checker.schemas``
packages (mapped from the top-level ``rules/`` and ``schemas/`` folders by
pyproject.toml). When the library is imported straight from a source checkout
without installing, the same folders are found beside ``checker/``.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any


def _data_dir(package: str, folder: str) -> Path:
    try:
        spec = importlib.util.find_spec(package)
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    return Path(__file__).resolve().parent.parent / folder


def rules_dir() -> Path:
    """The folder holding the bundled rule sets (``*.yaml``)."""
    return _data_dir("checker.rules", "rules")


def schemas_dir() -> Path:
    """The folder holding the bundled JSON Schemas."""
    return _data_dir("checker.schemas", "schemas")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load one bundled JSON Schema by file name, e.g. ``report.schema.json``."""
    with open(schemas_dir() / name, encoding="utf-8") as fh:
        return json.load(fh)
