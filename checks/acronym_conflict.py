"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class AcronymConflict(Check):
    """An acronym expanded two different ways."""

    name = "acronym-conflict"
    severity = Severity.WARNING
    summary = "an acronym expanded two different ways"
