"""Judge one fact's values over time: conflicts, updates and stale copies.

A fact is stated by releases; each statement has a value class (statements whose values
agree share a class). :func:`judge` orders them by release date and says, per statement:

* ``conflict``: two values in one release (or two releases of one day); a release whose
  value is stated by no other release (a lone value) next to releases that disagree with it,
  unless it is one step of a figure that moves one way (optionally, steps some days apart);
  a value that comes back after another (flip-flop) when it never held;
* ``stale``: a release that repeats a value that held before the fact changed (an old copy);
* ``update``: the first release of a value that holds (two releases or more) after another
  value that held: the fact changed, which is not reported by default;
* ``""``: nothing to say.

Each verdict names the statements of the other side (``against``). Nothing here knows what a
fact is: callers give classes and, optionally, a number per class that orders values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

CONFLICT, STALE, UPDATE = "conflict", "stale", "update"
HELD = 2  # releases a value needs to hold


@dataclass(frozen=True)
class Point(Generic[T]):
    """One statement of a fact: its release, the release's date and its value class."""

    release: str
    date: dt.date | None
    cls: Hashable
    item: T


@dataclass
class Verdict(Generic[T]):
    """What the judge says of one statement."""

    point: Point[T]
    status: str = ""  # "", "conflict", "stale" or "update"
    against: list[Point[T]] = field(default_factory=list)
    since: dt.date | None = None  # for an update or a stale copy: when the value changed
    #: for a conflict: "same-time" (one release or day), "outlier" (between agreeing
    #: releases), "flip" (a value that comes back), or "lone" (a value no other release states,
    #: at an end of the history or between disagreeing releases)
    why: str = ""


@dataclass
class _Run(Generic[T]):
    cls: Hashable
    points: list[Point[T]]

    @property
    def support(self) -> int:
        return len({p.release for p in self.points})


def judge(
    points: Sequence[Point[T]],
    order: Callable[[Hashable], float | None] | None = None,
    step_days: int = 0,
) -> list[Verdict[T]]:
    """Verdicts for every point, in date order (undated releases last, by name). A figure
    moves one way only in steps at least ``step_days`` apart."""
    verdicts = {id(p): Verdict(p) for p in points}
    moments: dict[tuple[bool, dt.date, str], list[Point[T]]] = {}
    for p in points:
        key = (p.date is None, p.date or dt.date.min, p.release if p.date is None else "")
        moments.setdefault(key, []).append(p)
    runs: list[_Run[T]] = []
    for key in sorted(moments):
        group = moments[key]
        if len({p.cls for p in group}) > 1:  # two values in one release, or on one day
            for p in group:
                _mark(
                    verdicts[id(p)], CONFLICT, [q for q in group if q.cls != p.cls], why="same-time"
                )
            continue
        if runs and runs[-1].cls == group[0].cls:
            runs[-1].points.extend(group)
        else:
            runs.append(_Run(group[0].cls, list(group)))
    _judge_runs(runs, verdicts, order, step_days)
    return [verdicts[id(p)] for p in sorted(points, key=_when)]


def _when(p: Point[T]) -> tuple[bool, dt.date, str]:
    return (p.date is None, p.date or dt.date.min, p.release)


def _mark(
    v: Verdict[T],
    status: str,
    against: Sequence[Point[T]],
    since: dt.date | None = None,
    why: str = "",
) -> None:
    v.status, v.against, v.since, v.why = status, list(against), since, why


def _judge_runs(
    runs: list[_Run[T]],
    verdicts: dict[int, Verdict[T]],
    order: Callable[[Hashable], float | None] | None,
    step_days: int,
) -> None:
    held_values: set[Hashable] = set()  # values that held at some time
    seen: set[Hashable] = set()
    total: dict[Hashable, set[str]] = {}
    for run in runs:
        total.setdefault(run.cls, set()).update(p.release for p in run.points)
    current: _Run[T] | None = None  # the last run that was not suspect
    for i, run in enumerate(runs):
        prev = runs[i - 1] if i > 0 else None
        nxt = runs[i + 1] if i + 1 < len(runs) else None
        status, against, since, why = "", [], None, ""
        step = _step(runs, i, order, step_days) and not (nxt is not None and nxt.cls in seen)
        if current is not None and run.cls == current.cls:
            pass  # back to the value that holds, after an outlier
        elif (
            run.cls in held_values
            and current is not None
            and run.support >= max(HELD, current.support)
        ):
            # the value that held comes back and holds again: the change between was the slip
            back = [q for r in runs[:i] if r.cls == run.cls for q in r.points]
            for q in current.points:
                _mark(verdicts[id(q)], CONFLICT, [*back[-HELD:], *run.points], why="outlier")
        elif run.cls in seen:
            # a value that comes back: an old copy if it held, else a flip-flop
            status = STALE if run.cls in held_values else CONFLICT
            why = "flip"
            against = (  # every earlier statement of the value that holds, the latest included
                [q for r in runs[:i] if r.cls == current.cls for q in r.points]
                if current is not None
                else (prev.points if prev else [])
            )
            since = current.points[0].date if current is not None and status == STALE else None
        elif run.support >= HELD or step:
            if current is not None:
                status, against, since = UPDATE, current.points, run.points[0].date
        elif len(total[run.cls]) < HELD or (
            nxt is not None and current is not None and nxt.cls == current.cls
        ):
            status = CONFLICT  # a lone value, or a lone release between agreeing ones
            between = nxt is not None and current is not None and nxt.cls == current.cls
            why = "outlier" if between else "lone"
            against = [*(prev.points if prev else []), *(nxt.points if nxt else [])]
        elif current is not None:
            status, against, since = UPDATE, current.points, run.points[0].date
        seen.add(run.cls)
        if status in ("", UPDATE):
            if current is None or run.cls != current.cls:
                current = run
            if run.support >= HELD:
                held_values.add(run.cls)
        if status == UPDATE:
            _mark(verdicts[id(run.points[0])], UPDATE, against, since)
        elif status:
            for p in run.points:
                _mark(verdicts[id(p)], status, against, since, why)


def _step(
    runs: Sequence[_Run[T]],
    i: int,
    order: Callable[[Hashable], float | None] | None,
    days: int,
) -> bool:
    """Whether run ``i`` is one step of a figure that moves one way: the values of three
    consecutive runs around it (itself included) all go up, or all go down, and run ``i`` is at
    least ``days`` from its neighbours among them."""
    if order is None:
        return False
    for lo in (i - 2, i - 1, i):
        if lo < 0 or lo + 2 >= len(runs):
            continue
        vals = [order(r.cls) for r in runs[lo : lo + 3]]
        if any(v is None for v in vals) or not _apart(runs, i, lo, lo + 2, days):
            continue
        a, b, c = vals
        assert a is not None and b is not None and c is not None
        if a < b < c or a > b > c:
            return True
    return False


def _apart(runs: Sequence[_Run[T]], i: int, first: int, last: int, days: int) -> bool:
    """Whether run ``i`` starts at least ``days`` after the run before it ends and ends as
    long before the run after it starts, within runs ``first`` to ``last`` (undated runs are
    apart)."""
    for before, after in ((i - 1, i), (i, i + 1)):
        if before < first or after > last:
            continue
        end, start = runs[before].points[-1].date, runs[after].points[0].date
        if days and end is not None and start is not None and (start - end).days < days:
            return False
    return True


def near(point: Point[T], others: Sequence[Point[T]], days: int) -> list[Point[T]]:
    """The other statements at most ``days`` from a point in time (undated ones kept): a
    value that differs only from releases far from it is the fact's history, not a conflict."""
    if point.date is None:
        return list(others)
    return [q for q in others if q.date is None or abs((q.date - point.date).days) <= days]
