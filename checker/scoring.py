"""The compliance score: a documented pure function of rule outcomes.

Formula (also printed by ``gkcheck check --explain-score``):

1. Every rule has a weight *w* (1–5, in the rule file) and a severity factor *f*:
   error 3, warning 1, info 0 (advisory rules never change the score). A rule whose
   failure was escalated to error (e.g. three or more aspects missing) counts as error.
2. Only rules that were decided count: outcome *pass* or *fail*. Rules that are
   *not assessable* (inputs blank, non-numeric or missing), *not applicable* (e.g. a
   department deadline for a people's government) or *waived* leave the denominator;
   they are counted and shown separately.
3. Points of a rule: *p = w × f*. Score = 100 × Σ p(pass) / Σ p(pass or fail),
   rounded to one decimal; a category score is the same sum within the category
   (完整性, 准确性, 规范性, 时效性). With nothing decided the score is empty (—).
4. Grade: 优秀 ≥ 90, 良好 ≥ 75, 合格 ≥ 60, else 不合格. A report with any failed
   error-severity rule is graded at most 良好, whatever its score.
5. Coverage travels with the score: decided rules (pass, fail or waived) ÷ applicable rules
   (decided or not assessable), counted in rules, not points. Below 60 % the grade is
   withheld (未评级, "Not graded": 可判断的规则不足六成); the score is still shown, with
   its coverage.

Adding a failure never raises the score: it adds to the denominator only. Reading notices
(what the reader could not read) never cost points: they only make rules not assessable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from checker.messages import TERMS
from checker.model import CATEGORIES, CategoryScore, Coverage, Outcome, Score, Severity

FACTOR = {Severity.ERROR: 3.0, Severity.WARNING: 1.0, Severity.INFO: 0.0}
GRADES = ((90.0, "优秀"), (75.0, "良好"), (60.0, "合格"), (-1.0, "不合格"))
WITHHELD = "未评级"
GRADE_EN = {grade: names[1] for grade, names in TERMS["grade"].items()}
MIN_COVERAGE = 0.6
"""Below this share of decided rules the grade is withheld."""
WITHHELD_REASON = ("可判断的规则不足六成", "fewer than 60% of the applicable rules could be judged")

# Outcome codes in the batch matrix.
CODES = (Outcome.PASS, Outcome.FAIL, Outcome.NOT_ASSESSABLE, Outcome.NOT_APPLICABLE, Outcome.WAIVED)
PASS, FAIL, NA, NAPP, WAIVED = range(5)


def grade_for(score: float | None, has_error: bool, coverage: float | None = None) -> tuple[str, bool]:
    """(grade, capped) for a score; ``capped`` when an error kept it from 优秀. With a
    ``coverage`` below :data:`MIN_COVERAGE` the grade is withheld (:data:`WITHHELD`)."""
    if score is None:
        return "—", False
    if coverage is not None and coverage < MIN_COVERAGE:
        return WITHHELD, False
    grade = next(g for limit, g in GRADES if score >= limit)
    if has_error and grade == "优秀":
        return "良好", True
    return grade, False


def score_matrix(codes: np.ndarray, points: np.ndarray, categories: Sequence[str],
                 error_fail: np.ndarray) -> list[Score]:
    """Scores of many reports at once.

    Args:
        codes: (reports × rules) outcome codes (see ``CODES``).
        points: (reports × rules) points *w × f* of each rule for each report.
        categories: the category of each rule.
        error_fail: (reports,) True where an error-severity rule failed.
    """
    decided = (codes == PASS) | (codes == FAIL)
    earned = np.where(codes == PASS, points, 0.0)
    possible = np.where(decided, points, 0.0)
    cats = np.asarray(categories)
    per_cat = {}
    for cat in CATEGORIES:
        cols = cats == cat
        per_cat[cat] = (earned[:, cols].sum(axis=1), possible[:, cols].sum(axis=1),
                        (codes[:, cols] == PASS).sum(axis=1), (codes[:, cols] == FAIL).sum(axis=1),
                        (codes[:, cols] == NA).sum(axis=1))
    tot_e, tot_p = earned.sum(axis=1), possible.sum(axis=1)
    overall = _percent(tot_e, tot_p)
    cat_percent = {cat: _percent(e, p) for cat, (e, p, _, _, _) in per_cat.items()}
    counts = [(codes == c).sum(axis=1).tolist() for c in range(5)]
    cat_counts = {cat: (ps.tolist(), fl.tolist(), na.tolist()) for cat, (_, _, ps, fl, na) in per_cat.items()}
    errors = error_fail.tolist()
    earned_l, possible_l = tot_e.tolist(), tot_p.tolist()
    out = []
    coverages: dict[tuple[int, int], Coverage] = {}  # a batch has few distinct pairs
    for r in range(codes.shape[0]):
        decided_r = counts[PASS][r] + counts[FAIL][r] + counts[WAIVED][r]
        applicable = decided_r + counts[NA][r]
        coverage = coverages.get((decided_r, applicable))
        if coverage is None:
            coverage = coverages[(decided_r, applicable)] = Coverage(
                decided_r, applicable, round(decided_r / applicable, 4) if applicable else None)
        grade, capped = grade_for(overall[r], errors[r], decided_r / applicable if applicable else None)
        cat_scores = tuple(CategoryScore(cat, cat_percent[cat][r], cat_counts[cat][0][r], cat_counts[cat][1][r],
                                         cat_counts[cat][2][r]) for cat in per_cat)
        out.append(Score(overall[r], grade, cat_scores, counts[PASS][r], counts[FAIL][r], counts[NA][r],
                         counts[NAPP][r], counts[WAIVED][r], earned_l[r], possible_l[r], capped, coverage))
    return out


def _percent(earned: np.ndarray, possible: np.ndarray) -> list[float | None]:
    """100 × earned / possible rounded to one decimal, None where nothing was possible."""
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.round(100.0 * earned / possible, 1)
    return [None if p <= 0 else v for v, p in zip(pct.tolist(), possible.tolist())]


def score(outcomes: Sequence[tuple[str, Severity, int, Outcome]]) -> Score:
    """The score of one report from (category, effective severity, weight, outcome) per rule: :func:`score_matrix`
    on one row (for a formula's examples; a run scores all its reports at once in :mod:`checker.run`)."""
    codes = np.array([[CODES.index(o) for _, _, _, o in outcomes]], dtype=np.int8).reshape(1, -1)
    points = np.array([[w * FACTOR[s] for _, s, w, _ in outcomes]], dtype=float).reshape(1, -1)
    error_fail = np.array([any(s is Severity.ERROR and o is Outcome.FAIL for _, s, _, o in outcomes)])
    return score_matrix(codes, points, [c for c, _, _, _ in outcomes], error_fail)[0]
