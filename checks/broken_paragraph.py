"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class BrokenParagraph(Check):
    """A paragraph that ends mid-sentence and goes on in the next one."""

    name = "broken-paragraph"
    severity = Severity.WARNING
    summary = "a paragraph that ends mid-sentence and goes on in the next one"
