"""Per-company insights of the entity checks: which spellings, domains and numbers each
company's releases give, and which of them the checks judged variants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from prlint.api import Diagnostic, Insight, InsightPoint
from prlint.corpus import Corpus

#: (company key, insight key) -> (value, path) -> (line, status)
Table = dict[tuple[str, str], dict[tuple[str, str], tuple[int, str]]]


def table() -> Table:
    return defaultdict(dict)


def add(t: Table, company: str, key: str, value: str, path: str, line: int, status: str) -> None:
    """One observation; a variant wins over a plain use of the same value in a release."""
    points = t[(company, key)]
    old = points.get((value, path))
    if old is None or (status == "variant" and old[1] != "variant") or line < old[0]:
        points[(value, path)] = (line if old is None else min(line, old[0]), status)


def flagged(diags: Iterable[Diagnostic]) -> dict[tuple[str, str], Diagnostic]:
    """The checks' findings by (path, text found), the first of each."""
    out: dict[tuple[str, str], Diagnostic] = {}
    for d in diags:
        out.setdefault((d.path, d.matched), d)
    return out


def emit(corpus: Corpus, topic: str, t: Table) -> Iterator[Insight]:
    """The table as insights, in company and key order, points in date then path order."""
    for (company, key), points in sorted(t.items()):
        rows = []
        for (value, path), (line, status) in points.items():
            rec = corpus.by_path.get(path)
            date = rec.release_date if rec is not None else None
            rows.append(InsightPoint(value, path, line, date, status))
        rows.sort(key=lambda p: (p.date is None, str(p.date or ""), p.path, p.value))
        yield Insight(company, topic, key, tuple(rows))
