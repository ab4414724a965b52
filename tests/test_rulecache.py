"""The on-disk cache of rule files and of the rule catalogue (checker/rulecache.py): plain JSON,
keyed by content, a damaged entry ignored and rebuilt, GKCHECK_NO_CACHE=1 turns it off."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import rulecache
from checker.loader import _read_file, default_files, load_ruleset


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("GKCHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(rulecache, "_memory", {})
    return tmp_path / "gkcheck"


def test_read_cached_equal_and_plain_json(cache: Path) -> None:
    path = default_files()[0]
    first = rulecache.cached_read(path, _read_file)
    files = list(cache.glob("rules-*.json"))
    assert len(files) == 1 and files[0].read_text(encoding="utf-8").startswith("{")
    rulecache._memory.clear()
    calls: list[Path] = []
    again = rulecache.cached_read(path, lambda p: calls.append(p) or _read_file(p))  # type: ignore[func-returns-value]
    assert again == first == _read_file(path) and not calls  # from the disk, not read again
    again["rules"].clear()  # each caller has its own copy
    assert rulecache.cached_read(path, _read_file) == first


def test_damaged_entry_is_ignored_and_rebuilt(cache: Path) -> None:
    path = default_files()[0]
    first = rulecache.cached_read(path, _read_file)
    (entry,) = cache.glob("rules-*.json")
    for damage in ("{not json", '{"key": "another", "data": {}}', "[]", ""):
        entry.write_text(damage, encoding="utf-8")
        rulecache._memory.clear()
        assert rulecache.cached_read(path, _read_file) == first
        assert entry.read_text(encoding="utf-8") != damage  # rewritten


def test_changed_file_is_read_again(cache: Path, tmp_path: Path) -> None:
    rule_file = tmp_path / "rules.yaml"
    source = default_files()[0].read_text(encoding="utf-8")
    rule_file.write_text(source, encoding="utf-8")
    before = rulecache.cached_read(rule_file, _read_file)
    rule_file.write_text(source + "\n# changed\n", encoding="utf-8")
    assert len(list(cache.glob("rules-*.json"))) == 1
    assert rulecache.cached_read(rule_file, _read_file) == before  # same data, another key
    assert len(list(cache.glob("rules-*.json"))) == 2


def test_no_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKCHECK_NO_CACHE", "1")
    rulecache.cached_read(default_files()[0], _read_file)
    rulecache.catalogue(default_files(), load_ruleset)
    assert not cache.exists()


def test_catalogue_equals_the_loaded_rules(cache: Path) -> None:
    files = default_files()
    loaded = load_ruleset(files)
    assert rulecache.catalogue(files, load_ruleset).rules == loaded.rules  # written
    assert list(cache.glob("rules-catalogue-*.json"))
    cached = rulecache.catalogue(files, lambda f: pytest.fail("loaded again"))
    assert cached.rules == loaded.rules and cached.versions == loaded.versions
    assert cached.digests == loaded.digests and cached.wordings == loaded.wordings
    (entry,) = cache.glob("rules-catalogue-*.json")
    entry.write_text('{"key": "x"', encoding="utf-8")
    assert rulecache.catalogue(files, load_ruleset).rules == loaded.rules  # damaged: loaded again


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file: the folder cannot be made
    monkeypatch.delenv("GKCHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(rulecache, "_memory", {})
    path = default_files()[0]
    assert rulecache.cached_read(path, _read_file) == _read_file(path)
    assert rulecache.catalogue(default_files(), load_ruleset).rules == load_ruleset(default_files()).rules
