"""The HTML corpus report: one self-contained page (inline CSS and JS, no network).

It shows a summary (files, findings per check and severity, the slowest checks), one section
per company built from the checks' insights (names and their variants, domains, contacts,
each fact as a timeline, filings), and the findings as a table that filters by check,
severity, company and file, each row with its source excerpt and links to related locations.

Everything is rendered server-side with Jinja2 and autoescaping: release text, file names and
messages are hostile input. The page's Content-Security-Policy allows only its own inline
script (by hash) and styles, so nothing a release smuggles in can run or reach the network.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markupsafe
import regex

from prlint import __version__
from prlint.api import Diagnostic, Insight, InsightPoint, Severity
from prlint.companies import Company
from prlint.engine import Result
from prlint.readers import ReadError, decode

#: findings shown per page of the table (the script pages through the rest)
PAGE_SIZE = 100
#: releases listed per value; the counts tell the rest
MAX_RELEASES = 8
#: points drawn per fact timeline (flagged points first, then the most recent)
MAX_POINTS = 60
#: companies shown with their insights (the rest: name and counts, in one list)
MAX_COMPANIES = 300
#: characters of context either side of a finding in its excerpt
CONTEXT = 90
#: topics drawn as timelines, and topics listed point by point (the rest: grouped by value)
TIMELINE_TOPICS = frozenset({"facts"})
POINT_TOPICS = frozenset({"facts", "filings"})
#: statuses that mean nothing is wrong (every other status is flagged in the report)
CALM = frozenset({"", "canonical", "current", "ok", "due", "update"})

_LINE_BREAK = regex.compile(r"\r\n|\r|\n")
_INVISIBLE = regex.compile(r"[\p{Cc}\p{Cf}]")
_WORD = regex.compile(r"[\w.@/:-]*\w")


# -- the view model ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Excerpt:
    """A source line clipped around a span: ``before``, ``match`` and ``after`` it."""

    line: int
    before: str
    match: str
    after: str


@dataclass
class RelatedView:
    path: str
    line: int
    column: int
    message: str
    href: str
    excerpt: Excerpt | None


@dataclass
class FindingView:
    number: int
    d: Diagnostic
    company: int  # index into the report's companies, -1 when unknown
    href: str  # the file
    excerpt: Excerpt | None
    related: list[RelatedView]
    hidden: bool


@dataclass
class ValueView:
    """One value of a key (a spelling, a domain, a phone number) and where it is used."""

    value: str
    status: str
    uses: int
    releases: list[tuple[str, str]]  # (path, href), at most MAX_RELEASES
    release_count: int


@dataclass
class PointView:
    value: str
    status: str
    date: str
    path: str
    line: int
    href: str


@dataclass
class Timeline:
    """Geometry of a fact's inline SVG: values as rows, release dates along x."""

    width: int
    height: int
    left: int
    rows: list[tuple[str, int]]  # (value, y)
    dots: list[tuple[float, int, str, str]]  # (x, y, status, tooltip)
    path: str  # the polyline through the dots in date order
    ticks: list[tuple[float, str]]  # (x, year)


@dataclass
class KeyView:
    key: str
    note: str
    values: list[ValueView] = field(default_factory=list)
    points: list[PointView] = field(default_factory=list)
    omitted: int = 0
    timeline: Timeline | None = None
    flagged: int = 0
    #: whether a value is used more than once in a release (else uses = releases: one column)
    show_uses: bool = False


@dataclass
class CompanyView:
    index: int
    name: str
    findings: int
    releases: int
    flagged: int
    topics: list[tuple[str, list[KeyView]]]
    tickers: list[str] = field(default_factory=list)
    domains: list[tuple[str, int]] = field(default_factory=list)  # (domain, releases)
    written: list[tuple[str, int]] = field(default_factory=list)  # (name as written, releases)


# -- rendering ------------------------------------------------------------------------------
def render(result: Result) -> str:
    """The report page for ``result`` (its insights fill the company sections)."""
    env = _environment()
    script = env.get_template("report.js").render()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    companies, more, company_of = _companies(
        result.insights, result.diagnostics, result.companies
    )
    findings = list(_findings(result.diagnostics, company_of))
    return env.get_template("report.html.j2").render(
        version=__version__,
        result=result,
        summary=result.summary(),
        checks=_per_check(result),
        slowest=sorted(result.timings.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        companies=companies,
        more_companies=more,
        company_filter=[c for c in companies + more if c.findings],
        findings=findings,
        page_size=PAGE_SIZE,
        filters=_filters(result.diagnostics),
        script=markupsafe.Markup(script),  # our own code, never data
        script_hash=digest,
        severities=[s.value for s in Severity],
    )


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("prlint.reporters", "templates"),
        autoescape=True,  # on for every template: file content is hostile
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _per_check(result: Result) -> list[tuple[str, dict[str, int], int, float]]:
    """(check, count per severity, total, seconds), most findings first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for d in result.diagnostics:
        counts[d.check][d.severity.value] += 1
    names = set(counts) | set(result.timings)
    rows = [
        (
            name,
            {s.value: counts[name][s.value] for s in Severity},
            sum(counts[name].values()),
            result.timings.get(name, 0.0),
        )
        for name in names
    ]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def _filters(diags: Sequence[Diagnostic]) -> dict[str, list[str]]:
    return {"checks": sorted({d.check for d in diags})}


# -- findings -------------------------------------------------------------------------------
def _findings(diags: Sequence[Diagnostic], company_of: dict[str, int]) -> Iterable[FindingView]:
    sources = _Sources()
    at = {(d.path, d.line, d.column): n for n, d in enumerate(diags)}
    for n, d in enumerate(diags):
        line = sources.line(d.path, d.line)
        # a finding that runs onto later lines is marked to the end of its first line
        end = d.end_column if d.end_line == d.line or line is None else len(line) + 1
        related = []
        for r in d.related:
            target = at.get((r.path, r.line, r.column))
            r_line = sources.line(r.path, r.line)
            related.append(
                RelatedView(
                    r.path,
                    r.line,
                    r.column,
                    r.message,
                    f"#f{target}" if target is not None else _href(r.path),
                    _excerpt(r_line, r.line, r.column, None) if r_line is not None else None,
                )
            )
        yield FindingView(
            number=n,
            d=d,
            company=company_of.get(d.path, -1),
            href=_href(d.path),
            excerpt=_excerpt(line, d.line, d.column, end) if line is not None else None,
            related=related,
            hidden=n >= PAGE_SIZE,
        )


def _excerpt(text: str, line: int, column: int, end_column: int | None) -> Excerpt:
    """The line around columns [column, end_column) (the word at ``column`` when None)."""
    shown = _INVISIBLE.sub("·", text.replace("\t", " "))
    start = min(max(column - 1, 0), len(shown))
    if end_column is None:
        word = _WORD.match(shown, start)
        end = word.end() if word else min(start + 1, len(shown))
    else:
        end = min(max(end_column - 1, start), len(shown))
    end = min(end, start + 2 * CONTEXT)
    lo = max(0, start - CONTEXT)
    hi = min(len(shown), end + CONTEXT)
    before = ("…" if lo else "") + shown[lo:start]
    after = shown[end:hi] + ("…" if hi < len(shown) else "")
    return Excerpt(line, before, shown[start:end], after)


@functools.lru_cache(maxsize=4096)
def _href(path: str) -> str:
    """A link that opens the file from the report (the report may be saved anywhere)."""
    try:
        return Path(path).resolve().as_uri()
    except ValueError:
        return ""


class _Sources:
    """Lines of the files findings point at; a few files are kept, findings come by path."""

    def __init__(self, keep: int = 64) -> None:
        self._lines: OrderedDict[str, list[str] | None] = OrderedDict()
        self._keep = keep

    def line(self, path: str, number: int) -> str | None:
        if path in self._lines:
            self._lines.move_to_end(path)
        else:
            try:
                text, _ = decode(Path(path).read_bytes())
                self._lines[path] = _LINE_BREAK.split(text)
            except (OSError, ReadError):
                self._lines[path] = None
            if len(self._lines) > self._keep:
                self._lines.popitem(last=False)
        lines = self._lines[path]
        return lines[number - 1] if lines is not None and 0 < number <= len(lines) else None


# -- companies ------------------------------------------------------------------------------
def _companies(
    insights: Sequence[Insight], diags: Sequence[Diagnostic], model: Mapping[str, Company]
) -> tuple[list[CompanyView], list[CompanyView], dict[str, int]]:
    """Company views in report order (most findings, then most flagged observations, then
    most releases first): the first MAX_COMPANIES with their insights, the rest as a name and
    counts only; and the company index of each release.

    A release belongs to its company in the corpus model (``model``: key → company); one the
    model leaves out, to the company most of its insights' observations are about."""
    by_company: dict[str, list[Insight]] = defaultdict(list)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    flagged: Counter[str] = Counter()
    for ins in insights:
        by_company[ins.company].append(ins)
        flagged[ins.company] += sum(p.status not in CALM for p in ins.points)
        for p in ins.points:
            votes[p.path][ins.company] += 1
    owner = {p: max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] for p, c in votes.items()}
    for key, member in model.items():
        owner.update(dict.fromkeys(member.releases, key))
    findings = Counter(owner[d.path] for d in diags if d.path in owner)
    owned = Counter(owner.values())
    names = {key: model[key].name if key in model else key for key in set(by_company) | set(model)}
    order = sorted(names, key=lambda k: (-findings[k], -flagged[k], -owned[k], names[k], k))
    index = {key: i for i, key in enumerate(order)}
    views = []
    for i, key in enumerate(order):
        company = model.get(key)
        views.append(
            CompanyView(
                index=i,
                name=names[key],
                findings=findings[key],
                releases=owned[key],
                flagged=flagged[key],
                topics=[],
                tickers=sorted(company.tickers) if company else [],
                domains=_top(company.domains) if company else [],
                written=_top(company.names) if company else [],
            )
        )
    for view, key in zip(views[:MAX_COMPANIES], order[:MAX_COMPANIES], strict=True):
        topics: dict[str, list[KeyView]] = defaultdict(list)
        for ins in by_company.get(key, ()):
            topics[ins.topic].append(_key_view(ins))
        view.topics = sorted(topics.items(), key=lambda kv: _topic_rank(kv[0]))
    return views[:MAX_COMPANIES], views[MAX_COMPANIES:], {p: index[c] for p, c in owner.items()}


def _top(counts: Counter[str], n: int = 6) -> list[tuple[str, int]]:
    """The ``n`` most counted items, ties by name."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _topic_rank(topic: str) -> tuple[int, str]:
    known = ["names", "domains", "contacts", "facts", "filings"]
    return (known.index(topic) if topic in known else len(known), topic)


def _key_view(ins: Insight) -> KeyView:
    view = KeyView(ins.key, ins.note, flagged=sum(p.status not in CALM for p in ins.points))
    if ins.topic in POINT_TOPICS and (view.flagged or len({p.value for p in ins.points}) > 1):
        points = _chosen_points(ins.points)
        view.omitted = len(ins.points) - len(points)
        view.points = [
            PointView(
                p.value, p.status, p.date.isoformat() if p.date else "", p.path, p.line,
                _href(p.path),
            )
            for p in points
        ]
        if ins.topic in TIMELINE_TOPICS:
            view.timeline = _timeline(points)
        return view
    grouped: dict[str, list[InsightPoint]] = defaultdict(list)
    for p in ins.points:
        grouped[p.value].append(p)
    for value, points in grouped.items():
        paths = sorted({p.path for p in points})
        statuses = Counter(p.status for p in points)
        view.values.append(
            ValueView(
                value=value,
                status=max(statuses.items(), key=lambda kv: (kv[1], kv[0]))[0],
                uses=len(points),
                releases=[(p, _href(p)) for p in paths[:MAX_RELEASES]],
                release_count=len(paths),
            )
        )
    view.show_uses = any(v.uses != v.release_count for v in view.values)
    view.values.sort(key=lambda v: (v.status in CALM, -v.uses, v.value))
    view.values.sort(key=lambda v: v.status != "canonical")  # the canonical value first
    return view


def _chosen_points(points: Sequence[InsightPoint]) -> list[InsightPoint]:
    """At most MAX_POINTS, in date order: every flagged point first, then the latest others."""
    if len(points) <= MAX_POINTS:
        return _by_date(points)
    flagged = [p for p in points if p.status not in CALM][:MAX_POINTS]
    calm = _by_date([p for p in points if p.status in CALM])
    return _by_date(flagged + calm[len(calm) - (MAX_POINTS - len(flagged)) :])


def _by_date(points: Iterable[InsightPoint]) -> list[InsightPoint]:
    return sorted(points, key=lambda p: (p.date is None, p.date or dt.date.min, p.path, p.line))


def _timeline(points: Sequence[InsightPoint]) -> Timeline | None:
    """Values as rows (in order of first appearance), releases placed by date along x."""
    dated = [p for p in points if p.date is not None]
    if not dated:
        return None
    values: list[str] = []
    for p in dated:
        if p.value not in values:
            values.append(p.value)
    row_h, top, left, plot = 26, 16, min(220, 12 + 7 * max(len(v) for v in values)), 520
    first, last = dated[0].date, dated[-1].date
    assert first is not None and last is not None
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return round(left + 10 + (plot - 20) * ((day - first).days / span), 1)

    y = {v: top + row_h * i for i, v in enumerate(values)}
    dots = []
    for p in dated:
        assert p.date is not None
        status = p.status or "plain"
        tip = f"{p.date.isoformat()}: {p.value} ({p.path}:{p.line})" + (
            f", {p.status}" if p.status else ""
        )
        dots.append((x(p.date), y[p.value], status, tip))
    line = " ".join(f"{dx},{dy}" for dx, dy, _, _ in dots)
    ticks = [
        (x(dt.date(year, 1, 1)), str(year))
        for year in range(first.year + 1, last.year + 1)
    ]
    if first.year == last.year or not ticks:
        ticks = [(x(first), first.isoformat())]
    return Timeline(
        width=left + plot + 10,
        height=top + row_h * len(values) + 14,
        left=left,
        rows=[(v, y[v]) for v in values],
        dots=dots,
        path=line,
        ticks=ticks,
    )
