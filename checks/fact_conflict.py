"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class FactConflict(Check):
    """The same fact stated with different values, across releases or within one."""

    name = "fact-conflict"
    severity = Severity.WARNING
    summary = "the same fact stated with different values, across releases or within one"
