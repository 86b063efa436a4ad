"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class StaleFiling(Check):
    """A 10-K/10-Q/20-F reference older than the newest one due at the release date."""

    name = "stale-filing"
    severity = Severity.WARNING
    summary = "a 10-K/10-Q/20-F reference older than the newest one due at the release date"
