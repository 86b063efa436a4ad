"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class DateMismatch(Check):
    """Header, dateline, front-matter and file-name dates that disagree."""

    name = "date-mismatch"
    severity = Severity.WARNING
    summary = "header, dateline, front-matter and file-name dates that disagree"
