"""The public check API: what built-in and third-party checks are made of.

A check is a class registered in the ``prlint.checks`` entry-point group. It has two phases:

* ``extract(doc, ctx)`` runs once per document, in a worker process, and is cached by content
  hash. It must be a pure function of the document and the options. It returns an
  :class:`Extraction`: diagnostics that need no other release, and facts for the corpus
  phase, made of plain data (str, numbers, None, lists, tuples, dicts, sets, dates), enums and
  dataclasses defined in the check's package (what the cache can store: see prlint.codec).
  A dataclass of facts a run decodes for every release can be marked :func:`native`: msgspec
  then encodes and decodes it whole, in C, checked against its annotations.
* ``compare(corpus, ctx)`` runs once, in the main process, over the facts of every document of
  the corpus, and yields cross-release diagnostics. Group facts by key; never compare all pairs.

Positions are :class:`Anchor` objects made by :meth:`prlint.document.Document.anchor`: they are
resolved to (line, column) of the original file when extracted, so the corpus phase never
needs the documents themselves.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from prlint.codec import native as native  # re-exported: a part of the check API

if TYPE_CHECKING:
    from prlint.corpus import Corpus
    from prlint.document import Document


class Severity(str, enum.Enum):
    """How serious a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"{value!r} is not one of error, warning, info") from None


@dataclass(frozen=True, order=True, slots=True)
class Anchor:
    """A span of one document, resolved to positions in the original file (1-based)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int  # offset in the decoded source text
    end: int
    text: str  # the source text of the span

    def related(self, message: str) -> Related:
        return Related(self.path, self.line, self.column, message)


@dataclass(frozen=True, slots=True)
class Related:
    """Another location that takes part in a finding."""

    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace the source text between ``start`` and ``end`` (decoded-source offsets).

    ``safe`` fixes are applied by ``--fix``, the others only with ``--unsafe-fixes`` (ruff's
    model: a safe fix keeps the meaning, an unsafe one may change it). A fix never edits part
    of a URL, e-mail address, handle, ``$symbol``, hashtag, code span or markup, unless
    ``in_tokens`` (a check whose purpose is to fix such tokens, like a domain).
    """

    replacement: str
    start: int
    end: int
    safe: bool = True
    in_tokens: bool = False


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    check: str
    severity: Severity
    message: str
    matched: str = ""
    fix: Fix | None = None
    related: tuple[Related, ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.check, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report's shape of this finding."""
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.fix is not None:
            out["fix"] = {"replacement": self.fix.replacement}
        out["related"] = [
            {"path": r.path, "line": r.line, "column": r.column, "message": r.message}
            for r in self.related
        ]
        return out


@dataclass(slots=True)
class Extraction:
    """What a check's per-document phase returns: local findings and facts for later."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    facts: Any = None
    #: What the facts can be matched on across releases (texts, numbers or tuples of them),
    #: for a check whose ``compare`` finds nothing on a release from facts that share no key
    #: with that release's. A run that reports some releases only (one file of a corpus)
    #: then decodes and passes to ``compare`` the facts of the reported releases and of the
    #: releases sharing a key with one of them; the others' stay unread. None: no such
    #: promise (every release's facts, always).
    keys: frozenset[Any] | None = None


@dataclass(frozen=True)
class InsightPoint:
    """One observed value of an insight: what a release says, where and when."""

    value: str
    path: str
    line: int = 0
    date: dt.date | None = None
    #: how the check judged it: "" (plain), "canonical", "variant", "conflict", "update",
    #: "stale", "due", ... (free words; the report shows them)
    status: str = ""


@dataclass(frozen=True)
class Insight:
    """Something a check learned about one company of the corpus (for the corpus report).

    ``topic`` groups insights in the report ("names", "domains", "contacts", "facts",
    "filings", ...); ``key`` says what it is about (a canonical name, a fact's key);
    ``points`` are the observations, one per release and value, in date order.
    """

    company: str
    topic: str
    key: str
    points: tuple[InsightPoint, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Option:
    """One configurable option of a check: its default, its type and a line of help."""

    default: Any
    help: str
    type: type | tuple[type, ...] | None = None
    #: bounds of a numeric option; with none given, a number whose default is not negative
    #: must not be negative either
    minimum: float | None = None
    maximum: float | None = None

    def validate(self, value: Any) -> Any:
        """Return the value if it has the option's type and range, else raise ValueError."""
        self._check_type(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self._check_range(value)
        return value

    def _check_range(self, value: float) -> None:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"expected a finite number, got {value!r}")
        low = self.minimum
        if low is None and self.maximum is None and isinstance(self.default, (int, float)):
            low = 0 if self.default >= 0 and not isinstance(self.default, bool) else None
        if low is not None and value < low:
            raise ValueError(f"expected at least {low:g}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"expected at most {self.maximum:g}, got {value!r}")

    def _check_type(self, value: Any) -> None:
        expected = self.type if self.type is not None else type(self.default)
        if isinstance(expected, tuple):
            ok = isinstance(value, expected)
        elif expected is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif expected is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, expected)
        if not ok:
            names = (
                " or ".join(t.__name__ for t in expected)
                if isinstance(expected, tuple)
                else expected.__name__
            )
            raise ValueError(f"expected {names}, got {type(value).__name__} {value!r}")


@dataclass(frozen=True)
class CheckContext:
    """What a check sees besides the document: its options, severity and the shared config."""

    name: str
    severity: Severity
    options: Mapping[str, Any]
    company: Mapping[str, Any]
    allow: frozenset[str] = frozenset()
    packs: tuple[Mapping[str, Any], ...] = ()
    #: for a check that serves pack rules (``pack_kinds``): the rules the run selected, by
    #: name, with their severity
    rules: Mapping[str, Severity] = field(default_factory=dict)
    safe_fixes: bool = True  # the check's Check.safe_fixes
    fixes_tokens: bool = False  # the check's Check.fixes_tokens

    def diagnostic(
        self,
        anchor: Anchor,
        message: str,
        *,
        severity: Severity | None = None,
        fix: str | None = None,
        related: Sequence[Related] = (),
        safe: bool | None = None,
    ) -> Diagnostic:
        """A finding of this check on ``anchor``; ``fix`` replaces the anchor's text.

        ``safe`` overrides the check's ``safe_fixes`` for this one fix."""
        return Diagnostic(
            path=anchor.path,
            line=anchor.line,
            column=anchor.column,
            end_line=anchor.end_line,
            end_column=anchor.end_column,
            check=self.name,
            severity=severity or self.severity,
            message=message,
            matched=anchor.text,
            fix=(
                Fix(
                    fix,
                    anchor.start,
                    anchor.end,
                    safe=self.safe_fixes if safe is None else safe,
                    in_tokens=self.fixes_tokens,
                )
                if fix is not None
                else None
            ),
            related=tuple(related),
        )


class Check:
    """Base class of every check. Subclasses set the class attributes and override phases.

    The class docstring is the check's documentation (``prlint explain NAME``): say what it
    catches, then show a passing and a failing example.
    """

    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = ""
    options: ClassVar[Mapping[str, Option]] = {}
    #: Whether the corpus phase uses other releases (then reference files are read too).
    cross_release: ClassVar[bool] = False
    #: The other checks whose facts ``compare`` and ``insights`` read (``corpus.facts(NAME)``)
    #: besides the check's own; None: any. Checks that read only their own facts compare
    #: first, and a check's facts are let go once no check still to compare reads them.
    reads: ClassVar[tuple[str, ...] | None] = None
    #: Kinds of YAML pack rules this check reports, each finding under its rule's name (which
    #: ``--select``/``--ignore``, ``severity`` and suppressions then accept). ``ctx.rules``
    #: holds the selected rules with their severity; ``extract`` is cached whatever the
    #: selection, so it should find every rule's matches and ``compare`` keep the selected.
    pack_kinds: ClassVar[tuple[str, ...]] = ()
    #: Whether ``--fix`` applies this check's fixes (else only ``--unsafe-fixes`` does).
    safe_fixes: ClassVar[bool] = True
    #: Whether its fixes edit URLs, e-mail addresses or other tokens (a domain's spelling).
    fixes_tokens: ClassVar[bool] = False

    def configure(self, ctx: CheckContext) -> None:
        """Called once at start-up: validate options and packs (raise ``ConfigError``)."""

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        """Per-document phase: pure, run in a worker, cached by content hash."""
        return Extraction()

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Diagnostic]:
        """Corpus phase: cross-release findings from every document's facts."""
        return iter(())

    def insights(self, corpus: Corpus, ctx: CheckContext) -> Iterable[Insight]:
        """Optional: what this check learned per company (the HTML corpus report shows it).

        Called after ``compare`` on the same corpus, only when a report asks for it."""
        return iter(())


def iter_unique(diags: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    """Drop exact duplicate findings (same place, check and message)."""
    seen: set[tuple[str, int, int, str, str]] = set()
    for d in diags:
        if d.sort_key not in seen:
            seen.add(d.sort_key)
            yield d
