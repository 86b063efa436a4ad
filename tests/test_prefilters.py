"""The fast paths of the extraction find exactly what the plain passes they replace find.

Each fast path skips work a cheap test shows to be useless (a window with no month name, no
colon, no "@"; a line with no non-ASCII character near a stretch; text before no parenthesis);
these tests hold them to the plain pass on texts made to trip them up.
"""

from __future__ import annotations

import random

import pytest
from ftfy.badness import is_bad

from prlint.checks.acronym_conflict import _REVERSED, _reversed
from prlint.checks.lib.quantities import _NOT_QUANTITY, find_quantities, not_quantity_spans
from prlint.checks.text_artifact import _badness

_TRICKY = [
    "The meeting is on March 31, 2025 at 4:30 p.m. ET in Room 12.",
    "Call 1-800-555-0199 or +44 20 7946 0000, or (212) 838-3777 ext. 5.",
    "See www.example.com/a1 and ir@example-2.com; HTTPS://X.IO/9 too.",
    "CLR 131 and COVID-19 and GEO-CM04S1, ID# 49-001, No. 5, #7, Form 10-K.",
    "7. Item one\n8) Item two\n  - 9. Item three",
    "Offices at 123 Main St and 45 N. Grand Avenue, 2nd floor, 31st of May 2024.",
    "12/31/2024, 2024-06-30 and 30 June 2024; the 3rd, 21st and 102nd visits.",
    "ſt 5 and K 9 and İD 3: letters that case-fold to ASCII ones (ſeptember 4).",
    "Über 50 Patienten in 3 Zentren (Phase 2) – 12 Wochen – ab 1.200 €.",
    "[1] [22] (3) (444) 555 1234 and 604-681 -3170 and 5 am, 6 PM, 7 a.m.",
    "Revenue of $2.5 million, up 15% from $2.1 million; 80–160 days; 80 to 160 days.",
]


def _windows(text: str, rnd: random.Random, n: int) -> list[tuple[int, int]]:
    out = [(0, len(text))]
    for _ in range(n):
        lo = rnd.randrange(len(text) + 1)
        out.append((lo, rnd.randrange(lo, len(text) + 1)))
    return out


@pytest.mark.parametrize("text", _TRICKY)
def test_not_quantity_spans_are_the_single_patterns(text: str) -> None:
    rnd = random.Random(text)
    for lo, hi in _windows(text, rnd, 40):
        want = [m.span() for m in _NOT_QUANTITY.finditer(text, lo, hi)]
        assert list(not_quantity_spans(text, lo, hi)) == want, (lo, hi)


def test_quantities_skip_dates_phones_and_codes() -> None:
    text = "On March 31, 2025, call 212-838-3777 about CLR 131: 40 patients at 12 sites."
    found = [(q.text, q.unit) for q in find_quantities(text)]
    assert found == [("40", "patient"), ("12", "site")]


@pytest.mark.parametrize(
    "text",
    [
        "the Food and Drug Administration (FDA) and FDA (Food and Drug Administration)",
        "CLL/SLL (chronic lymphocytic leukemia) and AB  \n (a b c d) x",
        "X (y) ABC (long form of it) DEF(no space) GHI ( spaced ) JK (" + "z" * 130 + ")",
        "AB (first) CD (second) (third) EF (fourth",
    ],
)
def test_reversed_definitions_are_the_single_pattern(text: str) -> None:
    want = [m.span() + m.span("long") for m in _REVERSED.finditer(text)]
    assert [m.span() + m.span("long") for m in _reversed(text)] == want


@pytest.mark.parametrize(
    "line",
    [
        "Cellectarâ€™s drug",  # mojibake in the middle of a line
        "Â at the start",  # a pattern only the line's start can match
        "x" * 40 + " Â " + "y" * 40,  # the same inside a line
        "quotes “fine” and dashes — fine, 25 °C",
        "Ã\xa0 la carte",
    ],
)
def test_windowed_badness_is_ftfys(line: str) -> None:
    assert _badness()(line) == is_bad(line)
