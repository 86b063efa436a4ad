"""Company profiles inferred from the corpus: names, web and e-mail domains, contacts.

Shared by ``company-name``, ``url-drift`` and ``contact-drift``. Two phases, like a check:

* :func:`extract_entities` reads one document (in a worker, cached): the name-like tokens it
  uses and where, the names its own context vouches for ("About X", "X, Inc.",
  "X (Nasdaq: TICK)", "Source: X", a name that spells one of its domains), its URLs, bare
  domains and e-mail addresses, and its phone numbers.
* :func:`profile` (memoised on the corpus) joins those facts into a :class:`Profile`: every
  name *unit* (a distinctive word of a company name, keyed by its lower-case form) with the
  releases and uses that support it, its domains and tickers, and which releases belong to
  it. A near miss is judged against the units of its own release only, so the cost grows
  with the corpus, not its square.

The config ``company`` section (names, aliases, domains, ticker) and ``allow`` override what
is inferred.
"""

from __future__ import annotations

import bisect
import itertools
import re
import struct
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import (
    Callable,
    Collection,
    Container,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from typing import TYPE_CHECKING, Any, NamedTuple

import regex
from rapidfuzz.distance import OSA

from prlint import english
from prlint.api import Anchor, Related, native
from prlint.companies import (
    CONNECTORS,
    DESCRIPTORS,
    LEGAL_FORMS,
    finditer_in_lines,
    registrable,
)
from prlint.lazyregex import lazy
from prlint.metadata import tickers_of

if TYPE_CHECKING:
    from prlint.corpus import Corpus
    from prlint.document import Document

#: (line, column, end_line, end_column, start, end) of a span of the original file
Loc = tuple[int, int, int, int, int, int]

#: a word this frequent in English (Zipf scale) is an ordinary word, not a name's misspelling
COMMON_ZIPF = 3.0
_NAME_WORDS = LEGAL_FORMS | DESCRIPTORS | CONNECTORS


# -- tokens ---------------------------------------------------------------------------------
_PART_BOUNDARY = lazy(r"(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|-")


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """English word frequency of ``word`` (Zipf scale, 0 for unknown words)."""
    return english.zipf(word.casefold())


@lru_cache(maxsize=200_000)
def parts(token: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the pieces of a token split at case changes and hyphens.

    ``GeoVax`` → Geo|Vax, ``CEONephros`` → CEO|Nephros, ``Mobile-health`` → Mobile|health.
    """
    if "-" not in token and token[1:].islower():  # no capital after the first letter
        return ((0, len(token)),)
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PART_BOUNDARY.finditer(token):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(token):
        out.append((pos, len(token)))
    return tuple(out)


class WordTests:
    """Tests of words, answered together once per distinct word of the run: a document's
    distinct words are looked up once in the answers known (a bit per test), a word not seen
    before is run through every test in Python, and the words passing each test come out of
    one pass (one lookup per word in a large table, not three per test). Forgets its answers
    past ``limit`` words (memory)."""

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.tests: list[Callable[[str], bool]] = []
        self.answers: dict[str, int] = {}

    def add(self, test: Callable[[str], bool]) -> int:
        """Add a test; its index in what :meth:`passing` returns."""
        self.answers.clear()  # the answers known have no bit for it
        self.tests.append(test)
        return len(self.tests) - 1

    def passing(self, words: set[str]) -> list[set[str]]:
        """Per test, the words of ``words`` that pass it."""
        answers = self.answers
        new = words.difference(answers)
        if new:
            if len(answers) + len(new) > self.limit:
                answers.clear()
                new = words
            tests = list(enumerate(self.tests))
            for w in new:
                answers[w] = sum(1 << i for i, test in tests if test(w))
        out: list[set[str]] = [set() for _ in self.tests]
        for w, bits in zip(words, map(answers.__getitem__, words), strict=True):
            i = 0
            while bits:
                if bits & 1:
                    out[i].add(w)
                bits >>= 1
                i += 1
        return out

    def of(self, doc: Document) -> list[set[str]]:
        """:meth:`passing` of a document's distinct tokens, once per document (and again
        if a test was added since)."""
        key = f"word-tests:{id(self)}:{len(self.tests)}"
        return doc.memo(key, lambda d: self.passing(set(d.token_columns[0])))


#: the tests of the tokens of a release that company names are read from
TOKEN_TESTS = WordTests()


def indices_in(words: list[str], chosen: Container[str]) -> list[int]:
    """The indices of the words that are in ``chosen`` (one pass in C)."""
    return list(compress(range(len(words)), map(chosen.__contains__, words)))


_LIGATURES = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l"})


@lru_cache(maxsize=200_000)
def key(word: str) -> str:
    """The case-, accent- and punctuation-free form a name is compared by."""
    if word.isascii():  # nothing to fold but case
        low = word.lower()
        return low if low.isalnum() else "".join(c for c in low if c.isalnum())
    flat = unicodedata.normalize("NFKD", word.casefold().translate(_LIGATURES))
    return "".join(c for c in flat if c.isalnum())


#: :func:`key`, :func:`parts` and :func:`zipf` without their memo, for a caller that asks
#: about a corpus's every token once or keeps its own answers (the corpus's vocabulary would
#: fill their memos, and hold it for the rest of the run)
key_of = key.__wrapped__
parts_of = parts.__wrapped__
zipf_of = zipf.__wrapped__

_CAMEL = lazy(r"\p{Ll}\p{Lu}")


def is_name_shaped(token: str) -> bool:
    """Has a capital letter somewhere."""
    return not token.islower() and token.lower() != token


def is_camel(token: str) -> bool:
    """Has a capital after a small letter (GeoVax, iCoreConnect)."""
    return _CAMEL.search(token) is not None


def is_distinctive(token: str) -> bool:
    """A word that can carry a name: rare in English, CamelCase, or an all-caps rare word."""
    if any(c.isdigit() for c in token) or len(token) < 2:
        return False
    if token.casefold() in _NAME_WORDS:
        return False
    return is_camel(token) or ("-" in token and is_name_shaped(token)) or zipf(token) < COMMON_ZIPF


def max_edits(name: str) -> int:
    """Edits a near miss of ``name`` may have: 0 up to 4 letters, 1 up to 8, then 2."""
    n = len(key(name))
    return 0 if n <= 4 else 1 if n <= 8 else 2


def _slip(v: str, c: str) -> bool:
    """Two neighbouring letters swapped, or one letter doubled: ``SRKY``, ``ABVCC``."""
    if len(v) == len(c):
        diff = [i for i in range(len(v)) if v[i] != c[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and v[diff[0]] == c[diff[1]]
            and (v[diff[1]] == c[diff[0]])
        )
    short, long_ = sorted((v, c), key=len)
    if len(long_) != len(short) + 1:
        return False
    return any(
        long_[:i] + long_[i + 1 :] == short and long_[i] == long_[i - 1]
        for i in range(1, len(long_))
    )


_DIGITS = re.compile(r"\d+")


def is_code(token: str) -> bool:
    """A product or drug code: capitals and digits (``CLR1404``, ``I-124-CLR1404``)."""
    flat = token.replace("-", "")
    if flat.isalpha() or not flat.isalnum():
        return False
    return sum(c.isalpha() for c in token) >= 3


_ISIN = re.compile(r"[A-Z]{2}[A-Z0-9]{9}[0-9]")


def valid_isin(code: str) -> bool:
    """Whether ``code`` is an ISIN whose check digit is right (a slip breaks it)."""
    if not _ISIN.fullmatch(code):
        return False
    digits = "".join(str(int(ch, 36)) for ch in code)
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _code_slip(variant: str, name: str) -> bool:
    """Codes with the same numbers whose letters are a swap or one letter apart; two ISINs
    with right check digits are two securities. Where the letters spell a name of seven or
    more (Cust2Mate), one edit of letters or numbers, but no other number: Cust2Mae,
    CustM2ate and CustpMate are slips of Cust2Mate; Cust3Mate is another name, and
    Pixelworks3 a version of Pixelworks (a digit struck twice is a slip: Cust22Mate). A name
    with its number between letters keeps it and slips as a word of its length does
    (Cut2vate); one ending in its number does not take letters glued after it
    (Advantage2TM)."""
    if (valid_isin(variant) and valid_isin(name)) or _series(variant, name):
        return False
    numbers = _DIGITS.findall(variant), _DIGITS.findall(name)
    v = "".join(c for c in key(variant) if c.isalpha())
    c = "".join(ch for ch in key(name) if ch.isalpha())
    if min(len(v), len(c)) >= _WORDY_CODE:  # a name written with a number
        if all(numbers) and numbers[0] != numbers[1]:
            return v == c and _struck_twice(*numbers)
        if v == c and key(variant if numbers[0] else name)[-1].isdigit():
            return False  # a version of the name (Pixelworks3)
        inside = _INSIDE.search(name) is not None
        limit = max_edits(name) if inside and numbers[0] == numbers[1] else 1
        return 0 < OSA.distance(key(variant), key(name), score_cutoff=limit) <= limit
    if numbers[0] != numbers[1]:
        return False
    if v == c or min(len(v), len(c)) < 3:
        return False
    return _slip(v, c) or (
        len(v) == len(c) and sum(x != y for x, y in zip(v, c, strict=True)) == 1 and len(v) >= 5
    )


#: letters of a code that spell a name, which slips as a name does (one edit)
_WORDY_CODE = 7
#: a number between letters (Cust2Mate): a name written with it, not a name and a number
_INSIDE = lazy(r"\p{L}\d+\p{L}")


_SERIES = lazy(r"\d(\p{L})$")


def _struck_twice(a: list[str], b: list[str]) -> bool:
    """The same numbers but one, a digit of it struck twice (Cust22Mate for Cust2Mate)."""
    if len(a) != len(b):
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and len(max(differ[0], key=len)) > 1 and _slip(*differ[0])


def numbered_name(word: str) -> bool:
    """A name written with a number between its letters, seven or more (Cust2Mate): it
    stands for its company alone, as a distinctive word does."""
    return _INSIDE.search(word) is not None and sum(c.isalpha() for c in word) >= _WORDY_CODE


def _series(a: str, b: str) -> bool:
    """``Mopane-1A`` and ``Mopane-1X``: items of a series, a letter after the number."""
    ma, mb = _SERIES.search(a), _SERIES.search(b)
    return bool(ma and mb and a[:-1] == b[:-1])


def _other_part(variant: str, name: str) -> bool:
    """``AtlantisDEX`` and ``AtlantisCEX``: one short capital part differs, another product."""
    if variant.islower() or name.islower() or not (is_camel(variant) or is_camel(name)):
        return False
    pv = [variant[a:b] for a, b in parts(variant)]
    pn = [name[a:b] for a, b in parts(name)]
    if len(pv) != len(pn) or len(pv) < 2:
        return False
    diff = [(x, y) for x, y in zip(pv, pn, strict=True) if x.casefold() != y.casefold()]
    return len(diff) == 1 and all(p.isupper() and len(p) <= 4 for p in diff[0])


def extension(variant: str, name: str) -> bool:
    """``NetworkIO``, ``PATTIE-PL`` for ``Networked``, ``PattiePad``: a word of the name with a
    short all-capital or hyphenated part after it is a product named after it, not a slip."""
    ps = parts(variant)
    if len(ps) < 2 or variant.islower():
        return False
    a, b = ps[-1]
    ext = variant[a:b]
    hyphen = variant[ps[-2][1] : a] == "-"
    if len(ext) > 3 or not ext.isalpha() or not (hyphen or ext.isupper()):
        return False
    stem = key(variant[: ps[-2][1]])
    return len(stem) >= 3 and key(name).startswith(stem)


def ordinary(word: str) -> bool:
    """A word English uses as it is (Classicism), or a compound of common words (DataValue)."""
    ps = [word[a:b] for a, b in parts(word)]
    if len(ps) == 1:
        return zipf(word) >= 2.3
    return all(len(p) > 1 and zipf(p) >= 3.5 for p in ps)


def skeleton(abbrev: str, name: str) -> bool:
    """``ZVRA`` for ``ZEVRA``: an all-caps ticker-like abbreviation made by dropping vowels."""
    if not abbrev.isupper():
        return False
    rest = iter(key(name))
    return all(ch in rest for ch in key(abbrev)) and all(
        ch in "aeiouy" for ch in _dropped(key(abbrev), key(name))
    )


def _dropped(short: str, long_: str) -> str:
    out, i = [], 0
    for ch in long_:
        if i < len(short) and short[i] == ch:
            i += 1
        else:
            out.append(ch)
    return "".join(out) if i == len(short) else "x"


def may_near(v: str, c: str) -> bool:
    """What :func:`near_miss` asks first of the keys of a variant and a name: two keys of
    four letters or more, two letters apart in length at most, that differ and share their
    first or last letter. A caller that knows the keys skips the names that fail it."""
    return (
        v != c
        and len(v) >= 4
        and len(c) >= 4
        and abs(len(v) - len(c)) <= 2
        and (v[0] == c[0] or v[-1] == c[-1])
    )


def near_miss(variant: str, name: str, extra: int = 0) -> bool:
    """Whether ``variant`` reads as a misspelling of ``name`` (``extra``: edits allowed past
    the budget of a name of five letters or more, where the context says whose it is).

    Length-aware: two edits (transpositions count one) for names of nine letters or more,
    one from five, one only when the first letter differs; short names and all-capital
    abbreviations of up to five letters only take a swap of neighbouring letters or a
    doubled last letter (ABVCC for ABVC; SIPA and SIPC are two abbreviations). A name inside
    the other (Cellect, Cellectar; IBioCorRx) is another word or glued text, one short
    capital part that differs is another product (AtlantisDEX, AtlantisCEX), as is a word of
    the name with a short capital or hyphenated part after it (NetworkIO), and codes must
    keep their numbers (CRL1404 for CLR1404, not CLR1502).
    """
    v, c = key_of(variant), key_of(name)  # (asked of every name a token is near)
    if not may_near(v, c) or _other_part(variant, name):
        return False
    if extension(variant, name) or extension(name, variant):
        return False
    if not (v + c).isalpha():
        return _code_slip(variant, name)
    caps = variant.isupper() and name.isupper() and max(len(v), len(c)) <= 5
    if caps and len(v) != len(c):  # ABVCC for ABVC, not PRSSA for PRSA
        short, long_ = sorted((v, c), key=len)
        return long_[:-1] == short and long_[-1] == long_[-2]
    if v in c or c in v:
        return _slip(v, c)
    limit = max_edits(name if len(c) >= len(v) else variant)
    limit += extra if limit else 0
    if v[0] != c[0]:
        limit = min(limit, 1)  # a first letter rarely slips along with another
    if limit == 0 or caps:
        return _slip(v, c)
    if abs(len(v) - len(c)) > limit:
        return False
    return OSA.distance(v, c, score_cutoff=limit) <= limit


class TokenUse(NamedTuple):
    """One use of a name-like token: its source span and its neighbouring words."""

    start: int
    end: int
    prev: str = ""
    next: str = ""


def _packed(values: Iterable[int]) -> bytes:
    return array("I", values).tobytes()


def _unpacked(data: bytes) -> array[int]:
    out = array("I")
    out.frombytes(data)
    return out


@dataclass(slots=True)
class Uses:
    """Words of one release and where each is used, packed into a few flat objects: a record
    holds hundreds of uses, and the corpus phase holds every record.

    ``words`` joins the distinct words with newlines (in order of first use), ``counts`` holds
    the uses of each, ``spans`` the (start, end) source offsets of every use, word after word
    (both arrays of unsigned ints), and ``context``, when kept, the words before and after each
    use (``"prev next"``, newline-joined, in the order of ``spans``)."""

    words: str = ""
    counts: bytes = b""
    spans: bytes = b""
    context: str = ""

    @classmethod
    def pack(
        cls,
        table: Mapping[str, list[tuple[int, int]]],
        context: Mapping[str, list[str]] | None = None,
    ) -> Uses:
        """Pack ``word -> [(start, end), ...]`` (and per use ``"prev next"``)."""
        return cls(
            "\n".join(table),
            _packed(len(v) for v in table.values()),
            _packed(x for v in table.values() for span in v for x in span),
            "\n".join(c for v in context.values() for c in v) if context else "",
        )

    def counts_of(self) -> dict[str, int]:
        """Word -> number of uses."""
        if not self.words:
            return {}
        return dict(zip(self.words.split("\n"), _unpacked(self.counts), strict=True))

    def spans_of(self, word: str) -> list[tuple[int, int]]:
        """The (start, end) source offsets of the uses of ``word`` (none if unused)."""
        words = self.words.split("\n") if self.words else []
        if word not in words:
            return []
        i = words.index(word)
        counts = _unpacked(self.counts)
        first = sum(counts[:i])
        spans = _unpacked(self.spans)[2 * first : 2 * (first + counts[i])]
        return list(zip(spans[::2], spans[1::2], strict=True))

    def uses(self) -> dict[str, list[TokenUse]]:
        """Word -> its uses, unpacked (for a consumer that reads every use of a release)."""
        return {word: take(first, n) for word, n, first, take in self.each()}

    def around(self) -> list[str]:
        """Per use, in the order of :meth:`each`, the words before and after it as ``"prev
        next"`` (``" "`` for every use when no context is kept)."""
        return self.context.split("\n") if self.context else [" "] * (len(self.spans) // 8)

    def each(
        self, among: Container[str] | None = None
    ) -> Iterator[tuple[str, int, int, Callable[[int, int], list[TokenUse]]]]:
        """(word, its number of uses, the index of its first use, ``take``) per word (per word
        in ``among``, if given, found in one pass in C), where ``take(first, n)`` unpacks ``n``
        uses from ``first`` on: for a consumer that reads the uses of a few words of each
        release."""
        if not self.words:
            return
        if among is not None:
            words = self.words.split("\n")
            chosen = indices_in(words, among)
            if chosen:
                counts = _unpacked(self.counts)
                firsts = list(itertools.accumulate(counts, initial=0))
                take = self._taker()
                for j in chosen:
                    yield words[j], counts[j], firsts[j], take
            return
        take = self._taker()
        first = 0
        for word, n in zip(self.words.split("\n"), _unpacked(self.counts), strict=True):
            yield word, n, first, take
            first += n

    def _taker(self) -> Callable[[int, int], list[TokenUse]]:
        """``take(first, n)``: the uses ``first`` to ``first + n``, unpacked."""
        spans = _unpacked(self.spans)
        around = self.context.split("\n") if self.context else None

        def take(first: int, n: int) -> list[TokenUse]:
            if around is None:
                return [TokenUse(spans[2 * k], spans[2 * k + 1]) for k in range(first, first + n)]
            return [
                TokenUse(spans[2 * k], spans[2 * k + 1], *around[k].split(" "))
                for k in range(first, first + n)
            ]

        return take


@dataclass(slots=True)
class DomainUse:
    """A URL, bare domain or e-mail address in a release."""

    host: str  # lower case, without "www."
    domain: str  # registrable domain, lower case
    path: str  # "/investors" or ""
    email: str  # the local part of an e-mail address, else ""
    cased: bool  # written with capitals (a name spelt as a domain: iCoreConnect.com)
    at: bytes  # packed_loc of the host as written (the e-mail's domain part for an address)
    written: str  # the host as written
    purpose: str  # the words before it ("for more information please visit")
    in_link: bool = False

    @property
    def loc(self) -> Loc:
        return unpacked_loc(self.at)


@dataclass(slots=True)
class Domains:
    """The :class:`DomainUse` of a release, one column per field (a release has about ten;
    the corpus phase holds every release's, and decodes columns faster than objects).
    Iterating gives the uses; a consumer of every release's reads the columns it needs."""

    host: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    cased: tuple[bool, ...] = ()
    at: bytes = b""  # the uses' packed_loc, joined
    written: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    in_link: tuple[bool, ...] = ()

    @classmethod
    def of(cls, uses: Sequence[DomainUse]) -> Domains:
        return cls(
            tuple(u.host for u in uses),
            tuple(u.domain for u in uses),
            tuple(u.path for u in uses),
            tuple(u.email for u in uses),
            tuple(u.cased for u in uses),
            b"".join(u.at for u in uses),
            tuple(u.written for u in uses),
            tuple(u.purpose for u in uses),
            tuple(u.in_link for u in uses),
        )

    def __len__(self) -> int:
        return len(self.domain)

    def __iter__(self) -> Iterator[DomainUse]:
        return map(self.use, range(len(self.domain)))

    def use(self, i: int) -> DomainUse:
        """The ``i``-th use."""
        return DomainUse(
            self.host[i], self.domain[i], self.path[i], self.email[i], self.cased[i],
            self.at[24 * i : 24 * i + 24], self.written[i], self.purpose[i], self.in_link[i],
        )  # fmt: skip

    def loc(self, i: int) -> Loc:
        """The location of the ``i``-th use."""
        return _PACKED_LOC.unpack_from(self.at, 24 * i)


@dataclass(slots=True)
class PhoneUse:
    """A phone number, normalised, with what tells whose it is."""

    number: str  # E.164
    at: bytes  # packed_loc of the number
    label: str  # words before it on its line ("International access")
    emails: tuple[str, ...] = ()  # e-mail domains in the same contact block
    mailbox: str = ""  # the e-mail address nearest to it (within a contact line or two)

    @property
    def loc(self) -> Loc:
        return unpacked_loc(self.at)


@native  # decoded for every release in each run: by msgspec, in C
@dataclass(slots=True)
class EntityFacts:
    """What one release says about names, domains and contacts (a compact record: the uses
    of words keep their source offsets only, positions come from ``lines`` when reported)."""

    tokens: Uses = field(default_factory=Uses)  # name-like token -> uses, with neighbours
    names: dict[str, frozenset[str]] = field(default_factory=dict)  # unit -> evidence kinds
    name_locs: dict[str, bytes] = field(default_factory=dict)  # unit -> packed_loc of its first use
    tickers: dict[str, str] = field(default_factory=dict)  # unit key -> ticker
    phrases: dict[str, int] = field(default_factory=dict)  # multi-word unit -> uses
    domains: Domains = field(default_factory=Domains)
    phones: list[PhoneUse] = field(default_factory=list)
    words: Uses = field(default_factory=Uses)  # capitalised word -> uses
    #: the longer names the uses of a capitalised word are written in, for the words written
    #: in one at least once: a line "\nword\tframe\tframe..." per word (see frames_of)
    frames: str = ""
    lines: bytes = b""  # offsets where the source's lines start (array of unsigned ints)

    def frames_of(self, word: str) -> tuple[str, ...]:
        """The distinct longer names the uses of ``word`` are written in, in order of first
        use (``"_"`` standing alone); none for a word always written alone."""
        at = self.frames.find(f"\n{word}\t")
        if at < 0:
            return ()
        end = self.frames.find("\n", at + 1)
        return tuple(self.frames[at + len(word) + 2 : end if end >= 0 else None].split("\t"))

    def loc(self, start: int, end: int) -> Loc:
        """The location of a source span (as :meth:`Document.anchor` gives it)."""
        starts = _unpacked(self.lines) if self.lines else array("I", [0])
        line = bisect.bisect_right(starts, start) - 1
        end_line = bisect.bisect_right(starts, end, line) - 1
        return (line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1,
                start, end)  # fmt: skip


#: a :data:`Loc` as six big-endian unsigned ints: a fifth of the memory of a tuple of six,
#: ordered as the tuples are
_PACKED_LOC = struct.Struct(">6I")


def packed_loc(a: Anchor) -> bytes:
    """The location of ``a``, packed (see :func:`unpacked_loc`)."""
    return _PACKED_LOC.pack(a.line, a.column, a.end_line, a.end_column, a.start, a.end)


def unpacked_loc(at: bytes) -> Loc:
    """The location :func:`packed_loc` packed."""
    return _PACKED_LOC.unpack(at)


def anchor_of(path: str, loc: Loc, text: str = "") -> Anchor:
    """Rebuild an :class:`Anchor` of ``path`` from a stored location."""
    return Anchor(path, loc[0], loc[1], loc[2], loc[3], loc[4], loc[5], text)


# -- domains --------------------------------------------------------------------------------
_COMMON_TLDS = frozenset((
    "com", "net", "org", "edu", "gov", "mil", "int", "io", "ai", "co", "us", "uk", "ca", "de",
    "fr", "it", "es", "nl", "be", "ch", "at", "au", "nz", "jp", "cn", "hk", "sg", "in", "kr",
    "tw", "br", "mx", "ru", "se", "no", "dk", "fi", "ie", "il", "za", "ae", "info", "biz", "me",
    "tv", "cc", "app", "dev", "tech", "health", "bio", "capital", "finance", "news", "media",
    "global", "online", "site", "xyz", "pro", "law", "group", "inc", "ltd", "company", "eu",
    "pl", "pt", "gr", "cz", "hu", "ro", "ar", "cl", "pe", "ph", "my", "th", "vn", "id", "sa",
    "qa", "tr", "ua", "ly", "gg", "je", "is", "lu", "li", "mc"
))  # fmt: skip
_SECOND_LEVEL = frozenset(["co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "ne", "or"])
_HOST = re.compile(
    r"""(?x)
    (?:(?P<scheme>https?://)|(?<![A-Za-z0-9._%+/@-]))  # a scheme may be glued to a word
    (?:(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]*)@)?
    (?P<host>(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?P<tld>[a-z]{2,24}?))
    (?=https?:|www\.|[^a-z]|$)  # a URL glued to the next one ends at its scheme
    (?P<path>/[^\s<>"'\])]*)?
    """
)


def domain_label(domain: str) -> str:
    """The name part of a registrable domain: ``cellectar.com`` → ``cellectar``."""
    return domain.split(".")[0]


_LETTERS = lazy(r"\p{L}+")
_NON_DIGIT = lazy(r"\D")


def _purpose(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    words = _LETTERS.findall(text[line_start:start].casefold())
    return " ".join(words[-6:])


def _domain_use(
    m: re.Match[str], anchor: Anchor, text: str, start: int, link: bool
) -> DomainUse | None:
    host_written = m.group("host")
    host = host_written.lower()
    scheme, local = m.group("scheme"), m.group("local")
    if not scheme and not local and not host.startswith("www."):
        if m.group("tld") not in _COMMON_TLDS:
            return None
        first = host_written.split(".")[0]
        if first[:1].isupper() and not is_camel(first) and first.casefold() in LEGAL_FORMS:
            return None  # "Inc.com" glued sentences
    if host.startswith("www."):
        host = host[4:]
    elif host == host_written:
        host = host_written  # one string object for equal texts: a smaller record
    name = registrable(host)
    label = domain_label(name)
    return DomainUse(
        host=host,
        domain=host if name == host else name,
        path=(m.group("path") or "").rstrip("/.,;:"),
        email=_PHONE_GLUED.sub("", local or "").lower(),
        cased=any(c.isupper() for c in label_written(host_written, label)),
        at=packed_loc(anchor),
        written=host_written,
        purpose=_purpose(text, start) if not link else "",
        in_link=link,
    )


#: a phone number glued before a mailbox, with what is glued before it ("Jim307-220-1488info"
#: for info@): not part of it
_PHONE_GLUED = lazy(r"^.*?\d[\d().+-]{5,}\d(?=\p{L})")


def label_written(host_written: str, label: str) -> str:
    """The registrable label of a host as it was written (keeps its capitals)."""
    for piece in host_written.split("."):
        if piece.lower() == label:
            return piece
    return label


#: what every host name holds: a dot before its lower-case top-level domain
_DOT_TLD = re.compile(r"\.[a-z]")


def _hosts(text: str) -> Iterator[re.Match[str]]:
    """``_HOST.finditer(text)``, searched only in the lines that hold a dot before a small
    letter (a match holds one and no line break)."""
    return finditer_in_lines(_HOST, _DOT_TLD, text)


def _domains(doc: Document) -> list[DomainUse]:
    out: list[DomainUse] = []
    text = doc.text
    for m in _hosts(text):
        anchor = doc.anchor(m.start("host"), m.end("host"))
        use = _domain_use(m, anchor, text, m.start(), False)
        if use:
            out.append(use)
    for url, s, _end in doc.links:
        found = _HOST.search(url)
        if found and found.start() <= 12:
            anchor = doc.source_anchor(s + found.start("host"), s + found.end("host"))
            use = _domain_use(found, anchor, url, 0, True)
            if use:
                out.append(use)
    return out


# -- names ----------------------------------------------------------------------------------
_ABOUT = lazy(r"^[ \t>*#_]*(?:About|ABOUT)[ \t]+(?=\S)", regex.MULTILINE)
_SOURCE = lazy(r"^[ \t]*(?:Source|SOURCE)[ \t]*:[ \t]*(?=\S)", regex.MULTILINE)
_PRIVATE = lazy(r"[ \t]*\((?:private|privately[ -]held)\)", regex.IGNORECASE)


#: a token of the prose: (word, start, end)
Tok = tuple[str, int, int]
_GAP_IN_NAME = lazy(r"[ \t]*,?[ \t]*|[ \t]*&[ \t]*|\.[ \t]*")


def _name_run(toks: list[Tok], text: str, i: int, step: int) -> list[str]:
    """Name-shaped words next to each other from index ``i`` going ``step`` (-1 or 1)."""
    out: list[str] = []
    j = i
    n = 0  # words taken ("&" kept between them is none)
    while 0 <= j < len(toks) and n < 5:
        word = toks[j][0]
        if not is_name_shaped(word) and word.casefold() not in ("and", "of", "&"):
            break
        out.append(word)
        n += 1
        nxt = j + step
        if 0 <= nxt < len(toks):
            a, b = (toks[j], toks[nxt]) if step > 0 else (toks[nxt], toks[j])
            gap = text[a[2] : b[1]]
            if not _GAP_IN_NAME.fullmatch(gap):
                break
            if "." in gap and a[0].casefold() not in LEGAL_FORMS:
                break
            if "&" in gap:
                out.append("&")  # kept: the name is written with it ("Safe & Green")
        j = nxt
    if out and out[-1] == "&":
        out.pop()  # (the word after it is no name's)
    return out[::-1] if step < 0 else out


def _deglue(word: str) -> str:
    """``CEONephros`` (a title glued to a name) → ``Nephros``; ``IntelagenIntelagen`` → once."""
    ps = parts(word)
    if len(ps) >= 2 and word[: ps[0][1]].isupper() and word[ps[1][0]].isupper():
        rest = word[ps[1][0] :]
        if len(rest) >= 4 and word[ps[1][0] + 1 : ps[1][1]].islower():
            word = rest
    half = len(word) // 2
    if len(word) % 2 == 0 and word[:half] == word[half:]:
        return word[:half]
    return word


def units_of(words: list[str]) -> list[str]:
    """The name units of a company name's words: its distinctive words, else the phrase (a
    common word with the trade words after it when it stands alone: "Forward Industries")."""
    core: list[str] = []
    for w in words:
        if w.casefold().strip(".") in LEGAL_FORMS:
            break
        core.append(w)
    while core and core[0].casefold() in ("the", "and", "of", "&", "about", "source"):
        core.pop(0)
    named = core[:]
    while core and core[-1].casefold() in _NAME_WORDS:
        core.pop()
    if not core:
        return []
    distinct = [w for w in core if is_distinctive(w) and len(key(w)) >= 3]
    if distinct:
        return [_deglue(w) for w in distinct]
    if len(core) == 1:
        core = named
    phrase = " ".join(core)
    return [phrase] if len(core) > 1 else []


def _names(doc: Document, toks: list[Tok], domains: list[DomainUse], facts: EntityFacts) -> None:
    """The names the release's own context vouches for, with the kind of evidence."""
    text = doc.text
    words, starts, _ = doc.token_columns
    kinds: dict[str, set[str]] = {}  # unit -> the kinds of evidence for it

    def add(i: int, step: int, kind: str, ticker: str | None = None) -> None:
        words = _name_run(toks, text, i, step)
        if not words:
            return
        first = toks[i if step > 0 else i - len(words) + 1]
        for unit in units_of(words):
            kinds.setdefault(unit, set()).add(kind)
            if unit not in facts.name_locs:  # the first use only: no anchor for the others
                facts.name_locs[unit] = packed_loc(doc.anchor(first[1], first[2]))
            if ticker:
                facts.tickers.setdefault(key(unit), ticker)

    for pattern, kind in ((_ABOUT, "about"), (_SOURCE, "source")):
        for m in pattern.finditer(text):
            i = bisect.bisect_left(starts, m.end())
            if i < len(toks) and toks[i][1] == m.end():
                add(i, 1, kind)
    for m in tickers_of(doc):  # _TICKER.finditer(text), shared with the metadata
        i = bisect.bisect_left(starts, m.start()) - 1
        end = m.start()  # each word back to the name, legal forms skipped, is close to the next
        while i >= 0 and toks[i][0].casefold() in LEGAL_FORMS and end - toks[i][2] <= _NEAR_TICKER:
            end = toks[i][1]
            i -= 1
        if i >= 0 and end - toks[i][2] <= _NEAR_TICKER:
            add(i, -1, "ticker", m.group("ticker"))
    for m in _PRIVATE.finditer(text):  # "Cardior Pharmaceuticals (private)": its own company
        i = bisect.bisect_left(starts, m.start()) - 1
        if i >= 0 and m.start() - toks[i][2] <= 2:
            add(i, -1, "private", "(private)")
    passing = TOKEN_TESTS.of(doc)
    legal = passing[_LEGAL]
    for i in indices_in(words, legal) if legal else ():
        if i and _SUFFIX_GAP.fullmatch(text, toks[i - 1][2], toks[i][1]):
            add(i - 1, -1, "suffix")
    labels = {domain_label(d.domain) for d in domains if len(domain_label(d.domain)) >= 3}
    heads = {label[:3] for label in labels}
    named = {w for w in passing[_SHAPED] if w[:3].casefold() in heads} if heads else ()
    for i in indices_in(words, named) if named else ():
        _, start, end = toks[i]
        joined = ""
        for j in range(i, min(i + 3, len(toks))):
            if j > i and text[toks[j - 1][2] : toks[j][1]] not in (" ", "-"):
                break
            joined += key(toks[j][0])
            if joined in labels:
                run = [t[0] for t in toks[i : j + 1]]
                if j == i or not any(is_distinctive(w) for w in run):
                    unit = run[0] if j == i else " ".join(run)
                    kinds.setdefault(unit, set()).add("domain")
                    if unit not in facts.name_locs:
                        facts.name_locs[unit] = packed_loc(doc.anchor(start, end))
                break
    facts.names = {unit: frozenset(k) for unit, k in kinds.items()}  # a few distinct ones
    for unit in facts.names:
        if " " in unit:
            facts.phrases[unit] = text.count(unit)


_SUFFIX_GAP = lazy(r",?[ \t]?")
#: the most characters between a name, each legal form after it and its ticker slot
_NEAR_TICKER = 12
#: a legal form written as a word of a name ("Inc", "LTD")
_LEGAL = TOKEN_TESTS.add(lambda w: len(w) <= 12 and w[0].isupper() and w.casefold() in LEGAL_FORMS)
_SHAPED = TOKEN_TESTS.add(is_name_shaped)


_SUBDOMAIN = lazy(r"\.([A-Za-z0-9-]+)\.[A-Za-z]{2,24}\b")


def _name_like(tok: str) -> bool:
    """Whether a token is worth comparing wherever it is: capitalised and rare, CamelCase,
    hyphenated, or a code. (Asked through ``TOKEN_TESTS`` only, once per distinct word: a
    memo of its own would hold 200,000 answers for a hit in ten calls.)"""
    if len(tok) < 4 or tok.islower() or not is_name_shaped(tok):
        return False
    if not tok.replace("-", "").isalpha():
        return is_code(tok)
    return is_camel(tok) or "-" in tok or zipf(tok) < COMMON_ZIPF


_NAME_LIKE = TOKEN_TESTS.add(_name_like)


#: what stands between two words written next to each other in a name ("Safe & Green")
_NEXT_TO = (" ", " & ")


def _tokens(doc: Document) -> Uses:
    """Name-like tokens worth comparing: capitalised and rare, CamelCase or hyphenated."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    around: dict[str, list[str]] = defaultdict(list)
    text = doc.text
    words, starts, ends = doc.token_columns
    last = len(words) - 1
    wanted = TOKEN_TESTS.of(doc)[_NAME_LIKE]  # once per distinct token
    for i in indices_in(words, wanted) if wanted else ():
        tok, start, end = words[i], starts[i], ends[i]
        if tok[0].islower() and start and text[start - 1] in "./":
            continue  # "wire.comGlobal": a URL glued to the next sentence
        if start and text[start - 1] in "$@#_/\\":
            continue  # a $symbol, @handle, #hashtag or a piece of a URL path
        sub = _SUBDOMAIN.match(text, end)
        if sub and sub.group(1).lower() not in _SECOND_LEVEL:
            continue  # the first label of another host name (Name.example.com)
        prev = words[i - 1] if i and text[ends[i - 1] : start] in _NEXT_TO else ""
        nxt = words[i + 1] if i < last and text[end : starts[i + 1]] in _NEXT_TO else ""
        spans[tok].append(doc.source_span(start, end))
        around[tok].append(f"{prev} {nxt}")
    return Uses.pack(spans, around)


# -- phones ---------------------------------------------------------------------------------
_PHONE = lazy(
    r"""(?x)(?<![\d+])
    (?:(?:\+?1[\s.-]{0,2})?(?:\(\d{3}\)[\s.-]{0,2}|\d{3}[\s.-]{1,2})\d{3}[\s.-]\d{4}   # NANP
      | \+\d{1,3}(?:[\s.-]{0,2}(?:\(\d{1,4}\)|\d{1,5})){2,5})                   # +44 20 ...
    (?!\d)"""
)
#: characters around a phone number where the e-mail address of its owner is looked for
NEAR = 120
_EMAIL = lazy(r"[A-Za-z][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[a-z]{2,24}(?![a-z])")
_EMAIL_DOMAIN = lazy(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[a-z]{2,24})(?![a-z])")


@lru_cache(maxsize=50_000)
def _e164(raw: str) -> str | None:
    """A phone number as written, in E.164; None when it is no possible number (once per
    distinct spelling of a number: releases repeat their contacts' numbers)."""
    import phonenumbers  # imported on first use: a warm run needs none

    try:
        num = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(num):
        return None  # (a slip may make a number invalid: 888-102-4192)
    return str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))


def _phones(doc: Document) -> list[PhoneUse]:
    out: list[PhoneUse] = []
    text = doc.text
    for m in _PHONE.finditer(text):
        raw = m.group()
        digits = _NON_DIGIT.sub("", raw)
        if len(digits) < 10 or len(digits) > 13:
            continue
        if not raw.startswith("+") and len(digits) == 10 and digits[0] in "01":
            continue
        number = _e164(raw)
        if number is None:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        label = " ".join(_LETTERS.findall(text, line_start, m.start())[-3:])
        block_start = max(0, _nth_line_before(text, m.start(), 4))
        block_end = _nth_line_after(text, m.end(), 3)
        emails = tuple(
            sorted({registrable(d) for d in _EMAIL_DOMAIN.findall(text, block_start, block_end)})
        )
        near = [  # before the number and after it, never across it (a number glued to one)
            (min(abs(e.start() - m.end()), abs(m.start() - e.end())), e.group().lower())
            for start, end in ((max(0, m.start() - NEAR), m.start()), (m.end(), m.end() + NEAR))
            for e in _EMAIL.finditer(text, start, end)
        ]
        out.append(
            PhoneUse(
                number=number,
                at=packed_loc(doc.anchor(m.start(), m.end())),
                label=label,
                emails=emails,
                mailbox=min(near)[1] if near else "",
            )
        )
    return out


def _nth_line_before(text: str, pos: int, n: int) -> int:
    for _ in range(n):
        pos = text.rfind("\n", 0, max(pos - 1, 0))
        if pos < 0:
            return 0
    return pos


def _nth_line_after(text: str, pos: int, n: int) -> int:
    for _ in range(n):
        nxt = text.find("\n", pos + 1)
        if nxt < 0:
            return len(text)
        pos = nxt
    return pos


# -- extraction -----------------------------------------------------------------------------
def extract_entities(doc: Document) -> EntityFacts:
    """The entity facts of one document (computed once even when several checks ask)."""
    return doc.memo("entities", _extract)


def _extract(doc: Document) -> EntityFacts:
    toks = doc.tokens
    domains = _domains(doc)
    facts = EntityFacts(tokens=_tokens(doc), domains=Domains.of(domains), phones=_phones(doc))
    _names(doc, toks, domains, facts)
    from prlint.checks.lib.names import name_words_of

    words, frames = name_words_of(doc)
    facts.words = Uses.pack(words)
    facts.frames = "".join(
        f"\n{w}\t" + "\t".join(distinct)
        for w, f in frames.items()
        if (distinct := list(dict.fromkeys(f))) != ["_"]
    )
    facts.lines = _packed(doc.lines.starts)
    return facts


# -- the corpus profile ---------------------------------------------------------------------
@dataclass
class Unit:
    """A name unit and the corpus's support for it."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)  # spelling -> uses
    form_docs: Counter[str] = field(default_factory=Counter)  # spelling -> releases
    docs: Collection[int] = ()  # releases using it, ascending (see _few)
    context_docs: Collection[int] = ()  # releases vouching for it, ascending (see _few)
    domains: Counter[str] = field(default_factory=Counter)  # domain -> releases matching
    tickers: AbstractSet[str] = frozenset()  # (one empty set shared by most units)
    configured: bool = False
    product: bool = False  # a recurring code (CLR1404) rather than a company name
    #: doc -> (loc, form) of the first use, in the two releases of lowest index that use it
    first_use: dict[int, tuple[Loc, str]] = field(default_factory=dict)
    neighbours: Counter[str] = field(default_factory=Counter)  # capitalised word next to it
    in_prose: int = 0  # uses with a word next to them (not alone on a line, nor a domain)
    _name: str | None = field(default=None, repr=False)

    @property
    def uses(self) -> int:
        return sum(self.forms.values())

    @property
    def name(self) -> str:
        """The usual spelling: the most used form that is not all capitals, if any."""
        if self._name is None:
            self._name = self._usual()
        return self._name

    def _usual(self) -> str:
        mixed = [(n, f) for f, n in self.forms.items() if not f.isupper()]
        pool = mixed or [(n, f) for f, n in self.forms.items()]
        return max(pool, key=lambda nf: (nf[0], nf[1]))[1] if pool else self.key

    def bound(self) -> str | None:
        """The capitalised word next to every use of the name in prose (Ysaan Books), if any."""
        n = self.in_prose
        return next((w for w, c in self.neighbours.items() if c >= n >= 2), None)

    def strength(self) -> tuple[int, int, int, int]:
        return (
            int(self.configured),
            len(self.domains) and sum(self.domains.values()),
            len(self.docs),
            self.uses,
        )


@dataclass
class Profile:
    """Everything the entity checks know about the corpus's companies."""

    paths: list[str]
    units: dict[str, Unit]
    doc_units: Sequence[Collection[str]]  # per release: keys of units it uses or belongs to
    token_docs: dict[str, Collection[int]]  # token key -> releases using it (see _few)
    domain_docs: dict[str, set[int]]  # registrable domain -> releases using it
    ticker_docs: dict[str, set[int]]
    allow: frozenset[str]  # keys of allowed words
    home: list[Collection[str]]  # per release: keys of the units it is about
    #: domain -> doc -> (loc, as written) of its first use, in the two lowest-index releases
    domain_uses: dict[str, dict[int, tuple[Loc, str]]] = field(default_factory=dict)
    tickers: set[str] = field(default_factory=set)  # keys of every ticker symbol seen
    domain_count: Counter[str] = field(default_factory=Counter)  # domain -> uses
    allow_forms: frozenset[str] = frozenset()  # allowed words as written
    _belongs: dict[str, set[int]] = field(default_factory=dict, repr=False)
    known: set[str] = field(default_factory=set)  # unit keys and allowed words
    home_docs: dict[str, set[int]] = field(default_factory=dict)  # unit key -> its releases
    codes: dict[tuple[str, ...], list[str]] = field(default_factory=dict)  # numbers -> units

    _spans: dict[str, Sequence[tuple[int, int, str]]] = field(default_factory=dict, repr=False)
    _name_keys: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.known = set(self.units) | set(self.allow)
        home_docs: dict[str, set[int]] = defaultdict(set)
        for i, h in enumerate(self.home):
            for k in h:
                home_docs[k].add(i)
        self.home_docs = dict(home_docs)
        codes: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for k, u in sorted(dict.items(self.units)):  # (completes no unit: see _Units)
            if u.product:
                codes[tuple(_DIGITS.findall(k))].append(k)
        self.codes = dict(codes)

    def name_key(self, unit: Unit) -> str:
        """The key of a unit's usual spelling (memoised: judges ask it once per release)."""
        found = self._name_keys.get(unit.key)
        if found is None:
            found = self._name_keys[unit.key] = key_of(unit.name)
        return found

    def products_like(self, code: str) -> list[Unit]:
        """Recurring codes with the same numbers as ``code`` (CLR1404 for CRL1404)."""
        return [self.units[k] for k in self.codes.get(tuple(_DIGITS.findall(code)), [])]

    def spans(self, token: str) -> Sequence[tuple[int, int, str]]:
        """:func:`unit_spans` of a token against every known unit and allowed word (memoised)."""
        found = self._spans.get(token)
        if found is None:
            found = self._spans[token] = unit_spans(token, self.known) or _NO_SPANS
        return found

    def belongs(self, unit: Unit) -> set[int]:
        """Releases of a unit's company: using it, its domains or its ticker (memoised)."""
        found = self._belongs.get(unit.key)
        if found is None:
            found = self._belongs[unit.key] = self._belonging(unit)
        return found

    def _belonging(self, unit: Unit) -> set[int]:
        out = set(unit.docs)
        if unit.product:  # a product belongs to the companies of the releases naming it
            for k in {k for i in unit.docs for k in self.home[i]}:
                out |= self.home_docs.get(k, set())
        for d in unit.domains:
            out |= self.domain_docs.get(d, set())
        for t in unit.tickers:
            out |= self.ticker_docs.get(t, set())
        return out

    def related_domain(self, domain: str, doc: int) -> Related | None:
        """A use of ``domain`` in another release (or, failing that, in this one)."""
        uses = self.domain_uses.get(domain, {})
        pick = next((d for d in sorted(uses) if d != doc), doc if doc in uses else None)
        if pick is None:
            return None
        loc, written = uses[pick]
        return anchor_of(self.paths[pick], loc).related(f"'{written}' used here")

    def related_use(self, unit: Unit, doc: int) -> tuple[str, Loc, str] | None:
        """A use of ``unit`` in another release (or, failing that, in this one)."""
        others = sorted(i for i in unit.first_use if i != doc)
        pick = others[0] if others else (doc if doc in unit.first_use else None)
        if pick is None:
            return None
        loc, form = unit.first_use[pick]
        return self.paths[pick], loc, form


#: the checks that extract :class:`EntityFacts`; each reads the facts of whichever ran
ENTITY_CHECKS = ("company-name", "url-drift", "contact-drift")


def entity_facts(corpus: Corpus) -> list[tuple[str, EntityFacts]]:
    """(path, facts) of every release, from whichever entity check extracted them."""
    out = []
    for rec in corpus.records:
        for name in ENTITY_CHECKS:
            f = rec.facts.get(name)
            if isinstance(f, EntityFacts):
                out.append((rec.path, f))
                break
    return out


#: a run that reports at most this share of the releases builds the profile lazily
LAZY_SHARE = 0.1


def profile(corpus: Corpus, allow: Iterable[str] = ()) -> Profile:
    """The corpus's company profile, built once per run (lazily when the run reports few
    releases: see :func:`build_profile`)."""

    def build() -> Profile:
        docs = entity_facts(corpus)
        reported = sum(1 for rec in corpus.records if rec.reported)
        lazily = reported <= LAZY_SHARE * len(docs)
        return build_profile(docs, corpus.company, allow, lazily=lazily)

    return corpus.memo("entities.profile", build)


def _subrun_keys(token: str, ps: tuple[tuple[int, int], ...]) -> Iterator[tuple[int, int, str]]:
    """(first part, last part, key) of every run of a token's parts ``ps``, longest first."""
    n = len(ps)
    for size in range(n, 0, -1):
        for i in range(0, n - size + 1):
            yield i, i + size - 1, key_of(token[ps[i][0] : ps[i + size - 1][1]])


def unit_spans(token: str, unit_keys: Mapping[str, Any] | set[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, key) spans of a token that spell a known unit (not
    memoised, nor are its parts and keys: each caller keeps the spans of the tokens it met)."""
    ps = parts_of(token)
    if len(ps) == 1:  # most tokens: one part, one key
        s, e = ps[0]
        k = key_of(token[s:e])
        return [(s, e, k)] if k in unit_keys else []
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, int, str]] = []
    for i, j, k in _subrun_keys(token, ps):
        if k in unit_keys and not any(i <= b and a <= j for a, b in taken):
            taken.append((i, j))
            out.append((ps[i][0], ps[j][1], k))
    return out


_NO_SPANS: tuple[tuple[int, int, str], ...] = ()  # shared by the tokens that spell no unit
_SPACES = itertools.repeat(" ")  # str.split's separator, for map()
_HOME_KINDS = frozenset({"about", "source", "ticker"})  # evidence that a name is the issuer's


def build_profile(
    docs: list[tuple[str, EntityFacts]],
    company: Mapping[str, Any],
    allow: Iterable[str] = (),
    *,
    lazily: bool = False,
) -> Profile:
    """Join every release's entity facts into a :class:`Profile`. ``lazily``: each unit's
    uses in the releases' tokens are counted when the unit is first asked for, and a
    release's units when they are (for a run that reports a few releases: it asks about a
    few hundred of the corpus's units); the answers are the same."""
    allow = list(allow)
    distinct: set[str] = set()  # every token of every release (when lazily)
    units: dict[str, Unit] = {}

    def unit(k: str) -> Unit:
        if k not in units:
            units[k] = Unit(k)
        return units[k]

    for name in [*company.get("names", []), *company.get("aliases", [])]:
        for word in units_of(name.split()) or [name]:
            u = unit(key(word))
            u.configured = True
            u.forms[word] += 0
    configured_domains = [
        registrable(d.lower().removeprefix("www.")) for d in company.get("domains", [])
    ]
    ticker = str(company.get("ticker", "")).upper()
    unit_tickers: dict[str, set[str]] = defaultdict(set)  # unit key -> its tickers
    for k, u in list(units.items()):
        if u.configured:
            u.domains.update({d: 0 for d in configured_domains if domain_label(d) == k})
            if ticker:
                unit_tickers[k].add(ticker)

    domain_docs: dict[str, set[int]] = defaultdict(set)
    domain_uses: dict[str, dict[int, tuple[Loc, str]]] = defaultdict(dict)
    domain_count: Counter[str] = Counter()
    ticker_docs: dict[str, set[int]] = defaultdict(set)
    token_docs: dict[str, list[int]] = defaultdict(list)  # ascending: releases come in order
    unit_docs: dict[str, set[int]] = defaultdict(set)  # unit key -> releases using it
    context_docs: dict[str, set[int]] = defaultdict(set)  # unit key -> releases vouching
    home: list[set[str]] = [set() for _ in docs]
    about: list[set[str]] = [set() for _ in docs]  # per release: the names it is About
    vouched: set[str] = set()  # the names some release gives as its own
    for i, (_, f) in enumerate(docs):
        named_by_domain: set[str] = set()  # the names its domains spell
        ds = f.domains
        written = ds.domain
        labels: dict[str, str] = {}  # domain label -> the domain with it used last
        if written:
            domain_count.update(written)
            for d in dict.fromkeys(written):  # each domain once, in the order first used
                domain_docs[d].add(i)
                uses = domain_uses[d]
                if _among_first(uses, i):
                    j = written.index(d)
                    uses[i] = (ds.loc(j), ds.written[j])
            for d in dict.fromkeys(reversed(written)):
                labels.setdefault(domain_label(d), d)
        for t in f.tickers.values():
            ticker_docs[t].add(i)
        for name, kinds in f.names.items():
            k = key(name)
            u = unit(k)
            context_docs[k].add(i)
            if " " in name:
                u.forms[name] += f.phrases.get(name, 0)
                unit_docs[k].add(i)
                if _among_first(u.first_use, i):
                    u.first_use[i] = (unpacked_loc(f.name_locs[name]), name)
            if "domain" in kinds:
                if k in labels:
                    u.domains[labels[k]] += 1
                named_by_domain.add(k)
            if "about" in kinds:
                about[i].add(k)
            if not kinds.isdisjoint(_HOME_KINDS):
                home[i].add(k)
        vouched |= home[i]
        if not home[i]:
            home[i] = named_by_domain
        for k, t in f.tickers.items():
            unit(k)  # the name before a ticker is a unit
            unit_tickers[k].add(t)
        if f.tokens.words:
            words = f.tokens.words.split("\n")
            for k in set(map(key_of, words)):
                token_docs[k].append(i)
            if lazily:
                distinct.update(words)
    for k, found in token_docs.items():
        if len(found) >= 2 and any(ch.isdigit() for ch in k) and k not in units:
            unit(k).product = True  # a code that recurs: a product or drug name
    unit_keys = set(units)
    spans: dict[str, Sequence[tuple[int, int, str]]] = {}  # token -> its unit spans (memo)

    def spans_of(tok: str) -> Sequence[tuple[int, int, str]]:
        covered = spans.get(tok)
        if covered is None:
            covered = spans[tok] = unit_spans(tok, unit_keys) or _NO_SPANS
        return covered

    doc_units: Sequence[Collection[str]]
    if lazily:
        doc_units = _DocUnits(docs, spans_of, units, unit_tickers)
    else:
        found_units: list[set[str]] = [set() for _ in docs]
        for i, (_, f) in enumerate(docs):
            found_units[i].update(_count_uses(units, unit_docs, i, f, f.tokens.each(), spans_of))
            found_units[i].update(map(key, f.names))
        for k, u in units.items():
            for d in u.domains:
                for i in domain_docs.get(d, ()):
                    found_units[i].add(k)
            for t in unit_tickers.get(k, ()):
                for i in ticker_docs.get(t, ()):
                    found_units[i].add(k)
        doc_units = [tuple(sorted(found)) for found in found_units]  # a fifth of a set's memory
        del found_units
    _drop_intermediaries(home, about, vouched)
    for k, u in units.items():
        if k in unit_tickers:
            u.tickers = unit_tickers.pop(k)
        if not lazily:
            u.docs = _few(sorted(unit_docs.pop(k, ())))
        u.context_docs = _few(sorted(context_docs.pop(k, ())))
    allowed = frozenset(key(a) for a in allow)
    few: dict[str, Collection[int]] = {}
    for k in list(token_docs):  # each list goes as its tuple comes
        few[k] = _few(token_docs.pop(k))
    if lazily:
        units = _Units(units, _Counting(docs, units, unit_docs, few, distinct, spans_of))
    return Profile(
        paths=[p for p, _ in docs],
        units=units,
        doc_units=doc_units,
        token_docs=few,
        domain_docs=dict(domain_docs),
        ticker_docs=dict(ticker_docs),
        allow=allowed,
        home=[tuple(sorted(found)) for found in home],
        domain_uses=dict(domain_uses),
        tickers={key(t) for t in ticker_docs},
        allow_forms=frozenset(allow),
        domain_count=domain_count,
        # with no allowed word, the judges' spans are those counted here: one memo for both
        _spans=spans if not allowed else {},
    )


SpansOf = Callable[[str], Sequence[tuple[int, int, str]]]


def _count_uses(
    units: dict[str, Unit],
    unit_docs: dict[str, set[int]],
    i: int,
    f: EntityFacts,
    tokens: Iterable[tuple[str, int, int, Callable[[int, int], list[TokenUse]]]],
    spans_of: SpansOf,
    only: str | None = None,
) -> set[str]:
    """Count the uses of the units that ``tokens`` of release ``i`` spell (of the unit
    ``only``, if given) into those units; the keys of the units they spell."""
    found: set[str] = set()
    around: list[str] | None = None  # the neighbours of every use, split when needed
    for tok, n, first, take in tokens:
        covered = spans_of(tok)
        if not covered:
            continue  # most tokens spell no unit: their uses stay packed
        for s, e, k in covered:
            if only is not None and k != only:
                continue
            u = units[k]
            form = tok[s:e]
            u.forms[form] += n
            u.form_docs[form] += 1
            unit_docs[k].add(i)
            if e - s == len(tok):
                if around is None:
                    around = f.tokens.around()
                for prev, next_ in map(str.split, around[first : first + n], _SPACES):
                    u.in_prose += bool(prev or next_)
                    if prev[:1].isupper():
                        u.neighbours[prev] += 1
                    if next_ != prev and next_[:1].isupper():
                        u.neighbours[next_] += 1
            found.add(k)
            if _among_first(u.first_use, i):
                use = take(first, 1)[0]
                loc = f.loc(use.start, use.end)
                u.first_use[i] = (
                    (loc[0], loc[1] + s, loc[2], loc[1] + e, loc[4] + s, loc[4] + e),
                    form,
                )
    return found


class _Counting:
    """Counts one unit's uses in the releases' tokens, in the releases that have a token
    spelling it, in the order and with the result of counting every unit in every release."""

    def __init__(
        self,
        docs: list[tuple[str, EntityFacts]],
        units: dict[str, Unit],
        unit_docs: dict[str, set[int]],
        token_docs: Mapping[str, Collection[int]],
        distinct: set[str],
        spans_of: SpansOf,
    ) -> None:
        self.docs, self.units, self.unit_docs = docs, units, unit_docs
        self.token_docs, self.spans_of = token_docs, spans_of
        spelling: dict[str, set[str]] = defaultdict(set)  # unit key -> tokens spelling it
        for tok in distinct:
            for _, _, k in spans_of(tok):
                spelling[k].add(tok)
        self.spelling = dict(spelling)

    def __call__(self, k: str) -> None:
        tokens = self.spelling.get(k, set())
        where = {i for tok in tokens for i in self.token_docs.get(key_of(tok), ())}
        for i in sorted(where):  # (releases sharing a token's key may not have the token)
            f = self.docs[i][1]
            _count_uses(self.units, self.unit_docs, i, f, f.tokens.each(tokens), self.spans_of, k)
        self.units[k].docs = _few(sorted(self.unit_docs.pop(k, ())))


class _Units(dict[str, Unit]):
    """Unit key -> :class:`Unit` of a lazily built profile: a unit's uses are counted
    (``complete``) when it is first asked for by key; iterating the values counts all."""

    def __init__(self, units: dict[str, Unit], complete: Callable[[str], None]) -> None:
        super().__init__(units)
        self._complete = complete
        self._pending = set(units)

    def __getitem__(self, k: str) -> Unit:
        u = super().__getitem__(k)
        if k in self._pending:
            self._pending.discard(k)
            self._complete(k)
        return u

    def get(self, k: str, default: Any = None) -> Any:
        try:
            return self[k]
        except KeyError:
            return default

    def values(self) -> Any:
        for k in sorted(self._pending):
            self[k]
        return super().values()

    def items(self) -> Any:
        self.values()
        return super().items()


class _DocUnits(Sequence[Collection[str]]):
    """Per release, the keys of the units it uses or belongs to, found when first asked."""

    def __init__(
        self,
        docs: list[tuple[str, EntityFacts]],
        spans_of: SpansOf,
        units: dict[str, Unit],
        unit_tickers: Mapping[str, set[str]],
    ) -> None:
        self.docs, self.spans_of = docs, spans_of
        self.found: dict[int, tuple[str, ...]] = {}
        by_domain: dict[str, list[str]] = defaultdict(list)
        by_ticker: dict[str, list[str]] = defaultdict(list)
        for k, u in units.items():
            for d in u.domains:
                by_domain[d].append(k)
            for t in unit_tickers.get(k, ()):
                by_ticker[t].append(k)
        self.by_domain, self.by_ticker = dict(by_domain), dict(by_ticker)

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, i: Any) -> Any:
        found = self.found.get(i)
        if found is None:
            f = self.docs[i][1]
            keys = {k for tok in _words(f.tokens) for _, _, k in self.spans_of(tok)}
            keys.update(map(key, f.names))
            for d in f.domains.domain:
                keys.update(self.by_domain.get(d, ()))
            for t in f.tickers.values():
                keys.update(self.by_ticker.get(t, ()))
            found = self.found[i] = tuple(sorted(keys))
        return found


def _words(uses: Uses) -> list[str]:
    return uses.words.split("\n") if uses.words else []


def _few(docs: Sequence[int]) -> Collection[int]:
    """Releases in ascending order, a few as a tuple (most tokens are used in one or two
    releases, and a tuple of two takes a fifth of a set's memory), more as a set."""
    return tuple(docs) if len(docs) <= 8 else set(docs)


def _among_first(uses: dict[int, Any], doc: int) -> bool:
    """Whether a first use in ``doc`` is to be kept: a profile keeps the uses of the two
    releases with the lowest indices only (all that ``related_use`` and ``related_domain``
    read: the first release other than the one reported), and the first use in each."""
    if doc in uses:
        return False
    if len(uses) >= 2:
        last = max(uses)
        if doc > last:
            return False
        del uses[last]
    return True


def _drop_intermediaries(home: list[set[str]], about: list[set[str]], vouched: set[str]) -> None:
    """A newswire or agency named in the releases of many companies is nobody's home
    (``about``: per release, the names it is About; ``vouched``: the names some release
    gives as its own, About, Source or before its ticker)."""
    foreign: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for h, a in zip(home, about, strict=True):
        for k in h:
            total[k] += 1
            if a and k not in a:
                foreign[k] += 1
    others: dict[str, set[str]] = defaultdict(set)
    own: Counter[str] = Counter()
    for h, a in zip(home, about, strict=True):
        for k in h:
            others[k] |= a - {k}
            own[k] += k in a
    drop = {k for k, n in foreign.items() if n >= 3 and n * 2 > total[k]}
    drop |= {k for k, o in others.items() if len(o) >= 5 and own[k] * 10 < total[k]}
    drop |= {k for k, n in total.items() if n >= 10 and k not in vouched}  # share links
    for h in home:
        h -= drop
