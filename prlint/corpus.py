"""The corpus: every document's extracted facts, for the cross-release phase of checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from prlint.companies import Companies

T = TypeVar("T")


@dataclass
class DocRecord:
    """What the corpus phase knows of one document (never its whole text)."""

    path: str
    reported: bool  # False for reference files: read for comparison, not reported on
    release_date: dt.date | None = None
    company: str | None = None
    ticker: str | None = None
    folder: str = ""
    identity: Any = None  # prlint.companies.Identity: tickers, names, domains it gives itself
    facts: dict[str, Any] = field(default_factory=dict)  # check name -> facts


class Corpus:
    """All documents of a run, in path order, with a memo for shared indexes."""

    def __init__(self, records: list[DocRecord], company: dict[str, Any] | None = None) -> None:
        self.records = sorted(records, key=lambda r: r.path)
        self.by_path = {r.path: r for r in self.records}
        #: the ``company`` section of the config (names, domains, ...), empty when inferred
        self.company = company or {}
        self._memo: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.records)

    @property
    def companies(self) -> Companies:
        """The corpus's companies (:class:`prlint.companies.Companies`), built once."""
        found = self._memo.get("companies")  # asked for once per finding candidate: no import
        if found is None:
            from prlint.companies import Companies

            found = self.memo("companies", lambda: Companies(self.records, self.company))
        return found

    def facts(self, check: str) -> Iterator[tuple[DocRecord, Any]]:
        """(record, facts) of every document that has facts for ``check``, in path order."""
        for r in self.records:
            if check in r.facts and r.facts[check] is not None:
                yield r, r.facts[check]

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """Build a shared index once per run (e.g. the inferred company profile)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return,unused-ignore]

    def is_reported(self, path: str) -> bool:
        rec = self.by_path.get(path)
        return bool(rec and rec.reported)
