"""Batch audit of many reports (``gkcheck audit``) and the cross-year rules.

The library API (no click, no rich):

* :func:`run_audit` with :class:`AuditOptions` — audit files, folders, globs or manifests;
* :func:`write_outputs` — the summary workbook, CSV, JSON Lines, per-report JSON and dashboard.

One report with the cross-year rules against last year's: ``checker.check(doc, previous=...)``.
Submodules are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {"run_audit": "runner", "AuditOptions": "runner", "AuditSummary": "runner",
            "write_outputs": "outputs"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"checker.audit.{_EXPORTS[name]}"), name)
    raise AttributeError(name)


__all__ = ["AuditOptions", "AuditSummary", "run_audit", "write_outputs"]
