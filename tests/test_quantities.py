"""Unit tests of quantity extraction (``checks/lib/quantities.py``)."""

from __future__ import annotations

import pytest

from prlint.checks.lib.quantities import (
    Quantity,
    agree,
    codes,
    find_quantities,
    period_of,
    periods,
    statement_tokens,
)


def one(text: str) -> tuple[float, float, str, str]:
    (q,) = find_quantities(text)
    return q.low, q.high, q.unit, q.qualifier


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("a second dose approximately 80-160 days later", (80, 160, "day", "about")),
        ("a second dose 80 to 160 days later", (80, 160, "day", "")),
        ("a second dose between 80 and 160 days later", (80, 160, "day", "")),
        ("a second dose 80–160 days later", (80, 160, "day", "")),
        ("a dose of 25.0 mCi/m² infused", (25, 25, "mCi/m²", "")),
        ("receive 40mg oral dexamethasone", (40, 40, "mg", "")),
        ("a grant of $2.5 million from the NCI", (2.5e6, 2.5e6, "$", "")),
        ("revenue of $313K in the period", (313e3, 313e3, "$", "")),
        ("between $1 million and $2 million in cash", (1e6, 2e6, "$", "")),
        ("tested in more than 80 xenograft models", (80, 80, "xenograft", "over")),
        ("conducted in up to 15 centers", (15, 15, "center", "up to")),
        ("a 36-Patient Study", (36, 36, "patient", "")),
        ("a 15% share of the market", (15, 15, "%", "")),
        ("patients with type 2 diabetes", (2, 2, "label:type", "")),
        ("with over 30 U.S. patents issued", (30, 30, "patent", "over")),
        ("with over 97 U.S. and global patents", (97, 97, "", "over")),
    ],
)
def test_quantity_forms(text: str, want: tuple[float, float, str, str]) -> None:
    assert one(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "On March 31, 2025 the company met.",
        "Call 212-838-3777 or +44 20 7946 0000.",
        "The call starts at 4:30 p.m. ET.",
        "Use conference ID 13749321.",
        "In 2024 the board met.",
        "From 2020 – 2023 the firm grew.",
        "CLR 131 and COVID-19 and NCT02952508 and the Form 10-K.",
        "The 25th Annual Congress.",
        "See Allied Market Research.[1]",
        "Patients can visit 82 Dental for comprehensive care in the city.",
        "Contact: Chief Executive Officerir@acme.ai(727) 314-3717",
    ],
)
def test_numbers_that_are_no_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_offsets_are_offsets_of_the_whole_text() -> None:
    text = "Intro. Then approximately 80-160 days later."
    (q,) = find_quantities(text, 7)
    assert text[q.start : q.end] == "approximately 80-160 days"


def test_agree_allows_rounding_qualifiers_and_ranges() -> None:
    def q(text: str):  # type: ignore[no-untyped-def]
        return find_quantities(text)[0]

    assert agree(q("$5.0 million"), q("$5,012,000"))
    assert agree(q("nearly 60,000 people"), q("59,192 people"))
    assert agree(q("up to 15 centers"), q("approximately 10 centers"))
    assert agree(q("50-100 units"), q("80 units"))
    assert not agree(q("80-160 days"), q("75-180 days"))
    assert not agree(q("over 100 customers"), q("over 120 customers"))


def test_statement_tokens_mask_values_qualifiers_and_units() -> None:
    a = "PDCs have been tested in over 70 different xenograft models."
    b = "PDCs have been tested in more than 80 different xenograft models."
    ta = statement_tokens(a, find_quantities(a))
    assert ta == statement_tokens(b, find_quantities(b))
    assert "#" in ta and "70" not in ta


def test_period_of() -> None:
    assert period_of("Revenue for the three months ended March 31, 2025 was $3.2 million.") == (
        "march 31 2025",
        True,
    )
    assert period_of("The company holds 8 patents.") == ("", False)


@pytest.mark.parametrize(
    ("sentence", "bound"),
    [
        ("by offering a user-friendly tool at more than 100 national retailers", False),
        ("SKYX shares its 97 patents with partners", False),
        ("the offering of 5 million shares closed", True),
        ("the public offering a year ago raised $5 million", True),
        ("holders of common shares a day later", True),
    ],
)
def test_a_cue_word_used_as_a_verb_binds_no_period(sentence: str, bound: bool) -> None:
    assert period_of(sentence)[1] is bound


def test_periods_name_every_date_and_period_of_a_text() -> None:
    text = (
        "As of June 30, 2024, the network had 248 million accounts. In Q2 2025 it added 5 "
        "exchanges, and on March 3 it opened an office. Founded in 2001, it has 40 staff."
    )
    assert periods(text) == {"june 30 2024", "q2 2025", "march 3", "2001"}
    assert periods("The company holds 8 patents and 3 licences.") == frozenset()


def test_codes() -> None:
    assert codes("CLR 131 in trial NCT02952508 and GEO-CM04S1") == [
        "CLR131",
        "NCT02952508",
        "GEOCM04S1",
    ]


def _one(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("approximately 5,000 employees", "4,500 employees", False),
        ("approximately 5,000 employees", "4,800 employees", True),
        ("$2 million", "$2 billion", False),
        ("$2.0 million", "$2,000,000", True),
        ("15%", "15 days", False),
    ],
)
def test_marked_rounding_and_scale(a: str, b: str, same: bool) -> None:
    qa, qb = _one(a), _one(b)
    assert (qa.unit == qb.unit and agree(qa, qb)) is same


def test_a_range_of_days_in_a_month_is_a_date() -> None:
    found = find_quantities("The forum runs in Berlin, June 2-6, 2025, with over 5,500 guests.")
    assert [(q.text, q.unit) for q in found] == [("over 5,500", "guest")]
