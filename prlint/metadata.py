"""Release metadata: the dates a release states about itself, its dateline, company, ticker."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

import regex

from prlint.document import DateMention, Document

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTH_NAME = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
WEEKDAY_NAME = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
#: "November 12, 2018", "Nov. 12, 2018", "Sept 12 2016" (month-day-year, US style)
DATE_MDY = rf"(?P<month>{MONTH_NAME})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)"
#: "12 November 2024"
DATE_DMY = rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH_NAME}),?\s+(?P<year>(?:19|20)\d\d)"
#: "2024-11-12"
DATE_ISO = r"(?P<year>(?:19|20)\d\d)-(?P<imonth>[01]\d)-(?P<day>[0-3]\d)"

_DATE = regex.compile(rf"(?:{DATE_MDY})|(?:{DATE_DMY})|(?:{DATE_ISO})", regex.IGNORECASE)
_HEADER_DATE = regex.compile(
    rf"^\s*(?:(?P<weekday>{WEEKDAY_NAME}),?\s+)?(?:{DATE_MDY}|{DATE_DMY}|{DATE_ISO})\s*$",
    regex.IGNORECASE | regex.MULTILINE,
)
#: "MADISON, Wis., Oct. 31, 2016 (GLOBE NEWSWIRE) --", "ATLANTA - (NewMediaWire) - Nov 12, 2024 -"
_DATELINE = regex.compile(
    rf"""
    ^[\p{{Lu}}][\p{{L}}.'’\- ]{{1,60}}(?:,\s*[\p{{L}}.'’\- ]{{2,40}}){{0,3}}   # CITY, State
    (?:
        \s*[,\-–—/]?\s*(?:(?P<weekday>{WEEKDAY_NAME}),?\s+)?(?:{DATE_MDY}|{DATE_DMY})
        \s*(?:[/(\[][^)\]/\n]{{2,60}}[)\]/])?\s*(?:--|—|–|-|/)
      | \s*[\-–—]?\s*[(\[/][^)\]/\n]{{2,60}}[)\]/]\s*[\-–—]+\s*
        (?:(?P<weekday>{WEEKDAY_NAME}),?\s+)?(?:{DATE_MDY}|{DATE_DMY})\s*(?:--|—|–|-)
    )
    """,
    regex.VERBOSE | regex.IGNORECASE | regex.MULTILINE,
)
_FILE_DATE = regex.compile(r"(?<!\d)((?:19|20)\d\d)[-_]?([01]\d)[-_]?([0-3]\d)(?!\d)")
_TICKER = regex.compile(
    r"\((?P<exchange>NASDAQ|Nasdaq|NYSE(?: American| MKT| Arca)?|OTCQX|OTCQB|OTC(?: Pink| Markets)?|"
    r"TSX(?:-V| Venture|V)?|CSE|ASX|AMEX|NYSE American|Cboe|LSE|AIM|Nasdaq\s\w+)\s*:\s*"
    r"(?P<ticker>[A-Z][A-Z0-9.\-]{0,6})\b"
)
_ABOUT = regex.compile(r"^\s*About\s+(?P<name>[\p{Lu}][^\n]{1,80}?)\s*:?\s*$", regex.MULTILINE)


def parse_date(m: regex.Match[str]) -> dt.date | None:
    """The date of a match of one of the date patterns above, or None if it is not a date."""
    try:
        year = int(m.group("year"))
        day = int(m.group("day"))
        groups = m.groupdict()
        if groups.get("imonth"):
            month = int(groups["imonth"])
        else:
            month = MONTHS[m.group("month").lower().rstrip(".")]
        return dt.date(year, month, day)
    except (KeyError, ValueError, TypeError, IndexError):
        return None


def find_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Every full date in a text: (start, end, date)."""
    out = []
    for m in _DATE.finditer(text):
        d = parse_date(m)
        if d:
            out.append((m.start(), m.end(), d))
    return out


def _head_lines(doc: Document, limit: int = 12) -> list[tuple[int, int]]:
    """The first non-empty prose lines of a release, as (start, end) offsets."""
    out = []
    for span in doc.iter_lines():
        if doc.text[span.start : span.end].strip():
            out.append((span.start, span.end))
            if len(out) >= limit:
                break
    return out


def extract_metadata(doc: Document) -> None:
    """Fill ``doc.meta``: stated dates, dateline, release date, company and ticker."""
    meta = doc.meta
    text = doc.text
    head = _head_lines(doc)
    for start, end in head[:4]:
        m = _HEADER_DATE.match(text, start, end)
        if m and (d := parse_date(m)):
            meta.dates.append(
                DateMention("header", d, doc.anchor(m.start(), m.end()), m.group("weekday"))
            )
            break
    for start, end in head:
        m = _DATELINE.match(text, start, end)
        if m and (d := parse_date(m)):
            meta.dateline = doc.anchor(start, m.end())
            span = _DATE.search(text, start, m.end())
            anchor = doc.anchor(span.start(), span.end()) if span else meta.dateline
            meta.dates.append(DateMention("dateline", d, anchor, m.group("weekday")))
            break
    fm_date = meta.front_matter.get("date")
    if fm_date:
        m = _DATE.search(fm_date)
        if m and (d := parse_date(m)):
            at = doc.source.find(fm_date)
            anchor = doc.source_anchor(max(at, 0), max(at, 0) + len(fm_date))
            meta.dates.append(DateMention("front-matter", d, anchor))
    name = PurePath(doc.path).name
    fm = _FILE_DATE.search(name)
    if fm:
        try:
            d = dt.date(int(fm.group(1)), int(fm.group(2)), int(fm.group(3)))
            meta.dates.append(DateMention("file-name", d, doc.source_anchor(0, 0)))
        except ValueError:
            pass
    order = ("dateline", "header", "front-matter", "file-name")
    for kind in order:
        found = [x for x in meta.dates if x.kind == kind]
        if found:
            meta.release_date = found[0].date
            break
    t = _TICKER.search(text)
    if t:
        meta.ticker = t.group("ticker").rstrip(".")
        meta.exchange = t.group("exchange")
    about = [m.group("name") for m in _ABOUT.finditer(text)]
    if about:
        meta.company = about[-1].rstrip(".:")
