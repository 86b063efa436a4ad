"""Read a file into a :class:`Document`: decode, detect line endings, reduce markup to prose.

Plain text is kept as it is (newlines normalised). Markdown and HTML are reduced to prose,
with every piece of prose mapped back to its place in the original file, so findings point at
the source line and column. ``<!-- prlint: ... -->`` comments become suppressions.
"""

from __future__ import annotations

import codecs
import html
from pathlib import Path

import regex

from prlint.document import Document, LineIndex, TextBuilder
from prlint.kinds import (  # noqa: F401 - re-exported
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
)
from prlint.lazyregex import lazy


class ReadError(Exception):
    """A file that cannot be read or decoded; the message is one line naming the reason."""


class BinaryFileError(ReadError):
    """A file that holds binary data, not text."""


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text: BOMs first, then UTF-8, then cp1252. Returns (text, encoding).

    A BOM is a promise: bytes after it that break the promise are an error, not a guess."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ReadError(
                f"cannot decode: UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if len(data) % 2:
            raise ReadError(f"cannot decode: UTF-16 BOM but an odd number of bytes ({len(data)})")
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(
                f"cannot decode: UTF-16 BOM but {exc.reason} at byte {exc.start}"
            ) from None
    if b"\x00" in data[:8192]:
        raise BinaryFileError("binary file (NUL bytes), not a text release")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"cannot decode: not UTF-8, UTF-16 with BOM or cp1252 (byte {exc.start})"
        ) from None


def encode(text: str, encoding: str) -> bytes:
    """Encode text back in the encoding it was read with (BOMs included)."""
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def detect_newline(source: str) -> str:
    """The first line ending of the text: ``\\r\\n``, ``\\r`` or ``\\n``."""
    m = regex.search(r"\r\n|\r|\n", source)
    return m.group() if m else "\n"


def kind_of(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "txt"


def parse(path: str, source: str, *, kind: str = "txt", encoding: str = "utf-8") -> Document:
    """Build a Document from decoded source text."""
    newline = detect_newline(source)
    if kind == "md":
        return _MarkdownParser(path, source, encoding, newline).parse()
    if kind == "html":
        return _HtmlParser(path, source, encoding, newline).parse()
    builder = TextBuilder()
    _copy_normalising_newlines(builder, source, 0, len(source))
    return Document(
        path, source, builder.build(), builder.map, kind="txt", encoding=encoding, newline=newline
    )


_NEWLINE = lazy(r"\r\n?")


def _copy_normalising_newlines(builder: TextBuilder, source: str, start: int, end: int) -> None:
    pos = start
    for m in _NEWLINE.finditer(source, start, end):
        builder.copy(source, pos, m.start())
        builder.replace("\n", m.start(), m.end())
        pos = m.end()
    builder.copy(source, pos, end)


# -- suppression comments ------------------------------------------------------------------
_DIRECTIVE = lazy(
    r"^\s*+prlint\s*+:\s*+(ignore|disable|enable)\b([\w\-,\s]*+)$", regex.IGNORECASE
)


class _Suppressions:
    """Collects ``prlint: ignore/disable/enable`` directives into line regions."""

    def __init__(self) -> None:
        self.pending_ignore: list[tuple[int, frozenset[str]]] = []  # (comment end line, names)
        self.open_regions: list[tuple[int, frozenset[str]]] = []
        self.regions: list[tuple[int, int, frozenset[str]]] = []

    def directive(self, body: str, line: int, end_line: int) -> None:
        m = _DIRECTIVE.match(body)
        if not m:
            return
        verb = m.group(1).lower()
        names = frozenset(n.strip() for n in m.group(2).strip().split(",") if n.strip())
        if verb == "ignore":
            self.pending_ignore.append((end_line, names))
        elif verb == "disable":
            self.open_regions.append((line, names))
        else:
            for start, opened in self.open_regions:
                self.regions.append((start, line, opened))
            self.open_regions = []

    def finish(self, lines: LineIndex, source: str) -> list[tuple[int, int, frozenset[str]]]:
        """Resolve ``ignore`` to the next line with content; close regions at end of file."""
        starts = lines.starts
        for end_line, names in self.pending_ignore:
            target = end_line + 1
            while target <= len(starts):
                s = starts[target - 1]
                e = starts[target] if target < len(starts) else len(source)
                if source[s:e].strip():
                    break
                target += 1
            self.regions.append((target, target, names))
        for start, names in self.open_regions:
            self.regions.append((start, len(starts), names))
        return sorted(self.regions, key=lambda r: (r[0], r[1], sorted(r[2])))


# -- Markdown -------------------------------------------------------------------------------
# Every repeat is possessive, or stops at its own opening delimiter, so that no pattern scans
# the rest of a line again from each of many starting points (linear time on any input).
_FRONT_MATTER = lazy(
    r"\A---[ \t]*+(?:\r\n?|\n)(.*?(?:\r\n?|\n))?---[ \t]*+(?:\r\n?|\n|\Z)", regex.DOTALL
)
_FENCE = lazy(r"^[ \t]{0,3}(```|~~~)")
_HEADING = lazy(r"^[ \t]{0,3}#{1,6}[ \t]++")
_HEADING_TAIL = lazy(r"(?<![ \t])[ \t]++#++[ \t]*+$")
_SETEXT = lazy(r"^[ \t]{0,3}(?:=++|-++)[ \t]*+$")
_TABLE_RULE = lazy(
    r"^[ \t]*+\|?+[ \t]*+:?+-{2,}+:?+[ \t]*+(?:\|[ \t]*+:?+-{2,}+:?+[ \t]*+)*+\|?+[ \t]*+$"
)
_BLOCKQUOTE = lazy(r"^[ \t]{0,3}(?:>[ \t]?)++")
_HR = lazy(r"^[ \t]{0,3}([-*_])(?>[ \t]*+\1){2,}+[ \t]*+$")
#: what the first character of a line (after spaces) must be for each line pattern to match
_FENCE_STARTS = ("`", "~")
_RULE_STARTS = ("|", ":", "-", "*", "_")
_SETEXT_STARTS = ("=", "-")
_BLOCK_STARTS = (">", "#")
_INLINE = lazy(
    r"""
    (?P<comment><!--(?P<cbody>(?:[^<-]++|-(?!->)|<(?!!--))*+)-->)
  | (?P<image>!\[(?P<alt>[^\[\]]*+)\]\((?P<isrc>[^()\s]*+)(?:\s++"[^"]*+")?+\))
  | (?P<link>\[(?P<ltext>[^\[\]]*+)\]
      \((?P<url><[^<>]*+>|(?:[^()\s]++|\([^()\s]*+\))*+)(?:\s++"[^"]*+")?+\))
  | (?P<autolink><(?P<aurl>(?:https?|ftp|mailto):[^<>\s]++)>)
  | (?P<escape>\\(?P<echar>[!-/:-@\[-`{-~]))
  | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
  | (?P<tag></?[A-Za-z][A-Za-z0-9-]*+(?:\s[^<>]*+)?+/?>)
  | (?P<emph>(?<![\w\\])(?:\*\*|__|\*|_)(?=\S)|(?<=\S)(?:\*\*|__|\*|_)(?![\w]))
    """,
    regex.VERBOSE | regex.DOTALL,
)


class _MarkdownParser:
    """Reduces Markdown to prose; keeps link targets and suppression comments aside."""

    def __init__(self, path: str, source: str, encoding: str, newline: str) -> None:
        self.path, self.source, self.encoding, self.newline = path, source, encoding, newline
        self.builder = TextBuilder()
        self.links: list[tuple[str, int, int]] = []
        self.lines = LineIndex(source)
        self.suppress = _Suppressions()
        self.front_matter: dict[str, str] = {}

    def parse(self) -> Document:
        src = self.source
        pos = 0
        fm = _FRONT_MATTER.match(src)
        if fm:
            self._read_front_matter(fm.group(1) or "")
            pos = fm.end()
            self.builder.replace("\n", fm.start(), fm.end())
        in_fence = False
        while pos < len(src):
            nl = _NEWLINE_OR_LF.search(src, pos)
            line_end = nl.start() if nl else len(src)
            next_pos = nl.end() if nl else len(src)
            line = src[pos:line_end]
            # each pattern is tried only on a line whose first character (after spaces) it
            # can start with; a blank line has no markup and no prose
            first = line.lstrip(" \t")[:1]
            if not line:
                pass
            elif first in _FENCE_STARTS and _FENCE.match(line):
                in_fence = not in_fence
            elif in_fence or (
                first in _RULE_STARTS and (_TABLE_RULE.match(line) or _HR.match(line))
            ):
                pass  # code and rules are not prose
            elif (
                first in _SETEXT_STARTS
                and _SETEXT.match(line)
                and self.builder.last_char() not in ("", "\n")
            ):
                pass
            else:
                self._inline_line(pos, line_end, first in _BLOCK_STARTS)
            if nl:
                self.builder.replace("\n", nl.start(), nl.end())
            pos = next_pos
        doc = Document(
            self.path,
            src,
            self.builder.build(),
            self.builder.map,
            kind="md",
            encoding=self.encoding,
            newline=self.newline,
            links=self.links,
            suppressions=self.suppress.finish(self.lines, src),
            lines=self.lines,
        )
        doc.meta.front_matter = self.front_matter
        return doc

    def _read_front_matter(self, body: str) -> None:
        for raw in body.splitlines():
            key, sep, value = raw.partition(":")
            if sep and key.strip() and not key.startswith((" ", "\t")):
                self.front_matter[key.strip().lower()] = value.strip().strip("'\"")

    def _inline_line(self, start: int, end: int, block: bool = True) -> None:
        """The prose of one line; ``block``: it may open with a quote or heading marker."""
        src = self.source
        m = None
        if block:
            m = _BLOCKQUOTE.match(src, start, end) or _HEADING.match(src, start, end)
        if m:
            start = m.end()
            tail = _HEADING_TAIL.search(src, start, end)
            if tail and _HEADING.match(src, m.start(), end):
                end = tail.start()
        pos = start
        for tok in _INLINE.finditer(src, start, end):
            self.builder.copy(src, pos, tok.start())
            pos = tok.end()
            kind = tok.lastgroup
            if tok.group("comment") is not None:
                body = tok.group("cbody")
                self.suppress.directive(
                    body, self.lines.position(tok.start())[0], self.lines.position(tok.end())[0]
                )
            elif tok.group("image") is not None:
                continue
            elif tok.group("link") is not None:
                self.builder.copy(src, tok.start("ltext"), tok.end("ltext"))
                url = tok.group("url").strip("<>")
                self.links.append((url, tok.start("url"), tok.end("url")))
            elif tok.group("autolink") is not None:
                self.builder.copy(src, tok.start("aurl"), tok.end("aurl"))
            elif tok.group("escape") is not None:
                self.builder.replace(tok.group("echar"), tok.start(), tok.end())
            elif tok.group("entity") is not None:
                self.builder.replace(html.unescape(tok.group()), tok.start(), tok.end())
            elif tok.group("tag") is not None:
                if regex.match(r"<br\b", tok.group(), regex.IGNORECASE):
                    self.builder.replace("\n", tok.start(), tok.end())
            elif kind == "emph":
                continue
        self.builder.copy(src, pos, end)


_NEWLINE_OR_LF = lazy(r"\r\n|\r|\n")


# -- HTML -----------------------------------------------------------------------------------
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol tr table thead tbody tfoot section article header footer "  # noqa: SIM905
    "blockquote pre title main aside nav dl dt dd figure figcaption hr address td th".split()
)
_SKIP_TAGS = frozenset({"script", "style", "head", "noscript", "template", "svg"})


_HTML_TOKEN = lazy(
    r"""
    (?P<comment><!--)
  | <(?P<close>/)?+(?P<name>[A-Za-z][A-Za-z0-9:-]*+)
    (?P<attrs>(?:[^<>"']++|"[^"]*+"|'[^']*+')*+)>
  | (?P<decl><[!?][^<>]*+>)
  | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?+)
    """,
    regex.VERBOSE,
)
_RAW_TEXT_TAGS = frozenset({"script", "style"})  # their content is not markup
_HREF = lazy(r"""\bhref\s*+=\s*+(["']?+)([^"'\s>]++)\1""", regex.IGNORECASE)
_HTML_SPACE = lazy(r"[\r\n\t]")


class _HtmlParser:
    """Reduces HTML to prose: block elements become paragraphs, entities are decoded.

    A small tokenizer over the source (tags, comments, declarations, character references,
    text), linear in the size of the file, whose offsets are those of the source whatever its
    line endings. Text that is not well-formed markup (a lone ``<``) stays text.
    """

    def __init__(self, path: str, source: str, encoding: str, newline: str) -> None:
        self.path, self.source, self.encoding, self.newline = path, source, encoding, newline
        self.builder = TextBuilder()
        self.lines = LineIndex(source)
        self.suppress = _Suppressions()
        self.links: list[tuple[str, int, int]] = []
        self.skip_depth = 0
        self.in_pre = 0

    def parse(self) -> Document:
        src = self.source
        pos = 0
        while pos < len(src):
            tok = _HTML_TOKEN.search(src, pos)
            if tok is None:
                self._data(pos, len(src))
                break
            self._data(pos, tok.start())
            pos = self._token(tok)
        return Document(
            self.path,
            src,
            self.builder.build(),
            self.builder.map,
            kind="html",
            encoding=self.encoding,
            newline=self.newline,
            links=self.links,
            suppressions=self.suppress.finish(self.lines, src),
            lines=self.lines,
        )

    def _token(self, tok: regex.Match[str]) -> int:
        """Handle one token; returns where the text after it starts."""
        src = self.source
        if tok.group("comment") is not None:
            close = src.find("-->", tok.end())
            end = len(src) if close < 0 else close + 3
            body = src[tok.end() : close if close >= 0 else end]
            self.suppress.directive(
                body, self.lines.position(tok.start())[0], self.lines.position(end)[0]
            )
            return end
        if tok.group("entity") is not None:
            if not self.skip_depth:
                decoded = html.unescape(tok.group())
                if decoded == tok.group():
                    self._data(tok.start(), tok.end())
                else:
                    self.builder.replace(decoded, tok.start(), tok.end())
            return tok.end()
        if tok.group("decl") is not None:
            return tok.end()
        name = tok.group("name").lower()
        if tok.group("close"):
            self._end_tag(name, tok.start())
            return tok.end()
        self_closing = tok.group("attrs").rstrip().endswith("/")
        self._start_tag(name, tok, self_closing)
        if name in _RAW_TEXT_TAGS and not self_closing:  # skip to its end tag
            end = regex.compile(rf"</{name}\s*+>", regex.IGNORECASE).search(src, tok.end())
            if end is None:
                return len(src)
            self._end_tag(name, end.start())
            return end.end()
        return tok.end()

    def _tail(self) -> str:
        """The last two characters of the prose so far."""
        return "".join(self.builder.parts[-2:])[-2:] if self.builder.length else "\n\n"

    def _break(self, text: str, at: int) -> None:
        tail = self._tail()
        needed = text if not tail.endswith(text) else ""
        if text == "\n\n" and tail.endswith("\n") and not tail.endswith("\n\n"):
            needed = "\n"
        if needed:
            self.builder.replace(needed, at, at)

    def _start_tag(self, tag: str, tok: regex.Match[str], self_closing: bool) -> None:
        if tag in _SKIP_TAGS:
            if not self_closing:
                self.skip_depth += 1
            return
        if tag == "pre" and not self_closing:
            self.in_pre += 1
        if tag == "br":
            self._break("\n", tok.start())
        elif tag in _BLOCK_TAGS:
            self._break("\n\n", tok.start())
        if tag == "a":
            m = _HREF.search(self.source, tok.start("attrs"), tok.end("attrs"))
            if m:
                self.links.append((html.unescape(m.group(2)), m.start(2), m.end(2)))

    def _end_tag(self, tag: str, at: int) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "pre":
            self.in_pre = max(0, self.in_pre - 1)
        if tag in _BLOCK_TAGS:
            self._break("\n\n", at)

    def _data(self, start: int, end: int) -> None:
        if self.skip_depth or end <= start:
            return
        if self.in_pre:
            _copy_normalising_newlines(self.builder, self.source, start, end)
            return
        # whitespace runs collapse in HTML; keep lengths so offsets map one for one
        flat = _HTML_SPACE.sub(" ", self.source[start:end])
        if not flat.strip() and self.builder.last_char() in ("", "\n", " "):
            return
        self.builder.replace(flat, start, end)
