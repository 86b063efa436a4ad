"""Insights of fact-conflict and stale-filing: what the corpus report shows per company."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from prlint import lint
from prlint.api import Check, Insight
from prlint.checks.fact_conflict import FactConflict
from prlint.checks.stale_filing import StaleFiling

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _insights(cls: type[Check], paths: list[str], **kw: Any) -> list[Insight]:
    """Run ``cls`` alone on ``paths``, asking for the insights of the corpus report."""
    return lint(paths, config={}, select=[cls.name], cache=False, jobs=1, insights=True,
                **kw).insights  # fmt: skip


def test_the_seeds_dose_window_conflict_shows() -> None:
    found = _insights(FactConflict, [str(SEEDS)])
    window = [i for i in found if i.key == "second dose window"]
    assert len(window) == 1
    (insight,) = window
    assert insight.topic == "facts"
    assert [(p.value, p.date, p.status) for p in insight.points] == [
        ("approximately 80-160 days", dt.date(2016, 10, 31), "conflict"),
        ("approximately 75-180 days", dt.date(2017, 12, 6), "conflict"),
    ]
    assert [Path(p.path).name for p in insight.points] == [
        "001_879c998c7b91c6ac.txt",
        "002_ba7f2a1d2902c788.txt",
    ]
    assert [p.line for p in insight.points] == [13, 15]


def test_the_seeds_stale_10k_shows() -> None:
    found = _insights(StaleFiling, [str(SEEDS)])
    tenk = [p for i in found if i.topic == "filings" and i.key == "Form 10-K" for p in i.points]
    stale = [(Path(p.path).name, p.line, p.value, p.status) for p in tenk if p.status]
    assert stale == [("003_ca580281ff3b7ae7.txt", 45, "the 10-K for fiscal 2012", "may be stale")]
