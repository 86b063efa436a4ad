"""The outcome of a run: what the engine produces, the API returns and reporters render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prlint.api import Diagnostic, Insight, Severity

if TYPE_CHECKING:
    from prlint.companies import Company


@dataclass
class Result:
    """Findings of a run, what was skipped and why, and the source lines findings point at."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0
    errors: list[str] = field(default_factory=list)  # one line each: unreadable files, crashes
    notes: list[str] = field(default_factory=list)  # one line each, always shown (big files)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    undated: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds of work done in this run
    cache_hits: int = 0
    baselined: int = 0
    #: path -> line number -> the source line (without its line break) of each finding
    source_lines: dict[str, dict[int, str]] = field(default_factory=dict)
    #: what the checks learned per company, and the corpus's companies by key (tickers,
    #: releases, names, domains); both filled only when asked (``lint(insights=True)``)
    insights: list[Insight] = field(default_factory=list)
    companies: dict[str, Company] = field(default_factory=dict)
    #: the pack rules that reported findings under their own name: name -> the rule's
    #: "message", "level" and "link" (empty when the pack gives none), for reports that
    #: describe their rules (SARIF)
    rules: dict[str, dict[str, str]] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """The number of findings per severity."""
        counts = {s.value: 0 for s in Severity}
        for d in self.diagnostics:
            counts[d.severity.value] += 1
        return counts

    def fixable(self) -> tuple[int, int]:
        """(safe, unsafe): how many findings carry a fix ``--fix`` / ``--unsafe-fixes`` applies."""
        safe = sum(1 for d in self.diagnostics if d.fix is not None and d.fix.safe)
        unsafe = sum(1 for d in self.diagnostics if d.fix is not None and not d.fix.safe)
        return safe, unsafe

    def source_line(self, path: str, line: int) -> str | None:
        """The source line a finding points at, if the run kept it."""
        return self.source_lines.get(path, {}).get(line)
