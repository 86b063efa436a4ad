"""A tiny third-party prlint plugin: two checks registered in the ``prlint.checks`` group.

``example-word`` is a per-document check (placeholder words left in a release);
``example-duplicate-title`` is a cross-release check (two releases with the same title).
prlint's own tests use them to exercise the engine with exact, stable expectations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import ClassVar

import regex

from prlint.api import Anchor, Check, CheckContext, Diagnostic, Extraction, Option, Severity
from prlint.corpus import Corpus
from prlint.document import Document


class PlaceholderWord(Check):
    """Placeholder words left in a release (``TODO``, ``XXX``).

    Passes::

        Acme Corp. today announced record revenue.

    Fails::

        Acme Corp. today announced record revenue of $TODO million.
    """

    name = "example-word"
    severity = Severity.WARNING
    summary = "a placeholder word left in the text"
    options: ClassVar[Mapping[str, Option]] = {
        "words": Option(["TODO", "XXX"], "words that must not appear (whole words)", list),
    }

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        words = [str(w) for w in ctx.options["words"] if str(w) not in ctx.allow]
        if not words:
            return Extraction()
        pattern = regex.compile(r"\b(?:" + "|".join(regex.escape(w) for w in words) + r")\b")
        diags = [
            ctx.diagnostic(doc.anchor(m.start(), m.end()), f"placeholder '{m.group()}' left in")
            for m in pattern.finditer(doc.text)
        ]
        return Extraction(diagnostics=diags)


class DuplicateTitle(Check):
    """Two releases with the same title (the first paragraph), reported on each of them.

    Passes: every release has its own title. Fails::

        a.txt: Acme Opens a Plant in Ohio
        b.txt: Acme Opens a Plant in Ohio
    """

    name = "example-duplicate-title"
    severity = Severity.WARNING
    summary = "two releases with the same title"
    cross_release = True

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        if not doc.paragraphs:
            return Extraction()
        first = doc.paragraphs[0]
        end = doc.text.find("\n", first.start, first.end)
        end = first.end if end < 0 else end
        title = " ".join(doc.text[first.start : end].split()).casefold()
        return Extraction(facts=(title, doc.anchor(first.start, end)))

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterator[Diagnostic]:
        groups: dict[str, list[Anchor]] = defaultdict(list)
        for _record, (title, anchor) in corpus.facts(self.name):
            groups[title].append(anchor)
        for anchors in groups.values():
            if len(anchors) < 2:
                continue
            for anchor in anchors:
                others = [a for a in anchors if a.path != anchor.path]
                yield ctx.diagnostic(
                    anchor,
                    f"same title as {len(others)} other release(s)",
                    related=[a.related("same title here") for a in others],
                )
