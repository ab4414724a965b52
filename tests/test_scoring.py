"""The score formula on hand-computed cases."""

from __future__ import annotations

from checker.model import Outcome, Severity
from checker.scoring import grade_for, score

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - the severities' initials


def test_formula_by_hand() -> None:
    # points: error w2 → 6 (fail), warning w3 → 3 (pass), info → 0 (fail, ignored), error w1 → 3 (pass)
    s = score([("准确性", E, 2, Outcome.FAIL), ("完整性", W, 3, Outcome.PASS), ("规范性", I, 1, Outcome.FAIL),
               ("准确性", E, 1, Outcome.PASS), ("时效性", E, 4, Outcome.NOT_ASSESSABLE)])
    assert s.possible == 12 and s.earned == 6 and s.overall == 50.0
    cats = {c.category: c.score for c in s.categories}
    assert cats == {"完整性": 100.0, "准确性": 33.3, "规范性": None, "时效性": None}
    assert (s.passed, s.failed, s.not_assessable) == (2, 2, 1)
    assert s.grade == "不合格"


def test_errors_cap_the_grade() -> None:
    rows = [("准确性", W, 1, Outcome.PASS)] * 40 + [("准确性", E, 1, Outcome.FAIL)]
    s = score(rows)
    assert s.overall is not None and s.overall >= 90 and s.grade == "良好" and s.capped


def test_grades() -> None:
    assert grade_for(95, False) == ("优秀", False)
    assert grade_for(80, False)[0] == "良好"
    assert grade_for(60, False)[0] == "合格"
    assert grade_for(59.9, False)[0] == "不合格"
    assert grade_for(None, False)[0] == "—"
