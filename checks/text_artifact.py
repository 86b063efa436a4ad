"""text-artifact: damage a release picked up on its way through editors, wires and scrapers."""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from prlint.api import Check, CheckContext, Diagnostic, Extraction, Severity
from prlint.document import Document
from prlint.lazyregex import lazy

# A backslash before ASCII punctuation (a Markdown escape), not itself escaped.
_ESCAPE = lazy(r"(?<!\\)\\([!-/:-@\[-`{-~])")
# An entity, with the ``amp;`` of each further level of encoding (``&amp;amp;``).
_ENTITY = lazy(
    r"&(?:amp;)*(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
# Runs of non-ASCII-space characters that hold at least one non-ASCII character (tried only
# where a run starts, possessively: a long ASCII word is scanned once).
_WORD = lazy(r"(?<![^ \t\n])[\x00-\x08\x0b-\x1f!-\x7f]*+[^\x00-\x7f][^ \t\n]*+")
_CONTROL = lazy(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
_INVISIBLE = lazy(r"[\u200b\u2060\ufeff\u00ad\u180e\u2061-\u2064]+")
# Joiners and direction marks have a job in emoji and in other scripts: only in Latin text
# are they artifacts.
_JOINER = lazy(r"[\u200c\u200d\u200e\u200f]+")
_LATIN_OR_COMMON = lazy(r"[\p{Latin}\p{Common}--\p{Extended_Pictographic}]", regex.V1)
_REPLACEMENT = lazy(r"\ufffd+")
_PAGE_BREAK = lazy(r"(?m)^\x0c$")
# One character of _CONTROL, or of _INVISIBLE and _JOINER: a quick test with the standard
# library's ``re`` before the finders' passes.
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ANY_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad\u180e\u2061-\u2064\u200c-\u200f]")


@dataclass(frozen=True)
class _Hit:
    start: int  # prose offsets
    end: int
    message: str
    fix: str | None
    parts: tuple[_Hit, ...] = ()  # the single findings a grouped one stands for


def _shown(text: str) -> str:
    """Text for a message, with invisible and control characters escaped."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _char_names(chars: str) -> str:
    seen = dict.fromkeys(chars)
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'control')}" for c in seen)


def _escapes(text: str) -> Iterator[_Hit]:
    for m in _ESCAPE.finditer(text):
        if m.group(1) == "\\":
            continue
        yield _Hit(
            m.start(), m.end(),
            f"Markdown escape '{m.group()}' left in the text; write '{m.group(1)}'",
            m.group(1),
        )  # fmt: skip


def _unescape_all(text: str) -> str:
    """Entities decoded until none is left (an entity encoded twice is decoded twice)."""
    for _ in range(16):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _entities(text: str) -> Iterator[_Hit]:
    for m in _ENTITY.finditer(text):
        decoded = _unescape_all(m.group())
        if decoded == m.group():
            continue
        shown = _char_names(decoded) if not decoded.isprintable() or decoded.isspace() else decoded
        yield _Hit(
            m.start(), m.end(), f"HTML entity '{m.group()}' left in the text; write '{shown}'",
            decoded,
        )  # fmt: skip


def _mojibake(text: str) -> Iterator[_Hit]:
    """Words that ftfy can decode again: text once read with the wrong encoding."""
    if text.isascii():  # ftfy's mojibake patterns all need a non-ASCII character
        return
    import ftfy  # imported on first use: a warm run, or ASCII releases only, need none

    is_bad = _badness()
    for line in _LINE.finditer(text):
        if line.group().isascii() or not is_bad(line.group()):
            continue
        for m in _WORD.finditer(line.group()):
            word = m.group()
            fixed = ftfy.fix_encoding(word)
            if fixed == word:
                continue
            head = 0
            while head < min(len(word), len(fixed)) and word[head] == fixed[head]:
                head += 1
            tail = 0
            while (
                tail < min(len(word), len(fixed)) - head
                and word[len(word) - 1 - tail] == fixed[len(fixed) - 1 - tail]
            ):
                tail += 1
            if len(fixed) - head - tail <= 0 < tail:
                tail -= 1  # show what a stray byte belongs to: 'Âµ' reads 'µ'
            bad, good = word[head : len(word) - tail], fixed[head : len(fixed) - tail]
            start = line.start() + m.start() + head
            yield _Hit(
                start, start + len(bad),
                f"mojibake '{_shown(bad)}' (text decoded with the wrong encoding);"
                f" should read '{good}'",
                good,
            )  # fmt: skip


_LINE = lazy(r"[^\n]+")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=1)
def _badness() -> Callable[[str], bool]:
    """ftfy's ``is_bad``, asked only about the stretches of a line around its non-ASCII
    characters when ftfy's pattern allows it: when each of its branches needs a non-ASCII
    character, spans at most a few characters and is anchored at most to the start."""
    from ftfy.badness import BADNESS_RE, is_bad

    width = _local_width(BADNESS_RE)
    if width is None:
        return is_bad

    def windowed(line: str) -> bool:
        reach = width - 1
        windows: list[list[int]] = []
        for m in _NON_ASCII_RUN.finditer(line):
            lo, hi = max(0, m.start() - reach), m.end() + reach
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
        # every match lies in one window; a window that starts inside the line may match
        # where only the line's start could ("^"): the whole line decides then
        return any(is_bad(line[lo:hi]) for lo, hi in windows) and is_bad(line)

    return windowed


def _local_width(pattern: re.Pattern[str]) -> int | None:
    """The most characters a match of ``pattern`` spans, when each of its branches holds a
    character that can only be non-ASCII and its only anchor is the text's start; else None."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]

        tree = parser.parse(pattern.pattern, pattern.flags)
        width = tree.getwidth()[1]
        if pattern.flags & (re.IGNORECASE | re.MULTILINE) or width > 64:
            return None
        ((op, (_, branches)),) = tree.data
        if op is not c.BRANCH:
            return None
        for branch in branches:
            if not any(_non_ascii_only(item, c) for item in branch.data):
                return None
            for op, av in branch.data:
                if op is c.AT and av is not c.AT_BEGINNING:
                    return None
                if op not in (c.LITERAL, c.IN, c.ANY, c.AT, c.MAX_REPEAT, c.MIN_REPEAT):
                    return None
                if op in (c.MAX_REPEAT, c.MIN_REPEAT) and any(
                    sub_op not in (c.LITERAL, c.IN, c.ANY) for sub_op, _ in av[2].data
                ):
                    return None
        return int(width)
    except Exception:  # another Python or ftfy: ask ftfy about whole lines
        return None


def _non_ascii_only(item: tuple[Any, Any], c: Any) -> bool:
    """Whether a parsed pattern item matches one character that is never ASCII."""
    op, av = item
    if op is c.LITERAL:
        return bool(av > 0x7F)
    if op is c.IN:
        return all((o is c.LITERAL and v > 0x7F) or (o is c.RANGE and v[0] > 0x7F) for o, v in av)
    return False


def _invisible(text: str) -> Iterator[_Hit]:
    """Invisible characters, one finding per line (a pasted paragraph can hold dozens)."""
    if not _ANY_INVISIBLE.search(text):
        return
    runs = [(m.start(), m.end()) for m in _INVISIBLE.finditer(text)]
    for m in _JOINER.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if _LATIN_OR_COMMON.match(before) and _LATIN_OR_COMMON.match(after):
            runs.append((m.start(), m.end()))
    runs.sort()
    i = 0
    while i < len(runs):
        j = i
        while j + 1 < len(runs) and "\n" not in text[runs[j][1] : runs[j + 1][0]]:
            j += 1
        start, end = runs[i][0], runs[j][1]
        chars = "".join(text[s:e] for s, e in runs[i : j + 1])
        count = f"{len(chars)} invisible characters" if len(chars) > 1 else "invisible character"
        kept = "".join(text[e : runs[k + 1][0]] for k, (_, e) in enumerate(runs[i:j], start=i))
        parts = tuple(
            _Hit(s, e, f"invisible character ({_char_names(text[s:e])}); delete", "")
            for s, e in runs[i : j + 1]
        )
        yield _Hit(start, end, f"{count} ({_char_names(chars)}); delete", kept, parts)
        i = j + 1


def _controls(text: str) -> Iterator[_Hit]:
    if not _ANY_CONTROL.search(text):
        return
    page_breaks = {m.start() for m in _PAGE_BREAK.finditer(text)}
    for m in _CONTROL.finditer(text):
        if m.start() in page_breaks:
            continue
        # a vertical tab or form feed stands for a break of some kind: no safe fix
        fix = None if regex.search(r"[\x0b\x0c]", m.group()) else ""
        yield _Hit(m.start(), m.end(), f"control character ({_char_names(m.group())})", fix)


def _replacement(text: str) -> Iterator[_Hit]:
    for m in _REPLACEMENT.finditer(text):
        yield _Hit(
            m.start(), m.end(),
            "replacement character U+FFFD: a character was lost when the text was decoded",
            None,
        )  # fmt: skip


def find_artifacts(text: str) -> list[_Hit]:
    """Artifacts in prose, first come first kept: a mojibake word hides its own controls; a
    group of invisible characters that overlaps an earlier finding (a control character
    between them) gives its single ones."""
    kept: list[_Hit] = []  # disjoint, sorted
    for finder in (_mojibake, _escapes, _entities, _replacement, _controls, _invisible):
        ends = [h.end for h in kept]
        added: list[_Hit] = []
        for hit in finder(text):
            if _free(hit, kept, ends, added):
                added.append(hit)
            else:
                added.extend(part for part in hit.parts if _free(part, kept, ends, added))
        kept = sorted(kept + added, key=lambda h: (h.start, h.end))
    return kept


def _free(hit: _Hit, kept: list[_Hit], ends: list[int], added: list[_Hit]) -> bool:
    """Whether ``hit`` overlaps no kept hit (sorted, with their ``ends``) and not the last
    one added (a finder yields its hits in order)."""
    i = bisect.bisect_right(ends, hit.start)  # the first kept hit ending after its start
    if i < len(kept) and kept[i].start < hit.end:
        return False
    return not (added and added[-1].end > hit.start and hit.end > added[-1].start)


class TextArtifact(Check):
    """Escaped markup, HTML entities, mojibake, control or zero-width characters in the prose.

    Releases pass through Word, wire services, CMSs and scrapers and come back with debris: a
    Markdown escape in plain text (``\\$2 million``), an HTML entity that was never decoded
    (``R&amp;D``, ``&#8217;``), mojibake (``Cellectarâ€™s``, found and repaired with ftfy),
    U+FFFD, control characters and invisible zero-width characters. Markup that the file's own
    format renders correctly (``\\$`` in Markdown, ``&amp;`` in HTML) is not a finding; the
    rendered prose is checked. ``--fix`` repairs every artifact with one clear reading.

    Passes::

        The grant of $2 million funds R&D at Cellectar’s labs.

    Fails::

        The grant of \\$2 million funds R&amp;D at Cellectarâ€™s labs.
    """

    name = "text-artifact"
    severity = Severity.WARNING
    summary = "escaped markup, HTML entities, mojibake, control or zero-width characters"
    reads = ()

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        out: list[Diagnostic] = []
        for hit in find_artifacts(doc.text):
            diag = self._diagnostic(doc, ctx, hit)
            if diag.fix is None and len(hit.parts) > 1:  # markup in between: one by one
                out.extend(self._diagnostic(doc, ctx, part) for part in hit.parts)
            else:
                out.append(diag)
        return Extraction(diagnostics=out)

    @staticmethod
    def _diagnostic(doc: Document, ctx: CheckContext, hit: _Hit) -> Diagnostic:
        anchor = doc.anchor(hit.start, hit.end)
        fix = hit.fix
        if fix is not None and anchor.text != doc.text[hit.start : hit.end]:
            # Markdown or HTML source: fix only a span that holds no markup but escapes, and
            # write an entity as the source must to show its character (``&amp;lt;`` becomes
            # ``&lt;``, which shows ``<``)
            if _rendered(anchor.text) != doc.text[hit.start : hit.end]:
                fix = None
            elif _ENTITY.fullmatch(doc.text[hit.start : hit.end]):
                fix = html.escape(fix, quote=False)
        return ctx.diagnostic(anchor, hit.message, fix=fix)


def _rendered(source: str) -> str:
    """What a markup-free span of Markdown or HTML source shows: escapes and entities undone."""
    return _SOURCE_ESCAPE.sub(r"\1", html.unescape(source))


_SOURCE_ESCAPE = lazy(r"\\([!-/:-@\[-`{-~])")
