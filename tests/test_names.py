"""Unit tests of :mod:`prlint.checks.lib.names`: the longer name a word is written in."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from prlint import lint
from prlint.checks.lib.names import _candidates, _slipping, _Stats, frame, name_words_of
from prlint.readers import parse


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("a radio show on Sundays, Style with Trysh quickly grew", "Trysh", "Style with _"),
        ("said Lukcy Farms Inc. today", "Lukcy", "_ Farms Inc"),
        ("the experience in Isaan—the northeast", "Isaan", "_"),
        ("a spokesperson for Nutriband.", "Nutriband", "_"),
        ("-- Beuline Holdings Inc. (NASDAQ: BLNE)", "Beuline", "_ Holdings Inc"),
        ("a launch by Acme of Boston, with", "Acme", "_ of Boston"),
        ("the Acme of the", "Acme", "_"),  # connectors must lead to a capitalised word
    ],
)
def test_frame_is_the_longer_name_around_a_word(text: str, word: str, expected: str) -> None:
    start = text.index(word)
    assert frame(text, start, start + len(word)) == expected


def test_name_words_carry_one_frame_per_use() -> None:
    doc = parse("a.txt", "Style with Trysh grew. Trysh said so, said Trysh Standley.\n")
    words, frames = name_words_of(doc)
    assert words["Trysh"] == [(11, 16), (23, 28), (43, 48)]
    assert frames["Trysh"] == ["Style with _", "_", "_ Standley"]


def test_the_words_around_a_name_are_read_as_the_patterns_read_them() -> None:
    """The string operations that read ASCII text agree with the patterns they stand for,
    on every position of texts mixing words, spaces, tabs, line breaks and separators."""
    import random

    from prlint.checks.lib import names

    rng = random.Random(11)
    alphabet = ["Acme", "of", "the", "&", "Inc.", " ", " ", "\t", "\n", "\r", "\x1c", "\x0b",
                ",", "é", "Ab\tcd", "x\x1cy", "Bio", "said", "Labs)", "Corp,", "and", "Étoile",
                "A&B", "’s", " ", " ", " "]  # fmt: skip
    for _ in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for pos in range(len(text) + 1):
            m = names._LEFT.search(text, max(0, pos - 40), pos)
            assert names._word_before(text, pos) == ((m.group(1), m.start(1)) if m else None)
            m = names._RIGHT.match(text, pos, pos + 40)
            assert names._word_after(text, pos) == ((m.group(1), m.end(1)) if m else None)
            # where frame() skips a side, that side has no word to read
            assert names._gap_before(text, pos) or names._word_before(text, pos) is None
            assert text[pos : pos + 1] in names._GAP or names._word_after(text, pos) is None
            left = names._name_side(text, pos, names._word_before, True)
            right = names._name_side(text, pos, names._word_after, False)
            assert (names._left_names(text, pos), names._right_names(text, pos)) == (left, right)
        piece = text[: rng.randint(0, 6)]
        assert names._name_piece(piece) == (names._NAME_PIECE.fullmatch(piece) is not None)


def test_capitalised_words_are_the_words_the_pattern_finds() -> None:
    """Trying the word pattern only where a token starts whose word is kept or that a hyphen
    follows finds the words the pattern finds over the whole text (those :func:`names._kept`
    keeps), on texts mixing cases, hyphens, separators and other scripts."""
    import random

    from prlint.checks.lib import names

    rng = random.Random(7)
    alphabet = ["Acme", "acme", "ACME", "Zeta", "zeta", "-", "--", " ", "\n", ".", "@", "#",
                "_", "/", "é", "É", "ß", "中", "x2", "Ⅻ", "²", "ʰ", "'", "Acme-", "Name--",
                "Zeta-2"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        doc = parse("a.txt", text)
        fast = [(w, s, e) for w, s, e in names._kept_words(doc)]
        full = [(m.group(), *m.span()) for m in names._WORD.finditer(doc.text)
                if names._kept(m.group())]  # fmt: skip
        assert fast == full, text


def test_a_common_name_words_slip_points_at_a_release_giving_the_name_before_its_ticker(
    tmp_path: Path,
) -> None:
    """'Companies' is kept in no release's words: the related location is the name written
    before the company's ticker in another release."""
    release = (
        "iMD Companies Reports Update {i}\n\n"
        "MIAMI, May {i}, 2025 -- {name}, Inc. (OTC: ICBU) today reported update {i}.\n\n"
        "About iMD Companies, Inc.\n\niMD Companies, Inc. is a holding company.\n"
    )
    for i, name in enumerate(["iMD Companies", "iMD Companies", "iMD Compaeis"], start=1):
        (tmp_path / f"r{i}.txt").write_text(release.format(i=i, name=name), encoding="utf-8")
    [d] = lint([str(tmp_path)], select=["company-name"], cache=False).diagnostics
    assert (Path(d.path).name, d.line, d.column, d.fix and d.fix.replacement) == (
        "r3.txt", 3, 27, "Companies"
    )
    [rel] = d.related
    assert (Path(rel.path).name, rel.line, rel.column, rel.message) == (
        "r1.txt", 3, 44, "'iMD Companies' given before its ticker here"
    )


def test_a_slip_copied_into_releases_is_a_slip_when_the_company_names_rarely_write_it() -> None:
    """A spelling in 4 of 7 releases is a name of its own unless the company's names write
    it in at most half as many releases as the name word."""
    stats = _Stats(
        docs=Counter({"Green": 7, "Greeen": 4}),
        uses=Counter({"Green": 7, "Greeen": 4}),
        named=Counter({"Green": 7, "Greeen": 1}),
    )
    assert list(_candidates("Green", stats)) == [("Greeen", 1)]
    stats.named["Greeen"] = 4
    assert list(_candidates("Green", stats)) == []
    stats.named["Greeen"] = 0  # never written as the company's name: a word of its own
    assert list(_candidates("Green", stats)) == []


def test_a_spelling_two_companies_use_is_a_slip_only_if_it_slips_for_both() -> None:
    users = {"gollden": {"a", "b"}, "goldex": {"a", "c"}}
    slipping = _slipping(users, {}, {}, {}, {"a": {"gollden", "goldex"}, "b": {"gollden"},
                                             "c": set()})  # fmt: skip
    assert slipping("gollden")
    assert not slipping("goldex")
