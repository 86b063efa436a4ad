"""Company names by corpus evidence: the spellings of each company's own name across its
releases, and the rare near misses of them.

Per document, :func:`name_words` records every capitalised word (common words too: a
company may be called Lantern or Foremost) with its locations. Per company of the corpus
model (``corpus.companies``), the words of the names its releases give it (before its ticker,
in "About X" and "Source: X"; a name needs two releases) are its name words; the spelling most
releases use is canonical. Another spelling of the company's releases is a variant when it is
within a length-scaled Damerau-Levenshtein budget (1 edit from 4 letters, 2 from 8; one more
where the release writes it in the name slot before the company's own ticker), the canonical
spelling is used clearly more, and the variant is no established word or name of its own
(used in the releases of other companies, in three releases, or an English word).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, islice
from operator import or_
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from prlint.checks.lib.entities import (
    DESCRIPTORS,
    LEGAL_FORMS,
    TOKEN_TESTS,
    EntityFacts,
    Loc,
    indices_in,
    is_camel,
    parts,
    zipf,
)
from prlint.companies import Company, Slot, name_words
from prlint.lazyregex import lazy

if TYPE_CHECKING:
    from prlint.corpus import Corpus
    from prlint.document import Document

#: a word this frequent in English (Zipf) is never a name's only spelling worth keeping
TOO_COMMON = 5.0
#: a variant this frequent in English is a word of its own, not a slip
ENGLISH = 3.0
#: a variant in this many of the company's releases (and in half as many as the name) is a
#: name of its own
OWN_NAME_RELEASES = 3

#: a word of four characters or more (the lookahead skips shorter ones in C: none is kept)
_WORD = lazy(r"(?<![\p{L}\p{N}@#$/.\\_-])(?=[\p{L}\p{N}-]{4})"
                      r"\p{L}[\p{L}\p{N}]*(?:-{1,2}[\p{L}\p{N}]+)*"
                      r"(?![\p{L}\p{N}@_-]|\.[\p{L}\p{N}])")  # fmt: skip


#: capitalised words of one release: spelling -> (start, end) source offsets of its uses
Words = dict[str, list[tuple[int, int]]]
#: per spelling, per use: the longer name it is written in ("Style with _"), or ""
Frames = dict[str, list[str]]

_CONNECTORS = frozenset(("with", "of", "the", "and", "for", "&", "de", "on", "in"))
#: the word before a position (searched backwards: it ends where the search starts)
_LEFT = lazy(r"(?r)(\S+)[ \t]+$")
_RIGHT = lazy(r"[ \t]+(\S+)")
_NAME_PIECE = lazy(r"[\p{L}&]+")


def fold(word: str) -> str:
    """How spellings are compared: case-free, apostrophes and hyphens kept."""
    return word.casefold().replace("’", "'")


def name_words_of(doc: Document) -> tuple[Words, Frames]:
    """Every capitalised word of a release that could spell a name, with the source spans of
    its uses and the longer name each use is written in.

    Words inside URLs, e-mail addresses, @handles, $symbols and #hashtags are left out."""
    text = doc.text
    found = list(_kept_words(doc))
    spans = doc.source_spans([(start, end) for _, start, end in found])
    out: Words = {}
    frames: Frames = {}
    for (w, start, end), span in zip(found, spans, strict=True):
        f = frame(text, start, end)
        if w in out:
            out[w].append(span)
            frames[w].append(f)
        else:
            out[w] = [span]
            frames[w] = [f]
    return out, frames


_HYPHEN = re.compile("-")


def _kept_words(doc: Document) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of the matches of ``_WORD.finditer(doc.text)`` that :func:`_kept`
    keeps, the pattern tried only where a token starts (where every match starts) whose word
    is kept or that a hyphen follows. A match not followed by a hyphen is its token's word
    exactly (the token ends where letters, digits and hyphens joining them end), so a token
    of a word not kept, without a hyphen after it, has no match to keep and covers no other
    token; one that a hyphen follows may reach over "--" to the next tokens."""
    text = doc.text
    words, starts, ends = doc.token_columns
    keep = TOKEN_TESTS.of(doc)[_KEPT]
    if "-" in text:
        dashes = {m.start() for m in _HYPHEN.finditer(text)}
        chosen = map(or_, map(keep.__contains__, words), map(dashes.__contains__, ends))
        tried = list(compress(range(len(words)), chosen))
    else:
        tried = indices_in(words, keep)
    match = _WORD.match
    last = 0
    for i in tried:
        start = starts[i]
        if start < last:
            continue
        m = match(text, start)
        if m is None:
            continue
        last = m.end()
        w = words[i] if last == ends[i] else m.group()
        if _kept(w):
            yield w, start, last


def from_names(canonical: str) -> bool:
    """Whether a canonical name word is too common to be kept in a release's words, so that
    its support is the releases whose company names hold it (:func:`_name_words`)."""
    return not _kept(canonical)


@lru_cache(maxsize=1 << 16)  # the words met again are few and frequent: 200,000 answers
def _kept(w: str) -> bool:  # held 16 MB more in each worker for 3% fewer calls
    """Whether a word could spell a name: four letters or more, a capital, no digit, and
    not one of the commonest English words unless written like a name."""
    if len(w) < 4 or w.islower():
        return False
    if not w.replace("-", "").isalpha() and any(c.isdigit() for c in w):
        return False
    return not (zipf(w) >= TOO_COMMON and not _shaped(w))


def frame(text: str, start: int, end: int) -> str:
    """The longer name a word is written in, the word as ``_``: the capitalised words next
    to it, through connectors (``Style with _``); ``_`` when it stands alone."""
    near_left = _left_names(text, start) if _gap_before(text, start) else []
    near_right = _right_names(text, end) if text[end : end + 1] in _GAP else []
    if not near_left and not near_right:
        return "_"
    return " ".join([*near_left[::-1], "_", *near_right])


#: what separates the words of a name (``[ \t]`` of ``_LEFT`` and ``_RIGHT``)
_GAP = (" ", "\t")


def _gap_before(text: str, pos: int) -> bool:
    """Whether spaces or tabs end just before ``pos`` (a line break may follow them): without,
    :func:`_word_before` finds no word."""
    c = text[pos - 1 : pos] if pos else ""
    return c in _GAP or (c == "\n" and pos >= 2 and text[pos - 2] in _GAP)


#: what ``\s`` matches in ASCII (not the separators \x1c-\x1f that ``str.isspace`` adds)
_SPACE = frozenset(" \t\n\v\f\r")


def _word_before(text: str, pos: int) -> tuple[str, int] | None:
    """The word ending in spaces or tabs just before ``pos`` (at most 40 characters back;
    a line break may follow them), and its start: ``_LEFT``, in string operations when the
    text there is ASCII."""
    low = pos - 40 if pos > 40 else 0
    window = text[low:pos]
    if not window.isascii():
        m = _LEFT.search(text, low, pos)
        return (m.group(1), m.start(1)) if m else None
    body = window[:-1] if window.endswith("\n") else window  # "$" before a final newline
    trimmed = body.rstrip(" \t")
    end = len(trimmed)
    if end == len(body):
        return None
    start = trimmed.rfind(" ") + 1
    word = trimmed[start:]
    if not word.isprintable():  # a tab, line break or other control character in it
        start = end
        while start > 0 and trimmed[start - 1] not in _SPACE:
            start -= 1
        word = trimmed[start:]
    return (word, low + start) if word else None


def _word_after(text: str, pos: int) -> tuple[str, int] | None:
    """The word after the spaces or tabs at ``pos`` (within 40 characters), and its end:
    ``_RIGHT``, in string operations when the text there is ASCII."""
    window = text[pos : pos + 40]
    if not window.isascii():
        m = _RIGHT.match(text, pos, pos + 40)
        return (m.group(1), m.end(1)) if m else None
    rest = window.lstrip(" \t")
    skipped = len(window) - len(rest)
    if not skipped:
        return None
    space = rest.find(" ")
    word = rest if space < 0 else rest[:space]
    if not word.isprintable():  # a tab, line break or other control character in it
        end = 0
        while end < len(rest) and rest[end] not in _SPACE:
            end += 1
        word = rest[:end]
    return (word, pos + skipped + len(word)) if word else None


def _name_piece(word: str) -> bool:
    """Letters and ampersands only (``_NAME_PIECE``; ``str.isalpha`` is the same in ASCII)."""
    if word.isascii():
        return word.replace("&", "a").isalpha()
    return _NAME_PIECE.fullmatch(word) is not None


_PUNCT = ".,:;!?'\"”’)"


def _name_side(
    text: str, pos: int, step: Callable[[str, int], tuple[str, int] | None], left: bool
) -> list[str]:
    """The words of one side, nearest first, that continue a name: capitalised words through
    connectors, ending on a capitalised word; punctuation between words ends it. Up to three
    words from ``pos``, each found by ``step`` (the word just before or just after a position,
    and where it ends), read only as far as a name goes."""
    out: list[str] = []
    kept = 0
    for _ in range(3):
        found = step(text, pos)
        if found is None:
            break
        w, pos = found
        bare = w.rstrip(_PUNCT)
        if not _name_piece(bare) or (left and bare != w):
            break
        out.append(bare)
        if bare[:1].isupper():
            kept = len(out)
        elif bare.casefold() not in _CONNECTORS:
            break
        if bare != w:
            break
    return out[:kept]


# How a word read by _name_side continues a name: it ends it, it is a capitalised word of
# it, or it joins two (a connector). Answered once per distinct word, by _left_names and
# _right_names: _name_side with its steps inlined for ASCII text (the same words, tested).
_BREAK, _NAME, _JOIN = 0, 1, 2
_LEFT_KINDS: dict[str, int] = {}
_RIGHT_KINDS: dict[str, tuple[int, str, bool]] = {}
_KINDS_LIMIT = 100_000


def _kind(bare: str) -> int:
    if not _name_piece(bare):
        return _BREAK
    if bare[:1].isupper():
        return _NAME
    return _JOIN if bare.casefold() in _CONNECTORS else _BREAK


def _left_kind(w: str) -> int:
    kind = _LEFT_KINDS.get(w)
    if kind is None:
        if len(_LEFT_KINDS) > _KINDS_LIMIT:
            _LEFT_KINDS.clear()
        kind = _LEFT_KINDS[w] = _kind(w) if w.rstrip(_PUNCT) == w else _BREAK
    return kind


def _right_kind(w: str) -> tuple[int, str, bool]:
    """(kind, the word without the punctuation after it, whether that punctuation ends it)."""
    found = _RIGHT_KINDS.get(w)
    if found is None:
        if len(_RIGHT_KINDS) > _KINDS_LIMIT:
            _RIGHT_KINDS.clear()
        bare = w.rstrip(_PUNCT)
        found = _RIGHT_KINDS[w] = (_kind(bare), bare, bare != w)
    return found


def _left_names(text: str, pos: int) -> list[str]:
    """``_name_side(text, pos, _word_before, True)``."""
    out: list[str] = []
    kept = 0
    for _ in range(3):
        low = pos - 40 if pos > 40 else 0
        window = text[low:pos]
        w = ""
        if window.isascii():  # _word_before's string operations, inlined
            body = window[:-1] if window.endswith("\n") else window
            trimmed = body.rstrip(" \t")
            if len(trimmed) == len(body):
                break
            start = trimmed.rfind(" ") + 1
            w = trimmed[start:]
        if w and w.isprintable():
            pos = low + start
        else:
            found = _word_before(text, pos)
            if found is None:
                break
            w, pos = found
        kind = _left_kind(w)
        if kind == _BREAK:
            break
        out.append(w)
        if kind == _NAME:
            kept = len(out)
    return out[:kept]


def _right_names(text: str, pos: int) -> list[str]:
    """``_name_side(text, pos, _word_after, False)``."""
    out: list[str] = []
    kept = 0
    for _ in range(3):
        window = text[pos : pos + 40]
        w = ""
        if window.isascii():  # _word_after's string operations, inlined
            rest = window.lstrip(" \t")
            skipped = len(window) - len(rest)
            if not skipped:
                break
            space = rest.find(" ")
            w = rest if space < 0 else rest[:space]
        if w and w.isprintable():
            pos += skipped + len(w)
        else:
            found = _word_after(text, pos)
            if found is None:
                break
            w, pos = found
        kind, bare, stop = _right_kind(w)
        if kind == _BREAK:
            break
        out.append(bare)
        if kind == _NAME:
            kept = len(out)
        if stop:
            break
    return out[:kept]


_KEPT = TOKEN_TESTS.add(_kept)


def _shaped(w: str) -> bool:
    """Written like a name rather than a word: inner capitals or hyphens (D-Wave, ESGold)."""
    return "-" in w or any(c.isupper() for c in w[1:])


def budget(canonical: str) -> int:
    """Edits a slip of ``canonical`` may have: 1 from 4 letters, 2 from 8."""
    n = sum(c.isalnum() for c in canonical)
    return 0 if n < 4 else 1 if n < 8 else 2


def _word_budget(canonical: str) -> int:
    """Edits a slip of a name word may have wherever it stands: a trade word's one (two
    reach other words and surnames: Hullings for Holdings)."""
    limit = budget(canonical)
    return min(limit, 1) if fold(canonical) in DESCRIPTORS else limit


def _accented(v: str, c: str) -> bool:
    """The same word with accents the name lacks (Hydrogène, Hydrogen), at most a letter
    apart otherwise: another language's spelling."""
    pv, pc = _plain(v), _plain(c)
    if v == c or pv == v or len(pv) != len(v):
        return v != c and pv == _plain(c)
    return OSA.distance(pv, pc, score_cutoff=1) <= 1


def _plain(w: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", w) if not unicodedata.combining(ch))


def _compound(w: str) -> bool:
    """CamelCase made of common English words (DataValue): a name of its own, not a slip."""
    ps = [w[a:b] for a, b in parts(w)]
    return len(ps) > 1 and all(len(p) >= 3 and zipf(p) >= 3.5 for p in ps)


def _one_part_slip(form: str, canonical: str) -> bool:
    """SeesTech for SenesTech: CamelCase of the name's parts, one of them a letter off."""
    ps = [form[a:b].casefold() for a, b in parts(form)]
    cs = [canonical[a:b].casefold() for a, b in parts(canonical)]
    if len(ps) != len(cs) or len(ps) < 2:
        return False
    differ = [(p, c) for p, c in zip(ps, cs, strict=True) if p != c]
    return len(differ) == 1 and OSA.distance(*differ[0], score_cutoff=1) <= 1


def _glued(v: str, c: str) -> bool:
    """The name with letters glued before or after it (iBioCorRx, Acmes): another word,
    unless the one letter added after it repeats one of its last two (Accreditedd,
    SOBRsafef: a key struck twice)."""
    if len(v) > len(c) and v.startswith(c):
        return len(v) > len(c) + 1 or v[-1] not in c[-2:]
    if len(v) > len(c) and v.endswith(c):
        return v[-len(c) - 1] != c[0]
    return False


def _shortened(v: str, c: str) -> bool:
    """The name with two letters or more cut from an end (NewGen for NewGenIvf): its short
    form, not a slip."""
    return len(v) < len(c) - 1 and (c.startswith(v) or c.endswith(v))


def _inflected(variant: str, canonical: str) -> bool:
    """A plural or possessive of the name is the name (Lanterns, Lantern's)."""
    v, c = fold(variant), fold(canonical)
    return v in (c + "s", c + "es", c + "'s", c + "'") or c in (v + "'s", v + "'")


@dataclass
class Variant:
    """A spelling of one of a company's name words found in one of its releases."""

    form: str
    canonical: str
    company: Company
    path: str
    uses: list[Loc]
    releases: int  # of the canonical spelling, in the company
    total: int  # uses of the canonical spelling
    seen: tuple[str, Loc] | None = None  # a use of the canonical spelling in another release
    seen_as: str = ""  # what is written there, if not the canonical spelling alone


@dataclass
class _Stats:
    docs: Counter[str] = field(default_factory=Counter)  # spelling -> releases
    uses: Counter[str] = field(default_factory=Counter)  # spelling -> uses
    #: spelling -> releases of the company's name that holds it most (see _name_words)
    named: Counter[str] = field(default_factory=Counter)


def variants(
    corpus: Corpus, facts: Mapping[str, EntityFacts], only: Container[str | None] | None = None
) -> Iterator[Variant]:
    """Near misses of each company's name words in its own releases (of the companies in
    ``only`` when given: a variant is found in a release of its company)."""
    model = corpus.companies
    by_company: dict[str, list[str]] = defaultdict(list)
    for path in sorted(facts):
        c = model.company_of(path)
        if c is not None:
            by_company[c].append(path)
    pending = []  # per company with candidates: its releases, and per name word its slips
    for key, paths in sorted(by_company.items()):
        if only is not None and key not in only:
            continue
        near = _near_names(model.companies[key], paths, facts)
        if near:
            pending.append((key, paths, near))
    slips_of = {key: _folded_slips(near) for key, _, near in pending}
    users = _form_companies(by_company, facts, set().union(*slips_of.values()))
    slipping = _slipping(users, by_company, model.companies, facts, slips_of)
    for key, paths, near in pending:
        slips = {  # the spellings no other company uses but as a slip of its own name
            canonical: (support, [(f, d) for f, d in forms if slipping(fold(f))])
            for canonical, (support, forms) in near.items()
        }
        wanted: set[str] = set()  # the name words with slips, and their slips
        for canonical, (_, forms) in slips.items():
            if forms:
                wanted.update([canonical, *(f for f, _ in forms)])
        if not wanted:
            continue
        company = model.companies[key]
        using = _using(paths, facts, wanted)
        slots = _slot_names(corpus, paths, company)
        for canonical, (support, forms) in slips.items():
            known = {f for q in using.get(canonical, ()) for f in facts[q].frames_of(canonical)}
            found = _near(canonical, forms, company, facts, using, support, slots, known - {"_"})
            if from_names(canonical):
                found = _given_before_ticker(found, corpus, paths, company, facts)
            yield from _unframed(found, facts, known)


def _given_before_ticker(
    found: Iterator[Variant],
    corpus: Corpus,
    paths: list[str],
    company: Company,
    facts: Mapping[str, EntityFacts],
) -> Iterator[Variant]:
    """The variants of a word no release's words keep (:func:`from_names`), each pointed at
    another release giving the company's name that holds the word before its ticker (the
    first two such releases are found once: one of them is another variant's own)."""
    givers: list[tuple[str, Slot]] | None = None
    for v in found:
        if givers is None:
            givers = list(islice(_slots_naming(v.canonical, corpus, paths, company), 2))
        for p, slot in givers:
            if p != v.path:
                v.seen, v.seen_as = (p, facts[p].loc(slot.start, slot.end)), slot.name
                break
        yield v


def _slots_naming(
    word: str, corpus: Corpus, paths: list[str], company: Company
) -> Iterator[tuple[str, Slot]]:
    """(release, slot) of each release among ``paths`` whose name before one of the company's
    tickers holds ``word``, in the order of ``paths`` (one slot per release)."""
    for p in paths:
        for slot in getattr(corpus.by_path[p].identity, "slots", ()):
            words = {w.casefold() for w in name_words(slot.name)}
            if set(slot.symbols) & company.tickers and word.casefold() in words:
                yield p, slot
                break


def _near_names(
    company: Company, paths: list[str], facts: Mapping[str, EntityFacts]
) -> dict[str, tuple[tuple[int, int], list[tuple[str, int]]]]:
    """Per name word of ``company`` with candidate slips in its releases ``paths``: its
    support (releases, uses) and the slips (see :func:`_candidates`)."""
    stats = _stats(facts[p].words.counts_of() for p in paths)  # one release at a time
    return {
        canonical: ((stats.docs[canonical], stats.uses[canonical]), forms)
        for canonical in _name_words(company, stats)
        if (forms := list(_candidates(canonical, stats)))
    }


def _folded_slips(near: Mapping[str, tuple[tuple[int, int], list[tuple[str, int]]]]) -> set[str]:
    """The folded spellings of the slips :func:`_near_names` found."""
    return {fold(f) for _, forms in near.values() for f, _ in forms}


def _slipping(
    users: Mapping[str, set[str]],
    by_company: Mapping[str, list[str]],
    companies: Mapping[str, Company],
    facts: Mapping[str, EntityFacts],
    slips: dict[str, set[str]],
) -> Callable[[str], bool]:
    """Whether a folded spelling is a slip of a name word of every company using it (a word
    of another company's otherwise). ``slips`` holds the folded slips of some companies;
    those of the others are found on first use and added."""

    def of(key: str) -> set[str]:
        if key not in slips:
            slips[key] = _folded_slips(_near_names(companies[key], by_company[key], facts))
        return slips[key]

    return lambda f: all(f in of(key) for key in sorted(users.get(f, ())))


def _form_companies(
    by_company: Mapping[str, list[str]], facts: Mapping[str, EntityFacts], folded: set[str]
) -> dict[str, set[str]]:
    """Each of the ``folded`` spellings -> the companies using it."""
    out: dict[str, set[str]] = defaultdict(set)
    if not folded:
        return out
    for c, paths in by_company.items():
        spellings: set[str] = set()
        for p in paths:
            if facts[p].words.words:
                spellings.update(facts[p].words.words.split("\n"))
        for f in folded.intersection(map(fold, spellings)):
            out[f].add(c)
    return out


def _unframed(
    found: Iterator[Variant], facts: Mapping[str, EntityFacts], known: set[str]
) -> Iterator[Variant]:
    """The variants not repeated inside a longer name of their own: a spelling written twice
    or more in a release, each time in the same longer name (Style with Trysh) that the
    company never writes with the canonical spelling (``known``: the longer names it does
    write it in), is part of another name."""
    for v in found:
        fr = set(facts[v.path].frames_of(v.form))
        if len(v.uses) >= 2 and len(fr) == 1 and (f := fr.pop()) != "_" and f not in known:
            continue
        yield v


def _stats(counts: Iterable[dict[str, int]]) -> _Stats:
    stats = _Stats()
    for words in counts:
        for w, n in words.items():
            stats.docs[w] += 1
            stats.uses[w] += n
    return stats


def canonical_names(company: Company, facts: Mapping[str, EntityFacts]) -> list[str]:
    """The company's name words as most of its releases spell them."""
    return _name_words(
        company, _stats(facts[p].words.counts_of() for p in company.releases if p in facts)
    )


def _name_words(company: Company, stats: _Stats) -> list[str]:
    """The company's name words as most of its releases spell them (its trade words and
    the parts of a hyphenated word too: "Ventures", "Peapack" of "Peapack-Gladstone"). A
    word too common to be kept in a release's words ("Companies") is spelt as the names
    write it and counted into ``stats`` from them."""
    support: Counter[str] = Counter()
    written: dict[str, Counter[str]] = defaultdict(Counter)  # word -> its spellings' releases
    for name, n in company.names.items():
        words = name_words(name)
        for w in {*words, *(p for h in words if "-" in h for p in h.split("-"))}:
            support[w.casefold()] += n
            written[w.casefold()][w] = max(written[w.casefold()][w], n)
            stats.named[w] = max(stats.named[w], n)
    found = []
    for w, n in sorted(support.items()):
        if n < 2 or len(w) < 4 or w in LEGAL_FORMS:
            continue
        spellings = [s for s in stats.docs if fold(s) == w]
        if spellings:
            found.append(max(spellings, key=lambda s: (stats.docs[s], stats.uses[s], s)))
        elif not _kept(spelling := max(written[w], key=lambda s: (written[w][s], s))):
            # too common to be kept in a release's words (iMD Companies): the releases of the
            # name that holds it most (names overlap: MAX Power Mining, MAX Power)
            stats.docs[spelling] = stats.uses[spelling] = written[w][spelling]
            found.append(spelling)
    # a misspelt name (in two releases' About lines) is no name: the better supported wins
    found.sort(key=lambda s: (-stats.docs[s], -stats.uses[s], s))
    out: list[str] = []
    for s in found:
        if not any(OSA.distance(fold(s), fold(o), score_cutoff=budget(o) + 1) <= budget(o) + 1
                   for o in out):  # fmt: skip
            out.append(s)
    return sorted(out)


def _slot_names(corpus: Corpus, paths: list[str], company: Company) -> dict[str, set[str]]:
    """Per release: the words written before the company's own ticker."""
    out: dict[str, set[str]] = {}
    for p in paths:
        ident = corpus.by_path[p].identity
        words: set[str] = set()
        for slot in getattr(ident, "slots", ()):
            if set(slot.symbols) & company.tickers:
                words.update(name_words(slot.name))
        out[p] = words
    return out


def _candidates(canonical: str, stats: _Stats) -> Iterator[tuple[str, int]]:
    """(spelling, its edit distance) of each spelling in the company's releases that may
    be a slip of ``canonical`` (whichever release it is in; :func:`variants` keeps those no
    other company uses)."""
    c = fold(canonical)
    c_docs, c_uses = stats.docs[canonical], stats.uses[canonical]
    if c_docs < 2:
        return
    limit = _word_budget(canonical)
    if limit == 0:
        return
    extra = 1  # one more edit where the slip stands in the company's name (see _near)
    for form in sorted(stats.docs):
        v = fold(form)
        if v == c or abs(len(v) - len(c)) > limit + extra or _inflected(form, canonical):
            continue
        if _glued(v, c) or _shortened(v, c):
            continue
        if form.isupper() and len(form) <= 5:
            continue  # an abbreviation or a ticker
        d = OSA.distance(v, c, score_cutoff=limit + extra)
        if d > limit + extra or (v[0] != c[0] and d > 1) or _accented(v, c):
            continue
        if stats.docs[form] >= c_docs:
            continue
        if not _named_less(form, canonical, stats) and (
            (stats.docs[form] >= OWN_NAME_RELEASES and stats.docs[form] * 2 > c_docs)
            or stats.uses[form] * 2 > c_uses
        ):
            continue  # a name or word of its own (and one other companies use: see variants)
        if _compound(form) and not _one_part_slip(form, canonical):
            continue
        yield form, d


def _named_less(form: str, canonical: str, stats: _Stats) -> bool:
    """Whether the company's names write ``form`` in at most half as many releases as
    ``canonical``: a slip copied into a few releases, not a name of its own."""
    return stats.named[form] > 0 and stats.named[form] * 2 <= stats.named[canonical]


def _using(
    paths: list[str], facts: Mapping[str, EntityFacts], words: set[str]
) -> dict[str, list[str]]:
    """Each of ``words`` -> the releases among ``paths`` using it, in the order of ``paths``."""
    out: dict[str, list[str]] = {w: [] for w in words}
    for p in paths:
        for w in words.intersection(facts[p].words.words.split("\n")):
            out[w].append(p)
    return out


def _near(
    canonical: str,
    forms: list[tuple[str, int]],
    company: Company,
    facts: Mapping[str, EntityFacts],
    using: dict[str, list[str]],
    support: tuple[int, int],
    slots: dict[str, set[str]],
    framed: set[str],
) -> Iterator[Variant]:
    """The uses of each spelling ``forms`` finds for ``canonical`` (``support``: its
    releases and uses), release by release. A spelling one edit past the budget, or two
    edits that change the name's parts, is a slip only where it stands in the company's
    name: before its own ticker (``slots``) or between the words the canonical spelling is
    written between (``framed``); an English word only there with more of the name after
    it. One edit past the budget is also a slip in the shape of a CamelCase name or written
    alone beside the canonical spelling (:func:`_same_caps`, :func:`_beside`)."""
    c_docs, c_uses = support
    limit = _word_budget(canonical)
    for form, d in forms:
        english = _english(form)
        if english and _inflected(canonical, form):
            continue  # the name word without its plural ending: the word (Exploration)
        for p in using[form]:
            rel, slot = facts[p], slots.get(p, set())
            if english:
                if not _in_named_frame(form, rel, slot, framed):
                    continue  # an English word of its own (Banded Legacy, Inc. is a slip)
            elif _reshaped(form, canonical, d):
                if not _in_name(form, rel, slot, framed):
                    continue  # two edits and another shape (CaraOne, CHARBONE): another name
            elif d > limit and not (
                _in_name(form, rel, slot, framed)
                or _same_caps(form, canonical)
                or _beside(form, canonical, rel, p, using)
            ):
                continue
            locs = [rel.loc(*span) for span in rel.words.spans_of(form)]
            yield Variant(form, canonical, company, p, locs, c_docs, c_uses,
                          _seen(canonical, p, facts, using[canonical]))  # fmt: skip


def _english(form: str) -> bool:
    """A spelling frequent in English and not written like a name: a word of its own, a
    slip only in the company's name (:func:`_in_named_frame`)."""
    return zipf(form) >= ENGLISH and not _shaped(form)


def _in_named_frame(form: str, facts: EntityFacts, slot: set[str], framed: set[str]) -> bool:
    """Whether ``form`` stands in the company's name with more of the name after it: before
    the company's own ticker (``slot``), or followed by the words that follow the canonical
    spelling ("Slash Beverage Group"; "The _" or "About _" say nothing of whose it is)."""
    if form in slot:
        return True
    return any(not k.endswith("_") for k in _frames_met(facts.frames_of(form), framed))


def _reshaped(form: str, canonical: str, d: int) -> bool:
    """Two edits or more that change how many parts a name word has (``Saeetar`` for
    ``SeaStar``): a slip only where it stands in the company's name."""
    return d >= 2 and len(parts(form)) != len(parts(canonical))


def _beside(
    form: str, canonical: str, facts: EntityFacts, path: str, using: Mapping[str, list[str]]
) -> bool:
    """``Myoesco`` for ``Mitesco``: a one-part spelling of a name word of seven letters or
    more (no trade word) that one release alone writes, never inside a longer name, beside
    the canonical spelling: the release says whose name it is as a name frame does (a
    spelling inside a longer name, Esta Stecher for Stephens, is another name)."""
    if len(fold(canonical)) < 7 or fold(canonical) in DESCRIPTORS or len(parts(form)) != 1:
        return False
    return using[form] == [path] and path in using[canonical] and not facts.frames_of(form)


def _same_caps(form: str, canonical: str) -> bool:
    """``SeaSattr`` for ``SeaStar``: a CamelCase name's first part kept, and its second part
    begun with the same capital and as long, give or take a letter (not ``RedotX`` for
    ``RedotPay``): that says whose name a slip is as a name frame does."""
    ps, pc = parts(form), parts(canonical)
    if len(ps) != 2 or len(pc) != 2 or not is_camel(canonical):
        return False
    (a, b), (c, e) = ps[1], pc[1]
    return (
        form[:a] == canonical[:c]
        and form[a] == canonical[c]
        and form[a].isupper()
        and abs((b - a) - (e - c)) <= 1
    )


def _in_name(form: str, facts: EntityFacts, slot: set[str], framed: set[str]) -> bool:
    """Whether ``form`` stands in the company's name in a release: before the company's
    own ticker (``slot``) or between words the name is written between (``framed``)."""
    return form in slot or any(_frames_met(facts.frames_of(form), framed))


def _frames_met(frames: Iterable[str], framed: set[str]) -> Iterator[str]:
    """The known frames (``framed``) that the frames of a spelling's uses meet: the same, or
    one with words after the name that a frame continues, as a headline goes on after the
    name ("_ Beverage Group Acknowledges" meets "_ Beverage Group")."""
    for f in frames:
        if f in framed:
            yield f
        else:
            yield from (k for k in framed if not k.endswith("_") and f.startswith(k + " "))


def _seen(
    canonical: str, path: str, facts: Mapping[str, EntityFacts], using: list[str]
) -> tuple[str, Loc] | None:
    """The first use of the canonical spelling in another release of the company (failing
    that, in ``path``); ``using``: the releases using it."""
    pick = next((p for p in using if p != path), path if path in using else None)
    if pick is None:
        return None
    return pick, facts[pick].loc(*facts[pick].words.spans_of(canonical)[0])
