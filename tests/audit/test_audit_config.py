"""`gkcheck audit` takes a configuration exactly as `gkcheck check` does (same file, same results)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from gk_testlib import ROOT

from checker.audit.runner import AuditOptions, audit_config, results_file, run_audit
from checker.cli import main
from checker.errors import RuleSetError

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import reports  # noqa: E402

# Every kind of key that changes results: selection, severity, a local deadline, a live waiver and an
# expired one (the generated reports with seed 5 fail GK-T3-010, GK-S-102, GK-X-001, GK-V-001 …).
CONFIG = """\
ignore = ["GK-X-001"]

[severity]
"GK-V-001" = "error"

[deadlines]
department = "01-26"

[[waivers]]
rule = "GK-T3-010"
files = ["r0.json"]
reason = "申请台账正在更正"
approver = "县政务公开办 李明"
expires = 2099-01-01

[[waivers]]
rule = "GK-S-102"
files = ["r3.json"]
reason = "已过期的例外"
approver = "县政务公开办 李明"
expires = 2020-01-01
"""


def _reports(folder: Path, n: int = 6, seed: int = 5) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, doc in enumerate(reports(n, defects=1.0, seed=seed)):
        path = folder / f"r{i}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out.append(path)
    return out


def _cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    code = exc.value.code
    assert isinstance(code, int)
    return code


def _check_json(files: list[Path], capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, dict[str, Any]]:
    capsys.readouterr()
    _cli(["check", *map(str, files), "--format", "json", *extra])
    doc = json.loads(capsys.readouterr().out)
    return {r["source"]: r for r in doc["results"]}


def _audit_json(folder: Path, out: Path, **kw: Any) -> tuple[Any, dict[str, dict[str, Any]]]:
    summary = run_audit(AuditOptions((str(folder),), out, jobs=1, **kw))
    got = {}
    for row in summary.checked:
        got[row.path] = json.loads((out / results_file(row, summary.variant)).read_text("utf-8"))
    return summary, got


def _same(check: dict[str, dict[str, Any]], audit: dict[str, dict[str, Any]]) -> None:
    assert set(check) == set(audit)
    for source, expected in check.items():
        got = audit[source]
        for key in ("score", "passed", "coverage", "outcomes", "findings", "report", "verdict_reasons", "notices"):
            assert got[key] == expected[key], (source, key)


def test_check_and_audit_agree_under_the_same_configuration(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    files = _reports(folder)
    (folder / "gkcheck.toml").write_text(CONFIG, encoding="utf-8")
    check = _check_json(files, capsys)
    summary, audit = _audit_json(folder, tmp_path / "out")
    _same(check, audit)
    found = {f["rule_id"] for r in audit.values() for f in r["findings"]}
    assert "GK-X-001" not in found and "GK-W-001" in found  # ignored; the expired waiver reported
    waived = [f for f in audit[str(folder / "r0.json")]["findings"] if f["rule_id"] == "GK-T3-010"]
    assert waived and all(f.get("waived") for f in waived)
    assert {f["severity"] for r in audit.values() for f in r["findings"] if f["rule_id"] == "GK-V-001"} <= {"error"}
    # without the configuration both differ from the above, and still agree with each other
    plain_check = _check_json(files, capsys, "--no-config")
    _, plain_audit = _audit_json(folder, tmp_path / "plain", no_config=True)
    _same(plain_check, plain_audit)
    assert "GK-X-001" in {f["rule_id"] for r in plain_audit.values() for f in r["findings"]}
    assert plain_audit != audit


def test_findings_jsonl_and_outputs_show_the_configuration(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _reports(folder)
    (folder / "gkcheck.toml").write_text(CONFIG, encoding="utf-8")
    out = tmp_path / "out"
    assert _cli(["audit", str(folder), "-o", str(out), "-j", "1", "-q", "--exit-zero"]) == 0
    rules = {json.loads(line)["rule_id"] for line in (out / "findings.jsonl").read_text("utf-8").splitlines()}
    assert "GK-X-001" not in rules and "GK-T3-010" in rules
    html = (out / "audit.html").read_text("utf-8")
    assert "配置文件：" in html and "gkcheck.toml" in html and "未运行的规则" in html
    with (out / "configuration.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert any(row[1] == "GK-X-001" for row in rows[1:]) and any("gkcheck.toml" in row[2] for row in rows[1:])


def test_a_configuration_change_checks_the_reports_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _reports(folder, n=4)
    config = folder / "gkcheck.toml"
    config.write_text('ignore = ["GK-X-001"]\n', encoding="utf-8")
    out = tmp_path / "out"
    first, audit1 = _audit_json(folder, out)
    assert first.counts.checked_now == 4
    again, _ = _audit_json(folder, out)
    assert again.counts.checked_now == 0  # nothing changed: stored results
    config.write_text('ignore = ["GK-X-001", "GK-N-005"]\n', encoding="utf-8")
    third, audit3 = _audit_json(folder, out)
    assert third.counts.checked_now == 4
    assert "GK-N-005" in {f["rule_id"] for r in audit1.values() for f in r["findings"]}
    assert "GK-N-005" not in {f["rule_id"] for r in audit3.values() for f in r["findings"]}
    # a waiver added (the rules themselves unchanged) checks again too
    config.write_text('ignore = ["GK-X-001"]\n[[waivers]]\nrule = "GK-T3-010"\nfiles = ["*.json"]\nreason = "更正中"\n'
                      'approver = "李明"\nexpires = 2099-01-01\n', encoding="utf-8")
    fourth, audit4 = _audit_json(folder, out)
    assert fourth.counts.checked_now == 4
    assert all(f.get("waived") for r in audit4.values() for f in r["findings"] if f["rule_id"] == "GK-T3-010")


def test_paths_finding_different_configurations_are_refused(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _reports(a, n=2)
    _reports(b, n=2, seed=6)
    (a / "gkcheck.toml").write_text('ignore = ["GK-X-001"]\n', encoding="utf-8")
    capsys.readouterr()
    assert _cli(["audit", str(a), str(b), "-o", str(tmp_path / "out"), "-j", "1", "-q"]) == 2
    err = capsys.readouterr().err
    assert "配置文件不一致" in err and "--config" in err and "--no-config" in err
    with pytest.raises(RuleSetError):
        audit_config([str(a / "r0.json"), str(b / "*.json")])
    # --config or --no-config decides
    assert audit_config([str(a), str(b)], str(a / "gkcheck.toml")) == a / "gkcheck.toml"
    assert audit_config([str(a), str(b)], disabled=True) is None
    assert _cli(["audit", str(a), str(b), "-o", str(tmp_path / "out"), "-j", "1", "-q", "--no-config",
                 "--exit-zero"]) == 0
    # one folder, or paths inside it, find the same file
    assert audit_config([str(a), str(a / "r1.json"), str(a / "*.json")]) == (a / "gkcheck.toml").resolve()


def test_no_config_ignores_a_configuration_beside_the_reports(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _reports(folder, n=3)
    (folder / "gkcheck.toml").write_text('select = ["GK-T3"]\n', encoding="utf-8")
    _, plain = _audit_json(folder, tmp_path / "plain", no_config=True)
    _, bare = _audit_json(folder, tmp_path / "bare", allow_partial_rules=True)
    with pytest.raises(AssertionError):  # the configuration (found beside the reports) changes the results
        _same(plain, bare)
    assert any(not f["rule_id"].startswith("GK-T3") for r in plain.values() for f in r["findings"])
    assert all(f["rule_id"].startswith(("GK-T3", "GK-W")) for r in bare.values() for f in r["findings"])


def test_a_waiver_by_path_keys_the_result_by_path(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    [first] = _reports(folder, n=1)
    twin = folder / "twin.json"
    twin.write_bytes(first.read_bytes())  # the same content, outside the waiver's files
    (folder / "gkcheck.toml").write_text('[[waivers]]\nrule = "GK-T3-010"\nfiles = ["r0.json"]\nreason = "更正中"\n'
                                         'approver = "李明"\nexpires = 2099-01-01\n', encoding="utf-8")
    summary, got = _audit_json(folder, tmp_path / "out")
    assert summary.counts.duplicates == 0 and len(got) == 2  # checked each: their results differ

    def waived(path: Path) -> set[bool]:
        return {bool(f.get("waived")) for f in got[str(path)]["findings"] if f["rule_id"] == "GK-T3-010"}

    assert waived(first) == {True} and waived(twin) == {False}
    # the file moved out of the waiver's scope: checked again, no longer waived
    first.rename(folder / "moved.json")
    again, got = _audit_json(folder, tmp_path / "out")
    assert again.counts.duplicates == 1 and again.counts.checked_now == 0  # twin's stored result is the one
    assert all(not f.get("waived") for r in got.values() for f in r["findings"])


def test_rule_files_are_completed_as_check_completes_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    files = _reports(folder, n=3)
    rules = str(ROOT / "rules" / "format-2021.yaml")
    check = _check_json(files, capsys, "--rules", rules)
    summary, audit = _audit_json(folder, tmp_path / "out", rule_files=(rules,))
    _same(check, audit)
    assert set(summary.ruleset.versions) == {"format-2021", "local"}  # `local` added, as check adds it


def test_region_switches_on_the_local_rule_set_as_in_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    files = _reports(folder, n=3)
    check = _check_json(files, capsys, "--region", "甘肃省武威市")
    summary, audit = _audit_json(folder, tmp_path / "out", region="甘肃省武威市")
    _same(check, audit)
    assert "local-wuwei" in summary.ruleset.versions


def test_copies_of_every_rule_file_stand_for_the_bundled_ones(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from checker.loader import standard_files

    copies = tmp_path / "rules"
    copies.mkdir()
    for f in standard_files():
        (copies / f.name).write_bytes(f.read_bytes())
    rules = tuple(str(copies / f.name) for f in standard_files())
    folder = tmp_path / "in"
    files = _reports(folder, n=2)
    check = _check_json(files, capsys, *(a for r in rules for a in ("--rules", r)))
    _, audit = _audit_json(folder, tmp_path / "out", rule_files=rules)  # no duplicate `local` rule set added
    _same(check, audit)
    assert check and all(r["findings"] == audit[s]["findings"] for s, r in check.items())


def test_a_waiver_covering_no_report_is_said_once_for_the_audit(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # as `gkcheck check` says it: once for the run, on stderr, naming the configuration file and its line,
    # without changing the exit code; a waiver covering some report of the audit is not said
    folder = tmp_path / "in"
    files = _reports(folder, n=4)  # r0 … r3: the CONFIG's waivers cover r0 and r3
    stray = ('[[waivers]]\nrule = "GK-T3-010"\nfiles = ["elsewhere/*.json"]\nreason = "别处的报告"\n'
             'approver = "县政务公开办 李明"\nexpires = 2099-01-01\n')
    (folder / "gkcheck.toml").write_text(CONFIG + "\n" + stray, encoding="utf-8")
    summary = run_audit(AuditOptions((str(folder),), tmp_path / "out", jobs=1))
    assert [(f.rule_id, (f.location or {}).get("line")) for f in summary.notices] == [("GK-W-002", 23)]
    assert "不涉及本次检查的任何报告" in summary.notices[0].message.zh
    capsys.readouterr()
    code = _cli(["audit", str(folder), "-o", str(tmp_path / "out2"), "--jobs", "1", "--exit-zero"])
    err = capsys.readouterr().err
    assert code == 0 and "gkcheck.toml:23: GK-W-002" in err and err.count("GK-W-002") == 1
    _cli(["check", *map(str, files), "--format", "json"])
    assert "gkcheck.toml:23: GK-W-002" in capsys.readouterr().err
