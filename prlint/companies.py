"""The corpus's companies: which company each release (and each sentence) is about.

Two phases, like a check:

* :func:`identity_of` reads one document (in a worker, cached with its extraction): its
  ticker slots ("Acme Corp. (NASDAQ: ACME, ACMEW)", adjacent slots of other exchanges
  included), its "About X" and "Source: X" names, the registrable web and e-mail domains it
  uses, and, for a release that names several companies, what each sentence names.
* :class:`Companies` (``corpus.companies``, built once per run) groups releases into
  companies from evidence that recurs: tickers listed together are one issuer; a name or a
  domain belongs to the company whose releases use it clearly most (a newswire's name or
  domain, used by many companies, belongs to none); a release with no ticker goes to the
  company of its names, its domains, then its folder.

Nothing here knows any check: checks ask ``company_of(path)`` / ``company_at(path, offset)``
and read :class:`Company` records.
"""

from __future__ import annotations

import bisect
import functools
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from prlint.codec import native
from prlint.lazyregex import lazy
from prlint.metadata import ticker_slots, tickers_of

if TYPE_CHECKING:
    from prlint.corpus import DocRecord
    from prlint.document import Document

#: legal forms that end a company name
LEGAL_FORMS = frozenset((
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "lp", "llp", "plc", "ag", "sa", "nv", "se", "gmbh", "ab", "asa", "oyj", "pty", "bhd", "spa",
    "srl", "bv", "kk"
))  # fmt: skip
#: words that describe a company's trade and follow its distinctive name
DESCRIPTORS = frozenset((
    "holdings", "holding", "group", "labs", "laboratories", "biosciences", "bioscience",
    "biotherapeutics", "therapeutics", "pharmaceuticals", "pharmaceutical", "pharma", "biotech",
    "biopharma", "biologics", "technologies", "technology", "systems", "solutions", "sciences",
    "international", "industries", "enterprises", "partners", "capital", "resources",
    "networks", "software", "medical", "brands", "bancorp", "financial", "communications",
    "advisory", "relations", "investor", "investors", "media", "global", "worldwide",
    "ventures", "services"
))  # fmt: skip
#: words that join a name's parts
CONNECTORS = frozenset(("the", "and", "of", "&"))
#: a name or domain belongs to a company whose releases hold this share of its uses
DOMINANT = 0.6
#: releases of a folder that must be attributed before the folder decides for the others
FOLDER_VOTES = 3

# -- domains --------------------------------------------------------------------------------
_SECOND_LEVEL = frozenset(["co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "ne", "or"])
#: a URL (its scheme may be glued to the word before: "Websitehttps://..."), a www. host or an
#: e-mail address
HOST = re.compile(
    r"""(?x)
    (?:(?P<scheme>https?://)|(?<![A-Za-z0-9._%+/@-])(?:(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]*)@)?)
    (?P<host>(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?P<tld>[a-z]{2,24}?|[A-Z]{2,24}(?=[^A-Za-z]|$)))
    (?=https?:|www\.|[^a-z]|$)  # a URL glued to the next one ends at its scheme
    (?P<path>/[^\s<>"'\])]*)?
    """
)


def registrable(host: str) -> str:
    """The registrable domain of a host: ``ir.cellectar.com`` → ``cellectar.com``."""
    labels = host.lower().removeprefix("www.").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# -- names ----------------------------------------------------------------------------------
_WORD = lazy(r"[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*")
_ABOUT = lazy(r"^[ \t>*#_]*(?:About|ABOUT)[ \t]+(?P<name>\p{Lu}[^\n]{0,80}?)[ \t*_:]*$",
                       regex.MULTILINE)  # fmt: skip
_SOURCE = lazy(r"^[ \t*_]*(?:Source|SOURCE)[ \t]*:[ \t]*(?P<name>\p{Lu}[^\n]{0,80}?)"
                        r"[ \t*_.]*$", regex.MULTILINE)  # fmt: skip
_NAME_END = lazy(r"[(\[|:]| [-–—] ")
_NAME_BEFORE = lazy(
    r"(?P<name>(?:\p{Ll}?\p{Lu}[\p{L}\p{N}.&'’-]*|\p{N}[\p{L}\p{N}-]*)"
    r"(?:,?[ \t]+(?:\p{Ll}?\p{Lu}[\p{L}\p{N}.&'’-]*|\p{N}[\p{L}\p{N}-]*|&|and|of|de|the)){0,6}),?"
    r"[ \t]*[\"“”(\[]*$"
)


def name_words(name: str) -> list[str]:
    """The words of a company name without its legal form: "Acme Bio, Inc." → Acme, Bio.

    What follows a bracket or a dash is not the name ("Acme (NASDAQ: ACME)")."""
    words = _WORD.findall(_NAME_END.split(name, 1)[0])
    while words and words[-1].casefold().strip(".") in LEGAL_FORMS:
        words.pop()
    while words and words[0].casefold() in ("the", "about"):
        words.pop(0)
    return words


@functools.lru_cache(maxsize=1 << 16)  # a corpus writes the same few names in every release
def name_key(name: str) -> str:
    """The case-free form names are grouped by: "Acme Bio, Inc." → "acme bio"."""
    return " ".join(w.casefold().replace("’", "'") for w in name_words(name))


@functools.lru_cache(maxsize=1 << 16)
def core_words(name: str) -> tuple[str, ...]:
    """The words that tell a company name apart (descriptors dropped): "acme"."""
    words = [w.casefold() for w in name_words(name)]
    core = [w for w in words if w not in DESCRIPTORS and w not in CONNECTORS]
    return tuple(core or words)


def display(name: str) -> str:
    """A name as shown: its words without the legal form."""
    words = name_words(name)
    if not words:
        return name.strip()
    start = name.find(words[0])
    end = name.rfind(words[-1]) + len(words[-1])
    return name[start:end]


# -- per-document evidence -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Slot:
    """Tickers listed together for one issuer, and the name written before them."""

    symbols: tuple[str, ...]
    name: str
    start: int  # decoded-source offsets
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One sentence of a release that names several companies: what it names."""

    start: int  # decoded-source offsets
    end: int
    paragraph: int
    symbols: tuple[str, ...]
    words: tuple[str, ...]  # case-folded capitalised words, in order


@dataclass(frozen=True, slots=True)
class Mentions:
    """The :class:`Mention` of a release, packed into three flat values (a round-up holds
    dozens, and only the releases a run compares sentence by sentence are unpacked)."""

    spans: bytes = b""  # start, end and paragraph of each, unsigned ints
    symbols: str = ""  # each mention's symbols joined by spaces, mentions by newlines
    words: str = ""  # each mention's words joined by spaces, mentions by newlines

    @classmethod
    def pack(cls, mentions: list[Mention]) -> Mentions:
        if not mentions:
            return cls()
        spans = array("I", (x for m in mentions for x in (m.start, m.end, m.paragraph)))
        return cls(
            spans.tobytes(),
            "\n".join(" ".join(m.symbols) for m in mentions),
            "\n".join(" ".join(m.words) for m in mentions),
        )

    def __bool__(self) -> bool:
        return bool(self.spans)

    def unpacked(self) -> list[Mention]:
        if not self.spans:
            return []
        spans = array("I")
        spans.frombytes(self.spans)
        texts = zip(self.symbols.split("\n"), self.words.split("\n"), strict=True)
        return [
            Mention(spans[3 * i], spans[3 * i + 1], spans[3 * i + 2], _split(sy), _split(wo))
            for i, (sy, wo) in enumerate(texts)
        ]


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(" ")) if joined else ()


@native  # decoded for every release in each run: by msgspec, in C
@dataclass(slots=True)
class Identity:
    """What one release says about whose it is (picklable, cached with the extraction)."""

    slots: list[Slot] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    domains: dict[str, int] = field(default_factory=dict)  # registrable domain -> uses
    mentions: Mentions = field(default_factory=Mentions)  # only for multi-company releases


def identity_of(doc: Document) -> Identity:
    """The identity evidence of one document."""
    text = doc.text
    out = Identity()
    for symbols, start, end in ticker_slots(text, tickers_of(doc)):
        m = _NAME_BEFORE.search(text, max(0, start - 160), start)
        name = display(m.group("name")) if m else ""
        s, e = doc.source_span(start, end)
        out.slots.append(Slot(symbols, name, s, e))
    out.about = [n for m in _ABOUT.finditer(text) if (n := display(m.group("name")))]
    out.source = [n for m in _SOURCE.finditer(text) if (n := display(m.group("name")))]
    domains: Counter[str] = Counter()
    for m in _kept_hosts(text):
        if m.group("scheme") or m.group("local") or m.group("host").lower().startswith("www."):
            domains[registrable(m.group("host"))] += 1
    for url, _s, _e in doc.links:
        found = HOST.match(url)
        if found and found.group("scheme"):
            domains[registrable(found.group("host"))] += 1
    out.domains = dict(sorted(domains.items()))
    groups = {sl.symbols for sl in out.slots}
    names = {name_key(n) for n in out.about}
    if len(groups) > 1 or len(names) > 1:
        out.mentions = Mentions.pack(_mentions(doc))
    return out


#: what a host :func:`identity_of` counts holds: a scheme, an e-mail's "@" or "www."
_HOST_CUE = re.compile(r"https?://|@|[wW]{3}\.")


def _kept_hosts(text: str) -> Iterator[re.Match[str]]:
    """``HOST.finditer(text)`` in the lines that could hold a host :func:`identity_of` counts."""
    return finditer_in_lines(HOST, _HOST_CUE, text)


def finditer_in_lines(
    pattern: re.Pattern[str], cue: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` searched only in the lines where ``cue`` matches: the same
    matches when every match of ``pattern`` holds no line break and a match of ``cue``."""
    pos = 0
    while (found := cue.search(text, pos)) is not None:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end + 1
        yield from pattern.finditer(text, start, end)
        pos = end


_CAPITAL = lazy(r"\b\p{Lu}[\p{L}\p{N}]*(?:[-'’][\p{L}\p{N}]+)*")


def _mentions(doc: Document) -> list[Mention]:
    text = doc.text
    paras = [p.start for p in doc.paragraphs]
    out = []
    for sent in doc.sentences:
        chunk = text[sent.start : sent.end]
        symbols = tuple(s for syms, _a, _b in ticker_slots(chunk) for s in syms)
        words = tuple(dict.fromkeys(w.casefold().replace("’", "'")
                                    for w in _CAPITAL.findall(chunk)))  # fmt: skip
        if not symbols and not words:
            continue
        s, e = doc.source_span(sent.start, sent.end)
        para = bisect.bisect_right(paras, sent.start) - 1
        out.append(Mention(s, e, para, symbols, words))
    return out


# -- the corpus model -----------------------------------------------------------------------
@dataclass
class Company:
    """One company of the corpus and what its releases say about it."""

    key: str
    name: str  # display name: the spelling most releases give
    tickers: set[str] = field(default_factory=set)
    domains: Counter[str] = field(default_factory=Counter)  # domain -> releases using it
    names: Counter[str] = field(default_factory=Counter)  # name as written -> releases
    releases: list[str] = field(default_factory=list)  # paths, sorted

    @property
    def core(self) -> tuple[str, ...]:
        return core_words(self.name)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _dominant(votes: Counter[str]) -> str | None:
    """The group holding a clear majority of the votes, if any."""
    if not votes:
        return None
    (top, n), *_ = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    return top if n >= DOMINANT * sum(votes.values()) else None


class Companies:
    """The companies of a corpus, built once from every release's :class:`Identity`."""

    def __init__(self, records: Iterable[DocRecord], config: Mapping[str, object] | None = None):
        self._ids: dict[str, Identity] = {}
        self._folder: dict[str, str] = {}
        for r in records:
            ident = r.identity if isinstance(r.identity, Identity) else Identity()
            self._ids[r.path] = ident
            self._folder[r.path] = r.folder
        self._of: dict[str, str | None] = {}
        self.companies: dict[str, Company] = {}
        self._by_word: dict[str, list[Company]] = defaultdict(list)
        self._symbol: dict[str, str] = {}
        #: the last release asked about by company_at: its path, mention starts and mentions
        self._mentions: tuple[str | None, list[int], list[Mention]] = (None, [], [])
        self._build(config or {})

    # -- queries ----------------------------------------------------------------------------
    def company_of(self, path: str) -> str | None:
        """The key of the company a release is about (its issuer), if any evidence says."""
        return self._of.get(path)

    def company_at(self, path: str, offset: int) -> str | None:
        """The company the sentence at a decoded-source offset names (a round-up names
        several); a sentence that names none goes with the one before it in its paragraph,
        then with the release's issuer."""
        ident = self._ids.get(path)
        if ident is None or not ident.mentions:
            return self.company_of(path)
        if self._mentions[0] != path:  # asked about one release's sentences in a row
            unpacked = ident.mentions.unpacked()
            self._mentions = (path, [m.start for m in unpacked], unpacked)
        _, starts, mentions = self._mentions
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0 or offset > mentions[i].end:
            return self.company_of(path)
        para = mentions[i].paragraph
        while i >= 0 and mentions[i].paragraph == para:
            found = self._named(mentions[i], path)
            if found is not None:
                return found
            i -= 1
        return self.company_of(path)

    def of_symbol(self, symbol: str) -> str | None:
        """The company listed under a ticker symbol."""
        return self._symbol.get(symbol.upper())

    def _named(self, m: Mention, path: str) -> str | None:
        for s in m.symbols:
            if s in self._symbol:
                return self._symbol[s]
        words = set(m.words)
        issuer = self.company_of(path)
        found = [
            c.key
            for w in m.words
            for c in self._by_word.get(w, ())
            if len(w) >= 4 or set(c.core) <= words  # "Acme" names Acme Robotics
        ]
        if issuer in found:
            return issuer
        return found[0] if found else None

    # -- building ---------------------------------------------------------------------------
    def _build(self, config: Mapping[str, object]) -> None:
        union = _Union()
        for ident in self._ids.values():
            for slot in ident.slots:
                for s in slot.symbols:
                    union.union("t:" + slot.symbols[0], "t:" + s)
                # the name written before a ticker is the issuer's: another listing of that
                # name (another exchange, a new symbol) is the same company
                k = name_key(slot.name)
                if any(len(w) >= 3 for w in core_words(k)):
                    union.union("t:" + slot.symbols[0], "s:" + k)
        configured = str(config.get("ticker") or "").upper()
        # each release's issuer: the first ticker slot
        group: dict[str, str] = {}
        for path, ident in sorted(self._ids.items()):
            if ident.slots:
                group[path] = union.find("t:" + ident.slots[0].symbols[0])
            elif configured:
                group[path] = union.find("t:" + configured)
        name_votes: dict[str, Counter[str]] = defaultdict(Counter)
        domain_votes: dict[str, Counter[str]] = defaultdict(Counter)
        for path, ident in self._ids.items():
            g = group.get(path)
            names = set(self._names_of(ident))
            for k in names:
                name_votes[k][g or "n:" + k] += 1
            for d in ident.domains:
                domain_votes[d][g or ""] += 1
        name_group = {k: g for k, v in name_votes.items() if (g := _dominant(v))}
        # a name no ticker claims is a company of its own, unless it is shared (a newswire's
        # "About" in the releases of many companies)
        domain_group: dict[str, str] = {}
        for d, v in domain_votes.items():  # ("" counts the releases no ticker claims)
            if (g := _dominant(v)) and g != "":
                domain_group[d] = g
        for path, ident in sorted(self._ids.items()):
            if path in group:
                continue
            g = next((name_group[k] for k in self._names_of(ident) if k in name_group), None)
            if g is None:
                uses = Counter({domain_group[d]: n for d, n in ident.domains.items()
                                if d in domain_group})  # fmt: skip
                g = _dominant(uses)
            if g is not None:
                group[path] = g
        folder_votes: dict[str, Counter[str]] = defaultdict(Counter)
        for path, g in group.items():
            if self._folder[path]:
                folder_votes[self._folder[path]][g] += 1
        for path in sorted(self._ids):
            if path not in group and self._folder[path]:
                votes = folder_votes.get(self._folder[path], Counter())
                g = _dominant(votes) if sum(votes.values()) >= FOLDER_VOTES else None
                if g is not None:
                    group[path] = g
        # what is left: a company of its own domains, linked by the domains they share,
        # except domains of several companies (a wire's, a social site's); else none
        hubs = {d for d, v in domain_votes.items() if len(v.keys() - {""}) > 1}
        own: dict[str, list[str]] = {}
        for path, ident in sorted(self._ids.items()):
            mine = sorted(d for d in ident.domains if d not in hubs)
            if path not in group and mine:
                own[path] = mine
                for d in mine:
                    union.union("d:" + mine[0], "d:" + d)
        for path in sorted(own):
            group[path] = union.find("d:" + own[path][0])
        self._make(group, union, name_group, domain_group)

    @staticmethod
    def _names_of(ident: Identity) -> list[str]:
        """Name keys a release gives itself: its first slot's name, About and Source names."""
        out = []
        if ident.slots and ident.slots[0].name:
            out.append(name_key(ident.slots[0].name))
        out += [name_key(n) for n in ident.about + ident.source]
        return [k for k in dict.fromkeys(out) if k]

    def _make(
        self,
        group: dict[str, str],
        union: _Union,
        name_group: dict[str, str],
        domain_group: dict[str, str],
    ) -> None:
        members: dict[str, list[str]] = defaultdict(list)
        for path, g in sorted(group.items()):
            members[g].append(path)
        symbols: dict[str, set[str]] = defaultdict(set)
        for x in union.parent:
            if x.startswith("t:"):
                symbols[union.find(x)].add(x[2:])
        roots: dict[str, str] = {}  # domain -> its group (the union is complete here)

        def root_of(domain: str) -> str:
            found = roots.get(domain)
            if found is None:
                found = roots[domain] = union.find("d:" + domain)
            return found

        used: set[str] = set()
        for g, paths in sorted(members.items()):
            written: Counter[str] = Counter()
            for p in paths:
                ident = self._ids[p]
                names = [ident.slots[0].name] if ident.slots and ident.slots[0].name else []
                names += ident.about + ident.source
                for n in dict.fromkeys(names):
                    if name_group.get(name_key(n)) == g:
                        written[n] += 1
            name = min(written, key=lambda n: (-written[n], len(n), n)) if written else ""
            own = Counter(
                d for p in paths for d in self._ids[p].domains
                if domain_group.get(d) == g or root_of(d) == g
            )  # fmt: skip
            if not name:
                name = min(own, key=lambda d: (-own[d], d)) if g.startswith("d:") else g[2:]
            key = name_key(name) or name.casefold()
            if key in used:
                key = f"{key} ({g[2:]})"
            used.add(key)
            company = Company(key, name, releases=paths, names=written)
            company.tickers = symbols.get(g, set())
            company.domains = own
            for p in paths:
                self._of[p] = key
            for s in company.tickers:
                self._symbol[s] = key
            self.companies[key] = company
            if company.core:
                self._by_word[company.core[0]].append(company)
