"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class MixedStyle(Check):
    """Two styles of the same thing in one release (Phase 1 / Phase I)."""

    name = "mixed-style"
    severity = Severity.WARNING
    summary = "two styles of the same thing in one release (Phase 1 / Phase I)"
