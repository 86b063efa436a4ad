"""company-name: a near miss of a company or product name the corpus spells another way."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import regex

from prlint.api import Check, CheckContext, Diagnostic, Extraction, Insight, Severity
from prlint.checks.lib import insights
from prlint.checks.lib.entities import (
    COMMON_ZIPF,
    ENTITY_CHECKS,
    EntityFacts,
    Loc,
    Profile,
    TokenUse,
    Unit,
    anchor_of,
    domain_label,
    extract_entities,
    is_camel,
    is_code,
    key,
    key_of,
    may_near,
    near_miss,
    numbered_name,
    ordinary,
    parts_of,
    profile,
    skeleton,
    units_of,
    zipf,
    zipf_of,
)
from prlint.checks.lib.names import TOO_COMMON, canonical_names, from_names, variants
from prlint.companies import Company, name_words
from prlint.corpus import Corpus
from prlint.document import Document


@dataclass
class Miss:
    """A spelling of ``unit`` found in one release."""

    form: str  # the spelling as written
    unit: Unit
    fix: str
    uses: list[Loc]
    case_only: bool = False
    named: bool = False  # the spelling is a name some release gives itself


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _evidence(unit: Unit) -> str:
    bits = [f"{_plural(unit.uses, 'use')} in {_plural(len(unit.docs), 'release')}"]
    if unit.domains:
        bits.append("domain " + ", ".join(sorted(unit.domains)[:2]))
    if unit.configured:
        bits.append("configured")
    return ", ".join(bits)


def _shape(canonical: str, form: str) -> str:
    """The canonical spelling in the shape of the written form (all capitals stay so)."""
    return canonical.upper() if form.isupper() and len(form) > 1 else canonical


def _sub(loc: Loc, token: str, s: int, e: int) -> Loc:
    """The location of ``token[s:e]`` inside a token's location (when it maps one to one)."""
    if loc[5] - loc[4] != len(token) or loc[0] != loc[2]:
        return loc
    return (loc[0], loc[1] + s, loc[2], loc[1] + e, loc[4] + s, loc[4] + e)


class _Found(Sequence[TokenUse]):
    """The uses of one token of a release, unpacked when first read: most tokens are judged
    on their number of uses alone."""

    __slots__ = ("_first", "_n", "_take", "_uses")

    def __init__(self, n: int, first: int, take: Callable[[int, int], list[TokenUse]]) -> None:
        self._n, self._first, self._take = n, first, take
        self._uses: list[TokenUse] | None = None

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: Any) -> Any:
        return self._unpacked()[i]

    def __iter__(self) -> Iterator[TokenUse]:
        return iter(self._unpacked())

    def _unpacked(self) -> list[TokenUse]:
        if self._uses is None:
            self._uses = self._take(self._first, self._n)
        return self._uses


class _Judge:
    """Decides, for one release, which of its tokens are misspellings of its names."""

    def __init__(
        self,
        prof: Profile,
        doc: int,
        facts: EntityFacts,
    ) -> None:
        self.prof = prof
        self.doc = doc
        self.facts = facts
        keys = prof.home[doc] or prof.doc_units[doc]
        units = [prof.units[k] for k in sorted(keys) if k in prof.units]
        self.single = [u for u in units if " " not in u.name and len(u.key) >= 4]
        self.phrases = [u for u in units if " " in u.name]
        self.own: set[str] = set()  # keys of the words of the release's company's names
        self.counts: Counter[str] = Counter()  # uses of each spelling, all capitalisations

    def add_company(self, company: Company) -> None:
        """Weigh the tokens against the names the company's releases give it too (two releases
        or more): a release that misspells its name wherever it gives it has it only there."""
        have = {u.key for u in self.single} | {u.key for u in self.phrases}
        for name, n in sorted(company.names.items()):
            if n < 2:
                continue
            for word in units_of(name_words(name)) or [name]:
                unit = self.prof.units.get(key(word))
                if unit is None or unit.key in have:
                    continue
                have.add(unit.key)
                if " " in unit.name:
                    self.phrases.append(unit)
                elif len(unit.key) >= 4:
                    self.single.append(unit)

    def uses(self, form: str, found: Sequence[TokenUse]) -> int:
        """Uses of a spelling in this release, counting its other capitalisations (FabTech
        weighs for Fabtech)."""
        return max(len(found), self.counts[key_of(form)])

    def docs_of(self, form: str) -> set[int]:
        k = key(form)
        out = set(self.prof.token_docs.get(k, ())) | {self.doc}
        other = self.prof.units.get(k)
        if other is not None:
            out.update(other.context_docs)
        return out

    def dominated(self, form: str, uses: int, unit: Unit) -> bool:
        """Whether ``unit`` clearly outweighs ``form`` and ``form`` never stands alone."""
        k = key(form)
        if k in self.prof.allow or (form.isupper() and k in self.prof.tickers):
            return False
        if ordinary(form) or skeleton(form, unit.name):
            return False
        if form.isalpha() and unit.name.isalpha() and min(zipf(form), zipf(unit.name)) >= 1.5:
            return False  # two English words (Orthodontists, Orthodontics)
        other = self.prof.units.get(k)
        if other is not None and (other.configured or not other.tickers <= unit.tickers):
            return False
        docs = self.docs_of(form)
        if not docs <= self.prof.belongs(unit):
            return False  # used where the company is absent: another name
        if form.isupper() and (len(docs) > 1 or uses > 3):
            return False  # a recurring abbreviation, ticker or token symbol
        if unit.configured:
            return True
        if len(docs) * 2 > len(unit.docs) + 1:
            return False  # in half the company's releases: a name of its own, not a slip
        u_dom = bool(unit.domains)
        v_dom = other is not None and bool(other.domains)
        if u_dom and not v_dom:
            return len(unit.docs) > len(docs) or unit.uses >= uses
        if v_dom and not u_dom:
            return False
        if len(unit.docs) != len(docs):
            return len(unit.docs) > len(docs)
        return unit.uses >= 2 * uses

    def pool(self, form: str) -> list[Unit]:
        """This release's names (codes: the corpus's codes with its numbers) whose keys pass
        :func:`may_near` with the key of ``form``: the only ones it can be a near miss of."""
        units = self.prof.products_like(form) if is_code(form) else self.single
        v, name_key = key_of(form), self.prof.name_key
        return [u for u in units if may_near(v, name_key(u))]

    def best(self, form: str, uses: int, pool: list[Unit] | None = None) -> Unit | None:
        """The name ``form`` misspells (the strongest of its :meth:`pool`), if any.

        Not memoised across releases: a corpus's verdicts held for the run cost more memory
        (about 30 MB on 24,676 releases) than asking again costs time (none measurable)."""
        cands = [u for u in (self.pool(form) if pool is None else pool) if near_miss(form, u.name)]
        cands = [u for u in cands if self.dominated(form, uses, u)]
        return max(cands, key=lambda u: u.strength()) if cands else None

    def token(self, tok: str, found: Sequence[TokenUse]) -> Iterator[Miss]:
        covered = self.prof.spans(tok)
        missed = False
        for s, e, k in covered:
            unit = self.prof.units.get(k)
            form = tok[s:e]
            if unit is not None and len(k) >= 4 and k not in self.prof.allow:
                better = self.best(form, self.uses(form, found))
                if better is not None and not _apart(better, found):  # a weaker twin
                    missed = True
                    yield Miss(
                        form,
                        better,
                        _shape(better.name, form),
                        self.locs(found, tok, s, e),
                    )
                    continue
            if unit is None or form == unit.name or form.isupper() or " " in unit.name:
                continue
            if key(form) == key(unit.name) and self.case_slip(form, unit):
                yield Miss(form, unit, unit.name, self.locs(found, tok, s, e), case_only=True)
        ps = parts_of(tok)  # (each token of each release once: no run-long memo)
        free = [j for j, (a, b) in enumerate(ps) if not any(a < e and s < b for s, e, _ in covered)]
        runs = [m for i0, i1 in _runs(free) for m in self._run(tok, found, ps, i0, i1)]
        if missed:
            yield from runs
            return
        phrase = next(self._phrase(tok, found, named=bool(covered)), None)
        if phrase is None:
            yield from runs
            return
        # one finding per use: of the names one spelling is near, the better supported says it
        same = [m for m in runs if m.form == phrase.form]
        stronger = all(phrase.unit.strength() > m.unit.strength() for m in same)
        yield from (m for m in runs if m.form != phrase.form or not stronger)
        if stronger:
            yield phrase

    def locs(self, found: Sequence[TokenUse], tok: str, s: int, e: int) -> list[Loc]:
        """The locations of ``tok[s:e]`` in the uses of ``tok``."""
        return [_sub(self.facts.loc(t.start, t.end), tok, s, e) for t in found]

    def case_slip(self, form: str, unit: Unit) -> bool:
        """``Geovax`` for ``GeoVax``: a rare capitalisation of this release's own name."""
        if unit.key not in self.own or form.islower() or zipf(unit.name) >= 2.5:
            return False
        if key(form) in self.prof.allow or form in self.prof.allow_forms:
            return False
        return (
            unit.form_docs[form] <= 1
            and unit.forms[form] <= 2
            and len(unit.docs) >= 3
            and unit.forms[form] * 20 <= unit.uses
        )

    def _run(
        self, tok: str, found: Sequence[TokenUse], ps: tuple[tuple[int, int], ...], i0: int, i1: int
    ) -> Iterator[Miss]:
        for size in range(i1 - i0 + 1, 0, -1):
            for a in range(i0, i1 - size + 2):
                s, e = ps[a][0], ps[a + size - 1][1]
                form = tok[s:e]
                if len(key_of(form)) < 4 or not any(c.isupper() for c in form):
                    continue
                pool = self.pool(form)
                if not pool:  # (before the word tests: most forms are near no name)
                    continue
                if not (is_camel(form) or "-" in form or zipf_of(form) < COMMON_ZIPF):
                    continue
                if _borrowed(tok, s):
                    continue
                unit = self.best(form, self.uses(form, found), pool)
                if unit is not None and not _apart(unit, found):
                    yield Miss(form, unit, _shape(unit.name, form), self.locs(found, tok, s, e))
                    return

    def _phrase(self, tok: str, found: Sequence[TokenUse], *, named: bool) -> Iterator[Miss]:
        """A slip of a word of a phrase name, written between that phrase's other words (and,
        unless an English word, in the release's other uses too), or, no English word, of its
        first word standing alone as the company's short name (see :meth:`_short_name`) or of
        a word written with a number, which stands alone too (Csut2Mate for A2Z Cust2Mate).
        ``named``: the token is a name of its own (some release gives it itself), a slip only
        if the phrase is used in at least twice as many releases (and found after the corpus
        model's slips of the company's name words, which say it better). A phrase whose
        company the release belongs to only by a longer name holding it comes last."""
        fallback: Miss | None = None
        for unit in self.phrases:
            words = [w for w in unit.name.split() if w != "&"]  # (no word of a use's neighbours)
            extra = int(len(unit.docs) >= 2)  # one more edit: the slip stands in the phrase
            for j, w in enumerate(words):
                if not near_miss(tok, w, extra):
                    continue
                framed = [
                    t
                    for t in found
                    if (j == 0 or t.prev == words[j - 1])
                    and (j == len(words) - 1 or t.next == words[j + 1])
                ]
                english = zipf_of(tok) >= COMMON_ZIPF
                if not framed and (
                    english or not (self._short_name(tok, unit, j, w) or numbered_name(w))
                ):
                    continue  # (a word standing for the company alone: see the docstring)
                if not english:  # no word: a slip wherever the release uses it
                    framed = list(found)
                hits = [self.facts.loc(t.start, t.end) for t in framed]
                docs = self.docs_of(tok)
                if named and len(docs) * 2 > len(unit.docs):
                    continue
                if docs <= self.prof.belongs(unit):
                    yield Miss(tok, unit, _shape(w, tok), hits, named=named)
                    return
                if fallback is None and docs <= self.prof.belongs(unit) | self._longer(unit):
                    fallback = Miss(tok, unit, _shape(w, tok), hits, named=named)
        if fallback is not None:
            yield fallback

    def _short_name(self, tok: str, unit: Unit, j: int, w: str) -> bool:
        """Whether ``tok``, standing alone, may be a slip of the phrase's first word used as
        the company's short name ("Folus’ platform" in a release that writes Focus
        Universal): written as a name, not in capitals (a ticker), within the word's own
        budget, a word too common for the corpus model's name words (whose slips it finds
        and says better)."""
        return (
            j == 0
            and self.doc in unit.docs
            and not tok.isupper()
            and zipf(w) >= TOO_COMMON
            and near_miss(tok, w)
        )

    def _longer(self, unit: Unit) -> set[int]:
        """This release, if it writes a longer name that holds the phrase ``unit`` (MAX Power
        Mining for MAX Power): it belongs to the phrase's company, though its uses of the
        phrase alone are all misspelt."""
        inner = f" {unit.name} "
        for other in self.phrases:
            if other is not unit and inner in f" {other.name} " and self.doc in other.docs:
                return {self.doc}
        return set()


def _apart(unit: Unit, found: Sequence[TokenUse]) -> bool:
    """A name one release supports, always written next to the same word (Ysaan Books),
    and a spelling never next to it (Isaan): another word, not a slip of the name."""
    bound = unit.bound() if len(unit.docs) == 1 else None
    return bound is not None and all(bound not in (t.prev, t.next) for t in found)


def _named_domain(company: Company) -> str | None:
    """The company's most used domain named after it: starting with the first word of its
    usual name, or at least half spelt by its words (an agency's, a regulator's, a wire's
    or a subsidiary's domain in its releases is no evidence for its name)."""
    keys = [k for w in name_words(company.name) if (k := key(w))]
    first = keys[0] if keys and len(keys[0]) >= 2 else None  # ("G": any domain's first letter)
    words = {k for k in keys if len(k) >= 3}
    for domain, _ in company.domains.most_common():
        label = key(domain_label(domain))
        if (first and label.startswith(first)) or 2 * sum(
            len(w) for w in words if w in label
        ) >= len(label):
            return domain
    return None


def _private(facts: EntityFacts | None) -> set[str]:
    """The keys of the names a release marks "(private)": companies of their own."""
    return {key(n) for n, kinds in facts.names.items() if "private" in kinds} if facts else set()


def _entity_facts(corpus: Corpus, check: str) -> dict[str, EntityFacts]:
    """Path -> entity facts of every release."""
    return {rec.path: facts for rec, facts in corpus.facts(check) if isinstance(facts, EntityFacts)}


def _borrowed(tok: str, s: int) -> bool:
    """A piece that takes the last capital of a word in capitals glued to a lower-case word
    (SOURCEswap → Eswap): no name, the glued word is."""
    if s < 2 or not (tok[s - 2].isupper() and tok[s - 1].isupper() and tok[s].isupper()):
        return False
    tail = regex.match(r"\p{Ll}+", tok, pos=s + 1)
    return tail is not None and zipf(tail.group()) >= COMMON_ZIPF


def _runs(idx: list[int]) -> Iterator[tuple[int, int]]:
    """Maximal runs of consecutive integers: [0, 1, 3] → (0, 1), (3, 3)."""
    start = prev = None
    for i in idx:
        if start is None:
            start = prev = i
        elif prev is not None and i == prev + 1:
            prev = i
        else:
            yield start, prev  # type: ignore[misc]
            start = prev = i
    if start is not None:
        yield start, prev  # type: ignore[misc]


class CompanyName(Check):
    """A near miss of a company or product name that the corpus spells another way.

    The canonical names are inferred, with no configuration, from the corpus: the names that
    "About X", "X, Inc.", "X (Nasdaq: TICK)" and "Source: X" vouch for and the names that
    spell the company's web or e-mail domain, counted over every release. A rare spelling a
    letter or two away (two for names of nine letters or more) in a release that belongs to
    that company is reported, with a fix to the usual spelling. A different name used on its
    own (its own releases, ticker or domain), ordinary English words, config ``company.names``
    / ``company.aliases`` and the ``allow`` list are left alone. A name written as a domain
    (``iCoreConncet.com``) counts as a name; a lower-case URL is url-drift's. A word of a
    phrase name ("Safe & Green", "Forward Industries") is judged where it stands between the
    phrase's other words, one edit more when the phrase is used in two releases or more.

    Each company of the corpus model (releases grouped by ticker, names and domains) is also
    checked against its own name words (the parts of a hyphenated one too), whatever their
    English frequency (Lantern, Foremost): the spelling most of its releases use is
    canonical, and a rarer spelling within 1 edit (names of 4 to 7 letters, and trade words
    such as Ventures) or 2 (8 and more), one more where it stands in the company's name
    (before its own ticker, or between the words the name is written between), is reported,
    unless it recurs in three releases, is used by other companies, is an English word, a
    plural or possessive of the name, or the name with letters glued to it.

    Passes (every release spells it one way)::

        Cellectar Biosciences, Inc. (Nasdaq: CLRB) ... Cellectar's PDC platform ...
        About Cellectar Biosciences, Inc.

    Fails (one release writes another spelling)::

        Source: Cellestar Biosciences, Inc.
        -> 'Cellestar' looks like 'Cellectar' (41 uses in 5 releases, domain cellectar.com)
    """

    name = "company-name"
    severity = Severity.ERROR
    summary = "a near miss of a canonical company or product name"
    reads = ENTITY_CHECKS
    safe_fixes = False  # a near miss may be another name: the fix is a suggestion
    cross_release = True

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        return Extraction(facts=extract_entities(doc))

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Diagnostic]:
        prof = profile(corpus, ctx.allow)
        index = {p: i for i, p in enumerate(prof.paths)}
        found_at: set[tuple[str, int, int]] = set()
        held: list[Diagnostic] = []  # slips of a name a release gives itself: see _phrase
        for rec, facts in corpus.facts(self.name):
            if not rec.reported or not isinstance(facts, EntityFacts):
                continue
            i = index[rec.path]
            judge = _Judge(prof, i, facts)
            company = corpus.companies.companies.get(corpus.companies.company_of(rec.path) or "")
            judge.own = {key(w) for n in company.names for w in name_words(n)} if company else set()
            judge.own.intersection_update(prof.home[i])
            if company is not None:
                judge.add_company(company)
            tokens = sorted(facts.tokens.each(), key=itemgetter(0))  # (each token once)
            for tok, n, _, _ in tokens:
                judge.counts[key_of(tok)] += n  # (once per token: no run-long memo)
            if not judge.single and not judge.phrases:
                continue
            for tok, n, first, take in tokens:
                for miss in judge.token(tok, _Found(n, first, take)):
                    for d in self._report(ctx, prof, rec.path, i, miss):
                        if miss.named:
                            held.append(d)
                            continue
                        found_at.add((d.path, d.line, d.column))
                        yield d
        words: list[Diagnostic] = []
        common: list[Diagnostic] = []  # slips of common name words: the names are the evidence
        for d in self._variants(corpus, ctx):
            (common if d.fix is not None and from_names(d.fix.replacement) else words).append(d)
        for d in itertools.chain(words, held, common):  # the better evidence first
            if (d.path, d.line, d.column) not in found_at:
                found_at.add((d.path, d.line, d.column))
                yield d

    def insights(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Insight]:
        """Per company, its name words: the canonical spelling and the variants found, one
        point per release and spelling."""
        model = corpus.companies
        facts = _entity_facts(corpus, self.name)
        t = insights.table()
        for d in self.compare(corpus, ctx):
            owner = model.company_of(d.path)
            if owner is not None and d.fix is not None:
                insights.add(t, owner, d.fix.replacement, d.matched, d.path, d.line, "variant")
        for key_, company in model.companies.items():
            for canonical in canonical_names(company, facts):
                for path in company.releases:
                    spans = facts[path].words.spans_of(canonical) if path in facts else []
                    if spans:
                        line = facts[path].loc(*spans[0])[0]
                        insights.add(t, key_, canonical, canonical, path, line, "canonical")
        yield from insights.emit(corpus, "names", t)

    def _variants(self, corpus: Corpus, ctx: CheckContext) -> Iterator[Diagnostic]:
        """Slips of each company's own name words in its releases (the corpus model's)."""
        allow = {key(a) for a in ctx.allow}
        facts = _entity_facts(corpus, self.name)
        model = corpus.companies
        owners = {model.company_of(r.path) for r in corpus.records if r.reported}
        for v in variants(corpus, facts, owners):
            if not corpus.is_reported(v.path) or key(v.form) in allow | _private(facts.get(v.path)):
                continue
            evidence = (
                f"the company's name in {_plural(v.releases, 'release')}"
                if from_names(v.canonical)
                else f"{_plural(v.total, 'use')} in {_plural(v.releases, 'release')}"
            )
            if domain := _named_domain(v.company):
                evidence += f", domain {domain}"
            message = f"'{v.form}' looks like '{v.canonical}' ({evidence})"
            related = []
            if v.seen is not None:
                seen = f"'{v.seen_as}' given before its ticker" if v.seen_as else None
                note = seen or f"'{v.canonical}' used"
                related.append(anchor_of(*v.seen).related(f"{note} here"))
            for loc in v.uses:
                yield ctx.diagnostic(
                    anchor_of(v.path, loc, v.form), message, fix=v.canonical, related=related
                )

    def _report(
        self, ctx: CheckContext, prof: Profile, path: str, doc: int, miss: Miss
    ) -> Iterator[Diagnostic]:
        unit = miss.unit
        rel = prof.related_use(unit, doc)
        related = []
        if rel is not None:
            rpath, rloc, rform = rel
            related.append(anchor_of(rpath, rloc).related(f"'{rform}' used here"))
        verb = "is usually written" if miss.case_only else "looks like"
        within = f"'{unit.name}': " if " " in unit.name else ""
        message = f"'{miss.form}' {verb} '{miss.fix}' ({within}{_evidence(unit)})"
        for loc in miss.uses:
            yield ctx.diagnostic(
                anchor_of(path, loc, miss.form), message, fix=miss.fix, related=related
            )
