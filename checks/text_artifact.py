"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class TextArtifact(Check):
    """Escaped markup, HTML entities, mojibake, control or zero-width characters."""

    name = "text-artifact"
    severity = Severity.WARNING
    summary = "escaped markup, HTML entities, mojibake, control or zero-width characters"
