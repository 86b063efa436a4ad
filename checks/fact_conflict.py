"""fact-conflict: the same fact stated with different values, across releases or within one."""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Any, ClassVar

import regex
from rapidfuzz import fuzz

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
)
from prlint.checks.lib.attribution import company_at
from prlint.checks.lib.conversions import conversion_slips
from prlint.checks.lib.quantities import (
    MEASURE_UNITS,
    Quantity,
    agree,
    codes,
    find_quantities,
    period_of,
    periods,
    singular,
    statement_tokens,
)
from prlint.checks.lib.timeline import (
    CONFLICT,
    HELD,
    STALE,
    UPDATE,
    Point,
    Verdict,
    judge,
    near,
)
from prlint.companies import LEGAL_FORMS
from prlint.config import ConfigError
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document, Span
from prlint.lazyregex import lazy

_DIGIT = lazy(r"\d")
_TICKER = lazy(
    r"\((?:NASDAQ|Nasdaq|NYSE|OTC|TSX|CSE|ASX|LSE|AIM|Cboe|CBOE|NEO|FSE)[\w\s-]*:\s*([A-Z][A-Z0-9.-]{0,6})"
)
#: headline values not checked against the body: amounts, rates and counts of securities
_NOT_HEADLINE_UNITS = frozenset(
    {"$", "%", "", "share", "warrant", "unit", "stock", "security"}
    | {"second", "minute", "hour", "day", "week", "month", "year"}
)
#: characters before and after a value where a period word governs it
_GOVERN = (80, 40)
#: a sentence that opens with one of these reports a running total of the release's period
_RUNNING = lazy(
    r"\W*(?:so\s+far\s+)?this\s+(?:year|quarter|month)\b|\W*(?:year|quarter)[-\s]to[-\s]date\b",
    regex.IGNORECASE,
)
_STATEMENT = 8  # content words a sentence needs to state one fact twice in one release
_HEADING = 120  # characters a heading line may have
_TITLE = 250  # characters a title line may have
_CORE = 3  # content words before a value that say what it is about
_WINDOW = 8  # content words on each side of a value that make its statement
#: a statement repeated by this many companies is a newswire's or agency's, not their fact
_SHARED = 3
_SHARED_KEY = "shared"
#: figures of a paragraph that may differ between two of its copies for one to be a slip
_CO_CHANGED = 2
_GROWTH_DAYS = 14  # fewest days between two statements for a figure to have grown
_SLIP = 80  # rapidfuzz ratio of a misspelt name to the name
_NEAR_DAYS = 183  # a value is judged against statements at most this far from it in time
_SMALL = 0.08  # a change smaller than this share of the lower value is a restatement or growth
_SLOW_DAYS = 60  # a lone value that grew from (or to) releases this far away is growth
_FEW = 50  # below this, a small change within weeks is a slip of one or two, not rounding


@dataclass(frozen=True)
class PackFact:
    """One fact pattern of a pack: a cue and either units or a text value."""

    name: str
    cue: regex.Pattern[str]
    units: frozenset[str] = frozenset()
    text: regex.Pattern[str] | None = None
    near: int = 80


Member = tuple[DocRecord, "Mention"]


@dataclass(frozen=True, slots=True)
class Block:
    """The paragraph a statement stands in (whitespace collapsed); shared by its mentions.

    Kept compressed: the corpus phase holds every release's and reads only the few of values
    that differ (see :func:`_restated`)."""

    packed: bytes

    @classmethod
    def of(cls, text: str) -> Block:
        return cls(zlib.compress(text.encode("utf-8", "surrogatepass")))

    @property
    def text(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class Mention:
    """One value of a statement: what the corpus phase compares."""

    anchor: Anchor
    value: Quantity | str  # a quantity, or the normalised text of a text-valued pack fact
    shown: str  # the value as written
    phrase: str  # the value with a few words around it, as written
    key: tuple[str, ...]  # unit, period, subject or pack fact, and the words around the value
    signature: str  # the content words around the value, values masked as "#"
    subjects: tuple[str, ...]
    fact: str = ""  # the pack fact's name, if a pack matched
    headline: bool = False
    others: tuple[Quantity, ...] = ()  # the sentence's other values
    context: str = ""  # the content words next to the value
    sentence: str = ""  # the sentence's content words, values masked
    block: Block | None = None  # the paragraph around the value, as written


class FactConflict(Check):
    """The same fact stated with different values, across releases or within one.

    Releases repeat facts: doses, dose windows, enrolment targets, numbers of sites, patents,
    customers, market figures in the boilerplate. Each number or range is read with its unit
    and qualifier ("approximately 80-160 days", "between 80 and 160 days", "over 70 models",
    "$2 million", "25.0 mCi/m²") and keyed by the company (ticker, else folder), its unit, the
    product or trial code of the sentence and the words just before and after it, numbers
    masked. Statements with the same key whose wording agrees (rapidfuzz on the words around
    the value; a little looser when they name the same product) are one fact; their values
    must agree (rounding, "up to" and a value inside a range allowed).

    * Values are judged in date order (``checks/lib/timeline.py``): two values in one
      release, a release whose value no other release states, a lone release between
      releases that agree, and a value that flips back are conflicts, related to the other
      side. A change that holds (two releases or more after two or more before) is an update
      and is not reported unless ``report-updates`` is set (then info, with the date); a
      release that repeats the old value after an update is a stale copy (warning). A value
      that moves one way release after release (132, 137, 142 sites) is not a conflict.
    * Statements bound to a period ("revenue for the three months ended March 31, 2025", "cash
      of $3.8 million as of December 31, 2024") are keyed by the period; results, changes,
      share counts and prices without one are not compared across releases. A period word
      counts only near the value it governs, and a year without one ("founded in 2001") is
      not part of the key; a sentence that opens with "This year" or "year to date" reports
      a running total of its release's period. A verb ("offering a tool", "shares its") is no
      period word, and "97 U.S. patents" is a count. Tables, dates, phone numbers, access
      codes and citations are not facts. A sentence that names another listed company
      states that company's facts. A statement repeated by three companies or more is a
      newswire's boilerplate: judged on its own, where only a value that no other release
      uses is reported.
    * Two values conflict only where one paragraph is repeated with a figure changed: the
      paragraphs around them, figures masked, are alike (``paragraph-similarity``, or one
      is a part of a paragraph twice as long), neither names a period or date the other
      does not, they do not each name a subject the other lacks (capitalised words,
      misspellings aside), and at most two of their figures differ. A paragraph rewritten around the
      value, bound to another date, or whose figures changed together states another fact
      or a real change. A lone count or amount stated as a bound or a round figure ("over
      45", "around 5,000") that grows at an end of the history is growth, and so is an
      exact one that grows from (or to) a value that held in two releases; not within two
      weeks of the releases it grows from (``_GROWTH_DAYS``: a figure does not grow in days).
      A statement whose value agrees with a finding's is never its other side. A company
      may keep several wordings of one fact: a value that the latest releases restating its
      own paragraph state too, undisputed there, is that wording's update, not a slip.
    * Time and logic (``_NEAR_DAYS``, ``_SMALL``, ``_SLOW_DAYS``; pack facts excepted): a
      value is judged only against statements within six months of it; values that can both
      be true are no conflict (two lower bounds within 8% unless the later is the lower, or
      one written coarser, "more than 8 billion" for 8.8 billion; a lower bound the other
      figure keeps, a value qualified otherwise than the other side,
      "25" and "nearly 30"); a total that rises by less than 8% (50 or more) or changes by
      less than 8% two months apart or more is growth or an update; and a lone lower bound
      that grew from (or to) releases more than two months away is growth.
    * Inside one release: two statements of one paragraph with the same unit that gave one
      figure in two earlier releases of the company or more, one of them changed and the
      other not ("includes 142 facilities ... The 178 facilities comprise ..."; an exact
      figure: a value inside a range only agrees with it); a headline's "36-Patient" against
      "approximately 40 patients"; and a measurement whose conversion in parentheses fails
      ("90 kilometers (66 miles)": 90 km is 56 miles), each number read as the interval it
      rounds, with 2% of slack (5% after "approximately"); an ounce may be troy or
      avoirdupois (see :mod:`prlint.checks.lib.conversions`).

    Fact packs: YAML files in ``checks/packs/`` or named by the config's ``packs`` with a
    top-level ``facts:`` list name facts of a domain; packs without ``facts`` are ignored::

        facts:
          - name: second dose window           # how findings call the fact
            cue: '\\bsecond\\s+(?:\\S+\\s+){0,3}?dose'   # a regex (case-insensitive)
            units: [day, week, month]          # the value: the nearest quantity in these units
            near: 80                           # at most this many characters after the cue
          - name: primary endpoint
            cue: '\\bprimary\\s+endpoint'
            text: '\\bis\\s+(?P<value>[^.;,(]{3,80})'   # or a text value: group "value"

    Units are the canonical ones (day, week, month, year, %, $, mg, mCi/m², ...) or a counted
    noun in the singular (patient, site, center). Values of one pack fact are compared per
    company and product code, however the sentence is worded.

    Passes (the window is stated the same way)::

        a.txt: ... with the option of a second dose approximately 80-160 days later.
        b.txt: ... with the option for a second dose approximately 80 to 160 days later.

    Fails (reported on both)::

        a.txt: ... with the option of a second dose approximately 80-160 days later.
        b.txt: ... with the option for a second 25.0 mCi/m² dose approximately 75-180 days later.
    """

    name = "fact-conflict"
    severity = Severity.WARNING
    summary = "the same fact stated with different values, across releases or within one"
    reads = ()
    cross_release = True
    options: ClassVar[Mapping[str, Option]] = {
        "similarity": Option(85, "how alike (0-100, rapidfuzz) two statements must be to be one"),
        "min-words": Option(5, "fewest content words around a value to compare it without a pack"),
        "report-updates": Option(False, "report a fact that changed and held (info)"),
        "paragraph-similarity": Option(
            90,
            "how alike (0-100, rapidfuzz, figures masked) the paragraphs around two differing "
            "values must be for a conflict; a paragraph rewritten around a value is an update",
        ),
    }

    def configure(self, ctx: CheckContext) -> None:
        """Validate the fact packs once, at start-up (a bad pack is a ConfigError)."""
        load_pack_facts(ctx.packs)

    # -- per document ------------------------------------------------------------------------
    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        facts = load_pack_facts(ctx.packs)
        headline_end = _headline_end(doc)
        mentions: list[Mention] = []
        headings = _headings(doc)
        heading_starts = [s for s, _ in headings]
        blocks = _Blocks(doc)
        for sent in doc.sentences:
            headline = sent.start < headline_end
            if not headline:
                i = bisect.bisect_right(heading_starts, sent.start) - 1
                if i >= 0 and sent.start < headings[i][1]:
                    continue  # in a heading (headings are paragraphs: sorted, disjoint)
            mentions.extend(_sentence_mentions(doc, sent, facts, headline, blocks))
        mentions = _drop_mixed_labels(mentions)
        diags = list(_headline_conflicts(mentions, doc.text[headline_end:], ctx))
        diags.extend(_conversion_findings(doc, ctx))
        kept = _kept(mentions, ctx)
        keys = frozenset(m.key for m in kept)  # a fact is compared with the same key's only
        return Extraction(diagnostics=diags, facts=kept or None, keys=keys)

    # -- corpus phase -----------------------------------------------------------------------
    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Diagnostic]:
        alike = float(ctx.options["paragraph-similarity"])
        found: set[tuple[str, int, int]] = set()
        for d in self._timeline_findings(corpus, ctx, alike):
            found.add((d.path, d.line, d.column))
            yield d
        for d in _decoupled(corpus, ctx):
            if (d.path, d.line, d.column) not in found:
                yield d

    def _timeline_findings(
        self, corpus: Corpus, ctx: CheckContext, alike: float
    ) -> Iterator[Diagnostic]:
        """Each fact's values over time, judged (see ``checks/lib/timeline.py``)."""
        for company, group in _fact_groups(corpus, ctx, with_company=True, reported=True):
            verdicts = _verdicts(group)
            if company == _SHARED_KEY:  # many writers: only a value no other release uses
                uses: dict[Hashable, set[str]] = defaultdict(set)
                for v in verdicts:
                    uses[v.point.cls].add(v.point.release)
                verdicts = [
                    v for v in verdicts if v.status == CONFLICT and len(uses[v.point.cls]) == 1
                ]
            for v in verdicts:
                if v.status in (CONFLICT, STALE):
                    v.against = _other_side(v, alike)
                    if not v.against:
                        continue  # no statement alike and near enough to disagree with
                if v.why == "lone" and (_bound_grew(v) or _aged(v)):
                    continue  # a bound that grew, years that passed
                if v.why == "lone" and _rewritten(v):
                    continue  # rewritten with new figures: an update, older or newer
                if v.status == CONFLICT and _held_later(v, verdicts, alike):
                    continue  # its own paragraph keeps the value: that wording was updated
                if v.status == CONFLICT and (_requalified(v) or _consistent(v)):
                    continue  # reworded ("25" and "nearly 30"), both true, or a small step up
                if v.why == "lone" and _grew_slowly(v):
                    continue  # growth across months
                if v.why == "same-time" and len(v.point.item[1].sentence.split()) < _STATEMENT:
                    continue  # a template line repeated for several items ("Rate: $5 a week")
                d = _finding(v, ctx)
                if d is not None:
                    yield d

    def insights(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Insight]:
        """Per company and fact: every release's value, in date order, with its verdict."""
        out = []
        for company, group in _fact_groups(corpus, ctx, with_company=True):
            verdicts = _verdicts(group)
            first = verdicts[0].point.item[1]
            points = tuple(
                InsightPoint(
                    v.point.item[1].shown, v.point.release, v.point.item[1].anchor.line,
                    v.point.date, v.status,
                )
                for v in verdicts
            )  # fmt: skip
            out.append(Insight(company, "facts", _fact_key(first), points))
        return sorted(out, key=lambda i: (i.company, i.key, i.points[0].path))


# -- packs ----------------------------------------------------------------------------------
_PACK_KEYS = {"name", "cue", "units", "text", "near"}


def load_pack_facts(packs: Sequence[Mapping[str, Any]]) -> tuple[PackFact, ...]:
    """The fact patterns of every pack with a ``facts`` key; a bad pack is a ConfigError.
    Read once per run: the last packs read are kept with their facts."""
    if _LOADED and _LOADED[0][0] is packs:
        return _LOADED[0][1]
    facts = _read_pack_facts(packs)
    _LOADED[:] = [(packs, facts)]
    return facts


_LOADED: list[tuple[Sequence[Mapping[str, Any]], tuple[PackFact, ...]]] = []


def _read_pack_facts(packs: Sequence[Mapping[str, Any]]) -> tuple[PackFact, ...]:
    out: list[PackFact] = []
    for pack in packs:
        if "facts" not in pack:
            continue
        where = pack.get("__path__", "pack")
        items = pack["facts"]
        if not isinstance(items, list):
            raise ConfigError(f"{where}: 'facts' must be a list of fact patterns")
        for i, item in enumerate(items):
            out.append(_pack_fact(where, i, item))
    return tuple(out)


def _pack_fact(where: str, i: int, item: Any) -> PackFact:
    if not isinstance(item, Mapping):
        raise ConfigError(f"{where}: facts[{i}] must be a mapping")
    unknown = set(item) - _PACK_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: facts[{i}]: unknown key '{sorted(unknown)[0]}'; "
            f"allowed: {', '.join(sorted(_PACK_KEYS))}"
        )
    name, cue = item.get("name"), item.get("cue")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: facts[{i}]: 'name' must be a non-empty string")
    if not isinstance(cue, str):
        raise ConfigError(f"{where}: facts[{i}] ({name}): 'cue' must be a regular expression")
    units, text = item.get("units"), item.get("text")
    if (units is None) == (text is None):
        raise ConfigError(f"{where}: facts[{i}] ({name}): give exactly one of 'units', 'text'")
    if units is not None and (
        not isinstance(units, list) or not units or not all(isinstance(u, str) for u in units)
    ):
        raise ConfigError(f"{where}: facts[{i}] ({name}): 'units' must be a list of strings")
    near = item.get("near", 80)
    if not isinstance(near, int) or isinstance(near, bool) or near <= 0:
        raise ConfigError(f"{where}: facts[{i}] ({name}): 'near' must be a positive integer")
    try:
        cue_re = regex.compile(cue, regex.IGNORECASE)
        text_re = regex.compile(text, regex.IGNORECASE) if isinstance(text, str) else None
    except regex.error as exc:
        raise ConfigError(f"{where}: facts[{i}] ({name}): bad regular expression: {exc}") from None
    if text is not None and (text_re is None or "value" not in text_re.groupindex):
        raise ConfigError(f"{where}: facts[{i}] ({name}): 'text' needs a group (?P<value>...)")
    unit_set = frozenset(u if u in MEASURE_UNITS else singular(u) for u in units or ())
    return PackFact(name.strip(), cue_re, unit_set, text_re, near)


# -- extraction -----------------------------------------------------------------------------
def _headline_end(doc: Document) -> int:
    """The prose offset where the body starts (the dateline's paragraph); without a dateline,
    after a first paragraph of one short line with no final stop (a title); else 0."""
    if doc.meta.dateline is None:
        if len(doc.paragraphs) < 2:
            return 0
        first = doc.span_text(doc.paragraphs[0]).strip()
        title = len(first) <= _TITLE and "\n" not in first and not first.endswith((".", "!", "?"))
        return doc.paragraphs[1].start if title else 0
    for i, para in enumerate(doc.paragraphs):
        if doc.source_span(para.start, para.end)[1] > doc.meta.dateline.start:
            return para.start if i <= 2 else 0  # a headline and a subtitle at most
    return 0


def _headings(doc: Document) -> list[tuple[int, int]]:
    """Paragraphs of one short line with no final stop: headings, labels and list lines
    ("20,000 USDT Offer for the Community", "13-blade rounded diaphragm"), not statements."""
    out = []
    for para in doc.paragraphs:
        text = doc.span_text(para).strip()
        if len(text) <= _HEADING and "\n" not in text and not text.endswith((".", "!", "?", ":")):
            out.append((para.start, para.end))
    return out


class _Blocks:
    """The :class:`Block` of the paragraph a sentence starts in, built on first use and
    shared by the paragraph's mentions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.starts = [p.start for p in doc.paragraphs]
        self.built: dict[int, Block] = {}

    def at(self, offset: int) -> Block:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        block = self.built.get(i)
        if block is None:
            paras = self.doc.paragraphs
            text = " ".join(self.doc.span_text(paras[i]).split()) if paras else ""
            block = self.built[i] = Block.of(text)
        return block


def _is_table(text: str) -> bool:
    if "|" in text or "\t" in text or "   " in text:
        return True
    if text.isascii():  # the words of str.split() with a digit, in one pass of ``re``
        nums = len(_ASCII_NUMBER_WORD.findall(text))
    else:
        nums = sum(1 for word in text.split() if _DIGIT.search(word))
    words = text.count(" ") + 1
    if nums >= 8:  # a list of items, or one word in four a number (prose may hold eight)
        return "\n" in text.strip() or nums * 4 >= words
    return nums >= 1 and nums * 3 >= words >= 4


_ASCII_NUMBER_WORD = re.compile(r"(?<!\S)[^\s\d]*\d")


def _main_subject(doc: Document) -> tuple[str, ...]:  # doc.memo("fact-conflict:main", ...)
    """The product or trial code a release is mostly about, if one stands out."""
    common = Counter(codes(doc.text)).most_common(2)
    if common and common[0][1] >= 2 and (len(common) == 1 or common[0][1] > common[1][1]):
        return (common[0][0],)
    return ()


def _sentence_mentions(
    doc: Document,
    sent: Span,
    facts: Sequence[PackFact],
    headline: bool,
    blocks: _Blocks,
) -> Iterator[Mention]:
    text = doc.span_text(sent)
    if not _DIGIT.search(text):
        if any(f.text is not None for f in facts):
            yield from _pack_mentions(doc, sent, text, [], {}, facts, headline)
        return
    if _is_table(text) or "http" in text:
        return  # tables, and citations with their reference numbers
    quantities = find_quantities(doc.text, sent.start, sent.end)
    tokens = statement_tokens(doc.text[sent.start : sent.end], _shift(quantities, -sent.start))
    marks = [i for i, t in enumerate(tokens) if t == "#"]
    if len(marks) != len(quantities):
        return
    contexts: dict[int, tuple[list[str], list[str], str]] = {}
    for q, at in zip(quantities, marks, strict=True):
        left = [t for t in tokens[:at] if t != "#"][-_CORE:]
        right = [t for t in tokens[at + 1 :] if t != "#"][:2]
        contexts[q.start] = (left, right, " ".join(tokens[max(0, at - _WINDOW) : at + _WINDOW + 1]))
    named = list(_pack_mentions(doc, sent, text, quantities, contexts, facts, headline))
    yield from named
    if not quantities:
        return
    claimed = {m.anchor.start for m in named}
    subjects = tuple(sorted(set(codes(text))))
    sentence = " ".join(tokens)  # one string shared by the sentence's mentions
    slots: Counter[str] = Counter()
    running = _RUNNING.match(text) is not None  # "This year, ...": the release's own period
    for k, q in enumerate(quantities):
        slot = slots[q.unit]
        slots[q.unit] += 1
        if q.unit.startswith("label:") and q.unit not in ("label:phase", "label:type"):
            continue
        local = doc.text[max(sent.start, q.start - _GOVERN[0]) : min(sent.end, q.end + _GOVERN[1])]
        period, bound = period_of(local)
        bound = bound or running
        if bound and not period and not headline:
            continue  # a result or a change of this release's period: not a repeated fact
        period = period if bound else ""  # a year without such a word is incidental
        anchor = doc.anchor(q.start, q.end)
        left, right, window = contexts[q.start]
        if anchor.start in claimed or len(left) + len(right) < 2:
            continue
        core = (left[-1], right[0] if right else "") if left else ("", " ".join(right))
        yield Mention(
            anchor,
            q,
            q.text,
            _phrase(doc.text, sent, q),
            (q.unit, str(slot), period, *core),
            window,
            subjects,
            headline=headline,
            others=tuple(o for i, o in enumerate(quantities) if i != k),
            context=" ".join(left + right),
            sentence=sentence,
            block=blocks.at(sent.start),
        )


def _pack_mentions(
    doc: Document,
    sent: Span,
    text: str,
    quantities: list[Quantity],
    contexts: Mapping[int, tuple[list[str], list[str], str]],
    facts: Sequence[PackFact],
    headline: bool,
) -> Iterator[Mention]:
    subjects: tuple[str, ...] | None = None
    for fact in facts:
        if fact.text is None and not any(q.unit in fact.units for q in quantities):
            continue  # no value of its units: nothing for a cue to find
        cue = fact.cue.search(text)
        if not cue:
            continue
        if subjects is None:
            subjects = tuple(sorted(set(codes(text)))) or doc.memo(_MAIN, _main_subject)
        cue_end = sent.start + cue.end()
        if fact.text is not None:
            m = fact.text.match(text, cue.end()) or fact.text.search(
                text, cue.end(), min(len(text), cue.end() + fact.near)
            )
            if not m:
                continue
            value = _norm_text(m.group("value"))
            if not value:
                continue
            s, e = sent.start + m.start("value"), sent.start + m.end("value")
            shown = doc.text[s:e].strip()
            yield Mention(doc.anchor(s, e), value, shown, shown, ("fact:" + fact.name, *subjects),
                          "", subjects, fact.name, headline)  # fmt: skip
            continue
        near = [
            q for q in quantities if q.unit in fact.units and 0 <= q.start - cue_end <= fact.near
        ]
        if near:
            q = near[0]
            left, right, window = contexts.get(q.start, ([], [], ""))
            yield Mention(doc.anchor(q.start, q.end), q, q.text, _phrase(doc.text, sent, q, 0),
                          ("fact:" + fact.name, *subjects), window, subjects, fact.name, headline,
                          context=" ".join(left + right))  # fmt: skip


def _norm_text(value: str) -> str:
    value = regex.sub(r"\([^)]*\)", " ", value)
    words = [singular(w) for w in regex.findall(r"[\p{L}\d]+", value.lower())]
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def _shift(quantities: list[Quantity], by: int) -> list[Quantity]:
    return [
        Quantity(q.start + by, q.end + by, q.low, q.high, q.unit, q.qualifier, q.text, q.ulp)
        for q in quantities
    ]


def _phrase(text: str, sent: Span, q: Quantity, words: int = 3) -> str:
    """The value with up to ``words`` words before and one after, inside its sentence."""
    before = text[sent.start : q.start].split()[-words:] if words else []
    after = text[q.end : sent.end].split()[:1]
    phrase = " ".join([*before, text[q.start : q.end], *after])
    phrase = _SPACES.sub(" ", phrase).strip(" ,;:.")
    return phrase if len(phrase) <= 100 else text[q.start : q.end]


_SPACES = lazy(r"\s+")
_MAIN = "fact-conflict:main-subject"


def _core_words(m: Mention) -> set[str]:
    return set(m.context.split())


def _headline_conflicts(
    mentions: list[Mention], body_text: str, ctx: CheckContext
) -> Iterator[Diagnostic]:
    """A headline value with no agreeing value of its unit in the body, which has one; a
    number the body writes too ("31 of the 1,200 districts") is the body's."""
    body: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if not m.headline and isinstance(m.value, Quantity):
            body[m.value.unit].append(m)
    for m in mentions:
        q = m.value
        if not m.headline or not isinstance(q, Quantity) or q.unit.startswith("label:"):
            continue
        if q.unit in _NOT_HEADLINE_UNITS or q.unit in MEASURE_UNITS or q.unit not in body:
            continue
        if any(isinstance(o.value, Quantity) and _within(q, o.value) for o in body[q.unit]):
            continue
        if any(_writes(body_text, n) for n in _FIGURE.findall(m.shown)):
            continue
        words = _core_words(m)
        others = [o for o in body[q.unit] if len(words & _core_words(o)) >= 2]
        if not others:
            continue
        values = {o.shown for o in others}
        if len(values) != 1 or _ranked(m):
            continue
        other = others[0]
        yield ctx.diagnostic(
            m.anchor,
            f"headline says '{m.shown}' but the body says '{other.phrase}' "
            f"(line {other.anchor.line})",
            related=[o.anchor.related(f"'{o.shown}' in the body") for o in others],
        )


def _conversion_findings(doc: Document, ctx: CheckContext) -> Iterator[Diagnostic]:
    """A measurement whose conversion in parentheses fails: one of its numbers was changed."""
    for slip in conversion_slips(doc.text):
        written = doc.text[slip.start : slip.end]
        yield ctx.diagnostic(
            doc.anchor(slip.start, slip.end),
            f"'{written}': {slip.given} is {slip.expected}, not {slip.converted}",
        )


def _ranked(m: Mention) -> bool:
    """Whether a headline value is a rank ("Top 30", "top-10"): a place, not a count of the
    things the body counts ("the 500 largest")."""
    pattern = rf"\btop[\s-]+{regex.escape(m.shown)}\b"
    return regex.search(pattern, m.phrase, regex.IGNORECASE) is not None


def _within(headline: Quantity, body: Quantity) -> bool:
    """Whether a body value fits a headline's: they agree, or the headline gives a bound the
    body value keeps ("topping 200,000" and "over 206,000")."""
    if agree(headline, body):
        return True
    if not headline.qualifier and not headline.is_range and headline.low >= 10:
        place = _round_place(headline.low)  # "200,000 tonnes" and "over 206,000 tonnes"
        if place > 1 and headline.low <= body.low < headline.low + place:
            return True
    if headline.qualifier == "over":
        return body.low >= headline.low
    return headline.qualifier in ("under", "up to") and body.high <= headline.high


def _round_place(x: float) -> float:
    """The place of the last non-zero digit of a whole number (200,000 -> 100,000)."""
    if x != int(x):
        return 0.0
    n, place = int(x), 1
    while n and n % 10 == 0:
        n, place = n // 10, place * 10
    return float(place)


def _writes(text: str, number: str) -> bool:
    """Whether a text writes a number as a whole number of its own."""
    return regex.search(rf"(?<![\d.,]){regex.escape(number)}(?!\d|[.,]\d)", text) is not None


def _drop_mixed_labels(mentions: list[Mention]) -> list[Mention]:
    """Keep a label ("Phase 2", "type 2") as a fact only in a release that names one value of
    it: a release about Phase 1 and Phase 2 studies describes several trials, not one fact."""
    values: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if isinstance(m.value, Quantity) and m.value.unit.startswith("label:"):
            values[m.value.unit].add(m.shown.lower())
    return [
        m
        for m in mentions
        if not (isinstance(m.value, Quantity) and len(values.get(m.value.unit, ())) > 1)
    ]


def _kept(mentions: list[Mention], ctx: CheckContext) -> list[Mention]:
    """The mentions the corpus phase reads (see :func:`_fact_groups`), without what only
    extraction reads (the words next to a value): the corpus phase holds every release's."""
    min_words = int(ctx.options["min-words"])
    return [replace(m, context="") if m.context else m for m in mentions if _compared(m, min_words)]


def _reported_keys(corpus: Corpus, min_words: int) -> set[tuple[str, ...]] | None:
    """The keys of the facts the reported releases state, or None when every release is
    reported (nothing to leave out)."""
    if all(rec.reported for rec in corpus.records):
        return None
    keys: set[tuple[str, ...]] = set()
    for rec, mentions in corpus.facts(FactConflict.name):
        if rec.reported:
            keys.update(m.key for m in mentions if _compared(m, min_words))
    return keys


def _compared(m: Mention, min_words: int) -> bool:
    """Whether the corpus phase compares a mention: a headline states its own news (it is
    checked against its body), and a statement needs a pack fact, enough words or a subject."""
    if m.headline and not m.fact:
        return False
    return bool(m.fact or len(m.signature.split()) >= min_words or m.subjects)


# -- corpus phase ---------------------------------------------------------------------------
def _groups(
    members: list[tuple[DocRecord, Mention]], threshold: float
) -> Iterator[list[tuple[DocRecord, Mention]]]:
    """Members that state one fact: same pack fact, same subject, or alike sentences.

    The groups are the connected components (of members from two releases or more) of the
    relation :func:`_alike`, in the order of their first member, members in input order.
    Members of one pack fact are all alike. Members whose compared parts are equal
    (:func:`_compared_parts`) have the same neighbours, so the pairs are tried between
    distinct parts only: a block that repeats one statement in every release costs one
    comparison, not one per pair of releases."""
    facts = {m.fact for _, m in members}
    if len(facts) > 1:  # never met (a pack fact is part of the key): the plain pairwise walk
        yield from _pairwise_groups(members, threshold)
        return
    if facts != {""}:  # one pack fact: every pair is alike
        if len({r.path for r, _ in members}) >= 2:
            yield list(members)
        return
    classes: dict[Hashable, int] = {}  # compared parts -> their class
    first: list[int] = []  # each class's first member
    size: list[int] = []
    of: list[int] = []  # each member's class
    for i, (_, m) in enumerate(members):
        c = classes.setdefault(_compared_parts(m), len(first))
        if c == len(first):
            first.append(i)
            size.append(0)
        size[c] += 1
        of.append(c)
    k = len(first)
    parent = list(range(k))
    find = partial(_root, parent)

    linked = [False] * k  # whether a class is alike another class
    for a in range(k):
        ma = members[first[a]][1]
        for b in range(a + 1, k):
            mb = members[first[b]][1]
            if find(a) == find(b):
                linked[a] = linked[b] = True  # both in one component of two classes or more
                continue
            if _alike(ma, mb, threshold):
                parent[find(a)] = find(b)
                linked[a] = linked[b] = True
    # a class alone: one component if its members are alike each other, else each member
    # alone (a component of one member is never a group)
    whole = [linked[c] or size[c] == 1 or _alike(*(members[first[c]][1],) * 2, threshold)
             for c in range(k)]  # fmt: skip
    groups: dict[int, list[tuple[DocRecord, Mention]]] = {}
    for i, member in enumerate(members):
        c = of[i]
        if whole[c]:
            groups.setdefault(find(c), []).append(member)
    for g in groups.values():
        if len({r.path for r, _ in g}) >= 2:
            yield g


def _alike(mi: Mention, mj: Mention, threshold: float) -> bool:
    """Whether two statements (no pack fact) state one fact: alike sentences (one product's
    may be reworded a little more) whose other values do not all differ."""
    cutoff = threshold - 15 if mi.subjects and mi.subjects == mj.subjects else threshold
    if not fuzz.ratio(mi.signature, mj.signature, score_cutoff=cutoff) > 0:
        return False
    return not _other_values_differ(mi, mj)


def _compared_parts(m: Mention) -> Hashable:
    """What :func:`_alike` reads of a mention (equal parts: alike the same mentions)."""
    return (
        m.signature,
        m.subjects,
        tuple((q.low, q.high, q.unit, q.qualifier, q.ulp) for q in m.others),
    )


def _root(parent: list[int], i: int) -> int:
    """The root of ``i`` in a union-find forest, halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _pairwise_groups(
    members: list[tuple[DocRecord, Mention]], threshold: float
) -> Iterator[list[tuple[DocRecord, Mention]]]:
    """:func:`_groups` by trying every pair (members of several pack facts mixed)."""
    n = len(members)
    parent = list(range(n))
    find = partial(_root, parent)

    for i in range(n):
        mi = members[i][1]
        for j in range(i + 1, n):
            mj = members[j][1]
            if find(i) == find(j):
                continue
            if bool(mi.fact) or _alike(mi, mj, threshold):
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[DocRecord, Mention]]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(members[i])
    for g in groups.values():
        if len({r.path for r, _ in g}) >= 2:
            yield g


def _other_values_differ(a: Mention, b: Mention) -> bool:
    """Both sentences hold values of other units and none of them agree: another statement
    ("a $540 billion market growing at 26.1%" and "a $13.9 billion market at 12.8%")."""
    if not a.others or not b.others:
        return False
    shared = [(x, y) for x in a.others for y in b.others if x.unit == y.unit]
    return bool(shared) and not any(agree(x, y) for x, y in shared)


def _same(a: Quantity | str, b: Quantity | str) -> bool:
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        return agree(a, b)
    return a == b


def _fact_groups(
    corpus: Corpus, ctx: CheckContext, *, with_company: bool = False, reported: bool = False
) -> Iterator[Any]:
    """The statements of one fact, per company (or per shared boilerplate): lists of members
    from two releases or more (with the company's key when ``with_company``). With
    ``reported``, only the blocks that hold a reported release (the others cannot give a
    finding): a run that reports a few releases of a large corpus reads the rest only for
    the facts those releases state."""
    threshold = float(ctx.options["similarity"])
    min_words = int(ctx.options["min-words"])
    blocks: dict[tuple[str, tuple[str, ...]], list[Member]] = defaultdict(list)
    owners: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
    members: list[tuple[str, Member]] = []
    wanted = _reported_keys(corpus, min_words) if reported else None
    for rec, mentions in corpus.facts(FactConflict.name):
        for m in mentions:
            if (wanted is None or m.key in wanted) and _compared(m, min_words):
                company = company_at(corpus, rec.path, m.anchor.start)
                members.append((company, (rec, m)))
                owners[(m.key, m.signature)].add(company)
    for company, (rec, m) in members:
        if not m.fact and len(owners[(m.key, m.signature)]) >= _SHARED:
            company = _SHARED_KEY  # a newswire's or agency's boilerplate: judged on its own
        blocks[(company, m.key)].append((rec, m))
    for (company, _), block in blocks.items():
        if len({r.path for r, _ in block}) < 2:
            continue
        if wanted is not None and not any(r.reported for r, _ in block):
            continue
        for group in _groups(block, threshold):
            if not _conflated(group):
                yield (company, group) if with_company else group


def _conflated(group: list[Member]) -> bool:
    """Whether one release holds two values in sentences worded differently: the group
    joins several things described alike (a list of products), not one fact."""
    by_release: dict[str, list[Mention]] = defaultdict(list)
    for rec, m in group:
        by_release[rec.path].append(m)
    return any(
        not _same(a.value, b.value) and a.sentence != b.sentence
        for ms in by_release.values()
        for i, a in enumerate(ms)
        for b in ms[i + 1 :]
    )


def _classes(group: list[Member]) -> list[list[Member]]:
    """Members whose values agree with the first value of a class (in date order)."""
    classes: list[list[Member]] = []
    for rec, m in sorted(group, key=lambda rm: (_date_of(rm[0]) or dt.date.max, rm[0].path)):
        for cls in classes:
            if _same(cls[0][1].value, m.value):
                cls.append((rec, m))
                break
        else:
            classes.append([(rec, m)])
    return classes


def _verdicts(group: list[Member]) -> list[Verdict[Member]]:
    """The time judge's verdict on every statement of one fact."""
    classes = _classes(group)
    level = {i: _level(c[0][1].value) for i, c in enumerate(classes)}
    points = [
        Point(rec.path, _date_of(rec), i, (rec, m))
        for i, cls in enumerate(classes)
        for rec, m in cls
    ]
    return judge(points, order=lambda i: level[int(str(i))], step_days=_GROWTH_DAYS)


def _rewritten(v: Verdict[Member]) -> bool:
    """Whether a lone value's statement was rewritten rather than slipped: another value of
    its sentence changed with it (a pack fact is one fact however it is worded)."""
    m = v.point.item[1]
    if m.fact:
        return False
    return all(_co_changed(m, q.item[1]) for q in v.against)


def _other_side(v: Verdict[Member], alike: float) -> list[Point[Member]]:
    """The statements a conflict or stale copy is set against: those that restate its
    paragraph with a value that does not agree ("48.3%" agrees with "about 48%"), near it in
    time (a pack fact at any time)."""
    m = v.point.item[1]
    against = [
        p
        for p in v.against
        if not _same(m.value, p.item[1].value) and _restated(m, p.item[1], alike)
    ]
    return against if m.fact else near(v.point, against, _NEAR_DAYS)


def _held_later(v: Verdict[Member], verdicts: list[Verdict[Member]], alike: float) -> bool:
    """Whether the latest releases that restate a value's paragraph state the value too, and
    nothing near them disagrees: that wording was updated and holds, so the value is no slip
    (a company may use several wordings of one fact)."""
    m, when = v.point.item[1], v.point.date
    if m.fact or when is None:
        return False
    later = [
        u
        for u in verdicts
        if u.point.date is not None and u.point.date > when and _restated(m, u.point.item[1], alike)
    ]
    if not later:
        return False
    last = max(u.point.date for u in later if u.point.date is not None)
    return all(
        u.point.cls == v.point.cls and not (u.status in (CONFLICT, STALE) and _other_side(u, alike))
        for u in later
        if u.point.date == last
    )


def _bound_grew(v: Verdict[Member]) -> bool:
    """Whether a lone count or amount stated as a bound or a round figure ("over 45
    customers", "around 5,000 people", "$40 million+") at an end of the history is higher
    than the values before it, or lower than those after it: the figure grew. An exact
    figure grows so only from (or to) a value that held in two releases or more. Durations,
    rates and measures are not totals that grow."""
    q = v.point.item[1].value
    others = [p.item[1].value for p in v.against]
    if not isinstance(q, Quantity) or q.qualifier in _CAPS or not _total(q.unit):
        return False
    if not all(isinstance(o, Quantity) and o.qualifier not in _CAPS for o in others):
        return False
    marked = q.qualifier in _GROWS and all(
        isinstance(o, Quantity) and o.qualifier in _GROWS for o in others
    )
    if not marked and len({p.release for p in v.against}) < HELD:
        return False  # an exact figure grows only from (or to) a value that held
    when = v.point.date
    dates = [p.date for p in v.against]
    if when is None or any(d is None for d in dates):
        return False
    lows = [o.low for o in others if isinstance(o, Quantity)]
    days = min(abs((when - d).days) for d in dates if d is not None)
    if days < _GROWTH_DAYS:
        return False  # a figure does not grow in days: a slip
    if all(d is not None and d < when for d in dates):
        return q.low > max(lows)
    if all(d is not None and d > when for d in dates):
        return q.low < min(lows)
    return False


#: qualifiers of a figure that may grow between releases: a lower bound or a round figure
_GROWS = frozenset({"over", "about"})
_CAPS = frozenset({"up to", "under"})  # upper bounds: a figure that grows is not one
_FIGURE = lazy(r"\d(?:[\d,.]*\d)?")


def _restated(a: Mention, b: Mention, cutoff: float) -> bool:
    """Whether two values stand in one paragraph repeated with a figure changed: the same
    text with figures masked (or a paragraph inside one twice as long), no two periods or
    dates and no two names (capitalised words, misspellings aside) that only one of them
    names each, and at most ``_CO_CHANGED`` figures that differ; a sentence of the two kept
    word for word is restated however the rest of its paragraph changed.
    A paragraph rewritten around the value (another event, product or period named, other
    sentences) or whose figures changed together states another fact or a real change. Pack
    facts are one fact however they are worded."""
    if a.fact or b.fact or a.block is None or b.block is None:
        return True
    (px, nx, fx, mx), (py, ny, fy, my) = _read_block(a.block), _read_block(b.block)
    if not (px <= py or py <= px):
        return False  # each names a period or date the other does not
    if _unmatched(nx, ny, my) and _unmatched(ny, nx, mx):
        return False  # each names a subject the other does not (XLE and XLU, two towns)
    if len(fx) == len(fy) and sum(1 for u, v in zip(fx, fy, strict=True) if u != v) > _CO_CHANGED:
        return False
    if _same_sentence(a, b):
        return True  # the statement kept word for word, its paragraph rewritten around it
    if mx == my or fuzz.ratio(mx, my, score_cutoff=cutoff) > 0:
        return True
    short, long = sorted((mx, my), key=len)
    if not short or len(short) * 2 > len(long):
        return False
    return fuzz.partial_ratio(short, long, score_cutoff=cutoff) > 0  # a part of a longer one


def _same_sentence(a: Mention, b: Mention) -> bool:
    """Whether two values stand in one statement of ``_STATEMENT`` content words or more
    repeated word for word, values masked, its other values unchanged."""
    if a.sentence != b.sentence or len(a.sentence.split()) < _STATEMENT:
        return False
    return [_figure(q) for q in a.others] == [_figure(q) for q in b.others]


def _figure(q: Quantity) -> tuple[float, float, str]:
    return q.low, q.high, q.unit


@lru_cache(maxsize=1024)
def _read_block(block: Block) -> tuple[frozenset[str], frozenset[str], list[str], str]:
    """A paragraph's periods and dates, names, figures, and text with figures masked: read
    once per paragraph however many values of it are compared."""
    text = block.text
    return periods(text), _names(text), _FIGURE.findall(text), _FIGURE.sub("#", text)


_NAME = lazy(r"\b\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=\p{Lu}))*")


def _names(text: str) -> frozenset[str]:
    """The capitalised words and codes of a text, an abbreviation's dots dropped (U.S. is
    US), legal forms left out: the subjects it names."""
    found = {n.replace(".", "") for n in _NAME.findall(text)}
    return frozenset(n for n in found if n.casefold() not in LEGAL_FORMS)


def _unmatched(names: frozenset[str], others: frozenset[str], other_text: str) -> bool:
    """Whether some name is not among the others, nor a slip of one of them (rapidfuzz >= 80:
    a misspelt name is a name the other paragraph has), nor a word the other paragraph
    writes in lower case ("The Company plans", "The company plans"), nor names the other
    paragraph gives apart joined with hyphens ("Biden-Harris")."""
    return any(
        not any(fuzz.ratio(n, o, score_cutoff=_SLIP) for o in others)
        and not _in_lower_case(n, other_text)
        and not _parts_named(n, others)
        for n in names - others
    )


def _parts_named(name: str, others: frozenset[str]) -> bool:
    """Whether ``name`` joins with hyphens names that are all among ``others``."""
    parts = name.split("-")
    return len(parts) > 1 and all(p in others for p in parts)


def _in_lower_case(name: str, text: str) -> bool:
    """Whether ``text`` writes the capitalised word ``name`` ("Company", not "US") in lower
    case."""
    if not name[1:].islower():
        return False
    low = name.lower()
    return regex.search(rf"(?<!\w){regex.escape(low)}(?!\w)", text) is not None


def _co_changed(a: Mention, b: Mention) -> bool:
    """Whether the two sentences hold the same units of other values and one of them differs."""
    units = [q.unit for q in a.others]
    if not units or units != [q.unit for q in b.others]:
        return False
    return any(not agree(x, y) for x, y in zip(a.others, b.others, strict=True))


def _aged(v: Verdict[Member]) -> bool:
    """Whether a lone count of years ("over 23 years") at an end of the history differs from
    the others by no more than the years between them: the same history, older."""
    q = v.point.item[1].value
    when = v.point.date
    if not isinstance(q, Quantity) or q.unit != "year" or q.is_range or when is None:
        return False
    for p in v.against:
        o = p.item[1].value
        if not isinstance(o, Quantity) or o.unit != "year" or o.is_range or p.date is None:
            return False
        years = (when - p.date).days / 365.25
        grew = q.low - o.low
        if grew == 0 or not (0 < grew <= years + 1 if years > 0 else years - 1 <= grew < 0):
            return False
    return True


def _total(unit: str) -> bool:
    """Whether values of a unit are totals that grow: money and counted things."""
    return unit == "$" or not (unit in MEASURE_UNITS or unit.startswith("label:"))


def _level(value: Quantity | str) -> float | None:
    return (value.low + value.high) / 2 if isinstance(value, Quantity) else None


def _fact_key(m: Mention) -> str:
    """A readable name of a fact: its pack name, else its wording with the value masked."""
    if m.fact:
        return m.fact
    return m.phrase.replace(m.shown, "#", 1) if m.shown in m.phrase else m.signature


_PATH_DATE = lazy(r"(?<!\d)((?:19|20)\d\d)[/_-]?([01]\d)[/_-]?([0-3]\d)(?!\d)")


def _date_of(rec: DocRecord) -> dt.date | None:
    """The release date, else a date in its path ("2025/0220/...", "2025-02-20_...")."""
    if isinstance(rec.release_date, dt.date):
        return rec.release_date
    for m in _PATH_DATE.finditer(rec.path):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def _when(rec: DocRecord) -> str:
    d = _date_of(rec)
    return d.isoformat() if d else "undated"


def _finding(v: Verdict[Member], ctx: CheckContext) -> Diagnostic | None:
    """The finding for one verdict: a conflict, a stale copy, or (asked for) an update."""
    if not v.status or not v.against:
        return None
    if v.status == UPDATE and not ctx.options.get("report-updates"):
        return None
    rec, m = v.point.item
    what = f"{m.fact} '{m.phrase}'" if m.fact else f"'{m.phrase}'"
    others = [q.item for q in v.against]
    by_value: dict[str, list[Member]] = defaultdict(list)
    for orec, om in others:
        by_value[om.shown].append((orec, om))
    main = max(by_value.values(), key=lambda c: len({r.path for r, _ in c}))
    orec, om = main[0]
    where = f"{orec.path}:{om.anchor.line}"
    count = len({r.path for r, _ in main})
    more = f" and {count - 1} more release{'s' if count > 2 else ''}" if count > 1 else ""
    severity: Severity | None = None
    if v.status == CONFLICT:
        same = orec.path == rec.path
        msg = f"{what} differs from '{om.phrase}' " + (
            f"on line {om.anchor.line} of the same release" if same else f"in {where}{more}"
        )
    elif v.status == STALE:
        msg = (
            f"{what} repeats an old value: '{om.phrase}' replaced it on {_when(orec)} "
            f"({where}{more})"
        )
    else:
        msg = f"{what} changed on {_when(rec)}: it was '{om.phrase}' ({where}{more})"
        severity = Severity.INFO
    related = [o.anchor.related(f"'{o.phrase}' here ({_when(r)})") for r, o in others]
    return ctx.diagnostic(m.anchor, msg, severity=severity, related=related[:20])


#: earlier releases in which two statements of a paragraph must give one value for a release
#: that changes one of them only to contradict itself
_COUPLED = 2


def _decoupled(corpus: Corpus, ctx: CheckContext) -> Iterator[Diagnostic]:
    """A value that changed in a release while another statement of its paragraph, with
    the same unit, kept the figure the two gave together in every earlier release of its
    company that states both (two or more): one sentence of a repeated paragraph was updated
    and the other not ("portfolio includes 142 facilities ... The 178 facilities comprise")."""
    pairs = [
        (rec, a, b)
        for rec, mentions in corpus.facts(FactConflict.name)
        if rec.reported and mentions and _date_of(rec) is not None
        for a, b in _companions(mentions)
    ]
    if not pairs:
        return
    keys = {m.key for _, a, b in pairs for m in (a, b)}
    dates: dict[str, dt.date] = {}
    by_key: dict[tuple[str, ...], dict[str, list[Mention]]] = defaultdict(dict)
    for rec, mentions in corpus.facts(FactConflict.name):
        when = _date_of(rec)
        if when is None:
            continue
        for m in mentions or ():
            if m.key in keys:
                dates[rec.path] = when
                by_key[m.key].setdefault(rec.path, []).append(m)
    for rec, a, b in pairs:
        owner = company_at(corpus, rec.path, a.anchor.start)
        together = [
            (when, x, y)
            for path, when, x, y in _stated_together(
                by_key[a.key], by_key[b.key], dates, dates[rec.path]
            )
            if company_at(corpus, path, x.anchor.start) == owner
        ]
        if len(together) < _COUPLED or not all(_equal(x, y) for _, x, y in together):
            continue
        when, x, y = together[-1]  # the latest earlier release stating both
        for moved, kept in ((a, b), (b, a)):
            if _equal(kept, x):
                yield ctx.diagnostic(
                    moved.anchor,
                    f"'{moved.phrase}' differs from '{kept.phrase}' on line {kept.anchor.line} "
                    f"of the same release (the two agreed in {len(together)} earlier releases)",
                    related=[
                        kept.anchor.related(f"'{kept.phrase}' here"),
                        *(o.anchor.related(f"'{o.phrase}' here ({when})") for o in (x, y)),
                    ],
                )


def _companions(mentions: Sequence[Mention]) -> Iterator[tuple[Mention, Mention]]:
    """Pairs of statements of one paragraph, in two sentences, keyed apart, with the same
    unit and values that differ."""
    by_unit: dict[tuple[Block, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.block is not None and not m.fact and isinstance(m.value, Quantity):
            by_unit[(m.block, m.value.unit)].append(m)
    for group in by_unit.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.key != b.key and a.sentence != b.sentence and not _same(a.value, b.value):
                    yield a, b


def _equal(a: Mention, b: Mention) -> bool:
    """Whether two statements give the same figure (not merely figures that agree: a value
    inside a range agrees with it)."""
    x, y = a.value, b.value
    return isinstance(x, Quantity) and isinstance(y, Quantity) and _figure(x) == _figure(y)


def _stated_together(
    xs: Mapping[str, list[Mention]],
    ys: Mapping[str, list[Mention]],
    dates: Mapping[str, dt.date],
    before: dt.date,
) -> list[tuple[str, dt.date, Mention, Mention]]:
    """(release, date, statement of ``xs``, statement of ``ys``) in one paragraph of each
    release dated before ``before`` that has both (releases -> their statements of two
    keys), in date order."""
    out = []
    for path in sorted(xs.keys() & ys.keys(), key=lambda p: (dates[p], p)):
        if dates[path] >= before:
            continue
        both = [(x, y) for x in xs[path] for y in ys[path] if x.block == y.block]
        if both:
            out.append((path, dates[path], *both[0]))
    return out


def _consistent(v: Verdict[Member]) -> bool:
    """Whether a value and every value of the other side can both be true or are a small step
    up in time: within ``_SMALL`` of each other, two lower bounds unless this one went down,
    a lower bound the other figure keeps, or two figures of which the later is the higher."""
    m, when = v.point.item[1], v.point.date
    if m.fact or not isinstance(m.value, Quantity) or not v.against:
        return False
    # a value that comes back did not grow into the other, nor did one between releases
    # that agree (26, 25, 26)
    grows = v.why not in ("flip", "outlier")
    return all(_agree_in_time(m, when, p.item[1], p.date, grows) for p in v.against)


def _requalified(v: Verdict[Member]) -> bool:
    """Whether a value is qualified otherwise than every value of the other side ("25" and
    "nearly 30", "57 million" and "over 56 million"): the statement was rewritten, not a
    figure slipped."""
    m = v.point.item[1]
    if m.fact or not isinstance(m.value, Quantity) or not v.against:
        return False
    return all(_qualifier(p.item[1]) != _qualifier(m) for p in v.against)


def _qualifier(m: Mention) -> str:
    q = m.value
    if not isinstance(q, Quantity):
        return ""
    return "over" if _lower_bound(m) else q.qualifier


def _agree_in_time(
    a: Mention, da: dt.date | None, b: Mention, db: dt.date | None, grows: bool
) -> bool:
    x, y = a.value, b.value
    if not isinstance(x, Quantity) or not isinstance(y, Quantity) or x.unit != y.unit:
        return False
    if agree(x, y):
        return True
    if da is None or db is None:
        return False
    early, late = (x, y) if da < db else (y, x)
    if _lower_bound(a) and _lower_bound(b) and _truncated(x, y):
        return True  # "more than 8 billion" is "more than 8.8 billion" written coarser
    if x.qualifier == y.qualifier == "under":
        return True  # "less than 10%" and "less than 20%": both hold below the lower
    if _spread(x, y) >= _SMALL:
        return False
    if grows and _total(x.unit) and abs((da - db).days) > _SLOW_DAYS:
        return True  # a small change of a total months apart is an update, whichever way
    if min(abs(x.low), abs(y.low)) < _FEW:
        return False  # one or two more or less of a few things is a slip, not rounding
    bx, by = _lower_bound(a), _lower_bound(b)
    if bx and by:  # both true; only a bound lower than an earlier one says something
        return not (da > db and x.low < y.low)
    if bx or by:  # "over 56 million" and "57 million"
        bound, point = (x, y) if bx else (y, x)
        return point.low >= bound.low
    if not grows or da == db or not _total(x.unit) or x.is_range or y.is_range:
        return False
    return late.low >= early.low and late.high >= early.high


def _truncated(x: Quantity, y: Quantity) -> bool:
    """Whether one value is the other cut to a coarser written place (8 billion and 8.8
    billion; not 20 and 22, written to the same place)."""
    if x.is_range or y.is_range or x.ulp == y.ulp:
        return False
    coarse, fine = (x, y) if x.ulp > y.ulp else (y, x)
    return math.isclose(coarse.low, math.floor(round(fine.low / coarse.ulp, 6)) * coarse.ulp)


def _spread(x: Quantity, y: Quantity) -> float:
    """How far apart two values are, as a share of the lower (the larger of both ends')."""
    out = 0.0
    for a, b in ((x.low, y.low), (x.high, y.high)):
        low = min(abs(a), abs(b))
        if a != b:
            out = max(out, abs(a - b) / low if low else float("inf"))
    return out


def _lower_bound(m: Mention) -> bool:
    """Whether a value is stated as a lower bound ("over 50", "more than 50", "50+")."""
    q = m.value
    if not isinstance(q, Quantity) or q.is_range:
        return False
    return q.qualifier == "over" or f"{m.shown} +" in m.phrase or f"{m.shown}+" in m.phrase


def _grew_slowly(v: Verdict[Member]) -> bool:
    """Whether a lone value differs only from releases more than ``_SLOW_DAYS`` away, each
    earlier one lower or later one higher: a figure that grew across months, not a slip."""
    m, when = v.point.item[1], v.point.date
    q = m.value
    if m.fact or not isinstance(q, Quantity) or not _total(q.unit) or q.is_range or not when:
        return False
    if not v.against:
        return False
    for p in v.against:
        o = p.item[1].value
        if not isinstance(o, Quantity) or p.date is None or o.unit != q.unit or o.is_range:
            return False
        if abs((when - p.date).days) <= _SLOW_DAYS or not (
            _lower_bound(m) or _lower_bound(p.item[1])
        ):
            return False
        early, late = (o, q) if p.date < when else (q, o)
        if late.low <= early.low:
            return False
    return True
