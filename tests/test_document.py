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
