"""The Document model: prose text of a release with a map back to its original file.

``source`` is the decoded file exactly as it is (line endings kept). ``text`` is the prose a
check reads: newlines normalised to ``\\n`` and, for Markdown and HTML, the markup taken out.
``OffsetMap`` turns an offset in ``text`` into an offset in ``source``; ``LineIndex`` turns a
source offset into a 1-based (line, column). Checks work on ``text`` and call
:meth:`Document.anchor` to get positions in the original file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import TypeVar

import regex

from prlint.api import Anchor
from prlint.lazyregex import lazy

T = TypeVar("T")

_LINE_END = re.compile(r"\r\n?|\n")


class LineIndex:
    """Maps offsets of a source text to 1-based (line, column); CR, LF and CRLF end lines."""

    def __init__(self, source: str) -> None:
        self.starts = [0, *(m.end() for m in _LINE_END.finditer(source))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    @property
    def count(self) -> int:
        return len(self.starts)


class OffsetMap:
    """Piecewise map from prose offsets to source offsets.

    Built from segments ``(text_start, source_start, length)``: inside a segment, offsets move
    together; synthetic text (a segment of length 0 in the source) maps to its source point.
    """

    def __init__(self) -> None:
        self._text_starts: list[int] = []
        self._segments: list[tuple[int, int, int, int]] = []  # text_start, src_start, len, src_len

    def add(self, text_start: int, source_start: int, length: int, source_length: int) -> None:
        self._text_starts.append(text_start)
        self._segments.append((text_start, source_start, length, source_length))

    def to_source(self, offset: int, *, end: bool = False) -> int:
        """The source offset of a prose offset; ``end`` maps an exclusive end offset."""
        if not self._segments:
            return offset
        probe = offset - 1 if end and offset > 0 else offset
        i = max(bisect.bisect_right(self._text_starts, probe) - 1, 0)
        t0, s0, length, slen = self._segments[i]
        if length == slen:  # copied text: offsets move one for one
            return s0 + min(max(offset - t0, 0), length)
        # replaced text (an entity, a collapsed newline): the whole source span
        return s0 + slen if end else s0

    def to_source_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """``(to_source(start), to_source(end, end=True))`` of each prose span, an empty or
        reversed one mapped to its start, with :meth:`to_source` inlined for speed."""
        if not self._segments:
            return [(s, e if e > s else s) for s, e in spans]
        starts, segments = self._text_starts, self._segments
        find = bisect.bisect_right
        out = []
        for start, end in spans:
            i = find(starts, start) - 1
            t0, s0, length, slen = segments[i if i > 0 else 0]
            s = s0 + min(max(start - t0, 0), length) if length == slen else s0
            if end > start:
                i = find(starts, end - 1) - 1
                t0, s0, length, slen = segments[i if i > 0 else 0]
                e = s0 + min(max(end - t0, 0), length) if length == slen else s0 + slen
                out.append((s, e if e > s else s))
            else:
                out.append((s, s))
        return out


@dataclass
class TextBuilder:
    """Accumulates prose while recording where each piece came from in the source."""

    parts: list[str] = field(default_factory=list)
    map: OffsetMap = field(default_factory=OffsetMap)
    length: int = 0

    def copy(self, source: str, start: int, end: int) -> None:
        """Append ``source[start:end]`` unchanged."""
        if end <= start:
            return
        self.parts.append(source[start:end])
        self.map.add(self.length, start, end - start, end - start)
        self.length += end - start

    def replace(self, text: str, source_start: int, source_end: int) -> None:
        """Append ``text`` standing for ``source[source_start:source_end]``."""
        if not text:
            return
        self.parts.append(text)
        self.map.add(self.length, source_start, len(text), source_end - source_start)
        self.length += len(text)

    def last_char(self) -> str:
        for part in reversed(self.parts):
            if part:
                return part[-1]
        return ""

    def build(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class Span:
    """A half-open range ``[start, end)`` of the prose text."""

    start: int
    end: int


@dataclass
class DateMention:
    """A date the release states about itself, and where."""

    kind: str  # "header", "dateline", "front-matter", "file-name", "folder"
    date: dt.date
    anchor: Anchor
    weekday: str | None = None  # a weekday named with the date, if any
    slack: int = 0  # days it may differ from the release date (file dates, UTC timestamps)


@dataclass
class Metadata:
    """What is known about a release besides its text."""

    release_date: dt.date | None = None
    dates: list[DateMention] = field(default_factory=list)
    dateline: Anchor | None = None
    company: str | None = None
    ticker: str | None = None
    exchange: str | None = None
    front_matter: dict[str, str] = field(default_factory=dict)


#: a word of letters and digits, hyphenated compounds kept whole ("Phase-2", "COVID-19")
_TOKEN = lazy(r"[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*")
#: the same, captured: ``split`` returns the text between words and the words, alternating
_TOKEN_SPLIT = lazy(f"({_TOKEN.pattern})")
_DIGIT = lazy(r"\d")
_PARAGRAPH_BREAK = lazy(r"\n[ \t]*\n\s*")
_SENTENCE_END = lazy(
    r"""(?<=[.!?]["'”’)]?)\s+(?=["'“‘(]?[\p{Lu}\d])""",
)
_ABBREVIATION = lazy(
    r"""(?:\b(?:Inc|Corp|Co|Ltd|Mr|Mrs|Ms|Dr|Jr|Sr|St|No|Nos|vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|
    Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|Ph\.D|M\.D|e\.g|i\.e|etc|Mt|Ft|Gov|Rep|Sen|Prof|Gen)
    |\b\p{Lu})\.["'”’)]?$""",
    regex.VERBOSE,
)


class Document:
    """One release: its source, its prose, positions, paragraphs, sentences and metadata."""

    def __init__(
        self,
        path: str,
        source: str,
        text: str,
        offset_map: OffsetMap | None = None,
        *,
        kind: str = "txt",
        encoding: str = "utf-8",
        newline: str = "\n",
        links: list[tuple[str, int, int]] | None = None,
        suppressions: list[tuple[int, int, frozenset[str]]] | None = None,
        lines: LineIndex | None = None,
    ) -> None:
        self.path = path
        self.source = source
        self.text = text
        self.kind = kind
        self.encoding = encoding
        self.newline = newline
        self.map = offset_map or OffsetMap()
        self.lines = lines or LineIndex(source)
        #: (url, text_start, text_end) of Markdown/HTML link targets that are not in ``text``
        self.links = links or []
        #: (first_line, last_line, checks) regions where findings are silenced; empty = all
        self.suppressions = suppressions or []
        self.meta = Metadata()
        self._paragraphs: list[Span] | None = None
        self._sentences: list[Span] | None = None
        self._memo: dict[str, object] = {}

    # -- positions -------------------------------------------------------------------------
    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source offsets of a prose span."""
        if not self.map._segments:  # plain text: the prose is the source
            return start, max(end, start)
        s = self.map.to_source(start)
        e = self.map.to_source(end, end=True) if end > start else s
        return s, max(e, s)

    def source_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """:meth:`source_span` of each prose span, in one call (a hot loop maps hundreds)."""
        return self.map.to_source_spans(spans)

    def anchor(self, start: int, end: int) -> Anchor:
        """An :class:`Anchor` for the prose span ``[start, end)``."""
        s, e = self.source_span(start, end)
        starts = self.lines.starts  # LineIndex.position, inlined: the hottest call of a run
        line = bisect.bisect_right(starts, s) - 1
        end_line = bisect.bisect_right(starts, e, line) - 1
        return Anchor(
            self.path, line + 1, s - starts[line] + 1, end_line + 1, e - starts[end_line] + 1,
            s, e, self.source[s:e],
        )  # fmt: skip

    def source_anchor(self, start: int, end: int) -> Anchor:
        """An :class:`Anchor` for a span given in source offsets."""
        line, col = self.lines.position(start)
        end_line, end_col = self.lines.position(end)
        return Anchor(self.path, line, col, end_line, end_col, start, end, self.source[start:end])

    def line_of(self, offset: int) -> int:
        """The 1-based source line of a prose offset."""
        return self.lines.position(self.map.to_source(offset))[0]

    # -- shared prefilters and tokens: computed once, whichever check asks first ----------
    def memo(self, key: str, build: Callable[[Document], T]) -> T:
        """What several checks read from this document, built once by whichever asks first;
        ``key`` names the builder."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]  # type: ignore[return-value]

    @cached_property
    def chars(self) -> frozenset[str]:
        """The characters of the prose, for cheap prefilters: ``if "(" not in doc.chars``."""
        return frozenset(self.text)

    @cached_property
    def has_digits(self) -> bool:
        """Whether the prose holds a digit (of any script)."""
        return _DIGIT.search(self.text) is not None

    @cached_property
    def lower(self) -> str:
        """The prose in lower case (same length and offsets for the letters of most scripts;
        check ``len(doc.lower) == len(doc.text)`` before mapping offsets)."""
        return self.text.lower()

    @cached_property
    def tokens(self) -> list[tuple[str, int, int]]:
        """(word, start, end) of every word of letters and digits, hyphenated compounds
        kept whole, in one pass over the prose."""
        return list(zip(*self.token_columns, strict=True))

    @cached_property
    def token_columns(self) -> tuple[list[str], list[int], list[int]]:
        """The words of :attr:`tokens`, their starts and their ends, as three lists: one
        ``split`` of the prose (gaps and words alternate), offsets summed from the lengths
        of the pieces, no match object per word."""
        pieces = _TOKEN_SPLIT.split(self.text)
        bounds = list(accumulate(map(len, pieces)))
        return pieces[1::2], bounds[0:-1:2], bounds[1::2]

    # -- structure -------------------------------------------------------------------------
    @property
    def paragraphs(self) -> list[Span]:
        """Blocks of prose separated by blank lines, stripped of surrounding space."""
        if self._paragraphs is None:
            spans: list[Span] = []
            pos = 0
            for m in _PARAGRAPH_BREAK.finditer(self.text):
                spans.append(Span(pos, m.start()))
                pos = m.end()
            spans.append(Span(pos, len(self.text)))
            self._paragraphs = [s for s in (self._strip(s) for s in spans) if s.end > s.start]
        return self._paragraphs

    @property
    def sentences(self) -> list[Span]:
        """Sentences inside paragraphs (a paragraph's lines are joined, abbreviations kept)."""
        if self._sentences is None:
            out: list[Span] = []
            for para in self.paragraphs:
                out.extend(self._split_sentences(para))
            self._sentences = out
        return self._sentences

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence containing a prose offset."""
        sents = self.sentences
        i = bisect.bisect_right([s.start for s in sents], offset) - 1
        if 0 <= i < len(sents) and sents[i].start <= offset < max(sents[i].end, offset + 1):
            return sents[i]
        return None

    def iter_lines(self) -> Iterator[Span]:
        """Prose lines (split on ``\\n``)."""
        pos = 0
        for part in self.text.split("\n"):
            yield Span(pos, pos + len(part))
            pos += len(part) + 1

    def _strip(self, span: Span) -> Span:
        s, e = span.start, span.end
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        return Span(s, e)

    def _split_sentences(self, para: Span) -> Iterator[Span]:
        text = self.text[para.start : para.end]
        pos = 0
        for m in _SENTENCE_END.finditer(text):
            head = text[pos : m.start()]
            if _ABBREVIATION.search(head[-12:]):
                continue
            yield Span(para.start + pos, para.start + m.start())
            pos = m.end()
        if pos < len(text):
            yield Span(para.start + pos, para.end)
