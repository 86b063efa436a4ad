"""The per-document prefilters and tokens checks share (computed once per document)."""

from __future__ import annotations

from prlint.readers import parse

MARKDOWN = "# Acme Phase-2 results\n\nAcme, Inc. (Nasdaq: ACME) reported **COVID-19** data.\n"


def test_tokens_are_words_of_the_prose_with_their_offsets() -> None:
    doc = parse("a.md", MARKDOWN, kind="md")
    words = [(w, doc.text[s:e]) for w, s, e in doc.tokens]
    assert [w for w, _ in words] == ["Acme", "Phase-2", "results", "Acme", "Inc", "Nasdaq",
                                     "ACME", "reported", "COVID-19", "data"]  # fmt: skip
    assert all(w == at for w, at in words)
    covid = next(t for t in doc.tokens if t[0] == "COVID-19")
    anchor = doc.anchor(covid[1], covid[2])
    assert (anchor.line, anchor.column, anchor.text) == (3, 38, "COVID-19")  # after the **
    assert doc.tokens is doc.tokens  # one tokenisation, shared


def test_prefilters() -> None:
    doc = parse("a.txt", "No figures here (none at all).\n")
    assert "(" in doc.chars and "[" not in doc.chars
    assert not doc.has_digits
    assert parse("b.txt", "Revenue rose ٣ percent.\n").has_digits  # digits of any script
    assert parse("c.txt", "İstanbul ACME\n").lower == "i̇stanbul acme\n"


def test_memo_builds_once_per_document_and_key() -> None:
    calls: list[str] = []

    def words(d: object) -> int:
        calls.append("words")
        return len(parse("x.txt", "a b c\n").tokens)

    doc, other = parse("a.txt", "Acme\n"), parse("a.txt", "Acme\n")
    assert doc.memo("words", words) == doc.memo("words", words) == 3
    assert other.memo("words", words) == 3
    assert calls == ["words", "words"]  # once for each document, not once per call


def test_token_columns_are_the_tokens_split_in_three() -> None:
    for text in ("", "-", "a-b--c d", "é—ü ۱۲ 3- x", "ÅB-12-c-", MARKDOWN):
        doc = parse("a.txt", text)
        words, starts, ends = doc.token_columns
        assert list(zip(words, starts, ends, strict=True)) == doc.tokens
        assert all(doc.text[s:e] == w for w, s, e in doc.tokens)
    assert parse("a.txt", "a-b--c d").token_columns == (["a-b", "c", "d"], [0, 5, 7], [3, 6, 8])


def test_source_spans_map_as_source_span_does() -> None:
    """Copied text, replaced text (an entity, a link), synthetic text and empty spans."""
    html = "<p>Caf&eacute; <b>Acme</b> &amp; <a href='https://x.io'>Beta</a></p>\n<p>End.</p>"
    for path, source in (("a.md", MARKDOWN), ("a.html", html), ("a.txt", "plain\ntext\n")):
        doc = parse(path, source, kind=path.split(".")[1])
        n = len(doc.text)
        spans = [(s, e) for s in range(n + 1) for e in range(s, min(n, s + 7) + 1)]
        assert doc.source_spans(spans) == [doc.source_span(s, e) for s, e in spans]
