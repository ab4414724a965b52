"""Imported by the fork server of ``gkcheck serve`` (:mod:`checker.web.isolate`): the checker's
modules imported and the bundled rules compiled once, so that each check's process starts ready."""

from checker.api import compiled_ruleset
from checker.web import service  # noqa: F401 - imported for the children

compiled_ruleset()
