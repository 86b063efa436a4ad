"""A test-only prlint plugin whose check yields insights, for the HTML corpus report's tests.

``test-insights`` learns, per company of the corpus model, the spellings of "Acme" (Acmee and
Acmy are variants), the e-mail domains used, and the "second dose N-M days" fact by release
date (a value that differs from the most common one is a conflict). It reports no findings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import regex

from prlint.api import Check, CheckContext, Extraction, Insight, InsightPoint, Severity
from prlint.corpus import Corpus
from prlint.document import Document

_NAME = regex.compile(r"\bAcm(?:e|ee|y)\b")
_DOMAIN = regex.compile(r"@([\w-]+(?:\.[\w-]+)+)")
_DOSE = regex.compile(r"second dose (?:approximately )?(\d+-\d+ days)")


class AcmeInsights(Check):
    """What the releases say about Acme Corp: names, domains and the dose interval (test only).

    Passes: ``Acme Corp. today announced``
    Fails: nothing; this check only yields insights.
    """

    name = "test-insights"
    severity = Severity.INFO
    summary = "names, domains and a fact of Acme Corp for the corpus report (test only)"
    cross_release = True

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        def found(pattern: regex.Pattern[str], group: int) -> list[tuple[str, int]]:
            return [
                (m.group(group), doc.anchor(*m.span(group)).line)
                for m in pattern.finditer(doc.text)
            ]

        return Extraction(
            facts={
                "date": doc.meta.release_date,
                "names": found(_NAME, 0),
                "domains": found(_DOMAIN, 1),
                "dose": found(_DOSE, 1),
            }
        )

    def insights(self, corpus: Corpus, ctx: CheckContext) -> Iterator[Insight]:
        by_company: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for record, f in corpus.facts(self.name):
            by_company[corpus.companies.company_of(record.path) or ""].append((record.path, f))
        for company, facts in sorted(by_company.items()):
            facts.sort(key=lambda pf: (pf[1]["date"] is None, pf[1]["date"] or "", pf[0]))
            yield from _insights(company, facts)


def _insights(company: str, facts: Sequence[tuple[str, dict[str, Any]]]) -> Iterator[Insight]:
    def points(kind: str, status: Any) -> tuple[InsightPoint, ...]:
        return tuple(
            InsightPoint(value, path, line, f["date"], status(value))
            for path, f in facts
            for value, line in f[kind]
        )

    yield Insight(
        company, "names", "Acme",
        points("names", lambda v: "canonical" if v == "Acme" else "variant"),
    )  # fmt: skip
    yield Insight(company, "domains", "e-mail", points("domains", lambda v: ""))
    doses = Counter(value for _, f in facts for value, _ in f["dose"])
    usual = doses.most_common(1)[0][0] if doses else ""
    yield Insight(
        company, "facts", "second dose interval",
        points("dose", lambda v: "" if v == usual else "conflict"),
        note=f"usually {usual}",
    )  # fmt: skip
