"""stale-filing: a cited 10-K/10-Q/20-F/40-F older than the newest one due at the release date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import regex

from prlint.api import (
    Anchor,
    Check,
    CheckContext,
    Diagnostic,
    Extraction,
    Insight,
    InsightPoint,
    Option,
    Severity,
    native,
)
from prlint.checks.lib.attribution import company_of
from prlint.checks.lib.filings import (
    Filing,
    FilingRules,
    FiscalYearEnd,
    Reference,
    best_fye,
    find_references,
    fiscal_year_end_evidence,
    fiscal_year_end_votes,
    load_rules,
    newest_due,
    parse_fye,
    period_of,
)
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document
from prlint.lazyregex import lazy

STATUS_WINDOW = 100  # characters around a reference read for words about filing it
#: words about a company behind on its filings: an old report cited on purpose, at any age
_BEHIND = lazy(
    r"""\b(?:
      late|delinquen\w*|deficien\w*
    | not\s+(?:yet\s+)?(?:been\s+)?filed
    | (?:failure|failed|fail|unable|inability)\s+to\s+(?:timely\s+)?file
    | regain\w*\s+compliance|non-?compliance
    | (?:need|required?)\w*\s+to\s+(?:make|file)
    )\b""",
    regex.IGNORECASE | regex.VERBOSE,
)
#: words about filing the report itself (announced, to come, a notice): the report just due
_FILING_NEWS = lazy(
    r"""\b(?:
      timely|extension|12b-25|NT\s+10
    | delay\w*\s+(?:in\s+)?(?:the\s+)?filing|filing\s+delay
    | (?<!filed,?\s+or\s+)(?:will\s+(?:be\s+)?fil\w+|to\s+be\s+filed)
    | (?:expect|intend|plan|anticipate)\w*\s+(?:to\s+)?(?:be\s+)?fil\w+
    | (?:when|once|upon)\s+(?:the\s+)?fil\w+
    | (?:has|have|had|today)\s+(?:successfully\s+)?filed
    | (?:announce\w*|complet\w+)\s+(?:the\s+)?filing|filing\s+of\s+(?:its|the|our|their)
    )\b""",
    regex.IGNORECASE | regex.VERBOSE,
)
#: a report whose filing a release announces is the one just due: one whose period ended
#: longer ago than this, with no word of the company being behind, is still judged
NEWS_DAYS = 400


_RESTATE = lazy(
    r"\b(?:restat\w+|non-?reliance|should\s+no\s+longer\s+be\s+relied)", regex.I
)
#: a defined term after a reference: (the "2023 Form 10-K"), (the “Fiscal 2023 Annual Report”)
_DEFINED = lazy(
    r"""\G[^()]{0,40}?\(\s*(?:the\s+|our\s+)?[“"'](?P<term>(?:fiscal\s+(?:year\s+)?|FY\s*)?
    (?P<year>(?:19|20)\d\d)\s+[^”"')]{1,30})[”"']\s*\)""",
    regex.I | regex.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Cited:
    """A cited report that names its period, and where it is cited."""

    ref: Reference
    anchor: Anchor
    restated: bool = False  # in a sentence about restating it: old on purpose
    term: tuple[int, str] | None = None  # the year and text of its defined term, if any
    #: in a sentence about filing it (announced, to come): judged only when long past
    news: bool = False


@native  # decoded for every release in each run: by msgspec, in C
@dataclass(slots=True)
class Facts:
    """What the corpus phase needs of one release."""

    release_date: dt.date
    cited: list[Cited] = field(default_factory=list)
    fye_votes: dict[str, int] = field(default_factory=dict)
    #: (period end, fiscal year end) of each fiscal year the release names
    fye_dated: list[tuple[dt.date, str]] = field(default_factory=list)


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
    error. Without it, a reference is a warning ("stale") only when the newer report was due
    for every filer category, and an info ("may be stale", giving the date for each
    category) between the earliest and the latest deadline. The fiscal year end comes from
    ``company.fiscal_year_end``, else from the latest fiscal year the company's releases name
    up to the release date ("year ended June 30", "third quarter ended March 31, 2024"), so a
    company that changed its year end is judged by the new one (the next report then covers
    the transition period; one under six months goes on a 10-Q, so the next 10-K is the
    first new year's); when it stays unknown, each later quarter may end the fiscal
    year, so the later of the 10-Q and 10-K deadlines counts. A sentence about a company
    behind on its filings (late, delinquent, "regain compliance") cites an old report on
    purpose and is not judged; one about filing the report itself (announced, "has filed",
    "when filed", a 12b-25 notice) names the report just due and is judged only when that
    report's period ended more than ``NEWS_DAYS`` (400) days before the release; a sentence
    about restating a report cites it on purpose and is not called stale, and a reference
    is not stale when its release also cites the newer report; but a defined term
    after a reference must name its year (the 10-K for 2022 is not 'the "2021 Form 10-K"').

    Passes (March 4, 2014)::

        ... our Form 10-K for the year ended December 31, 2013 and our subsequent reports ...

    Fails (March 4, 2014; the 10-K for 2013 was due by 2014-03-01 for large accelerated
    filers, 2014-03-31 for non-accelerated filers)::

        ... our Form 10-K for the year ended December 31, 2012 and our subsequent reports ...
    """

    name = "stale-filing"
    severity = Severity.WARNING
    summary = "a 10-K/10-Q/20-F reference older than the newest one due at the release date"
    reads = ()
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
        facts = Facts(
            release,
            fye_votes=fiscal_year_end_votes(doc.text, refs, rules),
            fye_dated=fiscal_year_end_evidence(doc.text, refs, rules),
        )
        for i, ref in enumerate(refs):
            about = _about_the_filing(doc, ref, refs[i + 1].start if i + 1 < len(refs) else None)
            if about == "behind":
                continue
            if ref.explicit or ref.fiscal_year is not None or ref.quarter_year is not None:
                sent = doc.sentence_at(ref.start)
                restated = bool(
                    sent is not None and _RESTATE.search(doc.text, sent.start, sent.end)
                )
                term = _DEFINED.match(doc.text, ref.end)
                facts.cited.append(
                    Cited(
                        ref,
                        doc.anchor(ref.start, ref.end),
                        restated,
                        (int(term.group("year")), term.group("term").strip()) if term else None,
                        news=about == "news",
                    )
                )
        return Extraction(facts=facts)

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterator[Diagnostic]:
        rules = load_rules(ctx.packs)
        category = str(ctx.company.get("filer_category") or "")
        configured = parse_fye(ctx.company.get("fiscal_year_end"))
        judged = _with_fiscal_year_ends(corpus, self.name, configured, _reported_citing)
        for _, facts, fye in judged:
            newest = _newest_cited(facts.cited, fye)
            for cited in facts.cited:
                yield from self._judge(cited, facts.release_date, fye, category, rules, ctx, newest)

    def insights(self, corpus: Corpus, ctx: CheckContext) -> Iterator[Insight]:
        """Per company and form: every report its releases cite, with the verdict."""
        rules = load_rules(ctx.packs)
        category = str(ctx.company.get("filer_category") or "")
        configured = parse_fye(ctx.company.get("fiscal_year_end"))
        points: dict[tuple[str, str], list[InsightPoint]] = {}
        for record, facts, fye in _with_fiscal_year_ends(corpus, self.name, configured):
            newest = _newest_cited(facts.cited, fye)
            for cited in facts.cited:
                period = period_of(cited.ref, fye)
                if period is None:
                    continue
                found = self._judge(
                    cited, facts.release_date, fye, category, rules, ctx, newest
                )  # fmt: skip
                said = {_status(d.message) for d in found}
                status = next((s for s in _STATUSES if s in said), "")
                key = (company_of(corpus, record.path), cited.ref.form)
                points.setdefault(key, []).append(
                    InsightPoint(
                        _cited(cited.ref, period.latest, rules),
                        record.path,
                        cited.anchor.line,
                        facts.release_date,
                        status,
                    )
                )
        for (company, form), found_points in sorted(points.items()):
            ordered = sorted(found_points, key=lambda p: (p.date or dt.date.min, p.path, p.line))
            yield Insight(company, "filings", f"Form {form}", tuple(ordered))

    def _judge(
        self,
        cited: Cited,
        release: dt.date,
        fye: FiscalYearEnd | None,
        category: str,
        rules: FilingRules,
        ctx: CheckContext,
        newest: dt.date | None = None,
    ) -> Iterator[Diagnostic]:
        """Findings on one reference; ``newest``: the end of the newest period the release
        cites exactly (a reference is not stale when the release also cites a report at least
        as new as the one that superseded it)."""
        ref = cited.ref
        period = period_of(ref, fye)
        if period is None:
            return
        if cited.news and (release - period.latest).days <= NEWS_DAYS:
            return  # filing the report just due (announced, to come) is news, not a pointer
        overridden = ctx.severity != self.severity
        if (
            cited.term is not None
            and period.exact
            and not _names_year(cited.term[0], period.latest)
        ):
            year, words = cited.term
            yield ctx.diagnostic(
                cited.anchor,
                f"the defined term '{words}' names {year}, but it stands for "
                f"{_cited(ref, period.latest, rules)}",
            )
        if ref.tense != "ending" and period.earliest > release:
            yield ctx.diagnostic(
                cited.anchor,
                f"cites {_cited(ref, period.earliest, rules)}, a period that had not ended by the "
                f"release date {release}",
                severity=None if overridden else Severity.ERROR,
            )
            return
        if cited.restated:
            return  # restating an old report cites it on purpose
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
        if newest is not None and newest >= filing.period_end:
            return  # the release cites the newer report too
        message = (
            f"{lead}: the release of {release} cites {_cited(ref, period.latest, rules)}; "
            f"{_filing(filing, rules)} was due by {_dues(dues, rules)}"
        )
        if category in rules.categories:
            severity: Severity | None = Severity.ERROR
        else:  # no category: stale only when due for every filer; before that, may be
            severity = None if lead == "stale" else Severity.INFO
        yield ctx.diagnostic(cited.anchor, message, severity=None if overridden else severity)


def _about_the_filing(doc: Document, ref: Reference, next_start: int | None) -> str:
    """What the words around a reference (its sentence, up to ``STATUS_WINDOW`` characters
    either side, not past the next report cited) say about filing this report: "behind" (the
    company is late or delinquent), "news" (announced, to come, a notice), or "" (it points
    to the report)."""
    sent = doc.sentence_at(ref.start)
    start, end = (sent.start, sent.end) if sent is not None else (ref.start, ref.end)
    start = max(start, ref.start - STATUS_WINDOW)
    end = min(end, ref.end + STATUS_WINDOW)
    if next_start is not None and ref.end <= next_start < end:
        end = next_start
    end = max(end, ref.end)
    if _BEHIND.search(doc.text, start, end):
        return "behind"
    return "news" if _FILING_NEWS.search(doc.text, start, end) else ""


_STATUSES = ("future", "stale", "may be stale", "term")  # the first one found is shown


def _status(message: str) -> str:
    """An insight's status from a finding's message."""
    for lead in ("may be stale", "stale"):
        if message.startswith(lead + ":"):
            return lead
    return "future" if "had not ended" in message else "term"


def _names_year(year: int, end: dt.date) -> bool:
    """Whether "2023" can name the fiscal year ending ``end`` (a year ending early in a
    calendar year is often named by the year before)."""
    return year == end.year or (year == end.year - 1 and end.month <= 3)


def _reported_citing(record: DocRecord, facts: Facts) -> bool:
    return bool(facts.cited) and record.reported


def _with_fiscal_year_ends(
    corpus: Corpus,
    check: str,
    configured: FiscalYearEnd | None,
    only: Callable[[DocRecord, Facts], bool] | None = None,
) -> Iterator[tuple[DocRecord, Facts, FiscalYearEnd | None]]:
    """Each release (each that ``only`` accepts) with the fiscal year end in force at its
    date: the configured one, else the one of the latest fiscal year the company's releases
    name up to that date (a company that changed its year end is judged by the new one; a
    year end named by one release only does not count when others are named more), else the
    release's own evidence."""
    items = list(corpus.facts(check))
    dated: dict[str, list[tuple[dt.date, str]]] = {}
    for record, facts in items:
        dated.setdefault(company_of(corpus, record.path), []).extend(facts.fye_dated)
    for record, facts in items:
        if only is not None and not only(record, facts):
            continue
        fye = configured
        if fye is None:
            evidence = sorted(dated.get(company_of(corpus, record.path), []))
            counts = Counter(f for _, f in evidence)
            usual = [f for _, f in evidence if counts[f] >= 2] or [f for _, f in evidence]
            known = [(d, f) for d, f in evidence if f in usual and d <= facts.release_date]
            if known and len({f for d, f in known if d == known[-1][0]}) == 1:
                fye = parse_fye(known[-1][1])
        yield record, facts, fye or best_fye(facts.fye_votes)


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


def _newest_cited(cited: list[Cited], fye: FiscalYearEnd | None) -> dt.date | None:
    """The end of the newest period a release's references name exactly."""
    ends = [p.latest for c in cited if (p := period_of(c.ref, fye)) is not None and p.exact]
    return max(ends, default=None)
