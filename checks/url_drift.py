"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class UrlDrift(Check):
    """A URL or e-mail domain that is a near miss of, or differs from, the company's usual one."""

    name = "url-drift"
    severity = Severity.ERROR
    summary = "a URL or e-mail domain that is a near miss of, or differs from, the company's usual one"
