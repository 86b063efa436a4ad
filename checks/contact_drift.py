"""SKELETON: to be replaced by the real check."""

from __future__ import annotations

from prlint.api import Check, Severity


class ContactDrift(Check):
    """One organisation's or person's phone or e-mail given differently across releases."""

    name = "contact-drift"
    severity = Severity.WARNING
    summary = "one organisation's or person's phone or e-mail given differently across releases"
