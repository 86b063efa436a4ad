"""mixed-style: two ways of writing the same thing inside one release (Phase 1 / Phase I).

The items are data: the ``consistency`` rules of YAML packs (built-in ``packs/styles.yaml`` and
the user's packs, after Vale's kind of that name), each a name and two or more style patterns.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import regex

from prlint.api import Check, CheckContext, Diagnostic, Extraction, Option, Severity
from prlint.config import ConfigError
from prlint.document import Document
from prlint.lazyregex import lazy

_ITEM_KEYS = frozenset({"name", "what", "styles", "ignore", "severity", "ranges"})
_NAME = lazy(r"[A-Za-z0-9][\w.\-]*")
# Possessive repeats, and an e-mail address starts only where a run of its characters does:
# no pattern rescans a long word from each of its characters.
_URL = lazy(r"(?:https?://|www\.)\S++|(?<![\w.+\-])[\w.+\-]++@[\w\-]++\.[\w.\-]++")
_QUOTE = lazy(r"“[^”]*+(?:”|$)|\"[^\"\n]*+(?:\"|$)")
_TABLE_LINE = lazy(r"^[^\n|]*+\|[^\n|]*+\|[^\n]*+$", regex.MULTILINE)


@dataclass(frozen=True)
class StyleItem:
    """One consistency rule: an item written in one of several named styles."""

    name: str
    what: str
    styles: tuple[tuple[str, regex.Pattern[str]], ...]
    ignore: regex.Pattern[str] | None
    severity: Severity | None
    source: str  # the pack file that defines it
    ranges: bool = False  # uses are number ranges: a pair that goes down is none (see goes_up)


def _compile(pattern: Any, where: str) -> regex.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f"{where}: must be a regular expression (a string), got {pattern!r}")
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise ConfigError(f"{where}: invalid regular expression: {exc}") from None


def parse_items(pack: Mapping[str, Any]) -> list[StyleItem]:
    """The ``styles:`` items of one parsed pack; ConfigError names the file and key."""
    path = pack.get("__path__", "pack")
    section = pack.get("styles")
    if not isinstance(section, list):
        raise ConfigError(f"{path}: 'styles' must be a list of items (name, styles)")
    items: list[StyleItem] = []
    for i, raw in enumerate(section):
        key = f"styles[{i}]"
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{path}: '{key}' must be a mapping with 'name' and 'styles'")
        unknown = sorted(set(map(str, raw)) - _ITEM_KEYS)
        if unknown:
            allowed = ", ".join(sorted(_ITEM_KEYS))
            raise ConfigError(f"{path}: '{key}.{unknown[0]}': unknown key; allowed: {allowed}")
        name = raw.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ConfigError(f"{path}: '{key}.name' must be a word (letters, digits, -): {name!r}")
        if any(item.name == name for item in items):
            raise ConfigError(f"{path}: '{key}.name': item '{name}' is defined twice")
        styles = raw.get("styles")
        if not isinstance(styles, Mapping) or len(styles) < 2:
            raise ConfigError(f"{path}: '{key}.styles' must map two or more styles to patterns")
        compiled = tuple(
            (str(style), _compile(pattern, f"{path}: '{key}.styles.{style}'"))
            for style, pattern in styles.items()
        )
        ignore = raw.get("ignore")
        severity = raw.get("severity")
        try:
            level = Severity.parse(severity) if severity is not None else None
        except (ValueError, AttributeError) as exc:
            raise ConfigError(f"{path}: '{key}.severity': {exc}") from None
        what = raw.get("what", name)
        if not isinstance(what, str):
            raise ConfigError(f"{path}: '{key}.what' must be a string, got {what!r}")
        ranges = raw.get("ranges", False)
        if not isinstance(ranges, bool):
            raise ConfigError(f"{path}: '{key}.ranges' must be true or false, got {ranges!r}")
        items.append(
            StyleItem(
                name=name,
                what=what,
                styles=compiled,
                ignore=_compile(ignore, f"{path}: '{key}.ignore'") if ignore is not None else None,
                severity=level,
                source=str(path),
                ranges=ranges,
            )
        )
    return items


def load_items(packs: Sequence[Mapping[str, Any]]) -> dict[str, StyleItem]:
    """Every pack's items by name; a later pack's item replaces an earlier one of that name."""
    out: dict[str, StyleItem] = {}
    for pack in packs:
        if "styles" in pack:
            out.update((item.name, item) for item in parse_items(pack))
    return out


def check_prefer(prefer: Mapping[str, Any], items: Mapping[str, StyleItem]) -> dict[str, str]:
    """The ``prefer`` option checked against the items: item name → one of its style names."""
    key = "checks.mixed-style.prefer"
    for name, style in prefer.items():
        if name not in items:
            raise ConfigError(f"'{key}.{name}': unknown item; known: {', '.join(sorted(items))}")
        names = [s for s, _ in items[name].styles]
        if style not in names:
            raise ConfigError(f"'{key}.{name}': unknown style {style!r}; known: {', '.join(names)}")
    return {str(k): str(v) for k, v in prefer.items()}


_RULES: dict[str, tuple[dict[str, StyleItem], dict[str, str]]] = {}


def rules(ctx: CheckContext) -> tuple[dict[str, StyleItem], dict[str, str]]:
    """The items and preferences of a run, validated once and cached per process."""
    packs = [p for p in ctx.packs if "styles" in p]
    prefer = ctx.options.get("prefer") or {}
    key = repr(([(p.get("__path__"), p.get("styles")) for p in packs], sorted(prefer.items())))
    if key not in _RULES:
        items = load_items(packs)
        _RULES[key] = (items, check_prefer(prefer, items))
    return _RULES[key]


class _PreferOption(Option):
    """``prefer``: a mapping of item names to style names (checked against packs later)."""

    def validate(self, value: Any) -> Any:
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ValueError(f"expected a mapping of item names to style names, got {value!r}")
        return dict(value)


@dataclass(frozen=True)
class Use:
    """One occurrence of a style in the prose."""

    style: str
    start: int
    end: int
    text: str


def _masked(doc: Document, quotes: bool) -> _Containment:
    """Prose spans that do not count: URLs, e-mail addresses, table rows and quotations."""
    spans = [(m.start(), m.end()) for m in _URL.finditer(doc.text)]
    spans += [(m.start(), m.end()) for m in _TABLE_LINE.finditer(doc.text)]
    if not quotes:
        for para in doc.paragraphs:
            for m in _QUOTE.finditer(doc.span_text(para)):
                spans.append((para.start + m.start(), para.start + m.end()))
    return _Containment(spans)


def find_uses(
    text: str, item: StyleItem, masked: Callable[[], _Containment], preferred: str | None = None
) -> list[Use]:
    """Every occurrence of each of the item's styles, outside masked and ignored spans.

    ``masked`` builds the masked spans, asked only when they matter: none are when the text
    holds one style only (or, with a ``preferred`` style, only that one), which reports nothing
    however many of its uses a mask would drop; an empty list is returned then."""
    found = [(style, m) for style, pattern in item.styles for m in pattern.finditer(text)]
    styles = {style for style, _ in found}
    if len(styles) < 2 if preferred is None else styles <= {preferred}:
        return []
    ignored = (
        _Containment([(m.start(), m.end()) for m in item.ignore.finditer(text)])
        if item.ignore is not None
        else None
    )
    mask = masked()
    uses = []
    for style, m in found:
        start, end = m.start(), m.end()
        if mask(start, end) or (ignored is not None and ignored(start, end)):
            continue
        if item.ranges and not goes_up(m.group()):
            continue
        uses.append(Use(style, start, end, m.group()))
    return sorted(uses, key=lambda u: (u.start, u.style))


_PAIR = lazy(r"(\d[\d.,]*)\D+(\d[\d.,]*)")
_THOUSANDS = lazy(r",(?=\d{3}(?!\d))")


def goes_up(text: str) -> bool:
    """Whether the two numbers of ``text`` make a range: the second above the first, or, from
    100, the first's last digits shortened (2022–24, 152–53). A pair that goes down is a
    score, a record or an identifier (24-16, 397-186, NIST 800-171, SR 11-7)."""
    m = _PAIR.search(text)
    if m is None:
        return True
    a, b = (_THOUSANDS.sub("", g).replace(",", ".").rstrip(".") for g in m.groups())
    try:
        low, high = float(a), float(b)
    except ValueError:
        return True
    if high > low:
        return True
    if a.isdigit() and b.isdigit() and len(b) < len(a) and low >= 100:  # 2022–24: 2024
        return int(a[: len(a) - len(b)] + b) > low  # (numbers below 100 keep every digit)
    return False


class _Containment:
    """Whether a span lies inside one of a set of spans, in logarithmic time."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the spans up to each one
        for _, e in ordered:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def __call__(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end


def minority(uses: Sequence[Use], preferred: str | None) -> tuple[str | None, list[Use]]:
    """(the release's style, the uses to report): the preferred style if one is configured,
    else the style used most; a tie goes to the style used first."""
    if preferred is not None:
        return preferred, [u for u in uses if u.style != preferred]
    counts: dict[str, int] = {}
    for u in uses:  # uses are in text order: insertion order is first use
        counts[u.style] = counts.get(u.style, 0) + 1
    if len(counts) < 2:
        return None, []
    major = max(counts, key=lambda s: counts[s])  # max keeps the first of equal counts
    return major, [u for u in uses if u.style != major]


class MixedStyle(Check):
    """Two styles of the same thing in one release, reported on the minority.

    The items come from YAML packs (``styles:``; the built-in ``packs/styles.yaml`` has trial
    phases, ticker spacing, percent, number-range dashes and a.m./p.m.). Within a release the
    style used most is taken as its style and each use of another style is reported; on a tie
    the style used first (often in the headline) wins. With ``prefer: {phase: arabic}`` every
    use of another style is reported, mixed or not. Quotations (speech, titles of papers) are
    someone else's words and do not count unless ``quotes: true``; URLs and table rows neither.

    Passes::

        Phase 2 data are due in 2025. The Phase 1 study completed enrolment.

    Fails (on ``Phase I``)::

        Phase 2 data are due in 2025. The Phase I study completed enrolment. The Phase 2
        study is enrolling.
    """

    name = "mixed-style"
    severity = Severity.WARNING
    summary = "two styles of the same thing in one release (Phase 1 / Phase I)"
    reads = ()
    options: ClassVar[Mapping[str, Option]] = {
        "prefer": _PreferOption(
            {}, "item name -> style to require (e.g. {phase: arabic}); every other is reported"
        ),
        "quotes": Option(False, "also count and report text inside quotation marks"),
    }

    def configure(self, ctx: CheckContext) -> None:
        """Validate the packs and the ``prefer`` option at start-up."""
        rules(ctx)

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        items, prefer = rules(ctx)
        quotes = bool(ctx.options.get("quotes"))
        built: list[_Containment] = []

        def masked() -> _Containment:  # built once, for the first item that needs it
            if not built:
                built.append(_masked(doc, quotes))
            return built[0]

        out: list[Diagnostic] = []
        for item in items.values():
            uses = find_uses(doc.text, item, masked, prefer.get(item.name))
            major, report = minority(uses, prefer.get(item.name))
            out.extend(self._report(doc, ctx, item, uses, major, report, item.name in prefer))
        return Extraction(diagnostics=out)

    @staticmethod
    def _report(
        doc: Document,
        ctx: CheckContext,
        item: StyleItem,
        uses: Sequence[Use],
        major: str | None,
        report: Sequence[Use],
        preferred: bool,
    ) -> Iterator[Diagnostic]:
        major_uses = [u for u in uses if u.style == major]
        counts = Counter(u.style for u in uses)
        tied = list(counts.values()).count(len(major_uses)) > 1  # the first used is taken
        related = []
        if major_uses:
            first = doc.anchor(major_uses[0].start, major_uses[0].end)
            related = [first.related(f"{major} style: '{major_uses[0].text}'")]
        for use in report:
            if preferred:
                why = f"the configured style is {major}"
            else:
                how = "first writes" if tied else "mostly writes"
                why = (
                    f"this release {how} {major} ('{major_uses[0].text}', "
                    f"{len(major_uses)} of {len(uses)} uses)"
                )
            yield ctx.diagnostic(
                doc.anchor(use.start, use.end),
                f"{item.what}: '{use.text}' is {use.style} style; {why}",
                severity=item.severity,
                related=related,
            )
