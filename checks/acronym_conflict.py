"""acronym-conflict: an acronym expanded two different ways."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz

from prlint.api import Anchor, Check, CheckContext, Diagnostic, Extraction, Severity
from prlint.checks.lib.attribution import identities
from prlint.checks.lib.quantities import singular
from prlint.corpus import Corpus, DocRecord
from prlint.document import Document
from prlint.lazyregex import lazy

#: "(CLL/SLL)", "(PDCs)", "(mRNA)": two or more capitals, compounds joined by "/"
_CHAR = r"[\p{L}\d&.\-]"
_PART = rf"[\p{{L}}\d&]{_CHAR}{{1,11}}"
#: two capitals in the first part: the lookahead stays inside the part, so it costs the part's
#: length, not the distance to the next parenthesis (which made the search quadratic)
_ACRONYM = rf"(?={_CHAR}{{0,11}}?\p{{Lu}}{_CHAR}{{0,10}}?\p{{Lu}}){_PART}(?:/{_PART}){{0,3}}"
_DEFINITION = lazy(rf"\((?P<acr>{_ACRONYM})\)")
_REVERSED = lazy(rf"\b(?P<acr>{_ACRONYM})\s+\((?P<long>[^()]{{4,120}})\)")
_WORD = lazy(r"[\p{L}\d][\p{L}\p{M}\d'’]*")
_POSSESSIVE = lazy(r"'s?$")
#: British spellings and their American forms, so that the two are no difference
#: (authorisation, centre, colour, sulphide, apnoea, haemoglobin, modelling, analyse,
#: catalogue, licence)
_AMERICAN = (
    (lazy(r"is(?=ation|e$|ed$|ing$)"), "iz"),
    (lazy(r"(?<=[^aeiou])re$"), "er"),
    (lazy(r"our(?=s?$|ed$|ing$|ful$|ite$)"), "or"),
    (lazy(r"sulph"), "sulf"),
    (lazy(r"(?<=\p{L})[oa]e(?=\p{L})"), "e"),
    (lazy(r"(?<=[aeiou])ll(?=ed$|ing$|er$)"), "l"),
    (lazy(r"yse(?=s?$|d$|rs?$)"), "yze"),
    (lazy(r"ogue$"), "og"),
    (lazy(r"(?<=[cf])ence$"), "ense"),
)
_CONTEXT = 5  # words of context on each side of a definition
_TYPO = 90  # expansions this alike (rapidfuzz ratio) differ by a slip of the keyboard
_SAME_CONTEXT = 80  # contexts this alike make one repeated statement
_SMALL = frozenset(("of", "and", "the", "for", "in", "on", "to", "a", "an", "with", "by", "or"))


@dataclass(frozen=True, slots=True)
class Definition:
    """One expansion of an acronym in a release."""

    acronym: str  # as written, e.g. "CLL"
    key: str  # normalised acronym: "CLL" (plural "PDCs" -> "PDC")
    long: str  # the long form as written
    norm: str  # the long form normalised for comparison
    anchor: Anchor
    before: str = ""  # a few words before the definition, lower case
    after: str = ""  # a few words after it


class AcronymConflict(Check):
    """An acronym expanded two different ways, across releases or within one.

    Definitions are read in both forms, "long form (ACR)" and "ACR (long form)", including
    compounds such as "chronic lymphocytic leukemia/small lymphocytic lymphoma (CLL/SLL)"; the
    long form is the shortest run of words before the parenthesis whose letters spell the
    acronym. Case, hyphens, "&"/"and" and plurals are no differences. Acronyms are compared per
    company (ticker, else folder) and only when the two expansions share a word, so that two
    companies' unrelated uses of one acronym are not reported. Each differing definition is
    reported, or only the outliers when one expansion dominates; ``related`` names the others.

    Passes::

        a.txt: ... chronic lymphocytic leukemia (CLL) ...
        b.txt: ... Chronic Lymphocytic Leukemias (CLLs) ...

    Fails (reported on both)::

        a.txt: ... chronic lymphocytic lymphoma (CLL) ...
        b.txt: ... chronic lymphocytic leukemia (CLL) ...
    """

    name = "acronym-conflict"
    severity = Severity.WARNING
    summary = "an acronym expanded two different ways"
    reads = ()
    cross_release = True

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        if "(" not in doc.chars:  # every definition has a parenthesis
            return Extraction()
        defs = list(definitions(doc))
        keys = frozenset(d.key for d in defs)  # a definition is compared with the same key's
        return Extraction(facts=defs or None, keys=keys)

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Diagnostic]:
        ident = identities(corpus)
        groups: dict[tuple[str, str], list[tuple[DocRecord, Definition]]] = defaultdict(list)
        for rec, defs in corpus.facts(self.name):
            for d in defs:
                groups[(ident[rec.path], d.key)].append((rec, d))
        for members in groups.values():
            if any(rec.reported for rec, _ in members):  # else no finding can come of it
                yield from _judge(members, ctx)


def definitions(doc: Document) -> Iterator[Definition]:
    """Every acronym definition of a release."""
    text = doc.text
    for m in _DEFINITION.finditer(text):
        if m.group("acr") in _MARKS:
            continue
        parts = m.group("acr").split("/")
        start = max(0, m.start() - 200)
        before = text[start : m.start()]
        cut = max(before.rfind(c) for c in ".;:()\n")
        if cut >= 0:
            before, start = before[cut + 1 :], start + cut + 1
        segments = before.rstrip().split("/")
        if len(segments) < len(parts):
            continue
        seg_start = start + len(before.rstrip()) - len("/".join(segments[-len(parts) :]))
        offset = seg_start
        for acr, seg in zip(parts, segments[-len(parts) :], strict=True):
            found = long_form(acr, seg)
            if found is not None:
                s = offset + seg.rfind(found)
                yield _definition(doc, acr, found, s, s + len(found))
            offset += len(seg) + 1
    for m in _reversed(text):
        acr, inner = m.group("acr"), m.group("long").strip()
        if "/" in acr or not _WORD.match(inner):
            continue
        found = long_form(acr, inner)
        if found is not None and inner.lower().startswith(found.lower()) and found == inner:
            yield _definition(doc, acr, found, m.start("long"), m.start("long") + len(found))


#: the most characters an acronym of _ACRONYM spans: four parts of 12 and three slashes
_ACRONYM_WIDTH = 51
_SPACE_BEFORE = lazy(r"\s+", regex.REVERSE)


def _reversed(text: str) -> Iterator[regex.Match[str]]:
    """``_REVERSED.finditer(text)``, searched only before each parenthesis: a match's
    acronym ends where the spaces before its "(" start, and its long form closes within
    121 characters of it."""
    pos = 0
    for paren in _PAREN.finditer(text):
        p = paren.start()
        space = _SPACE_BEFORE.match(text, pos, p)
        if space is None or space.start() <= pos:
            continue
        lo = max(pos, space.start() - _ACRONYM_WIDTH)
        m = _REVERSED.search(text, lo, min(len(text), p + 122))
        if m is not None and m.start("long") == p + 1:  # else no match has this "("
            yield m
            pos = m.end()


_PAREN = lazy(r"\(")
#: trademark and service mark signs written in parentheses: "MyndMed(TM)"
_MARKS = frozenset(("TM", "SM"))
#: capitals glued to the long form's first word: a heading or an acronym run into the text
_GLUED_CAPS = lazy(r"\p{Lu}{2,}(?=\p{Lu}\p{Ll})")
#: abbreviations of a long form's words, written out
_WRITTEN_OUT = {"vs": "versus"}


def _definition(doc: Document, acr: str, long: str, start: int, end: int) -> Definition:
    glued = _GLUED_CAPS.match(long)  # "About DMDDuchenne muscular dystrophy (DMD)"
    if glued:
        long, start = long[glued.end() :], start + glued.end()
    text = doc.text
    close = text.find(")", end)
    after_from = close + 1 if 0 <= close - end < 40 else end
    before = _WORD.findall(text[max(0, start - 80) : start].lower())[-_CONTEXT:]
    after = _WORD.findall(text[after_from : after_from + 80].lower())[:_CONTEXT]
    return Definition(acr, acronym_key(acr), long, normalise(long), doc.anchor(start, end),
                      " ".join(before), " ".join(after))  # fmt: skip


def acronym_key(acr: str) -> str:
    """ "PDCs" -> "PDC", "CLL" -> "CLL"."""
    acr = acr.rstrip(".")
    if len(acr) > 2 and acr.endswith("s") and acr[:-1].upper() == acr[:-1]:
        acr = acr[:-1]
    return acr.upper()


def normalise(long: str) -> str:
    """A long form for comparison: lower case, no hyphens, "&" as "and", singular words
    ("memoranda" as "memorandum") in American spelling."""
    words = _WORD.findall(long.replace("&", " and ").replace("-", " ").replace("‑", " "))
    out = []
    for w in words:
        w = _POSSESSIVE.sub("", w.replace("’", "'").lower())
        out.append(_WRITTEN_OUT.get(w, american(singular(_LATIN_PLURAL.sub(r"\1um", w)))))
    return " ".join(out)


#: a Latin plural in -anda or -enda ("memoranda" of "memorandum", "addenda")
_LATIN_PLURAL = lazy(r"^(\w+[ae]nd)a$")


def american(word: str) -> str:
    """A lower-case word in its American spelling ("centre" -> "center")."""
    for pattern, replacement in _AMERICAN:
        word = pattern.sub(replacement, word)
    return word


def long_form(acr: str, text: str) -> str | None:
    """The shortest ending of ``text`` whose letters spell ``acr`` (Schwartz-Hearst), or None.

    The acronym's first letter must start a word, and at least half of its letters must start
    words, so that letters picked from inside words do not make a definition.
    """
    letters = [c.lower() for c in acronym_key(acr) if c.isalnum()]
    if len(letters) < 2 or not text.strip():
        return None
    s = text.rstrip()
    words = list(_WORD.finditer(s))
    if not words:
        return None
    by_initials = _by_initials(letters, words, s)
    if by_initials is not None:
        return by_initials
    i = len(letters) - 1
    j = len(s) - 1
    while i >= 0:
        c = letters[i]
        while j >= 0 and (s[j].lower() != c or (i == 0 and j > 0 and s[j - 1].isalnum())):
            j -= 1
        if j < 0:
            return None
        j -= 1
        i -= 1
    start = j + 1
    found = s[start:].strip()
    used = [w for w in _WORD.findall(found) if w.lower() not in _SMALL]
    if not used or len(used) > len(letters) + 2:
        return None
    initials = sum(1 for w in used if w[0].lower() in letters)
    if initials * 2 < len(letters) or found.lower() == acr.lower():
        return None
    return found


def _by_initials(letters: list[str], words: list[regex.Match[str]], s: str) -> str | None:
    """The last words whose initials spell the letters, small words skipped ("multiple
    myeloma" for MM, "Food and Drug Administration" for FDA)."""
    i = len(letters) - 1
    k = len(words) - 1
    first = None
    while i >= 0 and k >= 0:
        w = words[k].group()
        parts = [p for p in regex.split(r"[-‑]", w) if p]
        if w.lower() in _SMALL and w[0].lower() != letters[i]:
            k -= 1
            continue
        initials = [p[0].lower() for p in parts]
        n = len(initials)
        if n > 1 and i + 1 >= n and letters[i - n + 1 : i + 1] == initials:
            i -= n
        elif initials[0] == letters[i]:
            i -= 1
        else:
            return None
        first = words[k].start()
        k -= 1
    if i >= 0 or first is None:
        return None
    return s[first:].strip()


def conflicting(a: Definition, b: Definition) -> bool:
    """Whether two different expansions are worth an editor's look: a near miss (a typo), or
    one word swapped in the same statement. An expansion that only adds words to the other
    ("phospholipid ether analog" / "phospholipid ether") is an elaboration, not a conflict."""
    wa, wb = set(a.norm.split()) - _SMALL, set(b.norm.split()) - _SMALL
    if not wa & wb or wa <= wb or wb <= wa:
        return False
    xs, ys = a.norm.split(), b.norm.split()
    if _shortened(xs, ys) or _shortened(ys, xs):
        return False  # "HR outsourcing", "math": the same words, some of them shortened
    if fuzz.ratio(a.norm, b.norm) >= _TYPO:
        return True
    return any(
        len(x.split()) >= 2 and fuzz.ratio(x, y) >= _SAME_CONTEXT
        for x, y in ((a.before, b.before), (a.after, b.after))
    )


def _shortened(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is ``long`` with some words clipped (four letters kept, four or more
    cut: "math" for "mathematics", not "monitor" for "monitoring") or some runs of words
    written as their initials ("hr" for "human resources")."""
    i = j = 0
    while i < len(short) and j < len(long):
        w, n = short[i], len(short[i])
        if w == long[j] or (n >= 4 and len(long[j]) >= n + 4 and long[j].startswith(w)):
            j += 1
        elif 2 <= n <= 5 and "".join(x[0] for x in long[j : j + n]) == w:
            j += n
        else:
            return False
        i += 1
    return i == len(short) and j == len(long)


def _judge(members: list[tuple[DocRecord, Definition]], ctx: CheckContext) -> Iterator[Diagnostic]:
    classes: dict[str, list[tuple[DocRecord, Definition]]] = defaultdict(list)
    for rec, d in members:
        squeezed = d.norm.replace(" ", "")
        key = next((k for k in classes if k.replace(" ", "") == squeezed), d.norm)
        classes[key].append((rec, d))
    if len(classes) < 2:
        return
    docs = {k: len({r.path for r, _ in v}) for k, v in classes.items()}
    top = max(docs, key=lambda k: (docs[k], len(classes[k])))
    dominant = docs[top] >= 2 and docs[top] > sum(docs.values()) - docs[top]
    for norm, defs in classes.items():
        if dominant and norm == top:
            continue
        for _, d in defs:
            others = [
                k for k in classes if k != norm and any(conflicting(d, o) for _, o in classes[k])
            ]
            if not others:
                continue
            main = max(others, key=lambda k: docs[k])
            orec, od = classes[main][0]
            count = docs[main]
            more = f" and {count - 1} more release{'s' if count > 2 else ''}" if count > 1 else ""
            related = [
                o.anchor.related(f"{o.acronym} = '{o.long}' here")
                for k in others
                for r, o in classes[k]
            ]
            yield ctx.diagnostic(
                d.anchor,
                f"{d.acronym} is expanded as '{d.long}' here but as '{od.long}' in "
                f"{orec.path}:{od.anchor.line}{more}",
                related=related[:20],
            )
