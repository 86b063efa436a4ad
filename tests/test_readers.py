"""Reading releases: encodings, line endings, and positions in Markdown and HTML sources.

Findings come from the example plugin's ``example-word`` check (it flags ``TODO`` and ``XXX``),
so every expectation is exact and independent of the built-in checks.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from prlint import lint
from prlint.readers import BinaryFileError, ReadError, decode, encode, parse
from tests.engine_support import example_plugin, write  # noqa: F401

pytestmark = pytest.mark.usefixtures("example_plugin")
Row = tuple[str, int, int, int, int, str]


def found(*paths: Path) -> list[Row]:
    """(file name, line, column, end line, end column, matched text) of every finding."""
    result = lint([str(p) for p in paths], config={}, select=["example-word"], cache=False, jobs=1)
    assert not result.errors, result.errors
    return [
        (Path(d.path).name, d.line, d.column, d.end_line, d.end_column, d.matched)
        for d in result.diagnostics
    ]


def assert_points_at_word(raw: bytes, encoding: str, rows: list[Row]) -> None:
    """Each finding's line and column hold its word in the original file."""
    lines = raw.decode(encoding).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for _name, line, col, end_line, end_col, matched in rows:
        assert end_line == line
        assert lines[line - 1][col - 1 : end_col - 1] == matched


# -- decoding -------------------------------------------------------------------------------
TEXT = "Acme Café “quoted”\nsecond line TODO here\n\nthird XXX\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252"],
)
def test_decode_encodings(data: bytes, encoding: str) -> None:
    assert decode(data) == (TEXT, encoding)


def test_cp1252_fallback_keeps_smart_quotes() -> None:
    assert decode(b"caf\xe9 \x93hi\x94 \x96 \x80") == ("café “hi” – €", "cp1252")


def test_undecodable_bytes_raise_one_line_error() -> None:
    with pytest.raises(ReadError) as info:
        decode(b"ok \x81\x8d\x8f bytes \xff")
    assert str(info.value) == "cannot decode: not UTF-8, UTF-16 with BOM or cp1252 (byte 3)"


def test_nul_bytes_without_bom_are_binary() -> None:
    with pytest.raises(BinaryFileError):
        decode(b"PK\x03\x04\x00\x00binary")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encode_round_trips(encoding: str) -> None:
    data = encode(TEXT, encoding)
    assert decode(data) == (TEXT, encoding)


# -- line endings and encodings give the same positions --------------------------------------
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_positions_for_every_encoding_and_line_ending(
    tmp_path: Path, newline: str, encoding: str, suffix: str
) -> None:
    body = TEXT.replace("\n", newline)
    if suffix == ".html":
        body = body.replace("second", "<b>second</b>")
    f = tmp_path / f"release{suffix}"
    raw = encode(body, encoding)
    f.write_bytes(raw)
    rows = found(f)
    todo_column = 20 if suffix == ".html" else 13  # "<b>second</b> line TODO"
    assert [(r[1], r[2], r[5]) for r in rows] == [(2, todo_column, "TODO"), (4, 7, "XXX")]
    assert_points_at_word(raw, "utf-16" if encoding == "utf-16" else encoding, rows)


# -- Markdown ----------------------------------------------------------------------------------
MARKDOWN = """\
---
title: "TODO list"
date: 2024-03-05
---

# Acme TODO Heading #

Acme&nbsp;Corp. said **TODO** and _XXX_ today; see [the TODO page](https://acme.test/TODO "TODO").
\\*TODO\\* is escaped, &amp; TODO follows an entity, <span class="TODO">TODO</span> in a tag.
![TODO image](img/TODO.png) image alt text is not prose.

> quoted TODO

```
fenced TODO
```

| a | TODO |
|---|------|
Visit <https://acme.test/XXX> now.
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_markdown_positions_refer_to_the_source(tmp_path: Path, newline: str) -> None:
    raw = MARKDOWN.replace("\n", newline).encode("utf-8")
    f = tmp_path / "release.md"
    f.write_bytes(raw)
    rows = found(f)
    assert [(r[1], r[2], r[4], r[5]) for r in rows] == [
        (6, 8, 12, "TODO"),  # heading
        (8, 24, 28, "TODO"),  # after an entity and inside **bold**
        (8, 36, 39, "XXX"),  # inside _emphasis_
        (8, 57, 61, "TODO"),  # link text (the URL and title are not prose)
        (9, 3, 7, "TODO"),  # escaped \*
        (9, 28, 32, "TODO"),  # after &amp;
        (9, 71, 75, "TODO"),  # between inline tags (the attribute is not prose)
        (12, 10, 14, "TODO"),  # block quote
        (18, 7, 11, "TODO"),  # a table row (the rule line is skipped)
        (20, 26, 29, "XXX"),  # an autolink's URL is shown text
    ]
    assert_points_at_word(raw, "utf-8", rows)


def test_markdown_front_matter_and_links_keep_source_offsets() -> None:
    source = MARKDOWN.replace("\n", "\r\n")
    doc = parse("release.md", source, kind="md")
    assert doc.meta.front_matter == {"title": "TODO list", "date": "2024-03-05"}
    assert doc.newline == "\r\n"
    assert [url for url, _, _ in doc.links] == ["https://acme.test/TODO"]
    for url, start, end in doc.links:
        assert source[start:end] == url
    anchor = doc.source_anchor(*doc.links[0][1:])
    assert (anchor.line, anchor.column) == (8, 68)
    assert "\r" not in doc.text and "fenced" not in doc.text and "img/" not in doc.text


def test_markdown_front_matter_with_cr_line_endings() -> None:
    doc = parse("release.md", "---\rdate: 2024-01-02\r---\r# Title\r\rText TODO\r", kind="md")
    assert doc.meta.front_matter == {"date": "2024-01-02"}
    assert "date" not in doc.text
    start = doc.text.index("TODO")
    anchor = doc.anchor(start, start + 4)
    assert (anchor.line, anchor.column, anchor.text) == (6, 6, "TODO")


def test_markdown_line_markers() -> None:
    """Fences (``` and ~~~, indented), rules and table rules are not prose; blank lines, lines
    of spaces and lines that only start like a marker are."""
    source = ("Title\n=====\n\n  ~~~\nfenced TODO\n  ~~~\n***\n - - -\n   > quoted\n  ## Sub ##\n"
              " \t \nText -- more\n|:--|--:|\nSub\n---\n* item\n_x_ end\n")  # fmt: skip
    doc = parse("a.md", source, kind="md")
    assert doc.text == ("Title\n=====\n\n\n\n\n\n\n   > quoted\n  ## Sub ##\n \t \nText -- more\n\n"
                        "Sub\n\n* item\nx end\n")  # fmt: skip
    start = doc.text.index("more")
    assert doc.anchor(start, start + 4).text == "more"


# -- HTML --------------------------------------------------------------------------------------
HTML = """\
<!DOCTYPE html>
<html><head><title>Ignored TODO</title>
<style>p { content: "TODO" }</style></head>
<body>
<h1>Acme &amp; TODO</h1>
<p>First line with <a href="https://acme.test/TODO">a TODO link</a>
and &#8220;XXX&#8221; quoted.</p>
<script>var x = "TODO";</script>
<p>Caf&eacute; TODO<br>XXX</p>
</body></html>
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_html_positions_refer_to_the_source(tmp_path: Path, newline: str) -> None:
    raw = HTML.replace("\n", newline).encode("utf-8")
    f = tmp_path / "release.html"
    f.write_bytes(raw)
    rows = found(f)
    assert [(r[1], r[2], r[4], r[5]) for r in rows] == [
        (5, 16, 20, "TODO"),  # after an entity, inside a heading
        (6, 55, 59, "TODO"),  # link text (the href is not prose)
        (7, 12, 15, "XXX"),  # between numeric character references
        (9, 16, 20, "TODO"),  # after a named entity
        (9, 24, 27, "XXX"),  # after <br>
    ]
    assert_points_at_word(raw, "utf-8", rows)


def test_html_text_is_prose_without_markup() -> None:
    doc = parse("r.html", HTML, kind="html")
    assert "Acme & TODO" in doc.text
    assert "“XXX”" in doc.text
    assert "Café TODO\nXXX" in doc.text
    assert "var x" not in doc.text and "content:" not in doc.text and "Ignored" not in doc.text
    assert [url for url, _, _ in doc.links] == ["https://acme.test/TODO"]
    url, start, end = doc.links[0]
    assert HTML[start:end] == url


def test_paragraphs_and_sentences_are_spans_of_the_prose() -> None:
    doc = parse("r.txt", "Acme Inc. grew. Sales rose 5%.\r\n\r\nDr. Lee said so.\r\n")
    assert [doc.span_text(p) for p in doc.paragraphs] == [
        "Acme Inc. grew. Sales rose 5%.",
        "Dr. Lee said so.",
    ]
    assert [doc.span_text(s) for s in doc.sentences] == [
        "Acme Inc. grew.",
        "Sales rose 5%.",
        "Dr. Lee said so.",
    ]
    third = doc.sentences[2]
    assert doc.anchor(third.start, third.end).line == 3
