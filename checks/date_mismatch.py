"""date-mismatch: stated dates of a release that disagree, and weekdays that do not match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from itertools import combinations
from typing import ClassVar

import regex

from prlint.api import Check, CheckContext, Diagnostic, Extraction, Option, Related, Severity
from prlint.document import DateMention, Document
from prlint.lazyregex import lazy
from prlint.metadata import MONTH_NAME, MONTHS, WEEKDAYS

_KIND_WORDS = {
    "header": "the header date",
    "dateline": "the dateline",
    "front-matter": "the front matter",
    "file-name": "the file name",
}
#: "Tuesday, March 5, 2025", "Tues., Nov. 12", "Monday Dec 29, 2025", "Friday, 7 March 2025"
_WEEKDAY_DATE = lazy(
    rf"""\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|
        (?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)(?:\.,?|,))\s*,?\s+(?:the\s+)?
    (?:(?P<month>{MONTH_NAME})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?
      |(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH_NAME}))
    (?![\d\-–]|\s*(?:and|&|to|through|or)\s+\d)(?:,?\s+(?P<year>(?:19|20)\d\d)(?!\d))?""",
    regex.VERBOSE,
)
#: a weekday right before, joined to this one: "Saturday and Sunday, November 1 and 2"
_LIST_BEFORE = lazy(
    r"(?:day|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?)\s*(?:and|&|or|to|through|[\-–—/])\s*$",
    regex.IGNORECASE,
)


class DateMismatch(Check):
    """Dates a release gives about itself that disagree: the header date, the dateline, the
    front matter's ``date:`` and a date in the file name; and a weekday named with a date
    that is not that date's weekday ("Thursday, March 14, 2025", a Friday).

    A file name, or a front-matter timestamp, may be a day off (time zones). Dated folders
    of an archive ("2024/1112/") only date an otherwise undated release: archives file by
    the day they published or imported a release, days or months after it. The finding is on
    the date that disagrees with the others (on the dateline when the file name does, or
    when two disagree), with the other side as related locations. A yearless "Tuesday, March
    5" takes the year that makes it nearest to the release date, or the first March 5 on or
    after it (an event to come): it is reported only if neither is a Tuesday (dates more
    than ``max-days-without-year`` days from the release are not judged).

    Passes (file ``2024-11-12_results.md``)::

        ATLANTA - (NewMediaWire) - Tuesday, November 12, 2024 - GeoVax Labs, Inc. ...

    Fails (file ``2024-11-14_results.md``: two days off; November 12, 2024 is a Tuesday)::

        ATLANTA - (NewMediaWire) - Wednesday, November 12, 2024 - GeoVax Labs, Inc. ...
    """

    name = "date-mismatch"
    severity = Severity.WARNING
    summary = "header, dateline, front-matter and file-name dates that disagree; wrong weekdays"
    reads = ()
    options: ClassVar[Mapping[str, Option]] = {
        "weekdays": Option(True, "check weekdays named with dates anywhere in the text"),
        "max-days-without-year": Option(
            200, "check 'Tuesday, March 5' (no year) only this close to the release date"
        ),
    }

    def extract(self, doc: Document, ctx: CheckContext) -> Extraction:
        diags = list(_disagreements(doc, ctx))
        if ctx.options.get("weekdays", True):
            diags.extend(_wrong_weekdays(doc, ctx, int(ctx.options["max-days-without-year"])))
        return Extraction(diagnostics=diags)


# -- stated dates that disagree -------------------------------------------------------------
def _agree(a: DateMention, b: DateMention) -> bool:
    return abs((a.date - b.date).days) <= max(a.slack, b.slack)


def _says(m: DateMention) -> str:
    """ "the dateline says Nov. 12, 2024 (2024-11-12)": as written, and unambiguous."""
    written = m.anchor.text.strip() if m.kind != "file-name" else ""
    shown = f"{written} ({m.date})" if written and written != str(m.date) else str(m.date)
    return f"{_KIND_WORDS.get(m.kind, m.kind)} says {shown}"


def _related(m: DateMention) -> Related:
    return m.anchor.related(_says(m))


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _disagreements(doc: Document, ctx: CheckContext) -> Iterator[Diagnostic]:
    """Findings for the stated dates that do not agree with the others."""
    mentions: list[DateMention] = []
    for kind in ("dateline", "header", "front-matter", "file-name"):
        mentions.extend([m for m in doc.meta.dates if m.kind == kind][:1])
    if len(mentions) < 2 or all(_agree(a, b) for a in mentions for b in mentions):
        return
    in_text = [m for m in mentions if m.kind != "file-name"]
    if not in_text:
        return
    cliques = _closest(_largest_cliques(mentions))
    if len(cliques) == 1 and len(cliques[0]) >= 2:
        group = cliques[0]
        for odd in (m for m in mentions if m not in group):
            at = odd if odd.kind != "file-name" else next(m for m in group if m.kind != "file-name")
            side = _join([_KIND_WORDS[m.kind] for m in group])
            message = f"{_says(odd)} but {side} say {group[0].date}"
            related = [_related(m) for m in [*group, odd] if m is not at]
            yield ctx.diagnostic(at.anchor, message, related=related)
        return
    at = in_text[0]
    others = [m for m in mentions if m is not at]
    message = f"{_says(at)} but {_join([_says(m) for m in others])}"
    yield ctx.diagnostic(at.anchor, message, related=[_related(m) for m in others])


def _closest(cliques: list[tuple[DateMention, ...]]) -> list[tuple[DateMention, ...]]:
    """Of sets that agree as well, those whose dates are closest (exact beats a day off)."""

    def spread(c: tuple[DateMention, ...]) -> int:
        return max(d.date.toordinal() for d in c) - min(d.date.toordinal() for d in c)

    best = min((spread(c) for c in cliques), default=0)
    return [c for c in cliques if spread(c) == best]


def _largest_cliques(mentions: list[DateMention]) -> list[tuple[DateMention, ...]]:
    """The largest sets of mentions that all agree with each other (agreement with a slack
    is not transitive: a folder date may agree with two dates that disagree)."""
    for size in range(len(mentions), 0, -1):
        found = [
            c
            for c in combinations(mentions, size)
            if all(_agree(a, b) for a, b in combinations(c, 2))
        ]
        if found:
            return found
    return []


# -- weekdays -------------------------------------------------------------------------------
def _weekday_index(name: str) -> int | None:
    key = name.lower().rstrip(".,")[:3]
    return next((i for i, w in enumerate(WEEKDAYS) if w.startswith(key)), None)


def _candidates(month: int, day: int, release: dt.date, max_days: int) -> list[dt.date]:
    """The dates a yearless "March 5" may be: the one nearest the release date and the first
    on or after it (an event to come), if within ``max_days``; the nearest first."""
    dates = []
    for year in (release.year - 1, release.year, release.year + 1):
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not dates:
        return []
    nearest = min(dates, key=lambda d: abs((d - release).days))
    ahead = [d for d in dates if d >= release]
    out = [nearest] + ([ahead[0]] if ahead and ahead[0] != nearest else [])
    return [d for d in out if abs((d - release).days) <= max_days]


def _wrong_weekdays(doc: Document, ctx: CheckContext, max_days: int) -> Iterator[Diagnostic]:
    """Findings for "Tuesday, March 5, 2025" where March 5, 2025 is not a Tuesday; a
    yearless "Tuesday, March 5" counts only if neither its nearest nor its next date fits."""
    release = doc.meta.release_date
    for m in _WEEKDAY_DATE.finditer(doc.text):
        if _LIST_BEFORE.search(doc.text, max(0, m.start() - 24), m.start()):
            continue  # "Saturday and Sunday, November 1 and 2": days of a list
        wanted = _weekday_index(m.group("weekday"))
        month = MONTHS.get(m.group("month").lower().rstrip("."))
        if wanted is None or month is None:
            continue
        day = int(m.group("day"))
        if m.group("year"):
            try:
                dates = [dt.date(int(m.group("year")), month, day)]
            except ValueError:
                continue
            inferred = ""
        elif release is not None:
            dates = _candidates(month, day, release, max_days)
            inferred = f" (the year taken from the release date {release})"
        else:
            continue
        if not dates or any(d.weekday() == wanted for d in dates):
            continue
        date = dates[0]
        actual = WEEKDAYS[date.weekday()].capitalize()
        said = m.group("weekday").rstrip(".,")
        message = f"'{said}' does not match {date}{inferred}, which is a {actual}"
        yield ctx.diagnostic(doc.anchor(m.start(), m.end()), message)
