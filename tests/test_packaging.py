"""The wheel carries the rule sets and schemas, and they are found from the installed package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import checker
from checker.resources import rules_dir, schemas_dir

ROOT = Path(__file__).resolve().parents[1]


def test_rules_and_schemas_are_found() -> None:
    assert {"tiaoli.yaml", "format-2021.yaml", "format-2019.yaml", "narrative.yaml", "local.yaml", "cross-year.yaml"} <= {
        p.name for p in rules_dir().glob("*.yaml")}
    assert (schemas_dir() / "report.schema.json").is_file()


def test_installed_package_does_not_use_the_source_tree() -> None:
    if Path(checker.__file__).resolve().parent == ROOT / "checker":
        pytest.skip("running against the source tree, not an installed package")
    package = Path(checker.__file__).resolve().parent
    assert rules_dir().resolve() == package / "rules"
    assert schemas_dir().resolve() == package / "schemas"


def test_wheel_contains_rules_and_schemas(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("gkcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("checker/rules/tiaoli.yaml", "checker/rules/format-2021.yaml", "checker/rules/format-2019.yaml",
                 "checker/schemas/report.schema.json", "checker/schemas/ruleset.schema.json",
                 "checker/schemas/result.schema.json", "checker/schemas/config.schema.json",
                 "checker/rules/narrative.yaml", "checker/rules/local.yaml", "checker/rules/cross-year.yaml",
                 "checker/rules/local-wuwei.yaml",
                 "checker/audit/runner.py",
                 "checker/cli.py", "checker/ingest/assemble.py",
                 "checker/web/app.py", "checker/web/static/app.js", "checker/web/static/page.css"):
        assert name in names, name
