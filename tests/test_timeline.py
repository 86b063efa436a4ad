"""Table-driven tests of the time judge (``checks/lib/timeline.py``)."""

from __future__ import annotations

import datetime as dt

import pytest

from prlint.checks.lib.timeline import Point, judge, near


def _points(spec: str) -> list[Point[int]]:
    """ "A A B|C": one release a month, "|" joins values stated by the same release."""
    out = []
    for month, release in enumerate(spec.split(), start=1):
        for cls in release.split("|"):
            out.append(Point(f"r{month}", dt.date(2024, month, 1), cls, month))
    return out


LEVEL = {"A": 10.0, "B": 20.0, "C": 30.0, "D": 40.0}

# values in date order -> status of each statement ("." nothing, c conflict, s stale, u update)
CASES = [
    ("A A A", "...", "one value throughout"),
    ("A A B B", "..u.", "a change that holds is an update"),
    ("A A B B A", "..u.s", "the old value after the update is a stale copy"),
    ("A A B B A A", "..cc..", "a change that the old value overturns again was the slip"),
    ("A A B A A", "..c..", "a lone outlier among agreeing neighbours"),
    ("A B A B", ".c.c", "a value that flips back and forth"),
    ("A A|B A", ".cc.", "two values in one release"),
    ("A B", "cc", "one against one: both sides"),
    ("A A A B", "...c", "a lone newest value is not yet an update"),
    ("B A A A", "c...", "a lone first value"),
    ("A B C D", ".uuu", "a figure that moves one way, one step a release"),
    ("A B C B", ".uc.", "a rise that falls back is an outlier, not a step"),
]


@pytest.mark.parametrize(("values", "want", "why"), CASES, ids=[c[2] for c in CASES])
def test_judge(values: str, want: str, why: str) -> None:
    verdicts = judge(_points(values), order=lambda c: LEVEL[str(c)])
    codes = {"": ".", "conflict": "c", "stale": "s", "update": "u"}
    assert "".join(codes[v.status] for v in verdicts) == want, why


def test_verdicts_name_the_other_side_and_the_date() -> None:
    stale = judge(_points("A A B B A"))[-1]
    assert stale.status == "stale"
    assert [p.release for p in stale.against] == ["r3", "r4"]
    assert stale.since == dt.date(2024, 3, 1)
    outlier = judge(_points("A A B A A"))[2]
    assert [p.release for p in outlier.against] == ["r1", "r2", "r4", "r5"]


def test_a_value_that_comes_back_is_set_against_the_latest_statements_of_the_value() -> None:
    flip = judge(_points("A B A A A B"))[-1]
    assert (flip.status, flip.why) == ("conflict", "flip")
    assert [p.release for p in flip.against] == ["r1", "r3", "r4", "r5"]


def test_without_an_order_no_value_is_a_step() -> None:
    assert [v.status for v in judge(_points("A B C"))] == ["conflict", "conflict", "conflict"]


NEAR_CASES = [
    (dt.date(2024, 6, 1), ["2024-01-01", "2024-11-30", "2025-06-01"], ["2024-01-01", "2024-11-30"]),
    (dt.date(2024, 6, 1), ["2023-06-01", "2025-06-01"], []),
    (None, ["2023-06-01"], ["2023-06-01"]),
]


@pytest.mark.parametrize(("when", "others", "want"), NEAR_CASES)
def test_near_keeps_statements_within_the_window(
    when: dt.date | None, others: list[str], want: list[str]
) -> None:
    point = Point("r0", when, "A", 0)
    pts = [Point(f"r{i}", dt.date.fromisoformat(d), "B", i) for i, d in enumerate(others, 1)]
    undated = Point("rx", None, "B", 9)
    kept = near(point, [*pts, undated], 183)
    assert [str(p.date) for p in kept if p.date] == want
    assert kept[-1] is undated  # an undated statement cannot be placed: it is kept


def test_a_step_days_from_the_values_around_it_is_a_slip() -> None:
    """C C, then B three days later, then A a month on: B is no step of a falling figure."""
    days = [(1, 1), (1, 15), (1, 18), (3, 1), (4, 1)]
    values = enumerate(zip(days, "CCBAA", strict=True))
    points = [Point(f"r{i}", dt.date(2024, *d), c, i) for i, (d, c) in values]
    order = lambda c: LEVEL[str(c)]  # noqa: E731
    assert [v.status for v in judge(points, order=order)] == ["", "", "update", "update", ""]
    spaced = judge(points, order=order, step_days=14)
    assert [(v.status, v.why) for v in spaced] == [
        ("", ""), ("", ""), ("conflict", "lone"), ("update", ""), ("", "")
    ]
