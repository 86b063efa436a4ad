"""Table-driven tests of ``prlint.checks.lib.filings``: deadlines, the reports that follow, the
references read from prose and the fiscal year end they imply."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from prlint.checks.lib.filings import (
    FilingRules,
    RulesError,
    best_fye,
    find_references,
    fiscal_year_end_votes,
    following,
    load_rules,
    newest_due,
    period_of,
    roll_weekend,
    rules_from,
    shift_period,
)

RULES = load_rules()
LA, AC, NA = "large-accelerated", "accelerated", "non-accelerated"
EVERY = (LA, AC, NA)
D = dt.date

# form, period end, category -> deadline (weekends are not moved)
DEADLINES = [
    ("10-K", D(2013, 12, 31), LA, D(2014, 3, 1)),  # a Saturday, kept
    ("10-K", D(2013, 12, 31), AC, D(2014, 3, 16)),
    ("10-K", D(2013, 12, 31), NA, D(2014, 3, 31)),
    ("10-K", D(2023, 12, 31), LA, D(2024, 2, 29)),  # leap year
    ("10-K", D(2023, 12, 31), AC, D(2024, 3, 15)),
    ("10-K", D(2023, 12, 31), NA, D(2024, 3, 30)),
    ("10-K", D(2022, 12, 31), LA, D(2023, 3, 1)),
    ("10-K", D(2024, 6, 30), LA, D(2024, 8, 29)),  # June fiscal year
    ("10-K", D(2024, 6, 30), AC, D(2024, 9, 13)),
    ("10-K", D(2024, 6, 30), NA, D(2024, 9, 28)),
    ("10-K", D(2024, 9, 30), LA, D(2024, 11, 29)),  # September fiscal year
    ("10-K", D(2024, 9, 30), AC, D(2024, 12, 14)),
    ("10-K", D(2024, 9, 30), NA, D(2024, 12, 29)),
    ("10-Q", D(2018, 9, 30), LA, D(2018, 11, 9)),
    ("10-Q", D(2018, 9, 30), AC, D(2018, 11, 9)),
    ("10-Q", D(2018, 9, 30), NA, D(2018, 11, 14)),
    ("10-Q", D(2024, 3, 31), AC, D(2024, 5, 10)),
    ("10-Q", D(2024, 3, 31), NA, D(2024, 5, 15)),
    ("10-Q", D(2023, 12, 31), LA, D(2024, 2, 9)),  # a December quarter (June fiscal year)
    ("20-F", D(2023, 12, 31), LA, D(2024, 4, 30)),  # four months, every category
    ("20-F", D(2023, 12, 31), NA, D(2024, 4, 30)),
    ("20-F", D(2024, 6, 30), NA, D(2024, 10, 31)),  # a month end stays a month end
    ("20-F", D(2010, 12, 31), NA, D(2011, 6, 30)),  # six months before December 15, 2011
    ("40-F", D(2023, 12, 31), LA, D(2024, 3, 30)),  # with the Canadian annual report
    ("40-F", D(2024, 3, 31), NA, D(2024, 6, 29)),
]


@pytest.mark.parametrize(("form", "end", "category", "due"), DEADLINES)
def test_deadline(form: str, end: dt.date, category: str, due: dt.date) -> None:
    assert RULES.deadline(form, end, category) == due


@pytest.mark.parametrize(
    ("day", "rolled"),
    [
        (D(2014, 3, 1), D(2014, 3, 3)),  # Saturday -> Monday
        (D(2014, 3, 2), D(2014, 3, 3)),  # Sunday -> Monday
        (D(2014, 3, 3), D(2014, 3, 3)),
        (D(2024, 3, 29), D(2024, 3, 29)),  # a Friday (holidays are not modelled)
    ],
)
def test_roll_weekend(day: dt.date, rolled: dt.date) -> None:
    assert roll_weekend(day) == rolled


def test_business_days_move_the_deadline() -> None:
    assert RULES.deadline("10-K", D(2013, 12, 31), LA, roll_weekends=True) == D(2014, 3, 3)


@pytest.mark.parametrize(
    ("end", "months", "expected"),
    [
        (D(2023, 2, 28), 12, D(2024, 2, 29)),  # month ends stay month ends (leap year)
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 6, 30), 3, D(2024, 9, 30)),
        (D(2024, 9, 30), 3, D(2024, 12, 31)),
        (D(2019, 9, 28), 12, D(2020, 10, 7)),  # 52/53 weeks: never too early
        (D(2024, 3, 15), 3, D(2024, 6, 15)),
    ],
)
def test_shift_period(end: dt.date, months: int, expected: dt.date) -> None:
    assert shift_period(end, months) == expected


# cited form, period end, fiscal year end -> the next (form, period end) reports
FOLLOWING = [
    ("10-K", D(2012, 12, 31), (12, 31), [("10-K", D(2013, 12, 31)), ("10-K", D(2014, 12, 31))]),
    ("20-F", D(2022, 12, 31), None, [("20-F", D(2023, 12, 31))]),
    (  # no 10-Q for the fourth quarter: the 10-K follows the third
        "10-Q", D(2018, 6, 30), (12, 31),
        [("10-Q", D(2018, 9, 30)), ("10-K", D(2018, 12, 31)), ("10-Q", D(2019, 3, 31))],
    ),
    ("10-Q", D(2024, 3, 31), (6, 30), [("10-K", D(2024, 6, 30)), ("10-Q", D(2024, 9, 30))]),
    ("10-Q", D(2024, 6, 30), (9, 30), [("10-K", D(2024, 9, 30)), ("10-Q", D(2024, 12, 31))]),
    ("10-Q", D(2024, 3, 31), None, [("10-Q or 10-K", D(2024, 6, 30))]),
    (  # the year end moved from June to December: six months, a transition report on 10-K
        "10-K", D(2023, 6, 30), (12, 31), [("10-K", D(2023, 12, 31)), ("10-K", D(2024, 12, 31))],
    ),
    (  # from October to December: two months go on a 10-Q, the next 10-K is the new year's
        "10-K", D(2023, 10, 31), (12, 31), [("10-K", D(2024, 12, 31)), ("10-K", D(2025, 12, 31))],
    ),
    (  # a quarter of the old fiscal year: the next quarter of the new one follows
        "10-Q", D(2024, 1, 31), (12, 31),
        [("10-Q", D(2024, 3, 31)), ("10-Q", D(2024, 6, 30)), ("10-Q", D(2024, 9, 30)),
         ("10-K", D(2024, 12, 31))],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("form", "end", "fye", "expected"), FOLLOWING)
def test_following(form: str, end: dt.date, fye: Any, expected: list[tuple[str, dt.date]]) -> None:
    got = following(form, end, fye, RULES)
    assert [(f.form, f.period_end) for f, _ in zip(got, expected, strict=False)] == expected


def test_an_unknown_fiscal_year_end_takes_the_later_deadline() -> None:
    filing = next(following("10-Q", D(2024, 3, 31), None, RULES))
    assert filing.forms == ("10-Q", "10-K")
    found = newest_due("10-Q", D(2024, 3, 31), None, D(2024, 9, 30), RULES, [LA])
    assert found is not None and found[1] == {LA: D(2024, 8, 29)}


# cited form, period end, fiscal year end, release date, categories, every -> newest due
NEWEST = [
    ("10-K", D(2012, 12, 31), (12, 31), D(2014, 3, 4), EVERY, False, ("10-K", D(2013, 12, 31))),
    ("10-K", D(2012, 12, 31), (12, 31), D(2014, 3, 4), EVERY, True, None),
    ("10-K", D(2012, 12, 31), (12, 31), D(2014, 3, 4), (NA,), False, None),
    ("10-K", D(2012, 12, 31), (12, 31), D(2014, 3, 1), (LA,), False, None),  # due that day
    ("10-K", D(2012, 12, 31), (12, 31), D(2014, 3, 2), (LA,), False, ("10-K", D(2013, 12, 31))),
    ("10-K", D(2022, 12, 31), (12, 31), D(2025, 4, 28), EVERY, True, ("10-K", D(2024, 12, 31))),
    ("10-Q", D(2018, 6, 30), (12, 31), D(2018, 11, 12), EVERY, False, ("10-Q", D(2018, 9, 30))),
    ("10-Q", D(2018, 6, 30), (12, 31), D(2018, 11, 12), (NA,), False, None),
    ("10-Q", D(2018, 6, 30), (12, 31), D(2018, 11, 12), (AC,), False, ("10-Q", D(2018, 9, 30))),
    ("10-Q", D(2023, 6, 30), (12, 31), D(2025, 8, 14), EVERY, True, ("10-Q", D(2025, 3, 31))),
    ("10-Q", D(2023, 6, 30), (12, 31), D(2025, 8, 14), EVERY, False, ("10-Q", D(2025, 6, 30))),
    ("20-F", D(2022, 12, 31), None, D(2024, 5, 1), EVERY, True, ("20-F", D(2023, 12, 31))),
    ("20-F", D(2022, 12, 31), None, D(2024, 4, 30), EVERY, False, None),
    ("40-F", D(2023, 12, 31), None, D(2025, 4, 2), (NA,), False, ("40-F", D(2024, 12, 31))),
]  # fmt: skip


@pytest.mark.parametrize(("form", "end", "fye", "on", "cats", "every", "expected"), NEWEST)
def test_newest_due(
    form: str, end: dt.date, fye: Any, on: dt.date, cats: tuple[str, ...], every: bool,
    expected: tuple[str, dt.date] | None,
) -> None:  # fmt: skip
    found = newest_due(form, end, fye, on, RULES, cats, every=every)
    assert ((found[0].form, found[0].period_end) if found else None) == expected
    if found:
        assert all(day < on for day in found[1].values()) or not every


# text -> (form, period end, fiscal year, amended, quarter) of each reference
REFERENCES = [
    ("our Form 10-K for the year ended December 31, 2012 and in our",
     [("10-K", D(2012, 12, 31), None, False, None)]),
    ("its Form 10-K/A for the fiscal year ended June 30, 2021.",
     [("10-K", D(2021, 6, 30), None, True, None)]),
    ("our Annual Report on Form 10-K for fiscal 2023.", [("10-K", None, 2023, False, None)]),
    ("the Company's 2023 Annual Report on Form 10-K.", [("10-K", None, 2023, False, None)]),
    ("its fiscal 2025 annual report on Form 40-F with the SEC",
     [("40-F", None, 2025, False, None)]),
    ("its annual report on Form 20-F for the year ended December 31, 2023, filed",
     [("20-F", D(2023, 12, 31), None, False, None)]),
    ("its Quarterly Report on Form 10-Q for the quarter ended March 31, 2024.",
     [("10-Q", D(2024, 3, 31), None, False, None)]),
    ("our Form 10-Q for the quarterly period ended June 30, 2018.",
     [("10-Q", D(2018, 6, 30), None, False, None)]),
    ("its quarterly report on Form 10-Q for the second quarter ended June 30, 2023, has been",
     [("10-Q", D(2023, 6, 30), None, False, 2)]),
    ("Quarterly Reports on Form 10-Q for the quarters ended March 31, 2024 and June 30, 2024.",
     [("10-Q", D(2024, 6, 30), None, False, None)]),
    ("our Form 10-K for the year ended December 31, 2017 and our Form 10-Q for the quarterly "
     "period ended June 30, 2018.",
     [("10-K", D(2017, 12, 31), None, False, None), ("10-Q", D(2018, 6, 30), None, False, None)]),
    ("its Annual Report on Form 0-K for the year ended December 31, 2022, which",
     [("10-K", D(2022, 12, 31), None, False, None)]),
    ("our Form 10K for the year ended December 31, 2022.",
     [("10-K", D(2022, 12, 31), None, False, None)]),
    ("the Form 10‑Q for the period ended September 30, 2024",  # a non-breaking hyphen
     [("10-Q", D(2024, 9, 30), None, False, None)]),
    ("in its Form 10-K filed with the SEC on March 5, 2024.", [("10-K", None, None, False, None)]),
    ("the Form 10-K for the year ended December 31, 2024 (the “2024 Form 10-K”)",
     [("10-K", D(2024, 12, 31), None, False, None)]),
    ("a Current Report on Form 8-K and a Form 6-K.", []),
    ("a Form 0-K was mentioned.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), REFERENCES)
def test_find_references(text: str, expected: list[tuple[Any, ...]]) -> None:
    refs = find_references(text, RULES)
    got = [(r.form, r.period_end, r.fiscal_year, r.amended, r.quarter) for r in refs]
    assert got == expected


def test_a_mangled_form_is_marked() -> None:
    (ref,) = find_references("Form 0-K for the year ended December 31, 2022", RULES)
    assert ref.mangled and ref.form == "10-K"


@pytest.mark.parametrize(
    ("text", "fye"),
    [
        ("Revenue for the fiscal year ended June 30, 2023 rose.", (6, 30)),
        ("Results for the third quarter of fiscal 2024 ended March 31, 2024.", (6, 30)),
        ("The Company's fiscal year ends September 30.", (9, 30)),
        ("Our Form 10-K for the year ended December 31, 2017.", (12, 31)),
        ("No period here.", None),
    ],
)
def test_fiscal_year_end(text: str, fye: Any) -> None:
    votes = fiscal_year_end_votes(text, find_references(text, RULES), RULES)
    assert best_fye(votes) == fye


@pytest.mark.parametrize(
    ("text", "fye", "earliest", "latest"),
    [
        ("Form 10-K for fiscal 2023", None, D(2023, 1, 31), D(2023, 12, 31)),
        ("Form 10-K for fiscal 2023", (6, 30), D(2023, 6, 30), D(2023, 6, 30)),
        ("Form 10-K for fiscal 2023", (1, 31), D(2023, 1, 31), D(2024, 1, 31)),  # retail years
        ("Form 10-Q for the third quarter of 2024", (12, 31), D(2024, 9, 30), D(2024, 9, 30)),
        ("Form 10-Q for the third quarter of 2024", None, D(2023, 10, 31), D(2024, 9, 30)),
        ("Form 10-Q for the third quarter of fiscal 2024", (6, 30), D(2024, 3, 31), D(2024, 3, 31)),
    ],
)
def test_period_of(text: str, fye: Any, earliest: dt.date, latest: dt.date) -> None:
    (ref,) = find_references(text, RULES)
    period = period_of(ref, fye)
    assert period is not None and (period.earliest, period.latest) == (earliest, latest)


def test_a_fiscal_quarter_without_a_fiscal_year_end_has_no_period() -> None:
    (ref,) = find_references("Form 10-Q for the third quarter of fiscal 2024", RULES)
    assert period_of(ref, None) is None


def _pack(forms: dict[str, Any]) -> dict[str, Any]:
    return {"__path__": "user.yaml", "filings": {"forms": forms}}


def test_a_pack_adds_a_form_without_code() -> None:
    rules = load_rules([_pack({"10-KT": {"period": "annual", "due": [{"days": {"all": 120}}]}})])
    assert isinstance(rules, FilingRules) and "10-KT" in rules.forms
    assert rules.deadline("10-KT", D(2023, 12, 31), NA) == D(2024, 4, 29)
    assert rules.deadline("10-K", D(2023, 12, 31), NA) == D(2024, 3, 30)  # built-ins kept


def test_packs_without_the_key_are_ignored() -> None:
    assert load_rules([{"__path__": "other.yaml", "facts": []}]).forms.keys() == RULES.forms.keys()


@pytest.mark.parametrize(
    "forms",
    [
        {"X": {"period": "monthly", "due": [{"days": {"all": 1}}]}},
        {"X": {"period": "annual", "due": []}},
        {"X": {"period": "annual", "due": [{"days": {"large-accelerated": 1}}]}},
        {"X": {"period": "quarterly", "annual": "Y", "due": [{"days": {"all": 1}}]}},
    ],
)
def test_bad_packs_are_refused(forms: dict[str, Any]) -> None:
    base = {"__path__": "b.yaml", "filings": {"categories": {LA: "a", AC: "b", NA: "c"}}}
    with pytest.raises(RulesError):
        rules_from([base, _pack(forms)])
