"""Batch audit of many reports (``gkcheck audit``) and the cross-year rules.

The library API (no click, no rich):

* :func:`run_audit` with :class:`AuditOptions` — audit files, folders, globs or manifests;
* :func:`write_outputs` — the summary workbook, CSV, JSON Lines, per-report JSON and dashboard;
* :func:`check_with_previous` — one report checked with the cross-year rules against last year's.

Submodules are imported on first use: the rule registry imports :mod:`checker.audit.crossyear`
and must not pull in the whole audit machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {"run_audit": "runner", "AuditOptions": "runner", "AuditSummary": "runner",
            "write_outputs": "outputs", "check_with_previous": "crossyear"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"checker.audit.{_EXPORTS[name]}"), name)
    raise AttributeError(name)


__all__ = sorted(_EXPORTS)
