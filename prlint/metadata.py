"""Release metadata: the dates a release states about itself, its dateline, company, ticker.

Dates a release gives about itself, in the order they decide the release date:

* the dateline, on one of the first lines: a place and/or a wire, then the date, then a
  separator or the text ("MADISON, Wis., Oct. 31, 2016 (GLOBE NEWSWIRE) --", "ATLANTA -
  (NewMediaWire) - November 12, 2024 -", "CITY, Nov 12, 2024 /PRNewswire/ --", "Boerne, TX
  (Newsworthy.ai) Monday Dec 29, 2025 @ 1:30 PM", "(NewMediaWire) - June 11, 2025 - Glendale,
  CA –", "January 9, 2025 – Los Angeles, CA –", "SALT LAKE CITY, UT / PR Karma / September 9,
  2025 1:00"). What comes before the date must read like places and wire names (capitalised
  words, separators, bracketed or slashed wire names), never like a sentence ("On June 3, ...").
* a header date: a line that is only a date, perhaps with a weekday or a label ("March 4,
  2014", "Release Date: July 28, 2025", "Embargoed until 5 a.m. ET Wednesday, June 25, 2025").
* the front matter's ``date:`` (or ``published:``); a timestamp with a time may be a day off.
* a date in the file name ("2024-11-12_slug.md"), which may be a day off (another time zone,
  an evening release);
* last, kind ``"folder"``: a date in the folders holding the file ("2024/1112/slug.md",
  "2024/11/12/"). Such folders record when an archive published or imported a file, not
  what the release says: of 12,064 datelines in 24,676 wire releases filed that way, 93.6%
  fall on the folder's day, 4.2% a day before, 0.4% a day after, and 1.8% further off,
  mostly days to months before (a wire's publishing lag, batch imports). A folder date
  dates an otherwise undated release and nothing more: ``date-mismatch`` does not compare it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

import regex

from prlint.document import DateMention, Document
from prlint.lazyregex import lazy

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
WEEKDAY_NAME = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
#: "November 12, 2018", "Nov. 12, 2018", "Sept 12 2016", "March 10th, 2025" (US style)
DATE_MDY = (
    rf"(?P<month>{MONTH_NAME})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d),?\s+"
    r"(?P<year>(?:19|20)\d\d)(?!\d)"
)
#: "12 November 2024", "01 Nov, 2024"
DATE_DMY = (
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH_NAME}),?\s+"
    r"(?P<year>(?:19|20)\d\d)(?!\d)"
)
#: "2024-11-12"
DATE_ISO = r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<imonth>[01]\d)-(?P<day>[0-3]\d)(?!\d)"

_DATE = lazy(rf"(?:{DATE_MDY})|(?:{DATE_DMY})|(?:{DATE_ISO})", regex.IGNORECASE)
_TIME = r"(?:(?:at\s+)?\d{1,2}(?::\d\d)?\s*(?:[ap]\.?\s?m\.?)?(?:\s+[A-Z]{1,4}T?)?)"
#: a line that is only a date: "March 4, 2014", "Release Date: July 28, 2025"
_HEADER_DATE = lazy(
    rf"""^[\s*_>#"“(\[]*
    (?:(?:for\s+immediate\s+release|release\s+date|published|posted|
        embargoed\s+(?:until|for)\b[^\n]{{0,60}}?)\s*[:\-–—,]?\s*)?
    (?:(?P<weekday>{WEEKDAY_NAME}),?\s+)?(?:{DATE_MDY}|{DATE_DMY}|{DATE_ISO})
    \s*,?\s*{_TIME}?[\s*_"”)\].]*$""",
    regex.IGNORECASE | regex.VERBOSE,
)
#: wire names in brackets, parentheses or slashes: "(GLOBE NEWSWIRE)", "/24-7PressRelease/"
_WIRE = lazy(r"\([^()\n]{1,80}\)|\[[^\[\]\n]{1,80}\]|/[^/\n]{2,60}/")
_PLACE = lazy(
    r"""(?:[\p{Lu}][\p{L}'’.\-]*|\p{Lu}\.(?:\p{Lu}\.)+)
    (?:\s+(?:[\p{Lu}][\p{L}'’.\-]*|and|of|de|del|la|le|les|du|da|do|di|upon|am|sur|en|y|
    the|et|des|el|&)){0,5}""",
    regex.VERBOSE,
)
#: a word that opens a sentence, not a place: "On Saturday, October 25, 2025, ..."
_OPENER_WORD = lazy(
    r"(?:on|in|at|as(?:\s+of)?|by|since|until|till|from|for|through|effective|today|after|"
    r"before|during|between|beginning|starting|dated|scheduled|recently|yesterday)",
    regex.IGNORECASE,
)
_WEEKDAY = lazy(rf"{WEEKDAY_NAME}", regex.IGNORECASE)
_CHUNK_SPLIT = lazy(r"[,\-–—|:/]+|\s{2,}|\s+@\s+")
_OPENERS = "\"“'‘*_> \t\u00a0"
_LABEL_END = lazy(rf":\s*(?:{WEEKDAY_NAME},?)?$", regex.IGNORECASE)
_SEPARATOR_NEXT = lazy(
    rf"^\s*(?:$|--|[\-–—/|(\[)\]:@]|{_TIME}\s*(?:$|[\-–—/|(\[:@])|\d{{1,2}}:\d\d)"
)
_TEXT_NEXT = lazy(r"^(?:,\s*|\s{2,}|\s+(?=\p{Lu}{2}))[\p{Lu}\d\"“]")
#: a line that starts with the date and goes on with the place: "May 20, 2025, Orem, UT –"
_PLACE_NEXT = lazy(r"^,\s*\p{Lu}[^\n]{0,60}?\s(?:--|[–—\-|/])\s")

_TEXT_AFTER = lazy(r"\p{L}{2}")
_FILE_DATE = lazy(r"(?<!\d)((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?!\d)")
_PATH_DATE = lazy(r"(?:^|/)((?:19|20)\d\d)/([01]\d)/?([0-3]\d)(?:/|$)")
_FRONT_MATTER_KEYS = ("date", "published", "publish_date", "pubdate", "release_date")
#: the project's one ticker pattern: an exchange and one or more symbols after a bracket or a
#: comma ("(NASDAQ: CLRB, CLRBW)", "(CSE: ESAU; OTCQB: ESAUF)", "[NYSE American: XXX]")
EXCHANGE = r"""(?i:NASDAQ(?:\s?(?:GS|GM|CM|Global\s+Select|Global|Capital))?(?:\s+Market)?|
    NYSE(?:[\s-]?(?:American|MKT|Arca)|-A)?|OTC(?:QX|QB|ID|\s?Pink|PK|\s?MKTS|\s?Markets)?|
    TSX(?:-V|\.V|V|\sVenture)?|
    CSE|ASX|AMEX|Cboe(?:\s?CA)?|LSE|AIM|HKEX|SGX|FWB|FSE|XETRA|Euronext|TASE|NEO)"""
SYMBOL = r"[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?(?![A-Za-z0-9])"
TICKER = lazy(
    rf"""[(\[,;]\s*(?P<exchange>{EXCHANGE})\s*:\s*(?P<ticker>{SYMBOL})
    (?P<more>(?:\s*[,;/&]\s*(?:{EXCHANGE}\s*:\s*)?{SYMBOL})*)""",
    regex.VERBOSE,
)
_EXCHANGE_LABEL = lazy(rf"{EXCHANGE}\s*:", regex.VERBOSE)
_SLOT_GAP = lazy(r"[)\]]?[ \t]*(?:,|and|&)?[ \t]*")


def tickers_of(doc: Document) -> list[regex.Match[str]]:
    """Every match of :data:`TICKER` in the prose, found once per document (the metadata,
    the identity and the entity facts all read them)."""
    return doc.memo("metadata:tickers", _ticker_matches)


def _ticker_matches(doc: Document) -> list[regex.Match[str]]:
    return list(TICKER.finditer(doc.text))


def ticker_slots(
    text: str, matches: Iterable[regex.Match[str]] | None = None
) -> list[tuple[tuple[str, ...], int, int]]:
    """(symbols, start, end) of every ticker slot, adjacent slots of one issuer merged:
    "(CSE: ESAU) (OTCQB: ESAUF)" and "(NASDAQ: CLRB, CLRBW)" are one slot each. ``matches``:
    ``TICKER.finditer(text)`` when already found."""
    out: list[tuple[tuple[str, ...], int, int]] = []
    for m in TICKER.finditer(text) if matches is None else matches:
        symbols = [m.group("ticker").upper()]
        more = _EXCHANGE_LABEL.sub(" ", m.group("more"))
        symbols += [s.upper() for s in regex.findall(SYMBOL, more)]
        start = m.start("exchange")
        if out and _SLOT_GAP.fullmatch(text, out[-1][2], m.start()):
            prev, s0, _ = out.pop()
            out.append((tuple(dict.fromkeys(prev + tuple(symbols))), s0, m.end()))
        else:
            out.append((tuple(dict.fromkeys(symbols)), start, m.end()))
    return out


_ABOUT = lazy(r"^\s*About\s+(?P<name>[\p{Lu}][^\n]{1,80}?)\s*:?\s*$", regex.MULTILINE)

NAME_SLACK = 1  # a file named by its date may be stored a day later (another time zone)
PATH_SLACK = 7  # an archive's dated folders record publication, often days after the release
HEAD_LINES = 15  # the dateline and header date are looked for on the first lines
LONG_LINE = 250  # a line this long without a dateline is body text; the third ends the search


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


def _head_lines(doc: Document, limit: int = HEAD_LINES) -> list[tuple[int, int]]:
    """The first non-empty prose lines of a release, as (start, end) offsets."""
    out = []
    for span in doc.iter_lines():
        if doc.text[span.start : span.end].strip():
            out.append((span.start, span.end))
            if len(out) >= limit:
                break
    return out


@dataclass(frozen=True)
class _Prefix:
    """What stands before a date on a dateline: places, wire names, a weekday."""

    places: int  # place chunks ("MADISON", "Wis.")
    wire: bool  # a bracketed, parenthesised or slashed name ("(GLOBE NEWSWIRE)")
    capitals: bool  # a place in capitals ("BOSTON"): how datelines set the city
    weekday: str | None  # "Monday" right before the date

    @property
    def strong(self) -> bool:
        return self.wire or self.places >= 2 or self.capitals


def _read_prefix(prefix: str) -> _Prefix | None:
    """The text before a date read as a dateline's places and wire names; None if it reads
    like a sentence ("On June 3, ...") or a label ("WHEN: Tuesday, ...")."""
    if len(prefix) > 160:
        return None
    core = prefix.lstrip(_OPENERS).rstrip().rstrip("[(“\"'").rstrip()
    if _LABEL_END.search(core):
        return None
    wire = _WIRE.search(core) is not None
    places, capitals, weekday, last = 0, False, None, ""
    for chunk in filter(
        None, (c.strip(" .\t\u00a0") for c in _CHUNK_SPLIT.split(_WIRE.sub("  ", core)))
    ):
        if _WEEKDAY.fullmatch(chunk):
            weekday = chunk
            continue
        weekday = None
        if any(c.isdigit() for c in chunk) or not _PLACE.fullmatch(chunk):
            return None
        places, last = places + 1, chunk
        letters = [c for c in chunk if c.isalpha()]
        capitals = capitals or (len(letters) >= 3 and all(c.isupper() for c in letters))
    if last and not last.isupper() and _OPENER_WORD.fullmatch(last):  # "ON" is Ontario
        return None
    return _Prefix(places, wire, capitals, weekday)


def _dateline_in(line: str, in_body: bool) -> tuple[regex.Match[str], str | None] | None:
    """The date of a dateline in one line, and a weekday named with it; once the body has
    begun (``in_body``), a line must name a place or a wire ("Saturday, October 4, 2025 |
    10 a.m." there is an event)."""
    head = line[:220]
    if "19" not in head and "20" not in head:
        return None  # every date of _DATE has a year, 19xx or 20xx
    for m in _DATE.finditer(line, 0, min(len(line), 220)):
        prefix, suffix = line[: m.start()], line[m.end() :]
        p = _read_prefix(prefix)
        if p is None:
            continue
        if p.places == 0 and not p.wire:  # the line starts with the date
            ok = not in_body and (_SEPARATOR_NEXT.match(suffix) or _PLACE_NEXT.match(suffix))
        elif p.strong:
            ok = _SEPARATOR_NEXT.match(suffix) or _TEXT_NEXT.match(suffix)
        else:  # one place in title case: "London, June 26, 2024 -", not "On Saturday, ..., we"
            ok = _SEPARATOR_NEXT.match(suffix)
        if ok:
            return m, p.weekday
    return None


def _front_matter_date(doc: Document) -> DateMention | None:
    fm = doc.meta.front_matter
    key = next((k for k in _FRONT_MATTER_KEYS if fm.get(k)), None)
    if key is None:
        return None
    value = fm[key]
    m = _DATE.search(value)
    d = parse_date(m) if m else None
    if m is None or d is None:
        return None
    line = regex.search(
        rf"(?im)^{regex.escape(key)}\s*:\s*['\"]?(?P<v>{regex.escape(value)})", doc.source[:8000]
    )
    at, end = (line.start("v"), line.end("v")) if line else (0, 0)
    timed = bool(regex.search(r"\d[T ]\d\d:\d\d", value))
    return DateMention("front-matter", d, doc.source_anchor(at, end), slack=1 if timed else 0)


def file_date(path: str) -> tuple[dt.date, str] | None:
    """A date in the file name, else in the folders right above it: (date, "name"|"path")."""
    p = PurePath(path.replace("\\", "/"))
    for m in _FILE_DATE.finditer(p.name):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "name"
        except ValueError:
            continue
    folders = "/".join(p.parent.parts[-3:])
    m = _PATH_DATE.search(folders)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "path"
        except ValueError:
            return None
    return None


def _source_head(doc: Document, start: int) -> str:
    """The start of the source line a prose offset is on (its markup: "#", "*", "1.")."""
    at = doc.map.to_source(start)
    line_start = doc.source.rfind("\n", 0, at) + 1
    return doc.source[line_start : at + 2].lstrip()


def _header_and_dateline(doc: Document) -> None:
    meta, text = doc.meta, doc.text
    body_lines = 0  # long lines of prose (not list items): the body has begun
    header_seen, after_label = False, False
    for i, (start, end) in enumerate(_head_lines(doc)):
        line = text[start:end]
        markup = _source_head(doc, start)
        labelled, after_label = after_label, line.rstrip().endswith(":")  # "WHEN:" + a date
        if labelled:
            continue
        if not header_seen and body_lines == 0:
            h = _HEADER_DATE.match(line)
            if h and (d := parse_date(h)):
                span = _DATE.search(line)
                s, e = (span.start(), span.end()) if span else (h.start(), h.end())
                anchor = doc.anchor(start + s, start + e)
                meta.dates.append(DateMention("header", d, anchor, h.group("weekday")))
                header_seen = True
                continue
        found = None if markup.startswith("#") else _dateline_in(line, body_lines > 0)
        if found and i == 0 and not _TEXT_AFTER.search(line, found[0].end()):
            found = None  # a title that ends with a date: "... Effective January 1, 2025"
        if found is not None:
            m, weekday = found
            d = parse_date(m)
            if d is not None:
                meta.dateline = doc.anchor(start + len(line) - len(line.lstrip()), start + m.end())
                anchor = doc.anchor(start + m.start(), start + m.end())
                meta.dates.append(DateMention("dateline", d, anchor, weekday))
                return
        if len(line) >= LONG_LINE and not regex.match(r"[*+\-•]|\d+[.)]\s", markup):
            body_lines += 1
            if body_lines >= 3:
                return


def extract_metadata(doc: Document) -> None:
    """Fill ``doc.meta``: stated dates, dateline, release date, company and ticker."""
    meta = doc.meta
    _header_and_dateline(doc)
    fm = _front_matter_date(doc)
    if fm is not None:
        meta.dates.append(fm)
    stored = file_date(doc.path)
    if stored is not None:
        day, where = stored
        kind = "file-name" if where == "name" else "folder"
        slack = NAME_SLACK if where == "name" else PATH_SLACK
        meta.dates.append(DateMention(kind, day, doc.source_anchor(0, 0), slack=slack))
    for kind in ("dateline", "header", "front-matter", "file-name", "folder"):
        found = [x for x in meta.dates if x.kind == kind]
        if found:
            meta.release_date = found[0].date
            break
    tickers = tickers_of(doc)
    t = tickers[0] if tickers else None  # TICKER.search(doc.text)
    if t:
        meta.ticker = t.group("ticker").upper()
        meta.exchange = t.group("exchange")
    about = [m.group("name") for m in _ABOUT.finditer(doc.text)]
    if about:
        meta.company = about[-1].rstrip(".:")
