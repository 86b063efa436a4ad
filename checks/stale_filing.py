"""stale-filing: a cited 10-K/10-Q/20-F/40-F older than the newest one due at the release date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import regex

from prlint.api import Anchor, Check, CheckContext, Diagnostic, Extraction, Option, Severity
from prlint.checks.filings import (
    Filing,
    FilingRules,
    FiscalYearEnd,
    Reference,
    best_fye,
    find_references,
    fiscal_year_end_votes,
    load_rules,
    newest_due,
    parse_fye,
    period_of,
)
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document

STATUS_WINDOW = 100  # characters around a reference read for words about filing it
#: words about filing the report itself (late, announced, to come): no pointer to the latest
_FILING_STATUS = regex.compile(
    r"""\b(?:
      late|timely|delinquen\w*|deficien\w*|extension|12b-25|NT\s+10|restat\w+
    | not\s+(?:yet\s+)?(?:been\s+)?filed
    | (?:failure|failed|fail|unable|inability)\s+to\s+(?:timely\s+)?file
    | delay\w*\s+(?:in\s+)?(?:the\s+)?filing|filing\s+delay
    | regain\w*\s+compliance|non-?compliance
    | (?<!filed,?\s+or\s+)(?:will\s+(?:be\s+)?fil\w+|to\s+be\s+filed)
    | (?:expect|intend|plan|anticipate)\w*\s+(?:to\s+)?(?:be\s+)?fil\w+
    | (?:when|once|upon)\s+(?:the\s+)?fil\w+
    | (?:need|required?)\w*\s+to\s+(?:make|file)
    | (?:has|have|had|today)\s+(?:successfully\s+)?filed
    | (?:announce\w*|complet\w+)\s+(?:the\s+)?filing|filing\s+of\s+(?:its|the|our|their)
    )\b""",
    regex.IGNORECASE | regex.VERBOSE,
)


@dataclass(frozen=True)
class Cited:
    """A cited report that names its period, and where it is cited."""

    ref: Reference
    anchor: Anchor


@dataclass
class Facts:
    """What the corpus phase needs of one release."""

    release_date: dt.date
    cited: list[Cited] = field(default_factory=list)
    fye_votes: dict[str, int] = field(default_factory=dict)


class StaleFiling(Check):
    """A cited 10-K, 10-Q, 20-F or 40-F (or /A) that is not the newest one due at the release
    date ("Form 10-K for the year ended December 31, 2012" on March 4, 2014), or one for a
    period that had not ended yet.

    The release date comes from the dateline, header, front matter, file name or dated
    folders; an undated release gets no verdict (``prlint check -v`` lists them). Deadlines
    come from ``packs/filings.yaml`` (a pack may add forms): 10-K 60/75/90 days after the
    fiscal year end for large accelerated / accelerated / non-accelerated filers, 10-Q
    40/40/45 days after the quarter (no 10-Q for the fourth quarter: the 10-K follows the
    third), 20-F four months, 40-F 90 days; a deadline on a weekend is not moved unless
    ``business-days`` is set. With ``company.filer_category`` set, a stale reference is an
    error; without it the earliest deadline counts and the warning says "may be stale" until
    every category's deadline has passed, giving the date for each. The fiscal year end comes
    from ``company.fiscal_year_end``, else from the release and the company's other releases
    ("year ended June 30"); when it stays unknown, each later quarter may end the fiscal
    year, so the later of the 10-Q and 10-K deadlines counts. A sentence about filing the
    report itself (late, announced, "when filed") is no pointer and is not judged.

    Passes (March 4, 2014)::

        ... our Form 10-K for the year ended December 31, 2013 and our subsequent reports ...

    Fails (March 4, 2014; the 10-K for 2013 was due by 2014-03-01 for large accelerated
    filers, 2014-03-31 for non-accelerated filers)::

        ... our Form 10-K for the year ended December 31, 2012 and our subsequent reports ...
    """

    name = "stale-filing"
    severity = Severity.WARNING
    summary = "a 10-K/10-Q/20-F reference older than the newest one due at the release date"
    options: ClassVar[Mapping[str, Option]] = {
        "business-days": Option(
            False, "move a deadline that falls on a Saturday or Sunday to the next Monday"
        ),
    }
    cross_release = True  # the fiscal year end may be learnt from the company's other releases

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        release = doc.meta.release_date
        if release is None:
            return Extraction()
        rules = load_rules(ctx.packs)
        refs = find_references(doc.text, rules)
        facts = Facts(release, fye_votes=fiscal_year_end_votes(doc.text, refs, rules))
        for i, ref in enumerate(refs):
            if _about_the_filing(doc, ref, refs[i + 1].start if i + 1 < len(refs) else None):
                continue
            if ref.explicit or ref.fiscal_year is not None or ref.quarter_year is not None:
                facts.cited.append(Cited(ref, doc.anchor(ref.start, ref.end)))
        return Extraction(facts=facts)

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterator[Diagnostic]:
        rules = load_rules(ctx.packs)
        category = str(ctx.company.get("filer_category") or "")
        configured = parse_fye(ctx.company.get("fiscal_year_end"))
        by_company = _company_votes(corpus.facts(self.name))
        for record, facts in corpus.facts(self.name):
            if not facts.cited or not record.reported:
                continue
            fye = (
                configured
                or best_fye(facts.fye_votes)
                or best_fye(by_company.get(_company_key(record) or "", {}))
            )
            for cited in facts.cited:
                yield from self._judge(cited, facts.release_date, fye, category, rules, ctx)

    def _judge(
        self,
        cited: Cited,
        release: dt.date,
        fye: FiscalYearEnd | None,
        category: str,
        rules: FilingRules,
        ctx: CheckContext,
    ) -> Iterator[Diagnostic]:
        ref = cited.ref
        period = period_of(ref, fye)
        if period is None:
            return
        overridden = ctx.severity != self.severity
        if ref.tense != "ending" and period.earliest > release:
            yield ctx.diagnostic(
                cited.anchor,
                f"cites {_cited(ref, period.earliest, rules)}, a period that had not ended by the "
                f"release date {release}",
                severity=None if overridden else Severity.ERROR,
            )
            return
        cats = [category] if category in rules.categories else list(rules.categories)
        roll = bool(ctx.options.get("business-days"))
        found = newest_due(ref.form, period.latest, fye, release, rules, cats, every=True,
                           roll_weekends=roll)  # fmt: skip
        lead = "stale"
        if found is None:
            found = newest_due(ref.form, period.latest, fye, release, rules, cats,
                               roll_weekends=roll)  # fmt: skip
            lead = "may be stale"
        if found is None:
            return
        filing, dues = found
        message = (
            f"{lead}: the release of {release} cites {_cited(ref, period.latest, rules)}; "
            f"{_filing(filing, rules)} was due by {_dues(dues, rules)}"
        )
        severity = Severity.ERROR if category in rules.categories else None
        yield ctx.diagnostic(cited.anchor, message, severity=None if overridden else severity)


def _about_the_filing(doc: Document, ref: Reference, next_start: int | None) -> bool:
    """Whether the words around a reference (its sentence, up to ``STATUS_WINDOW`` characters
    either side, not past the next report cited) are about filing this report (late,
    announced, to come) rather than pointing to it."""
    sent = doc.sentence_at(ref.start)
    start, end = (sent.start, sent.end) if sent is not None else (ref.start, ref.end)
    start = max(start, ref.start - STATUS_WINDOW)
    end = min(end, ref.end + STATUS_WINDOW)
    if next_start is not None and ref.end <= next_start < end:
        end = next_start
    return bool(_FILING_STATUS.search(doc.text, start, max(end, ref.end)))


def _company_key(record: DocRecord) -> str | None:
    if record.ticker:
        return f"ticker:{record.ticker.upper()}"
    if record.company:
        return f"name:{record.company.casefold()}"
    return None


def _company_votes(items: Iterable[tuple[DocRecord, Facts]]) -> dict[str, Counter[str]]:
    """Fiscal-year-end votes summed over each company's releases."""
    out: dict[str, Counter[str]] = {}
    for record, facts in items:
        key = _company_key(record)
        if key is not None and facts.fye_votes:
            out.setdefault(key, Counter()).update(facts.fye_votes)
    return out


def _period_words(form: str, end: dt.date, annual: bool) -> str:
    if annual:
        if (end.month, end.day) == (12, 31):
            return f"the {form} for fiscal {end.year}"
        return f"the {form} for the fiscal year ended {end}"
    return f"the {form} for the quarter ended {end}"


def _cited(ref: Reference, end: dt.date, rules: FilingRules) -> str:
    form = ref.form + ("/A" if ref.amended else "")
    if ref.fiscal_year is not None and not ref.explicit:
        return f"the {form} for fiscal {ref.fiscal_year}"
    return _period_words(form, end, rules.forms[ref.form].period == "annual")


def _filing(filing: Filing, rules: FilingRules) -> str:
    if len(filing.forms) > 1:
        return f"the {filing.form} for the period ended {filing.period_end}"
    return _period_words(filing.form, filing.period_end, filing.annual)


def _dues(dues: Mapping[str, dt.date], rules: FilingRules) -> str:
    """Deadlines grouped by day: "2018-11-09 (large accelerated and accelerated filers) or ..."."""
    groups: dict[dt.date, list[str]] = {}
    for cat, day in dues.items():
        groups.setdefault(day, []).append(cat)
    if len(groups) == 1 and len(dues) > 1:
        return f"{next(iter(groups))} (all filers)"
    parts = []
    for day, cats in groups.items():
        labels = [rules.labels.get(c, c) for c in cats]
        if len(labels) > 1:  # "large accelerated filers and accelerated filers" -> one "filers"
            labels = [lab.removesuffix(" filers") for lab in labels[:-1]] + labels[-1:]
        parts.append(f"{day} ({' and '.join(labels)})")
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"
