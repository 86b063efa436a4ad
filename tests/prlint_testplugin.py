"""A test-only prlint plugin: deterministic findings, with fixes and related locations.

``tests/conftest.py`` installs it into a temporary site folder (a module plus a ``dist-info``
with an entry point), so the CLI finds it in a subprocess without pip.
"""

from __future__ import annotations

import regex

from prlint.api import Check, CheckContext, Extraction, Severity
from prlint.document import Document

_GOOD = regex.compile(r"\bAcme\b")
_TYPO = regex.compile(r"\bAcmee\b")
_MARKER = regex.compile(r"\b(TODO|FIXME)\b(.*)")


class AcmeTypo(Check):
    """Flags 'Acmee', a misspelling of 'Acme' (test only).

    Passes: ``Acme Corp. today announced``
    Fails: ``Acmee Corp. today announced`` (fix: ``Acme``)
    """

    name = "test-acme"
    severity = Severity.WARNING
    summary = "'Acmee' misspells 'Acme' (test only)"

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        good = _GOOD.search(doc.text)
        related = [doc.anchor(*good.span()).related("'Acme' used here")] if good else []
        return Extraction(
            [
                ctx.diagnostic(
                    doc.anchor(*m.span()),
                    "'Acmee' looks like a misspelling of 'Acme'",
                    fix="Acme",
                    related=related,
                )
                for m in _TYPO.finditer(doc.text)
            ]
        )


class TodoMarker(Check):
    """Flags TODO (info) and FIXME (error) markers; the message spans two lines (test only).

    Passes: ``Revenue grew 5%.``
    Fails: ``TODO: check the 5% figure``
    """

    name = "test-todo"
    severity = Severity.INFO
    summary = "TODO and FIXME markers left in the text (test only)"

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        diags = []
        for m in _MARKER.finditer(doc.text):
            severity = Severity.ERROR if m.group(1) == "FIXME" else None
            message = f"{m.group(1)} left in the text:\r\n{m.group(2).strip()}"
            diags.append(ctx.diagnostic(doc.anchor(*m.span(1)), message, severity=severity))
        return Extraction(diags)
