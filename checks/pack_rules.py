"""pack-rules: the ``existence`` and ``substitution`` rules of YAML packs, no Python needed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import regex

from prlint.api import Check, CheckContext, Diagnostic, Extraction, Severity
from prlint.corpus import Corpus
from prlint.document import Document
from prlint.packs import named_rules


@dataclass(frozen=True)
class Rule:
    """One compiled rule: what it matches and how its findings read."""

    name: str
    message: str
    patterns: tuple[regex.Pattern[str], ...]
    swap: Mapping[str, str]  # wrong (casefolded when ignorecase) -> right; empty: existence
    ignorecase: bool

    def replacement(self, found: str) -> str | None:
        if not self.swap:
            return None
        return self.swap.get(found.casefold() if self.ignorecase else found)


def _words(words: Sequence[str], flags: int) -> regex.Pattern[str]:
    """Whole words or phrases, longest first (so "e mail" wins over "e")."""
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return regex.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags)


def compile_rule(spec: Mapping[str, Any]) -> Rule:
    """A rule of a pack (validated by :mod:`prlint.packs`) ready to match."""
    ignorecase = bool(spec.get("ignorecase"))
    flags = regex.IGNORECASE if ignorecase else 0
    swap: dict[str, str] = dict(spec.get("swap") or {})
    patterns = []
    if swap:
        patterns.append(_words(list(swap), flags))
        if ignorecase:
            swap = {wrong.casefold(): right for wrong, right in swap.items()}
    if spec.get("tokens"):
        patterns.append(_words(spec["tokens"], flags))
    patterns += [regex.compile(p, flags) for p in spec.get("patterns") or ()]
    return Rule(spec["name"], spec["message"], tuple(patterns), swap, ignorecase)


_COMPILED: dict[str, tuple[Rule, ...]] = {}


def rules_of(ctx: CheckContext) -> tuple[Rule, ...]:
    """Every existence and substitution rule of the run's packs, compiled once per process."""
    specs = list(named_rules(ctx.packs).values())
    key = repr(specs)
    if key not in _COMPILED:
        _COMPILED[key] = tuple(compile_rule(s) for s in specs)
    return _COMPILED[key]


class PackRules(Check):
    """Rules written in YAML packs, without Python: words or patterns that must not appear
    (kind ``existence``) and words that must be written another way (kind ``substitution``,
    with a fix). Each finding is reported under its rule's name, which ``--select``,
    ``--ignore``, ``severity`` and suppression comments accept like a check's name; the
    rule's ``level`` is its default severity. prlint ships no such rule: name your packs in
    the config's ``packs``.

    A pack (``style/terms.yaml``)::

        rules:
          no-placeholder:
            kind: existence
            message: "placeholder '{match}' left in the text"
            level: error
            tokens: [TODO, TBD]
          e-mail:
            kind: substitution
            message: "write '{replacement}', not '{match}'"
            swap: {email: e-mail, Email: E-mail}

    Passes::

        Send questions by e-mail.

    Fails (``e-mail`` reports 'email', fix: ``e-mail``; ``no-placeholder`` reports 'TBD')::

        Send questions by email. Revenue was $TBD million.
    """

    name = "pack-rules"
    severity = Severity.WARNING
    summary = "existence and substitution rules of YAML packs, each reported under its name"
    reads = ()
    pack_kinds: ClassVar[tuple[str, ...]] = ("existence", "substitution")

    def configure(self, ctx: CheckContext) -> None:
        rules_of(ctx)  # compile at start-up: every pattern was checked when the pack loaded

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        """Every rule's matches, whatever the selection (the extraction is cached)."""
        found: list[Diagnostic] = []
        for rule in rules_of(ctx):
            spans: set[tuple[int, int]] = set()
            for pattern in rule.patterns:
                for m in pattern.finditer(doc.text):
                    if m.end() > m.start() and m.span() not in spans:
                        spans.add(m.span())
                        found.append(self._finding(doc, ctx, rule, m.start(), m.end()))
        return Extraction(facts=found or None)

    @staticmethod
    def _finding(doc: Document, ctx: CheckContext, rule: Rule, start: int, end: int) -> Diagnostic:
        text = doc.text[start:end]
        right = rule.replacement(text)
        message = rule.message.format(match=text, replacement=right or "")
        diag = ctx.diagnostic(doc.anchor(start, end), message, fix=right)
        return dataclasses.replace(diag, check=rule.name)

    def compare(self, corpus: Corpus, ctx: CheckContext) -> Iterator[Diagnostic]:
        """The selected rules' findings, with the severity the run gives each rule."""
        for _record, found in corpus.facts(self.name):
            for d in found:
                severity = ctx.rules.get(d.check)
                if severity is not None:
                    yield dataclasses.replace(d, severity=severity)
