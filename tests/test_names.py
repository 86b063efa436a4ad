"""Unit tests of :mod:`prlint.checks.lib.names`: the longer name a word is written in."""

from __future__ import annotations

import pytest

from prlint.checks.lib.names import frame, name_words_of
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
