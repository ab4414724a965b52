"""Compile rule instances into engine objects: one pandera schema and one merged JSON Schema.

* Frame instances become pandera ``Check``s over the cell frame. Each check is False for the
  rows that violate it; the adapter (:func:`frame_failures`) keeps those the instance can
  decide (``FrameCheck.assessable``); the engine keeps those the rule applies to.
* JSON instances each get a jsonschema validator, run on the smallest projection of a
  report that holds what the instance reads; identical projections are validated once.
* Pair instances (cross-year kinds) need nothing compiled; the engine runs them over the
  profiles of (this year, last year) pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd
import pandera.pandas as pa

from checker.formats import FORMATS, KINDS, LEVELS
from checker.frame import meta_col
from checker.kinds.base import FrameCheck, JsonCheck
from checker.kinds.pair import PairCheck, profile_cells
from checker.loader import Instance, RuleSet
from checker.model import Rule
from checker.patterns import re2_validator


def applicability(rule: Rule, df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(applies, unknown): rows the rule applies to, and rows where metadata it needs is unknown."""
    n = len(df)
    applies = np.ones(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    spec = rule.applies_to
    for key, options in (("kinds", KINDS), ("levels", LEVELS)):
        if key in spec:
            codes = df[meta_col(key[:-1])].to_numpy()
            wanted = [options.index(v) for v in spec[key]]
            unknown |= codes < 0
            applies &= np.isin(codes, wanted) | (codes < 0)
    year = df[meta_col("year")].to_numpy()
    if "year_min" in spec:
        applies &= year >= spec["year_min"]
    if "year_max" in spec:
        applies &= year <= spec["year_max"]
    return applies, unknown & applies


def format_mask(inst: Instance, df: pd.DataFrame) -> np.ndarray:
    """Rows whose table format is one the instance applies to."""
    codes = df[meta_col("format")].to_numpy()
    return np.isin(codes, [FORMATS.index(f) for f in inst.formats])


_GATE_COLUMNS = [meta_col("format"), meta_col("kind"), meta_col("level"), meta_col("year")]


@dataclass(frozen=True)
class FramePlan:
    """One pandera ``Check`` per frame instance, run on just the columns it reads.

    Each check is run through pandera's check backend (``Check.__call__``), which returns a
    ``CheckResult`` whose boolean ``check_output`` marks the rows that do not violate it.
    Schema-level validation is not used: it would format an error message listing every failure
    case, which costs more than the checks themselves on a large batch. Whether a rule applies
    to a row (its gate) is the engine's, computed once per rule.
    """

    items: tuple[tuple[Instance[FrameCheck], list[str], pa.Check], ...]


def frame_plan(instances: list[Instance[FrameCheck]]) -> FramePlan:
    """Compile every frame instance into a pandera check."""
    items = []
    for inst in instances:
        check = inst.check

        def fn(df: pd.DataFrame, check: Any = check) -> pd.Series:
            return pd.Series(~np.asarray(check.violated(df), dtype=bool), index=df.index)

        columns = list(dict.fromkeys([*_GATE_COLUMNS, *check.columns, *getattr(check, "context_columns", ())]))
        items.append((inst, columns, pa.Check(fn, name=inst.key, error=inst.key)))
    return FramePlan(tuple(items))


def frame_failures(plan: FramePlan, df: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Run the pandera checks (the pandera adapter): per instance key, (the rows it can decide, the
    positions of the rows among those that fail it). Pure: nothing is kept between runs."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for inst, columns, check in plan.items:
        sub = df[columns]
        decided = np.asarray(inst.check.assessable(sub), dtype=bool)
        result = check(sub)
        failing = (np.zeros(len(df), dtype=bool) if result.check_passed
                   else ~result.check_output.to_numpy(dtype=bool))
        out[inst.key] = (decided, np.flatnonzero(failing & decided))
    return out


@dataclass(frozen=True)
class JsonPlan:
    """One jsonschema validator per JSON instance, run on projections (the jsonschema adapter)."""

    validators: dict[str, Any]

    def failing(self, inst: Instance[JsonCheck], docs: list[dict[str, Any]]) -> np.ndarray:
        """Rows of ``docs`` whose projection fails the instance's schema.

        Each distinct projection is validated once; reports that share it share the answer.
        """
        check = inst.check
        validator = self.validators[inst.key]
        answers: dict[Any, bool] = {}
        out = np.zeros(len(docs), dtype=bool)
        for r, doc in enumerate(docs):
            key = check.projection(doc)
            bad = answers.get(key)
            if bad is None:
                bad = answers[key] = not validator.is_valid(check.document(doc))
            out[r] = bad
        return out


def json_plan(instances: list[Instance[JsonCheck]]) -> JsonPlan:
    """Build a validator for every JSON instance."""
    validators = {inst.key: re2_validator(inst.check.schema) for inst in instances}
    return JsonPlan(validators)


@dataclass
class Compiled:
    """A rule set compiled for the engine."""

    ruleset: RuleSet
    frame_instances: list[Instance[FrameCheck]]
    json_instances: list[Instance[JsonCheck]]
    frame: FramePlan
    plan: JsonPlan
    pair_instances: list[Instance[PairCheck]]
    pair_cells: frozenset[str]

    @property
    def fingerprint(self) -> str:
        """The rule set's :attr:`~checker.loader.RuleSet.fingerprint` (content of the rules and configuration)."""
        return self.ruleset.fingerprint


def compile_ruleset(ruleset: RuleSet) -> Compiled:
    """Compile every instance of ``ruleset``."""
    # Dispatched by the type of each instance's check: one family, one way the engine runs it.
    frame_insts = _of(ruleset.instances, FrameCheck)
    json_insts = _of(ruleset.instances, JsonCheck)
    pair_insts = _of(ruleset.instances, PairCheck)
    return Compiled(ruleset, frame_insts, json_insts, frame_plan(frame_insts), json_plan(json_insts), pair_insts,
                    frozenset(profile_cells(pair_insts)))


CheckFamily = TypeVar("CheckFamily", FrameCheck, JsonCheck, PairCheck)


def _of(instances: Sequence[Instance[Any]], family: type[CheckFamily]) -> list[Instance[CheckFamily]]:
    """The instances whose check is of ``family``."""
    return [cast(Instance[CheckFamily], i) for i in instances if isinstance(i.check, family)]
