"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class CompanyName(Check):
    """A near miss of a canonical company or product name."""

    name = "company-name"
    severity = Severity.ERROR
    summary = "a near miss of a canonical company or product name"
