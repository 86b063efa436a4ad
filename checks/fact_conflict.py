"""fact-conflict: the same fact stated with different values, across releases or within one."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import regex
from rapidfuzz import fuzz

from prlint.api import Anchor, Check, CheckContext, Diagnostic, Extraction, Option, Severity
from prlint.checks.quantities import (
    MEASURE_UNITS,
    Quantity,
    agree,
    codes,
    find_quantities,
    period_of,
    singular,
    statement_tokens,
)
from prlint.config import ConfigError
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document, Span

_DIGIT = regex.compile(r"\d")
_TICKER = regex.compile(
    r"\((?:NASDAQ|Nasdaq|NYSE|OTC|TSX|CSE|ASX|LSE|AIM|Cboe|CBOE|NEO|FSE)[\w\s-]*:\s*([A-Z][A-Z0-9.-]{0,6})"
)
#: headline values not checked against the body: amounts, rates and counts of securities
_NOT_HEADLINE_UNITS = frozenset(
    {"$", "%", "", "share", "warrant", "unit", "stock", "security"}
    | {"second", "minute", "hour", "day", "week", "month", "year"}
)
_NUMERIC_WORD = regex.compile(r"\S*\d\S*")
_CORE = 3  # content words before a value that say what it is about
_WINDOW = 8  # content words on each side of a value that make its statement
#: a statement repeated by this many companies is a newswire's or agency's, not their fact
_SHARED = 3


@dataclass(frozen=True)
class PackFact:
    """One fact pattern of a pack: a cue and either units or a text value."""

    name: str
    cue: regex.Pattern[str]
    units: frozenset[str] = frozenset()
    text: regex.Pattern[str] | None = None
    near: int = 80


Member = tuple[DocRecord, "Mention"]


@dataclass(frozen=True)
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

    * One against one: both statements are reported. When one value dominates, the outliers
      are. A value that changes once and stays changed in later releases (a patent count that
      grows) is reported at info, with the dates.
    * Statements bound to a period ("revenue for the three months ended March 31, 2025", "cash
      of $3.8 million as of December 31, 2024") are keyed by the period; results, changes,
      share counts and prices without one are not compared across releases. Tables, dates,
      phone numbers, access codes and citations are not facts. A statement repeated by three
      companies or more is a newswire's boilerplate, and a release about several listed
      companies is not sure to state its own facts: both are left out.
    * Inside one release: a headline's "36-Patient" against "approximately 40 patients".

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
    cross_release = True
    options: ClassVar[Mapping[str, Option]] = {
        "similarity": Option(85, "how alike (0-100, rapidfuzz) two statements must be to be one"),
        "min-words": Option(5, "fewest content words around a value to compare it without a pack"),
    }

    def configure(self, ctx: CheckContext) -> None:
        """Validate the fact packs once, at start-up (a bad pack is a ConfigError)."""
        load_pack_facts(ctx.packs)

    # -- per document ------------------------------------------------------------------------
    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        facts = load_pack_facts(ctx.packs)
        headline_end = _headline_end(doc)
        mentions: list[Mention] = []
        main = _main_subject(doc) if facts else ()
        for sent in doc.sentences:
            mentions.extend(_sentence_mentions(doc, sent, facts, sent.start < headline_end, main))
        mentions = _drop_mixed_labels(mentions)
        diags = list(_headline_conflicts(mentions, ctx))
        if len(set(_TICKER.findall(doc.text))) > 1:
            # a release about several listed companies: whose fact a sentence states is unclear
            mentions = [m for m in mentions if m.fact]
        return Extraction(diagnostics=diags, facts=mentions or None)

    # -- corpus phase -----------------------------------------------------------------------
    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Diagnostic]:
        ident = identities(corpus)
        threshold = float(ctx.options["similarity"])
        min_words = int(ctx.options["min-words"])
        blocks: dict[tuple[str, tuple[str, ...]], list[Member]] = defaultdict(list)
        owners: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
        for rec, mentions in corpus.facts(self.name):
            for m in mentions:
                if m.headline and not m.fact:
                    continue  # a headline states its own news; it is checked against its body
                if m.fact or len(m.signature.split()) >= min_words or m.subjects:
                    blocks[(ident[rec.path], m.key)].append((rec, m))
                    owners[(m.key, m.signature)].add(ident[rec.path])
        shared = {k for k, who in owners.items() if len(who) >= _SHARED}
        for members in blocks.values():
            members = [(r, m) for r, m in members if (m.key, m.signature) not in shared]
            if len({r.path for r, _ in members}) < 2:
                continue
            for group in _groups(members, threshold):
                yield from _judge(group, ctx)


# -- packs ----------------------------------------------------------------------------------
_PACK_KEYS = {"name", "cue", "units", "text", "near"}


def load_pack_facts(packs: Sequence[Mapping[str, Any]]) -> tuple[PackFact, ...]:
    """The fact patterns of every pack with a ``facts`` key; a bad pack is a ConfigError."""
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
    """The prose offset where the body starts (the dateline's paragraph), 0 if unknown."""
    if doc.meta.dateline is None:
        return 0
    for i, para in enumerate(doc.paragraphs):
        if doc.source_span(para.start, para.end)[1] > doc.meta.dateline.start:
            return para.start if i <= 2 else 0  # a headline and a subtitle at most
    return 0


def _is_table(text: str) -> bool:
    if "|" in text or "\t" in text or "   " in text:
        return True
    nums = len(_NUMERIC_WORD.findall(text))
    return nums >= 8 or (nums >= 1 and nums * 3 >= text.count(" ") + 1 >= 4)


def _main_subject(doc: Document) -> tuple[str, ...]:
    """The product or trial code a release is mostly about, if one stands out."""
    common = Counter(codes(doc.text)).most_common(2)
    if common and common[0][1] >= 2 and (len(common) == 1 or common[0][1] > common[1][1]):
        return (common[0][0],)
    return ()


def _sentence_mentions(
    doc: Document, sent: Span, facts: Sequence[PackFact], headline: bool, main: tuple[str, ...]
) -> Iterator[Mention]:
    text = doc.span_text(sent)
    if not _DIGIT.search(text):
        if any(f.text is not None for f in facts):
            yield from _pack_mentions(doc, sent, text, [], {}, facts, headline, main)
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
    named = list(_pack_mentions(doc, sent, text, quantities, contexts, facts, headline, main))
    yield from named
    if not quantities:
        return
    period, bound = period_of(text)
    if bound and not period and not headline:
        return  # a result or a change of this release's period: not a repeated fact
    claimed = {m.anchor.start for m in named}
    subjects = tuple(sorted(set(codes(text))))
    slots: Counter[str] = Counter()
    for k, q in enumerate(quantities):
        slot = slots[q.unit]
        slots[q.unit] += 1
        if q.unit.startswith("label:") and q.unit not in ("label:phase", "label:type"):
            continue
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
        )


def _pack_mentions(
    doc: Document,
    sent: Span,
    text: str,
    quantities: list[Quantity],
    contexts: Mapping[int, tuple[list[str], list[str], str]],
    facts: Sequence[PackFact],
    headline: bool,
    main: tuple[str, ...],
) -> Iterator[Mention]:
    subjects: tuple[str, ...] | None = None
    for fact in facts:
        if fact.text is None and not quantities:
            continue
        cue = fact.cue.search(text)
        if not cue:
            continue
        if subjects is None:
            subjects = tuple(sorted(set(codes(text)))) or main
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
    phrase = regex.sub(r"\s+", " ", phrase).strip(" ,;:.")
    return phrase if len(phrase) <= 100 else text[q.start : q.end]


def _core_words(m: Mention) -> set[str]:
    return set(m.context.split())


def _headline_conflicts(mentions: list[Mention], ctx: CheckContext) -> Iterator[Diagnostic]:
    """A headline value with no agreeing value of its unit in the body, which has one."""
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
        if any(isinstance(o.value, Quantity) and agree(q, o.value) for o in body[q.unit]):
            continue
        words = _core_words(m)
        others = [o for o in body[q.unit] if len(words & _core_words(o)) >= 2]
        if not others:
            continue
        values = {o.shown for o in others}
        if len(values) != 1:
            continue
        other = others[0]
        yield ctx.diagnostic(
            m.anchor,
            f"headline says '{m.shown}' but the body says '{other.phrase}' "
            f"(line {other.anchor.line})",
            related=[o.anchor.related(f"'{o.shown}' in the body") for o in others],
        )


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


# -- corpus phase ---------------------------------------------------------------------------
def identities(corpus: Corpus) -> dict[str, str]:
    """Whose facts a release states: its ticker, else its folder's only ticker, else its folder."""
    by_folder: dict[str, set[str]] = defaultdict(set)
    for r in corpus.records:
        if r.ticker:
            by_folder[r.folder].add(r.ticker.upper())
    default = str(corpus.company.get("ticker") or "").upper()
    out = {}
    for r in corpus.records:
        tickers = by_folder.get(r.folder, set())
        if r.ticker:
            out[r.path] = "ticker:" + r.ticker.upper()
        elif len(tickers) == 1:
            out[r.path] = "ticker:" + next(iter(tickers))
        elif default:
            out[r.path] = "ticker:" + default
        else:
            out[r.path] = "folder:" + r.folder
    return out


def _groups(
    members: list[tuple[DocRecord, Mention]], threshold: float
) -> Iterator[list[tuple[DocRecord, Mention]]]:
    """Members that state one fact: same pack fact, same subject, or alike sentences."""
    n = len(members)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        mi = members[i][1]
        for j in range(i + 1, n):
            mj = members[j][1]
            if find(i) == find(j):
                continue
            same = bool(mi.fact)
            if not same:  # one product's statement may be reworded a little more
                cutoff = threshold - 15 if mi.subjects and mi.subjects == mj.subjects else threshold
                same = fuzz.ratio(mi.signature, mj.signature, score_cutoff=cutoff) > 0
            if same and not mi.fact and _other_values_differ(mi, mj):
                same = False
            if same:
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


def _judge(group: list[tuple[DocRecord, Mention]], ctx: CheckContext) -> Iterator[Diagnostic]:
    """Findings of one fact's group: outliers of a dominant value, or every side."""
    classes: list[list[tuple[DocRecord, Mention]]] = []
    for rec, m in group:
        for cls in classes:
            if _same(cls[0][1].value, m.value):
                cls.append((rec, m))
                break
        else:
            classes.append([(rec, m)])
    if len(classes) < 2:
        return
    docs = [len({r.path for r, _ in c}) for c in classes]
    order = sorted(range(len(classes)), key=lambda i: -docs[i])
    top = order[0]
    dominant = docs[top] >= 2 and docs[top] > sum(docs) - docs[top]
    if not dominant and len(classes) >= 3:
        return  # a figure that keeps changing: a measure over time, not one fact
    reported = [i for i in range(len(classes)) if not dominant or i != top]
    severity = Severity.INFO if _changed_once(classes) else None
    for i in reported:
        others = [c for k, c in enumerate(classes) if k != i]
        for rec, m in classes[i]:
            yield _finding(rec, m, others, ctx, severity)


def _changed_once(classes: list[list[tuple[DocRecord, Mention]]]) -> bool:
    """Two values, one used only before the other, the newer one in two releases or more."""
    if len(classes) != 2:
        return False
    dated = [sorted({d for r, _ in c if (d := _date_of(r)) is not None}) for c in classes]
    a, b = dated
    if not a or not b:
        return False
    if a[-1] < b[0]:
        newer = b
    elif b[-1] < a[0]:
        newer = a
    else:
        return False
    return len(newer) >= 2


_PATH_DATE = regex.compile(r"(?<!\d)((?:19|20)\d\d)[/_-]?([01]\d)[/_-]?([0-3]\d)(?!\d)")


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


def _finding(
    rec: DocRecord,
    m: Mention,
    others: list[list[tuple[DocRecord, Mention]]],
    ctx: CheckContext,
    severity: Severity | None,
) -> Diagnostic:
    what = f"{m.fact} '{m.phrase}'" if m.fact else f"'{m.phrase}'"
    main = max(others, key=len)
    orec, om = main[0]
    where = f"{orec.path}:{om.anchor.line}"
    count = len({r.path for r, _ in main})
    more = f" and {count - 1} more release{'s' if count > 2 else ''}" if count > 1 else ""
    msg = f"{what} differs from '{om.phrase}' in {where}{more}"
    if severity is Severity.INFO:
        msg += f" (changed once and kept: {_when(rec)} vs {_when(orec)})"
    related = [
        o.anchor.related(f"'{o.phrase}' here ({_when(r)})")
        for c in others
        for r, o in c
        if (r.path, o.anchor.line) != (rec.path, m.anchor.line) or o.anchor.start != m.anchor.start
    ]
    return ctx.diagnostic(m.anchor, msg, severity=severity, related=related[:20])
