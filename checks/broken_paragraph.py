"""broken-paragraph: a sentence cut in two by a paragraph break."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import regex

from prlint.api import Check, CheckContext, Extraction, Severity
from prlint.document import Document, Span
from prlint.lazyregex import lazy

# The fragment stops on a word or a comma: no sentence or clause ends there (a number is
# too often a table cell or a footnote mark).
_OPEN_END = lazy(r"[\p{L},]$")
# The next paragraph goes on with an ordinary lower-case word (not "iPhone", "mRNA", an e-mail
# address, a domain or a URL).
_CONTINUES = lazy(r"^\p{Ll}+(?:['’-]\p{Ll}+)*(?=[\s,;)]|[.:!?](?!\S)|$)")
# Source lines that are structure, not running prose (a lone "o" before a capital: a word
# processor's second-level bullet).
_STRUCTURE = lazy(r"^[ \t]*(?:#|>|\||[-*+•·▪●◦]\s|o\s+\p{Lu}|\d{1,3}[.)]\s|[A-Za-z][.)]\s)")
_LINK_LIKE = lazy(
    r"@|://|\bwww\.|\.(?:com|net|org|io|co)\b|[(\[]at[)\]]", regex.IGNORECASE
)
_TABLE_ROW = lazy(r"\|.*\|")
_BREAK_SOURCE = lazy(r"(?:\s|</?(?:p|div|br)\b[^>]*>)*", regex.IGNORECASE)


def _source_line(doc: Document, offset: int) -> str:
    """The whole source line that holds a prose offset."""
    line = doc.line_of(offset)
    starts = doc.lines.starts
    end = starts[line] if line < len(starts) else len(doc.source)
    return doc.source[starts[line - 1] : end].rstrip("\r\n")


def _is_structure(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    shouting = len(letters) >= 4 and all(c.isupper() for c in letters)
    return bool(_STRUCTURE.match(line) or _TABLE_ROW.search(line)) or shouting


_SHORT = 6  # words
_LABEL = 3


def _words(text: str) -> int:
    return len(text.split())


def _is_title(para: str) -> bool:
    """A one-line paragraph in title case: a headline or a heading."""
    words = [w for w in para.split() if len(w) > 3 and w[0].isalpha()]
    if "\n" in para or not words:
        return False
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def find_breaks(doc: Document) -> Iterator[tuple[Span, Span]]:
    """Pairs (fragment, continuation) of consecutive paragraphs that form one sentence."""
    paras = doc.paragraphs
    for para, nxt in pairwise(paras):
        head = doc.span_text(para)
        tail = doc.span_text(nxt)
        if not _CONTINUES.match(tail):
            continue
        last_line = head.rsplit("\n", 1)[-1]
        if not last_line or not _OPEN_END.match(last_line, len(last_line) - 1):
            continue  # (tried on its last character only: the pattern is one before the end)
        first_line = tail.split("\n", 1)[0]
        opening = " ".join(first_line.split()[:2])
        if _LINK_LIKE.search(last_line.rsplit(None, 1)[-1]) or _LINK_LIKE.search(opening):
            continue  # contact blocks: a phone, an address, an e-mail or a web site
        if _is_title(head) or ("\n" not in head and _words(head) <= _LABEL):
            continue  # a headline, a heading or a label ("About naoo")
        if _words(last_line) < _SHORT and _words(first_line) < _SHORT:
            continue  # short lines on both sides: table cells, addresses
        if _is_structure(_source_line(doc, para.end - 1)) or _is_structure(
            _source_line(doc, nxt.start)
        ):
            continue
        yield para, nxt


def _snippet(text: str, *, tail: bool) -> str:
    words = text.split()
    return " ".join(words[-4:]) if tail else " ".join(words[:4])


class BrokenParagraph(Check):
    """A paragraph that ends mid-sentence and goes on in the next paragraph.

    A blank line slipped into a sentence (by a copy from PDF, a CMS or a wire feed) leaves a
    paragraph that stops on a word and a next one that starts in lower case. The finding is on
    the fragment's last line; ``--fix`` joins the two with a single space. Headlines,
    headings, list items, table rows, contact blocks (phones, e-mails, web sites), datelines
    and lines ending in ":" are not fragments.

    Passes::

        Patients with MZL, including patients with mucosa associated lymphoid tissue, must
        have received at least two prior lines of therapy.

    Fails::

        Patients with MZL, including patients with mucosa associated lymphoid

        tissue, must have received at least two prior lines of therapy.
    """

    name = "broken-paragraph"
    severity = Severity.WARNING
    summary = "a paragraph that ends mid-sentence and goes on in the next one"
    reads = ()
    safe_fixes = False  # joining paragraphs is a judgement

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        out = []
        for para, nxt in find_breaks(doc):
            # the source between the fragment's last character and the next one's first
            start = doc.source_span(para.end - 1, para.end)[1]
            anchor = doc.source_anchor(start, doc.source_span(nxt.start, nxt.start + 1)[0])
            fix = " " if _BREAK_SOURCE.fullmatch(anchor.text) else None
            end = _snippet(doc.span_text(para), tail=True)
            goes_on = _snippet(doc.span_text(nxt), tail=False)
            message = (
                f"paragraph breaks off mid-sentence at '…{end}' and goes on in the next paragraph"
                f" ('{goes_on}…', line {doc.line_of(nxt.start)}); join them"
            )
            out.append(ctx.diagnostic(anchor, message, fix=fix))
        return Extraction(diagnostics=out)
