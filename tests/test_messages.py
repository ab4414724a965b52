"""The message catalogue (checker/messages.py): both languages of every word and message, one source."""

from __future__ import annotations

import string

import pytest

from checker.audit.runner import FAILED_STATUSES
from checker.formats import KINDS, LEVELS
from checker.messages import MESSAGES, TERMS, pick, say, term
from checker.model import CATEGORIES, Outcome, Severity
from checker.scoring import GRADES, WITHHELD


def test_every_vocabulary_names_every_value_in_both_languages() -> None:
    expected = {"kind": set(KINDS), "level": set(LEVELS), "severity": {s.value for s in Severity},
                "outcome": {o.value for o in Outcome}, "category": set(CATEGORIES),
                "grade": {g for _, g in GRADES} | {WITHHELD, "—"},
                "status": set(FAILED_STATUSES) | {"duplicate", "non_report", "missing", "mislabelled", "conflict",
                                                  "listed_twice"}}
    for group, values in expected.items():
        assert set(TERMS[group]) >= values, group
        for value in values:
            zh, en = TERMS[group][value]
            assert zh and en, (group, value)
            assert term(group, value, "zh") == zh and term(group, value, "en") == en


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_of_a_message_take_the_same_values(key: str) -> None:
    zh, en = MESSAGES[key]
    fields = [{name for _, name, _, _ in string.Formatter().parse(text) if name} for text in (zh, en)]
    assert fields[0] == fields[1], key
    values = {name: 1 for name in fields[0]}
    assert say(key, "zh", **values) != say(key, "en", **values) or zh == en


def test_chinese_is_the_default() -> None:
    assert pick("zh", "中", "en") == pick("fr", "中", "en") == "中" and pick("en", "中", "en") == "en"
    assert term("kind", None, "zh") == "" and term("level", "unknown-level", "zh") == "unknown-level"
